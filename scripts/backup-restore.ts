// Backup and restore, proved: dump a database with pg_dump (custom format), restore it into a
// fresh database with pg_restore, and compare the row count of every table, the triggers
// (the audit log's append-only guard) and the applied migrations.
//
//   npx tsx scripts/backup-restore.ts [--source URL] [--dump FILE] [--keep]
//       the database of --source (default DATABASE_URL); the restore goes to a new database
//       "<name>_restore_<time>" on the same server, dropped afterwards unless --keep.
//   npx tsx scripts/backup-restore.ts --local-server [--patients 300]
//       the test used here: a throwaway PostgreSQL of the same major version as pg_dump (from
//       /usr/lib/postgresql/<major>/bin, e.g. Debian's postgresql-15), migrated and seeded with
//       the demo practice, then dumped, restored and compared as above, then removed.
//
// pg_dump refuses a server of a newer major version than its own (the embedded server is
// PostgreSQL 18; Debian 12 ships pg_dump 15): the script checks the versions first and says
// what to do. See docs/operations.md, "Backup and restore".
import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str, UsageError } from "./lib/args";
import { projectRoot } from "./lib/database";
import { deployMigrations } from "./migrate";

const log = (m: string) => process.stderr.write(`${m}\n`);

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; asPostgres?: boolean } = {}): SpawnSyncReturns<string> {
  const [cmd, argv] =
    options.asPostgres && process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return spawnSync(cmd, argv, { encoding: "utf8", env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(0, 2000)}`);
  return r.stdout;
}

/** The pg_dump / pg_restore to use: PG_BIN when set, else the ones on PATH. */
function tool(name: "pg_dump" | "pg_restore"): string {
  return process.env.PG_BIN ? path.join(process.env.PG_BIN, name) : name;
}

function clientMajor(): number {
  const out = must(run(tool("pg_dump"), ["--version"]), "pg_dump --version");
  const m = out.match(/(\d+)(?:\.\d+)?/);
  if (!m) throw new Error(`cannot read the version of pg_dump: ${out}`);
  return Number(m[1]);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function serverMajor(url: string): Promise<number> {
  const [row] = await query<{ v: string }>(url, "select current_setting('server_version_num') as v");
  return Math.floor(Number(row!.v) / 10000);
}

/** Exact row counts of every table of the public schema, plus the triggers and migrations. */
async function inventory(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (
      await c.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      )
    ).rows.map((r) => r.name);
    const rows: Record<string, number> = {};
    for (const t of tables) rows[t] = Number((await c.query(`select count(*) as n from "${t.replaceAll('"', '""')}"`)).rows[0].n);
    const triggers = (
      await c.query<{ name: string }>(
        `select tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not tgisinternal order by 1`,
      )
    ).rows.map((r) => r.name);
    const migrations = tables.includes("_prisma_migrations")
      ? (
          await c.query<{ name: string }>(
            `select migration_name as name from "_prisma_migrations" where finished_at is not null order by 1`,
          )
        ).rows.map((r) => r.name)
      : [];
    return { rows, triggers, migrations };
  } finally {
    await c.end();
  }
}

