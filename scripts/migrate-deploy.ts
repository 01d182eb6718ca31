// The container's migration step: applies the committed migrations to DATABASE_URL and exits.
// The Dockerfile bundles it into one file (esbuild, pg left external) so the app image needs
// neither tsx nor the development packages:
//   DATABASE_URL=… MIGRATIONS_DIR=/app/prisma/migrations node migrate.mjs
import { deployMigrations } from "./migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set: name the PostgreSQL database to migrate.\n");
  process.exit(2);
}
try {
  const applied = await deployMigrations(url, (m) => process.stderr.write(`${m}\n`));
  process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : "database is up to date\n");
} catch (error) {
  process.stderr.write(`migrations not applied: ${(error as Error).message}\n`);
  process.exit(1);
}
