// Words and dates for the KX screens (money: lib/ui/money.ts).
import { dateText } from "@/lib/ui/dates";

/** "Mar 14, 2026": the one date format of every screen (lib/ui/dates.ts). */
export function formatDate(iso: string | null | undefined): string {
  return dateText(iso);
}

export const POOL_LABELS: Record<string, string> = { PT_SLP: "PT + SLP", OT: "OT" };
export const LEVEL_LABELS: Record<string, string> = { below: "Below alert", alert: "Alert", kx: "Past KX", review: "Past review" };
export const ACTION_LABELS: Record<string, string> = {
  assign: "Assigned",
  add_kx: "Added KX",
  record_abn: "Recorded an ABN (GA)",
  rebill: "Sent a corrected claim",
  doc_review: "Documentation reviewed",
  snooze: "Snoozed",
  resolve: "Resolved",
  reopen: "Reopened",
  undo: "Undid the last action",
  used_elsewhere: "Amount used elsewhere entered",
};

export function levelBadgeClass(level: string): string {
  switch (level) {
    case "review":
      return "badge bg-purple-100 text-purple-900";
    case "kx":
      return "badge bg-red-100 text-red-900";
    case "alert":
      return "badge bg-amber-100 text-amber-900";
    default:
      return "badge bg-slate-100 text-slate-700";
  }
}
