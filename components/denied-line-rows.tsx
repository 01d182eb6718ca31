"use client";
// The rows of the denied lines behind a denial figure, drawn from plain figures the page has
// already put in words: the page's data carries each line once as a few fields, not as a tree
// of cells beside the HTML, so a page of 50 lines stays under 150 KB.
import Link from "./link";

export interface DeniedLineView {
  id: number;
  date: string;
  payer: string;
  claim: string;
  paymentId: number;
  matched: boolean;
  patient: string;
  code: string;
  charge: string;
  paid: string;
  expected: string;
  cause: string;
  /** the cause's fix, when the list mixes causes */
  fix: string | null;
  codes: string;
}

export function DeniedLineRows({ rows }: { rows: DeniedLineView[] }) {
  return rows.map((l) => (
    <tr key={l.id}>
      <td className="whitespace-nowrap">{l.date}</td>
      <td>{l.payer}</td>
      <td>
        <Link href={`/remits/${l.paymentId}`}>{l.claim}</Link>
        {l.matched ? null : <div className="text-xs text-amber-700">not matched</div>}
      </td>
      <td>{l.patient}</td>
      <td className="whitespace-nowrap">{l.code}</td>
      <td className="num">{l.charge}</td>
      <td className="num">{l.paid}</td>
      <td className="num">{l.expected}</td>
      <td>{l.fix ? <span title={l.fix}>{l.cause}</span> : l.cause}</td>
      <td className="text-xs">{l.codes}</td>
    </tr>
  ));
}
