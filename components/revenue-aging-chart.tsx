"use client";
// Open receivables today by payer and age (days since the date of service), stacked: the
// longer a line stays open, the darker its part of the bar.
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
import { niceDomain, niceTicks } from "@/lib/ui/ticks";

export interface AgingDatum {
  payerId: number;
  payer: string;
  /** dollars per age bucket */
  d0_30: number;
  d31_60: number;
  d61_90: number;
  d90plus: number;
}

const SERIES = [
  { key: "d0_30", name: "0–30 days", fill: "#93c5fd" },
  { key: "d31_60", name: "31–60 days", fill: "#3b82f6" },
  { key: "d61_90", name: "61–90 days", fill: "#b45309" },
  { key: "d90plus", name: "Over 90 days", fill: "#991b1b" },
] as const;

export function RevenueAgingChart({ data, height = 260 }: { data: AgingDatum[]; height?: number }) {
  const router = useRouter();
  if (data.length === 0) return <p className="text-sm text-slate-600">Nothing is waiting for a payer.</p>;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.d0_30 + d.d31_60 + d.d61_90 + d.d90plus)), { maxIntervals: 3 });
  return (
    <ChartBox height={height}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="payer" width={120} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v, name) => [usdOfDollars(Number(v), "whole"), String(name)]} />
          <Legend />
          {SERIES.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stackId="age"
              fill={s.fill}
              isAnimationActive={false}
              onClick={(bar) => {
                const payerId = (bar as { payload?: AgingDatum }).payload?.payerId;
                if (payerId && s.key === "d90plus") router.push(`/revenue/lines?metric=open_ar&age=90&payer=${payerId}`);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
