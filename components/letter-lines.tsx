"use client";
// The lines of an appeal letter's part, drawn from plain figures the page has already put in
// words (dollars, dates, contract terms): the page's data carries each line once as a few fields,
// not as a tree of cells beside the HTML; the contract terms (a sentence of up to 200 characters,
// the same for every line of a code under a contract) are sent once each, each line naming its
// term by number; the codes' meanings are listed once under the table. A part of 100 lines then
// stays under 150 KB.

export interface LetterLineView {
  id: number;
  /** our claim number ("—" when the visit has none) */
  claim: string;
  payerClaimNumber?: string;
  patientName: string;
  patient: string;
  date: string;
  cpt: string;
  /** "billed 97530 GP ×2" */
  billed: string;
  paidAs?: string;
  /** the contract term in force, as its index in `terms` */
  term: number;
  expected: string;
  allowed: string;
  difference: string;
  /** "CO-45 (contractual obligation) $39.82", "Remark N130" */
  codes: string[];
}

export function LetterLines({ lines, terms }: { lines: LetterLineView[]; terms: string[] }) {
  return lines.map((l) => (
    <tr key={l.id} data-testid="letter-line" data-claim={l.claim === "—" ? "" : l.claim} data-cpt={l.cpt}>
      <td>
        {l.patientName}
        <div className="text-xs">patient {l.patient}</div>
      </td>
      <td className="whitespace-nowrap">{l.date}</td>
      <td>
        {l.claim}
        {l.payerClaimNumber ? <div className="text-xs">your claim {l.payerClaimNumber}</div> : null}
      </td>
      <td className="whitespace-nowrap">
        {l.billed}
        {l.paidAs ? <div className="text-xs font-semibold">paid as {l.paidAs}</div> : null}
      </td>
      <td className="text-xs">{terms[l.term]}</td>
      <td className="num">{l.expected}</td>
      <td className="num">{l.allowed}</td>
      <td className="num font-semibold">{l.difference}</td>
      <td className="text-xs">
        {l.codes.map((c, i) => (
          <div key={i}>{c}</div>
        ))}
      </td>
    </tr>
  ));
}
