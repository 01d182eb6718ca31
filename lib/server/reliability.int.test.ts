// Reliability, CI-sized (the full drills: npm run bench -- faults):
//   - PostgreSQL restarted (clean stop, then a crash) under a stream of writes and reads:
//     actions and routes answer 503 with a clear message meanwhile, the app recovers by
//     itself within 5 s of the database being back, and every acknowledged write is there;
//   - an import CLI killed with SIGKILL half-way through a file leaves nothing behind, and
//     the same file imports afterwards;
//   - no patient data reaches the logs (console, stdout, stderr) while imports and actions
//     run on data with known names and member ids, including an unexpected error.
// The restart uses a PostgreSQL of its own (embedded binaries, a data directory under .data/):
// the shared server is never touched.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generatePractice, writePracticeFiles } from "@/prisma/generator/generate";
import { exited, ScratchPostgres } from "@/scripts/bench/faults";
import { deployMigrations } from "@/scripts/migrate";
import { runAsUser } from "./core/context";
import { disconnectDb } from "./core/db";
import { guardedAction } from "./core/guard";
import { importCsv } from "./imports";
import { import835 } from "./remits/import";
import { asPractice, createTestPractice, type TestPractice, db } from "./testing";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const today = () => new Date().toISOString().slice(0, 10);
const dollars = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

