// Every page of every role at scale, over HTTP:
//   npm run bench -- pages [--visits 1000000] [--runs 20] [--fresh] [--build] [--json] [--port N]
//                          [--only /path,/path] [--save DIR]
//
// - The practice of the dashboard benchmark (scripts/bench/dashboard.ts: --visits visits over
//   three years with their lines, remits, denials, underpaid lines and undercoding candidates,
//   in the database "therapy_bench_dash"), built once and reused while it holds --visits visits
//   (--fresh rebuilds it); its weekly rollup and KX queue are brought up to date, and a biller,
//   a manager and an admin are added beside its owner (the manager and the admin with a second
//   factor, as the app requires).
// - The production server of `scripts/serve.sh` from the build in $NEXT_DIST_DIR (default
//   .next-bench; built when missing or with --build), on that database.
// - Signed in as each role, every page the role may open and every drill-down those pages link
//   to, each with the widest period a user can choose (two years for the lists with a period,
//   52 weeks for undercoding, 13 weeks for the revenue drill-downs), and a record page for the
//   largest record (the payment with the most claims, the patient with the most visits).
//   Each page is requested --runs times after two warm-up requests, one request at a time; a
//   page that takes longer than --budget seconds (default 30) over its runs stops there, after
//   three runs at least, and a request over a tenth of the budget counts even as a warm-up (a
//   page of several seconds is then timed a few times, not twenty-two).
// - Before any page of a role is timed, every page of the role is requested --warm-up times
//   (default 5) in turn, as a server that has been serving the practice has already rendered
//   each of its routes: the first renders of a route in a fresh process run its code before V8
//   has optimised it, and the first statements of a new database connection fill its caches.
//   Those first answers are a cost of starting the server, not of the page: each page's first
//   answer in the process is printed beside its figures ("first"), and its timed runs are the
//   steady state. With two warm-ups only, the first route timed after the start (claims to fix)
//   paid for its first dozen renders inside its runs (docs/performance.md, "Claims to fix: the
//   first page timed").
// Prints per page and role p50 / p95 of the time to the last byte of the HTML (on loopback,
// so it is the server's time), the size of the HTML, and each target with met / missed:
// p95 <= 150 ms, HTML <= 150 KB, /claims-to-fix p95 <= 50 ms (docs/performance.md, "Pages at
// a million visits"). --save DIR writes each page's HTML (its first response) there.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str } from "../lib/args";
import { embeddedUrl } from "../lib/database";
import { type Permission, type RoleName, can } from "@/lib/server/core/permissions";
import { enterPracticeScopeForProcess } from "@/lib/server/core/scope";
import { benchDatabase } from "./database";
import { BENCH_DASH, ensureData } from "./dashboard";
import { freePort } from "./faults";
import { percentile, signIn, waitFor } from "./http";
import { ensureBuild, startApp, stopApp } from "./load";

const TARGET_P95_MS = 150;
const TARGET_HTML_KB = 150;
const TARGET_CLAIMS_TO_FIX_MS = 50;
/** The bench users' authenticator key (bench only; the second factor of managers and admins). */
const BENCH_TOTP_KEY = "BENCHBENCHBENCHBENCHBENCHBENCHBE";
const ROLE_USERS: Record<RoleName, string> = {
  OWNER: BENCH_DASH.ownerEmail,
  BILLER: "biller@bench-dash.test",
  MANAGER: "manager@bench-dash.test",
  ADMIN: "admin@bench-dash.test",
};
const SECOND_FACTOR: readonly RoleName[] = ["MANAGER", "ADMIN"];
/** The longest from–to period a list takes (lib/schemas/search-params.ts, MAX_RANGE_DAYS). */
const MAX_RANGE_DAYS = 731;

const log = (m: string) => process.stderr.write(`${m}\n`);

interface PageSpec {
  /** what a person opens, in words */
  name: string;
  path: string;
  permission: Permission;
}

