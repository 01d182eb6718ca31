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
import { daysOfVisits, type PatientDay, poolKeysOfVisits, recomputeDerived } from "../derived";
import { EXISTING_LINE_SELECT, type ExistingLine, INSERT_CHUNK, pairLinesByCode, writeVisitLines } from "../visits/lines";
import { type ImportIssue, parseCsv } from "./csv";
import type { ImportOutcome } from "./run";

type Row = { rowNumber: number; value: VisitCsvRow };

function consistency(rows: Row[]): ImportIssue[] {
  const errors: ImportIssue[] = [];
  const byVisit = new Map<string, Row>();
  const byPatient = new Map<string, Row>();
  const byTherapist = new Map<string, Row>();
  const visitFields = ["patient_id", "date_of_service", "therapist_npi", "payer", "claim_id", "place_of_service"] as const;
  const patientFields = ["first_name", "last_name", "birth_date"] as const;
  for (const row of rows) {
    const v = row.value;
    const first = byVisit.get(v.visit_id);
    if (!first) byVisit.set(v.visit_id, row);
    else
      for (const f of visitFields)
        if (first.value[f] !== v[f])
          errors.push({
            where: `row ${row.rowNumber}, column ${f}`,
            message: `visit ${v.visit_id} has ${f} "${first.value[f]}" on row ${first.rowNumber} and "${v[f]}" here`,
          });
    const p = byPatient.get(v.patient_id);
    if (!p) byPatient.set(v.patient_id, row);
    else
      for (const f of patientFields)
        if (p.value[f] !== v[f])
          errors.push({
            where: `row ${row.rowNumber}, column ${f}`,
            message: `patient ${v.patient_id} has ${f} "${p.value[f]}" on row ${p.rowNumber} and "${v[f]}" here`,
          });
    const t = byTherapist.get(v.therapist_npi);
    if (!t) byTherapist.set(v.therapist_npi, row);
    else if (t.value.therapist_credential !== v.therapist_credential)
      errors.push({
        where: `row ${row.rowNumber}, column therapist_credential`,
        message: `therapist ${v.therapist_npi} is ${t.value.therapist_credential} on row ${t.rowNumber} and ${v.therapist_credential} here`,
      });
  }
  return errors;
}

