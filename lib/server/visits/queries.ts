// What the patient and visit screens read. Every query is scoped to the practice; a record
// of another practice is simply not found. Reading a patient or a visit leaves an audit event.
import { type Actor, auditRead } from "../core/audit";
import { db } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { patientSearchWords } from "@/lib/schemas/patient-search";
import { Prisma } from "@/lib/generated/prisma/client";
import { LIST_PAGE_SIZE, pageOffset } from "@/lib/ui/paging";

/** A search word as a LIKE pattern that finds it anywhere: its `%`, `_` and `\\` match themselves. */
function containing(word: string): string {
  return `%${word.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * Patients matching every word of the search (name, patient id in any spelling, date of birth,
 * member id), by name, one page. Each word may match anywhere in the patient id, first or last
 * name (case aside), anywhere in a member id, the patient id however it is spelt ("P-00012", "P12"
 * and "000012" all find P000012; another prefix with the same number does not), or the date of birth.
 * A search reads the practice's patients once, comparing the columns the database keeps for it
 * (migration patient_search_keys), and counts them in the same pass (docs/performance.md).
 */
export async function searchPatients(practiceId: number, searchText: string, page: number, pageSize = LIST_PAGE_SIZE) {
  const words = patientSearchWords(searchText);
  const offset = pageOffset(page, pageSize);
  let total: number;
  let ids: number[];
  if (words.length === 0) {
    total = await db().patient.count({ where: { practiceId } });
    ids = (
      await db().patient.findMany({
        where: { practiceId },
        orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
        skip: offset,
        take: pageSize,
        select: { id: true },
      })
    ).map((p) => p.id);
  } else {
    const where = Prisma.join(
      words.map((word) => {
        const text = word.text.toLowerCase();
        const alternatives = [
          Prisma.sql`p."searchText" like ${containing(text)}`,
          Prisma.sql`p.id in (select c."patientId" from "Coverage" c where c."practiceId" = ${practiceId} and c."memberId" ilike ${containing(word.text)})`,
        ];
        if (word.id) {
          alternatives.push(
            Prisma.sql`(p."idNumber" = ${word.id.number} and (${word.id.letters} = '' or p."idLetters" = ${word.id.letters}))`,
          );
        }
        if (word.birthDate) alternatives.push(Prisma.sql`p."birthDate" = ${dateFromIso(word.birthDate)}::date`);
        return Prisma.sql`(${Prisma.join(alternatives, " or ")})`;
      }),
      " and ",
    );
    const rows = await db().$queryRaw<{ id: number; total: bigint }[]>`
      select p.id, count(*) over () as total
      from "Patient" p
      where p."practiceId" = ${practiceId} and ${where}
      order by p."lastName", p."firstName", p.id
      limit ${pageSize} offset ${offset}`;
    ids = rows.map((r) => r.id);
    total =
      rows.length > 0
        ? Number(rows[0]!.total)
        : offset === 0
          ? 0
          : Number(
              (
                await db().$queryRaw<{ n: bigint }[]>`
                  select count(*) as n from "Patient" p where p."practiceId" = ${practiceId} and ${where}`
              )[0]?.n ?? 0,
            );
  }
  const found = ids.length
    ? await db().patient.findMany({
        where: { practiceId, id: { in: ids } },
        select: {
          id: true,
          externalId: true,
          firstName: true,
          lastName: true,
          birthDate: true,
          coverages: { select: { payer: { select: { name: true } } }, orderBy: { id: "asc" } },
        },
      })
    : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  const patients = ids.map((id) => byId.get(id)).filter((p) => p !== undefined);
  const stats = patients.length
    ? await db().visit.groupBy({
        by: ["patientId"],
        where: { practiceId, patientId: { in: patients.map((p) => p.id) } },
        _count: { _all: true },
        _max: { dateOfService: true },
      })
    : [];
  const byPatient = new Map(stats.map((s) => [s.patientId, s]));
  return {
    total,
    rows: patients.map((patient) => {
      const summary = byPatient.get(patient.id);
      return {
        id: patient.id,
        externalId: patient.externalId,
        name: `${patient.lastName}, ${patient.firstName}`,
        birthDate: isoDate(patient.birthDate),
        payers: patient.coverages.map((c) => c.payer.name),
        visitCount: summary?._count._all ?? 0,
        lastVisit: summary?._max.dateOfService ? isoDate(summary._max.dateOfService) : null,
      };
    }),
  };
}

/** A patient with coverages, visits (newest first) and threshold totals; audited as patient.view. */
export async function viewPatient(actor: Actor, id: number) {
  const { practiceId } = actor;
  const patient = await db().patient.findFirst({
    where: { id, practiceId },
    include: {
      coverages: { include: { payer: { select: { name: true, kind: true } } }, orderBy: { id: "asc" } },
      visits: {
        orderBy: [{ dateOfService: "desc" }, { id: "desc" }],
        include: {
          therapist: { select: { name: true, credential: true } },
          payer: { select: { name: true } },
          claim: { select: { patientControlNumber: true } },
          lines: {
            orderBy: { lineOrder: "asc" },
            select: {
              cpt: true,
              modifiers: true,
              unitsBilled: true,
              unitsFlag: true,
              expectedAllowedCents: true,
              expectedNote: true,
              remit: { select: { remitAllowedCents: true } },
            },
          },
        },
      },
      kxItems: { orderBy: [{ year: "desc" }, { pool: "asc" }] },
    },
  });
  if (!patient) return null;
  await auditRead(actor, { action: "patient.view", entityType: "Patient", entityId: id, patientId: id });
  return patient;
}

/** A visit with everything its page shows and the choices of its form; audited as visit.view. */
export async function viewVisit(actor: Actor, id: number) {
  const { practiceId } = actor;
  const visit = await db().visit.findFirst({
    where: { id, practiceId },
    include: {
      patient: { select: { id: true, externalId: true, firstName: true, lastName: true, birthDate: true } },
      therapist: { select: { id: true, name: true, credential: true, npi: true } },
      payer: { select: { id: true, name: true, kind: true, allowsTelehealth: true } },
      claim: { select: { patientControlNumber: true } },
      lines: { orderBy: { lineOrder: "asc" }, include: { remit: { select: { remitAllowedCents: true } } } },
    },
  });
  if (!visit) return null;
  await auditRead(actor, { action: "visit.view", entityType: "Visit", entityId: id, patientId: visit.patientId });
  return visit;
}

/** Therapists and payers of the practice, for the visit form's choices. */
export async function visitFormChoices(practiceId: number) {
  const therapists = await db().therapist.findMany({
    where: { practiceId },
    orderBy: [{ name: "asc" }],
    select: { id: true, name: true, credential: true },
  });
  const payers = await db().payer.findMany({
    where: { practiceId },
    orderBy: [{ name: "asc" }],
    select: { id: true, name: true, kind: true },
  });
  return {
    therapists: therapists.map((t) => ({ id: t.id, label: `${t.name} (${t.credential})`, credential: t.credential })),
    payers: payers.map((p) => ({ id: p.id, label: `${p.name} (${p.kind.replaceAll("_", " ")})` })),
  };
}

/** For a new visit: the patient, and the therapist and payer of their last visit as defaults. */
export async function newVisitDefaults(practiceId: number, patientId: number) {
  const patient = await db().patient.findFirst({
    where: { id: patientId, practiceId },
    select: {
      id: true,
      externalId: true,
      firstName: true,
      lastName: true,
      coverages: { select: { payerId: true }, orderBy: { id: "asc" }, take: 1 },
    },
  });
  if (!patient) return null;
  const last = await db().visit.findFirst({
    where: { practiceId, patientId },
    orderBy: [{ dateOfService: "desc" }, { id: "desc" }],
    select: { therapistId: true, payerId: true, placeOfService: true },
  });
  return {
    patient,
    therapistId: last?.therapistId ?? null,
    payerId: last?.payerId ?? patient.coverages[0]?.payerId ?? null,
    placeOfService: last?.placeOfService ?? "11",
  };
}

/** The visit a deleted-visit event holds, for the "restore" offer right after a delete. */
export async function deletedVisitOffer(practiceId: number, patientId: number, eventId: string) {
  if (!/^\d{1,18}$/.test(eventId)) return null;
  const event = await db().auditEvent.findFirst({
    where: { id: BigInt(eventId), practiceId, patientId, action: "visit.delete" },
    select: { id: true, details: true, createdAt: true },
  });
  if (!event) return null;
  const details = event.details as { visit?: { id?: number; externalId?: string; dateOfService?: string } } | null;
  const visitId = details?.visit?.id;
  if (!visitId) return null;
  const restored = await db().visit.findFirst({ where: { id: visitId, practiceId }, select: { id: true } });
  return {
    eventId: event.id.toString(),
    externalId: details.visit?.externalId ?? "",
    dateOfService: details.visit?.dateOfService ?? "",
    restored: Boolean(restored),
  };
}

/** A record id from the address bar: a positive 32-bit integer, else null (the page answers 404). */
export function recordIdParam(raw: string): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const parsed = Number(raw);
  return parsed >= 1 && parsed <= 2_147_483_647 ? parsed : null;
}
