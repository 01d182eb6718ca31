// npm test: type-check, lint, unit, integration (real PostgreSQL) and end-to-end tests
// (Playwright in Chromium against next build + next start). Ends with one line summing
// every suite: "N passed, N failed".
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { DatabaseStartError, databaseNamed, projectRoot, startDatabase } from "./lib/database";
import { deployMigrations } from "./migrate";

const out = path.join(projectRoot, "test-results");
fs.mkdirSync(out, { recursive: true });
const only = process.argv.slice(2); // e.g. npm test -- unit int
const want = (step: string) => only.length === 0 || only.includes(step);

let passed = 0;
let failed = 0;
const summary: string[] = [];

function run(label: string, command: string, args: string[], env: Record<string, string> = {}) {
  process.stdout.write(`\n▶ ${label}: ${command} ${args.join(" ")}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", cwd: projectRoot, env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function count(label: string, p: number, f: number, seconds: string) {
  passed += p;
  failed += f;
  summary.push(`${label.padEnd(12)} ${p} passed, ${f} failed (${seconds}s)`);
}

function vitestCounts(file: string): { p: number; f: number } | null {
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    return { p: json.numPassedTests ?? 0, f: (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0) };
  } catch {
    return null;
  }
}

/** Drops every table (as the owner) and migrates afresh, granting the app's role its privileges. */
async function resetDatabase(db: { url: string; ownerUrl: string }) {
  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  await client.query("drop schema if exists public cascade; create schema public;");
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
  run("generate", "npx", ["prisma", "generate"]);
  if (want("typecheck")) {
    const r = run("type-check", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
    count("type-check", r.ok ? 1 : 0, r.ok ? 0 : 1, r.seconds);
  }
  if (want("lint")) {
    const r = run("lint", "npx", ["biome", "check", "."]);
    count("lint", r.ok ? 1 : 0, r.ok ? 0 : 1, r.seconds);
  }
  if (want("unit")) {
    const file = path.join(out, "unit.json");
    fs.rmSync(file, { force: true });
    const r = run("unit", "npx", [
      "vitest",
      "run",
      "--project",
      "unit",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${file}`,
    ]);
    const c = vitestCounts(file) ?? { p: 0, f: 1 };
    count("unit", c.p, c.f || (r.ok ? 0 : 1), r.seconds);
  }
  const needsDb = want("int") || want("e2e");
  if (!needsDb) return;
  const db = await startDatabase({ database: "therapy_test" });
  try {
    if (want("int")) {
      await resetDatabase(db);
      const file = path.join(out, "int.json");
      fs.rmSync(file, { force: true });
      const r = run(
        "integration",
        "npx",
        ["vitest", "run", "--project", "int", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
        // app code connects as the app's role (row-level security applies); fixtures as the owner
        { DATABASE_URL: db.url, MIGRATION_DATABASE_URL: db.ownerUrl },
      );
      const c = vitestCounts(file) ?? { p: 0, f: 1 };
      count("integration", c.p, c.f || (r.ok ? 0 : 1), r.seconds);
    }
    if (want("e2e")) {
      const e2e = await databaseNamed(db, "therapy_e2e");
      await resetDatabase(e2e);
      const secret = crypto.randomBytes(32).toString("hex");
      const env = {
        DATABASE_URL: e2e.url,
        MIGRATION_DATABASE_URL: e2e.ownerUrl,
        E2E_DATABASE_URL: e2e.url,
        E2E_MIGRATION_DATABASE_URL: e2e.ownerUrl,
        NEXTAUTH_SECRET: secret,
        // the seed encrypts the demo second factors with it, the server decrypts them
        SECOND_FACTOR_KEY: crypto.randomBytes(32).toString("hex"),
      };
      const seed = run("seed (e2e)", "npx", ["tsx", "prisma/seed.ts"], env);
      const build = seed.ok ? run("build", "npx", ["next", "build"], env) : { ok: false, seconds: "0" };
      if (!build.ok) {
        count("e2e", 0, 1, build.seconds);
      } else {
        const file = path.join(out, "e2e.json");
        fs.rmSync(file, { force: true });
        const r = run("e2e", "npx", ["playwright", "test"], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: file });
        try {
          const stats = JSON.parse(fs.readFileSync(file, "utf8")).stats;
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

main()
  .catch((error) => {
    process.stderr.write(`${error instanceof DatabaseStartError ? error.message : ((error as Error).stack ?? error)}\n`);
    failed += 1;
  })
  .finally(() => {
    process.stdout.write(`\n${summary.join("\n")}\n\n${passed} passed, ${failed} failed\n`);
    process.exit(failed > 0 ? 1 : 0);
  });
