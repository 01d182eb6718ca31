// Once remit lines are attached to our service lines: each service line's remit lines are
// netted by the rule book (lib/billing/remits.ts netServiceLineRemits: reversals, secondary
// payers, duplicate payments, denials that are work) and what it decides is stored: the line's
// confirmed allowed amount and work (ServiceLineRemit), each remit line's role, expected allowed and variance;
// the KX totals they feed are the pipeline's next stage (lib/server/derived/index.ts; DOMAIN.md §1, §5).
import {
  isPrimaryAdjudication,
  type NettedServiceLine,
  netServiceLineRemits,
  type RemitLineFact,
  REVERSAL_STATUS,
  type RemitLineRole,
  type RemitWork,
} from "@/lib/billing";
import type { Tx } from "../core/db";
import { intArrayLiteral, textArrayLiteral } from "../core/sql";

const CHUNK = 5000;

/** One CAS adjustment of a remit line as stored (RemitLine.adjustments). */
export interface StoredLineAdjustment {
  groupCode: string;
  reasonCode: string;
  amountCents: number;
  quantity: number | null;
}

/** RemitLine.adjustments (JSON written by the remit writer) as typed adjustments; anything else is none. */
export function storedLineAdjustments(json: unknown): StoredLineAdjustment[] {
  if (!Array.isArray(json)) return [];
  const out: StoredLineAdjustment[] = [];
  for (const item of json) {
    if (typeof item !== "object" || item === null) continue;
    const { g: group, r: reason, a: amount, q: quantity } = item as { g?: unknown; r?: unknown; a?: unknown; q?: unknown };
    if (typeof group !== "string" || typeof reason !== "string" || typeof amount !== "number") continue;
    out.push({ groupCode: group, reasonCode: reason, amountCents: amount, quantity: typeof quantity === "number" ? quantity : null });
  }
  return out;
}

export interface RemitLineRow {
  id: number;
  serviceLineId: number;
  allowedCents: number;
  chargeCents: number;
  paidCents: number;
  paidCpt: string | null;
  role: string;
  expectedAllowed: number | null;
  variance: number | null;
  /** only for a line denied for a missing KX or modifier (the work test reads its groups) */
  adjustments: unknown;
  statusCode: string;
  pcn: string;
  claimCharge: number;
  claimPaid: number;
  linesKey: string;
  paymentId: number;
  payerKey: string;
  remitPayerId: number | null;
  lineExpected: number | null;
  lineModifiers: string[];
  linePayerId: number;
  visitId: number;
}

/** A loaded row as the rule book's fact. */
export function remitLineFact(row: RemitLineRow): RemitLineFact {
  return {
    id: row.id,
    claim: {
      payerKey: row.payerKey,
      paymentId: row.paymentId,
      patientControlNumber: row.pcn,
      statusCode: row.statusCode,
      chargeCents: row.claimCharge,
      paidCents: row.claimPaid,
      linesKey: row.linesKey,
    },
    primary: isPrimaryAdjudication(row.statusCode, row.remitPayerId, row.linePayerId),
    chargeCents: row.chargeCents,
    paidCents: row.paidCents,
    allowedCents: row.allowedCents,
    paidCode: row.paidCpt,
    adjustments: storedLineAdjustments(row.adjustments).map((a) => ({
      group: a.groupCode,
      reason: a.reasonCode,
      amountCents: a.amountCents,
    })),
  };
}

/** Denial causes whose lines netting's work test reads the adjustments of (remitWorkOf): confirming reads no others'. */
const WORK_TEST_DENIALS = ["missing_kx", "patient_liable", "modifier"] as const;

/** Whether confirming reads the adjustments of a remit line with this denial cause. */
export function denialReadsAdjustments(denialCause: string | null): boolean {
  return denialCause !== null && (WORK_TEST_DENIALS as readonly string[]).includes(denialCause);
}

