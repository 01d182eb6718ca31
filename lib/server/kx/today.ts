/** Today in the practice's time zone, YYYY-MM-DD (snooze dates are calendar days of the practice). */
export function todayIn(timeZone = "UTC"): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}
