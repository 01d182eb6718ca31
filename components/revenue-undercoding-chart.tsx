"use client";
// Potential gain of undercoded 97110 lines (candidates not dismissed), week by week: the counted loss,
// and beside it, for practices that set ambiguous notes apart, the possible loss (never counted).
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
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
    <ChartBox height={height}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
          <YAxis ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} width={56} />
          <Tooltip
            formatter={(value, name, item) => {
              const datum = item?.payload as UndercodingWeekDatum | undefined;
              const possible = item?.dataKey === "possible";
              return [
                `${usdOfDollars(Number(value), "whole")} (${(possible ? datum?.possibleLines : datum?.lines) ?? 0} lines)`,
                String(name),
              ];
            }}
            labelFormatter={(l) => `Week of ${l}`}
          />
          {showPossible ? <Legend wrapperStyle={{ fontSize: 11 }} /> : null}
          <Bar
            dataKey="gain"
            name={showPossible ? "Counted loss" : "Potential gain"}
            fill={CHART_COLORS.undercoding}
            isAnimationActive={false}
            onClick={(bar) => {
              const week = (bar as { payload?: UndercodingWeekDatum }).payload?.week;
              if (week) router.push(`/revenue/lines?metric=undercoding&week=${week}`);
            }}
          />
          {showPossible ? (
            <Bar dataKey="possible" name="Possible loss (not counted)" fill={CHART_COLORS.undercodingPossible} isAnimationActive={false} />
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
