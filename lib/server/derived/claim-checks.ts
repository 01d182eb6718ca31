// Stage of the derived-figures pipeline: the claim checks of DOMAIN.md §6 on visits, stored per
// visit (VisitClaimCheck). The rule book's checkClaim is fed with the clinician's credential, the
// practice's NCCI pair table and MUE caps, the payer's unit method and caps (contract in force),
// its telehealth setting, and which lines need KX from the patient's running Medicare totals. The
// pipeline (./index.ts) re-checks the visits whose inputs a write changed, in the write's
// transaction; "Claims to fix", the visit and the patient pages read the stored rows.
import { type ClaimIssue, checkClaim, contractRateFor, type MueCap, type NcciPair, thresholdsFor, type UnitMethod } from "@/lib/billing";
import { type Pool, Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "../core/db";
import { dateFromIso, isoDate, yearOf } from "../core/dates";
import { contractFor, loadPricingCached, type PracticePricing, therapyCodesOf } from "./pricing";
import { intArrayLiteral } from "../core/sql";
import { type PoolKey, poolKeyString, poolLines, poolThresholdStatus, uniquePoolKeys } from "./kx";

type Client = Db | Tx;

interface VisitForChecks {
  id: number;
  patientId: number;
  payerId: number;
  dateOfService: Date;
  placeOfService: string;
  therapist: { credential: "PT" | "PTA" | "OT" | "OTA" | "SLP" };
  payer: { kind: string; unitMethod: UnitMethod; allowsTelehealth: boolean };
  lines: { id: number; cpt: string; modifiers: string[]; minutes: number | null; unitsBilled: number; pool: Pool | null }[];
}

/**
 * What the checks need of the visits, most recent first: one flat query (visit × line),
 * grouped here; far cheaper than nested relation reads for thousands of visits.
 */
async function visitsForChecks(
  client: Client,
  practiceId: number,
  filter: { visitIds?: number[]; from?: string; to?: string },
): Promise<VisitForChecks[]> {
  const rows = await client.$queryRaw<
    {
      id: number;
      patientId: number;
      payerId: number;
      dos: Date;
      pos: string;
      credential: VisitForChecks["therapist"]["credential"];
      kind: string;
      unitMethod: UnitMethod;
      allowsTelehealth: boolean;
      lineId: number | null;
      cpt: string | null;
      modifiers: string[] | null;
      minutes: number | null;
      unitsBilled: number | null;
      pool: Pool | null;
    }[]
  >`
    select v.id, v."patientId", v."payerId", v."dateOfService" as dos, v."placeOfService" as pos,
           t.credential::text as credential, p.kind::text as kind, p."unitMethod"::text as "unitMethod", p."allowsTelehealth",
           s.id as "lineId", s.cpt, s.modifiers, s.minutes, s."unitsBilled", s.pool::text as pool
    from "Visit" v
    join "Therapist" t on t.id = v."therapistId"
    join "Payer" p on p.id = v."payerId"
    left join "ServiceLine" s on s."visitId" = v.id
    where v."practiceId" = ${practiceId}
      ${filter.visitIds ? Prisma.sql`and v.id = any(${filter.visitIds})` : Prisma.empty}
      ${filter.from ? Prisma.sql`and v."dateOfService" >= ${dateFromIso(filter.from)}` : Prisma.empty}
      ${filter.to ? Prisma.sql`and v."dateOfService" <= ${dateFromIso(filter.to)}` : Prisma.empty}
    order by v."dateOfService" desc, v.id desc, s."lineOrder"`;
  const visits: VisitForChecks[] = [];
  for (const row of rows) {
    let visit = visits[visits.length - 1];
    if (!visit || visit.id !== row.id) {
      visit = {
        id: row.id,
        patientId: row.patientId,
        payerId: row.payerId,
        dateOfService: row.dos,
        placeOfService: row.pos,
        therapist: { credential: row.credential },
        payer: { kind: row.kind, unitMethod: row.unitMethod, allowsTelehealth: row.allowsTelehealth },
        lines: [],
      };
      visits.push(visit);
    }
    if (row.lineId !== null) {
      visit.lines.push({
        id: row.lineId,
        cpt: row.cpt ?? "",
        modifiers: row.modifiers ?? [],
        minutes: row.minutes,
        unitsBilled: row.unitsBilled ?? 0,
        pool: row.pool,
      });
    }
  }
  return visits;
}

/** The practice-wide inputs of the checks, loaded once per page or command. */
export interface CheckContext {
  practiceId: number;
  pricing: PracticePricing;
  ncciPairs: NcciPair[];
  mueCaps: MueCap[];
}

export async function loadCheckContext(client: Client, practiceId: number): Promise<CheckContext> {
  const pricing = await loadPricingCached(client, practiceId);
  const ncciPairs = await client.ncciPair.findMany({
    where: { practiceId },
    select: { column1: true, column2: true, modifierIndicator: true },
  });
  const mueCaps = await client.mueCap.findMany({ where: { practiceId }, select: { cpt: true, units: true, adjudicationIndicator: true } });
  return { practiceId, pricing, ncciPairs, mueCaps };
}

/** Medicare pools of the visits' lines (patient × year × pool). */
function poolKeysOf(visits: VisitForChecks[]): PoolKey[] {
  return uniquePoolKeys(
    visits.flatMap((v) =>
      v.payer.kind !== "medicare"
        ? []
        : v.lines.flatMap((l) => (l.pool ? [{ patientId: v.patientId, year: yearOf(v.dateOfService), pool: l.pool }] : [])),
    ),
  );
}

/**
 * Ids of the lines that need KX: the KX crossing line of a pool and every later line that
 * year (DOMAIN.md §1). Only pools whose stored total is past the KX threshold can have one,
 * so only those are walked line by line.
 */
export async function linesNeedingKx(client: Client, practiceId: number, keys: PoolKey[] | "all"): Promise<Set<number>> {
  const wanted = keys === "all" ? null : new Set(keys.map(poolKeyString));
  if (wanted && wanted.size === 0) return new Set();
  const items = await client.kxQueueItem.findMany({
    where: {
      practiceId,
      level: { in: ["kx", "review"] },
      ...(keys === "all" ? {} : { patientId: { in: [...new Set(keys.map((k) => k.patientId))] } }),
    },
    select: { patientId: true, year: true, pool: true, usedElsewhereCents: true },
  });
  const practice = await client.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { alertLevelCents: true } });
  const needKx = new Set<number>();
  for (const item of items) {
    const key = { patientId: item.patientId, year: item.year, pool: item.pool };
    if (wanted && !wanted.has(poolKeyString(key))) continue;
    const levels = thresholdsFor(item.year, practice.alertLevelCents);
    if (!levels.known) continue;
    // sequential: inside a transaction the queries share one connection
    const lines = await poolLines(client as Tx, practiceId, key);
    const status = poolThresholdStatus(lines, item.usedElsewhereCents, levels);
    lines.forEach((l, i) => {
      if (status?.needsKx[i]) needKx.add(l.id);
    });
  }
  return needKx;
}

