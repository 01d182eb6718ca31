// The KPIs of the weekly revenue review, each with the formula of docs/metrics.md. The week is a
// service week (Monday–Sunday dates of service); money follows those services whenever their
// remits arrive, except open receivables and days in receivables, which are balances at the
// week's end.

export const KPI_KEYS = [
  "visits",
  "units",
  "charges",
  "expected",
  "paid",
  "patient_resp",
  "open_ar",
  "days_ar",
  "denial_rate",
  "net_collection_rate",
  "underpayment",
  "undercoding",
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export type KpiFormat = "count" | "money" | "percent" | "days";

export interface KpiDefinition {
  key: KpiKey;
  label: string;
  format: KpiFormat;
  /** true when a rise is bad news (colours the week-over-week change) */
  lowerIsBetter: boolean;
  formula: string;
}

export const KPI_DEFINITIONS: Record<KpiKey, KpiDefinition> = {
  visits: {
    key: "visits",
    label: "Visits",
    format: "count",
    lowerIsBetter: false,
    formula: "Number of visits with a date of service in the week.",
  },
  units: {
    key: "units",
    label: "Units",
    format: "count",
    lowerIsBetter: false,
    formula: "The units billed on the week's service lines, added up.",
  },
  charges: {
    key: "charges",
    label: "Charges",
    format: "money",
    lowerIsBetter: false,
    formula: "The billed charges of the week's service lines, added up.",
  },
  expected: {
    key: "expected",
    label: "Expected allowed",
    format: "money",
    lowerIsBetter: false,
    formula:
      "The expected allowed amounts of the week's lines, added up (payer contract in force, else Medicare fee schedule; MPPR, CQ/CO and unit caps applied). Lines without a price are left out and counted.",
  },
  paid: {
    key: "paid",
    label: "Paid",
    format: "money",
    lowerIsBetter: false,
    formula: "What the payers paid on the week's lines, from their remits, with reversals netted.",
  },
  patient_resp: {
    key: "patient_resp",
    label: "Patient responsibility",
    format: "money",
    lowerIsBetter: false,
    formula:
      "What the remits leave to the patient on the week's lines (deductible, coinsurance, copay, and denials the patient owes), with reversals netted.",
  },
  open_ar: {
    key: "open_ar",
    label: "Open receivables",
    format: "money",
    lowerIsBetter: true,
    formula:
      "At the week's end: the expected allowed amounts of lines with a date of service up to that Sunday whose claim had no final remit by then (final: processed, denied or forwarded by the payer; a reversal reopens the claim). Lines of visits without a claim are open.",
  },
  days_ar: {
    key: "days_ar",
    label: "Days in receivables",
    format: "days",
    lowerIsBetter: true,
    formula: "Open receivables at the week's end ÷ (the expected allowed amounts of the 13 weeks ending with the week ÷ 91).",
  },
  denial_rate: {
    key: "denial_rate",
    label: "Denial rate",
    format: "percent",
    lowerIsBetter: true,
    formula:
      "Denied lines ÷ adjudicated lines of the week. Adjudicated: the line has more remit lines than reversals of them. Denied: its latest remit line (not a reversal) carries a denial root cause.",
  },
  net_collection_rate: {
    key: "net_collection_rate",
    label: "Net collection rate",
    format: "percent",
    lowerIsBetter: false,
    formula:
      "(Paid + patient responsibility) ÷ expected allowed, over the week's adjudicated lines that have an expected allowed amount. Expected allowed is charges minus the contractual adjustment the contract defines.",
  },
  underpayment: {
    key: "underpayment",
    label: "Underpayment",
    format: "money",
    lowerIsBetter: true,
    formula:
      "For each of the week's paid (not denied) lines with an expected allowed amount: expected allowed minus the remit's allowed amount when the payer allowed less, added up.",
  },
  undercoding: {
    key: "undercoding",
    label: "Undercoding",
    format: "money",
    lowerIsBetter: true,
    formula:
      "The potential gain of the week's 97110 lines whose note describes a functional task (could be 97530), not dismissed in review. Gain: the visit re-priced with the line as 97530 minus the visit as billed.",
  },
};
