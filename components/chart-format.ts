// Number formats shared by the revenue and undercoding charts and cards (client and server);
// money is lib/ui/money.ts.
const count = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(n: number | null | undefined): string {
  return n == null ? "—" : count.format(n);
}

/** 0.1234 → "12.3%" */
export function formatRatio(r: number | null | undefined): string {
  return r == null ? "—" : percent.format(r);
}

export function formatDays(d: number | null | undefined): string {
  return d == null ? "—" : `${d.toFixed(1)} days`;
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
