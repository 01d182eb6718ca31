// visits.csv (FORMATS.md): one row per service line; rows of a visit share visit_id and
// their order in the file is the line order. A visit already in the practice takes the file's
// version, so a corrected export can be re-imported: its lines are updated in place, each
// continuing the existing line of the same code (lib/server/visits/lines.ts), so remit matches
// and undercoding reviews stay with the lines they were made on.
import type { Credential, PayerKind } from "@/lib/generated/prisma/client";
import { type VisitCsvRow, visitCsvRow } from "@/lib/schemas/csv-rows";
import { auditMany } from "../core/audit";
import type { Tx } from "../core/db";
import { dateFromIso } from "../core/dates";
import { analyzeAfterGrowth } from "../core/statistics";
import { daysOfVisits, type PatientDay, type PoolKey, poolKeysOfVisits, recomputeDerived } from "../derived";
import {
  EXISTING_LINE_SELECT,
  type ExistingLine,
  INSERT_CHUNK,
  pairLinesByCode,
  type WrittenLines,
  writeVisitLines,
} from "../visits/lines";
import { type ImportIssue, parseCsv } from "./csv";
import type { ImportOutcome } from "./run";

type Row = { rowNumber: number; value: VisitCsvRow };

function consistency(rows: Row[]): ImportIssue[] {
  const errors: ImportIssue[] = [];
  const byVisit = new Map<string, Row>();
  const byPatient = new Map<string, Row>();
  const byTherapist = new Map<string, Row>();
  const sameVisitFields = ["patient_id", "date_of_service", "therapist_npi", "payer", "claim_id", "place_of_service"] as const;
  const patientFields = ["first_name", "last_name", "birth_date"] as const;
  for (const row of rows) {
    const value = row.value;
    const first = byVisit.get(value.visit_id);
    if (!first) byVisit.set(value.visit_id, row);
    else
      for (const field of sameVisitFields)
        if (first.value[field] !== value[field])
          errors.push({
            where: `row ${row.rowNumber}, column ${field}`,
            message: `visit ${value.visit_id} has ${field} "${first.value[field]}" on row ${first.rowNumber} and "${value[field]}" here`,
          });
    const earlier = byPatient.get(value.patient_id);
    if (!earlier) byPatient.set(value.patient_id, row);
    else
      for (const field of patientFields)
        if (earlier.value[field] !== value[field])
          errors.push({
            where: `row ${row.rowNumber}, column ${field}`,
            message: `patient ${value.patient_id} has ${field} "${earlier.value[field]}" on row ${earlier.rowNumber} and "${value[field]}" here`,
          });
    const therapist = byTherapist.get(value.therapist_npi);
    if (!therapist) byTherapist.set(value.therapist_npi, row);
    else if (therapist.value.therapist_credential !== value.therapist_credential)
      errors.push({
        where: `row ${row.rowNumber}, column therapist_credential`,
        message: `therapist ${value.therapist_npi} is ${therapist.value.therapist_credential} on row ${therapist.rowNumber} and ${value.therapist_credential} here`,
      });
  }
  return errors;
}

/** The ids the file's rows name, by the file's own keys (payer by lower-cased name). */
interface References {
  payerIds: Map<string, number>;
  therapistIds: Map<string, number>;
  patientIds: Map<string, number>;
  claimIds: Map<string, number>;
}

/** Payers are matched by name without case; a new one is created with the row's kind. */
async function upsertPayers(tx: Tx, practiceId: number, rows: readonly Row[], warnings: ImportIssue[]): Promise<Map<string, number>> {
  const payerIds = new Map<string, number>();
  for (const row of rows) {
    const key = row.value.payer.toLowerCase();
    if (payerIds.has(key)) continue;
    const existing = await tx.payer.findUnique({ where: { practiceId_nameKey: { practiceId, nameKey: key } } });
    if (existing && existing.kind !== row.value.payer_kind)
      warnings.push({
        where: `row ${row.rowNumber}, column payer_kind`,
        message: `payer "${row.value.payer}" is already ${existing.kind}; kept as is`,
      });
    const payer =
      existing ??
      (await tx.payer.create({
        data: {
          practiceId,
          name: row.value.payer,
          nameKey: key,
          kind: row.value.payer_kind as PayerKind,
          unitMethod: row.value.payer_kind === "medicare" ? "cms" : "cms",
        },
      }));
    payerIds.set(key, payer.id);
  }
  return payerIds;
}