/** The rule book's checks on one visit (DOMAIN.md §6). */
export function checkVisit(context: CheckContext, visit: VisitForChecks, needKx: { has(id: number): boolean }): ClaimIssue[] {
  const dateOfService = isoDate(visit.dateOfService);
  const medicare = visit.payer.kind === "medicare";
  const contract = medicare ? null : contractFor(context.pricing, visit.payerId, dateOfService);
  // the same unit method the expected-allowed figures use (lib/billing expectedAllowedForVisit)
  const unitMethod: UnitMethod = medicare ? "cms" : (contract?.unitMethod ?? visit.payer.unitMethod);
  const unitCaps: Record<string, number> = {};
  if (contract) {
    for (const line of visit.lines) {
      const cap = contractRateFor(contract, line.cpt, line.modifiers)?.maxUnitsPerVisit;
      if (cap != null) unitCaps[line.cpt.toUpperCase()] = cap;
    }
  }
  return checkClaim({
    lines: visit.lines.map((l) => ({
      cpt: l.cpt,
      modifiers: l.modifiers,
      minutes: l.minutes,
      unitsBilled: l.unitsBilled,
      placeOfService: visit.placeOfService,
      therapistCredential: visit.therapist.credential,
    })),
    unitMethod,
    unitCaps,
    needsKx: visit.lines.map((l) => needKx.has(l.id)),
    payerAllowsTelehealth: visit.payer.allowsTelehealth,
    // the practice's table, even when empty: no silent fallback to built-in pairs
    ncciPairs: context.ncciPairs,
    // which lines need GP/GO/GN and CQ/CO: the practice's therapy code list (loaded or default)
    therapyCodes: therapyCodesOf(context.pricing),
    mueCaps: context.mueCaps,
  });
}

const CHUNK = 5000;

/** The visits with a line of one of these codes (an NCCI pair or MUE cap of them changed). */
export async function visitsWithCodes(tx: Tx, practiceId: number, codes: string[] | "all"): Promise<number[]> {
  const rows =
    codes === "all"
      ? await tx.$queryRaw<{ id: number }[]>`select id from "Visit" where "practiceId" = ${practiceId}`
      : await tx.$queryRaw<{ id: number }[]>`
          select distinct s."visitId" as id from "ServiceLine" s
          where s."practiceId" = ${practiceId} and upper(s.cpt) = any(${codes.map((c) => c.toUpperCase())}::text[])`;
  return rows.map((r) => r.id);
}

/** The visits with a line in one of these patient-year-pools (on one day of it when `day` is given). */
export async function visitsOfPools(tx: Tx, practiceId: number, pools: { key: PoolKey; day: string | null }[]): Promise<number[]> {
  const out = new Set<number>();
  for (let i = 0; i < pools.length; i += CHUNK) {
    const chunk = pools.slice(i, i + CHUNK);
    const rows = await tx.$queryRaw<{ id: number }[]>`
      select distinct v.id
      from unnest(${chunk.map((p) => p.key.patientId)}::int[], ${chunk.map((p) => p.key.year)}::int[], ${chunk.map((p) => p.key.pool)}::text[],
                  ${chunk.map((p) => p.day)}::date[]) as k(patient, year, pool, day)
      join "Visit" v on v."practiceId" = ${practiceId} and v."patientId" = k.patient
        and v."dateOfService" >= coalesce(k.day, make_date(k.year, 1, 1)) and v."dateOfService" <= coalesce(k.day, make_date(k.year, 12, 31))
      join "ServiceLine" s on s."visitId" = v.id and s."practiceId" + 0 = v."practiceId" and s.pool::text = k.pool`;
    for (const row of rows) out.add(row.id);
  }
  return [...out];
}