export async function importVisitsCsv(tx: Tx, practiceId: number, userId: number | null, text: string): Promise<ImportOutcome> {
  const parsed = parseCsv(text, visitCsvRow);
  const errors = [...parsed.errors];
  if (errors.length === 0) errors.push(...consistency(parsed.rows));
  if (errors.length) return { counts: { rows: parsed.rows.length }, warnings: [], errors };
  const rows = parsed.rows;
  const warnings: ImportIssue[] = [];

  // payers (matched case-insensitively), therapists, patients
  const payerIds = new Map<string, number>();
  for (const r of rows) {
    const key = r.value.payer.toLowerCase();
    if (payerIds.has(key)) continue;
    const existing = await tx.payer.findUnique({ where: { practiceId_nameKey: { practiceId, nameKey: key } } });
    if (existing && existing.kind !== r.value.payer_kind)
      warnings.push({
        where: `row ${r.rowNumber}, column payer_kind`,
        message: `payer "${r.value.payer}" is already ${existing.kind}; kept as is`,
      });
    const payer =
      existing ??
      (await tx.payer.create({
        data: {
          practiceId,
          name: r.value.payer,
          nameKey: key,
          kind: r.value.payer_kind as PayerKind,
          unitMethod: r.value.payer_kind === "medicare" ? "cms" : "cms",
        },
      }));
    payerIds.set(key, payer.id);
  }
  const therapistIds = new Map<string, number>();
  // a clinician whose credential the file changes: the claim checks of all their visits follow
  const credentialChanged: number[] = [];
  for (const r of rows) {
    const npi = r.value.therapist_npi;
    if (therapistIds.has(npi)) continue;
    const before = await tx.therapist.findUnique({ where: { practiceId_npi: { practiceId, npi } }, select: { credential: true } });
    const t = await tx.therapist.upsert({
      where: { practiceId_npi: { practiceId, npi } },
      create: { practiceId, npi, name: r.value.therapist_name, credential: r.value.therapist_credential as Credential },
      update: { name: r.value.therapist_name, credential: r.value.therapist_credential as Credential },
    });
    therapistIds.set(npi, t.id);
    if (before && before.credential !== t.credential) credentialChanged.push(t.id);
  }
  const patientIds = new Map<string, number>();
  let patientsCreated = 0;
  for (const r of rows) {
    const v = r.value;
    if (patientIds.has(v.patient_id)) continue;
    const before = await tx.patient.findUnique({ where: { practiceId_externalId: { practiceId, externalId: v.patient_id } } });
    const p = before
      ? await tx.patient.update({
          where: { id: before.id },
          data: { firstName: v.first_name, lastName: v.last_name, birthDate: dateFromIso(v.birth_date) },
        })
      : await tx.patient.create({
          data: {
            practiceId,
            externalId: v.patient_id,
            firstName: v.first_name,
            lastName: v.last_name,
            birthDate: dateFromIso(v.birth_date),
          },
        });
    if (!before) patientsCreated++;
    patientIds.set(v.patient_id, p.id);
  }
  // coverages
  const coverageSeen = new Set<string>();
  for (const r of rows) {
    const v = r.value;
    const patientId = patientIds.get(v.patient_id)!;
    const payerId = payerIds.get(v.payer.toLowerCase())!;
    const key = `${patientId}|${payerId}`;
    if (coverageSeen.has(key)) continue;
    coverageSeen.add(key);
    await tx.coverage.upsert({
      where: { practiceId_patientId_payerId: { practiceId, patientId, payerId } },
      create: { practiceId, patientId, payerId, memberId: v.member_id },
      update: v.member_id ? { memberId: v.member_id } : {},
    });
  }
  // claims
  const claimIds = new Map<string, number>();
  for (const r of rows) {
    const v = r.value;
    if (!v.claim_id || claimIds.has(v.claim_id)) continue;
    const c = await tx.claim.upsert({
      where: { practiceId_patientControlNumber: { practiceId, patientControlNumber: v.claim_id } },
      create: {
        practiceId,
        patientControlNumber: v.claim_id,
        patientId: patientIds.get(v.patient_id)!,
        payerId: payerIds.get(v.payer.toLowerCase())!,
      },
      update: {},
    });
    if (c.patientId !== patientIds.get(v.patient_id))
      return {
        counts: {},
        warnings,
        errors: [{ where: `row ${r.rowNumber}, column claim_id`, message: `claim ${v.claim_id} already belongs to another patient` }],
      };
    claimIds.set(v.claim_id, c.id);
  }

  // visits: group rows, update existing visits
  const visits = new Map<string, Row[]>();
  for (const r of rows) {
    const list = visits.get(r.value.visit_id) ?? [];
    list.push(r);
    visits.set(r.value.visit_id, list);
  }
  const externalIds = [...visits.keys()];
  const existing = await tx.visit.findMany({
    where: { practiceId, externalId: { in: externalIds } },
    select: { id: true, externalId: true },
  });
  const existingIds = new Map(existing.map((v) => [v.externalId, v.id]));
  // pools touched before the change (a visit may move to another patient, year or pool)
  const touchedBefore = await poolKeysOfVisits(
    tx,
    practiceId,
    existing.map((v) => v.id),
  );
  // patient-days left by a visit that moves: the visits still there are re-priced (MPPR over the day)
  const daysBefore: PatientDay[] = [];
  for (let i = 0; i < existing.length; i += 5000)
    daysBefore.push(
      ...(await daysOfVisits(
        tx,
        practiceId,
        existing.slice(i, i + 5000).map((v) => v.id),
      )),
    );
  if (existing.length) {
    for (const v of existing) {
      const first = visits.get(v.externalId)![0]!.value;
      await tx.visit.update({
        where: { id: v.id },
        data: {
          patientId: patientIds.get(first.patient_id)!,
          therapistId: therapistIds.get(first.therapist_npi)!,
          payerId: payerIds.get(first.payer.toLowerCase())!,
          claimId: first.claim_id ? claimIds.get(first.claim_id)! : null,
          dateOfService: dateFromIso(first.date_of_service),
          placeOfService: first.place_of_service,
          version: { increment: 1 },
        },
      });
    }
  }
  const toCreate = externalIds.filter((id) => !existingIds.has(id));
  const CHUNK = 5000;
  for (let i = 0; i < toCreate.length; i += INSERT_CHUNK) {
    await tx.visit.createMany({
      data: toCreate.slice(i, i + INSERT_CHUNK).map((externalId) => {
        const v = visits.get(externalId)![0]!.value;
        return {
          practiceId,
          externalId,
          patientId: patientIds.get(v.patient_id)!,
          therapistId: therapistIds.get(v.therapist_npi)!,
          payerId: payerIds.get(v.payer.toLowerCase())!,
          claimId: v.claim_id ? claimIds.get(v.claim_id)! : null,
          dateOfService: dateFromIso(v.date_of_service),
          placeOfService: v.place_of_service,
        };
      }),
    });
  }
  const allVisits = await tx.visit.findMany({
    where: { practiceId, externalId: { in: externalIds } },
    select: { id: true, externalId: true, patientId: true },
  });
  const visitIdByExternal = new Map(allVisits.map((v) => [v.externalId, v.id]));
  // lines of visits already here are updated in place (lib/server/visits/lines.ts): a line keeps
  // its id, and with it its remit matches and undercoding review, while its code stays the same
  const existingLines: ExistingLine[] = [];
  const existingVisitIds = existing.map((v) => v.id);
  for (let i = 0; i < existingVisitIds.length; i += CHUNK)
    existingLines.push(
      ...(await tx.serviceLine.findMany({
        where: { practiceId, visitId: { in: existingVisitIds.slice(i, i + CHUNK) } },
        select: EXISTING_LINE_SELECT,
      })),
    );
  const linesByVisit = new Map<number, ExistingLine[]>();
  for (const l of existingLines) {
    const list = linesByVisit.get(l.visitId);
    if (list) list.push(l);
    else linesByVisit.set(l.visitId, [l]);
  }
  const wanted = [...visits.entries()].map(([externalId, list]) => {
    const visitId = visitIdByExternal.get(externalId)!;
    const lines = list.map((r) => ({
      cpt: r.value.cpt,
      modifiers: r.value.modifiers,
      minutes: r.value.minutes,
      unitsBilled: r.value.units_billed,
      chargeCents: r.value.charge,
      note: r.value.note,
    }));
    const ids = pairLinesByCode(linesByVisit.get(visitId) ?? [], lines);
    return { visitId, lines: lines.map((l, i) => ({ id: ids[i] ?? null, ...l })) };
  });
  const written = await writeVisitLines(tx, practiceId, wanted, existingLines);

  // every patient-day the file touches (before and after) is re-priced whole, then remits, KX totals, claim checks
  await recomputeDerived(tx, practiceId, {
    visits: allVisits.map((v) => v.id),
    daysBefore,
    keptLines: written.kept,
    pools: touchedBefore,
    checkVisits: credentialChanged.length
      ? (await tx.visit.findMany({ where: { practiceId, therapistId: { in: credentialChanged } }, select: { id: true } })).map((v) => v.id)
      : [],
  });

  await auditMany(
    tx,
    { practiceId, userId },
    [...new Set(allVisits.map((v) => v.patientId))].map((patientId) => ({
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
      patientsCreated,
      visits: visits.size,
      visitsCreated: toCreate.length,
      visitsUpdated: existing.length,
      lines: rows.length,
      linesAdded: written.added,
      linesChanged: written.changed,
      linesRemoved: written.removed,
    },
    warnings,
    errors: [],
  };
}
