// A practice's first visits file refreshes the planner's statistics of the tables it grew, inside
// the import: statistics that have never seen the practice put it at about one row of each table,
// and its statements were planned as nested loops over its whole index ranges (docs/testing.md).
// The check: the planner's estimate of the practice's visits and service lines, right after the
// import, against the counts (EXPLAIN's "Plan Rows"), as the app's role sees them.
//
// The example practice's visits.csv; its visits and lines are counted from the database, not assumed.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, plannedRowsOfPractice, type TestPractice } from "../testing";
import { importCsv } from "./index";

const visitsCsv = fs.readFileSync(path.resolve("e2e/fixtures/example-practice/visits.csv"));

describe("the planner's statistics after a practice's first visits file", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("first-file-statistics");
  });
  afterAll(() => disconnectDb());

  it("know the practice's size: the estimates of its visits and lines are within a factor of two of the counts", async () => {
    const result = await asPractice(t, () =>
      importCsv({ kind: "visits", practiceId: t.practiceId, userId: t.users.ADMIN, fileName: "visits.csv", content: visitsCsv }),
    );
    expect(result.status, JSON.stringify(result.errors)).toBe("imported");
    for (const table of ["Visit", "ServiceLine"] as const) {
      const [{ n }] = await db().$queryRawUnsafe<{ n: number }[]>(
        `select count(*)::int as n from "${table}" where "practiceId" = ${t.practiceId}`,
      );
      expect(n).toBeGreaterThan(100);
      const planned = await plannedRowsOfPractice(table, t.practiceId);
      // unseen, the practice would be planned at a row or a few (1 against hundreds)
      expect(planned, `${table}: ${planned} planned, ${n} there`).toBeGreaterThanOrEqual(n / 2);
      expect(planned, `${table}: ${planned} planned, ${n} there`).toBeLessThanOrEqual(n * 2);
    }
  });
});
