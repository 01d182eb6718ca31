// What a biller does to a KX queue item (DOMAIN.md §1 "Biller"): assign, add KX to the lines
// that need it, record an ABN (GA instead of KX), mark documentation reviewed past $3,000,
// snooze, resolve, reopen, undo; and the "amount used elsewhere" of a patient's pool.
// Each is one transaction: the optimistic lock on KxQueueItem.version, the change, the
// recomputed totals, a KxQueueAction history entry and an AuditEvent.
import { GA_MODIFIER, hasModifier, KX_MODIFIER, thresholdsFor } from "@/lib/billing";
import type { KxQueueItem, Pool, Prisma } from "@/lib/generated/prisma/client";
import { CONFLICT_MESSAGE } from "@/lib/schemas/kx";
import { audit } from "../core/audit";
import { db, type Tx } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { Conflict, InvalidInput, NotFound } from "../core/errors";
import { can, type RoleName } from "../core/permissions";
import { recomputeDerived } from "../derived";
import { type PoolKey, type PoolLine, poolLines, poolThresholdStatus } from "../derived/kx";
import { todayIn } from "../core/dates";

export interface KxActor {
  practiceId: number;
  userId: number;
  /** the practice's time zone, for "today" (snooze dates) */
  timeZone?: string;
}

/** A claim line as the biller sees it in a result message. */
export interface LineRef {
  lineId: number;
  dateOfService: string;
  visit: string;
  cpt: string;
}

export interface ItemState {
  itemId: number;
  version: number;
  status: KxQueueItem["status"];
  level: KxQueueItem["level"];
  linesMissingKx: number;
  assigneeId: number | null;
  snoozedUntil: string | null;
  docReviewedAt: string | null;
}

export interface LineChangeResult extends ItemState {
  changed: LineRef[];
  refused: (LineRef & { reason: string })[];
}

export const MAX_MODIFIERS_PER_LINE = 4;
const TX_OPTIONS = { timeout: 20_000, maxWait: 10_000 } as const;

function stateOf(item: KxQueueItem): ItemState {
  return {
    itemId: item.id,
    version: item.version,
    status: item.status,
    level: item.level,
    linesMissingKx: item.linesMissingKx,
    assigneeId: item.assigneeId,
    snoozedUntil: item.snoozedUntil ? isoDate(item.snoozedUntil) : null,
    docReviewedAt: item.docReviewedAt ? item.docReviewedAt.toISOString() : null,
  };
}

const keyOf = (item: KxQueueItem): PoolKey => ({ patientId: item.patientId, year: item.year, pool: item.pool });

/**
 * Claims the item at the version the biller saw: the row is bumped to the next version in
 * this transaction, so a second request with the same version waits for this one and then
 * matches nothing (Conflict). Returns the item as it was before.
 */
async function lockItem(tx: Tx, actor: KxActor, itemId: number, version: number): Promise<KxQueueItem> {
  const item = await tx.kxQueueItem.findFirst({ where: { id: itemId, practiceId: actor.practiceId } });
  if (!item) throw new NotFound("There is no such item in this practice's KX queue");
  if (item.version !== version) throw new Conflict(CONFLICT_MESSAGE);
  const bumped = await tx.$executeRaw`
    update "KxQueueItem" set version = version + 1, "updatedAt" = now()
    where id = ${itemId} and "practiceId" = ${actor.practiceId} and version = ${version}`;
  if (bumped !== 1) throw new Conflict(CONFLICT_MESSAGE);
  return item;
}

/** Snapshot of the item fields an action may change, kept in the history so it can be undone. */
function snapshot(item: KxQueueItem) {
  return {
    assigneeId: item.assigneeId,
    status: item.status,
    snoozedUntil: item.snoozedUntil ? isoDate(item.snoozedUntil) : null,
    docReviewedAt: item.docReviewedAt ? item.docReviewedAt.toISOString() : null,
    docReviewNote: item.docReviewNote,
  };
}
type Snapshot = ReturnType<typeof snapshot>;

async function record(
  tx: Tx,
  actor: KxActor,
  item: KxQueueItem,
  action: string,
  note: string | null | undefined,
  details: Prisma.InputJsonObject,
): Promise<KxQueueItem> {
  await recomputeDerived(tx, actor.practiceId, { pools: [keyOf(item)] });
  await tx.kxQueueAction.create({
    data: { practiceId: actor.practiceId, itemId: item.id, userId: actor.userId, action, note: note ?? null, details },
  });
  await audit(tx, actor, {
    action: `kx.${action}`,
    entityType: "KxQueueItem",
    entityId: item.id,
    patientId: item.patientId,
    details: { year: item.year, pool: item.pool, ...(note ? { note } : {}), ...details },
  });
  return tx.kxQueueItem.findUniqueOrThrow({ where: { id: item.id } });
}

