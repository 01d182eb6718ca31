"use client";
// Expected allowed versus paid, week by week (service weeks). Plain numbers in dollars from the
// weekly rollup, every week present; a week whose remits have not arrived has no paid figure
// (a gap, shaded "awaiting remits"), never a paid $0. A click on a week opens its paid lines.
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
import { niceDomain, niceTicks } from "@/lib/ui/ticks";
import { CHART_COLORS } from "./chart-format";

export interface TrendDatum {
  week: string;
  label: string;
  expected: number;
  /** null while the week's remits have not arrived */
  paid: number | null;
  awaitingRemits: boolean;
}

/** The runs of consecutive weeks awaiting remits, as [first label, last label]. */
function pendingRuns(data: TrendDatum[]): [string, string][] {
  const runs: [string, string][] = [];
  let start: string | null = null;
  data.forEach((week, weekIndex) => {
    if (week.awaitingRemits && start === null) start = week.label;
    const next = data[weekIndex + 1];
    if (start !== null && !next?.awaitingRemits) {
      runs.push([start, week.label]);
      start = null;
    }
  });
  return runs;
}

export function RevenueTrendChart({ data, height = 260, variant }: { data: TrendDatum[]; height?: number; variant: "bars" | "lines" }) {
  const router = useRouter();
  const open = (week: string | undefined) => {
    if (week) router.push(`/revenue/lines?metric=paid&week=${week}`);
  };
  const ticks = niceTicks(Math.max(0, ...data.map((d) => Math.max(d.expected, d.paid ?? 0))));
  const runs = pendingRuns(data);
  return (
    <ChartBox height={height}>
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
          <YAxis ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} width={56} />
          <Tooltip
            formatter={(v, name, item) =>
              name === "Paid" && (item?.payload as TrendDatum | undefined)?.awaitingRemits
                ? "awaiting remits"
                : usdOfDollars(Number(v), "whole")
            }
            labelFormatter={(l) => `Week of ${l}`}
          />
          <Legend />
          {runs.map(([x1, x2]) => (
            <ReferenceArea
              key={x1}
              x1={x1}
              x2={x2}
              fill="#e2e8f0"
              fillOpacity={0.6}
              ifOverflow="extendDomain"
              label={{ value: "awaiting remits", position: "insideTop", fontSize: 11, fill: "#334155" }}
            />
          ))}
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
              {/* no line through the weeks awaiting remits: the paid line stops, it does not drop to $0 */}
              <Line
                dataKey="paid"
                name="Paid"
                stroke={CHART_COLORS.paid}
                dot={false}
                strokeWidth={2}
                connectNulls={false}
                isAnimationActive={false}
              />
            </>
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