export async function backupAndRestore(sourceUrl: string, options: { dumpFile?: string; keep?: boolean } = {}) {
  const client = clientMajor();
  const server = await serverMajor(sourceUrl);
  if (server > client) {
    throw new UsageError(
      [
        `pg_dump ${client} cannot dump a PostgreSQL ${server} server (pg_dump refuses newer major versions).`,
        `Use a pg_dump of major version ${server} or later: PG_BIN=/usr/lib/postgresql/${server}/bin (apt.postgresql.org packages),`,
        `or the postgres:${server} image (docker run --rm --network host postgres:${server} pg_dump ...),`,
        "or run the database on a server whose major version is at most the client's (docs/operations.md).",
      ].join("\n"),
    );
  }
  const source = new URL(sourceUrl);
  const sourceName = decodeURIComponent(source.pathname.slice(1));
  const targetName = `${sourceName}_restore_${Date.now()}`.slice(0, 63);
  const target = new URL(sourceUrl);
  target.pathname = `/${targetName}`;
  const admin = new URL(sourceUrl);
  admin.pathname = "/postgres";
  const dumpFile = options.dumpFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "backup-")), `${sourceName}.dump`);

  const started = performance.now();
  must(run(tool("pg_dump"), ["--format=custom", "--no-owner", "--file", dumpFile, "--dbname", sourceUrl]), "pg_dump");
  const dumpSeconds = (performance.now() - started) / 1000;
  const dumpBytes = fs.statSync(dumpFile).size;

  await query(admin.toString(), `create database "${targetName.replaceAll('"', '""')}"`);
  const restoreStarted = performance.now();
  try {
    must(run(tool("pg_restore"), ["--no-owner", "--exit-on-error", "--jobs", "2", "--dbname", target.toString(), dumpFile]), "pg_restore");
    const restoreSeconds = (performance.now() - restoreStarted) / 1000;
    const [before, after] = [await inventory(sourceUrl), await inventory(target.toString())];
    const tables = [...new Set([...Object.keys(before.rows), ...Object.keys(after.rows)])].sort();
    const differences = tables
      .filter((t) => before.rows[t] !== after.rows[t])
      .map((t) => `${t}: ${before.rows[t] ?? "missing"} → ${after.rows[t] ?? "missing"}`);
    if (JSON.stringify(before.triggers) !== JSON.stringify(after.triggers))
      differences.push(`triggers: ${before.triggers.join(",")} → ${after.triggers.join(",")}`);
    if (JSON.stringify(before.migrations) !== JSON.stringify(after.migrations)) differences.push("applied migrations differ");
    // the restored audit log is still append-only
    let auditGuarded = false;
    try {
      await query(target.toString(), `update "AuditEvent" set action = action where id = (select min(id) from "AuditEvent")`);
    } catch (e) {
      auditGuarded = /append-only/.test((e as Error).message);
    }
    if (!auditGuarded && (before.rows.AuditEvent ?? 0) > 0) differences.push("the restored audit log accepts updates");
    return {
      client,
      server,
      source: sourceName,
      restoredInto: targetName,
      dumpFile,
      dumpMb: Number((dumpBytes / 1e6).toFixed(1)),
      dumpSeconds: Number(dumpSeconds.toFixed(1)),
      restoreSeconds: Number(restoreSeconds.toFixed(1)),
      tables: tables.length,
      rows: Object.values(before.rows).reduce((a, b) => a + b, 0),
      counts: before.rows,
      triggers: before.triggers.length,
      migrations: before.migrations.length,
      auditLogStillAppendOnly: auditGuarded,
      differences,
    };
  } finally {
    if (!options.keep) await query(admin.toString(), `drop database if exists "${targetName.replaceAll('"', '""')}" with (force)`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway PostgreSQL of pg_dump's major version, from the distribution's binaries. */
async function localServer(major: number) {
  const bin = process.env.PG_SERVER_BIN ?? `/usr/lib/postgresql/${major}/bin`;
  if (!fs.existsSync(path.join(bin, "initdb")))
    throw new UsageError(`no PostgreSQL ${major} server binaries in ${bin} (apt-get install postgresql-${major}, or set PG_SERVER_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pg${major}-backup-test-`));
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) must(run("chown", ["-R", "postgres:postgres", dir]), "chown");
  must(
    run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"], { asPostgres: true }),
    "initdb",
  );
  const port = await freePort();
  must(
    run(
      path.join(bin, "pg_ctl"),
      ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-o", `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`, "start"],
      { asPostgres: true },
    ),
    "pg_ctl start",
  );
  return {
    url: (db: string) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    stop: () => {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"], { asPostgres: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs(process.argv.slice(2), {
    source: "string",
    dump: "string",
    keep: "boolean",
    "local-server": "boolean",
    patients: "string",
    json: "boolean",
  });
  let stopLocal: (() => void) | null = null;
  let sourceUrl = str(values, "source") ?? process.env.DATABASE_URL;
  try {
    if (values["local-server"]) {
      const major = clientMajor();
      log(`starting a throwaway PostgreSQL ${major} (the version of pg_dump) …`);
      const server = await localServer(major);
      stopLocal = server.stop;
      sourceUrl = server.url("therapy_backup_test");
      await query(server.url("postgres"), `create database therapy_backup_test`);
      await deployMigrations(sourceUrl);
      const patients = str(values, "patients") ?? "300";
      log(`loading the demo practice (${patients} patients) …`);
      const seed = spawn("npx", ["tsx", "prisma/seed.ts", "--patients", patients], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: sourceUrl },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const code = await new Promise<number | null>((resolve) => seed.once("exit", resolve));
      if (code !== 0) throw new Error("seeding the demo practice failed");
    }
    if (!sourceUrl) throw new UsageError("name the database: --source URL or DATABASE_URL");
    log("dumping, restoring into a fresh database, comparing …");
    const r = await backupAndRestore(sourceUrl, { dumpFile: str(values, "dump"), keep: values.keep === true });
    if (values.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      process.stdout.write(
        [
          "",
          `pg_dump ${r.client} → PostgreSQL ${r.server}: ${r.source} (${r.tables} tables, ${r.rows} rows, ${r.triggers} triggers, ${r.migrations} migrations)`,
          `  dump     ${r.dumpMb} MB in ${r.dumpSeconds} s (${r.dumpFile})`,
          `  restore  into ${r.restoredInto} in ${r.restoreSeconds} s${values.keep ? " (kept)" : " (dropped afterwards)"}`,
          ...Object.entries(r.counts).map(([t, n]) => `    ${t.padEnd(28)} ${String(n).padStart(8)}`),
          `  audit log append-only after restore: ${r.auditLogStillAppendOnly}`,
          r.differences.length
            ? `  DIFFERENCES:\n    ${r.differences.join("\n    ")}`
            : "  every table has the same row count; triggers and migrations match",
          "",
        ].join("\n"),
      );
    }
    return r.differences.length ? 1 : 0;
  } finally {
    stopLocal?.();
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`${error instanceof UsageError ? error.message : ((error as Error).stack ?? error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
