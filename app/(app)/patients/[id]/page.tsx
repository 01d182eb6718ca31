import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { UnitsFlagBadge } from "@/components/visit-badges";
import { VisitRestoreButton } from "@/components/visit-restore-button";
import { claimIssuesOfVisits } from "@/lib/server/claims/checks";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { deletedVisitOffer, recordIdParam, viewPatient } from "@/lib/server/visits/queries";
import { dateText } from "@/lib/ui/dates";
import { unpricedSentence } from "@/lib/ui/no-price";

export const metadata = { title: "Patient · Therapy Revenue" };

const POOL_LABEL = { PT_SLP: "PT + SLP", OT: "OT" } as const;

export default async function PatientPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext("patients.read");
  const id = recordIdParam((await params).id);
  if (id === null) notFound();
  const patient = await viewPatient(ctx, id);
  if (!patient) notFound();
  const deleted = (await searchParams).deleted;
  const offer = typeof deleted === "string" ? await deletedVisitOffer(ctx.practiceId, id, deleted) : null;
  const issues = await claimIssuesOfVisits(
    ctx.practiceId,
    patient.visits.map((v) => v.id),
  );
  const canWrite = can(ctx.role, "visits.write");
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/patients">Patients</Link> › {patient.lastName}, {patient.firstName}
      </nav>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">
            {patient.lastName}, {patient.firstName}
          </h1>
          <p className="text-sm text-slate-600">
            Patient ID {patient.externalId} · born {dateText(patient.birthDate)}
          </p>
        </div>
        <div className="flex gap-2">
          {can(ctx.role, "kx.read") ? (
            <Link href={`/patients/${patient.id}/threshold`} className="btn-secondary">
              Therapy threshold (KX)
            </Link>
          ) : null}
          {canWrite ? (
            <Link href={`/visits/new?patient=${patient.id}`} className="btn">
              New visit
            </Link>
          ) : null}
        </div>
      </div>

      {offer ? (
        <div role="status" className="card flex flex-wrap items-center gap-3 border-amber-300 bg-amber-50 text-sm">
          {offer.restored ? (
            <span>
              Visit {offer.externalId} of {dateText(offer.dateOfService)} was restored.
            </span>
          ) : (
            <>
              <span>
                Visit {offer.externalId} of {dateText(offer.dateOfService)} was deleted and the threshold totals recomputed.
              </span>
              {canWrite ? <VisitRestoreButton deleteEventId={offer.eventId} /> : null}
            </>
          )}
        </div>
      ) : null}

      <div className="grid gap-6 md:grid-cols-2">
        <section className="card" aria-labelledby="coverage-heading">
          <h2 id="coverage-heading" className="mb-2 text-lg font-semibold">
            Coverage
          </h2>
          {patient.coverages.length === 0 ? (
            <p className="text-sm text-slate-600">No coverage on file.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>Payer</th>
                  <th>Kind</th>
                  <th>Member ID</th>
                </tr>
              </thead>
              <tbody>
                {patient.coverages.map((c) => (
                  <tr key={c.id}>
                    <td>{c.payer.name}</td>
                    <td>{c.payer.kind.replaceAll("_", " ")}</td>
                    <td>{c.memberId || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="threshold-heading">
          <h2 id="threshold-heading" className="mb-2 text-lg font-semibold">
            Medicare therapy totals
          </h2>
          {patient.kxItems.length === 0 ? (
            <p className="text-sm text-slate-600">No Medicare therapy on file.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>Year</th>
                  <th>Pool</th>
                  <th className="num">Total</th>
                  <th>Level</th>
                  <th className="num">Lines missing KX</th>
                </tr>
              </thead>
              <tbody>
                {patient.kxItems.map((k) => (
                  <tr key={k.id}>
                    <td>{k.year}</td>
                    <td>{POOL_LABEL[k.pool]}</td>
                    <td className="num">
                      {usd(k.totalCents)}
                      {k.estimated ? <span className="ml-1 text-xs text-slate-500">(est.)</span> : null}
                    </td>
                    <td>{k.level}</td>
                    <td className="num">{k.linesMissingKx}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {can(ctx.role, "kx.read") ? (
            <p className="mt-2 text-sm">
              <Link href={`/patients/${patient.id}/threshold`}>Threshold details and forecast →</Link>
            </p>
          ) : null}
        </section>
      </div>

      <section className="card overflow-x-auto" aria-labelledby="visits-heading">
        <h2 id="visits-heading" className="mb-2 text-lg font-semibold">
          Visits ({patient.visits.length})
        </h2>
        {patient.visits.length === 0 ? (
          <p className="text-sm text-slate-600">No visits yet.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>Date</th>
                <th>Visit</th>
                <th>Therapist</th>
                <th>Payer</th>
                <th>Claim</th>
                <th>Lines</th>
                <th className="num">Expected allowed</th>
                <th>Claim checks</th>
              </tr>
            </thead>
            <tbody>
              {patient.visits.map((visit) => {
                const expected = visit.lines.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0);
                const incomplete = visit.lines.some((l) => l.expectedAllowedCents === null);
                const allUnpriced = visit.lines.length > 0 && visit.lines.every((l) => l.expectedAllowedCents === null);
                const unpriced = unpricedSentence(
                  visit.lines.map((l) => ({
                    cpt: l.cpt,
                    noPrice: l.expectedAllowedCents === null ? (l.expectedNote ?? "no expected amount") : null,
                  })),
                  "the visit's amount",
                );
                const visitIssues = issues.get(visit.id) ?? [];
                const errors = visitIssues.filter((i) => i.severity === "error").length;
                const flags = [...new Set(visit.lines.map((l) => l.unitsFlag).filter((f) => f && f !== "ok"))];
                return (
                  <tr key={visit.id}>
                    <td>{dateText(visit.dateOfService)}</td>
                    <td>
                      <Link href={`/visits/${visit.id}`}>{visit.externalId}</Link>
                    </td>
                    <td>
                      {visit.therapist.name} ({visit.therapist.credential})
                    </td>
                    <td>{visit.payer.name}</td>
                    <td>{visit.claim?.patientControlNumber ?? "—"}</td>
                    <td>
                      {visit.lines.map((l) => `${l.cpt}×${l.unitsBilled}`).join(", ")}
                      {flags.map((f) => (
                        <span key={f} className="ml-1">
                          <UnitsFlagBadge flag={f} />
                        </span>
                      ))}
                    </td>
                    <td className="num">
                      {allUnpriced ? null : usd(expected)}
                      {incomplete ? (
                        <span className="block text-xs text-amber-900">{allUnpriced ? unpriced : `partial: ${unpriced}`}</span>
                      ) : null}
                    </td>
                    <td>
                      {visitIssues.length === 0 ? (
                        <span className="badge bg-green-100 text-green-800">ok</span>
                      ) : (
                        <Link href={`/visits/${visit.id}#claim-checks`}>
                          {errors > 0 ? `${errors} to fix` : ""}
                          {errors > 0 && visitIssues.length > errors ? ", " : ""}
                          {visitIssues.length > errors ? `${visitIssues.length - errors} to check` : ""}
                        </Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
