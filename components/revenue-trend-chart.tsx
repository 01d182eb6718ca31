"use client";
// Expected allowed versus paid, week by week (service weeks). Plain numbers in dollars from the
// weekly rollup, every week present; a click on a week opens the lines behind its paid figure.
import { useRouter } from "next/navigation";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLORS, formatDollarsCompact, formatDollarsWhole } from "./chart-format";

export interface TrendDatum {
  week: string;
  label: string;
  expected: number;
  paid: number;
}

export function RevenueTrendChart({ data, height = 260, variant }: { data: TrendDatum[]; height?: number; variant: "bars" | "lines" }) {
  const router = useRouter();
  const open = (week: string | undefined) => {
    if (week) router.push(`/revenue/lines?metric=paid&week=${week}`);
  };
  return (
    <div className="chart-box" style={{ width: "100%", height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <ComposedChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 4, left: 8 }}
          onClick={(state) =>
            open(typeof state?.activeLabel === "string" ? data.find((d) => d.label === state.activeLabel)?.week : undefined)
          }
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
          <YAxis tickFormatter={formatDollarsCompact} tick={{ fontSize: 11 }} width={56} />
          <Tooltip formatter={(v) => formatDollarsWhole(Number(v))} labelFormatter={(l) => `Week of ${l}`} />
          <Legend />
          {variant === "bars" ? (
            <>
              <Bar dataKey="expected" name="Expected allowed" fill={CHART_COLORS.expected} isAnimationActive={false} />
              <Bar dataKey="paid" name="Paid" fill={CHART_COLORS.paid} isAnimationActive={false} />
            </>
          ) : (
            <>
              <Line
                dataKey="expected"
                name="Expected allowed"
                stroke={CHART_COLORS.expected}
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
              />
              <Line dataKey="paid" name="Paid" stroke={CHART_COLORS.paid} dot={false} strokeWidth={2} isAnimationActive={false} />
            </>
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
