// Integration tests (vitest.config.ts, project "int"): when a test times out, what the
// database was doing then is written to $TEST_DIAGNOSTICS_FILE (scripts/test.ts sets it and
// prints the file at the end of its output): every statement of this database that was not idle,
// how long it had run, what it waited for, and which sessions blocked it. A test that hangs then
// says on what.
import fs from "node:fs";
import pg from "pg";
import { beforeEach } from "vitest";

beforeEach((context) => {
  context.onTestFailed(async ({ task }) => {
    const file = process.env.TEST_DIAGNOSTICS_FILE;
    const errors = task.result?.errors ?? [];
    if (!file || !errors.some((e) => /timed out/i.test(String(e?.message)))) return;
    const client = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL });
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
