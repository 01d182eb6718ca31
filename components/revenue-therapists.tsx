"use client";
// The revenue page's therapists: the chart of each one's expected allowed and paid over 13 weeks
// and its "The numbers" table, drawn from one list of plain figures. A client component so that
// the page's data carries each therapist once as a few numbers, not as the chart's data and a tree
// of table cells besides (60 therapists sent about 38 KB of table cells in the page's data).
import { usd } from "@/lib/ui/money";
import { dollarsOf } from "@/lib/ui/money";
import { ChartFigure } from "./chart-figure";
import { formatCount, formatRatio } from "./chart-format";
import Link from "./link";
import { RevenueTherapistChart } from "./revenue-therapist-chart";

export interface TherapistRevenueFigures {
  therapistId: number;
  name: string;
  visits: number;
  expectedCents: number;
  paidCents: number;
  units97530: number;
  units97110: number;
  share97530: number | null;
}

export function RevenueTherapists({ rows, week }: { rows: TherapistRevenueFigures[]; week: string }) {
  const lines = (therapistId: number) => `/revenue/lines?metric=expected&week=${week}&weeks=13&therapist=${therapistId}`;
  return (
    <ChartFigure
      caption="Revenue and 97530 share per therapist, 13 weeks"
      chart={
        <RevenueTherapistChart
          data={rows.map((t) => ({
            therapistId: t.therapistId,
            name: t.name,
            expected: dollarsOf(t.expectedCents),
            paid: dollarsOf(t.paidCents),
          }))}
          week={week}
        />
      }
      columns={["Therapist", "Visits", "Expected allowed", "Paid so far", "97530 share"]}
    >
      {rows.map((t) => (
        <tr key={t.therapistId}>
          <td>{t.name}</td>
          <td>{formatCount(t.visits)}</td>
          <td>
            <Link href={lines(t.therapistId)}>{usd(t.expectedCents)}</Link>
          </td>
          <td>{usd(t.paidCents)}</td>
          <td>
            {formatRatio(t.share97530)}{" "}
            <span className="text-xs text-slate-600">
              ({formatCount(t.units97530)} of {formatCount(t.units97530 + t.units97110)} units)
            </span>
          </td>
        </tr>
      ))}
    </ChartFigure>
  );
}
