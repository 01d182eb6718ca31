// The KX running totals of DOMAIN.md §1, kept current in the same transaction as every
// write that changes them (visit saved/edited/deleted, remit imported, usage entered).
import { compareThresholdLines, type ThresholdLine, thresholdCrossings, thresholdsFor } from "@/lib/billing";
import type { Pool } from "@/lib/generated/prisma/client";
import type { Tx } from "../db";
import { dateFromIso, isoDate } from "../dates";

export interface PoolKey {
  patientId: number;
  year: number;
  pool: Pool;
}

export function poolKeyString(k: PoolKey): string {
  return `${k.patientId}|${k.year}|${k.pool}`;
}

export function uniquePoolKeys(keys: PoolKey[]): PoolKey[] {
  const seen = new Map<string, PoolKey>();
  for (const k of keys) seen.set(poolKeyString(k), k);
  return [...seen.values()];
}

/** Urgency rank of the queue: lower is more urgent. */
export function urgencyOf(level: string, linesMissingKx: number, docReviewed: boolean): number {
  if ((level === "kx" || level === "review") && linesMissingKx > 0) return 0;
  if (level === "review" && !docReviewed) return 1;
  if (level === "alert") return 2;
  if (level === "kx") return 3;
  if (level === "review") return 4;
  return 9;
}

export interface PoolLine {
  id: number;
  visitId: number;
  visitExternalId: string;
  dateOfService: string;
  lineOrder: number;
  modifiers: string[];
  allowedCents: number;
  confirmed: boolean;
}

/** A patient's Medicare therapy lines of one pool and year, in threshold order. */
export async function poolLines(tx: Tx, practiceId: number, key: PoolKey): Promise<PoolLine[]> {
  const rows = await tx.$queryRaw<
    { id: number; visitId: number; externalId: string; dos: Date; lineOrder: number; modifiers: string[]; expected: number | null; remit: number | null }[]
  >`
    select s.id, s."visitId", v."externalId", v."dateOfService" as dos, s."lineOrder", s.modifiers,
           s."expectedAllowedCents" as expected, s."remitAllowedCents" as remit
    from "ServiceLine" s
    join "Visit" v on v.id = s."visitId"
    join "Payer" p on p.id = v."payerId"
    where s."practiceId" = ${practiceId} and v."practiceId" = ${practiceId}
      and v."patientId" = ${key.patientId}
      and p.kind = 'medicare'
      and s.pool = ${key.pool}::"Pool"
      and v."dateOfService" >= ${dateFromIso(`${key.year}-01-01`)} and v."dateOfService" <= ${dateFromIso(`${key.year}-12-31`)}`;
  const lines = rows.map((r) => ({
    id: r.id,
    visitId: r.visitId,
    visitExternalId: r.externalId,
    dateOfService: isoDate(r.dos),
    lineOrder: r.lineOrder,
    modifiers: r.modifiers,
    allowedCents: r.remit ?? r.expected ?? 0,
    confirmed: r.remit != null,
  }));
  const asThreshold = (l: PoolLine): ThresholdLine => ({
    dateOfService: l.dateOfService,
    visitId: l.visitExternalId,
    lineOrder: l.lineOrder,
    allowedCents: l.allowedCents,
    modifiers: l.modifiers,
  });
  return lines.sort((a, b) => compareThresholdLines(asThreshold(a), asThreshold(b)));
}

/** Recomputes the totals of the given patient-year-pools and stores them on their queue items. */
export async function recomputeKx(tx: Tx, practiceId: number, keys: PoolKey[]): Promise<void> {
  if (keys.length === 0) return;
  const practice = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { alertLevelCents: true } });
  for (const key of uniquePoolKeys(keys)) {
    // sequential: queries on one transaction's connection cannot overlap
    const lines = await poolLines(tx, practiceId, key);
    const usage = await tx.thresholdUsage.findUnique({ where: { practiceId_patientId_year_pool: { practiceId, ...key } } });
    const existing = await tx.kxQueueItem.findUnique({ where: { practiceId_patientId_year_pool: { practiceId, ...key } } });
    const usedElsewhereCents = usage?.amountCents ?? 0;
    if (lines.length === 0 && !existing) continue;
    const levels = thresholdsFor(key.year, practice.alertLevelCents);
    const status = levels.known
      ? thresholdCrossings({
          usedElsewhereCents,
          lines: lines.map((l) => ({ dateOfService: l.dateOfService, visitId: l.visitExternalId, lineOrder: l.lineOrder, allowedCents: l.allowedCents, modifiers: l.modifiers })),
          alertLevelCents: levels.alertLevelCents,
          kxThresholdCents: levels.kxThresholdCents,
          reviewThresholdCents: levels.reviewThresholdCents,
        })
      : null;
    const allowedHereCents = lines.reduce((s, l) => s + l.allowedCents, 0);
    const level = status?.level ?? "below";
    const linesMissingKx = status?.linesMissingKx.length ?? 0;
    const data = {
      allowedHereCents,
      usedElsewhereCents,
      totalCents: allowedHereCents + usedElsewhereCents,
      level,
      alertCrossedOn: status?.crossings.alert ? dateFromIso(status.crossings.alert.dateOfService) : null,
      kxCrossedOn: status?.crossings.kx ? dateFromIso(status.crossings.kx.dateOfService) : null,
      reviewCrossedOn: status?.crossings.review ? dateFromIso(status.crossings.review.dateOfService) : null,
      linesMissingKx,
      estimated: lines.some((l) => !l.confirmed),
      visitCount: new Set(lines.map((l) => l.visitId)).size,
      lastVisitOn: lines.length ? dateFromIso(lines[lines.length - 1]!.dateOfService) : null,
      urgency: urgencyOf(level, linesMissingKx, Boolean(existing?.docReviewedAt)),
    };
    if (existing) {
      // a resolved item comes back when the patient needs action again
      const reopen = existing.status === "RESOLVED" && data.urgency <= 1 && (existing.linesMissingKx < linesMissingKx || existing.level !== level);
      await tx.kxQueueItem.update({
        where: { id: existing.id },
        data: { ...data, ...(reopen ? { status: "OPEN" as const } : {}) },
      });
    } else {
      await tx.kxQueueItem.create({ data: { practiceId, ...key, ...data } });
    }
  }
}

/** The pool keys a set of visits touches (Medicare lines with a pool). */
export async function poolKeysOfVisits(tx: Tx, practiceId: number, visitIds: number[]): Promise<PoolKey[]> {
  if (visitIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ patientId: number; dos: Date; pool: Pool }[]>`
    select distinct v."patientId", v."dateOfService" as dos, s.pool
    from "ServiceLine" s join "Visit" v on v.id = s."visitId" join "Payer" p on p.id = v."payerId"
    where s."practiceId" = ${practiceId} and v.id = any(${visitIds}) and s.pool is not null and p.kind = 'medicare'`;
  return uniquePoolKeys(rows.map((r) => ({ patientId: r.patientId, year: r.dos.getUTCFullYear(), pool: r.pool })));
}
