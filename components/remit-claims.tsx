"use client";
// The claims of one page of a payment with their lines, drawn from plain figures the page has
// already put in words (dollars, dates, codes). The page's data then carries each claim and line
// once as a few fields, not as a tree of cells beside the HTML; the codes' meanings are listed
// once under the claims (nearly every line of a payment carries CO-45, whose meaning is 380
// characters). A page of 50 claims of the largest payment at a million visits was 443 KB.
import Link from "./link";
import { ConfirmButton } from "./forms";
import type { ActionResult } from "@/lib/ui/action-result";

export interface RemitLineView {
  id: number;
  date: string;
  /** the code as billed with its modifiers */
  code: string;
  /** the code the payer paid when it recoded the line */
  paidAs?: string;
  /** what netting made of the line (a reversal, a duplicate …), in words */
  note?: string;
  units: number;
  charge: string;
  allowed: string;
  paid: string;
  /** the expected allowed amount, or why there is none */
  expected: string;
  noPrice?: true;
  underpaid?: string;
  /** adjustments ("$20.00 CO-45") and remarks ("Remark N130"), in the payer's order */
  codes: string[];
  denial?: { cause: string; label: string };
  /** our line ("visit V1 line 2"); none when not matched */
  ours?: string;
}

export interface RemitClaimView {
  id: number;
  number: string;
  status: string;
  payerClaimNumber?: string;
  patient: string;
  matched: boolean;
  figures: string;
  /** claim-level adjustments and remarks, in words */
  adjustments: string[];
  lines: RemitLineView[];
}

const UNMATCH_CONFIRM = "Put this line back in the unmatched worklist? Its allowed amount stops counting for the line.";

export function RemitClaims({
  claims,
  unmatch,
}: {
  claims: RemitClaimView[];
  /** the unmatch action, for a person who may match (else no button) */
  unmatch?: (input: { remitLineId: number }) => Promise<ActionResult<unknown>>;
}) {
  return claims.map((c) => (
    <section key={c.id} className="card space-y-2" aria-label={`Claim ${c.number}`}>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 className="text-lg font-semibold">{`Claim ${c.number}`}</h2>
        <span className="text-sm">{c.status}</span>
        {c.payerClaimNumber ? <span className="text-sm text-slate-600">payer claim # {c.payerClaimNumber}</span> : null}
        <span className="text-sm">{`Patient: ${c.patient}`}</span>
        {c.matched ? (
          <span className="badge bg-green-100 text-green-800">matched</span>
        ) : (
          <Link href="/remits/unmatched" className="badge bg-amber-100 text-amber-800">
            not matched
          </Link>
        )}
      </div>
      <p className="text-sm">{c.figures}</p>
      {c.adjustments.length ? (
        <ul className="text-sm">
          {c.adjustments.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      ) : null}
      {c.lines.length ? (
        <table className="data remit-lines">
          <thead>
            <tr>
              <th>Date</th>
              <th>Code</th>
              <th>Units</th>
              <th>Charge</th>
              <th>Allowed</th>
              <th>Paid</th>
              <th>Expected</th>
              <th>Adjustments and remarks</th>
              <th>Our line</th>
            </tr>
          </thead>
          <tbody>
            {c.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.date}</td>
                <td>
                  {l.code}
                  {l.paidAs ? <div className="text-xs font-semibold text-amber-900">paid as {l.paidAs}</div> : null}
                  {l.note ? <div className="text-xs font-semibold text-amber-900">{l.note}</div> : null}
                </td>
                <td>{l.units}</td>
                <td>{l.charge}</td>
                <td>{l.allowed}</td>
                <td>{l.paid}</td>
                <td>
                  {l.noPrice ? <span className="text-xs text-amber-900">{l.expected}</span> : l.expected}
                  {l.underpaid ? <div className="text-xs text-red-700">underpaid {l.underpaid}</div> : null}
                </td>
                <td>
                  {l.codes.join(" · ")}
                  {l.denial ? (
                    <div>
                      <Link href={`/denials?cause=${l.denial.cause}`} className="badge bg-red-100 text-red-800">
                        denied: {l.denial.label}
                      </Link>
                    </div>
                  ) : null}
                </td>
                <td>
                  {l.ours ? (
                    <>
                      {l.ours}
                      {unmatch ? (
                        <div className="no-print mt-1">
                          <ConfirmButton action={unmatch} input={{ remitLineId: l.id }} label="Unmatch" confirm={UNMATCH_CONFIRM} />
                        </div>
                      ) : null}
                    </>
                  ) : (
                    <Link href="/remits/unmatched">not matched</Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600">No service lines: adjudicated at the claim level.</p>
      )}
    </section>
  ));
}