/**
 * The columns netting reads of a service line's remit lines (rl, rc, rp, s, v in the FROM).
 * Confirming reads a line's adjustments only when the work test needs them (a denial for a
 * missing KX or modifier); the underpayments export reads them all.
 */
export function remitFactColumns(adjustments: "denials" | "all"): string {
  const adjustmentsColumn =
    adjustments === "all"
      ? "rl.adjustments"
      : `case when rl."denialCause" in (${WORK_TEST_DENIALS.map((d) => `'${d}'`).join(", ")}) then rl.adjustments end as adjustments`;
  return `rl.id, rl."serviceLineId", rl."allowedCents", rl."chargeCents", rl."paidCents", rl."paidCpt",
  rl."netRole" as role, rl."expectedAllowedCents" as "expectedAllowed", rl."varianceCents" as variance, ${adjustmentsColumn},
  rc."statusCode", rc."patientControlNumber" as pcn, rc."chargeCents" as "claimCharge", rc."paidCents" as "claimPaid",
  rc."linesKey", rc."paymentId", rp."payerKey", rp."payerId" as "remitPayerId",
  s."expectedAllowedCents" as "lineExpected", s.modifiers as "lineModifiers", v."payerId" as "linePayerId", s."visitId"`;
}

export const REMIT_FACT_FROM = `"RemitLine" rl
  join "RemitClaim" rc on rc.id = rl."remitClaimId"
  join "RemitPayment" rp on rp.id = rc."paymentId"
  join "ServiceLine" s on s.id = rl."serviceLineId"
  join "Visit" v on v.id = s."visitId"`;

/** What netting stores on one remit line of a service line: its role, expected allowed and variance. */
function remitLineFigures(
  id: number,
  netted: NettedServiceLine,
  lineExpected: number | null,
): { role: RemitLineRole; expected: number | null; variance: number | null } {
  const role = netted.roles.get(id) ?? "paid";
  // the contract's expectation sits on the primary payer's payments; the variance on the one that stands
  const expected = role === "paid" || role === "reversed" ? lineExpected : null;
  const variance = id === netted.standingId ? netted.varianceCents : null;
  return { role, expected, variance };
}

/**
 * What confirming would store for a remit line that turns out to be its service line's only
 * one (nearly every line of a practice's first import of a file): the line's role, expected and
 * variance, and the service line's confirmed allowed and work. A writer puts the first three in
 * the row it inserts, and hands the rest to the pipeline (DerivedChanges.nettedAtWrite), which
 * checks that the line is indeed alone before taking them; null for a reversal (never netted alone).
 * `fact.id` is not read: the row has no id yet.
 */
export function nettedAlone(
  fact: RemitLineFact,
  line: { expectedAllowedCents: number | null; modifiers: readonly string[] },
): { role: RemitLineRole; expected: number | null; variance: number | null; allowed: number | null; work: RemitWork | null } | null {
  if (fact.claim.statusCode === REVERSAL_STATUS) return null;
  const netted = netServiceLineRemits([fact], { expectedAllowedCents: line.expectedAllowedCents, lineModifiers: line.modifiers });
  return { ...remitLineFigures(fact.id, netted, line.expectedAllowedCents), allowed: netted.remitAllowedCents, work: netted.work };
}

/**
 * A service line whose one new remit line was written with nettedAlone's figures: the service
 * line's figures to store, and what they were computed from (the pipeline takes them only if
 * the line, its visit's payer and expected amount are still as read, and the remit line is alone).
 */
export interface NettedAtWrite {
  serviceLineId: number;
  allowed: number | null;
  work: RemitWork | null;
  /** the service line's expected allowed, modifiers and visit payer the figures were computed with */
  expected: number | null;
  modifiers: readonly string[];
  payerId: number;
  /** the service line's remit sums with that remit line alone (remitSumsOfLineAlone) */
  sums: RemitSums;
}

