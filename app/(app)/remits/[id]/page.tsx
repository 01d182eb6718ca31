import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ConfirmButton } from "@/components/forms";
import { Pager } from "@/components/pager";
import { pageQuery } from "@/lib/schemas/search-params";
import { modifiersText } from "@/components/remit-format";
import { auditRead } from "@/lib/server/audit";
import { pageContext } from "@/lib/server/guard";
import { can } from "@/lib/server/permissions";
import { DENIAL_CAUSE_INFO, isDenialCause } from "@/lib/server/denials/causes";
import { groupText, plbText, remitPaymentDetail } from "@/lib/server/remits/queries";
import { unmatchLine } from "../actions";
import { dateText } from "@/lib/ui/dates";
import { nameInOwnCase, paymentMethodInWords } from "@/lib/ui/words";

export const metadata = { title: "Remit · Therapy Revenue" };

function Explained({ code, text }: { code: string; text: string | undefined }) {
  return (
    <>
      <span className="font-mono">{code}</span>
      {text ? <span className="text-slate-600"> — {text}</span> : null}
    </>
  );
}

export default async function RemitPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext("remits.read");
  const { id } = await params;
  const page = pageQuery("/remits/[id]", await searchParams).page ?? 1;
  const detail = await remitPaymentDetail(ctx.practiceId, Number(id), page);
  if (!detail) notFound();
  const { payment, texts, plbTotal, claimsPaid, claimCount } = detail;
  await auditRead(ctx, { action: "remit.view", entityType: "RemitPayment", entityId: payment.id, details: { page } });
  const claimsPager = (label: string) => (
    <Pager
      label={label}
      page={page}
      total={claimCount}
      noun={["claim", "claims"]}
      href={(n) => `/remits/${payment.id}${n > 1 ? `?page=${n}` : ""}#claims`}
    />
  );
  const signedBalance = claimsPaid - plbTotal;
  const mayMatch = can(ctx.role, "remits.match");
  return (
    <div className="space-y-6">
      <p className="text-sm no-print">
        <Link href="/remits">← Remits</Link>
      </p>
      <header className="card space-y-1">
        <h1 className="text-2xl font-semibold">
          {nameInOwnCase(payment.payerName)}: {payment.source === "PAPER_EOB" ? "check" : payment.method === "CHK" ? "check" : "payment"}{" "}
          {payment.traceNumber}
        </h1>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
          <dt className="text-slate-600">Amount</dt>
          <dd className="font-semibold">{usd(payment.paymentCents)}</dd>
          <dt className="text-slate-600">Date</dt>
          <dd>{payment.paymentDate ? dateText(payment.paymentDate) : "—"}</dd>
          <dt className="text-slate-600">Method</dt>
          <dd>{paymentMethodInWords(payment.method)}</dd>
          <dt className="text-slate-600">Source</dt>
          <dd>{payment.source === "PAPER_EOB" ? "paper EOB entered by hand" : `835 file ${payment.remitFile?.fileName ?? ""}`}</dd>
          <dt className="text-slate-600">Payee</dt>
          <dd>
            {payment.payeeName ? nameInOwnCase(payment.payeeName) : "—"}
            {payment.payeeNpi ? ` (NPI ${payment.payeeNpi})` : ""}
          </dd>
          <dt className="text-slate-600">Paid on its claims</dt>
          <dd>{usd(claimsPaid)}</dd>
          <dt className="text-slate-600">Adjustments to the practice (interest, recoupments)</dt>
          <dd>{usd(plbTotal)}</dd>
          <dt className="text-slate-600">Paid on claims less those adjustments</dt>
          <dd>
            {usd(signedBalance)}
            {signedBalance === payment.paymentCents ? (
              " ✓ balances"
            ) : (
              <span className="field-error"> does not equal the payment amount</span>
            )}
          </dd>
        </dl>
        <details className="text-sm" data-technical>
          <summary className="cursor-pointer text-slate-600">Technical details</summary>
          <dl className="mt-1 grid grid-cols-2 gap-x-6 gap-y-1 md:grid-cols-4">
            <dt className="text-slate-600">Payment amount (BPR02)</dt>
            <dd>{usd(payment.paymentCents)}</dd>
            <dt className="text-slate-600">Trace number (TRN02)</dt>
            <dd>{payment.traceNumber}</dd>
            <dt className="text-slate-600">Σ claims paid (CLP04)</dt>
            <dd>{usd(claimsPaid)}</dd>
            <dt className="text-slate-600">Σ provider-level adjustments (PLB)</dt>
            <dd>{usd(plbTotal)}</dd>
            <dt className="text-slate-600">Payment method (BPR04)</dt>
            <dd>{payment.method ?? "—"}</dd>
          </dl>
        </details>
        {Array.isArray(payment.warnings) && payment.warnings.length ? (
          <details className="text-sm" data-technical>
            <summary className="text-amber-700">{payment.warnings.length} warning(s) from the file</summary>
            <ul className="ml-4 list-disc">
              {(payment.warnings as { where: string; message: string }[]).map((w, i) => (
                <li key={i}>
                  <span className="font-mono">{w.where}</span>: {w.message}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </header>

      <div id="claims">{claimsPager("the claims")}</div>
      {payment.claims.map((c) => (
        <section key={c.id} className="card space-y-2" aria-label={`Claim ${c.patientControlNumber}`}>
          <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
            <h2 className="text-lg font-semibold">Claim {c.patientControlNumber}</h2>
            <span className="text-sm">
              <Explained code={`status ${c.statusCode}`} text={texts.CLP02.get(c.statusCode)} />
            </span>
            {c.payerClaimNumber ? <span className="text-sm text-slate-600">payer claim # {c.payerClaimNumber}</span> : null}
            <span className="text-sm">
              Patient: {c.patientName ? nameInOwnCase(c.patientName) : "—"}
              {c.memberId ? ` (member ${c.memberId})` : ""}
              {c.claim ? ` · ours: ${c.claim.patient.lastName}, ${c.claim.patient.firstName} (${c.claim.patient.externalId})` : ""}
            </span>
            {c.matchStatus === "MATCHED" ? (
              <span className="badge bg-green-100 text-green-800">matched</span>
            ) : (
              <Link href="/remits/unmatched" className="badge bg-amber-100 text-amber-800">
                not matched
              </Link>
            )}
          </div>
          <p className="text-sm">
            Charge {usd(c.chargeCents)} · paid {usd(c.paidCents)} · patient responsibility {usd(c.patientRespCents)}
          </p>
          {c.adjustments.length || c.remarkCodes.length ? (
            <ul className="text-sm">
              {c.adjustments.map((a) => (
                <li key={a.id}>
                  Claim adjustment {usd(a.amountCents)}:{" "}
                  <Explained code={`${a.groupCode}-${a.reasonCode}`} text={texts.CARC.get(a.reasonCode)} /> ({groupText(a.groupCode)})
                </li>
              ))}
              {claimCount > payment.claims.length ? claimsPager("the claims, again at the end") : null}
              {c.remarkCodes.map((r) => (
                <li key={r}>
                  Claim remark <Explained code={r} text={texts.RARC.get(r)} />
                </li>
              ))}
            </ul>
          ) : null}
          {c.lines.length ? (
            <table className="data">
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Code</th>
                  <th className="num">Units</th>
                  <th className="num">Charge</th>
                  <th className="num">Allowed</th>
                  <th className="num">Paid</th>
                  <th className="num">Expected</th>
                  <th>Adjustments and remarks</th>
                  <th>Our line</th>
                </tr>
              </thead>
              <tbody>
                {c.lines.map((l) => (
                  <tr key={l.id}>
                    <td className="whitespace-nowrap">{l.serviceDate ? dateText(l.serviceDate) : "—"}</td>
                    <td className="whitespace-nowrap">
                      {l.cpt} {modifiersText(l.modifiers)}
                      {l.paidCpt ? <div className="text-xs font-semibold text-amber-900">paid as {l.paidCpt}</div> : null}
                      {ROLE_NOTES[l.netRole] ? <div className="text-xs font-semibold text-amber-900">{ROLE_NOTES[l.netRole]}</div> : null}
                    </td>
                    <td className="num">{l.units}</td>
                    <td className="num">{usd(l.chargeCents)}</td>
                    <td className="num">{usd(l.allowedCents)}</td>
                    <td className="num">{usd(l.paidCents)}</td>
                    <td className="num">
                      {l.noPrice ? <span className="text-xs text-amber-900">{l.noPrice}</span> : usd(l.expectedAllowedCents)}
                      {l.varianceCents && l.varianceCents > 0 && !l.denialCause ? (
                        <div className="text-xs text-red-700">underpaid {usd(l.varianceCents)}</div>
                      ) : null}
                    </td>
                    <td>
                      <ul className="space-y-0.5">
                        {l.adjustments.map((a, i) => (
                          <li key={`${i}-${a.groupCode}-${a.reasonCode}`}>
                            {usd(a.amountCents)} <Explained code={`${a.groupCode}-${a.reasonCode}`} text={texts.CARC.get(a.reasonCode)} />
                          </li>
                        ))}
                        {l.remarkCodes.map((r) => (
                          <li key={r}>
                            Remark <Explained code={r} text={texts.RARC.get(r)} />
                          </li>
                        ))}
                        {l.denialCause ? (
                          <li>
                            <Link href={`/denials?cause=${l.denialCause}`} className="badge bg-red-100 text-red-800">
                              denied: {isDenialCause(l.denialCause) ? DENIAL_CAUSE_INFO[l.denialCause].label.toLowerCase() : "other"}
                            </Link>
                          </li>
                        ) : null}
                      </ul>
                    </td>
                    <td className="text-xs">
                      {l.serviceLine ? (
                        <>
                          visit {l.serviceLine.visit.externalId} line {l.serviceLine.lineOrder + 1}
                          {mayMatch ? (
                            <div className="no-print mt-1">
                              <ConfirmButton
                                action={unmatchLine}
                                input={{ remitLineId: l.id }}
                                label="Unmatch"
                                confirm="Put this line back in the unmatched worklist? Its allowed amount stops counting for the line."
                              />
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
      ))}

      <section className="card" aria-labelledby="plb-heading">
        <h2 id="plb-heading" className="mb-2 text-lg font-semibold">
          Adjustments to the practice (interest, recoupments, balances forwarded)
        </h2>
        {payment.providerAdjustments.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>Reason</th>
                <th>Reference</th>
                <th>Provider</th>
                <th>Fiscal date</th>
                <th className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {payment.providerAdjustments.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Explained code={p.reasonCode} text={plbText(p.reasonCode) ?? undefined} />
                  </td>
                  <td>{p.reference ?? ""}</td>
                  <td>{p.providerId}</td>
                  <td>{p.fiscalDate ? dateText(p.fiscalDate) : ""}</td>
                  <td className="num">{usd(p.amountCents)}</td>
                </tr>
              ))}
              <tr>
                <td colSpan={4} className="font-semibold">
                  Total ({payment.providerAdjustments.length}); a positive amount is taken from the payment
                </td>
                <td className="num font-semibold">{usd(plbTotal)}</td>
              </tr>
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** What netting made of a line, in the manager's words (lib/billing/remits.ts RemitLineRole). */
const ROLE_NOTES: Record<string, string> = {
  unmatched_reversal: "reversal without its original: counted nowhere",
  duplicate: "possible duplicate payment (money to refund): counted once",
  duplicate_reversed: "duplicate payment taken back by the payer",
  duplicate_reversal: "takes back a duplicate payment",
  secondary: "secondary payer: cash only",
};