async function upsertTherapists(tx: Tx, practiceId: number, rows: readonly Row[]) {
  const therapistIds = new Map<string, number>();
  // a clinician whose credential the file changes: the claim checks of all their visits follow
  const credentialChanged: number[] = [];
  for (const row of rows) {
    const npi = row.value.therapist_npi;
    if (therapistIds.has(npi)) continue;
    const before = await tx.therapist.findUnique({ where: { practiceId_npi: { practiceId, npi } }, select: { credential: true } });
    const therapist = await tx.therapist.upsert({
      where: { practiceId_npi: { practiceId, npi } },
      create: { practiceId, npi, name: row.value.therapist_name, credential: row.value.therapist_credential as Credential },
      update: { name: row.value.therapist_name, credential: row.value.therapist_credential as Credential },
    });
    therapistIds.set(npi, therapist.id);
    if (before && before.credential !== therapist.credential) credentialChanged.push(therapist.id);
  }
  return { therapistIds, credentialChanged };
}

/** Patients by the practice's own id: created, or their name and birth date updated. */
async function upsertPatients(
  tx: Tx,
  practiceId: number,
  rows: readonly Row[],
): Promise<{ patientIds: Map<string, number>; created: number }> {
  const patientIds = new Map<string, number>();
  let created = 0;
  for (const { value } of rows) {
    if (patientIds.has(value.patient_id)) continue;
    const before = await tx.patient.findUnique({ where: { practiceId_externalId: { practiceId, externalId: value.patient_id } } });
    const patient = before
      ? await tx.patient.update({
          where: { id: before.id },
          data: { firstName: value.first_name, lastName: value.last_name, birthDate: dateFromIso(value.birth_date) },
        })
      : await tx.patient.create({
          data: {
            practiceId,
            externalId: value.patient_id,
            firstName: value.first_name,
            lastName: value.last_name,
            birthDate: dateFromIso(value.birth_date),
          },
        });
    if (!before) created++;
    patientIds.set(value.patient_id, patient.id);
  }
  return { patientIds, created };
}

