// Callers of refreshRevenueRollup in one process share the refresh under way for their practice:
// they wait for it (and look again) instead of each waiting on the refresh lock inside a
// transaction, with a connection of the practice's pool held the whole time. Six readers at once
// behind a refresh of a whole year of weeks once took every connection of that pool.
//
// The example practice's visits (e2e/fixtures/example-practice/visits.csv) give 38 weeks of a year;
// every one of them is marked stale, and six refreshes start together.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { afterCommitSettled } from "../core/after-commit";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";
import { refreshRevenueRollup } from "./rollup";

const visitsCsv = fs.readFileSync(path.resolve("e2e/fixtures/example-practice/visits.csv"), "utf8");

describe("refreshes of one practice at once, in one process", () => {
  let t: TestPractice;
  let weeks = 0;

  beforeAll(async () => {
    t = await createTestPractice("rollup-refresh-shared");
    await importVisitsCsv(t, visitsCsv);
    await afterCommitSettled();
    // every week of the practice's visits stale, as after a bulk load
    const marked = await db().$executeRaw`
      insert into "RevenueDirtyWeek" ("practiceId", "weekStart")
      select distinct "practiceId", revenue_week_start("dateOfService") from "Visit" where "practiceId" = ${t.practiceId}
      on conflict do nothing`;
    weeks = (
      await db().$queryRaw<{ n: number }[]>`
        select count(distinct revenue_week_start("dateOfService"))::int as n from "Visit" where "practiceId" = ${t.practiceId}`
    )[0]!.n;
    // the import's own refresh took its marks: these are all the year's weeks again
    expect(marked).toBe(weeks);
    expect(weeks).toBeGreaterThan(30);
  }, 120_000);
  afterAll(() => disconnectDb());

  it("recompute each stale week once, with no caller waiting on the refresh lock, and each returns with nothing stale", async () => {
    // the refresh lock is pg_advisory_xact_lock(practiceId, 29): advisory, keys in classid and objid
    const watcher = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL });
    await watcher.connect();
    let waitingAtMost = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const r = await watcher.query<{ n: number }>(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and classid = $1 and objid = 29`,
          [t.practiceId],
        );
        waitingAtMost = Math.max(waitingAtMost, r.rows[0]!.n);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const staleWhenDone: number[] = [];
    try {
      const recomputed = await Promise.all(
        Array.from({ length: 6 }, () =>
          asPractice(t, async () => {
            const n = await refreshRevenueRollup(t.practiceId);
            staleWhenDone.push(await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } }));
            return n;
          }),
        ),
      );
      // one caller recomputed the year's weeks; the five others waited for it and found nothing left
      expect(recomputed.reduce((sum, n) => sum + n, 0)).toBe(weeks);
      expect(recomputed.filter((n) => n > 0)).toEqual([weeks]);
    } finally {
      watching = false;
      await watch;
      await watcher.end();
    }
    expect(staleWhenDone).toEqual([0, 0, 0, 0, 0, 0]);
    expect(waitingAtMost).toBe(0);
  });
});
