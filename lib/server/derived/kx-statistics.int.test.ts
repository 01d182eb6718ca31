// The KX totals of a transaction that creates queue items by the thousand refresh the table's
// statistics on the way (recomputeKx, derived/kx.ts). Planned from statistics of the table as it
// was (in a new database, never analyzed), each pool's item was looked up by the queue's index
// on practice and year, reading every item of the year for each pool: a practice's own
// million-line 835 spent 3 s a batch on it and more with each batch (docs/performance.md).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { createTestPractice, db, importVisitsCsv, rowsAndEstimate, type TestPractice } from "../testing";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";

/** 1,200 Medicare patients with one visit each: 1,200 patient-year-pools, each a new queue item. */
const PATIENTS = 1200;

function visitsCsv(prefix = "KS"): string {
  const rows = [HEADER];
  for (let i = 0; i < PATIENTS; i++) {
    const id = String(i).padStart(4, "0");
    rows.push(
      `${prefix}${id},Pat,Stat${id},1950-02-03,Medicare,medicare,1EG4TE5K${id},V${prefix}${id},C${prefix}${id},2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,`,
    );
  }
  return rows.join("\n");
}

describe("statistics of the KX queue items a transaction creates by the thousand", () => {
  let t: TestPractice;
  let other: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("kx-statistics");
    other = await createTestPractice("kx-statistics-other");
  }, 60_000);
  afterAll(() => disconnectDb());

  it("are refreshed inside the import that creates them, counting its own new items", async () => {
    const before = await rowsAndEstimate("KxQueueItem");
    await importVisitsCsv(t, visitsCsv());
    const [{ items }] = await db().$queryRaw<{ items: number }[]>`
      select count(*)::int as items from "KxQueueItem" where "practiceId" = ${t.practiceId}`;
    // one item per patient-year-pool: 1,200 patients × (2026, PT and SLP) = 1,200 items
    expect(items).toBe(PATIENTS);
    const after = await rowsAndEstimate("KxQueueItem");
    // The KX stage reads and writes pools 1,000 at a time; the first chunk creates 1,000 items,
    // which passes the first mark (1,000), and the table is analyzed before the second chunk,
    // inside the import's transaction, its own 1,000 new items counted as live rows. The
    // estimate then holds the items committed before the import plus those 1,000 (ANALYZE of a
    // table this small reads every row), less any another test file deleted meanwhile (a few:
    // 100 are allowed for). Without the refresh, the estimate is the last analyze's, taken before
    // the import: at most the items committed then.
    expect(after.reltuples).toBeGreaterThanOrEqual(before.committed + 1000 - 100);
  }, 120_000);

  it("do not make the import wait for another transaction analyzing the same table", async () => {
    // another transaction (another practice's import, say) has analyzed the queue items and
    // holds the table's lock for ANALYZE until it ends
    const holder = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query('analyze "KxQueueItem"');
      // the same 1,200 new pools as above, for another practice: its KX stage passes the first
      // mark while the lock is held. A plain ANALYZE would wait here until the holder ends.
      const waited = await Promise.race([
        importVisitsCsv(other, visitsCsv("KO")).then(() => "imported"),
        new Promise<string>((resolve) => setTimeout(() => resolve("still waiting after 30 s"), 30_000)),
      ]);
      expect(waited).toBe("imported");
      const [{ items }] = await db().$queryRaw<{ items: number }[]>`
        select count(*)::int as items from "KxQueueItem" where "practiceId" = ${other.practiceId}`;
      expect(items).toBe(PATIENTS);
    } finally {
      await holder.query("commit").catch(() => {});
      await holder.end();
    }
  }, 120_000);
});
