// npm run bench -- load [--seconds 60] [--users 50] [--think 4] [--patients 2000] [--port N]
//                       [--build] [--json]
//
// HTTP load on loopback with autocannon against `next start`:
//   - a database of its own, "therapy_bench_load" (on the server of DATABASE_URL, or the
//     embedded one), seeded once with the demo practice at scale: prisma/seed.ts --patients N;
//   - a build in $NEXT_DIST_DIR (default .next-bench), built when missing or with --build;
//   - --users sessions (default 50) signed in through next-auth's credentials flow, spread
//     over the demo practice's owner, biller and manager (the manager's users share one
//     session signed in with the demo authenticator key), each cycling through its role's
//     main pages (/revenue, /kx, /remits, /underpayments, /patients?q=…, a patient's page,
//     /api/exports/kx-queue) and a server action (the biller records "used elsewhere" on a
//     patient's threshold page, the owner and the manager review undercoding candidates);
//   - for --seconds, the users' requests at the pace of people who read what they opened:
//     --think seconds between one person's clicks (default 4), i.e. users / think requests per
//     second in all (autocannon's overallRate; the sessions take turns on its connections);
//     --think 0 sends from --users connections as fast as the server answers (saturation).
// Reports requests/s, latency p50 / p95 / p99 / max, per-path p50 / p95, and errors: network
// errors, timeouts, any non-2xx answer, and server actions answering { ok: false } with a 5xx;
// and the CPU time per request while the load ran: the server's processes, the embedded
// PostgreSQL's, this process's own (the client), and the whole machine's busy cores (what is
// left over is other work on the machine).
// Targets (docs/performance.md): paced, 0 errors and p99 <= 300 ms; saturation (--think 0),
// at least 70 requests/s with the server's workers on every core (WEB_CONCURRENCY).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str } from "../lib/args";
import { projectRoot } from "../lib/database";
import { postgresTicks, processTreeTicks, TICK_MS } from "./cpu";
import { benchDatabase } from "./database";
import { freePort } from "./faults";
import { percentile, signIn as signInAs, waitFor } from "./http";

export const DEMO_PASSWORD = "demo-password-2026";
const log = (m: string) => process.stderr.write(`${m}\n`);

// ---------------------------------------------------------------------------------------
// helpers shared with the fault drill

export { percentile, waitFor };

/** Signs in a demo user (their password is the demo's). */
export function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  return signInAs(baseUrl, email, password);
}

/** A server action's id and the page that serves it, from the build's manifest. */
export function actionRef(distDir: string, file: string, exportName: string): { id: string; page: string } {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, distDir, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename === file && entry.exportedName === exportName) {
      const worker = Object.keys(entry.workers)[0]!;
      const page = `/${worker
        .replace(/^app\//, "")
        .replace(/\/page$/, "")
        .split("/")
        .filter((s) => !/^\(.*\)$/.test(s))
        .join("/")}`;
      return { id, page };
    }
  }
  throw new Error(`no server action ${file}#${exportName} in the build in ${distDir}`);
}

