// The unmatched worklist: remitted claims we could not tie to a claim of ours, and remitted
// lines we could not tie to a line. A person matches them by hand; each match is one
// transaction with its audit event, and updates the confirmed allowed amounts and the KX totals.
import { audit } from "../core/audit";
import { db, type Tx } from "../core/db";
import { isoDate } from "../core/dates";
import { InvalidInput, NotFound } from "../core/errors";
import { recomputeDerived } from "../derived";
import { type CandidateLine, matchLines } from "./match";
import type { RemitLineInput } from "./model";
import { CARD_PAGE_SIZE, pageOffset } from "@/lib/ui/paging";

export interface RemitActor {
  practiceId: number;
  userId: number;
}

const TX_OPTIONS = { timeout: 60_000, maxWait: 10_000 } as const;

/**
 * The unmatched claims and the unmatched lines of matched claims, newest first, each a page at a
 * time with the count of all of them (pages `claimPage` and `linePage`). Each is a card, with its
 * lines, the form to match it and our claims of that day: CARD_PAGE_SIZE a page, so that a page
 * of each stays under 150 KB (50 claim cards of three lines were 225 KB).
 */
export async function unmatchedWorklist(practiceId: number, claimPage = 1, linePage = 1) {
  // "claimId is null" beside the status: under row-level security only that condition can use an
  // index (enum equality is not leakproof), and an unmatched claim has none (a check constraint;
  // migration unmatched_leakproof_indexes)
  const claims = await db().remitClaim.findMany({
    where: { practiceId, matchStatus: "UNMATCHED", claimId: null },
    orderBy: { id: "desc" },
    skip: pageOffset(claimPage, CARD_PAGE_SIZE),
    take: CARD_PAGE_SIZE,
    include: {
      payment: { select: { id: true, payerName: true, traceNumber: true, paymentDate: true } },
      lines: {
        orderBy: { lineOrder: "asc" },
        select: { id: true, cpt: true, modifiers: true, serviceDate: true, chargeCents: true, paidCents: true, allowedCents: true },
      },
    },
  });
  const claimCount = await db().remitClaim.count({ where: { practiceId, matchStatus: "UNMATCHED", claimId: null } });
  // the page's lines by the partial index of lines without a service line (likewise), with the
  // claim's status checked per line: a relation filter let the planner read every matched claim
  // of the practice first (seconds at a million visits)
  const linePageIds = await db().$queryRawUnsafe<{ id: number }[]>(
    `select rl.id from "RemitLine" rl
     where rl."practiceId" = $1 and rl."serviceLineId" is null and rl."matchStatus" = 'UNMATCHED'
       and exists (select 1 from "RemitClaim" rc where rc.id = rl."remitClaimId" and rc."matchStatus" = 'MATCHED')
     order by rl.id desc limit $2 offset $3`,
    practiceId,
    CARD_PAGE_SIZE,
    pageOffset(linePage, CARD_PAGE_SIZE),
  );
  const lines = await db().remitLine.findMany({
    where: { practiceId, id: { in: linePageIds.map((l) => l.id) } },
    orderBy: { id: "desc" },
    include: {
      remitClaim: {
        select: {
          id: true,
          patientControlNumber: true,
          claimId: true,
          patientId: true,
          patientName: true,
          payment: { select: { id: true, payerName: true } },
        },
      },
    },
  });
  const [counted] = await db().$queryRawUnsafe<{ n: number }[]>(
    `select count(*)::int as n from "RemitLine" rl
     where rl."practiceId" = $1 and rl."serviceLineId" is null and rl."matchStatus" = 'UNMATCHED'
       and exists (select 1 from "RemitClaim" rc where rc.id = rl."remitClaimId" and rc."matchStatus" = 'MATCHED')`,
    practiceId,
  );
  const lineCount = counted?.n ?? 0;

  // suggestions: for a claim, our claims with a visit on one of its dates (same patient when known);
  // for a line, the lines of its claim's visits (or its patient's visits that day)
  const dates = new Set<string>();
  for (const claim of claims) for (const line of claim.lines) if (line.serviceDate) dates.add(isoDate(line.serviceDate));
  const claimSuggestions = new Map<number, { pcn: string; patient: string; date: string }[]>();
  if (dates.size) {
    const rows = await db().$queryRawUnsafe<{ pcn: string; patientId: number; first: string; last: string; dos: Date }[]>(
      `select distinct c."patientControlNumber" as pcn, v."patientId", p."firstName" as first, p."lastName" as last, v."dateOfService" as dos
       from "Visit" v join "Claim" c on c.id = v."claimId" join "Patient" p on p.id = v."patientId"
       where v."practiceId" = $1 and v."dateOfService" = any($2::date[])
       order by v."dateOfService", c."patientControlNumber" limit 2000`,
      practiceId,
      [...dates],
    );
    for (const claim of claims) {
      const wanted = new Set(claim.lines.map((line) => (line.serviceDate ? isoDate(line.serviceDate) : "")));
      const last = claim.patientName?.split(",")[0]?.trim().toLowerCase() ?? "";
      const list = rows
        .filter((r) => wanted.has(isoDate(r.dos)) && (claim.patientId ? r.patientId === claim.patientId : true))
        .sort((a, b) => Number(b.last.toLowerCase() === last) - Number(a.last.toLowerCase() === last))
        .slice(0, 8)
        .map((r) => ({ pcn: r.pcn, patient: `${r.last}, ${r.first}`, date: isoDate(r.dos) }));
      claimSuggestions.set(claim.id, list);
    }
  }
  const lineSuggestions = new Map<number, { id: number; label: string }[]>();
  const claimIds = [...new Set(lines.map((line) => line.remitClaim.claimId).filter((x): x is number => x !== null))];
  if (claimIds.length) {
    const rows = await db().serviceLine.findMany({
      where: { practiceId, visit: { claimId: { in: claimIds } } },
      select: {
        id: true,
        lineOrder: true,
        cpt: true,
        modifiers: true,
        unitsBilled: true,
        visit: { select: { claimId: true, externalId: true, dateOfService: true } },
      },
      orderBy: [{ visitId: "asc" }, { lineOrder: "asc" }],
    });
    for (const line of lines) {
      lineSuggestions.set(
        line.id,
        rows
          .filter((r) => r.visit.claimId === line.remitClaim.claimId)
          .map((r) => ({
            id: r.id,
            label: `${isoDate(r.visit.dateOfService)} visit ${r.visit.externalId} line ${r.lineOrder + 1}: ${r.cpt} ${r.modifiers.join(" ")} ×${r.unitsBilled}`,
          })),
      );
    }
  }
  return { claims, claimCount, lines, lineCount, claimSuggestions, lineSuggestions };
}