/** Which lines need KX: known for the pools the pipeline just recomputed, read for the others. */
export interface KnownKx {
  pools: ReadonlySet<string>;
  needKx: ReadonlySet<number>;
}

/**
 * The day rows (ClaimCheckDay) of these dates of service counted again from the visits and the
 * stored checks: visits, visits with an issue, visits with each check type. A day left with no
 * visit keeps a row of zeros.
 */
async function refreshCheckDays(tx: Tx, practiceId: number, days: Iterable<string>): Promise<void> {
  const list = [...new Set(days)];
  for (let i = 0; i < list.length; i += CHUNK) {
    await tx.$executeRawUnsafe(
      `insert into "ClaimCheckDay" ("practiceId", "dateOfService", visits, "withIssues", codes)
       select $1, d.day,
         (select count(*)::int from "Visit" v where v."practiceId" = $1 and v."dateOfService" = d.day),
         (select count(*)::int from "VisitClaimCheck" c where c."practiceId" = $1 and c."dateOfService" = d.day),
         coalesce((select jsonb_object_agg(x.code, x.n) from (
             select code, count(*)::int as n from "VisitClaimCheck" c cross join unnest(c.codes) as code
             where c."practiceId" = $1 and c."dateOfService" = d.day group by code) x), '{}'::jsonb)
       from unnest($2::date[]) as d(day)
       on conflict ("practiceId", "dateOfService") do update
         set visits = excluded.visits, "withIssues" = excluded."withIssues", codes = excluded.codes`,
      practiceId,
      `{${list.slice(i, i + CHUNK).join(",")}}`,
    );
  }
}

/**
 * Checks the visits afresh and stores the results (DOMAIN.md §6): a VisitClaimCheck row for each
 * visit with an issue, none for a visit without (or deleted); then the day rows of their dates
 * and of `otherDays` (where written visits were before they moved or were deleted). Returns how
 * many visits it checked.
 */
export async function storeClaimChecks(
  tx: Tx,
  practiceId: number,
  visitIds: Iterable<number>,
  known: KnownKx,
  otherDays: Iterable<string> = [],
): Promise<number> {
  const ids = [...new Set(visitIds)];
  const days = new Set(otherDays);
  if (ids.length === 0 && days.size === 0) return 0;
  const context = await loadCheckContext(tx, practiceId);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const visits = await visitsForChecks(tx, practiceId, { visitIds: chunk });
    for (const visit of visits) days.add(isoDate(visit.dateOfService));
    const read = await linesNeedingKx(
      tx,
      practiceId,
      poolKeysOf(visits).filter((k) => !known.pools.has(poolKeyString(k))),
    );
    const needKx = { has: (id: number) => known.needKx.has(id) || read.has(id) };
    const rows = visits.flatMap((visit) => {
      const issues = checkVisit(context, visit, needKx);
      if (issues.length === 0) return [];
      return [{ visit_id: visit.id, dos: isoDate(visit.dateOfService), codes: [...new Set(issues.map((x) => x.code))], issues }];
    });
    // a row whose visit moved to another date leaves its old day's counts too
    const gone = await tx.$queryRawUnsafe<{ day: string }[]>(
      `delete from "VisitClaimCheck" where "practiceId" = $1 and "visitId" = any($2::int[]) returning "dateOfService"::text as day`,
      practiceId,
      intArrayLiteral(chunk),
    );
    for (const goneDay of gone) days.add(goneDay.day);
    if (rows.length)
      await tx.$executeRawUnsafe(
        `insert into "VisitClaimCheck" ("visitId", "practiceId", "dateOfService", codes, issues)
         select u.visit_id, $2, u.dos, array(select jsonb_array_elements_text(u.codes)), u.issues
         from jsonb_to_recordset($1::jsonb) as u(visit_id int, dos date, codes jsonb, issues jsonb)`,
        JSON.stringify(rows),
        practiceId,
      );
  }
  await refreshCheckDays(tx, practiceId, days);
  return ids.length;
}

/** Claim issues of some visits of the practice computed afresh, by visit id (a check of the stored rows). */
export async function computeClaimIssues(client: Client, practiceId: number, visitIds: number[]): Promise<Map<number, ClaimIssue[]>> {
  const out = new Map<number, ClaimIssue[]>();
  if (visitIds.length === 0) return out;
  const visits = await visitsForChecks(client, practiceId, { visitIds });
  const context = await loadCheckContext(client, practiceId);
  const needKx = await linesNeedingKx(client, practiceId, poolKeysOf(visits));
  for (const visit of visits) out.set(visit.id, checkVisit(context, visit, needKx));
  return out;
}
