"use client";
// The undercoding page's therapists: the chart of each one's 97530 share against the practice's
// and the table beside it, drawn from one list of plain figures. A client component so that the
// page's data carries each therapist once as a few numbers, not as the chart's data and a tree of
// table cells besides (a practice of 60 therapists sent 31 KB of table cells in the page's data).
import Link from "./link";
import { formatCount, formatRatio } from "./chart-format";
import { UndercodingTherapistChart } from "./undercoding-therapist-chart";
import { usd } from "@/lib/ui/money";

export interface TherapistFigures {
  therapistId: number;
  name: string;
  units97530: number;
  units97110: number;
  share97530: number | null;
  candidateLines: number;
  gainCents: number;
}

/** `hrefBase`: the page's address with its filters, to which a row's link adds its therapist */
export function UndercodingTherapists({
  rows,
  practiceShare,
  hrefBase,
}: {
  rows: TherapistFigures[];
  practiceShare: number | null;
  hrefBase: string;
}) {
  return (
    <>
      <UndercodingTherapistChart
        data={rows.map((t) => ({ name: t.name, share: t.share97530 ?? 0, units97530: t.units97530, units97110: t.units97110 }))}
        practiceShare={practiceShare}
      />
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Therapist</th>
            <th scope="col" className="num">
              97530 units
            </th>
            <th scope="col" className="num">
              97110 units
            </th>
            <th scope="col" className="num">
              97530 share
            </th>
            <th scope="col" className="num">
              vs practice
            </th>
            <th scope="col" className="num">
              Candidates
            </th>
            <th scope="col" className="num">
              Potential gain
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.therapistId}>
              <td>
                <Link href={`${hrefBase}${hrefBase.includes("?") ? "&" : "?"}therapist=${t.therapistId}`}>{t.name}</Link>
              </td>
              <td className="num">{formatCount(t.units97530)}</td>
              <td className="num">{formatCount(t.units97110)}</td>
              <td className="num">{formatRatio(t.share97530)}</td>
              <td className="num">
                {t.share97530 !== null && practiceShare !== null
                  ? `${t.share97530 >= practiceShare ? "+" : "−"}${(Math.abs(t.share97530 - practiceShare) * 100).toFixed(1)} pts`
                  : "—"}
              </td>
              <td className="num">{formatCount(t.candidateLines)}</td>
              <td className="num">{usd(t.gainCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
