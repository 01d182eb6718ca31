"use client";
// Payer mix of the week: each payer's share of the week's visits (plain numbers from the rollup).
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLORS, formatRatio } from "./chart-format";

export interface PayerMixDatum {
  payerId: number;
  payer: string;
  visits: number;
  share: number;
}

export function RevenuePayerMixChart({ data, week, height = 260 }: { data: PayerMixDatum[]; week: string; height?: number }) {
  const router = useRouter();
  if (data.length === 0) return <p className="text-sm text-slate-600">No visit in this week.</p>;
  return (
    <div className="chart-box" style={{ width: "100%", height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 1]} tickFormatter={(v) => formatRatio(Number(v))} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="payer" width={140} tick={{ fontSize: 11 }} />
          <Tooltip
            formatter={(v, _n, item) => [
              `${formatRatio(Number(v))} (${(item?.payload as PayerMixDatum | undefined)?.visits ?? 0} visits)`,
              "Share of visits",
            ]}
          />
          <Bar
            dataKey="share"
            name="Share of visits"
            fill={CHART_COLORS.expected}
            isAnimationActive={false}
            onClick={(d) => {
              const payerId = (d as { payload?: PayerMixDatum }).payload?.payerId;
              if (payerId) router.push(`/revenue/lines?metric=visits&week=${week}&payer=${payerId}`);
            }}
          >
            <LabelList
              dataKey="share"
              position="right"
              formatter={(v) => formatRatio(Number(v))}
              style={{ fontSize: 11, fill: "#334155" }}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
