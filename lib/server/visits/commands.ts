// Creating, editing, deleting and restoring one visit from the visit form. Each is one
// transaction: the visit and its lines, the derived figures (recomputeDerived: prices, remit
// expectations, the KX totals of every pool the visit was in before and is in after, as a visit can
// move between patients, years and pools; claim checks), and the audit event.
import crypto from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { VisitFormValues } from "@/lib/schemas/visit";
import { type Actor, audit } from "../core/audit";
import { db, type Tx } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { Conflict, InvalidInput, NotFound } from "../core/errors";
import { daysOfVisits, type PatientDay, type PoolKey, poolKeysOfVisits, recomputeDerived } from "../derived";
import { EXISTING_LINE_SELECT, type LineValues, type WrittenLines, writeVisitLines } from "./lines";

const TX_OPTIONS = { timeout: 30_000, maxWait: 10_000 };

export interface SavedVisit {
  id: number;
  version: number;
  patientId: number;
}

export const CONFLICT_MESSAGE =
  "Someone else saved this visit after you opened it. Reload the page to see their changes, then make yours again.";

/** The ids the form's choices and typed identifiers stand for, or field errors naming what is wrong. */
async function resolveReferences(tx: Tx, practiceId: number, input: VisitFormValues, visitId: number | null) {
  const fieldErrors: Record<string, string[]> = {};
  const patient = await tx.patient.findUnique({
    where: { practiceId_externalId: { practiceId, externalId: input.patient } },
    select: { id: true },
  });
  if (!patient) fieldErrors.patient = [`No patient with id "${input.patient}" in this practice`];
  const therapist = await tx.therapist.findFirst({ where: { id: input.therapistId, practiceId }, select: { id: true, clinicId: true } });
  if (!therapist) fieldErrors.therapistId = ["Choose a therapist of this practice"];
  const payer = await tx.payer.findFirst({ where: { id: input.payerId, practiceId }, select: { id: true, name: true } });
  if (!payer) fieldErrors.payerId = ["Choose a payer of this practice"];
  if (input.visitId) {
    const taken = await tx.visit.findUnique({
      where: { practiceId_externalId: { practiceId, externalId: input.visitId } },
      select: { id: true },
    });
    if (taken && taken.id !== visitId) fieldErrors.visitId = [`Another visit already has the id "${input.visitId}"`];
  }
  let claimId: number | null = null;
  if (input.claimId && patient && payer) {
    const claim = await tx.claim.findUnique({
      where: { practiceId_patientControlNumber: { practiceId, patientControlNumber: input.claimId } },
      include: { payer: { select: { name: true } } },
    });
    if (!claim) {
      claimId = (
        await tx.claim.create({ data: { practiceId, patientControlNumber: input.claimId, patientId: patient.id, payerId: payer.id } })
      ).id;
    } else if (claim.patientId === patient.id && claim.payerId === payer.id) {
      claimId = claim.id;
    } else {
      // a claim that holds only this visit follows it to its new patient or payer
      const others = await tx.visit.count({ where: { practiceId, claimId: claim.id, ...(visitId ? { id: { not: visitId } } : {}) } });
      if (others === 0) {
        await tx.claim.update({ where: { id: claim.id }, data: { patientId: patient.id, payerId: payer.id } });
        claimId = claim.id;
      } else if (claim.patientId !== patient.id) {
        fieldErrors.claimId = [`Claim ${input.claimId} belongs to another patient; use another claim id`];
      } else {
        fieldErrors.claimId = [`Claim ${input.claimId} is billed to ${claim.payer.name}; choose that payer or use another claim id`];
      }
    }
  }
  if (Object.keys(fieldErrors).length > 0 || !patient || !therapist || !payer) {
    throw new InvalidInput("Some fields need attention", fieldErrors);
  }
  return { patientId: patient.id, therapistId: therapist.id, clinicId: therapist.clinicId, payerId: payer.id, claimId };
}

async function ensureCoverage(tx: Tx, practiceId: number, patientId: number, payerId: number) {
  await tx.coverage.upsert({
    where: { practiceId_patientId_payerId: { practiceId, patientId, payerId } },
    create: { practiceId, patientId, payerId, memberId: "" },
    update: {},
  });
}