interface Ids {
  medicarePayerId: number;
  paymentId: number | null;
  patientId: number;
  visitId: number;
  therapistId: number;
  contractId: number | null;
  lastWeek: string;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Every page and drill-down, with the widest period each takes. */
function pages(ids: Ids, today: string): PageSpec[] {
  const range = `from=${addDays(today, -MAX_RANGE_DAYS)}&to=${today}`;
  const list: (PageSpec | null)[] = [
    { name: "revenue review", path: "/revenue", permission: "revenue.read" },
    {
      name: "underpaid lines, 13 weeks, one payer",
      path: `/revenue/lines?metric=underpayment&weeks=13&payer=${ids.medicarePayerId}`,
      permission: "revenue.read",
    },
    { name: "paid lines, 13 weeks", path: "/revenue/lines?metric=paid&weeks=13", permission: "revenue.read" },
    {
      name: "expected lines, 13 weeks, one therapist",
      path: `/revenue/lines?metric=expected&weeks=13&therapist=${ids.therapistId}`,
      permission: "revenue.read",
    },
    { name: "denied lines, 13 weeks", path: "/revenue/lines?metric=denial_rate&weeks=13", permission: "revenue.read" },
    { name: "open receivables", path: "/revenue/lines?metric=open_ar", permission: "revenue.read" },
    { name: "receivables over 90 days", path: "/revenue/lines?metric=open_ar&age=90", permission: "revenue.read" },
    { name: "undercoding lines, two years", path: `/revenue/lines?metric=undercoding&${range}`, permission: "revenue.read" },
    { name: "KX queue", path: "/kx", permission: "kx.read" },
    { name: "KX queue, all levels by total", path: "/kx?sort=-total", permission: "kx.read" },
    { name: "KX queue, lines to rebill, page 2", path: "/kx?view=rebill&rebillPage=2", permission: "kx.read" },
    { name: "patient threshold", path: `/patients/${ids.patientId}/threshold`, permission: "kx.read" },
    { name: "remits", path: "/remits", permission: "remits.read" },
    ids.paymentId ? { name: "remit (largest payment)", path: `/remits/${ids.paymentId}`, permission: "remits.read" } : null,
    { name: "unmatched remit claims", path: "/remits/unmatched", permission: "remits.read" },
    { name: "upload a remit", path: "/remits/new", permission: "remits.import" },
    { name: "denials, two years", path: `/denials?${range}`, permission: "remits.read" },
    { name: "denials, two years, missing KX", path: `/denials?cause=missing_kx&${range}`, permission: "remits.read" },
    { name: "underpayments, two years, every status", path: `/underpayments?${range}&status=all`, permission: "underpayments.read" },
    {
      name: "underpayments, two years, one payer",
      path: `/underpayments?${range}&status=all&payer=${ids.medicarePayerId}`,
      permission: "underpayments.read",
    },
    { name: "appeal letter (Medicare)", path: `/underpayments/letter/${ids.medicarePayerId}`, permission: "underpayments.read" },
    { name: "contracts", path: "/contracts", permission: "contracts.read" },
    ids.contractId ? { name: "contract", path: `/contracts/${ids.contractId}`, permission: "contracts.read" } : null,
    { name: "undercoding, 52 weeks", path: `/undercoding?week=${ids.lastWeek}&weeks=52`, permission: "undercoding.read" },
    { name: "claims to fix, two years", path: `/claims-to-fix?${range}`, permission: "claims.read" },
    { name: "claims to fix", path: "/claims-to-fix", permission: "claims.read" },
    { name: "patients", path: "/patients", permission: "patients.read" },
    { name: "patients, a common name", path: "/patients?q=Dash1", permission: "patients.read" },
    { name: "patient (most visits)", path: `/patients/${ids.patientId}`, permission: "patients.read" },
    { name: "visit", path: `/visits/${ids.visitId}`, permission: "visits.read" },
    { name: "new visit", path: `/visits/new?patient=${ids.patientId}`, permission: "visits.write" },
    { name: "imports", path: "/imports", permission: "data.import" },
    { name: "users & settings", path: "/admin", permission: "users.manage" },
    { name: "fee schedule", path: "/admin/reference", permission: "reference.manage" },
    { name: "NCCI edits", path: "/admin/ncci", permission: "reference.manage" },
  ];
  return list.filter((p): p is PageSpec => p !== null);
}

/** The records the record pages open: the largest of each kind. */
async function pickIds(client: pg.Client, practiceId: number): Promise<Ids> {
  const one = async (sql: string) => (await client.query(sql, [practiceId])).rows[0] ?? null;
  const payer = await one(`select id from "Payer" where "practiceId" = $1 and kind = 'medicare' order by id limit 1`);
  const payment = await one(
    `select "paymentId" as id from "RemitClaim" where "practiceId" = $1 group by "paymentId" order by count(*) desc limit 1`,
  );
  const patient = await one(
    `select "patientId" as id from "Visit" where "practiceId" = $1 group by "patientId" order by count(*) desc limit 1`,
  );
  const visit = await client.query(
    `select v.id from "Visit" v where v."practiceId" = $1 and v."patientId" = $2
     order by (select count(*) from "ServiceLine" s where s."visitId" = v.id) desc, v."dateOfService" desc limit 1`,
    [practiceId, patient.id],
  );
  const therapist = await one(
    `select "therapistId" as id from "Visit" where "practiceId" = $1 group by "therapistId" order by count(*) desc limit 1`,
  );
  const contract = await one(`select id from "Contract" where "practiceId" = $1 order by id limit 1`);
  const last = await one(`select max("dateOfService")::text as d from "Visit" where "practiceId" = $1`);
  return {
    medicarePayerId: Number(payer.id),
    paymentId: payment ? Number(payment.id) : null,
    patientId: Number(patient.id),
    visitId: Number(visit.rows[0].id),
    therapistId: Number(therapist.id),
    contractId: contract ? Number(contract.id) : null,
    lastWeek: last.d,
  };
}

/** Audit events per visit in the bench practice's trail (AUDIT_EVENTS_PER_VISIT × --visits). */
const AUDIT_EVENTS_PER_VISIT = 5;

/**
 * The audit trail three years of use leave behind: every page a user opens, every search,
 * download and import is an event (lib/server/core/audit.ts), so a busy practice's trail holds
 * millions of rows, several per visit. Pages that read the trail (an underpaid line's status
 * history) must not slow down as it grows. Written once, in the mix of the load benchmark's
 * events, spread over the practice's three years; none of them changes a status, so the pages'
 * figures are those of the practice's data.
 */
async function ensureAuditTrail(client: pg.Client, practiceId: number, visits: number): Promise<void> {
  const want = visits * AUDIT_EVENTS_PER_VISIT;
  const have = Number(
    (await client.query(`select count(*)::bigint as n from "AuditEvent" where "practiceId" = $1`, [practiceId])).rows[0].n,
  );
  if (have >= want) return;
  const t = performance.now();
  const users = (await client.query(`select "userId" from "Membership" where "practiceId" = $1 order by "userId"`, [practiceId])).rows.map(
    (r) => Number(r.userId),
  );
  const patients = (await client.query(`select id from "Patient" where "practiceId" = $1 order by id`, [practiceId])).rows.map((r) =>
    Number(r.id),
  );
  await client.query(
    `insert into "AuditEvent" ("practiceId", "userId", action, "entityType", "entityId", "patientId", details, "createdAt")
     select $1::int, ($2::int[])[1 + g % cardinality($2::int[])], k.action, k."entityType",
            case when k.action = 'patient.view' then p.id::text end, case when k.action = 'patient.view' then p.id end,
            jsonb_build_object('bench', true), timestamptz '2024-01-02 14:00+00' + (g::float8 / $3::float8) * interval '1050 days'
     from generate_series(1, $3::int) g
     cross join lateral (select (array['patient.view', 'patient.search', 'kx.view_queue', 'underpayments.view', 'export.download'])[1 + g % 5] as action) a
     cross join lateral (select a.action,
                                case a.action when 'patient.view' then 'Patient' when 'patient.search' then 'Patient'
                                  when 'kx.view_queue' then 'KxQueue' when 'underpayments.view' then 'RemitLine' else 'Export' end as "entityType") k
     cross join lateral (select ($4::int[])[1 + (hashint4(g) & 1073741823) % cardinality($4::int[])] as id) p`,
    [practiceId, users, want - have, patients],
  );
  await client.query(`analyze "AuditEvent"`);
  log(`audit trail written: ${want - have} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** The biller, manager and admin of the bench practice (the owner comes with its data). */
async function ensureRoleUsers(client: pg.Client, practiceId: number): Promise<void> {
  const { createUser } = await import("@/lib/server/users");
  const { enrolWithKey } = await import("@/lib/server/second-factor/second-factor");
  for (const role of ["BILLER", "MANAGER", "ADMIN"] as const) {
    const email = ROLE_USERS[role];
    const found = await client.query(
      `select u.id, u."totpEnabledAt" from "User" u join "Membership" m on m."userId" = u.id and m."practiceId" = $2 where u.email = $1`,
      [email, practiceId],
    );
    let userId = found.rows[0]?.id as number | undefined;
    if (!userId) userId = (await createUser(practiceId, { email, role, password: BENCH_DASH.ownerPassword, name: `Bench ${role}` })).id;
    if (SECOND_FACTOR.includes(role) && !found.rows[0]?.totpEnabledAt) await enrolWithKey(userId, BENCH_TOTP_KEY);
  }
}

interface Row {
  role: string;
  page: string;
  path: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  kb: number;
  status: number;
  targetMs: number;
  met: boolean;
  /** every request's time in the order made, the two warm-ups first */
  inOrder: number[];
  /** the page's first answer in the server process (the warm-up rounds' first request) */
  first: number | null;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, {
    visits: "string",
    runs: "string",
    fresh: "boolean",
    build: "boolean",
    json: "boolean",
    port: "string",
    only: "string",
    roles: "string",
    budget: "string",
    save: "string",
    "warm-up": "string",
  });
  const warmUpRounds = Number(str(values, "warm-up") ?? 5);
  const budgetMs = Number(str(values, "budget") ?? 30) * 1000;
  const visits = Number(str(values, "visits") ?? 1_000_000);
  const runs = Number(str(values, "runs") ?? 20);
  if (!Number.isInteger(visits) || visits < 1000 || !Number.isInteger(runs) || runs < 1) {
    throw new Error("--visits must be an integer >= 1000 and --runs an integer >= 1");
  }
  const only = str(values, "only")?.split(",");
  const saveDir = str(values, "save");
  const roles = (str(values, "roles")?.toUpperCase().split(",") ?? Object.keys(ROLE_USERS)) as RoleName[];
  const bulkUrl = process.env.DATABASE_URL ? null : embeddedUrl(BENCH_DASH.database);
  const server = await benchDatabase(BENCH_DASH.database, { fresh: values.fresh === true });
  process.env.DATABASE_URL = server.url;
  const { disconnectDb } = await import("@/lib/server/core/db");
  const { refreshRevenueRollup, rebuildRevenueRollup } = await import("@/lib/server/derived/rollup");
  const { recomputeAllKx } = await import("@/lib/server/derived/kx-all");
  const client = new pg.Client({ connectionString: server.ownerUrl });
  await client.connect();
  let app: ChildProcess | null = null;
  let serverLog = "";
  try {
    const { practiceId, built } = await ensureData(client, visits, bulkUrl ?? server.ownerUrl);
    enterPracticeScopeForProcess(practiceId);
    if (built || (await client.query(`select 1 from "RevenueWeek" where "practiceId" = $1 limit 1`, [practiceId])).rowCount === 0) {
      const t = performance.now();
      await rebuildRevenueRollup(practiceId);
      log(`weekly rollup built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    await refreshRevenueRollup(practiceId);
    if ((await client.query(`select 1 from "KxQueueItem" where "practiceId" = $1 limit 1`, [practiceId])).rowCount === 0) {
      const t = performance.now();
      const r = await recomputeAllKx(practiceId);
      log(`KX queue built in ${((performance.now() - t) / 1000).toFixed(1)} s (${JSON.stringify(r)})`);
      await client.query(`analyze "KxQueueItem"`);
    }
    // claims to fix reads the claim checks the pipeline stores per visit: store every visit's once
    if ((await client.query(`select 1 from "ClaimCheckDay" where "practiceId" = $1 limit 1`, [practiceId])).rowCount === 0) {
      const t = performance.now();
      const { allowLongStatements, db } = await import("@/lib/server/core/db");
      const { recomputeDerived } = await import("@/lib/server/derived");
      await db().$transaction(
        async (tx) => {
          await allowLongStatements(tx);
          await recomputeDerived(tx, practiceId, { checkCodes: "all" });
        },
        { timeout: 3_600_000, maxWait: 60_000 },
      );
      log(`claim checks stored in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await client.query(`analyze "VisitClaimCheck"; analyze "ClaimCheckDay"`);
    }
    await ensureRoleUsers(client, practiceId);
    await ensureAuditTrail(client, practiceId, visits);
    const ids = await pickIds(client, practiceId);
    const counts = (
      await client.query(
        `select (select count(*) from "Visit" where "practiceId" = $1)::int as visits,
                (select count(*) from "ServiceLine" where "practiceId" = $1)::int as lines,
                (select count(*) from "RemitLine" where "practiceId" = $1)::int as "remitLines",
                (select count(*) from "KxQueueItem" where "practiceId" = $1)::int as "kxItems",
                (select count(*) from "AuditEvent" where "practiceId" = $1)::int as "auditEvents"`,
        [practiceId],
      )
    ).rows[0] as Record<string, number>;
    log(
      `practice ${BENCH_DASH.slug}: ${counts.visits} visits, ${counts.lines} service lines, ${counts.remitLines} remit lines, ${counts.kxItems} KX queue items, ${counts.auditEvents} audit events`,
    );

    const distDir = process.env.NEXT_DIST_DIR ?? ".next-bench";
    ensureBuild(distDir, values.build === true, { ...process.env, DATABASE_URL: server.url });
    const port = Number(str(values, "port") ?? (await freePort()));
    const base = `http://127.0.0.1:${port}`;
    app = startApp(distDir, port, server.url);
    app.stdout!.on("data", (d) => (serverLog += d));
    app.stderr!.on("data", (d) => (serverLog += d));
    await waitFor(`${base}/signin`, 120_000);
    const loadBefore = os.loadavg();
    log(`serving ${distDir} on ${base}; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`);

    const today = new Intl.DateTimeFormat("en-CA", { timeZone: BENCH_DASH.timeZone }).format(new Date());
    const rows: Row[] = [];
    for (const role of roles) {
      const cookie = await signIn(
        base,
        ROLE_USERS[role],
        BENCH_DASH.ownerPassword,
        SECOND_FACTOR.includes(role) ? BENCH_TOTP_KEY : undefined,
      );
      const rolePages = pages(ids, today).filter(
        (spec) => can(role, spec.permission) && (!only || only.some((o) => spec.path.startsWith(o))),
      );
      // every page of the role in turn, --warm-up times, before any is timed (see the top)
      const firstAnswer = new Map<string, number>();
      const warmStarted = performance.now();
      for (let round = 0; round < warmUpRounds; round++) {
        for (const spec of rolePages) {
          // a page of seconds is warm after one request (and is timed a few times only)
          if (round > 0 && (firstAnswer.get(spec.path) ?? 0) > budgetMs / 10) continue;
          const t = performance.now();
          const res = await fetch(`${base}${spec.path}`, { headers: { cookie }, redirect: "manual" });
          await res.arrayBuffer();
          if (!firstAnswer.has(spec.path)) firstAnswer.set(spec.path, performance.now() - t);
        }
      }
      if (warmUpRounds > 0)
        log(
          `  ${role.toLowerCase()}: ${rolePages.length} pages warmed ${warmUpRounds} times in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`,
        );
      for (const spec of rolePages) {
        const times: number[] = [];
        // every request in the order it was made, warm-ups first (printed under each page)
        const inOrder: number[] = [];
        let bytes = 0;
        let status = 0;
        const pageStarted = performance.now();
        for (let i = 0; i < runs + 2; i++) {
          if (times.length >= 3 && performance.now() - pageStarted > budgetMs) break;
          const t = performance.now();
          const res = await fetch(`${base}${spec.path}`, { headers: { cookie }, redirect: "manual" });
          const body = await res.arrayBuffer();
          const ms = performance.now() - t;
          status = res.status;
          bytes = body.byteLength;
          if (saveDir && i === 0) {
            // the page's HTML as served, to see what its bytes are (--save DIR)
            fs.mkdirSync(saveDir, { recursive: true });
            fs.writeFileSync(path.join(saveDir, `${role.toLowerCase()}-${spec.name.replace(/[^a-z0-9]+/gi, "-")}.html`), Buffer.from(body));
          }
          if (res.status !== 200) break;
          inOrder.push(ms);
          if (i >= 2 || ms > budgetMs / 10) times.push(ms);
        }
        const s = [...times].sort((a, b) => a - b);
        const round = (n: number) => Number(n.toFixed(1));
        const targetMs = spec.path.startsWith("/claims-to-fix") ? TARGET_CLAIMS_TO_FIX_MS : TARGET_P95_MS;
        const row: Row = {
          role: role.toLowerCase(),
          page: spec.name,
          path: spec.path,
          runs: s.length,
          p50: round(percentile(s, 50)),
          p95: round(percentile(s, 95)),
          max: round(s[s.length - 1] ?? Number.NaN),
          kb: round(bytes / 1024),
          status,
          targetMs,
          met: status === 200 && percentile(s, 95) <= targetMs && bytes <= TARGET_HTML_KB * 1024,
          inOrder: inOrder.map(round),
          first: firstAnswer.has(spec.path) ? round(firstAnswer.get(spec.path)!) : null,
        };
        rows.push(row);
        log(
          `  ${row.role.padEnd(8)} ${row.page.padEnd(42)} ${status === 200 ? `p50 ${String(row.p50).padStart(7)} ms  p95 ${String(row.p95).padStart(7)} ms  ${String(row.kb).padStart(6)} KB` : `HTTP ${status}`}  ${row.met ? "met" : "MISSED"}`,
        );
        log(
          `           first answer ${row.first ?? "-"} ms; in order (ms, the two warm-ups first): ${row.inOrder.slice(0, 2).join(", ")} | ${row.inOrder.slice(2).join(", ")}`,
        );
      }
    }
    const loadAfter = os.loadavg();
    const missed = rows.filter((r) => !r.met);
    const report = {
      visits: counts.visits,
      serviceLines: counts.lines,
      remitLines: counts.remitLines,
      runs,
      loadAverage: { before: loadBefore.map((l) => Number(l.toFixed(2))), after: loadAfter.map((l) => Number(l.toFixed(2))) },
      targets: { p95Ms: TARGET_P95_MS, htmlKb: TARGET_HTML_KB, claimsToFixP95Ms: TARGET_CLAIMS_TO_FIX_MS },
      pages: rows,
      met: rows.length - missed.length,
      missed: missed.length,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const out = [
        "",
        `Pages at ${counts.visits.toLocaleString("en-US")} visits (${counts.lines.toLocaleString("en-US")} lines), ${runs} runs each after every page of the role ${warmUpRounds} times and 2 warm-ups, one request at a time`,
        `  load average ${report.loadAverage.before.join(" ")} before, ${report.loadAverage.after.join(" ")} after (${os.availableParallelism()} cores)`,
        `  ${"role".padEnd(8)} ${"page".padEnd(42)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"KB".padStart(7)}  target`,
        ...rows.map(
          (r) =>
            `  ${r.role.padEnd(8)} ${r.page.padEnd(42)} ${(r.status === 200 ? String(r.p50) : `HTTP ${r.status}`).padStart(8)} ${(r.status === 200 ? String(r.p95) : "").padStart(8)} ${String(r.kb).padStart(7)}  ${r.met ? "met" : "MISSED"} (p95 <= ${r.targetMs} ms, <= ${TARGET_HTML_KB} KB)`,
        ),
        `  ${rows.length - missed.length} of ${rows.length} met; missed: ${missed.map((r) => `${r.role} ${r.page}`).join(", ") || "none"}`,
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
    await client.end();
    await disconnectDb();
    await server.stop();
  }
}
