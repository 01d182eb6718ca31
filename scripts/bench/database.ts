// The database a benchmark works in: its own database, by name, on the server of DATABASE_URL
// when one is set, else on the embedded PostgreSQL (started here if it is not running),
// migrated; with `fresh`, dropped and made anew first.
import pg from "pg";
import { databaseNamed, embeddedUrl, exitOnDatabaseStartError, startDatabase } from "../lib/database";
import { deployMigrations } from "../migrate";

export interface BenchDatabase {
  /** as the app's role */
  url: string;
  /** as the owner (migrations, fixtures written around the app) */
  ownerUrl: string;
  /** stops the embedded server when this process started it */
  stop: () => Promise<void>;
}

export async function benchDatabase(name: string, options: { fresh?: boolean } = {}): Promise<BenchDatabase> {
  const server = await startDatabase({ quiet: true, database: name }).catch(exitOnDatabaseStartError);
  if (options.fresh) {
    // dropped by whoever may: the embedded superuser, else the owner
    const admin = new URL(process.env.DATABASE_URL ? server.ownerUrl : embeddedUrl("postgres"));
    admin.pathname = "/postgres";
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await c.end();
    }
  }
  const { url, ownerUrl } = await databaseNamed(server, name);
  await deployMigrations(ownerUrl, () => {}, url);
  // the bench's own processes (seed, fixtures) find the owner of its database here
  process.env.MIGRATION_DATABASE_URL = ownerUrl;
  return { url, ownerUrl, stop: () => server.stop() };
}
