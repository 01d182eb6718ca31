// Runs a command with DATABASE_URL pointing at the project's database as the app's role and
// MIGRATION_DATABASE_URL as its owner (starting the
// embedded PostgreSQL when needed, stopping it afterwards if this process started it).
//   tsx scripts/with-db.ts [--quiet] [--database NAME] -- <command> [args...]
import { spawn } from "node:child_process";
import { exitOnDatabaseStartError, startDatabase } from "./lib/database";
import { deployMigrations } from "./migrate";

const args = process.argv.slice(2);
const sep = args.indexOf("--");
const own = sep >= 0 ? args.slice(0, sep) : [];
const command = sep >= 0 ? args.slice(sep + 1) : args;
const quiet = own.includes("--quiet");
const dbIndex = own.indexOf("--database");
const database = dbIndex >= 0 ? own[dbIndex + 1] : undefined;

if (command.length === 0) {
  process.stderr.write("usage: tsx scripts/with-db.ts [--quiet] [--database NAME] -- <command>\n");
  process.exit(2);
}

const db = await startDatabase({ quiet, database }).catch(exitOnDatabaseStartError);
// every entry point finds the schema up to date (idempotent, serialised by an advisory lock)
await deployMigrations(db.ownerUrl, quiet ? () => {} : (m) => process.stderr.write(`[db] ${m}\n`), db.url);
const child = spawn(command[0], command.slice(1), {
  stdio: "inherit",
  // the app connects as its own role; migrations and the tests' fixtures as the owner
  env: { ...process.env, DATABASE_URL: db.url, MIGRATION_DATABASE_URL: db.ownerUrl },
  shell: process.platform === "win32",
  // its own process group, so a stop signal reaches every process it starts (npm, next)
  // (with a terminal, Ctrl-C already reaches the whole foreground group, and a detached
  // child could not read the terminal, e.g. a password typed for admin create-user)
  detached: process.platform !== "win32" && !process.stdin.isTTY,
});
let exiting = false;
const forward = (signal: NodeJS.Signals) => {
  if (exiting) return;
  exiting = true;
  try {
    if (child.pid && process.platform !== "win32" && !process.stdin.isTTY) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal);
  }
};
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", async (code, signal) => {
  await db.stop().catch(() => {});
  process.exit(code ?? (signal ? 1 : 0));
});
