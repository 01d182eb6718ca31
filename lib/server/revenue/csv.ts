// The week's figures as CSV for the weekly meeting: one row per KPI, this week and last week.
import { csvRows, dollars } from "../lists/format";
import type { KpiFormat } from "./definitions";
import type { RevenueReview } from "./review";

export const REVENUE_CSV_COLUMNS = ["metric", "label", "unit", "week", "value", "previous_week", "previous_value", "change", "definition"];

function unitOf(format: KpiFormat): string {
  return format === "money" ? "USD" : format === "percent" ? "percent" : format === "days" ? "days" : "count";
}

function cell(format: KpiFormat, value: number | null): string {
  if (value === null) return "";
  if (format === "money") return dollars(value);
  if (format === "percent") return (value * 100).toFixed(2);
  if (format === "days") return value.toFixed(1);
  return String(value);
}

export function revenueCsv(review: RevenueReview): string {
  const rows = review.kpis.map((k) => [
    k.key,
    k.label,
    unitOf(k.format),
    review.week,
    cell(k.format, k.value),
    review.previousWeek,
    cell(k.format, k.previous),
    cell(k.format, k.change),
    k.formula,
  ]);
  return csvRows([REVENUE_CSV_COLUMNS, ...rows]);
}
