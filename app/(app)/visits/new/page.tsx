import Link from "@/components/link";
import { notFound } from "next/navigation";
import { VisitForm } from "@/components/visit-form";
import { blankVisitLine } from "@/lib/schemas/visit";
import { pageQuery } from "@/lib/schemas/search-params";
import { auditRead } from "@/lib/server/core/audit";
import { pageContext } from "@/lib/server/core/guard";
import { IMPORT_WRITE_PERMISSION } from "@/lib/server/core/permissions";
import { newVisitDefaults, visitFormChoices } from "@/lib/server/visits/queries";

export const metadata = { title: "New visit · Therapy Revenue" };

const DISCIPLINE = { PT: "GP", PTA: "GP;CQ", OT: "GO", OTA: "GO;CO", SLP: "GN" } as const;

function today(timeZone: string): string {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

export default async function NewVisitPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext(IMPORT_WRITE_PERMISSION.visits);
  const patientId = pageQuery("/visits/new", await searchParams).patient;
  if (patientId === undefined) notFound();
  const defaults = await newVisitDefaults(ctx.practiceId, patientId);
  if (!defaults) notFound();
  await auditRead(ctx, { action: "visit.new_form", entityType: "Patient", entityId: patientId, patientId });
  const choices = await visitFormChoices(ctx.practiceId);
  const therapist = choices.therapists.find((t) => t.id === defaults.therapistId);
  const { patient } = defaults;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/patients">Patients</Link> ›{" "}
        <Link href={`/patients/${patient.id}`}>
          {patient.lastName}, {patient.firstName}
        </Link>{" "}
        › New visit
      </nav>
      <h1 className="text-2xl font-semibold">
        New visit for {patient.lastName}, {patient.firstName}
      </h1>
      <section className="card">
        <VisitForm
          therapists={choices.therapists}
          payers={choices.payers}
          initial={{
            patient: patient.externalId,
            visitId: "",
            dateOfService: today(ctx.practice.timeZone),
            therapistId: defaults.therapistId ? String(defaults.therapistId) : "",
            payerId: defaults.payerId ? String(defaults.payerId) : "",
            claimId: "",
            placeOfService: defaults.placeOfService,
            lines: [blankVisitLine(therapist ? DISCIPLINE[therapist.credential] : "")],
          }}
        />
      </section>
    </div>
  );
}
