// npm test: type-check, lint, unit, integration (real PostgreSQL) and end-to-end tests
// (Playwright in Chromium against next build + next start). Ends with one line summing
// every suite: "N passed, N failed". Just above that line it names every failed test with the
// first line of its error, so the end of a long log says what failed.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DatabaseStartError, databaseNamed, projectRoot, startDatabase } from "./lib/database";
import { deployMigrations } from "./migrate";
import { playwrightFailures, type VitestJson, vitestFailures } from "./lib/test-report";

const out = path.join(projectRoot, "test-results");
fs.mkdirSync(out, { recursive: true });
const only = process.argv.slice(2); // e.g. npm test -- unit int
const want = (step: string) => only.length === 0 || only.includes(step);

let passed = 0;
let failed = 0;
const summary: string[] = [];
/** "suite: file › test: first line of the error", one per failed test (or suite that did not load) */
const failures: string[] = [];
/** what the database was doing when an integration test timed out (scripts/testing/int-setup.ts) */
const diagnosticsFile = path.join(os.tmpdir(), `therapy-int-diagnostics-${process.pid}.txt`);

/** Runs a step: its output goes to the terminal as it comes, or is kept in `kept` to be printed later (a step run beside another). */
function run(
  label: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  kept?: string[],
): Promise<{ ok: boolean; seconds: string }> {
  const header = `\n▶ ${label}: ${command} ${args.join(" ")}\n`;
  if (kept) kept.push(header);
  else process.stdout.write(header);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: kept ? ["ignore", "pipe", "pipe"] : "inherit",
      cwd: projectRoot,
      env: { ...process.env, ...env },
    });
    child.stdout?.on("data", (d: Buffer) => kept?.push(d.toString()));
    child.stderr?.on("data", (d: Buffer) => kept?.push(d.toString()));
    const done = (ok: boolean) => resolve({ ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
    child.on("error", (error) => {
      kept?.push(`${error.message}\n`);
      done(false);
    });
    child.on("close", (code) => done(code === 0));
  });
}

function count(label: string, p: number, f: number, seconds: string) {
  passed += p;
  failed += f;
  summary.push(`${label.padEnd(12)} ${p} passed, ${f} failed (${seconds}s)`);
}

function vitestCounts(file: string, suite: string): { p: number; f: number } | null {
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as VitestJson;
    failures.push(...vitestFailures(json, suite, projectRoot));
    return { p: json.numPassedTests ?? 0, f: (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0) };
  } catch {
    return null;
  }
}

/**
 * Drops every table (as the owner) and migrates afresh, granting the app's role its privileges.
 * A test database does not wait for the disk at each commit (synchronous_commit off: a crash of
 * the server could lose its last commits, never corrupt it), so the suites' thousands of small
 * commits run at the same pace on a machine whose disk is slow to flush; the drills that check
 * durability (reliability.int.test.ts) run on a PostgreSQL of their own that keeps it on.
 */
async function resetDatabase(db: { url: string; ownerUrl: string }) {
  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  await client.query("drop schema if exists public cascade; create schema public;");
  const name = decodeURIComponent(new URL(db.ownerUrl).pathname.slice(1));
  await client.query(`alter database "${name.replaceAll('"', '""')}" set synchronous_commit = off`).catch((error: Error) => {
    process.stdout.write(`note: ${name} keeps synchronous commits (${error.message}); the tests run as they are\n`);
  });
  await client.end();
  await deployMigrations(db.ownerUrl, () => {}, db.url);
}

/** The project runs on Node 24 LTS (the exact-pinned `node` devDependency, first on the PATH of
 * npm scripts). A test run on any other Node is no test of what ships: it fails here. */
function checkNode(): boolean {
  const started = Date.now();
  const probe = spawnSync("node", ["--version"], { encoding: "utf8", cwd: projectRoot });
  const version = (probe.stdout ?? "").trim();
  process.stdout.write(`\n▶ node --version: ${version || "(node did not start)"} (this runner: ${process.version})\n`);
  const ok = /^v24\./.test(version) && process.version.startsWith("v24.");
  if (!ok) {
    process.stdout.write(
      "Tests must run on Node 24 LTS: run them through npm (npm test), which puts node_modules/.bin/node first on the PATH; run npm install if it is missing.\n",
    );
  }
  count("node 24", ok ? 1 : 0, ok ? 0 : 1, ((Date.now() - started) / 1000).toFixed(1));
  return ok;
}

