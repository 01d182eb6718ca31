"use client";
// Underpayment (expected allowed − remit allowed, positive part) by payer over 13 weeks.
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
import { niceDomain, niceTicks } from "@/lib/ui/ticks";
import { CHART_COLORS } from "./chart-format";

export interface UnderpaymentPayerDatum {
  payerId: number;
  payer: string;
  underpayment: number;
  lines: number;
}

export function RevenueUnderpaymentChart({ data, week, height = 240 }: { data: UnderpaymentPayerDatum[]; week: string; height?: number }) {
  const router = useRouter();
  if (data.length === 0) return <p className="text-sm text-slate-600">No underpaid line in these 13 weeks.</p>;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.underpayment)));
  return (
    <ChartBox height={height}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="payer" width={140} tick={{ fontSize: 11 }} />
          <Tooltip
            formatter={(v, _n, item) => [
              `${usdOfDollars(Number(v), "whole")} (${(item?.payload as UnderpaymentPayerDatum | undefined)?.lines ?? 0} lines)`,
              "Underpayment",
            ]}
          />
          <Bar
            dataKey="underpayment"
            name="Underpayment"
            fill={CHART_COLORS.underpayment}
            isAnimationActive={false}
            onClick={(bar) => {
              const payerId = (bar as { payload?: UnderpaymentPayerDatum }).payload?.payerId;
              if (payerId) router.push(`/revenue/lines?metric=underpayment&week=${week}&weeks=13&payer=${payerId}`);
            }}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
