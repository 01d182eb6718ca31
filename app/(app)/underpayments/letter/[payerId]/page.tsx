import Link from "@/components/link";
import { notFound } from "next/navigation";
import { modifiersText, usd } from "@/components/remit-format";
import { auditRead } from "@/lib/server/audit";
import { pageContext } from "@/lib/server/guard";
import { todayInZone } from "@/lib/server/underpayments/weeks";
import { appealLetter } from "@/lib/server/underpayments/worklist";
import { dateText } from "@/lib/ui/dates";

export const metadata = { title: "Appeal letter · Therapy Revenue" };

export default async function AppealLetterPage({ params }: { params: Promise<{ payerId: string }> }) {
  const ctx = await pageContext("underpayments.read");
  const { payerId } = await params;
  const letter = await appealLetter(ctx.practiceId, Number(payerId));
  if (!letter) notFound();
  await auditRead(ctx, {
    action: "underpayment.letter",
    entityType: "Payer",
    entityId: letter.payer.id,
    details: { lines: letter.lines.length },
  });
  const today = todayInZone(ctx.practice.timeZone);
  return (
    <article className="appeal-letter mx-auto max-w-4xl space-y-4 bg-white p-6 text-sm print:p-0">
      <style>{`
        @media print {
          @page { size: letter; margin: 0.6in; }
          main { max-width: none !important; padding: 0 !important; }
          .appeal-letter { font-size: 10.5pt; }
          .appeal-letter table { page-break-inside: auto; }
          .appeal-letter tr { page-break-inside: avoid; }
        }
      `}</style>
      <p className="no-print flex gap-4">
        <Link href="/underpayments">← Underpayments</Link>
        <span className="text-slate-600">Use the browser's Print (Ctrl+P) to print or save as PDF.</span>
      </p>
      <header className="space-y-1">
        <p className="font-semibold">{letter.practice.name}</p>
        <p>{dateText(today)}</p>
        <p>To: {letter.payer.name}, Provider Appeals / Reconsideration</p>
        <h1 className="pt-2 text-xl font-semibold">Request for payment review: claims paid below the contracted rate</h1>
      </header>
      <p>
        The claim lines below were allowed at less than the amount our agreement with {letter.payer.name} provides for the date of service.
        For each line we list the contract term in force on that date, the allowed amount it yields, the allowed amount on your remittance,
        and the adjustment and remark codes you sent. We ask that you reprocess these lines and pay the difference,{" "}
        <strong>{usd(letter.totalCents)}</strong> in total on {letter.lines.length} line(s).
      </p>
      {letter.lines.length === 0 ? (
        <p>No open or appealed underpaid line for this payer.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Claim / payer claim #</th>
              <th>Patient</th>
              <th>Date</th>
              <th>Code</th>
              <th>Contract term</th>
              <th className="num">Expected allowed</th>
              <th className="num">Remit allowed</th>
              <th className="num">Paid</th>
              <th className="num">Difference</th>
              <th>CARC / RARC</th>
            </tr>
          </thead>
          <tbody>
            {letter.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.claimNumber ?? "—"}
                  {l.payerClaimNumber ? <div className="text-xs">{l.payerClaimNumber}</div> : null}
                </td>
                <td>
                  {l.patientName}
                  <div className="text-xs">{l.patient}</div>
                </td>
                <td className="whitespace-nowrap">{dateText(l.dateOfService)}</td>
                <td className="whitespace-nowrap">
                  {l.cpt} {modifiersText(l.modifiers)} ×{l.units}
                  {l.paidCpt ? (
                    <div className="text-xs">
                      billed {l.cpt}, paid as {l.paidCpt}
                    </div>
                  ) : null}
                </td>
                <td className="text-xs">{l.term}</td>
                <td className="num">{usd(l.expectedCents)}</td>
                <td className="num">{usd(l.allowedCents)}</td>
                <td className="num">{usd(l.paidCents)}</td>
                <td className="num font-semibold">{usd(l.varianceCents)}</td>
                <td className="text-xs">
                  {l.adjustments.map((a, i) => (
                    <div key={i}>
                      {a.code} {usd(a.amountCents)}
                      {a.text ? `: ${a.text}` : ""}
                    </div>
                  ))}
                  {l.remarks.map((r) => (
                    <div key={r.code}>
                      {r.code}
                      {r.text ? `: ${r.text}` : ""}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
            <tr>
              <td colSpan={8} className="font-semibold">
                Total
              </td>
              <td className="num font-semibold">{usd(letter.totalCents)}</td>
              <td />
            </tr>
          </tbody>
        </table>
      )}
      <p>
        Allowed amounts are compared allowed to allowed: the patient's share and sequestration do not change them. Please contact our
        billing office with any question about these lines.
      </p>
      <p className="pt-6">Sincerely,</p>
      <p>
        {ctx.userName}
        <br />
        {letter.practice.name}
      </p>
    </article>
  );
}