async function candidatesOfClaim(tx: Tx, practiceId: number, claimId: number): Promise<CandidateLine[]> {
  const rows = await tx.serviceLine.findMany({
    where: { practiceId, visit: { claimId } },
    select: {
      id: true,
      visitId: true,
      lineOrder: true,
      cpt: true,
      modifiers: true,
      expectedAllowedCents: true,
      visit: { select: { claimId: true, patientId: true, payerId: true, dateOfService: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    visitId: r.visitId,
    claimId: r.visit.claimId,
    patientId: r.visit.patientId,
    payerId: r.visit.payerId,
    dateOfService: isoDate(r.visit.dateOfService),
    lineOrder: r.lineOrder,
    cpt: r.cpt,
    modifiers: r.modifiers,
    expectedAllowedCents: r.expectedAllowedCents,
  }));
}

/** Ties an unmatched remitted claim to one of our claims (by its claim number), then its lines. */
export async function matchRemitClaimToClaim(actor: RemitActor, input: { remitClaimId: number; claimNumber: string }) {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const remitClaim = await tx.remitClaim.findFirst({
      where: { practiceId, id: input.remitClaimId },
      include: { lines: { orderBy: { lineOrder: "asc" } } },
    });
    if (!remitClaim) throw new NotFound("No such remitted claim");
    if (remitClaim.matchStatus === "MATCHED")
      throw new InvalidInput("This remitted claim is already matched", { claimNumber: ["already matched"] });
    const claim = await tx.claim.findFirst({ where: { practiceId, patientControlNumber: input.claimNumber.trim() } });
    if (!claim)
      throw new InvalidInput(`No claim ${input.claimNumber} in this practice`, { claimNumber: ["no such claim in this practice"] });
    const candidates = await candidatesOfClaim(tx, practiceId, claim.id);
    const inputs: RemitLineInput[] = remitClaim.lines.map((l) => ({
      cpt: l.cpt,
      paidCpt: l.paidCpt,
      modifiers: l.modifiers,
      chargeCents: l.chargeCents,
      paidCents: l.paidCents,
      allowedCents: l.allowedCents,
      units: l.units,
      serviceDate: l.serviceDate ? isoDate(l.serviceDate) : null,
      remarkCodes: l.remarkCodes,
      adjustments: [],
    }));
    const pairs = matchLines(inputs, candidates);
    await tx.remitClaim.update({
      where: { id: remitClaim.id },
      data: { claimId: claim.id, patientId: claim.patientId, matchStatus: "MATCHED" },
    });
    const touched: number[] = [];
    for (let i = 0; i < remitClaim.lines.length; i++) {
      const ours = pairs[i];
      if (!ours) continue;
      touched.push(ours.id);
      await tx.remitLine.update({
        where: { id: remitClaim.lines[i]!.id },
        data: { serviceLineId: ours.id, matchStatus: "MATCHED", expectedAllowedCents: ours.expectedAllowedCents },
      });
    }
    const payment = await tx.remitPayment.findUniqueOrThrow({ where: { id: remitClaim.paymentId }, select: { payerId: true } });
    if (payment.payerId === null) await tx.remitPayment.update({ where: { id: remitClaim.paymentId }, data: { payerId: claim.payerId } });
    await recomputeDerived(tx, practiceId, { remitLines: touched, payments: [remitClaim.paymentId] });
    await audit(tx, actor, {
      action: "remit.claim.match",
      entityType: "RemitClaim",
      entityId: remitClaim.id,
      patientId: claim.patientId,
      details: {
        claim: claim.patientControlNumber,
        linesMatched: touched.length,
        linesUnmatched: remitClaim.lines.length - touched.length,
      },
    });
    return { remitClaimId: remitClaim.id, linesMatched: touched.length, linesUnmatched: remitClaim.lines.length - touched.length };
  }, TX_OPTIONS);
}

