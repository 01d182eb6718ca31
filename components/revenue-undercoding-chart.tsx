"use client";
// Potential gain of undercoded 97110 lines (candidates not dismissed), week by week: the counted loss,
// and beside it, for practices that set ambiguous notes apart, the possible loss (never counted).
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { niceDomain, niceTicks } from "@/lib/ui/ticks";
import { CHART_COLORS } from "./chart-format";

export interface UndercodingWeekDatum {
  week: string;
  label: string;
  gain: number;
  lines: number;
  /** possible loss (dollars) and its lines; absent unless the practice sets ambiguous notes apart */
  possible?: number;
  possibleLines?: number;
}

export function RevenueUndercodingChart({
  data,
  height = 240,
  showPossible = false,
}: {
  data: UndercodingWeekDatum[];
  height?: number;
  showPossible?: boolean;
}) {
  const router = useRouter();
  const ticks = niceTicks(Math.max(0, ...data.map((d) => Math.max(d.gain, showPossible ? (d.possible ?? 0) : 0))));
  return (
    <div className="chart-box" style={{ width: "100%", height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
          <YAxis ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} width={56} />
          <Tooltip
            formatter={(v, name, item) => {
              const d = item?.payload as UndercodingWeekDatum | undefined;
              const possible = item?.dataKey === "possible";
              return [`${usdOfDollars(Number(v), "whole")} (${(possible ? d?.possibleLines : d?.lines) ?? 0} lines)`, String(name)];
            }}
            labelFormatter={(l) => `Week of ${l}`}
          />
          {showPossible ? <Legend wrapperStyle={{ fontSize: 11 }} /> : null}
          <Bar
            dataKey="gain"
            name={showPossible ? "Counted loss" : "Potential gain"}
            fill={CHART_COLORS.undercoding}
            isAnimationActive={false}
            onClick={(d) => {
              const week = (d as { payload?: UndercodingWeekDatum }).payload?.week;
              if (week) router.push(`/revenue/lines?metric=undercoding&week=${week}`);
            }}
          />
          {showPossible ? (
            <Bar dataKey="possible" name="Possible loss (not counted)" fill={CHART_COLORS.undercodingPossible} isAnimationActive={false} />
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
