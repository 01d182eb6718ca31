// Claim checks of DOMAIN.md §6 on visits stored in the database: the rule book's checkClaim
// fed with the clinician's credential, the practice's NCCI pair table, the payer's unit
// method and caps (contract in force), its telehealth setting, and which lines need KX
// from the patient's running Medicare totals.
import {
  type ClaimIssue,
  type ClaimIssueCode,
  checkClaim,
  contractRateFor,
  type MueCap,
  type NcciPair,
  thresholdsFor,
  type UnitMethod,
} from "@/lib/billing";
import { type Pool, Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "../db";
import { dateFromIso, isoDate, yearOf } from "../dates";
import { type PoolKey, poolKeyString, poolLines, poolThresholdStatus, uniquePoolKeys } from "../kx/recompute";
import { contractFor, loadPricingCached, type PracticePricing, therapyCodesOf } from "../pricing";

type Client = Db | Tx;

/** The check types a biller filters by, in the order they are listed. */
export const CHECK_TYPES: { code: ClaimIssueCode; label: string }[] = [
  { code: "missing_kx", label: "Missing KX" },
  { code: "kx_with_ga", label: "KX with GA" },
  { code: "missing_discipline_modifier", label: "Missing GP/GO/GN" },
  { code: "wrong_discipline_modifier", label: "Wrong GP/GO/GN" },
  { code: "missing_assistant_modifier", label: "Missing CQ/CO" },
  { code: "wrong_assistant_modifier", label: "Wrong CQ/CO" },
  { code: "assistant_modifier_without_assistant", label: "CQ/CO without assistant" },
  { code: "ncci_pair_without_modifier", label: "NCCI pair without 59/X" },
  { code: "units_over", label: "Units over" },
  { code: "units_over_cap", label: "Units over cap" },
  { code: "units_over_mue", label: "Units over MUE" },
  { code: "units_under", label: "Units under" },
  { code: "telehealth_not_allowed", label: "Telehealth not allowed" },
];

export function isCheckType(value: string | undefined): value is ClaimIssueCode {
  return CHECK_TYPES.some((t) => t.code === value);
}

export function checkLabel(code: ClaimIssueCode): string {
  return CHECK_TYPES.find((t) => t.code === code)?.label ?? code;
}

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
  for (const r of rows) {
    let visit = visits[visits.length - 1];
    if (!visit || visit.id !== r.id) {
      visit = {
        id: r.id,
        patientId: r.patientId,
        payerId: r.payerId,
        dateOfService: r.dos,
        placeOfService: r.pos,
        therapist: { credential: r.credential },
        payer: { kind: r.kind, unitMethod: r.unitMethod, allowsTelehealth: r.allowsTelehealth },
        lines: [],
      };
      visits.push(visit);
    }
    if (r.lineId !== null) {
      visit.lines.push({
        id: r.lineId,
        cpt: r.cpt ?? "",
        modifiers: r.modifiers ?? [],
        minutes: r.minutes,
        unitsBilled: r.unitsBilled ?? 0,
        pool: r.pool,
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
export function checkVisit(context: CheckContext, visit: VisitForChecks, needKx: ReadonlySet<number>): ClaimIssue[] {
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

/** Claim issues of some visits of the practice, by visit id (visits of other practices are ignored). */
export async function claimIssuesOfVisits(client: Client, practiceId: number, visitIds: number[]): Promise<Map<number, ClaimIssue[]>> {
  const out = new Map<number, ClaimIssue[]>();
  if (visitIds.length === 0) return out;
  const visits = await visitsForChecks(client, practiceId, { visitIds });
  const context = await loadCheckContext(client, practiceId);
  const needKx = await linesNeedingKx(client, practiceId, poolKeysOf(visits));
  for (const v of visits) out.set(v.id, checkVisit(context, v, needKx));
  return out;
}

export interface ClaimToFix {
  visitId: number;
  visitExternalId: string;
  dateOfService: string;
  patient: { id: number; externalId: string; name: string };
  payer: string;
  therapist: string;
  claim: string | null;
  lines: { cpt: string; modifiers: string[] }[];
  issues: ClaimIssue[];
}

export interface ClaimsToFixPage {
  rows: ClaimToFix[];
  /** visits with an issue of the chosen type (or any issue) */
  total: number;
  /** visits with at least one issue of each type */
  countsByType: Partial<Record<ClaimIssueCode, number>>;
  visitsChecked: number;
}

/**
 * Visits whose claims have issues, most recent first (DOMAIN.md §6): the "Claims to fix"
 * worklist. Every visit of the period is checked: the checks are pure and fast, and the
 * visits come from one flat query (the demo practice's 3,870 visits: about 0.5 s warm).
 */
export async function claimsToFix(
  client: Client,
  practiceId: number,
  options: { type?: ClaimIssueCode; from?: string; to?: string; page: number; pageSize: number },
): Promise<ClaimsToFixPage> {
  const context = await loadCheckContext(client, practiceId);
  const needKx = await linesNeedingKx(client, practiceId, "all");
  const countsByType: Partial<Record<ClaimIssueCode, number>> = {};
  const matches: { id: number; issues: ClaimIssue[] }[] = [];
  const visits = await visitsForChecks(client, practiceId, { from: options.from, to: options.to });
  for (const visit of visits) {
    const issues = checkVisit(context, visit, needKx);
    if (issues.length === 0) continue;
    for (const code of new Set(issues.map((i) => i.code))) countsByType[code] = (countsByType[code] ?? 0) + 1;
    if (!options.type || issues.some((i) => i.code === options.type)) matches.push({ id: visit.id, issues });
  }
  const visitsChecked = visits.length;
  const pageItems = matches.slice((options.page - 1) * options.pageSize, options.page * options.pageSize);
  const details = await client.visit.findMany({
    where: { practiceId, id: { in: pageItems.map((m) => m.id) } },
    select: {
      id: true,
      externalId: true,
      dateOfService: true,
      patient: { select: { id: true, externalId: true, firstName: true, lastName: true } },
      payer: { select: { name: true } },
      therapist: { select: { name: true, credential: true } },
      claim: { select: { patientControlNumber: true } },
      lines: { orderBy: { lineOrder: "asc" }, select: { cpt: true, modifiers: true } },
    },
  });
  const byId = new Map(details.map((d) => [d.id, d]));
  const rows = pageItems.flatMap((m): ClaimToFix[] => {
    const d = byId.get(m.id);
    if (!d) return [];
    return [
      {
        visitId: d.id,
        visitExternalId: d.externalId,
        dateOfService: isoDate(d.dateOfService),
        patient: { id: d.patient.id, externalId: d.patient.externalId, name: `${d.patient.lastName}, ${d.patient.firstName}` },
        payer: d.payer.name,
        therapist: `${d.therapist.name} (${d.therapist.credential})`,
        claim: d.claim?.patientControlNumber ?? null,
        lines: d.lines,
        issues: m.issues,
      },
    ];
  });
  return { rows, total: matches.length, countsByType, visitsChecked };
}
