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

export function formatKpi(format: KpiCardData["format"], v: number | null): string {
  if (v === null) return "—";
  if (format === "money") return usd(v);
  if (format === "percent") return formatRatio(v);
  if (format === "days") return formatDays(v);
  return formatCount(v);
}

function formatChange(k: KpiCardData): string {
  if (k.awaitingRemits) return "no remit has arrived for this week yet";
  if (k.change === null) return "no comparison";
  const sign = k.change > 0 ? "+" : k.change < 0 ? "−" : "±";
  const abs = Math.abs(k.change);
  if (k.format === "percent") return `${sign}${(abs * 100).toFixed(1)} pts`;
  if (k.format === "days") return `${sign}${abs.toFixed(1)} days`;
  const amount = k.format === "money" ? usd(abs) : formatCount(abs);
  const ratio = k.changeRatio === null ? "" : ` (${sign}${(Math.abs(k.changeRatio) * 100).toFixed(1)}%)`;
  return `${sign}${amount}${ratio}`;
}

export function RevenueKpiCard({ k, href }: { k: KpiCardData; href: string }) {
  const shown = k.awaitingRemits ? "Awaiting remits" : formatKpi(k.format, k.value);
  const direction = k.change === null || k.change === 0 ? 0 : k.change > 0 ? 1 : -1;
  const good = direction === 0 ? null : direction > 0 !== k.lowerIsBetter;
  const tone = good === null ? "text-slate-600" : good ? "text-green-800" : "text-red-800";
  const arrow = direction > 0 ? "▲" : direction < 0 ? "▼" : "";
  return (
    <div className="card revenue-kpi flex flex-col gap-1" data-kpi={k.key}>
      <h3 className="text-sm font-medium text-slate-600">{k.label}</h3>
      <Link
        href={href}
        className="text-2xl font-semibold tabular-nums text-slate-900"
        aria-label={`${k.label}: ${shown}. Show the lines behind it`}
      >
        {shown}
      </Link>
      <p className={`text-sm tabular-nums ${tone}`}>
        {arrow ? <span aria-hidden="true">{arrow} </span> : null}
        {formatChange(k)} {k.awaitingRemits ? null : <span className="text-slate-600">vs {formatKpi(k.format, k.previous)} last week</span>}
      </p>
      {k.note && !k.awaitingRemits ? <p className="text-xs text-slate-600">{k.note}</p> : null}
    </div>
  );
}
