"use client";
// Potential gain of undercoded 97110 lines (candidates not dismissed), week by week.
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dollarTick, niceDomain, niceTicks } from "@/lib/ui/ticks";
import { CHART_COLORS, formatDollarsWhole } from "./chart-format";

export interface UndercodingWeekDatum {
  week: string;
  label: string;
  gain: number;
  lines: number;
}

export function RevenueUndercodingChart({ data, height = 240 }: { data: UndercodingWeekDatum[]; height?: number }) {
  const router = useRouter();
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.gain)));
  return (
    <div className="chart-box" style={{ width: "100%", height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
          <YAxis ticks={ticks} domain={niceDomain(ticks)} tickFormatter={dollarTick} tick={{ fontSize: 11 }} width={56} />
          <Tooltip
            formatter={(v, _n, item) => [
              `${formatDollarsWhole(Number(v))} (${(item?.payload as UndercodingWeekDatum | undefined)?.lines ?? 0} lines)`,
              "Potential gain",
            ]}
            labelFormatter={(l) => `Week of ${l}`}
          />
          <Bar
            dataKey="gain"
            name="Potential gain"
            fill={CHART_COLORS.undercoding}
            isAnimationActive={false}
            onClick={(d) => {
              const week = (d as { payload?: UndercodingWeekDatum }).payload?.week;
              if (week) router.push(`/revenue/lines?metric=undercoding&week=${week}`);
            }}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
