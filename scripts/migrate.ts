// The project's migration tool. The Prisma CLI cannot run `migrate` on machines without
// access to Prisma's binary download host, so:
//   deploy (default)  apply committed prisma/migrations/*/migration.sql in order and record
//                     them in _prisma_migrations exactly as `prisma migrate deploy` does
//                     (same table, same checksums), so either tool can take over.
//   create <name>     generate a new migration with Prisma's WebAssembly schema engine:
//                     the diff from prisma/migrations/schema.snapshot.prisma (the schema
//                     as of the newest migration) to prisma/schema.prisma.
//   status            list applied and pending migrations.
//   reset             drop everything in the database and apply all migrations (asks for --force).
// With no DATABASE_URL, run it through scripts/with-db.ts (npm run migrate does).
// Migrations run as the owner of the schema (MIGRATION_DATABASE_URL, else DATABASE_URL); after
// them, the app's role (DATABASE_URL, when it is another role) is granted what the app needs
// and nothing more (grantAppRole).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "./lib/database";

// MIGRATIONS_DIR: where a container image keeps them (scripts/migrate-deploy.ts bundled into it)
const migrationsDir = process.env.MIGRATIONS_DIR ?? path.join(projectRoot, "prisma", "migrations");
const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");
/** the schema as of the newest migration, so the next migration is a plain diff */
const snapshotPath = path.join(migrationsDir, "schema.snapshot.prisma");

interface MigrationOnDisk {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsOnDisk(): MigrationOnDisk[] {
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

const ledgerDdl = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies pending migrations as the owner (`url`), each in its own transaction, then grants the
 * app's role (the user of `appUrl`, when given and not the owner) its privileges. Returns the
 * names applied.
 */
export async function deployMigrations(url: string, log: (m: string) => void = () => {}, appUrl?: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    // one migrator at a time (several test workers or app servers may start together)
    await client.query("select pg_advisory_lock(728354101)");
    await client.query(ledgerDdl);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      `select migration_name, checksum from "_prisma_migrations" where finished_at is not null and rolled_back_at is null`,
    );
    const byName = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
    for (const m of migrationsOnDisk()) {
      const seen = byName.get(m.name);
      if (seen) {
        if (seen !== m.checksum) log(`warning: ${m.name} was edited after it was applied`);
        continue;
      }
      const id = crypto.randomUUID();
      await client.query("begin");
      try {
        await client.query(`insert into "_prisma_migrations" (id, checksum, migration_name, started_at) values ($1, $2, $3, now())`, [
          id,
          m.checksum,
          m.name,
        ]);
        await client.query(m.sql);
        await client.query(`update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1`, [id]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`);
      }
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
    const appRole = appUrl ? decodeURIComponent(new URL(appUrl).username) : "";
    const ownerRole = (await client.query<{ r: string }>("select current_user as r")).rows[0]!.r;
    if (appRole && appRole !== ownerRole) await grantAppRole(client, appRole);
  } finally {
    await client.query("select pg_advisory_unlock(728354101)").catch(() => {});
    await client.end();
  }
  return applied;
}

/**
 * What the app's role may do, granted by the owner after every deploy (so tables a migration
 * adds are covered): read and write rows, use the id sequences; on the audit log only read and
 * append. It owns nothing, so it cannot alter a table, disable a trigger or a row-level security
 * policy, or truncate; the migrations' ledger it may only read (the health route compares it
 * with the build's migrations). Temporary tables (the remit
 * writer's COPY staging) come with PostgreSQL's default TEMPORARY privilege on the database.
 */
export async function grantAppRole(owner: pg.Client, appRole: string): Promise<void> {
  const role = `"${appRole.replaceAll('"', '""')}"`;
  await owner.query(`
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    GRANT USAGE ON SCHEMA public TO ${role};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role};
    REVOKE ALL ON "_prisma_migrations" FROM ${role};
    GRANT SELECT ON "_prisma_migrations" TO ${role};
    REVOKE UPDATE, DELETE, TRUNCATE ON "AuditEvent" FROM ${role};
  `);
  // a large 835 import refreshes the statistics of the remit tables and of the service lines'
  // remit rows mid-transaction (RemitWriter), and a visits file that doubles a practice's visits
  // those of the tables it grew (imports/visits.ts, analyzeAfterGrowth), and the KX
  // totals those of the queue items a transaction creates by the thousand (derived/kx.ts):
  // ANALYZE without ownership needs MAINTAIN (PostgreSQL 17+; before, it is skipped with a warning)
  const version = Number((await owner.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v);
  if (version >= 170000)
    await owner.query(
      `GRANT MAINTAIN ON "RemitPayment", "RemitClaim", "RemitLine", "ServiceLineRemit", "Patient", "Claim", "Visit", "ServiceLine", "KxQueueItem" TO ${role}`,
    );
}

/** Instantiates the engine's WebAssembly by hand: Node 20 cannot import .wasm modules. */
async function loadSchemaEngine() {
  const dir = path.join(projectRoot, "node_modules", "@prisma", "schema-engine-wasm");
  const bindings = (await import(path.join(dir, "schema_engine_bg.js"))) as Record<string, unknown> & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
    SchemaEngine: typeof import("@prisma/schema-engine-wasm").SchemaEngine;
  };
  const bytes = fs.readFileSync(path.join(dir, "schema_engine_bg.wasm"));
  const module = await WebAssembly.compile(bytes);
  const imports: WebAssembly.Imports = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    imports[entry.module] ??= {};
    (imports[entry.module] as Record<string, unknown>)[entry.name] = bindings[entry.name];
  }
  const instance = await WebAssembly.instantiate(module, imports);
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings.SchemaEngine;
}

async function createMigration(url: string, name: string): Promise<void> {
  // Postgres' internal "char" type (OID 18) is returned by the engine's catalog queries
  // but not mapped by @prisma/adapter-pg: report it as bpchar (character).
  const resultProto = (pg as unknown as { Result: { prototype: { addFields(f: { dataTypeID: number }[]): void } } }).Result.prototype;
  const addFields = resultProto.addFields;
  resultProto.addFields = function (fields) {
    for (const f of fields) if (f.dataTypeID === 18) f.dataTypeID = 1042;
    return addFields.call(this, fields);
  };
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      process.stderr.write(`schema engine panic: ${message}\n`);
    },
  };
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const SchemaEngine = await loadSchemaEngine();

