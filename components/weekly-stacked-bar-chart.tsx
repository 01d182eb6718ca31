"use client";
// A week-by-week stacked bar chart (denials by cause, underpaid dollars by payer, ...). Fed
// chart-ready plain numbers from a SQL aggregate, every week present; props are plain data
// so server pages can render it directly.
import { usdOfDollars } from "@/lib/ui/money";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dateText } from "@/lib/ui/dates";

const DEFAULT_COLORS = ["#1d5fbf", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"];

export function WeeklyStackedBarChart({
  data,
  series,
  label,
  emptyText,
  money = false,
  colors = DEFAULT_COLORS,
  height = 280,
}: {
  data: Record<string, number | string>[];
  series: { key: string; name: string }[];
  /** what the chart shows, for screen readers */
  label: string;
  emptyText: string;
  /** values are dollars (axis and tooltip formatted as currency) rather than counts */
  money?: boolean;
  colors?: string[];
  height?: number;
}) {
  if (series.length === 0) return <p className="text-sm text-slate-600">{emptyText}</p>;
  return (
    <div style={{ width: "100%", height }} role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} minTickGap={16} tickFormatter={(w) => dateText(String(w))} />
          {money ? (
            <YAxis tickFormatter={(v: number) => usdOfDollars(v, "whole")} tick={{ fontSize: 11 }} width={64} />
          ) : (
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          )}
          <Tooltip
            formatter={money ? (v) => usdOfDollars(Number(v), "whole") : undefined}
            labelFormatter={(w) => `Week of ${dateText(String(w))}`}
          />
          <Legend />
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="stack" fill={colors[i % colors.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