/** A service line's remit sums as revenue_line_remit_sums gives them (migration line_remit_sums). */
export interface RemitSums {
  lineCount: number;
  netCount: number;
  paidCents: number;
  allowedNetCents: number;
  patientRespCents: number;
  denialCause: string | null;
}

/** Roles whose lines count on the service line (line_count, paid), and those that are net (net_count, allowed, PR). */
const COUNTED_ROLES: readonly RemitLineRole[] = ["paid", "reversed", "reversal", "secondary"];
const NET_ROLES: readonly RemitLineRole[] = ["paid", "reversed", "reversal"];

/**
 * What revenue_line_remit_sums gives a service line whose one remit line is this one, with the
 * role netting gave it (its claim is no reversal: nettedAlone nets none alone, so the function's
 * reversal of a paid line on a status-22 claim does not arise): the same sums, without reading
 * the line back.
 */
export function remitSumsOfLineAlone(
  role: RemitLineRole,
  line: { paidCents: number; allowedCents: number; patientRespCents: number; denialCause: string | null },
): RemitSums {
  const counted = COUNTED_ROLES.includes(role);
  const net = NET_ROLES.includes(role);
  return {
    lineCount: counted ? 1 : 0,
    netCount: net ? (role === "reversal" ? -1 : 1) : 0,
    paidCents: counted ? line.paidCents : 0,
    allowedNetCents: net ? line.allowedCents : 0,
    patientRespCents: net ? line.patientRespCents : 0,
    denialCause: role === "paid" ? line.denialCause : null,
  };
}

/**
 * The service lines netted at write: those whose remit line is indeed their only one and whose
 * payer, expected amount and modifiers are as read get the sums and the confirmed allowed and
 * work computed at write, in one row of ServiceLineRemit each (inserted for a line's first remit,
 * updated for a later one); the others get their sums stored by
 * revenue_refresh_line_remits and are left to the general path. Returns the lines taken, with
 * their visits. Whether a line is alone is a count of its remit lines by key: its sums need not
 * be read back (the remit line and its claim joined and aggregated for every line of a batch
 * were most of confirming a practice's own 835, docs/performance.md).
 */
