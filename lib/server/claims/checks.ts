// Claim checks of DOMAIN.md §6 as the billers read them: the results stored per visit by the
// derived-figures pipeline (lib/server/derived/claim-checks.ts, VisitClaimCheck) whenever one of
// their inputs is written, so a page reads rows and never re-checks the practice's visits.
import type { ClaimIssue, ClaimIssueCode } from "@/lib/billing";
import { Prisma } from "@/lib/generated/prisma/client";
import { allowLongStatements, type Db, db, type Tx } from "../core/db";
import { recomputeDerived } from "../derived";
import { dateFromIso, isoDate } from "../core/dates";

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

/** The stored issues of some visits of the practice, by visit id (a visit without issues maps to []). */
export async function claimIssuesOfVisits(
  practiceId: number,
  visitIds: number[],
  client: Client = db(),
): Promise<Map<number, ClaimIssue[]>> {
  const out = new Map<number, ClaimIssue[]>();
  if (visitIds.length === 0) return out;
  const visits = await client.visit.findMany({ where: { practiceId, id: { in: visitIds } }, select: { id: true } });
  for (const visit of visits) out.set(visit.id, []);
  const rows = await client.visitClaimCheck.findMany({
    where: { practiceId, visitId: { in: visitIds } },
    select: { visitId: true, issues: true },
  });
  for (const row of rows) out.set(row.visitId, row.issues as unknown as ClaimIssue[]);
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
 * worklist, read from the stored checks (one page of rows, the totals counted by the database).
 */
export async function claimsToFix(
  practiceId: number,
  options: { type?: ClaimIssueCode; from?: string; to?: string; page: number; pageSize: number },
  client: Client = db(),
): Promise<ClaimsToFixPage> {
  const period = Prisma.sql`${options.from ? Prisma.sql`and c."dateOfService" >= ${dateFromIso(options.from)}` : Prisma.empty}
    ${options.to ? Prisma.sql`and c."dateOfService" <= ${dateFromIso(options.to)}` : Prisma.empty}`;
  const ofType = options.type ? Prisma.sql`and c.codes @> array[${options.type}]::text[]` : Prisma.empty;
  // the counts from the day rows: one row per day of the period, whatever the number of visits
  const days = Prisma.sql`${options.from ? Prisma.sql`and d."dateOfService" >= ${dateFromIso(options.from)}` : Prisma.empty}
    ${options.to ? Prisma.sql`and d."dateOfService" <= ${dateFromIso(options.to)}` : Prisma.empty}`;
  // the counts and the page are read at once (two connections of the practice's pool)
  const sumsRead = client.$queryRaw<{ checked: number; withIssues: number; codes: Record<string, number> | null }[]>`
    select coalesce(sum(d.visits), 0)::int as checked, coalesce(sum(d."withIssues"), 0)::int as "withIssues",
           (select jsonb_object_agg(k, n) from (
              select e.key as k, sum(e.value::int)::int as n
              from "ClaimCheckDay" d cross join jsonb_each_text(d.codes) as e
              where d."practiceId" = ${practiceId} ${days}
              group by e.key) x) as codes
    from "ClaimCheckDay" d
    where d."practiceId" = ${practiceId} ${days}`;
  // the page's rows with their visits, patients, payers, therapists, claims and lines in one read
  // (the model query with its relations took six round trips after the page's own)
  const pageRead = client.$queryRaw<
    {
      visitId: number;
      issues: ClaimIssue[];
      visitExternalId: string;
      dateOfService: Date;
      patientId: number;
      patientExternalId: string;
      patientName: string;
      payer: string;
      therapist: string;
      claim: string | null;
      lines: { cpt: string; modifiers: string[] }[];
    }[]
  >`
    select c."visitId", c.issues, v."externalId" as "visitExternalId", v."dateOfService",
           pt.id as "patientId", pt."externalId" as "patientExternalId", pt."lastName" || ', ' || pt."firstName" as "patientName",
           py.name as payer, th.name || ' (' || th.credential::text || ')' as therapist, cl."patientControlNumber" as claim,
           (select coalesce(json_agg(json_build_object('cpt', s.cpt, 'modifiers', s.modifiers) order by s."lineOrder"), '[]'::json)
            from "ServiceLine" s where s."visitId" = v.id and s."practiceId" = ${practiceId}) as lines
    from (select c."visitId", c.issues, c."dateOfService" from "VisitClaimCheck" c
          where c."practiceId" = ${practiceId} ${period} ${ofType}
          order by c."dateOfService" desc, c."visitId" desc
          limit ${options.pageSize} offset ${(options.page - 1) * options.pageSize}) c
    join "Visit" v on v.id = c."visitId" and v."practiceId" = ${practiceId}
    join "Patient" pt on pt.id = v."patientId"
    join "Payer" py on py.id = v."payerId"
    join "Therapist" th on th.id = v."therapistId"
    left join "Claim" cl on cl.id = v."claimId"
    order by c."dateOfService" desc, c."visitId" desc`;
  const [[sums], pageRows] = await Promise.all([sumsRead, pageRead]);
  const countsByType: Partial<Record<ClaimIssueCode, number>> = {};
  for (const [code, count] of Object.entries(sums?.codes ?? {})) if (count > 0) countsByType[code as ClaimIssueCode] = count;
  const total = options.type ? (countsByType[options.type] ?? 0) : (sums?.withIssues ?? 0);
  const checked = sums?.checked ?? 0;
  const rows = pageRows.map(
    (r): ClaimToFix => ({
      visitId: r.visitId,
      visitExternalId: r.visitExternalId,
      dateOfService: isoDate(r.dateOfService),
      patient: { id: r.patientId, externalId: r.patientExternalId, name: r.patientName },
      payer: r.payer,
      therapist: r.therapist,
      claim: r.claim,
      lines: r.lines,
      issues: r.issues,
    }),
  );
  return { rows, total, countsByType, visitsChecked: checked };
}

/**
 * Checks every visit of the practice again and stores the results: for a database migrated from
 * before the checks were stored (`npm run admin -- recheck-claims --practice <slug>`), or after a
 * change of the rule book itself. Returns how many visits were checked.
 */
export async function recheckAllClaims(practiceId: number): Promise<number> {
  return db().$transaction(
    async (tx) => {
      await allowLongStatements(tx);
      return (await recomputeDerived(tx, practiceId, { checkCodes: "all" })).visitsChecked;
    },
    { timeout: 30 * 60_000, maxWait: 10_000 },
  );
}
