// The demo: a generated practice-year loaded through the same importers a practice uses,
// plus the small example practice (a second tenant). Running it again keeps the data.
//   npx tsx prisma/seed.ts [--patients N] [--seed S]
// A larger practice of its own, for the tests that need full pages of every list (the end-to-end
// tests seed it beside the demo; its users are owner@busy.test, biller@busy.test, ...):
//   npx tsx prisma/seed.ts --busy N
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db, disconnectDb } from "@/lib/server/core/db";
import { importCsv } from "@/lib/server/imports";
import { createPractice, findPracticeBySlug } from "@/lib/server/practices";
import { createUser } from "@/lib/server/users";
import { withPracticeScope } from "@/lib/server/core/scope";
import { enrolWithKey } from "@/lib/server/second-factor/second-factor";
import { generatePractice, writePracticeFiles } from "./generator/generate";

const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-password-2026";
const ROLES = ["OWNER", "BILLER", "MANAGER", "ADMIN"] as const;
/**
 * Demo only: the authenticator key of the demo admins and managers (who must sign in with a
 * second factor), printed below so that a person trying the demo can add it to an app.
 * A real user's key is random and shown once, at enrolment.
 */
const DEMO_TOTP_KEY = process.env.DEMO_TOTP_KEY ?? "DEMODEMODEMODEMODEMODEMODEMODEMO";
const SECOND_FACTOR_ROLES = ["MANAGER", "ADMIN"] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function importDir(practiceId: number, dir: string, { quiet = false } = {}) {
  const log = (r: { status: string; file: string; counts: object; errors: unknown[] }) => {
    if (!quiet) process.stdout.write(`  ${r.status.padEnd(9)} ${r.file} ${JSON.stringify(r.counts)}\n`);
    if (r.status === "rejected") throw new Error(`demo data rejected: ${JSON.stringify(r.errors).slice(0, 800)}`);
  };
  for (const [kind, file] of [
    ["visits", "visits.csv"],
    ["contracts", "contracts.csv"],
    ["usage", "usage.csv"],
  ] as const) {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) continue;
    log(await importCsv({ kind, practiceId, userId: null, fileName: file, content: fs.readFileSync(p) }));
  }
  const remits = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".835"))
    .sort();
  if (remits.length) {
    const { import835 } = await import("@/lib/server/remits/import");
    for (const f of remits) log(await import835({ practiceId, userId: null, fileName: f, content: fs.readFileSync(path.join(dir, f)) }));
  }
}

async function ensurePractice(
  slug: string,
  name: string,
  locality: string,
  emailDomain: string,
  load: (practiceId: number) => Promise<void>,
) {
  const existing = await findPracticeBySlug(slug);
  if (existing) {
    process.stdout.write(`practice "${slug}" already exists: kept as is\n`);
    return existing;
  }
  process.stdout.write(`creating practice "${slug}"\n`);
  const practice = await createPractice({ slug, name, medicareLocality: locality, timeZone: "America/New_York" });
  // users and data are added in the practice's scope, as an admin and an import would
  await withPracticeScope(practice.id, async () => {
    for (const role of ROLES) {
      await createUser(practice.id, {
        email: `${role.toLowerCase()}@${emailDomain}`,
        role,
        password: DEMO_PASSWORD,
        name: `${role[0]}${role.slice(1).toLowerCase()} Demo`,
      });
    }
    await load(practice.id);
  });
  return practice;
}

/** The demo admins and managers get the printed demo key (kept when they already have a second factor). */
async function enrolDemoSecondFactors(emailDomain: string) {
  for (const role of SECOND_FACTOR_ROLES) {
    const user = await db().user.findUnique({ where: { email: `${role.toLowerCase()}@${emailDomain}` } });
    if (user && !user.totpEnabledAt) await enrolWithKey(user.id, DEMO_TOTP_KEY);
  }
}

/** Sets a seeded practice's NPI, tax id and address when its settings have none (kept otherwise). */
async function ensureBillingIds(slug: string, ids: { npi: string; taxId: string; address: string }) {
  const practice = await findPracticeBySlug(slug);
  if (!practice) return;
  // in the practice's scope, as an admin's settings form would write them
  await withPracticeScope(practice.id, () =>
    db().practice.updateMany({ where: { slug, npi: null, taxId: null, address: null }, data: ids }),
  );
}

/** A generated practice of `patients` patients, "busy", alone: enough Medicare patients past the alert level for full pages. */
async function seedBusy(patients: number) {
  const started = Date.now();
  await ensurePractice("busy", "Busy Street Therapy", "NY-01", "busy.test", async (practiceId) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "busy-practice-"));
    const data = generatePractice({ seed: Number(arg("seed") ?? 2027), patients });
    await writePracticeFiles(dir, data);
    await importDir(practiceId, dir, { quiet: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await enrolDemoSecondFactors("busy.test");
  process.stdout.write(`Busy practice ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${patients} patients; biller@busy.test).\n`);
}

async function main() {
  const busy = arg("busy");
  if (busy) return seedBusy(Number(busy));
  const started = Date.now();
  await ensurePractice("demo", "Riverside Physical Therapy", "NY-01", "demo.test", async (practiceId) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-practice-"));
    const data = generatePractice({ seed: Number(arg("seed") ?? 2026), patients: Number(arg("patients") ?? 300) });
    await writePracticeFiles(dir, data);
    await importDir(practiceId, dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await ensurePractice("example", "Example Therapy (fixture)", "NY-01", "example.test", async (practiceId) => {
    await importDir(practiceId, path.resolve("e2e/fixtures/example-practice"));
  });
  await enrolDemoSecondFactors("demo.test");
  await enrolDemoSecondFactors("example.test");
  // the billing NPI of the demo 835s' payee (N1*PE), and a made-up tax id and address: the
  // appeal letters print them and an upload checks the payee against them
  await ensureBillingIds("demo", { npi: "1999999998", taxId: "12-3456789", address: "120 River Street, Suite 4\nRiverside, NY 10001" });
  await ensureBillingIds("example", { npi: "1999999998", taxId: "98-7654321", address: "7 Example Avenue\nNew York, NY 10002" });
  process.stdout.write(
    `\nDemo ready in ${((Date.now() - started) / 1000).toFixed(1)}s. Sign in at http://localhost:3000 with password "${DEMO_PASSWORD}":\n`,
  );
  for (const role of ROLES) process.stdout.write(`  ${role.padEnd(8)} ${role.toLowerCase()}@demo.test\n`);
  process.stdout.write(`  (a second practice: owner@example.test, biller@example.test, ... same password)\n`);
  process.stdout.write(
    `Managers and admins also enter a code from an authenticator app. Demo only: add the key\n` +
      `  ${DEMO_TOTP_KEY.match(/.{1,4}/g)?.join(" ")}\n` +
      `to an authenticator app (Google Authenticator, 1Password, ...: "enter a setup key", time-based)\n` +
      `or run \`npm run demo:code\` for the current code.\n\n`,
  );
}

main()
  .catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
