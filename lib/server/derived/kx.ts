// The KX running totals of DOMAIN.md §1, kept current in the same transaction as every
// write that changes them (visit saved/edited/deleted, remit imported, usage entered).
import {
  compareThresholdLines,
  type ThresholdLine,
  type ThresholdStatus,
  type ThresholdsForYear,
  thresholdCrossings,
  thresholdsFor,
} from "@/lib/billing";
import { type KxItemStatus, type KxQueueItem, type Pool, Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { AnalyzeMarks, analyzeTables } from "../core/statistics";

export interface PoolKey {
  patientId: number;
  year: number;
  pool: Pool;
}

export function poolKeyString(key: PoolKey): string {
  return `${key.patientId}|${key.year}|${key.pool}`;
}

export function uniquePoolKeys(keys: PoolKey[]): PoolKey[] {
  const seen = new Map<string, PoolKey>();
  for (const key of keys) seen.set(poolKeyString(key), key);
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
  cpt: string;
  modifiers: string[];
  allowedCents: number;
  confirmed: boolean;
  /** denied CO-119 / CARC 4 and to be billed again (its allowed is the expected amount, estimated) */
  rebill: string | null;
  /** a corrected claim went out for it and no remit has come since (off the rebill count) */
  rebillSent: boolean;
  /**
   * Set when the line has neither a remit nor an expected amount: why it has no price ("No
   * Medicare price for 92507: load the CMS 2026 …"). Such a line counts 0 in the running total
   * and is shown with this sentence, never as $0.00.
   */
  noPrice: string | null;
  therapistId: number;
  /** the visit's clinic, else its therapist's */
  clinicId: number | null;
}

interface RawPoolLine {
  id: number;
  visitId: number;
  externalId: string;
  /** a Date from a row, "YYYY-MM-DD" from JSON */
  dos: Date | string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  expected: number | null;
  remit: number | null;
  work: string | null;
  sent?: boolean;
  noPrice: string | null;
  therapistId: number;
  clinicId: number | null;
}

/**
 * A line marked rebilled (a corrected claim sent) that no remit has answered since: a remit
 * received after the corrected claim settles it, whatever it says.
 */
export const REBILL_SENT_TEXT = `(s."rebilledAt" is not null and not exists (
  select 1 from "RemitLine" rl2
  join "RemitClaim" rc2 on rc2.id = rl2."remitClaimId"
  join "RemitPayment" rp2 on rp2.id = rc2."paymentId"
  where rl2."serviceLineId" = s.id and rp2."createdAt" > s."rebilledAt"))`;
const REBILL_SENT_SQL = Prisma.raw(REBILL_SENT_TEXT);

/**
 * The SELECT of a patient's Medicare lines of one pool and year (any order), the patient, pool
 * and first and last day of the year given as SQL: values for one pool, or the columns of a list
 * of pools joined laterally (poolStates).
 */
function poolLinesSqlOf(practiceId: number, patient: Prisma.Sql, pool: Prisma.Sql, from: Prisma.Sql, to: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    select s.id, s."visitId", v."externalId", v."dateOfService" as dos, s."lineOrder", s.cpt, s.modifiers,
           s."expectedAllowedCents" as expected, r."remitAllowedCents" as remit, r."remitWork" as work,
           ${REBILL_SENT_SQL} as sent,
           case when s."expectedAllowedCents" is null and r."remitAllowedCents" is null
                then coalesce(s."expectedNote", 'no expected amount') end as "noPrice",
           v."therapistId", coalesce(v."clinicId", t."clinicId") as "clinicId"
    from "ServiceLine" s
    left join "ServiceLineRemit" r on r."serviceLineId" = s.id
    join "Visit" v on v.id = s."visitId"
    join "Payer" p on p.id = v."payerId"
    join "Therapist" t on t.id = v."therapistId"
    -- lines are reached through the patient's visits (Visit index on practice, patient, date);
    -- "+ 0" keeps the planner from walking every line of the practice by its practiceId index,
    -- which it picks when the statistics are stale right after a large import
    where v."practiceId" = ${practiceId} and s."practiceId" + 0 = v."practiceId"
      and v."patientId" = ${patient}
      and p.kind = 'medicare'
      and s.pool = ${pool}
      and v."dateOfService" >= ${from} and v."dateOfService" <= ${to}`;
}

/** The SELECT of a patient's Medicare lines of one pool and year (any order). */
function poolLinesSql(practiceId: number, key: PoolKey): Prisma.Sql {
  return poolLinesSqlOf(
    practiceId,
    Prisma.sql`${key.patientId}`,
    Prisma.sql`${key.pool}::"Pool"`,
    Prisma.sql`${dateFromIso(`${key.year}-01-01`)}`,
    Prisma.sql`${dateFromIso(`${key.year}-12-31`)}`,
  );
}

/** Rows to lines in threshold order (date of service, visit, line order). */
function toPoolLines(rows: RawPoolLine[]): PoolLine[] {
  const lines = rows.map((r) => ({
    id: r.id,
    visitId: r.visitId,
    visitExternalId: r.externalId,
    dateOfService: typeof r.dos === "string" ? r.dos.slice(0, 10) : isoDate(r.dos),
    lineOrder: r.lineOrder,
    cpt: r.cpt,
    modifiers: r.modifiers,
    allowedCents: r.remit ?? r.expected ?? 0,
    confirmed: r.remit != null,
    rebill: r.work,
    rebillSent: r.work !== null && r.sent === true,
    noPrice: r.noPrice,
    therapistId: r.therapistId,
    clinicId: r.clinicId,
  }));
  return lines.sort((a, b) => compareThresholdLines(asThresholdLine(a), asThresholdLine(b)));
}

/** A pool line as the threshold rules read it. */
function asThresholdLine(line: PoolLine): ThresholdLine {
  return {
    dateOfService: line.dateOfService,
    visitId: line.visitExternalId,
    lineOrder: line.lineOrder,
    allowedCents: line.allowedCents,
    modifiers: line.modifiers,
  };
}

/**
 * Where a patient's pool lines (in threshold order) cross each level, and which need KX
 * (DOMAIN.md §1): the one place the server maps its lines onto the rule book's; null when the
 * year's thresholds are not loaded.
 */
export function poolThresholdStatus(
  lines: readonly PoolLine[],
  usedElsewhereCents: number,
  levels: ThresholdsForYear,
): ThresholdStatus | null {
  if (!levels.known) return null;
  return thresholdCrossings({
    usedElsewhereCents,
    lines: lines.map(asThresholdLine),
    alertLevelCents: levels.alertLevelCents,
    kxThresholdCents: levels.kxThresholdCents,
    reviewThresholdCents: levels.reviewThresholdCents,
  });
}

/** A patient's Medicare therapy lines of one pool and year, in threshold order. */
export async function poolLines(tx: Db | Tx, practiceId: number, key: PoolKey): Promise<PoolLine[]> {
  return toPoolLines(await tx.$queryRaw<RawPoolLine[]>(poolLinesSql(practiceId, key)));
}

/** How many pools recomputeKx reads in one round trip (and writes in one statement). */
const POOLS_PER_ROUND_TRIP = 1000;

interface PoolState {
  alertLevelCents: number;
  usedElsewhereCents: number;
  existing: { id: number; status: KxItemStatus; linesMissingKx: number; level: string; kxCrossedOn: Date | null; reviewed: boolean } | null;
  lines: PoolLine[];
}

/**
 * Everything recomputeKx reads for some pools in one round trip, in their order: the practice's
 * alert level, the amount used elsewhere, the queue item as it is, and the lines. A remit file
 * touches a pool per Medicare patient of the file (120,000 in a practice's million-line 835):
 * one round trip per pool was most of its import.
 */
async function poolStates(tx: Tx, practiceId: number, keys: readonly PoolKey[]): Promise<PoolState[]> {
  const rows = await tx.$queryRaw<
    {
      ord: bigint;
      alertLevelCents: number;
      usedElsewhereCents: number | null;
      id: number | null;
      status: KxItemStatus | null;
      linesMissingKx: number | null;
      level: string | null;
      kxCrossedOn: Date | null;
      reviewed: boolean;
      lines: RawPoolLine[] | null;
    }[]
  >`
    select k.ord, pr."alertLevelCents", u."amountCents" as "usedElsewhereCents", i.id, i.status::text as status, i."linesMissingKx",
           i.level::text as level, i."kxCrossedOn", i."docReviewedAt" is not null as reviewed,
           (select json_agg(l) from (${poolLinesSqlOf(
             practiceId,
             Prisma.sql`k.patient`,
             Prisma.sql`k.pool::"Pool"`,
             Prisma.sql`make_date(k.year, 1, 1)`,
             Prisma.sql`make_date(k.year, 12, 31)`,
           )}) l) as lines
    from unnest(${keys.map((k) => k.patientId)}::int[], ${keys.map((k) => k.year)}::int[], ${keys.map((k) => k.pool)}::text[])
           with ordinality as k(patient, year, pool, ord)
    join "Practice" pr on pr.id = ${practiceId}
    -- each pool's usage and item found by its key (lateral; "limit 1" on a unique key keeps the
    -- planner from flattening them into joins): joined to the pools as a whole, they
    -- were planned from statistics taken while the practice had few items, as one scan of all its
    -- items kept beside the pools and searched for each pool (7 s a thousand pools once a
    -- practice's own million-line 835 had written 100,000 of them in its transaction)
    left join lateral (select "amountCents" from "ThresholdUsage"
                       where "practiceId" = pr.id and "patientId" = k.patient and year = k.year and pool = k.pool::"Pool" limit 1) u on true
    left join lateral (select id, status, "linesMissingKx", level, "kxCrossedOn", "docReviewedAt" from "KxQueueItem"
                       where "practiceId" = pr.id and "patientId" = k.patient and year = k.year and pool = k.pool::"Pool" limit 1) i on true
    order by k.ord`;
  if (rows.length !== keys.length) throw new Error(`no practice ${practiceId}`);
  return rows.map((state) => ({
    alertLevelCents: state.alertLevelCents,
    usedElsewhereCents: state.usedElsewhereCents ?? 0,
    existing:
      state.id === null
        ? null
        : {
            id: state.id,
            status: state.status!,
            linesMissingKx: state.linesMissingKx!,
            level: state.level!,
            kxCrossedOn: state.kxCrossedOn,
            reviewed: state.reviewed,
          },
    lines: toPoolLines(state.lines ?? []),
  }));
}

const ascending = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

/** What recomputing some pools found: which of their lines need KX (the claim checks read it). */
export interface KxRecomputed {
  /** poolKeyString of every pool recomputed */
  pools: Set<string>;
  /** ids of the lines of those pools that need KX (the crossing line and every later one) */
  needKx: Set<number>;
  /**
   * Pools where a line's need for KX may have changed, so the claim checks re-check their visits:
   * `day` null for the whole year, or the date of service of the KX crossing when the pool was
   * and stays past the KX threshold crossed on the same date (lines before that date need no KX
   * and lines after it need KX either way; only the lines of that date can have changed).
   * A pool below the threshold before and after is not here: no line needs KX either way.
   */
  needKxMayChange: { key: PoolKey; day: string | null }[];
}

/** Queue items created in a transaction, by transaction: when the table's statistics are refreshed (recomputeKx). */
const itemsCreated = new WeakMap<Tx, AnalyzeMarks>();
/** The first mark: a thousand items (a chunk of pools), then ×4 each time. */
const FIRST_ANALYZE_AT_ITEMS = 1000;

/**
 * Recomputes the totals of the given patient-year-pools and stores them on their queue items.
 * Called by the derived-figures pipeline only (lib/server/derived/index.ts). The pools are read
 * POOLS_PER_ROUND_TRIP at a time and their items written with one statement per chunk (each
 * pool's figures depend on its own rows alone, so reading a chunk before writing it changes nothing).
 */
export async function recomputeKx(tx: Tx, practiceId: number, keys: PoolKey[]): Promise<KxRecomputed> {
  const out: KxRecomputed = { pools: new Set(), needKx: new Set(), needKxMayChange: [] };
  const unique = uniquePoolKeys(keys);
  for (let at = 0; at < unique.length; at += POOLS_PER_ROUND_TRIP) {
    const chunk = unique.slice(at, at + POOLS_PER_ROUND_TRIP);
    // sequential: queries on one transaction's connection cannot overlap
    const states = await poolStates(tx, practiceId, chunk);
    const updates: ReturnType<typeof itemUpdate>[] = [];
    const creates: (ReturnType<typeof itemUpdate> & PoolKey)[] = [];
    chunk.forEach((key, position) => {
      const { alertLevelCents, usedElsewhereCents, existing, lines } = states[position]!;
      out.pools.add(poolKeyString(key));
      if (lines.length === 0 && !existing) return;
      const levels = thresholdsFor(key.year, alertLevelCents);
      const status = poolThresholdStatus(lines, usedElsewhereCents, levels);
      // the claim checks' "needs KX" is read only of pools past the KX threshold of a known year (linesNeedingKx)
      const past = (level: string | undefined) => level === "kx" || level === "review";
      if (levels.known && past(status?.level))
        lines.forEach((l, i) => {
          if (status?.needsKx[i]) out.needKx.add(l.id);
        });
      const crossedOn = status?.crossings.kx?.dateOfService ?? null;
      const crossedBefore = existing?.kxCrossedOn ? isoDate(existing.kxCrossedOn) : null;
      if (past(status?.level) && past(existing?.level) && crossedOn !== null && crossedOn === crossedBefore)
        out.needKxMayChange.push({ key, day: crossedOn });
      else if (past(status?.level) || past(existing?.level)) out.needKxMayChange.push({ key, day: null });
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
        linesToRebill: lines.filter((l) => l.rebill !== null && !l.rebillSent).length,
        linesRebillSent: lines.filter((l) => l.rebill !== null && l.rebillSent).length,
        estimated: lines.some((l) => !l.confirmed),
        visitCount: new Set(lines.map((l) => l.visitId)).size,
        firstVisitOn: lines.length ? dateFromIso(lines[0]!.dateOfService) : null,
        lastVisitOn: lines.length ? dateFromIso(lines[lines.length - 1]!.dateOfService) : null,
        therapistIds: ascending(lines.map((l) => l.therapistId)),
        clinicIds: ascending(lines.flatMap((l) => (l.clinicId === null ? [] : [l.clinicId]))),
        urgency: urgencyOf(level, linesMissingKx, existing?.reviewed ?? false),
      };
      if (existing) {
        // a resolved item comes back when the patient needs action again
        const reopen =
          existing.status === "RESOLVED" && data.urgency <= 1 && (existing.linesMissingKx < linesMissingKx || existing.level !== level);
        updates.push(itemUpdate(existing.id, data, reopen ? "OPEN" : existing.status));
      } else {
        creates.push({ ...itemUpdate(0, data, "OPEN"), patientId: key.patientId, year: key.year, pool: key.pool });
      }
    });
    if (updates.length) await updateItems(tx, practiceId, updates);
    if (creates.length) {
      await createItems(tx, practiceId, creates);
      // A practice's first large import (an 835 of its own claims, a year of visits) creates
      // its queue items by the hundred thousand in one transaction. Planned from statistics of
      // the table as it was (in a new database, never analyzed), each pool's item was looked
      // up by the queue's index on practice and year, every item of the year read for each
      // pool: 3 s a batch of an 835 and growing with each (docs/performance.md, "A new
      // database's first large 835"). Refreshed as the items created pass the marks, the
      // lookup goes by the item's key.
      const marks = itemsCreated.get(tx) ?? new AnalyzeMarks(FIRST_ANALYZE_AT_ITEMS);
      itemsCreated.set(tx, marks);
      if (marks.add(creates.length)) await tx.$executeRawUnsafe(analyzeTables(["KxQueueItem"]));
    }
  }
  return out;
}

/** A queue item's new figures as a row of updateItems (dates as YYYY-MM-DD). */
function itemUpdate(
  id: number,
  data: Pick<
    KxQueueItem,
    | "allowedHereCents"
    | "usedElsewhereCents"
    | "totalCents"
    | "level"
    | "alertCrossedOn"
    | "kxCrossedOn"
    | "reviewCrossedOn"
    | "linesMissingKx"
    | "linesToRebill"
    | "linesRebillSent"
    | "estimated"
    | "visitCount"
    | "firstVisitOn"
    | "lastVisitOn"
    | "therapistIds"
    | "clinicIds"
    | "urgency"
  >,
  status: KxItemStatus,
) {
  const day = (d: Date | null) => (d === null ? null : isoDate(d));
  return {
    ...data,
    id,
    status,
    alertCrossedOn: day(data.alertCrossedOn),
    kxCrossedOn: day(data.kxCrossedOn),
    reviewCrossedOn: day(data.reviewCrossedOn),
    firstVisitOn: day(data.firstVisitOn),
    lastVisitOn: day(data.lastVisitOn),
  };
}

const ITEM_COLUMNS = `"allowedHereCents" int, "usedElsewhereCents" int, "totalCents" int, level text,
  "alertCrossedOn" date, "kxCrossedOn" date, "reviewCrossedOn" date, "linesMissingKx" int, "linesToRebill" int, "linesRebillSent" int, estimated boolean,
  "visitCount" int, "firstVisitOn" date, "lastVisitOn" date, "therapistIds" int[], "clinicIds" int[], urgency int, status text`;

/**
 * New queue items, in one statement (Prisma's createMany sends every field of every row as a
 * parameter of its own, 22 per item: in an own 835's import it took three times as long as
 * reading the same pools' lines and items).
 */
async function createItems(tx: Tx, practiceId: number, rows: (ReturnType<typeof itemUpdate> & PoolKey)[]): Promise<void> {
  await tx.$executeRawUnsafe(
    `insert into "KxQueueItem" ("practiceId", "patientId", year, pool, "allowedHereCents", "usedElsewhereCents", "totalCents", level,
       "alertCrossedOn", "kxCrossedOn", "reviewCrossedOn", "linesMissingKx", "linesToRebill", "linesRebillSent", estimated, "visitCount",
       "firstVisitOn", "lastVisitOn", "therapistIds", "clinicIds", urgency, status, "updatedAt")
     select $2, u."patientId", u.year, u.pool::"Pool", u."allowedHereCents", u."usedElsewhereCents", u."totalCents", u.level::"ThresholdLevel",
       u."alertCrossedOn", u."kxCrossedOn", u."reviewCrossedOn", u."linesMissingKx", u."linesToRebill", u."linesRebillSent", u.estimated, u."visitCount",
       u."firstVisitOn", u."lastVisitOn", u."therapistIds", u."clinicIds", u.urgency, u.status::"KxItemStatus", now()
     from jsonb_to_recordset($1::jsonb) as u("patientId" int, year int, pool text, ${ITEM_COLUMNS})`,
    JSON.stringify(rows),
    practiceId,
  );
}

/** The queue items' new figures, in one statement. */
async function updateItems(tx: Tx, practiceId: number, rows: ReturnType<typeof itemUpdate>[]): Promise<void> {
  await tx.$executeRawUnsafe(
    `update "KxQueueItem" i set
       "allowedHereCents" = u."allowedHereCents", "usedElsewhereCents" = u."usedElsewhereCents", "totalCents" = u."totalCents",
       level = u.level::"ThresholdLevel", "alertCrossedOn" = u."alertCrossedOn", "kxCrossedOn" = u."kxCrossedOn",
       "reviewCrossedOn" = u."reviewCrossedOn", "linesMissingKx" = u."linesMissingKx",
       "linesToRebill" = u."linesToRebill", "linesRebillSent" = u."linesRebillSent", estimated = u.estimated,
       "visitCount" = u."visitCount", "firstVisitOn" = u."firstVisitOn", "lastVisitOn" = u."lastVisitOn",
       "therapistIds" = u."therapistIds", "clinicIds" = u."clinicIds", urgency = u.urgency,
       status = u.status::"KxItemStatus", "updatedAt" = now()
     from jsonb_to_recordset($1::jsonb) as u(id int, ${ITEM_COLUMNS})
     where i.id = u.id and i."practiceId" = $2`,
    JSON.stringify(rows),
    practiceId,
  );
}

/** The pool keys a set of visits touches (Medicare lines with a pool). */
export async function poolKeysOfVisits(tx: Tx, practiceId: number, visitIds: number[]): Promise<PoolKey[]> {
  if (visitIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ patientId: number; dos: Date; pool: Pool }[]>`
    select distinct v."patientId", v."dateOfService" as dos, s.pool
    from "ServiceLine" s join "Visit" v on v.id = s."visitId" join "Payer" p on p.id = v."payerId"
    where v."practiceId" = ${practiceId} and s."practiceId" + 0 = v."practiceId" and v.id = any(${visitIds}) and s.pool is not null and p.kind = 'medicare'`;
  return uniquePoolKeys(rows.map((r) => ({ patientId: r.patientId, year: r.dos.getUTCFullYear(), pool: r.pool })));
}
