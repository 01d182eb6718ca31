// What a KX queue row says, in the biller's words: one status per row (the working order, or
// snoozed / resolved), the visits left before a level. One place, so that the queue on screen
// and its CSV download say the same thing.
import { dateText } from "./dates";

/** The working order's labels (lib/server/kx/queue.ts WORK_RANKS), most pressing first. */
export const WORK_LABELS: Record<number, string> = {
  0: "Add KX",
  1: "Rebill with KX",
  2: "KX from the next visit",
  3: "Review past $3,000",
  4: "Approaching KX",
  5: "Past KX, KX on",
  6: "Past review, reviewed",
};

export const WORK_CHIP_CLASS: Record<number, string> = {
  0: "badge bg-red-600 text-white",
  1: "badge bg-red-100 text-red-900",
  2: "badge bg-orange-100 text-orange-900",
  3: "badge bg-purple-700 text-white",
  4: "badge bg-amber-100 text-amber-900",
  5: "badge bg-slate-100 text-slate-800",
  6: "badge bg-slate-100 text-slate-800",
};

/** A queue item's stored status in words (the patient's threshold page). */
export const KX_ITEM_STATUS_WORDS: Record<QueueRowStatus["status"], string> = {
  OPEN: "Open",
  SNOOZED: "Snoozed",
  RESOLVED: "Resolved",
};

export interface QueueRowStatus {
  work: number;
  status: "OPEN" | "SNOOZED" | "RESOLVED";
  snoozedUntil: string | null;
}

/** The one status of a row: "Snoozed until Dec 9, 2026", "Resolved", or its place in the working order. */
export function queueRowStatus(row: QueueRowStatus, today: string): { label: string; cls: string } {
  if (row.status === "RESOLVED") return { label: "Resolved", cls: "badge bg-green-100 text-green-900" };
  if (row.status === "SNOOZED" && row.snoozedUntil && row.snoozedUntil > today)
    return { label: `Snoozed until ${dateText(row.snoozedUntil)}`, cls: "badge bg-slate-200 text-slate-800" };
  return { label: WORK_LABELS[row.work] ?? "", cls: WORK_CHIP_CLASS[row.work] ?? "badge" };
}

export interface VisitsLeftWords {
  visits: number | null;
  date: string | null;
}

/** "next visit (~Dec 9, 2026)", "3 visits (last seen May 2, 2026)", "crossed Apr 9, 2026". */
export function visitsLeftText(
  v: VisitsLeftWords | null,
  crossedOn: string | null,
  lastVisitOn: string | null,
  today: string,
  sayLastSeen = true,
): string {
  if (!v) return crossedOn ? `crossed ${dateText(crossedOn)}` : "crossed";
  if (v.visits === null) return "not enough history";
  const visits = v.visits === 1 ? "next visit" : `${v.visits} visits`;
  // a forecast date already past means the patient has not been seen since: say so instead
  if (v.date && v.date < today) return sayLastSeen ? `${visits} (last seen ${dateText(lastVisitOn)})` : visits;
  return v.date ? `${visits} (~${dateText(v.date)})` : visits;
}
