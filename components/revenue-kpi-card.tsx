// One figure of the weekly review: this week's value, the change from last week, and a link to
// the lines behind it.
import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { formatCount, formatDays, formatRatio } from "./chart-format";

export interface KpiCardData {
  key: string;
  label: string;
  format: "count" | "money" | "percent" | "days";
  lowerIsBetter: boolean;
  formula: string;
  value: number | null;
  previous: number | null;
  change: number | null;
  changeRatio: number | null;
  note: string | null;
  /** the figure needs remits and none of the week's has arrived yet */
  awaitingRemits?: boolean;
}

export function formatKpi(format: KpiCardData["format"], value: number | null): string {
  if (value === null) return "—";
  if (format === "money") return usd(value);
  if (format === "percent") return formatRatio(value);
  if (format === "days") return formatDays(value);
  return formatCount(value);
}

function formatChange(kpi: KpiCardData): string {
  if (kpi.awaitingRemits) return "no remit has arrived for this week yet";
  if (kpi.change === null) return "no comparison";
  const sign = kpi.change > 0 ? "+" : kpi.change < 0 ? "−" : "±";
  const abs = Math.abs(kpi.change);
  if (kpi.format === "percent") return `${sign}${(abs * 100).toFixed(1)} pts`;
  if (kpi.format === "days") return `${sign}${abs.toFixed(1)} days`;
  const amount = kpi.format === "money" ? usd(abs) : formatCount(abs);
  const ratio = kpi.changeRatio === null ? "" : ` (${sign}${(Math.abs(kpi.changeRatio) * 100).toFixed(1)}%)`;
  return `${sign}${amount}${ratio}`;
}

export function RevenueKpiCard({ kpi, href }: { kpi: KpiCardData; href: string }) {
  const shown = kpi.awaitingRemits ? "Awaiting remits" : formatKpi(kpi.format, kpi.value);
  const direction = kpi.change === null || kpi.change === 0 ? 0 : kpi.change > 0 ? 1 : -1;
  const good = direction === 0 ? null : direction > 0 !== kpi.lowerIsBetter;
  const tone = good === null ? "text-slate-600" : good ? "text-green-800" : "text-red-800";
  const arrow = direction > 0 ? "▲" : direction < 0 ? "▼" : "";
  return (
    <div className="card revenue-kpi flex flex-col gap-1" data-kpi={kpi.key}>
      <h3 className="text-sm font-medium text-slate-600">{kpi.label}</h3>
      <Link
        href={href}
        className="text-2xl font-semibold tabular-nums text-slate-900"
        aria-label={`${kpi.label}: ${shown}. Show the lines behind it`}
      >
        {shown}
      </Link>
      <p className={`text-sm tabular-nums ${tone}`}>
        {arrow ? <span aria-hidden="true">{arrow} </span> : null}
        {formatChange(kpi)}{" "}
        {kpi.awaitingRemits ? null : <span className="text-slate-600">vs {formatKpi(kpi.format, kpi.previous)} last week</span>}
      </p>
      {kpi.note && !kpi.awaitingRemits ? <p className="text-xs text-slate-600">{kpi.note}</p> : null}
    </div>
  );
}
