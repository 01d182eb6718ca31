// Line-level analytics reads (drill-downs, the candidate list, the rollup refresh) look up a
// week or two of lines by index. PostgreSQL's default cost model (random_page_cost = 4, tuned
// for spinning disks) prefers to scan millions of remit lines instead; on SSD-backed, cached
// data the index lookups are an order of magnitude faster (docs/performance.md, "Dashboard").
import { Prisma } from "@/lib/generated/prisma/client";
import { db, RANDOM_PAGE_COST, type Tx } from "../core/db";

/** Runs line-level reads in one read transaction with the SSD cost model. */
export function withIndexFriendlyPlans<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`set local random_page_cost = ${RANDOM_PAGE_COST}`);
      return fn(tx);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * The longest period (days) whose visits are probed one by one in a partial index keyed by visit
 * (ServiceLine_undercoding_candidate_idx, ServiceLineRemit_underpaid_idx), whatever the planner's
 * estimates say: a quarter's visits of a busy practice (tens of thousands) cost tens of
 * milliseconds that way. Over a longer period, reading the whole small index and joining it to
 * the period's visits is the better plan, and the planner is left to find it.
 */
export const PROBE_PER_VISIT_DAYS = 91;

/** Whether the visits of from … to (ISO dates) are few enough to probe one by one (PROBE_PER_VISIT_DAYS). */
export function probePerVisit(from: string, to: string): boolean {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000 < PROBE_PER_VISIT_DAYS;
}

/**
 * `alias`: the rows of `table` of the visit `v` (its "visitId") that meet `condition`. Looked up
 * visit by visit in a partial index keyed by visit when `perVisit` (a lateral subquery behind
 * `offset 0`, which the planner cannot flatten into a join), else an ordinary join. On a freshly
 * loaded practice of a million visits the planner, misjudging how scattered those rows are, read
 * every one of them and matched each to its visit to list one week's (docs/performance.md, "A
 * fresh practice of a million visits").
 */
function rowsOfVisit(perVisit: boolean, table: string, alias: string, condition: Prisma.Sql): Prisma.Sql {
  const rows = Prisma.raw(`"${table}" ${alias}`);
  const visit = Prisma.raw(`${alias}."visitId"`);
  return perVisit
    ? Prisma.sql`cross join lateral (
        select ${Prisma.raw(alias)}.* from ${rows} where ${visit} = v.id and ${condition} offset 0
      ) ${Prisma.raw(alias)}`
    : Prisma.sql`join ${rows} on ${visit} = v.id and ${condition}`;
}

/** `s`: the undercoding candidate lines of the visit `v` (ServiceLine_undercoding_candidate_idx; `onLine` a further condition on s). */
export function candidateLinesOfVisit(perVisit: boolean, onLine: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return rowsOfVisit(perVisit, "ServiceLine", "s", Prisma.sql`s."undercodingDirection" is not null ${onLine}`);
}

/**
 * `r`: the underpaid lines' remit figures of the visit `v`, said as ServiceLineRemit_underpaid_idx
 * says them (the same lines as an underpayment above 0: the row's expected allowed is its line's,
 * kept by a trigger on ServiceLine).
 */
export function underpaidRemitsOfVisit(perVisit: boolean): Prisma.Sql {
  return rowsOfVisit(perVisit, "ServiceLineRemit", "r", UNDERPAID_ROW);
}

/**
 * An underpaid line's remit row `r`, as the partial indexes ServiceLineRemit_underpaid_idx (by
 * visit) and ServiceLineRemit_underpaid_date_idx (by practice, date of service and payer, which
 * such a row carries) say it.
 */
export const UNDERPAID_ROW = Prisma.sql`r."remitNetCount" > 0 and r."remitDenialCause" is null and r."expectedAllowedCents" > r."remitAllowedNetCents"`;
