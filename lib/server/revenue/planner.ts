// Line-level analytics reads (drill-downs, the candidate list, the rollup refresh) look up a
// week or two of lines by index. PostgreSQL's default cost model (random_page_cost = 4, tuned
// for spinning disks) prefers to scan millions of remit lines instead; on SSD-backed, cached
// data the index lookups are an order of magnitude faster (docs/performance.md, "Dashboard").
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
