"use client";
// Each therapist's 97530 share of 97530 + 97110 units against the practice's share (the line).
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
import { CHART_COLORS, formatRatio } from "./chart-format";

export interface TherapistShareDatum {
  name: string;
  share: number;
  units97530: number;
  units97110: number;
}

export function UndercodingTherapistChart({
  data,
  practiceShare,
  height,
}: {
  data: TherapistShareDatum[];
  practiceShare: number | null;
  height?: number;
}) {
  if (data.length === 0) return <p className="text-sm text-slate-600">No 97110 or 97530 unit in this period.</p>;
  const chartHeight = height ?? Math.max(160, 40 + data.length * 28);
  return (
    <ChartBox height={chartHeight}>
      <ResponsiveContainer width="100%" height={chartHeight} initialDimension={{ width: 560, height: chartHeight }}>
        <BarChart data={data} layout="vertical" margin={{ top: 16, right: 48, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 1]} tickFormatter={(v) => formatRatio(Number(v))} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} />
          <Tooltip
            formatter={(value, _n, item) => {
              const datum = item?.payload as TherapistShareDatum | undefined;
              return [
                `${formatRatio(Number(value))} (${datum?.units97530 ?? 0} of ${(datum?.units97530 ?? 0) + (datum?.units97110 ?? 0)} units)`,
                "97530 share",
              ];
            }}
          />
          <Bar dataKey="share" name="97530 share" isAnimationActive={false}>
            {data.map((d) => (
              <Cell
                key={d.name}
                fill={practiceShare !== null && d.share < practiceShare ? CHART_COLORS.therapistLow : CHART_COLORS.therapist}
              />
            ))}
          </Bar>
          {practiceShare !== null ? (
            <ReferenceLine
              x={practiceShare}
              stroke={CHART_COLORS.practice}
              strokeDasharray="4 3"
              label={{ value: `Practice ${formatRatio(practiceShare)}`, position: "top", fontSize: 11, fill: CHART_COLORS.practice }}
            />
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
