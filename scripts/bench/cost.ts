// npm run bench -- cost [--runs 20] [--port N] [--build] [--only PAGE] [--profile DIR] [--plain]
//
// What one request of the load benchmark's mix costs, in CPU rather than in time (latency on a
// shared machine says more about the neighbours than about the code): the same database, build
// and pages as `npm run bench -- load` (2,000 patients), one server process (WEB_CONCURRENCY=1),
// and for each page --runs requests one after another (after two to warm up), as the owner
// (the biller for its own action). Per page it reports:
//   - the server's CPU per request (user + system time of its process, /proc/<pid>/stat);
//   - PostgreSQL's CPU per request (every backend of the embedded server plus the ones that
//     ended, from the postmaster's children; only with the embedded server);
//   - transactions per request (pg_stat_database) and, when the server loads
//     pg_stat_statements (shared_preload_libraries), statements per request;
//   - the median time per request and the size of the answer;
//   - of the server's CPU, the system time (the kernel: sockets) and the main thread's (JavaScript,
//     React, Prisma; the rest is the collector's helper threads and libuv's pool, e.g. gzip).
// With --profile DIR the server runs under `node --cpu-prof` and writes its CPU profile
// (a .cpuprofile, for Chrome's DevTools or scripts/bench/profile-top.ts) into DIR when it stops.
// The load benchmark's saturation target (70 requests/s on 2 cores, shared with PostgreSQL and
// the client) leaves about 25 ms of CPU per request, server and database together.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str } from "../lib/args";
import { embeddedUrl } from "../lib/database";
import { cpuTicksOf, postgresTicks, splitTicksOf, TICK_MS } from "./cpu";
import { freePort } from "./faults";
import { percentile, waitFor } from "./http";
import { actionRef, actionRequest, actionResult, DEMO_PASSWORD, ensureBuild, prepareLoadDatabase, signIn, startApp, stopApp } from "./load";

const log = (m: string) => process.stderr.write(`${m}\n`);
interface Counters {
  xacts: number;
  statements: number | null;
}