async function confirmNettedAtWrite(
  tx: Tx,
  practiceId: number,
  lines: readonly NettedAtWrite[],
): Promise<{ id: number; visitId: number }[]> {
  if (lines.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<{ id: number; visitId: number; alone: boolean }[]>(
    // one row per line in a CTE of its own for the insert: a line's first remit inserts its row
    // of ServiceLineRemit, a later one (a row already there) updates it when its figures change;
    // a new row with work or underpaid carries its visit's date and payer (read here, so the row
    // trigger that would copy them is not called: most lines of a practice's own 835 are underpaid;
    // "dated" says the trigger's condition, migration service_line_remit_underpaid_date)
    `with lines as materialized (
       select p.*, s."visitId", s."expectedAllowedCents" as line_expected, v."dateOfService", v."payerId",
              (p.work is not null or (p.net_count > 0 and p.denial_cause is null and s."expectedAllowedCents" > p.allowed_net)) as dated,
              v."payerId" = p.payer and s."expectedAllowedCents" is not distinct from p.expected and s.modifiers = p.modifiers::text[]
                and (select count(*) from "RemitLine" rl where rl."practiceId" = $1 and rl."serviceLineId" = p.id) = 1 as alone
       from unnest($2::int[], $3::int[], $4::text[], $5::int[], $6::text[], $7::int[], $8::int[], $9::int[], $10::int[], $11::int[],
                   $12::int[], $13::text[])
            as p(id, allowed, work, expected, modifiers, payer, line_count, net_count, paid, allowed_net, pr, denial_cause)
       join "ServiceLine" s on s.id = p.id and s."practiceId" = $1
       join "Visit" v on v.id = s."visitId"
     ), stored as (
       insert into "ServiceLineRemit" as r ("serviceLineId", "practiceId", "visitId", "expectedAllowedCents",
         "remitLineCount", "remitNetCount", "remitPaidCents", "remitAllowedNetCents", "remitPatientRespCents", "remitDenialCause",
         "remitAllowedCents", "remitWork", "dateOfService", "payerId")
       select l.id, $1, l."visitId", l.line_expected, l.line_count, l.net_count, l.paid, l.allowed_net, l.pr, l.denial_cause,
              l.allowed, l.work, case when l.dated then l."dateOfService" end, case when l.dated then l."payerId" end
       from lines l
       where l.alone
       on conflict ("serviceLineId") do update set
         "remitLineCount" = excluded."remitLineCount", "remitNetCount" = excluded."remitNetCount",
         "remitPaidCents" = excluded."remitPaidCents", "remitAllowedNetCents" = excluded."remitAllowedNetCents",
         "remitPatientRespCents" = excluded."remitPatientRespCents", "remitDenialCause" = excluded."remitDenialCause",
         "remitAllowedCents" = excluded."remitAllowedCents", "remitWork" = excluded."remitWork"
       where (r."remitLineCount", r."remitNetCount", r."remitPaidCents", r."remitAllowedNetCents", r."remitPatientRespCents",
              r."remitDenialCause", r."remitAllowedCents", r."remitWork")
             is distinct from (excluded."remitLineCount", excluded."remitNetCount", excluded."remitPaidCents",
              excluded."remitAllowedNetCents", excluded."remitPatientRespCents", excluded."remitDenialCause",
              excluded."remitAllowedCents", excluded."remitWork")
     )
     select id, "visitId", alone from lines`,
    practiceId,
    intArrayLiteral(lines.map((l) => l.serviceLineId)),
    intArrayLiteral(lines.map((l) => l.allowed)),
    textArrayLiteral(lines.map((l) => l.work)),
    intArrayLiteral(lines.map((l) => l.expected)),
    textArrayLiteral(lines.map((l) => textArrayLiteral(l.modifiers))),
    intArrayLiteral(lines.map((l) => l.payerId)),
    intArrayLiteral(lines.map((l) => l.sums.lineCount)),
    intArrayLiteral(lines.map((l) => l.sums.netCount)),
    intArrayLiteral(lines.map((l) => l.sums.paidCents)),
    intArrayLiteral(lines.map((l) => l.sums.allowedNetCents)),
    intArrayLiteral(lines.map((l) => l.sums.patientRespCents)),
    textArrayLiteral(lines.map((l) => l.sums.denialCause)),
  );
  // the others' sums as the writer stores those of the lines it did not net (the general path nets them)
  const others = rows.filter((row) => !row.alone).map((row) => row.id);
  if (others.length) await tx.$executeRawUnsafe(`select revenue_refresh_line_remits($1::int[])`, intArrayLiteral(others));
  return rows.filter((row) => row.alone);
}

/** Remit lines that netting newly found to be for a person to look at (the import warns about them). */
export interface ConfirmFindings {
  duplicates: number;
  unmatchedReversals: number;
}

/**
 * Brings the lines' confirmed allowed and work (ServiceLineRemit), the remit lines' roles, expected and variance up to date;
 * says how many remit lines became duplicates or reversals without original, and which visits'
 * lines it confirmed (their KX totals are the pipeline's next stage). Called by the pipeline only.
 */
export async function confirmServiceLines(
  tx: Tx,
  practiceId: number,
  serviceLineIds: Iterable<number>,
  nettedAtWrite: readonly NettedAtWrite[] = [],
): Promise<{ findings: ConfirmFindings; visitIds: number[] }> {
  const findings: ConfirmFindings = { duplicates: 0, unmatchedReversals: 0 };
  const visitIds = new Set<number>();
  const done = new Set<number>();
  for (let i = 0; i < nettedAtWrite.length; i += CHUNK) {
    for (const line of await confirmNettedAtWrite(tx, practiceId, nettedAtWrite.slice(i, i + CHUNK))) {
      done.add(line.id);
      visitIds.add(line.visitId);
    }
  }
  const ids = [...new Set(serviceLineIds)].filter((id) => !done.has(id));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await tx.$queryRawUnsafe<RemitLineRow[]>(
      `select ${remitFactColumns("denials")}
       from ${REMIT_FACT_FROM}
       where rl."practiceId" = $1 and rl."serviceLineId" = any($2::int[])
       order by rl."serviceLineId", rl.id`,
      practiceId,
      intArrayLiteral(chunk),
    );
    const byLine = new Map<number, RemitLineRow[]>();
    for (const row of rows) {
      const list = byLine.get(row.serviceLineId) ?? [];
      list.push(row);
      byLine.set(row.serviceLineId, list);
    }
    const lineUpdates: { id: number; allowed: number | null; work: string | null }[] = [];
    const remitUpdates: { id: number; expected: number | null; variance: number | null; role: string }[] = [];
    for (const id of chunk) {
      const list = byLine.get(id) ?? [];
      const first = list[0];
      if (!first) {
        lineUpdates.push({ id, allowed: null, work: null });
        continue;
      }
      visitIds.add(first.visitId);
      const netted = netServiceLineRemits(list.map(remitLineFact), {
        expectedAllowedCents: first.lineExpected,
        lineModifiers: first.lineModifiers,
      });
      lineUpdates.push({ id, allowed: netted.remitAllowedCents, work: netted.work });
      for (const row of list) {
        const { role, expected, variance } = remitLineFigures(row.id, netted, first.lineExpected);
        if (row.role !== role && role === "duplicate") findings.duplicates++;
        if (row.role !== role && role === "unmatched_reversal") findings.unmatchedReversals++;
        if (row.role !== role || row.expectedAllowed !== expected || row.variance !== variance)
          remitUpdates.push({ id: row.id, expected, variance, role });
      }
    }
    // rows whose figures stay as they are are left alone (their triggers need not run); a line
    // with no row gets one (its sums are the triggers': a row made here holds zeros until then)
    await tx.$executeRawUnsafe(
      `insert into "ServiceLineRemit" as r ("serviceLineId", "practiceId", "visitId", "expectedAllowedCents", "remitAllowedCents", "remitWork")
       select s.id, s."practiceId", s."visitId", s."expectedAllowedCents", u.allowed, u.work
       from unnest($1::int[], $2::int[], $3::text[]) as u(id, allowed, work)
       join "ServiceLine" s on s.id = u.id and s."practiceId" = $4
       left join "ServiceLineRemit" o on o."serviceLineId" = u.id
       where (o."remitAllowedCents", o."remitWork") is distinct from (u.allowed, u.work)
       on conflict ("serviceLineId") do update set "remitAllowedCents" = excluded."remitAllowedCents", "remitWork" = excluded."remitWork"`,
      intArrayLiteral(lineUpdates.map((u) => u.id)),
      intArrayLiteral(lineUpdates.map((u) => u.allowed)),
      textArrayLiteral(lineUpdates.map((u) => u.work)),
      practiceId,
    );
    if (remitUpdates.length) {
      await tx.$executeRawUnsafe(
        `update "RemitLine" r set "expectedAllowedCents" = u.expected, "varianceCents" = u.variance, "netRole" = u.role
         from jsonb_to_recordset($1::jsonb) as u(id int, expected int, variance int, role text)
         where r.id = u.id and r."practiceId" = $2`,
        JSON.stringify(remitUpdates),
        practiceId,
      );
    }
    // lines that lost their last remit line (unmatched by hand) have no visit row above
    const missing = chunk.filter((id) => !byLine.has(id));
    if (missing.length) {
      const more = await tx.serviceLine.findMany({ where: { practiceId, id: { in: missing } }, select: { visitId: true } });
      for (const extra of more) visitIds.add(extra.visitId);
    }
  }
  return { findings, visitIds: [...visitIds] };
}
