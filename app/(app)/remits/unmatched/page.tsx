import { usd } from "@/lib/ui/money";
import { nameInOwnCase } from "@/lib/ui/words";
import Link from "@/components/link";
import { auditRead } from "@/lib/server/core/audit";
import { ActionForm, FieldError } from "@/components/forms";
import { Pager } from "@/components/pager";
import { pageQuery } from "@/lib/schemas/search-params";
import { modifiersText } from "@/components/remit-format";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { type AttentionClaim, remitsNeedingAttention } from "@/lib/server/remits/attention";
import { unmatchedWorklist } from "@/lib/server/remits/unmatched";
import { matchRemitClaim, matchRemitLine } from "../actions";
import { dateText } from "@/lib/ui/dates";
import { CARD_PAGE_SIZE } from "@/lib/ui/paging";

export const metadata = { title: "Unmatched remits · Therapy Revenue" };

export default async function UnmatchedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("remits.read");
  const mayMatch = can(ctx.role, "remits.match");
  const query = pageQuery("/remits/unmatched", await searchParams);
  const claimPage = query.page ?? 1;
  const linePage = query.linesPage ?? 1;
  const worklist = await unmatchedWorklist(ctx.practiceId, claimPage, linePage);
  // each list keeps the other's page
  const href = (claims: number, lines: number, anchor: string) => {
    const search = new URLSearchParams();
    if (claims > 1) search.set("page", String(claims));
    if (lines > 1) search.set("linesPage", String(lines));
    const queryString = search.toString();
    return `/remits/unmatched${queryString ? `?${queryString}` : ""}#${anchor}`;
  };
  const attention = await remitsNeedingAttention(ctx.practiceId);
  // remitted claims name patients (as the payer sent them), and the suggestions our visits' patients
  await auditRead(ctx, {
    action: "remits.view_unmatched",
    entityType: "RemitClaim",
    details: { claims: worklist.claimCount, lines: worklist.lineCount, claimPage, linePage },
    patientIds: [
      ...worklist.claims.map((c) => c.patientId),
      ...[...attention.unmatchedReversals, ...attention.duplicates].map((c) => c.patientId),
    ],
  });
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/remits">← Remits</Link>
      </p>
      <h1 className="text-2xl font-semibold">Unmatched remits</h1>
      <p className="text-sm text-slate-600">
        Remitted claims whose claim number is not one of ours and no patient/date/code pointed to a visit, and remitted lines that found no
        line on their claim. Matching one confirms its allowed amount (the KX totals follow).
      </p>

      <section className="card space-y-3" aria-labelledby="claims-heading">
        <h2 id="claims-heading" className="text-lg font-semibold">
          Claims ({worklist.claimCount}, newest first)
        </h2>
        {worklist.claimCount === 0 ? <p className="text-sm text-slate-600">Every remitted claim is matched.</p> : null}
        {worklist.claims.map((claim) => {
          const suggestions = worklist.claimSuggestions.get(claim.id) ?? [];
          return (
            <article
              key={claim.id}
              className="rounded border border-slate-200 p-3 text-sm"
              aria-label={`Remitted claim ${claim.patientControlNumber}`}
            >
              {/* each run of text one string: fewer nodes in the HTML and in the data the page carries */}
              <p>
                <span className="font-semibold">{claim.patientControlNumber || "(no claim number)"}</span>
                {` · ${claim.patientName ? nameInOwnCase(claim.patientName) : "no patient name"}${claim.memberId ? ` (member ${claim.memberId})` : ""} · ${nameInOwnCase(claim.payment.payerName)} `}
                <Link href={`/remits/${claim.payment.id}`}>{`payment ${claim.payment.traceNumber}`}</Link>
                {` · charge ${usd(claim.chargeCents)} · paid ${usd(claim.paidCents)}`}
              </p>
              <ul className="ml-4 list-disc text-slate-700">
                {claim.lines.map((l) => (
                  <li key={l.id}>
                    {`${l.serviceDate ? dateText(l.serviceDate) : "no date"} ${l.cpt} ${modifiersText(l.modifiers)} · charge ${usd(l.chargeCents)} · allowed ${usd(l.allowedCents)} · paid ${usd(l.paidCents)}`}
                  </li>
                ))}
              </ul>
              {mayMatch ? (
                <ActionForm
                  action={matchRemitClaim}
                  submitLabel="Match claim"
                  successMessage="Matched"
                  className="mt-2 flex flex-wrap items-end gap-2"
                >
                  <input type="hidden" name="remitClaimId" value={claim.id} />
                  <div>
                    <label className="label" htmlFor={`claim-${claim.id}`}>
                      Our claim number
                    </label>
                    <input id={`claim-${claim.id}`} name="claimNumber" className="input" list={`claims-${claim.id}`} required />
                    <datalist id={`claims-${claim.id}`}>
                      {suggestions.map((s) => (
                        <option key={s.pcn} value={s.pcn}>
                          {`${s.patient} ${dateText(s.date)}`}
                        </option>
                      ))}
                    </datalist>
                    <FieldError name="claimNumber" />
                  </div>
                  {suggestions.length ? (
                    <p className="text-xs text-slate-600">
                      Visits that day: {suggestions.map((s) => `${s.pcn} (${s.patient})`).join(", ")}
                    </p>
                  ) : null}
                </ActionForm>
              ) : null}
            </article>
          );
        })}
        <Pager
          label="the unmatched claims"
          page={claimPage}
          total={worklist.claimCount}
          noun={["claim", "claims"]}
          pageSize={CARD_PAGE_SIZE}
          scroll={false}
          href={(n) => href(n, linePage, "claims-heading")}
        />
      </section>

      <section className="card space-y-3" aria-labelledby="lines-heading">
        <h2 id="lines-heading" className="text-lg font-semibold">
          Lines of matched claims ({worklist.lineCount}, newest first)
        </h2>
        {worklist.lineCount === 0 ? <p className="text-sm text-slate-600">Every line of a matched claim is matched.</p> : null}
        {worklist.lines.map((line) => {
          const options = worklist.lineSuggestions.get(line.id) ?? [];
          return (
            <article key={line.id} className="rounded border border-slate-200 p-3 text-sm" aria-label={`Remitted line ${line.cpt}`}>
              <p>
                {`Claim ${line.remitClaim.patientControlNumber} (${line.remitClaim.patientName ? nameInOwnCase(line.remitClaim.patientName) : "—"}) · `}
                <Link href={`/remits/${line.remitClaim.payment.id}`}>{nameInOwnCase(line.remitClaim.payment.payerName)}</Link>
                {` · ${line.serviceDate ? dateText(line.serviceDate) : "no date"} ${line.cpt} ${modifiersText(line.modifiers)} ×${line.units} · charge ${usd(line.chargeCents)} · allowed ${usd(line.allowedCents)} · paid ${usd(line.paidCents)}`}
              </p>
              {mayMatch ? (
                <ActionForm
                  action={matchRemitLine}
                  submitLabel="Match line"
                  successMessage="Matched"
                  className="mt-2 flex flex-wrap items-end gap-2"
                >
                  <input type="hidden" name="remitLineId" value={line.id} />
                  <div>
                    <label className="label" htmlFor={`line-${line.id}`}>
                      Our line
                    </label>
                    {options.length ? (
                      <select id={`line-${line.id}`} name="serviceLineId" className="input" required>
                        {options.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={`line-${line.id}`}
                        name="serviceLineId"
                        className="input"
                        inputMode="numeric"
                        placeholder="service line id"
                        required
                      />
                    )}
                    <FieldError name="serviceLineId" />
                  </div>
                </ActionForm>
              ) : null}
            </article>
          );
        })}
        <Pager
          label="the unmatched lines"
          page={linePage}
          total={worklist.lineCount}
          noun={["line", "lines"]}
          pageSize={CARD_PAGE_SIZE}
          scroll={false}
          href={(n) => href(claimPage, n, "lines-heading")}
        />
      </section>
      <AttentionSection
        id="reversals-heading"
        title="Reversals without their original"
        intro="A payer took back a payment that is not on file (paid on paper before the app, or in a file never imported). It changes no figure here; the correction that follows stands alone. Find the original payment and reconcile it by hand."
        empty="None: every reversal took back a payment on file."
        claims={attention.unmatchedReversals}
      />
      <AttentionSection
        id="duplicates-heading"
        title="Possible duplicate payments (money to refund)"
        intro="The same claim payment (same payer, claim number, status, charge, paid and lines) arrived again under another check or EFT number. It is counted once in every figure; the repeat is money the payer may ask back."
        empty="None."
        claims={attention.duplicates}
      />
      {mayMatch ? (
        <p className="text-xs text-slate-600">
          A line matched to the wrong one of ours can be put back here with “Unmatch” on its remit page.
        </p>
      ) : null}
    </div>
  );
}