  const target = new URL(url);
  const adapterFactory = new PrismaPg({
    host: target.hostname,
    port: Number(target.port || 5432),
    user: decodeURIComponent(target.username),
    password: decodeURIComponent(target.password),
    database: decodeURIComponent(target.pathname.slice(1)),
  });
  const schema = fs.readFileSync(schemaPath, "utf8");
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory as never),
  );
  // The engine's shadow-database path does not work through the pg adapter, so the
  // migration is the diff between the schema as of the last migration (a snapshot
  // committed beside the migrations) and the schema now.
  const previous = fs.existsSync(snapshotPath) ? fs.readFileSync(snapshotPath, "utf8") : null;
  const out = await engine.diff({
    from: previous ? { tag: "schemaDatamodel", files: [{ path: snapshotPath, content: previous }] } : { tag: "empty" },
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  const script = out.stdout ?? "";
  if (script.trim() === "" || /^-- This is an empty migration/.test(script.trim())) {
    process.stdout.write("schema and migrations agree: nothing to create\n");
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dirName = `${stamp}_${name}`;
  fs.mkdirSync(path.join(migrationsDir, dirName), { recursive: true });
  fs.writeFileSync(path.join(migrationsDir, dirName, "migration.sql"), script);
  fs.writeFileSync(snapshotPath, schema);
  const lock = path.join(migrationsDir, "migration_lock.toml");
  if (!fs.existsSync(lock)) {
    fs.writeFileSync(
      lock,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  process.stdout.write(`created prisma/migrations/${dirName}/migration.sql\n`);
}

async function main() {
  const [command = "deploy", ...rest] = process.argv.slice(2);
  const { exitOnDatabaseStartError, startDatabase } = await import("./lib/database");
  const db = await startDatabase({ quiet: true }).catch(exitOnDatabaseStartError);
  try {
    if (command === "deploy") {
      const applied = await deployMigrations(db.ownerUrl, (m) => process.stderr.write(`${m}\n`), db.url);
      process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : "database is up to date\n");
    } else if (command === "create") {
      const name = rest[0];
      if (!name || !/^[a-z0-9_]+$/.test(name)) {
        process.stderr.write("usage: npm run migrate -- create <snake_case_name>\n");
        process.exitCode = 2;
        return;
      }
      await createMigration(db.ownerUrl, name);
    } else if (command === "status") {
      const client = new pg.Client({ connectionString: db.ownerUrl });
      await client.connect();
      await client.query(ledgerDdl);
      const done = new Set(
        (await client.query(`select migration_name from "_prisma_migrations" where finished_at is not null`)).rows.map(
          (r) => r.migration_name,
        ),
      );
      await client.end();
      for (const m of migrationsOnDisk()) process.stdout.write(`${done.has(m.name) ? "applied" : "pending"}  ${m.name}\n`);
    } else if (command === "reset") {
      if (!rest.includes("--force")) {
        process.stderr.write("reset drops every table: run with --force\n");
        process.exitCode = 2;
        return;
      }
      const client = new pg.Client({ connectionString: db.ownerUrl });
      await client.connect();
      await client.query("drop schema public cascade; create schema public;");
      await client.end();
      await deployMigrations(db.ownerUrl, (m) => process.stderr.write(`${m}\n`), db.url);
    } else {
      process.stderr.write("usage: npm run migrate -- [deploy|create <name>|status|reset --force]\n");
      process.exitCode = 2;
    }
  } finally {
    await db.stop();
  }
}

// run as a command (not when imported, nor when bundled into migrate-deploy.ts)
if (import.meta.url === `file://${process.argv[1]}` && /migrate\.ts$/.test(process.argv[1] ?? "")) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
