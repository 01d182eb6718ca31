// One date format on every screen: "Mar 14, 2026" for a calendar date (a date of service, a
// birth date: no time zone), "Mar 14, 2026, 3:05 PM" for a moment (an import, an action), shown
// in the practice's time zone. Input fields keep YYYY-MM-DD, which is what <input type="date">
// and the CSV files use.
const calendarDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

function calendarDay(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match ? new Date(`${match[1]}T00:00:00Z`) : null;
}

/** "Mar 14, 2026" for a calendar date ("2026-03-14", or a DATE column read as midnight UTC); "" for none. */
export function dateText(value: string | Date | null | undefined): string {
  if (value == null) return "";
  const day = calendarDay(value);
  return day ? calendarDate.format(day) : "";
}

const momentFormats = new Map<string, Intl.DateTimeFormat>();

/** "Mar 14, 2026, 3:05 PM" for a moment, in the practice's time zone; "" for none. */
export function momentText(value: string | Date | null | undefined, timeZone: string): string {
  if (value == null) return "";
  const moment = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(moment.getTime())) return "";
  let format = momentFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
    momentFormats.set(timeZone, format);
  }
  return format.format(moment);
}

/** "Eastern Time" for "America/New_York": a time zone as a person names it. */
export function zoneInWords(timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longGeneric" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName");
    return part?.value ?? timeZone.replaceAll("_", " ");
  } catch {
    return timeZone.replaceAll("_", " ");
  }
}
