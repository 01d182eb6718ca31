"use client";
// The running total of one pool across the year, visit by visit, as a step line with the
// alert level, the KX threshold and the review threshold drawn across it and the visits
// that crossed each level marked. Fed plain numbers (dollars) by the page.
import { usdOfDollars } from "@/lib/ui/money";
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ThresholdChartPoint {
  /** 0 is the start of the year (the amount used elsewhere), then visit 1, 2, ... */
  visit: number;
  /** running total after the visit, in dollars */
  total: number;
  /** date of service, for the tooltip and the axis */
  date: string;
}

export interface ThresholdChartProps {
  points: ThresholdChartPoint[];
  levels: { alert: number; kx: number; review: number };
  crossings: { level: "alert" | "kx" | "review"; visit: number; total: number }[];
  height?: number;
  /** a sentence describing the chart for screen readers */
  summary: string;
  animate?: boolean;
}

const COLORS = { alert: "#b45309", kx: "#b91c1c", review: "#6b21a8", line: "#1d5fbf" };
const NAMES = { alert: "Alert", kx: "KX", review: "Review" };

export function ThresholdChart({ points, levels, crossings, height = 280, summary, animate = false }: ThresholdChartProps) {
  const top = Math.max(levels.review * 1.12, ...points.map((p) => p.total * 1.05));
  const dateOf = new Map(points.map((p) => [p.visit, p.date]));
  return (
    <figure aria-label={summary} className="w-full">
      <div style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={points} margin={{ top: 12, right: 96, bottom: 8, left: 12 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis
              dataKey="visit"
              type="number"
              domain={[0, Math.max(1, points.length - 1)]}
              allowDecimals={false}
              tickFormatter={(v: number) => (v === 0 ? "start" : `#${v}`)}
              label={{ value: "visit", position: "insideBottomRight", offset: -4 }}
            />
            <YAxis domain={[0, Math.ceil(top / 500) * 500]} tickFormatter={(v: number) => usdOfDollars(v, "whole")} width={72} />
            <Tooltip
              formatter={(value) => [usdOfDollars(Number(value)), "running total"]}
              labelFormatter={(v) => (Number(v) === 0 ? "used elsewhere (start of year)" : `visit ${v} · ${dateOf.get(Number(v)) ?? ""}`)}
            />
            {(["alert", "kx", "review"] as const).map((name) => (
              <ReferenceLine
                key={name}
                y={levels[name]}
                stroke={COLORS[name]}
                strokeDasharray={name === "alert" ? "4 4" : undefined}
                label={{
                  value: `${NAMES[name]} ${usdOfDollars(levels[name], "whole")}`,
                  position: "right",
                  fill: COLORS[name],
                  fontSize: 11,
                }}
              />
            ))}
            <Line type="stepAfter" dataKey="total" stroke={COLORS.line} strokeWidth={2} dot={{ r: 2 }} isAnimationActive={animate} />
            {crossings.map((c) => (
              <ReferenceDot key={c.level} x={c.visit} y={c.total} r={5} fill={COLORS[c.level]} stroke="#fff" ifOverflow="extendDomain" />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-600">
        {summary}{" "}
        {crossings.length ? (
          <span>
            Marked:{" "}
            {crossings.map((c, i) => (
              <span key={c.level}>
                {i ? ", " : ""}
                <span style={{ color: COLORS[c.level] }}>●</span> {NAMES[c.level]} crossed at visit {c.visit}
              </span>
            ))}
            .
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