function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, TX_OPTIONS);
}

// ---------------------------------------------------------------------------------------
// assign

export async function assignKxItem(
  actor: KxActor,
  input: { itemId: number; version: number; assignee: "me" | "none" | number },
): Promise<ItemState> {
  const assigneeId = input.assignee === "me" ? actor.userId : input.assignee === "none" ? null : input.assignee;
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    if (assigneeId !== null && assigneeId !== actor.userId) {
      const member = await tx.membership.findFirst({
        where: { practiceId: actor.practiceId, userId: assigneeId, active: true, user: { active: true } },
        select: { role: true },
      });
      if (!member || !can(member.role as RoleName, "kx.work")) {
        throw new InvalidInput("Assign the item to a biller of this practice", { assignee: ["not a biller of this practice"] });
      }
    }
    await tx.kxQueueItem.update({ where: { id: before.id }, data: { assigneeId } });
    const after = await record(tx, actor, before, "assign", null, { before: snapshot(before), assigneeId });
    return stateOf(after);
  });
}

// ---------------------------------------------------------------------------------------
// KX and ABN (GA) on the lines that need them

interface NeededLine extends PoolLine {
  hasKx: boolean;
  hasGa: boolean;
}

/** The lines of the item's pool that need KX (the KX crossing line and every later line that year). */
async function linesNeedingKx(tx: Tx, practiceId: number, item: KxQueueItem): Promise<NeededLine[]> {
  const key = keyOf(item);
  const practice = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { alertLevelCents: true } });
  const levels = thresholdsFor(key.year, practice.alertLevelCents);
  if (!levels.known) throw new InvalidInput(levels.reason);
  const lines = await poolLines(tx, practiceId, key);
  const usage = await tx.thresholdUsage.findUnique({ where: { practiceId_patientId_year_pool: { practiceId, ...key } } });
  const status = poolThresholdStatus(lines, usage?.amountCents ?? 0, levels);
  return lines
    .filter((_, i) => status?.needsKx[i])
    .map((l) => ({ ...l, hasKx: hasModifier(l.modifiers, KX_MODIFIER), hasGa: hasModifier(l.modifiers, GA_MODIFIER) }));
}

const refOf = (l: PoolLine): LineRef => ({ lineId: l.id, dateOfService: l.dateOfService, visit: l.visitExternalId, cpt: l.cpt });

function describeLines(lines: LineRef[]): string {
  return lines.map((l) => `${l.dateOfService} ${l.cpt} (visit ${l.visit})`).join(", ");
}

/** Writes new modifier lists, re-prices the visits and bumps their version (a visit form open elsewhere must reload). */
async function writeModifiers(tx: Tx, practiceId: number, changes: { id: number; visitId: number; modifiers: string[] }[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.$executeRawUnsafe(
    `update "ServiceLine" s set modifiers = u.modifiers
     from jsonb_to_recordset($1::jsonb) as u(id int, modifiers text[])
     where s.id = u.id and s."practiceId" = $2`,
    JSON.stringify(changes.map((c) => ({ id: c.id, modifiers: c.modifiers }))),
    practiceId,
  );
  const visitIds = [...new Set(changes.map((c) => c.visitId))];
  await tx.visit.updateMany({ where: { practiceId, id: { in: visitIds } }, data: { version: { increment: 1 } } });
  await recomputeDerived(tx, practiceId, { visits: visitIds });
}

async function addModifierToMissingLines(
  actor: KxActor,
  input: { itemId: number; version: number },
  modifier: typeof KX_MODIFIER | typeof GA_MODIFIER,
  action: "add_kx" | "record_abn",
  note: string | undefined,
  extra: Prisma.InputJsonObject,
): Promise<LineChangeResult> {
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    const needed = await linesNeedingKx(tx, actor.practiceId, before);
    const changed: { line: NeededLine; modifiers: string[] }[] = [];
    const refused: (LineRef & { reason: string })[] = [];
    for (const line of needed) {
      if (line.hasKx || line.hasGa) {
        // KX and GA are never on the same line (DOMAIN.md §1)
        if (modifier === KX_MODIFIER && line.hasGa)
          refused.push({ ...refOf(line), reason: "carries GA (an ABN was recorded): KX and GA are never on the same line" });
        if (modifier === GA_MODIFIER && line.hasKx)
          refused.push({ ...refOf(line), reason: "already carries KX: KX and GA are never on the same line" });
        continue;
      }
      if (line.modifiers.length >= MAX_MODIFIERS_PER_LINE) {
        refused.push({ ...refOf(line), reason: `already has ${MAX_MODIFIERS_PER_LINE} modifiers: make room on the claim line first` });
        continue;
      }
      changed.push({ line, modifiers: [...line.modifiers, modifier] });
    }
    if (changed.length === 0) {
      const why = refused.length ? ` Refused: ${refused.map((r) => `${describeLines([r])} ${r.reason}`).join("; ")}.` : "";
      throw new InvalidInput(`No line of this item is missing ${modifier === KX_MODIFIER ? "KX" : "KX or GA"}.${why}`);
    }
    await writeModifiers(
      tx,
      actor.practiceId,
      changed.map((c) => ({ id: c.line.id, visitId: c.line.visitId, modifiers: c.modifiers })),
    );
    const lines = changed.map((c) => ({ id: c.line.id, visitId: c.line.visitId, before: c.line.modifiers, after: c.modifiers }));
    const after = await record(tx, actor, before, action, note, {
      ...extra,
      before: snapshot(before),
      lines,
      added: changed.map((c) => ({ ...refOf(c.line) })),
      refused: refused.map((r) => ({ ...r })),
    });
    return { ...stateOf(after), changed: changed.map((c) => refOf(c.line)), refused };
  });
}

