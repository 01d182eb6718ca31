// Once remit lines are attached to our service lines: the confirmed allowed amount of each
// line is the net of all its primary remit lines (a reversal, CLP02 = 22, cancels the payment
// it takes back; the correction then stands), the underpayment variance sits on the line that
// stands, and the KX totals of the touched patient-year-pools are recomputed (DOMAIN.md §1, §5).
import type { Tx } from "../db";
import { poolKeysOfVisits, recomputeKx } from "../kx/recompute";
import { NOT_PRIMARY_STATUSES } from "./model";
import { intArrayLiteral } from "./sql";

const CHUNK = 5000;

interface RemitLineRow {
  id: number;
  serviceLineId: number;
  allowedCents: number;
  chargeCents: number;
  paidCents: number;
  statusCode: string;
  expected: number | null;
  visitId: number;
}

export interface LineOutcome {
  remitLineId: number;
  expectedAllowedCents: number | null;
  varianceCents: number | null;
}

/**
 * For one service line's remit lines (in import order): the net allowed and, per remit line,
 * the expected allowed and the variance (expected − net allowed) on the line that stands.
 * Reversals and the payments they take back carry no variance; neither do secondary payers.
 */
export function netServiceLine(
  expectedCents: number | null,
  lines: readonly Omit<RemitLineRow, "serviceLineId" | "expected" | "visitId">[],
) {
  let net = 0;
  let primary = 0;
  const standing: number[] = [];
  const outcomes = new Map<number, LineOutcome>();
  for (const l of lines) {
    const isPrimary = !NOT_PRIMARY_STATUSES.includes(l.statusCode);
    const isReversal = l.statusCode === "22" || (l.chargeCents < 0 && l.paidCents <= 0);
    outcomes.set(l.id, { remitLineId: l.id, expectedAllowedCents: isReversal || !isPrimary ? null : expectedCents, varianceCents: null });
    if (!isPrimary) continue;
    primary++;
    net += l.allowedCents;
    if (isReversal) standing.pop();
    else standing.push(l.id);
  }
  const current = standing.at(-1);
  if (current !== undefined && expectedCents !== null) outcomes.get(current)!.varianceCents = expectedCents - net;
  return { netAllowedCents: primary > 0 ? net : null, outcomes: [...outcomes.values()] };
}

/** Brings remitAllowedCents, the remit lines' expected/variance and the KX totals up to date. */
export async function confirmServiceLines(tx: Tx, practiceId: number, serviceLineIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(serviceLineIds)];
  const visitIds = new Set<number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await tx.$queryRawUnsafe<RemitLineRow[]>(
      `select rl.id, rl."serviceLineId", rl."allowedCents", rl."chargeCents", rl."paidCents", rc."statusCode",
              s."expectedAllowedCents" as expected, s."visitId"
       from "RemitLine" rl
       join "RemitClaim" rc on rc.id = rl."remitClaimId"
       join "ServiceLine" s on s.id = rl."serviceLineId"
       where rl."practiceId" = $1 and rl."serviceLineId" = any($2::int[])
       order by rl."serviceLineId", rl.id`,
      practiceId,
      intArrayLiteral(chunk),
    );
    const byLine = new Map<number, RemitLineRow[]>();
    for (const r of rows) {
      const list = byLine.get(r.serviceLineId) ?? [];
      list.push(r);
      byLine.set(r.serviceLineId, list);
    }
    const lineUpdates: { id: number; allowed: number | null }[] = [];
    const remitUpdates: { id: number; expected: number | null; variance: number | null }[] = [];
    for (const id of chunk) {
      const list = byLine.get(id) ?? [];
      const first = list[0];
      if (first) visitIds.add(first.visitId);
      const result = netServiceLine(first?.expected ?? null, list);
      lineUpdates.push({ id, allowed: result.netAllowedCents });
      for (const o of result.outcomes)
        remitUpdates.push({ id: o.remitLineId, expected: o.expectedAllowedCents, variance: o.varianceCents });
    }
    // rows whose figures stay as they are are left alone (their triggers need not run)
    await tx.$executeRawUnsafe(
      `update "ServiceLine" s set "remitAllowedCents" = u.allowed
       from jsonb_to_recordset($1::jsonb) as u(id int, allowed int)
       where s.id = u.id and s."practiceId" = $2 and s."remitAllowedCents" is distinct from u.allowed`,
      JSON.stringify(lineUpdates),
      practiceId,
    );
    if (remitUpdates.length) {
      await tx.$executeRawUnsafe(
        `update "RemitLine" r set "expectedAllowedCents" = u.expected, "varianceCents" = u.variance
         from jsonb_to_recordset($1::jsonb) as u(id int, expected int, variance int)
         where r.id = u.id and r."practiceId" = $2
           and (r."expectedAllowedCents", r."varianceCents") is distinct from (u.expected, u.variance)`,
        JSON.stringify(remitUpdates),
        practiceId,
      );
    }
    // lines that lost their last remit line (unmatched by hand) have no visit row above
    const missing = chunk.filter((id) => !byLine.has(id));
    if (missing.length) {
      const more = await tx.serviceLine.findMany({ where: { practiceId, id: { in: missing } }, select: { visitId: true } });
      for (const m of more) visitIds.add(m.visitId);
    }
  }
  const keys = [];
  const visits = [...visitIds];
  for (let i = 0; i < visits.length; i += CHUNK) keys.push(...(await poolKeysOfVisits(tx, practiceId, visits.slice(i, i + CHUNK))));
  await recomputeKx(tx, practiceId, keys);
}

/** After a contract change re-priced a payer's visits: refresh the expectations of their remit lines. */
export async function refreshRemitExpectationsOfPayers(tx: Tx, practiceId: number, payerIds: number[]): Promise<number> {
  if (payerIds.length === 0) return 0;
  const rows = await tx.$queryRawUnsafe<{ id: number }[]>(
    `select distinct rl."serviceLineId" as id from "RemitLine" rl
     join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId"
     where rl."practiceId" = $1 and v."payerId" = any($2::int[])`,
    practiceId,
    intArrayLiteral(payerIds),
  );
  await confirmServiceLines(
    tx,
    practiceId,
    rows.map((r) => r.id),
  );
  return rows.length;
}