function lineData(line: VisitFormValues["lines"][number]) {
  return {
    cpt: line.cpt,
    modifiers: line.modifiers,
    minutes: line.minutes,
    unitsBilled: line.unitsBilled,
    chargeCents: line.charge,
    note: line.note,
  };
}

/**
 * Lines priced (kept lines' reviews and remit lines checked), the other visits of the patient's day
 * (before and after the change) re-priced with them, then the KX totals of the pools touched
 * before and after the change.
 */
async function recompute(
  tx: Tx,
  practiceId: number,
  visitId: number | null,
  poolsBefore: PoolKey[],
  kept: WrittenLines["kept"] = [],
  daysBefore: PatientDay[] = [],
  payments: readonly number[] = [],
) {
  await recomputeDerived(tx, practiceId, {
    visits: visitId === null ? [] : [visitId],
    daysBefore,
    keptLines: kept,
    pools: poolsBefore,
    payments,
  });
}

function newExternalId(dateOfService: string): string {
  return `V-${dateOfService.replaceAll("-", "")}-${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function createVisit(actor: Actor, input: VisitFormValues): Promise<SavedVisit> {
  const { practiceId } = actor;
  try {
    return await db().$transaction(async (tx) => {
      const refs = await resolveReferences(tx, practiceId, input, null);
      await ensureCoverage(tx, practiceId, refs.patientId, refs.payerId);
      const visit = await tx.visit.create({
        data: {
          practiceId,
          externalId: input.visitId || newExternalId(input.dateOfService),
          patientId: refs.patientId,
          therapistId: refs.therapistId,
          clinicId: refs.clinicId,
          payerId: refs.payerId,
          claimId: refs.claimId,
          dateOfService: dateFromIso(input.dateOfService),
          placeOfService: input.placeOfService,
        },
      });
      await tx.serviceLine.createMany({
        data: input.lines.map((line, lineOrder) => ({ practiceId, visitId: visit.id, lineOrder, ...lineData(line) })),
      });
      await recompute(tx, practiceId, visit.id, []);
      await audit(tx, actor, {
        action: "visit.create",
        entityType: "Visit",
        entityId: visit.id,
        patientId: refs.patientId,
        details: { externalId: visit.externalId, dateOfService: input.dateOfService, lines: input.lines.length },
      });
      return { id: visit.id, version: visit.version, patientId: refs.patientId };
    }, TX_OPTIONS);
  } catch (error) {
    if (isUniqueViolation(error)) throw new InvalidInput("Some fields need attention", { visitId: ["Another visit already has this id"] });
    throw error;
  }
}

export async function updateVisit(actor: Actor, id: number, version: number, input: VisitFormValues): Promise<SavedVisit> {
  const { practiceId } = actor;
  try {
    return await db().$transaction(async (tx) => {
      const current = await tx.visit.findFirst({ where: { id, practiceId }, include: { lines: { select: EXISTING_LINE_SELECT } } });
      if (!current) throw new NotFound("No such visit");
      if (current.version !== version) throw new Conflict(CONFLICT_MESSAGE);
      const poolsBefore = await poolKeysOfVisits(tx, practiceId, [id]);
      const daysBefore = await daysOfVisits(tx, practiceId, [id]);
      const refs = await resolveReferences(tx, practiceId, input, id);

      // the version check and the write are one statement: a concurrent save makes it match nothing
      const updated = await tx.visit.updateMany({
        where: { id, practiceId, version },
        data: {
          externalId: input.visitId || current.externalId,
          patientId: refs.patientId,
          therapistId: refs.therapistId,
          payerId: refs.payerId,
          claimId: refs.claimId,
          dateOfService: dateFromIso(input.dateOfService),
          placeOfService: input.placeOfService,
          version: { increment: 1 },
        },
      });
      if (updated.count === 0) throw new Conflict(CONFLICT_MESSAGE);
      await ensureCoverage(tx, practiceId, refs.patientId, refs.payerId);

      // lines keep their ids (remit links, undercoding reviews); removed ones go, new ones are added
      const existingIds = new Set(current.lines.map((l) => l.id));
      const unknown = input.lines.flatMap((l, i) => (l.id !== null && !existingIds.has(l.id) ? [i] : []));
      if (unknown.length) {
        throw new InvalidInput(
          "Some lines are no longer on this visit",
          Object.fromEntries(unknown.map((i) => [`lines.${i}`, ["This line is no longer on the visit; reload the page"]])),
        );
      }
      const written = await writeVisitLines(
        tx,
        practiceId,
        [{ visitId: id, lines: input.lines.map((line) => ({ id: line.id, ...lineData(line) })) }],
        current.lines,
      );

      await recompute(tx, practiceId, id, poolsBefore, written.kept, daysBefore, written.payments);
      const moved = current.patientId !== refs.patientId;
      await audit(tx, actor, {
        action: "visit.update",
        entityType: "Visit",
        entityId: id,
        patientId: refs.patientId,
        details: {
          externalId: input.visitId || current.externalId,
          version: version + 1,
          linesAdded: written.added,
          linesRemoved: written.removed,
          ...(moved ? { movedFromPatientId: current.patientId } : {}),
          ...(isoDate(current.dateOfService) !== input.dateOfService ? { movedFromDate: isoDate(current.dateOfService) } : {}),
        },
      });
      if (moved) {
        // the patient the visit left keeps a trace in their own history
        await audit(tx, actor, {
          action: "visit.move",
          entityType: "Visit",
          entityId: id,
          patientId: current.patientId,
          details: { toPatientId: refs.patientId },
        });
      }
      return { id, version: version + 1, patientId: refs.patientId };
    }, TX_OPTIONS);
  } catch (error) {
    if (isUniqueViolation(error)) throw new InvalidInput("Some fields need attention", { visitId: ["Another visit already has this id"] });
    throw error;
  }
}

/** What a deleted visit was, kept in the audit event so the delete can be undone. */
export interface DeletedVisitSnapshot {
  visit: {
    id: number;
    externalId: string;
    patientId: number;
    therapistId: number;
    clinicId: number | null;
    payerId: number;
    claimId: number | null;
    dateOfService: string;
    placeOfService: string;
  };
  lines: (LineValues & {
    id: number;
    lineOrder: number;
    remitAllowedCents: number | null;
    remitLineIds: number[];
    review: { decision: "CONFIRMED" | "DISMISSED"; reason: string; userId: number; createdAt: string } | null;
  })[];
}

export async function deleteVisit(actor: Actor, id: number, version: number): Promise<{ patientId: number; deleteEventId: string }> {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const visit = await tx.visit.findFirst({
      where: { id, practiceId },
      include: {
        lines: {
          orderBy: { lineOrder: "asc" },
          include: { remitLines: { select: { id: true } }, remit: { select: { remitAllowedCents: true } }, undercodingReview: true },
        },
      },
    });
    if (!visit) throw new NotFound("No such visit");
    if (visit.version !== version) throw new Conflict(CONFLICT_MESSAGE);
    const poolsBefore = await poolKeysOfVisits(tx, practiceId, [id]);
    const daysBefore = await daysOfVisits(tx, practiceId, [id]);
    const snapshot: DeletedVisitSnapshot = {
      visit: {
        id: visit.id,
        externalId: visit.externalId,
        patientId: visit.patientId,
        therapistId: visit.therapistId,
        clinicId: visit.clinicId,
        payerId: visit.payerId,
        claimId: visit.claimId,
        dateOfService: isoDate(visit.dateOfService),
        placeOfService: visit.placeOfService,
      },
      lines: visit.lines.map((l) => ({
        id: l.id,
        lineOrder: l.lineOrder,
        cpt: l.cpt,
        modifiers: l.modifiers,
        minutes: l.minutes,
        unitsBilled: l.unitsBilled,
        chargeCents: l.chargeCents,
        note: l.note,
        remitAllowedCents: l.remit?.remitAllowedCents ?? null,
        remitLineIds: l.remitLines.map((r) => r.id),
        review: l.undercodingReview
          ? {
              decision: l.undercodingReview.decision,
              reason: l.undercodingReview.reason,
              userId: l.undercodingReview.userId,
              createdAt: l.undercodingReview.createdAt.toISOString(),
            }
          : null,
      })),
    };
    const deleted = await tx.visit.deleteMany({ where: { id, practiceId, version } });
    if (deleted.count === 0) throw new Conflict(CONFLICT_MESSAGE);
    // the other visits of the patient's day lose this visit from their MPPR group
    await recompute(tx, practiceId, null, poolsBefore, [], daysBefore);
    const event = await tx.auditEvent.create({
      data: {
        practiceId,
        userId: actor.userId,
        action: "visit.delete",
        entityType: "Visit",
        entityId: String(id),
        patientId: visit.patientId,
        details: snapshot as unknown as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    return { patientId: visit.patientId, deleteEventId: event.id.toString() };
  }, TX_OPTIONS);
}

/** Undoes a delete from the visit kept in its audit event: same ids, lines, remit links and reviews. */
export async function restoreVisit(actor: Actor, deleteEventId: string): Promise<SavedVisit> {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const event = await tx.auditEvent.findFirst({
      where: { id: BigInt(deleteEventId), practiceId, action: "visit.delete", entityType: "Visit" },
    });
    if (!event?.details) throw new NotFound("No such deleted visit");
    const { visit, lines } = event.details as unknown as DeletedVisitSnapshot;
    if (await tx.visit.findUnique({ where: { id: visit.id }, select: { id: true } }))
      throw new Conflict("This visit has already been restored");
    const taken = await tx.visit.findUnique({
      where: { practiceId_externalId: { practiceId, externalId: visit.externalId } },
      select: { id: true },
    });
    if (taken) throw new Conflict(`Another visit now has the id "${visit.externalId}"; the deleted visit cannot be restored under it`);
    const patient = await tx.patient.findFirst({ where: { id: visit.patientId, practiceId }, select: { id: true } });
    if (!patient) throw new Conflict("The visit's patient no longer exists");
    const claim =
      visit.claimId === null ? null : await tx.claim.findFirst({ where: { id: visit.claimId, practiceId }, select: { id: true } });
    await tx.visit.create({
      data: {
        id: visit.id,
        practiceId,
        externalId: visit.externalId,
        patientId: visit.patientId,
        therapistId: visit.therapistId,
        clinicId: visit.clinicId,
        payerId: visit.payerId,
        claimId: claim?.id ?? null,
        dateOfService: dateFromIso(visit.dateOfService),
        placeOfService: visit.placeOfService,
      },
    });
    for (const line of lines) {
      await tx.serviceLine.create({
        data: {
          id: line.id,
          practiceId,
          visitId: visit.id,
          lineOrder: line.lineOrder,
          cpt: line.cpt,
          modifiers: line.modifiers,
          minutes: line.minutes,
          unitsBilled: line.unitsBilled,
          chargeCents: line.chargeCents,
          note: line.note,
        },
      });
      // the confirmed allowed amount as it was (the remit lines below bring their sums back)
      if (line.remitAllowedCents !== null)
        await tx.serviceLineRemit.create({
          data: { serviceLineId: line.id, practiceId, visitId: visit.id, remitAllowedCents: line.remitAllowedCents },
        });
      // remit lines the delete detached come back, unless they were matched to another line since
      if (line.remitLineIds.length) {
        await tx.remitLine.updateMany({
          where: { practiceId, id: { in: line.remitLineIds }, serviceLineId: null },
          data: { serviceLineId: line.id },
        });
      }
      if (line.review) {
        await tx.undercodingReview.create({
          data: {
            practiceId,
            serviceLineId: line.id,
            decision: line.review.decision,
            reason: line.review.reason,
            userId: line.review.userId,
            createdAt: new Date(line.review.createdAt),
          },
        });
      }
    }
    await recompute(tx, practiceId, visit.id, []);
    await audit(tx, actor, {
      action: "visit.restore",
      entityType: "Visit",
      entityId: visit.id,
      patientId: visit.patientId,
      details: { deleteEventId },
    });
    return { id: visit.id, version: 1, patientId: visit.patientId };
  }, TX_OPTIONS);
}