/** Adds KX to every line that needs it and carries neither KX nor GA; lines with GA are refused and reported. */
export function addKxToMissingLines(actor: KxActor, input: { itemId: number; version: number }): Promise<LineChangeResult> {
  return addModifierToMissingLines(actor, input, KX_MODIFIER, "add_kx", undefined, {});
}

/** The patient signed an ABN: GA instead of KX on the lines that need it (CO-119 becomes PR-119). */
export function recordAbn(
  actor: KxActor,
  input: { itemId: number; version: number; signedOn: string; note?: string },
): Promise<LineChangeResult> {
  return addModifierToMissingLines(actor, input, GA_MODIFIER, "record_abn", input.note, { signedOn: input.signedOn });
}

// ---------------------------------------------------------------------------------------
// the corrected claim of lines denied CO-119 / CARC 4 ("rebill with KX")

/**
 * The biller sent a corrected claim for lines denied CO-119 (missing KX) or CARC 4 (therapy
 * modifier): each line that needs KX and has neither KX nor GA gets KX (as "Add KX" would),
 * and every line is marked rebilled; a remit received afterwards settles it (DOMAIN.md §5,
 * "CO-119 and CARC 4 denials are work"). Lines of other items, or not denied that way, are refused.
 */
export async function markLinesRebilled(
  actor: KxActor,
  input: { itemId: number; version: number; lineIds: number[] },
): Promise<LineChangeResult> {
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    const lines = await poolLines(tx, actor.practiceId, keyOf(before));
    const needed = new Set((await linesNeedingKx(tx, actor.practiceId, before)).map((l) => l.id));
    const asked = new Set(input.lineIds);
    const current = await tx.serviceLine.findMany({
      where: { practiceId: actor.practiceId, id: { in: [...asked] } },
      select: { id: true, rebilledAt: true },
    });
    const rebilledBefore = new Map(current.map((c) => [c.id, c.rebilledAt ? c.rebilledAt.toISOString() : null]));
    const ours = lines.filter((l) => asked.has(l.id));
    const refused: (LineRef & { reason: string })[] = [];
    const marked: PoolLine[] = [];
    const modifierChanges: { line: PoolLine; modifiers: string[] }[] = [];
    for (const line of ours) {
      if (line.rebill === null) {
        refused.push({ ...refOf(line), reason: "was not denied for a missing KX or therapy modifier" });
        continue;
      }
      const hasKx = hasModifier(line.modifiers, KX_MODIFIER);
      const hasGa = hasModifier(line.modifiers, GA_MODIFIER);
      if (needed.has(line.id) && !hasKx && !hasGa) {
        if (line.modifiers.length >= MAX_MODIFIERS_PER_LINE) {
          refused.push({ ...refOf(line), reason: `already has ${MAX_MODIFIERS_PER_LINE} modifiers: make room for KX first` });
          continue;
        }
        modifierChanges.push({ line, modifiers: [...line.modifiers, KX_MODIFIER] });
      }
      marked.push(line);
    }
    if (ours.length < asked.size) {
      throw new InvalidInput("Some of these lines are not this patient's lines of this year and pool: reload the list");
    }
    if (marked.length === 0) {
      throw new InvalidInput(`No line was marked rebilled. ${refused.map((r) => `${describeLines([r])} ${r.reason}`).join("; ")}.`);
    }
    await writeModifiers(
      tx,
      actor.practiceId,
      modifierChanges.map((c) => ({ id: c.line.id, visitId: c.line.visitId, modifiers: c.modifiers })),
    );
    await tx.serviceLine.updateMany({
      where: { practiceId: actor.practiceId, id: { in: marked.map((l) => l.id) } },
      data: { rebilledAt: new Date(), rebilledById: actor.userId },
    });
    const after = await record(tx, actor, before, "rebill", null, {
      before: snapshot(before),
      lines: modifierChanges.map((c) => ({ id: c.line.id, visitId: c.line.visitId, before: c.line.modifiers, after: c.modifiers })),
      rebilled: marked.map((l) => ({ ...refOf(l), rebilledBefore: rebilledBefore.get(l.id) ?? null })),
      refused: refused.map((r) => ({ ...r })),
    });
    return { ...stateOf(after), changed: marked.map(refOf), refused };
  });
}

