// Week buckets for the charts: weeks start on Monday; "this week" and the default window are
// taken in the practice's time zone (a practice in Honolulu is still on Sunday when UTC is on
// Monday). Dates of service are calendar dates and need no zone of their own.
import { TZDate } from "@date-fns/tz";
import { eachWeekOfInterval, format, startOfWeek, subWeeks } from "date-fns";

function calendarDate(iso: string): TZDate {
  const [year, month, day] = iso.split("-").map(Number);
  return new TZDate(year!, month! - 1, day!, "UTC");
}

/** Today in the practice's time zone, YYYY-MM-DD. */
export function todayInZone(timeZone: string): string {
  return format(TZDate.tz(timeZone), "yyyy-MM-dd");
}

/** The Monday of the week a date falls in. */
export function weekOf(iso: string): string {
  return format(startOfWeek(calendarDate(iso), { weekStartsOn: 1 }), "yyyy-MM-dd");
}

/** The last `weeks` weeks up to today in the practice's time zone. */
export function defaultWeekRange(timeZone: string, weeks = 52): { from: string; to: string } {
  const today = TZDate.tz(timeZone);
  return {
    from: format(startOfWeek(subWeeks(today, weeks - 1), { weekStartsOn: 1 }), "yyyy-MM-dd"),
    to: format(today, "yyyy-MM-dd"),
  };
}

/** Every week (its Monday) from the week of `from` to the week of `to`, so empty weeks show as zero. */
export function weeksBetween(from: string, to: string): string[] {
  if (to < from) return [];
  return eachWeekOfInterval({ start: calendarDate(from), end: calendarDate(to) }, { weekStartsOn: 1 }).map((d) => format(d, "yyyy-MM-dd"));
}

/** Pivot (week, series, value) rows into chart rows with every week present, series as s0, s1, … */
export function pivotWeekly(
  weeks: string[],
  rows: readonly { week: string; series: string; value: number }[],
): { data: Record<string, number | string>[]; series: { key: string; name: string }[] } {
  const names = [...new Set(rows.map((r) => r.series))].sort();
  const keyOf = new Map(names.map((n, i) => [n, `s${i}`]));
  const byWeek = new Map<string, Record<string, number | string>>();
  for (const week of weeks) byWeek.set(week, Object.fromEntries([["week", week], ...names.map((n) => [keyOf.get(n)!, 0])]));
  for (const sqlRow of rows) {
    const row = byWeek.get(sqlRow.week);
    if (!row) continue;
    const key = keyOf.get(sqlRow.series)!;
    row[key] = Math.round(((row[key] as number) + sqlRow.value) * 100) / 100;
  }
  return { data: [...byWeek.values()], series: names.map((n) => ({ key: keyOf.get(n)!, name: n })) };
}
