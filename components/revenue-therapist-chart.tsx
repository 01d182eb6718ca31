"use client";
// Each therapist's revenue over the 13 weeks: expected allowed (what the services are worth
// under the contracts) and paid so far.
import { usdOfDollars, usdTick } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartBox } from "./chart-box";
import { niceDomain, niceTicks } from "@/lib/ui/ticks";
import { CHART_COLORS } from "./chart-format";

export interface TherapistRevenueDatum {
  therapistId: number;
  name: string;
  expected: number;
  paid: number;
}

export function RevenueTherapistChart({ data, week, height = 260 }: { data: TherapistRevenueDatum[]; week: string; height?: number }) {
  const router = useRouter();
  if (data.length === 0) return <p className="text-sm text-slate-600">No visit in these 13 weeks.</p>;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => Math.max(d.expected, d.paid))), { maxIntervals: 3 });
  return (
    <ChartBox height={Math.max(height, 60 + data.length * 36)}>
      <ResponsiveContainer width="100%" height={Math.max(height, 60 + data.length * 36)} initialDimension={{ width: 560, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" ticks={ticks} domain={niceDomain(ticks)} tickFormatter={usdTick} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v, name) => [usdOfDollars(Number(v), "whole"), String(name)]} />
          <Legend />
          <Bar
            dataKey="expected"
            name="Expected allowed"
            fill={CHART_COLORS.expected}
            isAnimationActive={false}
            onClick={(bar) => {
              const id = (bar as { payload?: TherapistRevenueDatum }).payload?.therapistId;
              if (id) router.push(`/revenue/lines?metric=expected&week=${week}&weeks=13&therapist=${id}`);
            }}
          />
          <Bar dataKey="paid" name="Paid" fill={CHART_COLORS.paid} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartBox>
  );
}