// ---------------------------------------------------------------------------------------
// documentation review, snooze, resolve, reopen

export async function markDocumentationReviewed(
  actor: KxActor,
  input: { itemId: number; version: number; note: string },
): Promise<ItemState> {
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    await tx.kxQueueItem.update({ where: { id: before.id }, data: { docReviewedAt: new Date(), docReviewNote: input.note } });
    return stateOf(await record(tx, actor, before, "doc_review", input.note, { before: snapshot(before) }));
  });
}

export async function snoozeKxItem(
  actor: KxActor,
  input: { itemId: number; version: number; until: string; note?: string },
): Promise<ItemState> {
  const today = todayIn(actor.timeZone);
  if (input.until <= today) throw new InvalidInput("Snooze until a later day", { until: [`must be after today (${today})`] });
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    if (before.status === "RESOLVED") throw new InvalidInput("This item is resolved: reopen it before snoozing it");
    await tx.kxQueueItem.update({ where: { id: before.id }, data: { status: "SNOOZED", snoozedUntil: dateFromIso(input.until) } });
    return stateOf(await record(tx, actor, before, "snooze", input.note, { before: snapshot(before), until: input.until }));
  });
}

export async function resolveKxItem(actor: KxActor, input: { itemId: number; version: number; note?: string }): Promise<ItemState> {
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    if (before.status === "RESOLVED") throw new InvalidInput("This item is already resolved");
    await tx.kxQueueItem.update({ where: { id: before.id }, data: { status: "RESOLVED", snoozedUntil: null } });
    return stateOf(
      await record(tx, actor, before, "resolve", input.note, { before: snapshot(before), linesMissingKx: before.linesMissingKx }),
    );
  });
}

export async function reopenKxItem(actor: KxActor, input: { itemId: number; version: number; note?: string }): Promise<ItemState> {
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    if (before.status === "OPEN") throw new InvalidInput("This item is already open");
    await tx.kxQueueItem.update({ where: { id: before.id }, data: { status: "OPEN", snoozedUntil: null } });
    return stateOf(await record(tx, actor, before, "reopen", input.note, { before: snapshot(before) }));
  });
}

// ---------------------------------------------------------------------------------------
// undo the last action

export const UNDOABLE_ACTIONS = ["assign", "add_kx", "record_abn", "rebill", "doc_review", "snooze", "resolve", "reopen"] as const;

export interface UndoResult extends ItemState {
  undone: string;
  /** lines whose modifiers were changed again since the action, left as they are */
  skipped: LineRef[];
}

