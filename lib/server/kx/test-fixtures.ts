// Building KX scenarios for the integration tests: a practice of its own, Medicare and
// commercial payers, and visits saved the way the visit form saves them (lines written,
// then the totals of every pool the visit touched before and after recomputed in the same
// transaction). Amounts are given per line so a test can land exactly on a level; with
// `price: true` the rule book prices the lines from the shipped fee schedule instead.
// Written as the owner (fixtures around the app, not the app under test).
import { poolOfLine } from "@/lib/billing";
import type { Tx } from "../core/db";
import { dateFromIso } from "../core/dates";
import { createTestPractice, db, type TestPractice } from "../testing";
import { poolKeysOfVisits, recomputeDerived } from "../derived";

export interface KxFixture extends TestPractice {
  medicareId: number;
  commercialId: number;
  therapistId: number;
  clinicId: number;
}

export interface FixtureLine {
  cpt?: string;
  modifiers: string[];
  /** expected allowed in cents (ignored with price: true) */
  allowed?: number;
  minutes?: number | null;
  units?: number;
  remit?: number | null;
}

export async function createKxFixture(prefix: string): Promise<KxFixture> {
  const practice = await createTestPractice(prefix);
  const practiceId = practice.practiceId;
  const medicare = await db().payer.create({ data: { practiceId, name: "Medicare", nameKey: "medicare", kind: "medicare" } });
  const commercial = await db().payer.create({ data: { practiceId, name: "Aetna", nameKey: "aetna", kind: "commercial" } });
  const clinic = await db().clinic.create({ data: { practiceId, name: "Main St" } });
  const therapist = await db().therapist.create({
    data: { practiceId, npi: "1234567893", name: "Pat Therapist", credential: "PT", clinicId: clinic.id },
  });
  return { ...practice, medicareId: medicare.id, commercialId: commercial.id, therapistId: therapist.id, clinicId: clinic.id };
}

export async function addPatient(fixture: KxFixture, externalId: string, name = externalId): Promise<number> {
  const patient = await db().patient.create({
    data: { practiceId: fixture.practiceId, externalId, firstName: name, lastName: "Test", birthDate: dateFromIso("1945-03-01") },
  });
  return patient.id;
}

async function writeLines(tx: Tx, fixture: KxFixture, visitId: number, lines: FixtureLine[]) {
  const created = await tx.serviceLine.createManyAndReturn({
    select: { id: true },
    data: lines.map((l, lineOrder) => ({
      practiceId: fixture.practiceId,
      visitId,
      lineOrder,
      cpt: l.cpt ?? "97110",
      modifiers: l.modifiers,
      minutes: l.minutes === undefined ? 15 : l.minutes,
      unitsBilled: l.units ?? 1,
      chargeCents: 10000,
      expectedAllowedCents: l.allowed ?? null,
      pool: poolOfLine(l.modifiers),
    })),
  });
  // a remit's confirmed allowed amount, where the line has one
  await tx.serviceLineRemit.createMany({
    data: lines.flatMap((l, i) =>
      l.remit == null
        ? []
        : [
            {
              serviceLineId: created[i]!.id,
              practiceId: fixture.practiceId,
              visitId,
              expectedAllowedCents: l.allowed ?? null,
              remitAllowedCents: l.remit,
            },
          ],
    ),
  });
}

/** Saves a new visit and recomputes the totals it touches, in one transaction. */
export async function saveVisit(
  fixture: KxFixture,
  input: {
    patientId: number;
    externalId: string;
    date: string;
    lines: FixtureLine[];
    payerId?: number;
    therapistId?: number;
    price?: boolean;
  },
): Promise<number> {
  return db().$transaction(async (tx) => {
    const visit = await tx.visit.create({
      data: {
        practiceId: fixture.practiceId,
        externalId: input.externalId,
        patientId: input.patientId,
        therapistId: input.therapistId ?? fixture.therapistId,
        payerId: input.payerId ?? fixture.medicareId,
        dateOfService: dateFromIso(input.date),
      },
    });
    await writeLines(tx, fixture, visit.id, input.lines);
    // priced by the rule book, or with the fixture's own expected amounts and only the totals recomputed
    await recomputeDerived(
      tx,
      fixture.practiceId,
      input.price ? { visits: [visit.id] } : { pools: await poolKeysOfVisits(tx, fixture.practiceId, [visit.id]) },
    );
    return visit.id;
  });
}

/** Edits a visit (date and/or lines) and recomputes the pools it was in and is in now. */
export async function editVisit(fixture: KxFixture, visitId: number, change: { date?: string; lines?: FixtureLine[] }): Promise<void> {
  await db().$transaction(async (tx) => {
    const before = await poolKeysOfVisits(tx, fixture.practiceId, [visitId]);
    await tx.visit.update({
      where: { id: visitId },
      data: { ...(change.date ? { dateOfService: dateFromIso(change.date) } : {}), version: { increment: 1 } },
    });
    if (change.lines) {
      await tx.serviceLine.deleteMany({ where: { practiceId: fixture.practiceId, visitId } });
      await writeLines(tx, fixture, visitId, change.lines);
    }
    const after = await poolKeysOfVisits(tx, fixture.practiceId, [visitId]);
    await recomputeDerived(tx, fixture.practiceId, { pools: [...before, ...after] });
  });
}

export async function deleteVisit(fixture: KxFixture, visitId: number): Promise<void> {
  await db().$transaction(async (tx) => {
    const before = await poolKeysOfVisits(tx, fixture.practiceId, [visitId]);
    await tx.visit.delete({ where: { id: visitId } });
    await recomputeDerived(tx, fixture.practiceId, { pools: before });
  });
}

/** A remit confirms a line's allowed amount (what the 835 import does for a matched line). */
export async function confirmLine(fixture: KxFixture, lineId: number, remitAllowedCents: number): Promise<void> {
  await db().$transaction(async (tx) => {
    const line = await tx.serviceLine.findUniqueOrThrow({ where: { id: lineId } });
    await tx.serviceLineRemit.upsert({
      where: { serviceLineId: lineId },
      create: {
        serviceLineId: lineId,
        practiceId: fixture.practiceId,
        visitId: line.visitId,
        expectedAllowedCents: line.expectedAllowedCents,
        remitAllowedCents,
      },
      update: { remitAllowedCents },
    });
    await recomputeDerived(tx, fixture.practiceId, { pools: await poolKeysOfVisits(tx, fixture.practiceId, [line.visitId]) });
  });
}

export function item(fixture: KxFixture, patientId: number, year: number, pool: "PT_SLP" | "OT") {
  return db().kxQueueItem.findUnique({
    where: { practiceId_patientId_year_pool: { practiceId: fixture.practiceId, patientId, year, pool } },
  });
}

export async function linesOf(visitId: number) {
  return db().serviceLine.findMany({ where: { visitId }, orderBy: { lineOrder: "asc" } });
}
