"use client";
// Underpaid dollars by payer, week by week (stacked). Fed chart-ready plain numbers from a
// SQL aggregate; weeks with nothing are already filled with zeros.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = ["#1d5fbf", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"];
const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export function UnderpaymentChart({
  data,
  series,
  height = 280,
}: {
  data: Record<string, number | string>[];
  series: { key: string; name: string }[];
  height?: number;
}) {
  if (series.length === 0) return <p className="text-sm text-slate-600">No underpaid line in this period.</p>;
  return (
    <div style={{ width: "100%", height }} role="img" aria-label="Underpaid dollars by payer and week">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => USD.format(v)} tick={{ fontSize: 11 }} width={64} />
          <Tooltip formatter={(v) => USD.format(Number(v))} labelFormatter={(w) => `Week of ${w}`} />
          <Legend />
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="payers" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
