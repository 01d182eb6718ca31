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