/** The headers and body of a server action call, as the browser sends them. */
export function actionRequest(ref: { id: string }, input: unknown, cookie: string, origin: string) {
  return {
    headers: { cookie, "Next-Action": ref.id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", Origin: origin },
    body: JSON.stringify([input]),
  };
}

/** The action's result in a server action's answer ("1:{…}"), or null. */
export function actionResult(text: string): { ok?: boolean; status?: number; error?: string } | null {
  const line = text.split("\n").find((l) => l.startsWith("1:{"));
  if (!line) return null;
  try {
    return JSON.parse(line.slice(2));
  } catch {
    return null;
  }
}

export function ensureBuild(distDir: string, force: boolean, env: NodeJS.ProcessEnv): void {
  if (!force && fs.existsSync(path.join(projectRoot, distDir, "standalone", "server.js"))) return;
  log(`building the app into ${distDir} …`);
  const r = spawnSync("npx", ["next", "build"], {
    cwd: projectRoot,
    env: { ...env, NEXT_DIST_DIR: distDir },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) throw new Error("next build failed");
}

/** Starts the build's standalone server (scripts/serve.sh) in its own process group (so it can be stopped with its children). */
export function startApp(distDir: string, port: number, databaseUrl: string, extraEnv: Record<string, string> = {}): ChildProcess {
  const baseUrl = `http://127.0.0.1:${port}`;
  return spawn("bash", ["scripts/serve.sh", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: projectRoot,
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-only-secret",
      NEXT_DIST_DIR: distDir,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function stopApp(app: ChildProcess | null): Promise<void> {
  if (!app?.pid || app.exitCode !== null) return;
  const done = new Promise<void>((resolve) => app.once("exit", () => resolve()));
  try {
    process.kill(-app.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-app.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }, 5_000);
  await done;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------
// the run

type Role = "OWNER" | "BILLER" | "MANAGER";
interface Step {
  label: string;
  method: "GET" | "POST";
  path: string;
  action?: { id: string; input: () => unknown };
}
interface User {
  role: Role;
  cookie: string;
  plan: Step[];
  next: number;
}

interface AutocannonResult {
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult> & {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
};

export interface LoadReport {
  seconds: number;
  users: number;
  thinkSeconds: number;
  offeredPerSecond: number | null;
  patients: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: { total: number; network: number; timeouts: number; non2xx: number; actionFailures: number; examples: string[] };
  statusCodes: Record<string, number>;
  byPath: Record<string, { n: number; p50: number; p95: number }>;
  signInSeconds: number;
  /**
   * CPU time per request while the load ran (ms): this process (the load's client), the server
   * (its processes: the cluster's primary and workers), the embedded PostgreSQL (null with another
   * server), and the machine's cores busy in all (cores × seconds ÷ requests, from /proc/stat)
   */
  cpuMsPerRequest: { client: number; server: number | null; postgres: number | null; machine: number | null };
  /** paced: 0 errors and p99 within p99Ms; saturation (no think time): at least minRequestsPerSecond */
  target: { p99Ms: number; minRequestsPerSecond: number; met: boolean };
}

export async function runLoad(options: {
  baseUrl: string;
  distDir: string;
  databaseUrl: string;
  /** where the bench picks its patients and candidates: the owner (row-level security hides them from the app's role) */
  fixturesUrl?: string;
  seconds: number;
  users: number;
  /** seconds between one user's requests; 0: no pause (saturation) */
  think: number;
  /** the server's process (scripts/serve.sh's): its CPU time is reported */
  serverPid?: number;
  /** called once the load runs (the fault drill restarts PostgreSQL from here) */
  during?: (elapsed: () => number) => Promise<void>;
}): Promise<LoadReport & { raw: AutocannonResult; outcomes: { at: number; status: number; ok: boolean }[] }> {
  const { baseUrl, distDir, databaseUrl } = options;
  const client = new pg.Client({ connectionString: options.fixturesUrl ?? databaseUrl });
  await client.connect();
  let patients: { id: number; lastName: string }[];
  let candidates: number[];
  try {
    patients = (
      await client.query(
        `select p.id, p."lastName" from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by md5(p.id::text) limit 300`,
      )
    ).rows;
    candidates = (
      await client.query(
        `select s.id from "ServiceLine" s join "Practice" pr on pr.id = s."practiceId" where pr.slug = 'demo' and s."undercodingDirection" is not null order by md5(s.id::text) limit 200`,
      )
    ).rows.map((r) => r.id);
  } finally {
    await client.end();
  }
  if (patients.length === 0) throw new Error("no demo practice in the database");
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  const usedElsewhere = actionRef(distDir, "app/(app)/kx/actions.ts", "saveUsedElsewhereAction");
  const review = actionRef(distDir, "app/(app)/undercoding/actions.ts", "reviewCandidateAction");
  const today = new Date().toISOString().slice(0, 10);
  let seq = 0;
  const planFor = (role: Role, u: number): Step[] => {
    const p = pick(patients, u * 7);
    const q = encodeURIComponent(pick(patients, u * 11).lastName.slice(0, 3));
    const pages: Step[] = [
      ...(role === "BILLER" ? [] : [{ label: "GET /revenue", method: "GET" as const, path: "/revenue" }]),
      { label: "GET /kx", method: "GET", path: "/kx" },
      { label: "GET /remits", method: "GET", path: "/remits" },
      { label: "GET /underpayments", method: "GET", path: "/underpayments" },
      { label: "GET /patients?q=", method: "GET", path: `/patients?q=${q}` },
      { label: "GET /patients/[id]", method: "GET", path: `/patients/${p.id}` },
      { label: "GET /api/exports/kx-queue", method: "GET", path: "/api/exports/kx-queue" },
    ];
    if (role === "BILLER") {
      pages.push({
        label: "POST action saveUsedElsewhere",
        method: "POST",
        path: usedElsewhere.page.replace("[id]", String(p.id)),
        action: {
          id: usedElsewhere.id,
          input: () => ({
            patientId: p.id,
            year: 2026,
            pool: "PT_SLP",
            amount: `${(seq++ % 500) + 1}.00`,
            source: "load test",
            asOf: today,
          }),
        },
      });
    } else if (candidates.length) {
      pages.push({
        label: "POST action reviewCandidate",
        method: "POST",
        path: review.page,
        action: {
          id: review.id,
          input: () => ({
            lineId: pick(candidates, seq++),
            decision: seq % 2 ? "CONFIRMED" : "DISMISSED",
            reason: "reviewed during the load test",
          }),
        },
      });
    }
    return pages;
  };

  // sign in: the three accounts in parallel, each one's sessions one after another
  const emails: Record<Role, string> = { OWNER: "owner@demo.test", BILLER: "biller@demo.test", MANAGER: "manager@demo.test" };
  const roles: Role[] = ["OWNER", "BILLER", "MANAGER"];
  const started = performance.now();
  const users: User[] = [];
  // The manager signs in with a second factor, and a code is accepted once: the manager's
  // users share one session (each request still checks it), the others sign in one by one.
  const managerCookie = signInAs(baseUrl, emails.MANAGER, DEMO_PASSWORD, process.env.DEMO_TOTP_KEY ?? "DEMODEMODEMODEMODEMODEMODEMODEMO");
  await Promise.all(
    roles.map(async (role, r) => {
      for (let u = r; u < options.users; u += roles.length) {
        const cookie = role === "MANAGER" ? await managerCookie : await signIn(baseUrl, emails[role]);
        users.push({ role, cookie, plan: planFor(role, u), next: u });
      }
    }),
  );
  const signInSeconds = (performance.now() - started) / 1000;
  log(`${users.length} sessions signed in (${signInSeconds.toFixed(1)} s); warming up …`);
  // Every page on every worker before the clock starts: the cluster hands each new connection to
  // the next worker in turn, so six users' pages at once, twice. One user after another (as
  // before) left a worker's first render of a page (its code loaded and compiled: 200-400 ms)
  // inside the measurement, a dozen of the paced run's 790 requests: its p99.
  for (let round = 0; round < 2; round++)
    await Promise.all(
      users.slice(0, 6).map(async (u) => {
        for (const s of u.plan) await fetch(`${baseUrl}${s.path}`, { headers: { cookie: u.cookie }, method: "GET", redirect: "manual" });
      }),
    );

  const origin = new URL(baseUrl).origin;
  let turn = 0;
  const times: number[] = [];
  const byPath = new Map<string, number[]>();
  const outcomes: { at: number; status: number; ok: boolean }[] = [];
  const actionFailures: string[] = [];
  let actionFailureCount = 0;
  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  const autocannon = require("autocannon") as Autocannon;
  const instance = autocannon({
    url: baseUrl,
    // paced: users / think requests per second in all; else every session hammers at once
    ...(options.think > 0
      ? { connections: options.users, overallRate: Math.max(1, Math.round(options.users / options.think)) }
      : { connections: options.users }),
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          const user = users[turn++ % users.length]!;
          const step = user.plan[user.next++ % user.plan.length]!;
          context.step = step.label;
          context.sentAt = performance.now();
          if (step.action) {
            const call = actionRequest(step.action, step.action.input(), user.cookie, origin);
            return { ...req, method: "POST", path: step.path, headers: call.headers, body: call.body };
          }
          return { ...req, method: "GET", path: step.path, headers: { cookie: user.cookie }, body: undefined };
        },
        onResponse: (status: number, body: string, context: Record<string, unknown>) => {
          const now = performance.now();
          const label = String(context.step);
          const list = byPath.get(label) ?? [];
          list.push(now - Number(context.sentAt));
          byPath.set(label, list);
          let ok = status >= 200 && status < 300;
          if (ok && label.startsWith("POST action")) {
            const r = actionResult(String(body ?? ""));
            if (!r || (r.ok === false && (r.status ?? 500) >= 500)) {
              ok = false;
              actionFailureCount++;
              if (actionFailures.length < 5) actionFailures.push(`${label}: ${JSON.stringify(r)}`);
            }
          }
          outcomes.push({ at: (now - t0) / 1000, status, ok });
        },
      },
    ],
  });
  // autocannon's rate limiter lets every connection send at the same instant of each second;
  // people's clicks do not arrive in bursts: give each connection its own phase in the second
  type PacedClient = {
    rateInterval?: NodeJS.Timeout;
    reqsMadeThisSecond: number;
    paused: boolean;
    cer: unknown;
    destroyed?: boolean;
    _doRequest(x: unknown): void;
  };
  const staggered = new WeakSet<object>();
  instance.on("response", (client, _status, _bytes, ms) => {
    times.push(ms);
    const c = client as PacedClient;
    if (options.think <= 0 || !c.rateInterval || staggered.has(c)) return;
    staggered.add(c);
    clearInterval(c.rateInterval);
    const tick = () => {
      if (c.destroyed) return clearInterval(c.rateInterval);
      c.reqsMadeThisSecond = 0;
      if (c.paused) c._doRequest(c.cer);
      c.paused = false;
    };
    c.rateInterval = setTimeout(() => {
      tick();
      if (!c.destroyed) c.rateInterval = setInterval(tick, 1000);
    }, Math.random() * 1000);
  });
  const during = options.during?.(() => (performance.now() - t0) / 1000);
  const cpuBefore = cpuNow(options.serverPid);
  const raw = await instance;
  const cpuAfter = cpuNow(options.serverPid);
  await during;
  const perRequest = (a: number | null, b: number | null, unit: number) =>
    a === null || b === null || raw.requests.total === 0 ? null : Number((((b - a) * unit) / raw.requests.total).toFixed(1));

  const sorted = [...times].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n);
  const statusCodes = Object.fromEntries(Object.entries(raw.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const errors = raw.errors + raw.timeouts + raw.non2xx + actionFailureCount;
  const p99 = round(percentile(sorted, 99));
  return {
    seconds: options.seconds,
    users: users.length,
    thinkSeconds: options.think,
    offeredPerSecond: options.think > 0 ? Math.max(1, Math.round(options.users / options.think)) : null,
    patients: 0,
    requests: raw.requests.total,
    requestsPerSecond: Number((raw.requests.total / raw.duration).toFixed(1)),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99,
      max: round(sorted[sorted.length - 1] ?? Number.NaN),
    },
    errors: {
      total: errors,
      network: raw.errors,
      timeouts: raw.timeouts,
      non2xx: raw.non2xx,
      actionFailures: actionFailureCount,
      examples: actionFailures,
    },
    statusCodes,
    byPath: Object.fromEntries(
      [...byPath.entries()].sort().map(([k, v]) => {
        const s = [...v].sort((a, b) => a - b);
        return [k, { n: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)) }];
      }),
    ),
    signInSeconds: Number(signInSeconds.toFixed(1)),
    cpuMsPerRequest: {
      client: perRequest(cpuBefore.client, cpuAfter.client, 1 / 1000) ?? 0,
      server: perRequest(cpuBefore.server, cpuAfter.server, TICK_MS),
      postgres: perRequest(cpuBefore.postgres, cpuAfter.postgres, TICK_MS),
      machine: perRequest(cpuBefore.machine, cpuAfter.machine, TICK_MS),
    },
    target:
      options.think > 0
        ? { p99Ms: 300, minRequestsPerSecond: 0, met: errors === 0 && p99 <= 300 }
        : { p99Ms: Number.POSITIVE_INFINITY, minRequestsPerSecond: 70, met: errors === 0 && raw.requests.total / raw.duration >= 70 },
    raw,
    outcomes,
  };
}

/** Busy CPU ticks of the whole machine (every core), from /proc/stat: all but idle and iowait. */
function machineBusyTicks(): number | null {
  try {
    const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    return cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!;
  } catch {
    return null;
  }
}

/** CPU used so far: this process (µs of user + system time), the server's processes and PostgreSQL's (ticks), the machine's (ticks). */
function cpuNow(serverPid?: number) {
  const c = process.cpuUsage();
  let server: number | null = null;
  try {
    server = serverPid ? processTreeTicks(serverPid) : null;
  } catch {
    server = null;
  }
  return { client: c.user + c.system, server, postgres: postgresTicks(), machine: machineBusyTicks() };
}

/** The bench database (seeded at scale once) and the build; returns its URL. */
export async function prepareLoadDatabase(
  patients: number,
  fresh = false,
): Promise<{ url: string; ownerUrl: string; stop: () => Promise<void> }> {
  const server = await benchDatabase("therapy_bench_load", { fresh });
  const url = new URL(server.url);
  // counted as the owner: the app's role sees no practice's rows outside a practice scope
  const c = new pg.Client({ connectionString: server.ownerUrl });
  await c.connect();
  const found = await c.query(
    `select count(*)::int as n from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo'`,
  );
  await c.end();
  const have = found.rows[0].n as number;
  if (have === 0) {
    log(`seeding the demo practice with ${patients} patients (once; several minutes) …`);
    const r = spawnSync("npx", ["tsx", "prisma/seed.ts", "--patients", String(patients)], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url.toString() },
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (r.status !== 0) throw new Error("seeding failed");
    // measured as the database stands once autovacuum has caught up with the seed, not in the
    // minute after it (a plan made on a table never analyzed is not the one users get)
    const owner = new pg.Client({ connectionString: server.ownerUrl });
    await owner.connect();
    await owner.query("analyze");
    await owner.end();
  } else if (have !== patients) log(`note: the bench database holds ${have} demo patients (run with --fresh to reseed with ${patients})`);
  return { url: url.toString(), ownerUrl: server.ownerUrl, stop: () => server.stop() };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, {
    seconds: "string",
    users: "string",
    think: "string",
    patients: "string",
    port: "string",
    build: "boolean",
    fresh: "boolean",
    json: "boolean",
  });
  const seconds = Number(str(values, "seconds") ?? 60);
  const users = Number(str(values, "users") ?? 50);
  const think = Number(str(values, "think") ?? 4);
  const patients = Number(str(values, "patients") ?? 2000);
  if (
    ![seconds, users, think, patients].every((n) => Number.isFinite(n) && n >= 0) ||
    seconds < 1 ||
    seconds > 600 ||
    users < 1 ||
    users > 500
  ) {
    throw new Error("--seconds 1..600, --users 1..500, --think >= 0, --patients >= 1");
  }
  const distDir = process.env.NEXT_DIST_DIR ?? ".next-bench";
  const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY) || os.availableParallelism());
  const db = await prepareLoadDatabase(patients, values.fresh === true);
  ensureBuild(distDir, values.build === true, { ...process.env, DATABASE_URL: db.url });
  const port = Number(str(values, "port") ?? (await freePort()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = startApp(distDir, port, db.url);
  let serverLog = "";
  app.stdout!.on("data", (d) => (serverLog += d));
  app.stderr!.on("data", (d) => (serverLog += d));
  try {
    await waitFor(`${baseUrl}/signin`, 120_000);
    const pace =
      think > 0
        ? `a click every ${think} s each (${Math.max(1, Math.round(users / think))} requests/s offered)`
        : "no think time (saturation)";
    log(`next start on ${baseUrl} (${distDir}); ${users} users, ${pace}, ${seconds} s`);
    const report = await runLoad({
      baseUrl,
      distDir,
      databaseUrl: db.url,
      fixturesUrl: db.ownerUrl,
      seconds,
      users,
      think,
      serverPid: app.pid,
    });
    const { raw: _raw, outcomes: _o, ...printed } = report;
    printed.patients = patients;
    if (values.json) process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    else {
      const out = [
        "",
        `Load: ${printed.users} users (owner / biller / manager of the demo practice, ${patients} patients), ${pace}, ${seconds} s on ${baseUrl}`,
        `  requests           ${printed.requests} (${printed.requestsPerSecond}/s)`,
        `  latency            p50 ${printed.latencyMs.p50} ms   p95 ${printed.latencyMs.p95} ms   p99 ${printed.latencyMs.p99} ms   max ${printed.latencyMs.max} ms`,
        `  errors             ${printed.errors.total} (network ${printed.errors.network}, timeouts ${printed.errors.timeouts}, non-2xx ${printed.errors.non2xx}, actions ${printed.errors.actionFailures})`,
        `  status codes       ${JSON.stringify(printed.statusCodes)}`,
        `  sign-in            ${printed.users} sessions in ${printed.signInSeconds} s`,
        `  CPU per request    server ${printed.cpuMsPerRequest.server ?? "n/a"} ms, PostgreSQL ${printed.cpuMsPerRequest.postgres ?? "n/a"} ms, this client ${printed.cpuMsPerRequest.client} ms; the machine's cores ${printed.cpuMsPerRequest.machine ?? "n/a"} ms in all`,
        ...Object.entries(printed.byPath).map(
          ([k, v]) =>
            `  ${k.padEnd(34)} n ${String(v.n).padStart(5)}   p50 ${String(v.p50).padStart(5)} ms   p95 ${String(v.p95).padStart(5)} ms`,
        ),
        think > 0
          ? `  target (0 errors, p99 <= ${printed.target.p99Ms} ms): ${printed.target.met ? "met" : "MISSED"}`
          : `  target (0 errors, >= ${printed.target.minRequestsPerSecond} requests/s): ${printed.target.met ? "met" : "MISSED"}`,
        `  server             ${workers} worker process(es) (WEB_CONCURRENCY), load average ${os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(" ")}`,
        ...printed.errors.examples.map((e) => `  action failure: ${e}`),
        "",
      ];
      process.stdout.write(out.join("\n"));
    }
    if (/uncaughtException|⨯/.test(serverLog))
      log(
        `server log (errors):\n${serverLog
          .split("\n")
          .filter((l) => /uncaught|⨯|Error/.test(l))
          .slice(0, 20)
          .join("\n")}`,
      );
  } finally {
    await stopApp(app);
    await db.stop();
  }
}
