// Dates of service are calendar dates: stored as DATE, handled as "YYYY-MM-DD" strings.
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function dateFromIso(s: string): Date {
  return new Date(`${s}T00:00:00.000Z`);
}

export function yearOf(d: Date | string): number {
  return typeof d === "string" ? Number(d.slice(0, 4)) : d.getUTCFullYear();
}