describe("a PostgreSQL restart under load", () => {
  let scratch: ScratchPostgres;
  let savedUrl: string | undefined;
  let savedOwnerUrl: string | undefined;
  let t: TestPractice;
  const patients: { id: number; externalId: string }[] = [];

  beforeAll(async () => {
    scratch = await ScratchPostgres.create({ name: `pg-reliability-${process.pid}` });
    const url = await scratch.createDatabase("reliability");
    await deployMigrations(url);
    savedUrl = process.env.DATABASE_URL;
    savedOwnerUrl = process.env.MIGRATION_DATABASE_URL;
    await disconnectDb();
    // the scratch server's superuser is both the app and the owner here
    process.env.DATABASE_URL = url;
    process.env.MIGRATION_DATABASE_URL = url;
    t = await createTestPractice("restart");
    await db().patient.createMany({
      data: Array.from({ length: 80 }, (_, i) => ({
        practiceId: t.practiceId,
        externalId: `R${i}`,
        firstName: "Drill",
        lastName: `Patient${i}`,
        birthDate: new Date("1950-01-01T00:00:00Z"),
      })),
    });
    patients.push(
      ...(await db().patient.findMany({
        where: { practiceId: t.practiceId },
        select: { id: true, externalId: true },
        orderBy: { id: "asc" },
      })),
    );
  }, 180_000);

  afterAll(async () => {
    await disconnectDb();
    process.env.DATABASE_URL = savedUrl;
    process.env.MIGRATION_DATABASE_URL = savedOwnerUrl;
    await scratch?.destroy();
  });

  it("answers 503 with a clear message, recovers within 5 s of the database being back, and keeps every acknowledged write", async () => {
    const { saveUsedElsewhereAction } = await import("@/app/(app)/kx/actions");
    const { POST: importRoute } = await import("@/app/api/imports/[kind]/route");
    const { GET: exportRoute } = await import("@/app/(app)/kx/export/route");

    type Phase = "up" | "down" | "back";
    let phase: Phase = "up";
    let backAt = 0;
    let firstOkAfterBack = Number.POSITIVE_INFINITY;
    const acked: { patientId: number; year: number; pool: "PT_SLP" | "OT"; cents: number }[] = [];
    const seen: Record<string, number> = {};
    const unexpected: string[] = [];
    const messages = new Set<string>();
    let retryAfter: string | null = null;
    const used = { PT_SLP: 0, OT: 0 };
    let stop = false;
    const years = 27; // 2000..2026: asOf (today) is in or after the year

    const record = (what: string, started: Phase, ok: boolean, status: number, startedAt: number) => {
      seen[`${what} ${started} ${ok ? "ok" : status}`] = (seen[`${what} ${started} ${ok ? "ok" : status}`] ?? 0) + 1;
      if (ok && startedAt >= backAt && backAt > 0) firstOkAfterBack = Math.min(firstOkAfterBack, Date.now());
    };
    // a distinct (patient, year, pool) per write, never reused, so each acknowledged value can be checked
    const nextKey = (pool: "PT_SLP" | "OT") => {
      const k = used[pool]++;
      if (k >= patients.length * years) throw new Error("out of distinct keys: add patients");
      return { patient: patients[k % patients.length]!, year: 2000 + Math.floor(k / patients.length), cents: 100 + k };
    };

    const actionWriter = async () => {
      while (!stop) {
        const { patient, year, cents } = nextKey("PT_SLP");
        const started = phase;
        const startedAt = Date.now();
        const r = await runAsUser(t.users.BILLER, () =>
          saveUsedElsewhereAction({
            patientId: patient.id,
            year,
            pool: "PT_SLP",
            amount: dollars(cents),
            source: "restart drill",
            asOf: today(),
          }),
        );
        if (r.ok) acked.push({ patientId: patient.id, year, pool: "PT_SLP", cents });
        else if (r.status === 503) messages.add(r.error);
        else unexpected.push(`action ${started}: ${r.status} ${r.error}`);
        record("action", started, r.ok, r.ok ? 200 : r.status, startedAt);
        await sleep(15);
      }
    };
    const routeWriter = async () => {
      while (!stop) {
        const { patient, year, cents } = nextKey("OT");
        const started = phase;
        const startedAt = Date.now();
        const form = new FormData();
        const csv = `patient_id,year,pool,amount,source,as_of\n${patient.externalId},${year},OT,${dollars(cents)},restart drill ${cents},${today()}\n`;
        form.set("file", new File([csv], `usage-${cents}.csv`, { type: "text/csv" }));
        const res = await runAsUser(t.users.BILLER, () =>
          importRoute(new Request("http://localhost/api/imports/usage", { method: "POST", body: form }), {
            params: Promise.resolve({ kind: "usage" }),
          }),
        );
        const body = (await res.json()) as { status?: string; error?: string };
        const ok = res.status === 200 && body.status === "imported";
        if (ok) acked.push({ patientId: patient.id, year, pool: "OT", cents });
        else if (res.status === 503) {
          messages.add(String(body.error));
          retryAfter = res.headers.get("retry-after");
        } else unexpected.push(`route ${started}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        record("import route", started, ok, res.status, startedAt);
        await sleep(15);
      }
    };
    const reader = async () => {
      while (!stop) {
        const started = phase;
        const startedAt = Date.now();
        const res = await runAsUser(t.users.BILLER, () =>
          exportRoute(new Request("http://localhost/kx/export?format=json"), { params: Promise.resolve({}) }),
        );
        let ok = res.status === 200;
        if (ok) {
          // a download cut by the restart fails as a whole (the browser shows a failed download)
          ok = await res.text().then(
            () => true,
            () => false,
          );
          if (!ok && started === "up" && phase === "up") unexpected.push("export: body failed while the database was up");
        } else if (res.status === 503) messages.add(String(((await res.json()) as { error?: string }).error));
        else unexpected.push(`export ${started}: ${res.status}`);
        record("export route", started, ok, res.status, startedAt);
        await sleep(15);
      }
    };

    const recoveries: number[] = [];
    const loops = [actionWriter(), actionWriter(), routeWriter(), reader()];
    try {
      for (const mode of ["fast", "immediate"] as const) {
        phase = "up";
        await sleep(1_200);
        phase = "down";
        await scratch.stop(mode);
        await sleep(1_500);
        await scratch.start();
        backAt = Date.now();
        firstOkAfterBack = Number.POSITIVE_INFINITY;
        phase = "back";
        const until = Date.now() + 8_000;
        while (firstOkAfterBack === Number.POSITIVE_INFINITY && Date.now() < until) await sleep(50);
        recoveries.push(firstOkAfterBack - backAt);
        await sleep(800);
      }
    } finally {
      stop = true;
      await Promise.all(loops);
    }

    expect(unexpected).toEqual([]);
    // the temporary error is said plainly, and routes say when to retry
    expect(messages.size).toBeGreaterThan(0);
    for (const m of messages) expect(m).toMatch(/database is not reachable just now \(it may be restarting\)/);
    expect(retryAfter).toBe("5");
    // recovered by itself within 5 s, both times
    expect(recoveries).toHaveLength(2);
    for (const ms of recoveries) expect(ms).toBeLessThanOrEqual(5_000);
    // writes were acknowledged before and after each restart, and every one of them is there
    expect(seen["action up ok"] ?? 0).toBeGreaterThan(0);
    expect(seen["action back ok"] ?? 0).toBeGreaterThan(0);
    expect(seen["import route back ok"] ?? 0).toBeGreaterThan(0);
    const stored = await db().thresholdUsage.findMany({
      where: { practiceId: t.practiceId },
      select: { patientId: true, year: true, pool: true, amountCents: true },
    });
    const byKey = new Map(stored.map((s) => [`${s.patientId}|${s.year}|${s.pool}`, s.amountCents]));
    const lost = acked.filter((a) => byKey.get(`${a.patientId}|${a.year}|${a.pool}`) !== a.cents);
    expect(acked.length).toBeGreaterThan(20);
    expect(lost).toEqual([]);
  }, 120_000);
});

describe("an import killed half-way", () => {
  let t: TestPractice;
  let dir: string;
  let file: string;
  let lines: number;

  beforeAll(async () => {
    t = await createTestPractice("killed-import");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "killed-import-"));
    // a file large enough to take several seconds to import
    await writePracticeFiles(dir, generatePractice({ seed: 11, patients: 40 }));
    file = path.join(dir, "visits.csv");
    lines = fs.readFileSync(file, "utf8").trimEnd().split("\n").length - 1;
  }, 60_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await disconnectDb();
  });

  const counts = async () => ({
    patients: await db().patient.count({ where: { practiceId: t.practiceId } }),
    visits: await db().visit.count({ where: { practiceId: t.practiceId } }),
    lines: await db().serviceLine.count({ where: { practiceId: t.practiceId } }),
    payers: await db().payer.count({ where: { practiceId: t.practiceId } }),
    importJobs: await db().importJob.count({ where: { practiceId: t.practiceId } }),
    auditEvents: await db().auditEvent.count({ where: { practiceId: t.practiceId, action: { startsWith: "import" } } }),
  });

  function runImportCli(applicationName: string): ChildProcess {
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set("application_name", applicationName);
    // its own process group, so SIGKILL reaches npx, tsx and the node running the import
    return spawn("npx", ["tsx", "scripts/import.ts", "visits", file, "--practice", t.slug], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: url.toString() },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  it("leaves nothing half-written after SIGKILL, and the same file imports afterwards", async () => {
    const before = await counts();
    const name = `killed-import-${crypto.randomBytes(4).toString("hex")}`;
    const observer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await observer.connect();
    try {
      const child = runImportCli(name);
      let childOut = "";
      child.stdout!.on("data", (d) => (childOut += d));
      child.stderr!.on("data", (d) => (childOut += d));
      // wait until its transaction has written (a transaction id is assigned on the first write)
      const deadline = Date.now() + 90_000;
      let writing = false;
      while (!writing && Date.now() < deadline && child.exitCode === null) {
        const r = await observer.query(`select 1 from pg_stat_activity where application_name = $1 and backend_xid is not null`, [name]);
        writing = (r.rowCount ?? 0) > 0;
        if (!writing) await sleep(50);
      }
      expect(writing, `the import never started writing: ${childOut.slice(0, 500)}`).toBe(true);
      await sleep(300); // into the file (its first write is the import job row)
      expect(child.exitCode, "the import finished before it could be killed: use a larger file").toBeNull();
      process.kill(-child.pid!, "SIGKILL");
      await exited(child);
      // PostgreSQL notices the dead connection and rolls its transaction back
      const gone = Date.now() + 15_000;
      while (Date.now() < gone) {
        const r = await observer.query(`select 1 from pg_stat_activity where application_name = $1`, [name]);
        if (r.rowCount === 0) break;
        await sleep(100);
      }
      expect(await counts()).toEqual(before);

      const again = runImportCli(`${name}-again`);
      let out = "";
      again.stdout!.on("data", (d) => (out += d));
      again.stderr!.on("data", (d) => (out += d));
      expect(await exited(again), out).toBe(0);
      const result = JSON.parse(out.split("\n").find((l) => l.startsWith("{"))!) as { status: string; counts: { lines: number } };
      expect(result.status).toBe("imported");
      expect(result.counts.lines).toBe(lines);
      const after = await counts();
      expect(after.lines).toBe(lines);
      expect(after.importJobs).toBe(before.importJobs + 1);
    } finally {
      await observer.end();
    }
  }, 180_000);
});

describe("the logs", () => {
  let t: TestPractice;
  const FIRST = "Quentinora";
  const LAST = "Zephyrine-Marlowe";
  const MEMBER = "MBRZX99417";
  const EXTERNAL = "PT-SECRET-7731";

  beforeAll(async () => {
    t = await createTestPractice("logs");
  });
  afterAll(() => disconnectDb());

  it("carry no patient names or member ids through imports, actions and errors", async () => {
    const captured: string[] = [];
    const originals = {
      log: console.log,
      info: console.info,
      warn: console.warn,
      error: console.error,
      debug: console.debug,
      out: process.stdout.write.bind(process.stdout),
      err: process.stderr.write.bind(process.stderr),
    };
    const keep = (...args: unknown[]) => {
      captured.push(
        args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "),
      );
    };
    console.log = console.info = console.warn = console.error = console.debug = keep;
    const swallow = (chunk: unknown) => {
      keep(String(chunk));
      return true;
    };
    process.stdout.write = swallow as typeof process.stdout.write;
    process.stderr.write = swallow as typeof process.stderr.write;
    try {
      const example = fs.readFileSync(path.resolve("e2e/fixtures/example-practice/visits.csv"), "utf8").trimEnd().split("\n");
      const header = example[0]!;
      const rows = example
        .slice(1, 4)
        .map((r) => r.replace("EX-000,Test0,Example0", `${EXTERNAL},${FIRST},${LAST}`).replace("M100000", MEMBER));
      // imported, then rejected with messages that quote the names (returned, never logged)
      const ok = await asPractice(t, () =>
        importCsv({
          kind: "visits",
          practiceId: t.practiceId,
          userId: t.users.ADMIN,
          fileName: "v.csv",
          content: Buffer.from([header, ...rows].join("\n")),
        }),
      );
      expect(ok.status).toBe("imported");
      const clash = [header, rows[0]!, rows[1]!.replace(FIRST, `${FIRST}x`)].join("\n");
      const rejected = await asPractice(t, () =>
        importCsv({
          kind: "visits",
          practiceId: t.practiceId,
          userId: t.users.ADMIN,
          fileName: "bad.csv",
          content: Buffer.from(clash),
        }),
      );
      expect(rejected.status).toBe("rejected");
      expect(JSON.stringify(rejected.errors)).toContain(FIRST);
      // an 835 naming the patient
      const remit = fs
        .readFileSync(path.resolve("e2e/fixtures/example-practice/remit-united.835"), "utf8")
        .replaceAll("EXAMPLE6*TEST6", `${LAST.toUpperCase()}*${FIRST.toUpperCase()}`)
        .replaceAll("M100006", MEMBER);
      const r835 = await asPractice(t, () =>
        import835({ practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "r.835", content: Buffer.from(remit) }),
      );
      expect(["imported", "rejected"]).toContain(r835.status);
      // actions with the names in their input: invalid, valid, and one that fails unexpectedly
      const { saveEob } = await import("@/app/(app)/remits/actions");
      const { createVisitAction } = await import("@/app/(app)/visits/actions");
      const eob = {
        payerId: "x",
        checkNumber: "1",
        paymentDate: "2026-13-01",
        amount: "1",
        claims: [{ claimNumber: "C", status: "1", patientName: `${FIRST} ${LAST}`, memberId: MEMBER, lines: [] }],
      };
      expect((await runAsUser(t.users.MANAGER, () => saveEob(eob))).ok).toBe(false);
      const visit = {
        patient: EXTERNAL,
        visitId: "",
        dateOfService: "2026-02-30",
        therapistId: "1",
        payerId: "1",
        claimId: "",
        placeOfService: "11",
        lines: [{ id: "", cpt: "97110", minutes: "", modifiers: MEMBER, unitsBilled: "1", charge: "1", note: `${FIRST} ${LAST}` }],
      };
      expect((await runAsUser(t.users.BILLER, () => createVisitAction(visit))).ok).toBe(false);
      const failing = guardedAction("patients.write", z.object({ name: z.string() }), async (ctx, input) =>
        // a query Prisma refuses, its arguments holding the patient's name and member id
        db().patient.create({
          data: {
            practiceId: ctx.practiceId,
            externalId: MEMBER,
            firstName: input.name,
            lastName: LAST,
            birthDate: "not a date" as unknown as Date,
          },
        }),
      );
      const failed = await runAsUser(t.users.ADMIN, () => failing({ name: FIRST }));
      expect(failed).toMatchObject({ ok: false, status: 500 });
    } finally {
      Object.assign(console, {
        log: originals.log,
        info: originals.info,
        warn: originals.warn,
        error: originals.error,
        debug: originals.debug,
      });
      process.stdout.write = originals.out as typeof process.stdout.write;
      process.stderr.write = originals.err as typeof process.stderr.write;
    }
    const text = captured.join("\n");
    // the unexpected error was logged, without what it carried
    expect(text).toMatch(/action failed/);
    for (const secret of [FIRST, LAST, MEMBER, EXTERNAL, FIRST.toUpperCase(), LAST.toUpperCase()])
      expect(text, `"${secret}" in the logs`).not.toContain(secret);
  });
});
