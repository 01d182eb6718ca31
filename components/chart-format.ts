// Number formats shared by the revenue and undercoding charts and cards (client and server);
// money is lib/ui/money.ts.
const count = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  return value == null ? "—" : count.format(value);
}

/** 0.1234 → "12.3%" */
export function formatRatio(ratio: number | null | undefined): string {
  return ratio == null ? "—" : percent.format(ratio);
}

export function formatDays(days: number | null | undefined): string {
  return days == null ? "—" : `${days.toFixed(1)} days`;
}

export const CHART_COLORS = {
  expected: "#1d5fbf",
  paid: "#059669",
  charges: "#94a3b8",
  undercoding: "#b45309",
  /** possible undercoding loss (ambiguous notes, not counted): a lighter shade of the loss colour */
  undercodingPossible: "#f4c27a",
  underpayment: "#b91c1c",
  practice: "#0f172a",
  therapist: "#1d5fbf",
  therapistLow: "#b45309",
} as const;
