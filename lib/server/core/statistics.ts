// When a transaction that grows a table by orders of magnitude refreshes its statistics. Rows
// written inside a transaction are invisible to autovacuum until it commits, so the planner
// plans the transaction's later statements from statistics of the table as it was before
// (for a table never analyzed, a guess of a few pages): a large import then ran statements
// made for an "empty" table over hundreds of thousands of rows (docs/performance.md). ANALYZE
// inside the transaction counts the transaction's own new rows.
import type { Tx } from "./db";

/** A count that says when it passes `first`, then 4 times the count it passed at, and so on. */
export class AnalyzeMarks {
  private count = 0;
  private next: number;

  constructor(first: number) {
    this.next = first;
  }

  /** Adds `rows`; true when the count has passed the next mark. */
  add(rows: number): boolean {
    this.count += rows;
    if (this.count < this.next) return false;
    this.next = this.count * 4;
    return true;
  }
}

/**
 * The statement that refreshes these tables' statistics inside an import's transaction. ANALYZE
 * there holds its lock on each table until the transaction ends, and a second ANALYZE of the same
 * table waits for it: two imports of different practices, each analyzing one table then another
 * as its marks came, could wait on each other to the end (a deadlock, one import failed), and a
 * small file waited for a large one's whole import. SKIP_LOCKED passes over a table another
 * transaction is analyzing (PostgreSQL warns and goes on): that import is planned from the
 * statistics as they were, and neither waits.
 */
export function analyzeTables(tables: readonly string[]): string {
  return `analyze (skip_locked) ${tables.map((t) => `"${t}"`).join(", ")}`;
}

/** Rows a write must add before its growth is looked at: a handful plans well either way. */
const ANALYZE_FROM_ROWS = 50;

/**
 * Refreshes `tables` inside the write's transaction when the `added` rows of `table` at least
 * doubled the practice's rows of it (a practice's first file above all) or grew the table by a
 * tenth. Statistics that have never seen a practice put it at about one row of each table, and
 * statements about it (the rest of the import, then its first pages and exports) were planned as
 * nested loops over its whole index ranges: seconds to minutes instead of milliseconds, until
 * autovacuum analyzed (docs/testing.md). The practice's rows are counted only up to twice
 * `added`, so a large practice costs no more than a small one.
 */
export async function analyzeAfterGrowth(
  tx: Tx,
  growth: { practiceId: number; table: string; added: number; tables: readonly string[] },
): Promise<void> {
  const { practiceId, table, added } = growth;
  if (added < ANALYZE_FROM_ROWS) return;
  const [sizes] = await tx.$queryRawUnsafe<{ practice: number; table: number }[]>(
    `select (select count(*)::int from (select 1 from "${table}" where "practiceId" = $1 limit $2) p) as practice,
            (select greatest(reltuples, 0)::int from pg_class where oid = $3::regclass) as "table"`,
    practiceId,
    2 * added + 1,
    `"${table}"`,
  );
  if ((sizes?.practice ?? 0) <= 2 * added || added * 10 >= (sizes?.table ?? 0)) await tx.$executeRawUnsafe(analyzeTables(growth.tables));
}