async function upsertCoverages(tx: Tx, practiceId: number, rows: readonly Row[], refs: Omit<References, "claimIds" | "therapistIds">) {
  const seen = new Set<string>();
  for (const { value } of rows) {
    const patientId = refs.patientIds.get(value.patient_id)!;
    const payerId = refs.payerIds.get(value.payer.toLowerCase())!;
    const key = `${patientId}|${payerId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await tx.coverage.upsert({
      where: { practiceId_patientId_payerId: { practiceId, patientId, payerId } },
      create: { practiceId, patientId, payerId, memberId: value.member_id },
      update: value.member_id ? { memberId: value.member_id } : {},
    });
  }
}

/** Claims by claim_id; an error when a claim already belongs to another patient. */
async function upsertClaims(
  tx: Tx,
  practiceId: number,
  rows: readonly Row[],
  refs: Omit<References, "claimIds" | "therapistIds">,
): Promise<Map<string, number> | ImportIssue> {
  const claimIds = new Map<string, number>();
  for (const row of rows) {
    const value = row.value;
    if (!value.claim_id || claimIds.has(value.claim_id)) continue;
    const claim = await tx.claim.upsert({
      where: { practiceId_patientControlNumber: { practiceId, patientControlNumber: value.claim_id } },
      create: {
        practiceId,
        patientControlNumber: value.claim_id,
        patientId: refs.patientIds.get(value.patient_id)!,
        payerId: refs.payerIds.get(value.payer.toLowerCase())!,
      },
      update: {},
    });
    if (claim.patientId !== refs.patientIds.get(value.patient_id))
      return { where: `row ${row.rowNumber}, column claim_id`, message: `claim ${value.claim_id} already belongs to another patient` };
    claimIds.set(value.claim_id, claim.id);
  }
  return claimIds;
}

/** A visit's fields from its first row. */
function visitFields(first: VisitCsvRow, refs: References) {
  return {
    patientId: refs.patientIds.get(first.patient_id)!,
    therapistId: refs.therapistIds.get(first.therapist_npi)!,
    payerId: refs.payerIds.get(first.payer.toLowerCase())!,
    claimId: first.claim_id ? refs.claimIds.get(first.claim_id)! : null,
    dateOfService: dateFromIso(first.date_of_service),
    placeOfService: first.place_of_service,
  };
}

/** What the file's visits were before it changed them: pools and patient-days to recompute after. */
interface VisitsBefore {
  existing: { id: number; externalId: string }[];
  touchedBefore: PoolKey[];
  daysBefore: PatientDay[];
}

/** Updates the visits already in the practice and creates the others (their lines apart). */
async function writeVisits(tx: Tx, practiceId: number, visits: Map<string, Row[]>, refs: References) {
  const externalIds = [...visits.keys()];
  const existing = await tx.visit.findMany({
    where: { practiceId, externalId: { in: externalIds } },
    select: { id: true, externalId: true },
  });
  const existingIds = new Map(existing.map((visit) => [visit.externalId, visit.id]));
  // pools touched before the change (a visit may move to another patient, year or pool)
  const touchedBefore = await poolKeysOfVisits(
    tx,
    practiceId,
    existing.map((visit) => visit.id),
  );
  // patient-days left by a visit that moves: the visits still there are re-priced (MPPR over the day)
  const daysBefore: PatientDay[] = [];
  for (let at = 0; at < existing.length; at += 5000)
    daysBefore.push(
      ...(await daysOfVisits(
        tx,
        practiceId,
        existing.slice(at, at + 5000).map((visit) => visit.id),
      )),
    );
  for (const visit of existing) {
    const first = visits.get(visit.externalId)![0]!.value;
    await tx.visit.update({ where: { id: visit.id }, data: { ...visitFields(first, refs), version: { increment: 1 } } });
  }
  const toCreate = externalIds.filter((id) => !existingIds.has(id));
  for (let at = 0; at < toCreate.length; at += INSERT_CHUNK) {
    await tx.visit.createMany({
      data: toCreate.slice(at, at + INSERT_CHUNK).map((externalId) => ({
        practiceId,
        externalId,
        ...visitFields(visits.get(externalId)![0]!.value, refs),
      })),
    });
  }
  const allVisits = await tx.visit.findMany({
    where: { practiceId, externalId: { in: externalIds } },
    select: { id: true, externalId: true, patientId: true },
  });
  const before: VisitsBefore = { existing, touchedBefore, daysBefore };
  return { before, created: toCreate.length, allVisits };
}

/**
 * The lines of every visit of the file. Lines of visits already here are updated in place
 * (lib/server/visits/lines.ts): a line keeps its id, and with it its remit matches and
 * undercoding review, while its code stays the same.
 */
async function writeLines(
  tx: Tx,
  practiceId: number,
  visits: Map<string, Row[]>,
  existingVisitIds: readonly number[],
  visitIdByExternal: Map<string, number>,
) {
  const CHUNK = 5000;
  const existingLines: ExistingLine[] = [];
  for (let at = 0; at < existingVisitIds.length; at += CHUNK)
    existingLines.push(
      ...(await tx.serviceLine.findMany({
        where: { practiceId, visitId: { in: existingVisitIds.slice(at, at + CHUNK) } },
        select: EXISTING_LINE_SELECT,
      })),
    );
  const linesByVisit = new Map<number, ExistingLine[]>();
  for (const line of existingLines) {
    const list = linesByVisit.get(line.visitId);
    if (list) list.push(line);
    else linesByVisit.set(line.visitId, [line]);
  }
  const wanted = [...visits.entries()].map(([externalId, list]) => {
    const visitId = visitIdByExternal.get(externalId)!;
    const lines = list.map(({ value }) => ({
      cpt: value.cpt,
      modifiers: value.modifiers,
      minutes: value.minutes,
      unitsBilled: value.units_billed,
      chargeCents: value.charge,
      note: value.note,
    }));
    const ids = pairLinesByCode(linesByVisit.get(visitId) ?? [], lines);
    return { visitId, lines: lines.map((line, index) => ({ id: ids[index] ?? null, ...line })) };
  });
  return writeVisitLines(tx, practiceId, wanted, existingLines);
}

/**
 * The derived figures of what the file touched, in the same transaction, through the pipeline
 * (lib/server/derived): every patient-day the file touches (before and after) re-priced whole,
 * then remits, the KX totals of the pools before and after, and the claim checks (all the visits
 * of a clinician whose credential the file changed).
 */
async function recomputeAfterImport(
  tx: Tx,
  practiceId: number,
  visitIds: readonly number[],
  before: VisitsBefore,
  written: Pick<WrittenLines, "kept" | "payments">,
  credentialChanged: readonly number[],
) {
  await recomputeDerived(tx, practiceId, {
    visits: [...visitIds],
    payments: written.payments,
    daysBefore: before.daysBefore,
    keptLines: written.kept,
    pools: before.touchedBefore,
    checkVisits: credentialChanged.length
      ? (await tx.visit.findMany({ where: { practiceId, therapistId: { in: [...credentialChanged] } }, select: { id: true } })).map(
          (visit) => visit.id,
        )
      : [],
  });
}

function rowsByVisit(rows: readonly Row[]): Map<string, Row[]> {
  const visits = new Map<string, Row[]>();
  for (const row of rows) {
    const list = visits.get(row.value.visit_id) ?? [];
    list.push(row);
    visits.set(row.value.visit_id, list);
  }
  return visits;
}

export async function importVisitsCsv(tx: Tx, practiceId: number, userId: number | null, text: string): Promise<ImportOutcome> {
  const parsed = parseCsv(text, visitCsvRow);
  const errors = [...parsed.errors];
  if (errors.length === 0) errors.push(...consistency(parsed.rows));
  if (errors.length) return { counts: { rows: parsed.rows.length }, warnings: [], errors };
  const rows = parsed.rows;
  const warnings: ImportIssue[] = [];

  const payerIds = await upsertPayers(tx, practiceId, rows, warnings);
  const { therapistIds, credentialChanged } = await upsertTherapists(tx, practiceId, rows);
  const patients = await upsertPatients(tx, practiceId, rows);
  const patientIds = patients.patientIds;
  await upsertCoverages(tx, practiceId, rows, { payerIds, patientIds });
  const claimIds = await upsertClaims(tx, practiceId, rows, { payerIds, patientIds });
  if (!(claimIds instanceof Map)) return { counts: {}, warnings, errors: [claimIds] };
  const refs: References = { payerIds, therapistIds, patientIds, claimIds };

  const visits = rowsByVisit(rows);
  const { before, created, allVisits } = await writeVisits(tx, practiceId, visits, refs);
  const written = await writeLines(
    tx,
    practiceId,
    visits,
    before.existing.map((visit) => visit.id),
    new Map(allVisits.map((visit) => [visit.externalId, visit.id])),
  );
  // a file that doubles the practice's visits refreshes the statistics of the tables it grew,
  // before the pipeline's KX totals below are planned
  await analyzeAfterGrowth(tx, { practiceId, table: "Visit", added: created, tables: ["Patient", "Claim", "Visit", "ServiceLine"] });
  await recomputeAfterImport(
    tx,
    practiceId,
    allVisits.map((visit) => visit.id),
    before,
    written,
    credentialChanged,
  );

  await auditMany(
    tx,
    { practiceId, userId },
    [...new Set(allVisits.map((visit) => visit.patientId))].map((patientId) => ({
      action: "visits.import",
      entityType: "Patient",
      entityId: patientId,
      patientId,
    })),
  );
  return {
    counts: {
      rows: rows.length,
      patients: patientIds.size,
      patientsCreated: patients.created,
      visits: visits.size,
      visitsCreated: created,
      visitsUpdated: before.existing.length,
      lines: rows.length,
      linesAdded: written.added,
      linesChanged: written.changed,
      linesRemoved: written.removed,
    },
    warnings,
    errors: [],
  };
}
