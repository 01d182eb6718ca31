"use client";
// Denied lines by root cause, week by week (stacked). Plain numbers from a SQL aggregate,
// every week present.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = ["#dc2626", "#d97706", "#9333ea", "#0891b2", "#059669", "#1d5fbf", "#db2777", "#64748b"];

export function DenialChart({
  data,
  series,
  height = 280,
}: {
  data: Record<string, number | string>[];
  series: { key: string; name: string }[];
  height?: number;
}) {
  if (series.length === 0) return <p className="text-sm text-slate-600">No denied line in this period.</p>;
  return (
    <div style={{ width: "100%", height }} role="img" aria-label="Denied lines by root cause and week">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip labelFormatter={(w) => `Week of ${w}`} />
          <Legend />
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="causes" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
