import { usd } from "@/lib/ui/money";
import { notFound } from "next/navigation";
import { CodeMeaningList } from "@/components/code-meanings";
import { LetterLines } from "@/components/letter-lines";
import { ActionForm, FieldError } from "@/components/forms";
import Link from "@/components/link";
import { PrintButton } from "@/components/print-button";
import { modifiersText } from "@/components/remit-format";
import { auditRead } from "@/lib/server/core/audit";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { todayInZone } from "@/lib/server/underpayments/weeks";
import { appealLetter, LETTER_PART_LINES } from "@/lib/server/underpayments/worklist";
import { pageQuery } from "@/lib/schemas/search-params";
import { dateText } from "@/lib/ui/dates";
import { Pager } from "@/components/pager";
import { savePayerAppealAddress } from "../../actions";

export const metadata = { title: "Appeal letter · Therapy Revenue" };

/** The lines of an address as typed in the settings. */
function Lines({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <>
      {text.split("\n").map((line, i) => (
        <span key={i} className="block">
          {line}
        </span>
      ))}
    </>
  );
}

const COUNT = new Intl.NumberFormat("en-US");

export default async function AppealLetterPage({
  params,
  searchParams,
}: {
  params: Promise<{ payerId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext("underpayments.read");
  const { payerId } = await params;
  const partAsked = pageQuery("/underpayments/letter/[payerId]", await searchParams).part ?? 1;
  const letter = await appealLetter(ctx.practiceId, Number(payerId), {}, { part: partAsked });
  if (!letter) notFound();
  const { part } = letter;
  const partHref = (n: number) => `/underpayments/letter/${letter.payer.id}${n > 1 ? `?part=${n}` : ""}`;
  await auditRead(ctx, {
    action: "underpayment.letter",
    entityType: "Payer",
    entityId: letter.payer.id,
    details: { lines: letter.lines.length, part: part.number, parts: part.parts },
    patientIds: letter.lines.map((l) => l.patientId),
  });
  const today = todayInZone(ctx.practice.timeZone);
  const { practice, payer } = letter;
  const missing = [practice.npi ? null : "NPI", practice.taxId ? null : "tax id", practice.address ? null : "mailing address"].filter(
    (m): m is string => m !== null,
  );
  const mayWork = can(ctx.role, "underpayments.work");
  // each contract term once in the page's data, each line naming its own by number
  const terms = [...new Set(letter.lines.map((l) => l.term))];
  return (
    <article className="appeal-letter mx-auto max-w-4xl space-y-4 bg-white p-3 text-sm sm:p-6 print:p-0">
      <style>{`
        @media print {
          @page { size: letter; margin: 0.6in; }
          main { max-width: none !important; padding: 0 !important; }
          .appeal-letter { font-size: 10pt; }
          .appeal-letter .letter-table { overflow: visible !important; }
          .appeal-letter table { page-break-inside: auto; }
          .appeal-letter tr { page-break-inside: avoid; }
        }
      `}</style>
      <div className="no-print flex flex-wrap items-center gap-3">
        <Link href="/underpayments">← Underpayments</Link>
        <PrintButton label="Print the letter" />
        <a
          className="btn-secondary"
          href={`/underpayments/letter/${payer.id}/pdf${part.number > 1 ? `?part=${part.number}` : ""}`}
          download
        >
          Download {part.parts > 1 ? "this part " : ""}as PDF
        </a>
      </div>
      {part.parts > 1 ? (
        <div className="no-print space-y-1 rounded border border-slate-200 p-2" data-testid="letter-parts">
          <p>
            {payer.name} has {COUNT.format(part.lines)} open or appealed underpaid lines, {usd(part.totalCents)} in all: too many for one
            letter, so the request comes in {COUNT.format(part.parts)} parts of up to {LETTER_PART_LINES} lines each, by date of service.
            Send each part as its own letter.
          </p>
          <Pager
            page={part.number}
            total={part.lines}
            noun={["line", "lines"]}
            pageSize={LETTER_PART_LINES}
            href={partHref}
            label="the letter's parts"
          />
        </div>
      ) : null}
      {missing.length ? (
        <p className="no-print rounded border border-amber-300 bg-amber-50 p-2" role="note">
          The practice's {missing.join(", ")} {missing.length > 1 ? "are" : "is"} not in its settings: payers expect them on an appeal. An
          administrator enters them under Users &amp; settings.
        </p>
      ) : null}

      <header className="flex flex-col gap-4 sm:flex-row sm:justify-between" data-testid="letter-sender">
        <div>
          <p className="font-semibold">{practice.name}</p>
          <p>
            <Lines text={practice.address} />
          </p>
          {practice.npi ? <p>NPI {practice.npi}</p> : null}
          {practice.taxId ? <p>Tax id {practice.taxId}</p> : null}
        </div>
        <p>{dateText(today)}</p>
      </header>
      <div data-testid="letter-recipient">
        <p className="font-semibold">{payer.name}</p>
        <p>Provider Appeals / Reconsideration</p>
        <p>
          <Lines text={payer.appealAddress} />
        </p>
      </div>
      {mayWork ? (
        <details className="no-print rounded border border-slate-200 p-2" open={!payer.appealAddress}>
          <summary>{payer.appealAddress ? "Change" : "Enter"} the payer's appeals address (payer settings)</summary>
          <ActionForm action={savePayerAppealAddress} submitLabel="Save the address" className="mt-2 space-y-2">
            <input type="hidden" name="payerId" value={payer.id} />
            <label className="label" htmlFor="appeal-address">
              {payer.name}'s address for appeals
            </label>
            <textarea id="appeal-address" name="appealAddress" rows={3} className="input w-full" defaultValue={payer.appealAddress ?? ""} />
            <FieldError name="appealAddress" />
          </ActionForm>
        </details>
      ) : null}

      <h1 className="pt-2 text-xl font-semibold">Request for payment review: claim lines allowed below the contracted rate</h1>
      <p>
        The claim lines below were allowed at less than our agreement with {payer.name} provides for their dates of service. For each line
        we list the patient, the date of service, the code as billed and as you paid it, the contract term in force on that date, the
        allowed amount it yields, the allowed amount on your remittance, the difference, and the adjustment and remark codes you sent (their
        meanings follow the table). We ask that you reprocess these lines and pay the difference,{" "}
        <strong data-testid="letter-total">{usd(letter.totalCents)}</strong> in total on {letter.lines.length} line(s).
        {part.parts > 1 ? (
          <span data-testid="letter-part">
            {" "}
            This is part {COUNT.format(Math.min(part.number, part.parts))} of {COUNT.format(part.parts)} of our request, which covers{" "}
            {COUNT.format(part.lines)} lines and {usd(part.totalCents)} in all.
          </span>
        ) : null}
      </p>
      {letter.lines.length === 0 ? (
        <p>No open or appealed underpaid line for this payer.</p>
      ) : (
        <div className="letter-table overflow-x-auto">
          <table className="data">
            <thead>
              <tr>
                <th>Patient</th>
                <th>Date of service</th>
                <th>Claim</th>
                <th>Code</th>
                <th>Contract term</th>
                <th className="num">Expected allowed</th>
                <th className="num">Allowed</th>
                <th className="num">Difference</th>
                <th>Your adjustment and remark codes</th>
              </tr>
            </thead>
            <tbody>
              <LetterLines
                terms={terms}
                lines={letter.lines.map((l) => ({
                  id: l.id,
                  claim: l.claimNumber ?? "—",
                  ...(l.payerClaimNumber ? { payerClaimNumber: l.payerClaimNumber } : {}),
                  patientName: l.patientName,
                  patient: l.patient,
                  date: dateText(l.dateOfService),
                  cpt: l.cpt,
                  billed: `billed ${l.cpt} ${modifiersText(l.modifiers)} ×${l.units}`.replace("  ", " "),
                  ...(l.paidCpt && l.paidCpt !== l.cpt ? { paidAs: l.paidCpt } : {}),
                  term: terms.indexOf(l.term),
                  expected: usd(l.expectedCents),
                  allowed: usd(l.allowedCents),
                  difference: usd(l.varianceCents),
                  codes: [
                    ...l.adjustments.map((a) => `${a.code} (${a.group.toLowerCase()}) ${usd(a.amountCents)}`),
                    ...l.remarks.map((r) => `Remark ${r.code}`),
                  ],
                }))}
              />
              <tr>
                <td colSpan={7} className="font-semibold">
                  Total
                </td>
                <td className="num font-semibold">{usd(letter.totalCents)}</td>
                <td />
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {letter.codeMeanings.length ? (
        <section aria-labelledby="letter-codes" data-testid="letter-codes">
          <h2 id="letter-codes" className="font-semibold">
            Your adjustment reason and remark codes on these lines, as published
          </h2>
          <CodeMeaningList codes={letter.codeMeanings} className="text-xs" />
        </section>
      ) : null}
      <p>
        Allowed amounts are compared allowed to allowed: the patient's share and sequestration do not change them. Please send the
        reprocessed payment, or your answer, to the address above.
      </p>
      <p className="pt-6">Sincerely,</p>
      <p>
        {ctx.userName}
        <br />
        {practice.name}
        {practice.npi ? (
          <>
            <br />
            NPI {practice.npi}
            {practice.taxId ? ` · Tax id ${practice.taxId}` : ""}
          </>
        ) : null}
      </p>
    </article>
  );
}
