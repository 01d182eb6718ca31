import { dollarsField, usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ClaimIssueList } from "@/components/claim-issues";
import { UnitsFlagBadge } from "@/components/visit-badges";
import { VisitDeleteButton } from "@/components/visit-delete-button";
import { VisitForm } from "@/components/visit-form";
import { checkLabel, claimIssuesOfVisits } from "@/lib/server/claims/checks";
import { isoDate } from "@/lib/server/core/dates";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { recordIdParam, viewVisit, visitFormChoices } from "@/lib/server/visits/queries";
import { dateText } from "@/lib/ui/dates";

export const metadata = { title: "Visit · Therapy Revenue" };

export default async function VisitPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext("visits.read");
  const id = recordIdParam((await params).id);
  if (id === null) notFound();
  const visit = await viewVisit(ctx, id);
  if (!visit) notFound();
  const query = await searchParams;
  const issues = (await claimIssuesOfVisits(ctx.practiceId, [id])).get(id) ?? [];
  const canWrite = can(ctx.role, "visits.write");
  const choices = canWrite ? await visitFormChoices(ctx.practiceId) : null;
  const total = visit.lines.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0);
  const incomplete = visit.lines.some((l) => l.expectedAllowedCents === null);
  const patientName = `${visit.patient.lastName}, ${visit.patient.firstName}`;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/patients">Patients</Link> › <Link href={`/patients/${visit.patient.id}`}>{patientName}</Link> › Visit{" "}
        {visit.externalId}
      </nav>
      <div>
        <h1 className="text-2xl font-semibold">
          Visit {visit.externalId} · {dateText(visit.dateOfService)}
        </h1>
        <p className="text-sm text-slate-600">
          {patientName} ({visit.patient.externalId}) · {visit.therapist.name} ({visit.therapist.credential}) · {visit.payer.name} (
          {visit.payer.kind.replaceAll("_", " ")}){" · "}claim {visit.claim?.patientControlNumber ?? "—"} · place of service{" "}
          {visit.placeOfService}
        </p>
      </div>
      {query.saved ? (
        <p role="status" className="card border-green-300 bg-green-50 text-sm text-green-900">
          Saved. Units supported, expected allowed, claim checks and the patient's threshold totals are up to date.
        </p>
      ) : null}
      {query.restored ? (
        <p role="status" className="card border-green-300 bg-green-50 text-sm text-green-900">
          Restored, with its lines; the threshold totals are recomputed.
        </p>
      ) : null}

      <section className="card overflow-x-auto" aria-labelledby="lines-heading">
        <h2 id="lines-heading" className="mb-2 text-lg font-semibold">
          Lines
        </h2>
        <table className="data">
          <thead>
            <tr>
              <th>#</th>
              <th>Code</th>
              <th>Modifiers</th>
              <th className="num">Minutes</th>
              <th className="num">Units billed</th>
              <th className="num">Units supported</th>
              <th>Units</th>
              <th className="num">Charge</th>
              <th className="num">Expected allowed</th>
              <th className="num">Remit allowed</th>
            </tr>
          </thead>
          <tbody>
            {visit.lines.map((l, i) => (
              <tr key={l.id} data-testid={`line-${i + 1}`}>
                <td>{i + 1}</td>
                <td>{l.cpt}</td>
                <td>{l.modifiers.join(" ") || "—"}</td>
                <td className="num">{l.minutes ?? "—"}</td>
                <td className="num">{l.unitsBilled}</td>
                <td className="num" data-testid={`units-supported-${i + 1}`}>
                  {l.unitsSupported ?? "—"}
                </td>
                <td>
                  <UnitsFlagBadge flag={l.unitsFlag} />
                </td>
                <td className="num">{usd(l.chargeCents)}</td>
                <td className="num">
                  {l.expectedAllowedCents === null ? (
                    <span className="text-xs text-slate-600">{l.expectedNote ?? "not computed"}</span>
                  ) : (
                    <>
                      {usd(l.expectedAllowedCents)}
                      {l.expectedNote ? <span className="block text-xs text-slate-500">{l.expectedNote}</span> : null}
                    </>
                  )}
                </td>
                <td className="num">
                  {l.remit?.remitAllowedCents == null ? <span className="text-slate-500">not yet</span> : usd(l.remit.remitAllowedCents)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={8} className="text-right font-medium">
                Expected allowed for the visit
              </td>
              <td className="num font-medium">
                {usd(total)}
                {incomplete ? <span className="block text-xs font-normal text-slate-500">some lines not computed</span> : null}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
        {visit.lines.some((l) => l.note) ? (
          <dl className="mt-3 space-y-1 text-sm">
            {visit.lines.map((l, i) =>
              l.note ? (
                <div key={l.id}>
                  <dt className="inline font-medium">
                    Line {i + 1} ({l.cpt}) note:{" "}
                  </dt>
                  <dd className="inline text-slate-700">{l.note}</dd>
                </div>
              ) : null,
            )}
          </dl>
        ) : null}
      </section>

      <section id="claim-checks" className="card" aria-labelledby="checks-heading">
        <h2 id="checks-heading" className="mb-2 text-lg font-semibold">
          Claim checks
        </h2>
        <ClaimIssueList issues={issues} labelOf={checkLabel} />
      </section>

      {choices ? (
        <section className="card space-y-4" aria-labelledby="edit-heading">
          <h2 id="edit-heading" className="text-lg font-semibold">
            Edit visit
          </h2>
          <VisitForm
            key={`${visit.id}-${visit.version}`}
            visit={{ id: visit.id, version: visit.version }}
            therapists={choices.therapists}
            payers={choices.payers}
            initial={{
              patient: visit.patient.externalId,
              visitId: visit.externalId,
              dateOfService: isoDate(visit.dateOfService),
              therapistId: String(visit.therapistId),
              payerId: String(visit.payerId),
              claimId: visit.claim?.patientControlNumber ?? "",
              placeOfService: visit.placeOfService,
              lines: visit.lines.map((l) => ({
                id: String(l.id),
                cpt: l.cpt,
                minutes: l.minutes === null ? "" : String(l.minutes),
                modifiers: l.modifiers.join(";"),
                unitsBilled: String(l.unitsBilled),
                charge: dollarsField(l.chargeCents),
                note: l.note,
              })),
            }}
          />
          <div className="border-t border-slate-200 pt-4">
            <VisitDeleteButton
              visit={{ id: visit.id, version: visit.version, externalId: visit.externalId, lineCount: visit.lines.length }}
            />
          </div>
        </section>
      ) : null}
    </div>
  );
}
