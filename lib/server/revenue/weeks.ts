// Service weeks: Monday to Sunday in the practice's own calendar. Dates of service are calendar
// dates already (no time zone); "today", and so the current week, comes from the practice's
// time zone. A week is named by its Monday, "YYYY-MM-DD".
import { addDays, addWeeks, dateFromIso, isoDate, weekEnd } from "../core/dates";

const DAY_MS = 86_400_000;
// One formatter for the process: Date#toLocaleString with options builds a new one at every
// call (about 50 µs, a hundred labels a revenue page)
const MONTH = new Intl.DateTimeFormat("en-US", { month: "short", timeZone: "UTC" });

/** The Monday on or before a date ("YYYY-MM-DD"). Same rule as SQL revenue_week_start(). */
export function weekStartOf(date: string): string {
  const day = dateFromIso(date);
  const isoDow = ((day.getUTCDay() + 6) % 7) + 1; // Monday 1 … Sunday 7
  return isoDate(new Date(day.getTime() - (isoDow - 1) * DAY_MS));
}

export { addDays, addWeeks, todayIn, weekEnd } from "../core/dates";

/** The `count` weeks ending with `lastWeek`, oldest first. */
export function weeksEndingWith(lastWeek: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addWeeks(lastWeek, i - count + 1));
}

/** "Mar 2 – 8, 2026" */
export function weekLabel(week: string): string {
  const start = dateFromIso(week);
  const end = dateFromIso(weekEnd(week));
  const month = (d: Date) => MONTH.format(d);
  const sameMonth = start.getUTCMonth() === end.getUTCMonth();
  const left = `${month(start)} ${start.getUTCDate()}`;
  const right = sameMonth ? `${end.getUTCDate()}` : `${month(end)} ${end.getUTCDate()}`;
  return `${left} – ${right}, ${end.getUTCFullYear()}`;
}

/** "Mar 2" (chart axes) */
export function shortWeekLabel(week: string): string {
  const day = dateFromIso(week);
  return `${MONTH.format(day)} ${day.getUTCDate()}`;
}

/**
 * A period cut into the days before its first whole week, its whole weeks (Mondays), and the
 * days after them: the weekly rollup answers the whole weeks, the lines the days at the edges (the
 * owner's year to date, the undercoding lists).
 */
export function splitPeriod(from: string, to: string): { edges: [string, string][]; weeks: [string, string] | null } {
  const firstMonday = weekStartOf(from) === from ? from : addDays(weekStartOf(from), 7);
  const lastMonday = weekEnd(weekStartOf(to)) === to ? weekStartOf(to) : addDays(weekStartOf(to), -7);
  if (firstMonday > lastMonday) return { edges: from <= to ? [[from, to]] : [], weeks: null };
  const edges: [string, string][] = [];
  if (from < firstMonday) edges.push([from, addDays(firstMonday, -1)]);
  if (weekEnd(lastMonday) < to) edges.push([addDays(lastMonday, 7), to]);
  return { edges, weeks: [firstMonday, lastMonday] };
}
