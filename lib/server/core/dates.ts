// Dates of service are calendar dates: stored as DATE, handled as "YYYY-MM-DD" strings.
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function dateFromIso(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

const DAY_MS = 86_400_000;

/** A date ("YYYY-MM-DD") moved by a number of days. */
export function addDays(date: string, days: number): string {
  return isoDate(new Date(dateFromIso(date).getTime() + days * DAY_MS));
}

/** A service week (its Monday, "YYYY-MM-DD") moved by a number of weeks. */
export function addWeeks(week: string, weeks: number): string {
  return addDays(week, weeks * 7);
}

/** The Sunday that ends a service week. */
export function weekEnd(week: string): string {
  return addDays(week, 6);
}

export function yearOf(date: Date | string): number {
  return typeof date === "string" ? Number(date.slice(0, 4)) : date.getUTCFullYear();
}

/** one formatter per time zone for the process (making one costs more than formatting with it) */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Today's calendar date in a time zone (e.g. the practice's "America/New_York"), YYYY-MM-DD:
 * on 31 December at 9 pm in New York it is still the 31st there, though UTC is in January.
 */
export function todayIn(timeZone = "UTC", now: Date = new Date()): string {
  try {
    let format = dayFormats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
      dayFormats.set(timeZone, format);
    }
    return format.format(now);
  } catch {
    return isoDate(now);
  }
}
