// The container's migration step: applies the committed migrations as the owner
// (MIGRATION_DATABASE_URL, else DATABASE_URL), grants the app's role (DATABASE_URL) its
// privileges when it is another role, and exits.
// The Dockerfile bundles it into one file (esbuild, pg left external) so the app image needs
// neither tsx nor the development packages:
//   DATABASE_URL=… MIGRATIONS_DIR=/app/prisma/migrations node migrate.mjs
import { deployMigrations } from "./migrate";

const appUrl = process.env.DATABASE_URL;
const url = process.env.MIGRATION_DATABASE_URL || appUrl;
if (!url) {
  process.stderr.write("DATABASE_URL is not set: name the PostgreSQL database to migrate.\n");
  process.exit(2);
}
try {
  const applied = await deployMigrations(url, (m) => process.stderr.write(`${m}\n`), appUrl);
  process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : "database is up to date\n");
} catch (error) {
  process.stderr.write(`migrations not applied: ${(error as Error).message}\n`);
  process.exit(1);
}