async function main() {
  if (!checkNode()) return;
  await run("generate", "npx", ["prisma", "generate"]);
  if (want("typecheck")) {
    const r = await run("type-check", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
    count("type-check", r.ok ? 1 : 0, r.ok ? 0 : 1, r.seconds);
  }
  if (want("lint")) {
    const r = await run("lint", "npx", ["biome", "check", "."]);
    count("lint", r.ok ? 1 : 0, r.ok ? 0 : 1, r.seconds);
  }
  if (want("unit")) {
    const file = path.join(out, "unit.json");
    fs.rmSync(file, { force: true });
    const r = await run("unit", "npx", [
      "vitest",
      "run",
      "--project",
      "unit",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${file}`,
    ]);
    const c = vitestCounts(file, "unit") ?? { p: 0, f: 1 };
    count("unit", c.p, c.f || (r.ok ? 0 : 1), r.seconds);
  }
  const needsDb = want("int") || want("e2e");
  if (!needsDb) return;
  const db = await startDatabase({ database: "therapy_test" });
  try {
    // the end-to-end tests' database, seed and build are made while the integration tests run:
    // they use the other core, and their output is printed once the integration tests are done
    const prepOutput: string[] = [];
    const prep = want("e2e")
      ? prepareEndToEnd(db, prepOutput).catch((error: Error) => {
          prepOutput.push(`\nthe end-to-end database could not be prepared: ${error.stack ?? error.message}\n`);
          return { ok: false, seconds: "0", env: {} };
        })
      : null;
    if (want("int")) {
      fs.rmSync(diagnosticsFile, { force: true });
      await resetDatabase(db);
      const file = path.join(out, "int.json");
      fs.rmSync(file, { force: true });
      const r = await run(
        "integration",
        "npx",
        ["vitest", "run", "--project", "int", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
        // app code connects as the app's role (row-level security applies); fixtures as the owner
        { DATABASE_URL: db.url, MIGRATION_DATABASE_URL: db.ownerUrl, TEST_DIAGNOSTICS_FILE: diagnosticsFile },
      );
      const c = vitestCounts(file, "integration") ?? { p: 0, f: 1 };
      count("integration", c.p, c.f || (r.ok ? 0 : 1), r.seconds);
    }
    if (prep) {
      const ready = await prep;
      process.stdout.write(prepOutput.join(""));
      if (!ready.ok) {
        count("e2e", 0, 1, ready.seconds);
      } else {
        const file = path.join(out, "e2e.json");
        fs.rmSync(file, { force: true });
        const r = await run("e2e", "npx", ["playwright", "test"], { ...ready.env, PLAYWRIGHT_JSON_OUTPUT_NAME: file });
        try {
          const json = JSON.parse(fs.readFileSync(file, "utf8"));
          const stats = json.stats;
          failures.push(...playwrightFailures(json));
          count("e2e", (stats.expected ?? 0) + (stats.flaky ?? 0), (stats.unexpected ?? 0) || (r.ok ? 0 : 1), r.seconds);
        } catch {
          count("e2e", 0, 1, r.seconds);
        }
      }
    }
  } finally {
    await db.stop();
  }
}

/**
 * Patients of the e2e tests' busy practice: 800 make about a hundred patient pools past the alert
 * level and about 66 denied lines to rebill, two pages of each list (44 s to seed).
 */
const BUSY_PATIENTS = 800;

/** The e2e database reset and seeded with the demo practice, and the app built against it; output kept in `output`. */
async function prepareEndToEnd(
  db: Awaited<ReturnType<typeof startDatabase>>,
  output: string[],
): Promise<{ ok: boolean; seconds: string; env: Record<string, string> }> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  const e2e = await databaseNamed(db, "therapy_e2e");
  await resetDatabase(e2e);
  const env = {
    DATABASE_URL: e2e.url,
    MIGRATION_DATABASE_URL: e2e.ownerUrl,
    E2E_DATABASE_URL: e2e.url,
    E2E_MIGRATION_DATABASE_URL: e2e.ownerUrl,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    // the seed encrypts the demo second factors with it, the server decrypts them
    SECOND_FACTOR_KEY: crypto.randomBytes(32).toString("hex"),
  };
  const seed = await run("seed (e2e)", "npx", ["tsx", "prisma/seed.ts"], env, output);
  if (!seed.ok) return { ok: false, seconds: seconds(), env };
  // the larger practice whose lists fill whole pages (e2e/pages.spec.ts) is seeded while the app builds
  const busyOutput: string[] = [];
  const [busy, build] = await Promise.all([
    run("seed (e2e, busy practice)", "npx", ["tsx", "prisma/seed.ts", "--busy", String(BUSY_PATIENTS)], env, busyOutput),
    run("build", "npx", ["next", "build"], env, output),
  ]);
  output.push(...busyOutput);
  return { ok: busy.ok && build.ok, seconds: seconds(), env };
}

main()
  .catch((error) => {
    process.stderr.write(`${error instanceof DatabaseStartError ? error.message : ((error as Error).stack ?? error)}\n`);
    failed += 1;
  })
  .finally(() => {
    const failedList = failures.length > 0 ? `\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}\n` : "";
    const diagnostics = fs.existsSync(diagnosticsFile) ? fs.readFileSync(diagnosticsFile, "utf8").trim().split("\n").slice(0, 40) : [];
    fs.rmSync(diagnosticsFile, { force: true });
    if (diagnostics.length > 0) process.stdout.write(`\n${diagnostics.join("\n")}\n`);
    process.stdout.write(`\n${summary.join("\n")}\n${failedList}\n${passed} passed, ${failed} failed\n`);
    process.exit(failed > 0 ? 1 : 0);
  });