function AttentionSection(props: { id: string; title: string; intro: string; empty: string; claims: AttentionClaim[] }) {
  return (
    <section className="card space-y-3" aria-labelledby={props.id}>
      <h2 id={props.id} className="text-lg font-semibold">
        {props.title} ({props.claims.length})
      </h2>
      <p className="text-sm text-slate-600">{props.intro}</p>
      {props.claims.length === 0 ? <p className="text-sm text-slate-600">{props.empty}</p> : null}
      {props.claims.map((c) => (
        <article
          key={c.remitClaimId}
          className="rounded border border-slate-200 p-3 text-sm"
          aria-label={`${props.title}: claim ${c.patientControlNumber}`}
        >
          <p>
            <span className="font-semibold">{`Claim ${c.patientControlNumber}`}</span>
            {` · ${c.patientName ? nameInOwnCase(c.patientName) : "no patient name"} · ${nameInOwnCase(c.payerName)} `}
            <Link href={`/remits/${c.paymentId}`}>{`payment ${c.traceNumber}`}</Link>
            {`${c.paymentDate ? ` of ${dateText(c.paymentDate)}` : ""} · paid ${usd(c.paidCents)}`}
          </p>
          <ul className="ml-4 list-disc text-slate-700">
            {c.lines.map((l, i) => (
              <li key={i}>
                {`${l.serviceDate ? dateText(l.serviceDate) : "no date"} ${l.cpt}${l.paidCode ? ` (paid as ${l.paidCode})` : ""} · paid ${usd(l.paidCents)}`}
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
