// When a transaction that grows a table by orders of magnitude refreshes its statistics. Rows
// written inside a transaction are invisible to autovacuum until it commits, so the planner
// plans the transaction's later statements from statistics of the table as it was before
// (for a table never analyzed, a guess of a few pages): a large import then ran statements
// made for an "empty" table over hundreds of thousands of rows (docs/performance.md). ANALYZE
// inside the transaction counts the transaction's own new rows.

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