/** Ties an unmatched remitted line to one of our service lines. */
export async function matchRemitLineToLine(actor: RemitActor, input: { remitLineId: number; serviceLineId: number }) {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const line = await tx.remitLine.findFirst({ where: { practiceId, id: input.remitLineId }, include: { remitClaim: true } });
    if (!line) throw new NotFound("No such remitted line");
    if (line.matchStatus === "MATCHED")
      throw new InvalidInput("This remitted line is already matched", { serviceLineId: ["already matched"] });
    const ours = await tx.serviceLine.findFirst({
      where: { practiceId, id: input.serviceLineId },
      include: { visit: { select: { patientId: true, claimId: true, payerId: true } } },
    });
    if (!ours) throw new NotFound("No such service line");
    if (line.remitClaim.patientId !== null && line.remitClaim.patientId !== ours.visit.patientId) {
      throw new InvalidInput("That line belongs to another patient", { serviceLineId: ["belongs to another patient"] });
    }
    await tx.remitLine.update({
      where: { id: line.id },
      data: { serviceLineId: ours.id, matchStatus: "MATCHED", expectedAllowedCents: ours.expectedAllowedCents },
    });
    if (line.remitClaim.matchStatus === "UNMATCHED") {
      await tx.remitClaim.update({
        where: { id: line.remitClaimId },
        data: { matchStatus: "MATCHED", patientId: ours.visit.patientId, claimId: ours.visit.claimId },
      });
    }
    await recomputeDerived(tx, practiceId, { remitLines: [ours.id], payments: [line.remitClaim.paymentId] });
    await audit(tx, actor, {
      action: "remit.line.match",
      entityType: "RemitLine",
      entityId: line.id,
      patientId: ours.visit.patientId,
      details: { serviceLineId: ours.id },
    });
    return { remitLineId: line.id, serviceLineId: ours.id };
  }, TX_OPTIONS);
}

/** Undoes a match (a line tied to the wrong one of ours): the line goes back to the worklist. */
export async function unmatchRemitLine(actor: RemitActor, input: { remitLineId: number }) {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const line = await tx.remitLine.findFirst({
      where: { practiceId, id: input.remitLineId },
      include: { serviceLine: { select: { visit: { select: { patientId: true } } } }, remitClaim: { select: { paymentId: true } } },
    });
    if (!line) throw new NotFound("No such remitted line");
    if (line.serviceLineId === null) throw new InvalidInput("This remitted line is not matched");
    await tx.remitLine.update({
      where: { id: line.id },
      data: { serviceLineId: null, matchStatus: "UNMATCHED", expectedAllowedCents: null, varianceCents: null },
    });
    await recomputeDerived(tx, practiceId, { remitLines: [line.serviceLineId], payments: [line.remitClaim.paymentId] });
    await audit(tx, actor, {
      action: "remit.line.unmatch",
      entityType: "RemitLine",
      entityId: line.id,
      patientId: line.serviceLine?.visit.patientId ?? null,
      details: { serviceLineId: line.serviceLineId },
    });
    return { remitLineId: line.id };
  }, TX_OPTIONS);
}
