// The database a benchmark works in: its own database, by name, on the server of DATABASE_URL
// when one is set, else on the embedded PostgreSQL (started here if it is not running),
// migrated; with `fresh`, dropped and made anew first.
import pg from "pg";
import { ensureDatabaseExists, exitOnDatabaseStartError, startDatabase } from "../lib/database";
import { deployMigrations } from "../migrate";

export interface BenchDatabase {
  url: string;
  /** stops the embedded server when this process started it */
  stop: () => Promise<void>;
}

export async function benchDatabase(name: string, options: { fresh?: boolean } = {}): Promise<BenchDatabase> {
  const server = await startDatabase({ quiet: true, database: name }).catch(exitOnDatabaseStartError);
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  const url = u.toString();
  if (options.fresh) {
    const admin = new URL(url);
    admin.pathname = "/postgres";
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await c.end();
    }
  }
  await ensureDatabaseExists(url);
  await deployMigrations(url);
  return { url, stop: () => server.stop() };
}
