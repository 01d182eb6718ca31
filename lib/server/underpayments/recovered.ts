// Dollars recovered on underpaid lines, for the owner's review (/revenue): a line marked
// "recovered" on the underpayment worklist brings back its difference (expected − remit allowed
// at the time it was marked, RemitLine.recoveredCents); an undo takes it back. Weeks are those
// in which the recovery was recorded, Monday-start, in the practice's time zone.
import { db } from "../core/db";
import { isoDate } from "../core/dates";
import { todayInZone, weekOf, weeksBetween } from "./weeks";

export interface RecoveredWeek {
  /** the Monday of the week the recovery was recorded, YYYY-MM-DD in the practice's zone */
  week: string;
  cents: number;
  lines: number;
}

export interface RecoveredUnderpayments {
  /** the practice's calendar year of `to` */
  year: number;
  /** recorded from January 1 of that year to `to` */
  yearToDateCents: number;
  yearToDateLines: number;
  /** every week from `from` to `to`, empty weeks as zero */
  weeks: RecoveredWeek[];
}

/**
 * Recovered underpayment dollars by week and year to date, for the owner's review.
 * `from`/`to` are calendar dates in the practice's time zone (default: the last 13 weeks to today).
 */
export async function recoveredUnderpaymentDollars(
  practiceId: number,
  options: { timeZone: string; from?: string; to?: string },
): Promise<RecoveredUnderpayments> {
  const to = options.to ?? todayInZone(options.timeZone);
  const weeks = weeksBetween(options.from ?? shiftDays(to, -7 * 12), to);
  const from = weeks[0] ?? to;
  const yearStart = `${to.slice(0, 4)}-01-01`;
  const start = from < yearStart ? from : yearStart;
  // the day each recovery was recorded, in the practice's zone
  const rows = await db().$queryRaw<{ day: Date; cents: number; lines: number }[]>`
    select (rl."statusChangedAt" at time zone 'UTC' at time zone ${options.timeZone})::date as day,
           sum(rl."recoveredCents")::int as cents, count(*)::int as lines
    from "RemitLine" rl
    where rl."practiceId" = ${practiceId} and rl."underpaymentStatus" = 'RECOVERED' and rl."recoveredCents" is not null
      and (rl."statusChangedAt" at time zone 'UTC' at time zone ${options.timeZone})::date between ${start}::date and ${to}::date
    group by 1`;
  const byWeek = new Map(weeks.map((w) => [w, { week: w, cents: 0, lines: 0 }]));
  let yearToDateCents = 0;
  let yearToDateLines = 0;
  for (const row of rows) {
    const day = isoDate(row.day);
    if (day >= yearStart) {
      yearToDateCents += row.cents;
      yearToDateLines += row.lines;
    }
    if (day < from) continue;
    const bucket = byWeek.get(weekOf(day));
    if (bucket) {
      bucket.cents += row.cents;
      bucket.lines += row.lines;
    }
  }
  return { year: Number(to.slice(0, 4)), yearToDateCents, yearToDateLines, weeks: [...byWeek.values()] };
}

function shiftDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