/** Reverses the item's most recent action (e.g. removes the KX just added), when it is still the last one. */
export async function undoLastKxAction(actor: KxActor, input: { itemId: number; version: number }): Promise<UndoResult> {
  return transaction(async (tx) => {
    const before = await lockItem(tx, actor, input.itemId, input.version);
    const last = await tx.kxQueueAction.findFirst({ where: { practiceId: actor.practiceId, itemId: before.id }, orderBy: { id: "desc" } });
    if (!last || !(UNDOABLE_ACTIONS as readonly string[]).includes(last.action)) {
      throw new InvalidInput("There is nothing to undo on this item");
    }
    const details = (last.details ?? {}) as {
      before?: Snapshot;
      lines?: { id: number; visitId: number; before: string[]; after: string[] }[];
      rebilled?: { lineId: number; rebilledBefore: string | null }[];
    };
    const skipped: LineRef[] = [];
    if (details.lines?.length) {
      const current = await tx.serviceLine.findMany({
        where: { practiceId: actor.practiceId, id: { in: details.lines.map((l) => l.id) } },
        select: { id: true, visitId: true, cpt: true, modifiers: true, visit: { select: { externalId: true, dateOfService: true } } },
      });
      const byId = new Map(current.map((c) => [c.id, c]));
      const restore: { id: number; visitId: number; modifiers: string[] }[] = [];
      for (const line of details.lines) {
        const now = byId.get(line.id);
        if (!now) continue; // the line was deleted since
        if (now.modifiers.join(";") === line.after.join(";")) restore.push({ id: line.id, visitId: now.visitId, modifiers: line.before });
        else skipped.push({ lineId: now.id, dateOfService: isoDate(now.visit.dateOfService), visit: now.visit.externalId, cpt: now.cpt });
      }
      await writeModifiers(tx, actor.practiceId, restore);
    }
    for (const rebill of details.rebilled ?? []) {
      await tx.serviceLine.updateMany({
        where: { practiceId: actor.practiceId, id: rebill.lineId },
        data: {
          rebilledAt: rebill.rebilledBefore ? new Date(rebill.rebilledBefore) : null,
          ...(rebill.rebilledBefore ? {} : { rebilledById: null }),
        },
      });
    }
    const stateBefore = details.before;
    if (stateBefore) {
      await tx.kxQueueItem.update({
        where: { id: before.id },
        data: {
          assigneeId: stateBefore.assigneeId,
          status: stateBefore.status,
          snoozedUntil: stateBefore.snoozedUntil ? dateFromIso(stateBefore.snoozedUntil) : null,
          docReviewedAt: stateBefore.docReviewedAt ? new Date(stateBefore.docReviewedAt) : null,
          docReviewNote: stateBefore.docReviewNote,
        },
      });
    }
    const after = await record(tx, actor, before, "undo", null, {
      undoneActionId: last.id,
      undoneAction: last.action,
      skipped: skipped.map((s) => ({ ...s })),
    });
    return { ...stateOf(after), undone: last.action, skipped };
  });
}

// ---------------------------------------------------------------------------------------
// amount used elsewhere this year

export interface UsedElsewhereResult extends ItemState {
  usedElsewhereCents: number;
  totalCents: number;
}

/**
 * Saves the amount a patient used at other providers this year in one pool (DOMAIN.md §1:
 * entered by the biller with its source and date) and recomputes that pool's totals.
 */
export async function saveUsedElsewhere(
  actor: KxActor,
  input: { patientId: number; year: number; pool: Pool; amount: number; source: string; asOf: string },
): Promise<UsedElsewhereResult> {
  return transaction(async (tx) => {
    const practiceId = actor.practiceId;
    const patient = await tx.patient.findFirst({ where: { id: input.patientId, practiceId }, select: { id: true } });
    if (!patient) throw new NotFound("There is no such patient in this practice");
    const key = { patientId: patient.id, year: input.year, pool: input.pool };
    const where = { practiceId_patientId_year_pool: { practiceId, ...key } };
    const previous = await tx.thresholdUsage.findUnique({ where });
    const data = { amountCents: input.amount, source: input.source, asOf: dateFromIso(input.asOf) };
    const usage = await tx.thresholdUsage.upsert({ where, create: { practiceId, ...key, ...data }, update: data });
    // a pool with usage but no lines yet still gets its queue item
    await tx.kxQueueItem.upsert({ where, create: { practiceId, ...key }, update: {} });
    await recomputeDerived(tx, practiceId, { pools: [key] });
    const item = await tx.kxQueueItem.update({ where, data: { version: { increment: 1 } } });
    const details = {
      before: previous ? { amountCents: previous.amountCents, source: previous.source, asOf: isoDate(previous.asOf) } : null,
      after: { amountCents: usage.amountCents, source: usage.source, asOf: input.asOf },
    };
    await tx.kxQueueAction.create({
      data: { practiceId, itemId: item.id, userId: actor.userId, action: "used_elsewhere", note: input.source, details },
    });
    await audit(tx, actor, {
      action: "usage.update",
      entityType: "ThresholdUsage",
      entityId: usage.id,
      patientId: patient.id,
      details: { year: input.year, pool: input.pool, ...details },
    });
    return { ...stateOf(item), usedElsewhereCents: item.usedElsewhereCents, totalCents: item.totalCents };
  });
}
