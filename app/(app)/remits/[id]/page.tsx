import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { CodesOnPage } from "@/components/code-meanings";
import { type RemitClaimView, RemitClaims } from "@/components/remit-claims";
import { Pager } from "@/components/pager";
import { pageQuery } from "@/lib/schemas/search-params";
import { modifiersText } from "@/components/remit-format";
import { auditRead } from "@/lib/server/core/audit";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { DENIAL_CAUSE_INFO, isDenialCause } from "@/lib/billing/denialCauses";
import { groupText, plbText, REMIT_PAGE_CLAIMS, remitPaymentDetail } from "@/lib/server/remits/queries";
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
      pageSize={REMIT_PAGE_CLAIMS}
      href={(n) => `/remits/${payment.id}${n > 1 ? `?page=${n}` : ""}#claims`}
    />
  );
  const signedBalance = claimsPaid - plbTotal;
  const mayMatch = can(ctx.role, "remits.match");
  // each adjustment and remark code of the page with its meaning, listed once under the claims
  const meanings = new Map<string, string>();
  const meaning = (key: string, code: string, text: string | undefined) => {
    if (text) meanings.set(key, text);
    return code;
  };
  const claimViews: RemitClaimView[] = payment.claims.map((c) => ({
    id: c.id,
    number: c.patientControlNumber,
    status: `status ${c.statusCode}${texts.CLP02.get(c.statusCode) ? ` — ${texts.CLP02.get(c.statusCode)}` : ""}`,
    ...(c.payerClaimNumber ? { payerClaimNumber: c.payerClaimNumber } : {}),
    patient: `${c.patientName ? nameInOwnCase(c.patientName) : "—"}${c.memberId ? ` (member ${c.memberId})` : ""}${
      c.claim ? ` · ours: ${c.claim.patient.lastName}, ${c.claim.patient.firstName} (${c.claim.patient.externalId})` : ""
    }`,
    matched: c.matchStatus === "MATCHED",
    figures: `Charge ${usd(c.chargeCents)} · paid ${usd(c.paidCents)} · patient responsibility ${usd(c.patientRespCents)}`,
    adjustments: [
      ...c.adjustments.map(
        (a) =>
          `Claim adjustment ${usd(a.amountCents)}: ${meaning(a.reasonCode, `${a.groupCode}-${a.reasonCode}`, texts.CARC.get(a.reasonCode))} (${groupText(a.groupCode)})`,
      ),
      ...c.remarkCodes.map((r) => `Claim remark ${meaning(r, r, texts.RARC.get(r))}`),
    ],
    lines: c.lines.map((l) => ({
      id: l.id,
      date: l.serviceDate ? dateText(l.serviceDate) : "—",
      code: `${l.cpt} ${modifiersText(l.modifiers)}`.trim(),
      ...(l.paidCpt ? { paidAs: l.paidCpt } : {}),
      ...(ROLE_NOTES[l.netRole] ? { note: ROLE_NOTES[l.netRole] } : {}),
      units: l.units,
      charge: usd(l.chargeCents),
      allowed: usd(l.allowedCents),
      paid: usd(l.paidCents),
      ...(l.noPrice ? { expected: l.noPrice, noPrice: true as const } : { expected: usd(l.expectedAllowedCents) }),
      ...(l.varianceCents && l.varianceCents > 0 && !l.denialCause ? { underpaid: usd(l.varianceCents) } : {}),
      codes: [
        ...l.adjustments.map(
          (a) => `${usd(a.amountCents)} ${meaning(a.reasonCode, `${a.groupCode}-${a.reasonCode}`, texts.CARC.get(a.reasonCode))}`,
        ),
        ...l.remarkCodes.map((r) => `Remark ${meaning(r, r, texts.RARC.get(r))}`),
      ],
      ...(l.denialCause
        ? {
            denial: {
              cause: l.denialCause,
              label: isDenialCause(l.denialCause) ? DENIAL_CAUSE_INFO[l.denialCause].label.toLowerCase() : "other",
            },
          }
        : {}),
      ...(l.serviceLine ? { ours: `visit ${l.serviceLine.visit.externalId} line ${l.serviceLine.lineOrder + 1}` } : {}),
    })),
  }));
  const codesOnPage = [...meanings].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
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
      <RemitClaims claims={claimViews} unmatch={mayMatch ? unmatchLine : undefined} />
      {claimCount > payment.claims.length ? claimsPager("the claims, again at the end") : null}
      <CodesOnPage codes={codesOnPage.map(([code, text]) => ({ code, text }))} className="card text-sm" />

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