async function counters(client: pg.Client, database: string, statements: boolean): Promise<Counters> {
  // backends report their statistics when idle, at most once a second
  await new Promise((r) => setTimeout(r, 1_200));
  await client.query("select pg_stat_clear_snapshot()");
  const x = statements
    ? // the app's transactions are explicit: BEGIN is counted as it is sent (pg_stat_database only
      // hears of a backend's transactions up to 10 s later)
      await client.query(
        `select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1 and s.query ilike 'begin%'`,
        [database],
      )
    : await client.query(`select (xact_commit + xact_rollback)::bigint as n from pg_stat_database where datname = $1`, [database]);
  const s = statements
    ? await client.query(
        `select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1`,
        [database],
      )
    : null;
  return { xacts: Number(x.rows[0].n), statements: s ? Number(s.rows[0].n) : null };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, {
    runs: "string",
    port: "string",
    build: "boolean",
    only: "string",
    profile: "string",
    plain: "boolean",
  });
  // --plain: answers not compressed, as the load benchmark's client (autocannon) asks for them;
  // by default fetch() asks for gzip, as a browser does
  const encoding: Record<string, string> = values.plain === true ? { "accept-encoding": "identity" } : {};
  const runs = Number(str(values, "runs") ?? 20);
  const only = str(values, "only");
  const distDir = process.env.NEXT_DIST_DIR ?? ".next-bench";
  const database = "therapy_bench_load";
  const db = await prepareLoadDatabase(2000);
  ensureBuild(distDir, values.build === true, { ...process.env, DATABASE_URL: db.url });
  const port = Number(str(values, "port") ?? (await freePort()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const profileDir = str(values, "profile");
  if (profileDir) fs.mkdirSync(path.resolve(profileDir), { recursive: true });
  const app = startApp(distDir, port, db.url, {
    WEB_CONCURRENCY: "1",
    ...(profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(profileDir)}` } : {}),
  });
  let serverLog = "";
  app.stdout!.on("data", (d) => (serverLog += d));
  app.stderr!.on("data", (d) => (serverLog += d));
  const stats = new pg.Client({ connectionString: process.env.DATABASE_URL ? db.ownerUrl : embeddedUrl(database) });
  await stats.connect();
  try {
    await waitFor(`${baseUrl}/signin`, 120_000);
    // scripts/serve.sh execs node: with one worker, the app's pid is the server's
    const serverPid = app.pid!;
    let statements = false;
    try {
      await stats.query("create extension if not exists pg_stat_statements");
      await stats.query("select count(*) from pg_stat_statements");
      statements = true;
    } catch {
      log("statements per request: not counted (pg_stat_statements is not in shared_preload_libraries)");
    }
    const fixtures = new pg.Client({ connectionString: db.ownerUrl });
    await fixtures.connect();
    const patients = (
      await fixtures.query(
        `select p.id, p."lastName" from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by md5(p.id::text) limit 50`,
      )
    ).rows as { id: number; lastName: string }[];
    const candidates = (
      await fixtures.query(
        `select s.id from "ServiceLine" s join "Practice" pr on pr.id = s."practiceId" where pr.slug = 'demo' and s."undercodingDirection" is not null order by md5(s.id::text) limit 200`,
      )
    ).rows.map((r) => r.id as number);
    await fixtures.end();
    const owner = await signIn(baseUrl, "owner@demo.test", DEMO_PASSWORD);
    const biller = await signIn(baseUrl, "biller@demo.test", DEMO_PASSWORD);
    const origin = new URL(baseUrl).origin;
    const usedElsewhere = actionRef(distDir, "app/(app)/kx/actions.ts", "saveUsedElsewhereAction");
    const review = actionRef(distDir, "app/(app)/undercoding/actions.ts", "reviewCandidateAction");
    const today = new Date().toISOString().slice(0, 10);
    let seq = 0;
    type Page = { label: string; request: (i: number) => { path: string; init: RequestInit } };
    const get = (label: string, p: (i: number) => string, cookie = owner): Page => ({
      label,
      request: (i) => ({ path: p(i), init: { headers: { cookie, ...encoding }, redirect: "manual" } }),
    });
    const pages: Page[] = [
      get("GET /revenue", () => "/revenue"),
      get("GET /kx", () => "/kx"),
      get("GET /remits", () => "/remits"),
      get("GET /underpayments", () => "/underpayments"),
      get("GET /patients?q=", (i) => `/patients?q=${encodeURIComponent(patients[i % patients.length]!.lastName.slice(0, 3))}`),
      get("GET /patients/[id]", (i) => `/patients/${patients[i % patients.length]!.id}`),
      get("GET /api/exports/kx-queue", () => "/api/exports/kx-queue"),
      {
        label: "POST action saveUsedElsewhere",
        request: (i) => {
          const p = patients[i % patients.length]!;
          const call = actionRequest(
            usedElsewhere,
            { patientId: p.id, year: 2026, pool: "PT_SLP", amount: `${(seq++ % 500) + 1}.00`, source: "cost bench", asOf: today },
            biller,
            origin,
          );
          return {
            path: usedElsewhere.page.replace("[id]", String(p.id)),
            init: { method: "POST", headers: { ...call.headers, ...encoding }, body: call.body },
          };
        },
      },
      {
        label: "POST action reviewCandidate",
        request: (i) => {
          const call = actionRequest(
            review,
            { lineId: candidates[(seq++ + i) % candidates.length], decision: i % 2 ? "CONFIRMED" : "DISMISSED", reason: "cost bench" },
            owner,
            origin,
          );
          return { path: review.page, init: { method: "POST", headers: { ...call.headers, ...encoding }, body: call.body } };
        },
      },
    ];
    const rows: string[] = [];
    const header = `${"page".padEnd(32)} ${"server ms".padStart(9)} ${"pg ms".padStart(7)} ${"total".padStart(7)} ${"xacts".padStart(6)} ${"stmts".padStart(6)} ${"p50 ms".padStart(7)} ${"KB".padStart(6)} ${"sys".padStart(6)} ${"main".padStart(6)}`;
    let sumServer = 0;
    let sumPg = 0;
    for (const page of pages) {
      if (only && !page.label.includes(only)) continue;
      for (let i = 0; i < 2; i++) {
        const { path: p, init } = page.request(1000 + i);
        await (await fetch(`${baseUrl}${p}`, init)).text();
      }
      const before = await counters(stats, database, statements);
      if (statements) await stats.query("select pg_stat_statements_reset()");
      const serverBefore = cpuTicksOf(serverPid).self;
      const splitBefore = splitTicksOf(serverPid);
      const pgBefore = postgresTicks();
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const { path: p, init } = page.request(i);
        const t = performance.now();
        const res = await fetch(`${baseUrl}${p}`, init);
        const body = await res.text();
        times.push(performance.now() - t);
        bytes += body.length;
        if (res.status !== 200) throw new Error(`${page.label}: ${res.status} ${body.slice(0, 200)}`);
        if (page.label.startsWith("POST")) {
          const r = actionResult(body);
          if (!r?.ok) throw new Error(`${page.label}: ${JSON.stringify(r)}`);
        }
      }
      const serverMs = ((cpuTicksOf(serverPid).self - serverBefore) * TICK_MS) / runs;
      const splitAfter = splitTicksOf(serverPid);
      const systemMs = ((splitAfter.system - splitBefore.system) * TICK_MS) / runs;
      const mainMs = ((splitAfter.main - splitBefore.main) * TICK_MS) / runs;
      const pgAfter = postgresTicks();
      const pgMs = pgBefore !== null && pgAfter !== null ? ((pgAfter - pgBefore) * TICK_MS) / runs : Number.NaN;
      const after = await counters(stats, database, statements);
      // with pg_stat_statements, counted since its reset; otherwise the counting itself is one
      // transaction of this client (before's snapshot clear)
      const xacts = statements ? after.xacts / runs : (after.xacts - before.xacts - 1) / runs;
      const stmts = after.statements !== null ? after.statements / runs : null;
      sumServer += serverMs;
      sumPg += Number.isNaN(pgMs) ? 0 : pgMs;
      const sorted = times.sort((a, b) => a - b);
      rows.push(
        `${page.label.padEnd(32)} ${serverMs.toFixed(1).padStart(9)} ${pgMs.toFixed(1).padStart(7)} ${(serverMs + pgMs).toFixed(1).padStart(7)} ${xacts.toFixed(1).padStart(6)} ${(stmts === null ? "n/a" : stmts.toFixed(1)).padStart(6)} ${percentile(sorted, 50).toFixed(0).padStart(7)} ${(bytes / runs / 1024).toFixed(0).padStart(6)} ${systemMs.toFixed(1).padStart(6)} ${mainMs.toFixed(1).padStart(6)}`,
      );
      log(rows[rows.length - 1]!);
      if (only && statements) {
        // with --only: where the database's time goes, statement by statement
        const top = await stats.query(
          `select calls, round(total_exec_time::numeric / $2, 2) as ms, round(total_plan_time::numeric / $2, 2) as plan,
             left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
           from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1 order by calls desc, total_exec_time desc limit 24`,
          [database, runs],
        );
        // planning is counted with pg_stat_statements.track_planning = on only
        for (const r of top.rows)
          log(
            `    ${String(r.calls).padStart(5)} calls  ${String(r.ms).padStart(7)} ms/request  plan ${String(r.plan).padStart(6)} ms  ${r.query}`,
          );
      }
      if (statements) {
        const sum = await stats.query(
          `select round(sum(total_exec_time)::numeric / $2, 2) as ms, round(sum(total_plan_time)::numeric / $2, 2) as plan
           from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1`,
          [database, runs],
        );
        log(
          `    PostgreSQL: ${sum.rows[0].ms} ms/request executing, ${sum.rows[0].plan} ms/request planning (with pg_stat_statements.track_planning)`,
        );
      }
    }
    const n = rows.length;
    process.stdout.write(
      [
        "",
        `Cost per request (${runs} sequential requests per page, one server process, ${baseUrl})`,
        header,
        ...rows,
        `mean of the pages: server ${(sumServer / n).toFixed(1)} ms + PostgreSQL ${(sumPg / n).toFixed(1)} ms of CPU per request (target for 70 requests/s on 2 cores: about 25 ms in all)`,
        "",
      ].join("\n"),
    );
  } finally {
    await stats.end();
    await stopApp(app);
    await db.stop();
    if (/⨯|uncaught/i.test(serverLog))
      log(
        serverLog
          .split("\n")
          .filter((l) => /⨯|uncaught|Error/.test(l))
          .slice(0, 10)
          .join("\n"),
      );
  }
}
