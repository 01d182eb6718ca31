"use client";
// Payer mix of the week in dollars: each payer's expected allowed (what the contracts say the
// week's services are worth) and what it has paid so far, from the weekly rollup.
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
import { niceDomain, niceTicks } from "@/lib/ui/ticks";
import { CHART_COLORS, formatRatio } from "./chart-format";

export interface PayerMixDatum {
  payerId: number;
  payer: string;
  visits: number;
  /** dollars */
  expected: number;
  /** dollars; null while the week's remits have not arrived */
  paid: number | null;
  /** share of the week's expected allowed */
  share: number;
}

export function RevenuePayerMixChart({ data, week, height = 260 }: { data: PayerMixDatum[]; week: string; height?: number }) {
  const router = useRouter();
  if (data.length === 0) return <p className="text-sm text-slate-600">No visit in this week.</p>;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => Math.max(d.expected, d.paid ?? 0))), { maxIntervals: 3 });
  return (
    <ChartBox height={height}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="payer" width={120} tick={{ fontSize: 11 }} />
          <Tooltip
            formatter={(value, name, item) => {
              const datum = item?.payload as PayerMixDatum | undefined;
              if (name === "Paid" && datum?.paid == null) return ["awaiting remits", "Paid"];
              return name === "Expected allowed"
                ? [`${usdOfDollars(Number(value), "whole")} (${formatRatio(datum?.share)} of the week, ${datum?.visits ?? 0} visits)`, name]
                : [usdOfDollars(Number(value), "whole"), String(name)];
            }}
          />
          <Legend />
          <Bar
            dataKey="expected"
            name="Expected allowed"
            fill={CHART_COLORS.expected}
            isAnimationActive={false}
            onClick={(slice) => {
              const payerId = (slice as { payload?: PayerMixDatum }).payload?.payerId;
              if (payerId) router.push(`/revenue/lines?metric=expected&week=${week}&payer=${payerId}`);
            }}
          />
          <Bar dataKey="paid" name="Paid" fill={CHART_COLORS.paid} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
