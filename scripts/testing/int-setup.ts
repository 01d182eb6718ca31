// Integration tests (vitest.config.ts, project "int"):
//  - the planner's statistics are refreshed before each file's first test (below);
//  - when a test times out, what the database was doing then is written to
//    $TEST_DIAGNOSTICS_FILE (scripts/test.ts sets it and prints the file at the end of its
//    output): every statement of this database that was not idle, how long it had run, what it
//    waited for, and which sessions blocked it. A test that hangs then says on what.
import fs from "node:fs";
import pg from "pg";
import { beforeEach } from "vitest";

/**
 * The tables a test file's fixtures grow the most. A file makes a practice and imports its data
 * in beforeAll, then asks questions of it at once; the planner's statistics, a moment old, have
 * never seen that practice, so they put it at about one row of each table (every other practice
 * fills the most-common-values list) and nested loops over the practice's whole index ranges
 * follow: a query of milliseconds then ran for minutes (docs/testing.md). Autovacuum analyzes
 * within a minute; a file's first test does not wait that long, so the statistics are refreshed
 * before it (about 0.2 s a file).
 */
const FIXTURE_TABLES = ["Patient", "Visit", "Claim", "ServiceLine", "ServiceLineRemit", "RemitPayment", "RemitClaim", "RemitLine", "Payer"];
let analyzed = false;

/** A connection of the tables' owner (ANALYZE, pg_stat_activity), outside the app's pools. */
const ownerClient = () => new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL });

beforeEach(async () => {
  if (analyzed) return;
  analyzed = true;
  const client = ownerClient();
  try {
    await client.connect();
    await client.query(`analyze ${FIXTURE_TABLES.map((t) => `"${t}"`).join(", ")}`);
  } catch {
    // a file that stops the database (the fault drills) or swaps it for its own: nothing to refresh
  } finally {
    await client.end().catch(() => {});
  }
});

beforeEach((context) => {
  context.onTestFailed(async ({ task }) => {
    const file = process.env.TEST_DIAGNOSTICS_FILE;
    const errors = task.result?.errors ?? [];
    if (!file || !errors.some((e) => /timed out/i.test(String(e?.message)))) return;
    const client = ownerClient();
    try {
      await client.connect();
      const { rows } = await client.query<{ line: string }>(
        `select format('pid %s (%s): %s, %s s in its statement, %s s in its transaction, waits for %s, blocked by %s: %s',
                 pid, coalesce(nullif(application_name, ''), 'no name'), state,
                 round(extract(epoch from now() - query_start)), round(extract(epoch from now() - xact_start)),
                 coalesce(wait_event_type || ' ' || wait_event, 'nothing'), pg_blocking_pids(pid)::text,
                 left(regexp_replace(query, '\\s+', ' ', 'g'), 240)) as line
         from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'
         order by xact_start nulls last`,
      );
      const where = `${task.file?.name ?? "?"} › ${task.name}`;
      fs.appendFileSync(file, [`${where} timed out; the database then:`, ...rows.map((r) => `  ${r.line}`), ""].join("\n"));
    } catch (error) {
      fs.appendFileSync(file, `${task.name}: the database could not be asked (${(error as Error).message})\n`);
    } finally {
      await client.end().catch(() => {});
    }
  });
});
