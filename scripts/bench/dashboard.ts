// The owner's revenue review at scale:
//   npm run bench -- dashboard [--visits 1000000] [--runs 200] [--fresh] [--json] [--url http://127.0.0.1:3000 | --serve]
//
// Builds (once) a practice of --visits visits over three years, about 3 service lines each,
// remits for most of them (payments, claims, lines, CAS adjustments, denials, underpaid lines,
// reversals with their corrections) and undercoding candidates, in a database of its own,
// "therapy_bench_dash", by bulk SQL over generate_series (the importers are not meant for this
// volume; triggers are off during the load, so the rollup is rebuilt from scratch afterwards).
// Then measures:
//   - every chart query of the revenue and undercoding pages (lib/server/revenue/metrics.ts),
//   - the revenue page's data (lib/server/revenue/review.ts, all its queries),
//   - the refresh of a week made stale by a write (what the first read after a change pays),
//   - the drill-down and candidate list queries,
//   - with --url (a running `next start` on this database) or --serve (starts one from the
//     build in $NEXT_DIST_DIR, default .next): the revenue page's full server render over HTTP,
//     signed in as the bench owner.
// Targets (docs/performance.md, "Dashboard"): every chart query p95 <= 150 ms; the revenue
// page's server render p95 <= 300 ms.
import { CAUSE_BY_CARC } from "@/lib/billing/denialCauses";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str } from "../lib/args";
import { embeddedUrl, projectRoot } from "../lib/database";
import { enterPracticeScopeForProcess } from "@/lib/server/core/scope";
import { benchDatabase } from "./database";
import { percentile, signIn, waitFor } from "./http";

const BENCH_DATABASE = "therapy_bench_dash";
const SLUG = "bench-dash";
/** The practice's data as this file builds it: a database built by an earlier version is rebuilt (--fresh). */
const DATA_VERSION = "Bench Dashboard Therapy (data 4: Medicare patients in a course of therapy)";
const HEAVY_VISIT_PERCENT = 9;
/** A denied line's CARC, from its cause: the rule book's own table (lib/billing/denialCauses.ts), read backwards. */
const CARC_OF_CAUSE_SQL = `case l.cause ${CAUSE_BY_CARC.map(([carc, cause]) => `when '${cause}' then '${carc}'`).join(" ")} end`;
const HEAVY_PATIENT_PERCENT = 4;
const OWNER_EMAIL = "owner@bench-dash.test";
const OWNER_PASSWORD = "bench-password-2026";
const TIME_ZONE = "America/New_York";
const FIRST_DAY = "2024-01-01";
const LAST_DAY = "2026-11-20";
/** The bench practice, for the benchmarks that reuse its data (scripts/bench/pages.ts). */
export const BENCH_DASH = {
  database: BENCH_DATABASE,
  slug: SLUG,
  ownerEmail: OWNER_EMAIL,
  ownerPassword: OWNER_PASSWORD,
  timeZone: TIME_ZONE,
} as const;

interface Summary {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

function summary(ms: number[]): Summary {
  const s = [...ms].sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(1));
  return { runs: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), max: round(s[s.length - 1] ?? Number.NaN) };
}

const log = (m: string) => process.stderr.write(`${m}\n`);

async function time<T>(into: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  into.push(performance.now() - t);
  return r;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, {
    visits: "string",
    runs: "string",
    fresh: "boolean",
    json: "boolean",
    url: "string",
    serve: "boolean",
    port: "string",
  });
  const visits = Number(str(values, "visits") ?? 1_000_000);
  const runs = Number(str(values, "runs") ?? 200);
  if (!Number.isInteger(visits) || visits < 1000 || !Number.isInteger(runs) || runs < 10) {
    throw new Error("--visits must be an integer >= 1000 and --runs an integer >= 10");
  }

  // the bulk load turns triggers and foreign-key checks off, which only a superuser may: the
  // embedded server's own, or the owner of a DATABASE_URL server when it is one
  const bulkUrl = process.env.DATABASE_URL ? null : embeddedUrl(BENCH_DATABASE);
  const server = await benchDatabase(BENCH_DATABASE, { fresh: values.fresh === true });
  const url = server.url;
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_SIZE ??= "8";

  // imported after DATABASE_URL points at the bench database
  const { disconnectDb } = await import("@/lib/server/core/db");
  const { refreshRevenueRollup, rebuildRevenueRollup } = await import("@/lib/server/derived/rollup");
  const metrics = await import("@/lib/server/revenue/metrics");
  const { revenueReview } = await import("@/lib/server/revenue/review");
  const { moneyLeftOnTable, therapistRevenue } = await import("@/lib/server/revenue/owner");
  const { analyticsScope } = await import("@/lib/server/revenue/scope");
  const { drillDown } = await import("@/lib/server/revenue/lines");
  const { candidateLines } = await import("@/lib/server/undercoding/queries");
  const { addWeeks, weekEnd, weekStartOf } = await import("@/lib/server/revenue/weeks");

  // the bench's own reads and fixture writes as the owner (row-level security would hide the
  // rows from the app's role); the app's code in the bench practice's scope
  const client = new pg.Client({ connectionString: server.ownerUrl });
  await client.connect();
  let next: ChildProcess | null = null;
  try {
    const { practiceId, built } = await ensureData(client, visits, bulkUrl ?? server.ownerUrl);
    enterPracticeScopeForProcess(practiceId);
    const counts = (
      await client.query(
        `select (select count(*) from "Visit" where "practiceId" = $1)::int as visits,
                (select count(*) from "ServiceLine" where "practiceId" = $1)::int as lines,
                (select count(*) from "RemitLine" where "practiceId" = $1)::int as "remitLines",
                (select coalesce(sum(json_array_length(adjustments)), 0) from "RemitLine" where "practiceId" = $1)::int as adjustments,
                (select count(*) from "ServiceLine" where "practiceId" = $1 and "undercodingDirection" is not null)::int as candidates`,
        [practiceId],
      )
    ).rows[0] as Record<string, number>;
    log(
      `practice ${SLUG}: ${counts.visits} visits, ${counts.lines} service lines, ${counts.remitLines} remit lines, ${counts.adjustments} adjustments, ${counts.candidates} undercoding candidates`,
    );

    // --- the rollup: full build (once), then a week made stale by a write --------------
    let rebuildSeconds: number | null = null;
    if (built || (await client.query(`select 1 from "RevenueWeek" where "practiceId" = $1 limit 1`, [practiceId])).rowCount === 0) {
      const t = performance.now();
      const weeks = await rebuildRevenueRollup(practiceId);
      rebuildSeconds = (performance.now() - t) / 1000;
      log(`full build of the weekly rollup: ${rebuildSeconds.toFixed(1)} s (${weeks} weeks)`);
      await client.query(`vacuum analyze "RevenueWeek"`);
      await client.query(`vacuum analyze "ReceivableWeek"`);
    }
    {
      // weeks left stale by earlier writes (or a migration) are rebuilt by the first read
      const t = performance.now();
      const weeks = await refreshRevenueRollup(practiceId);
      if (weeks > 0) {
        rebuildSeconds = (performance.now() - t) / 1000;
        log(`stale weeks rebuilt by the first read: ${weeks} in ${rebuildSeconds.toFixed(1)} s`);
      }
    }

    const scope = analyticsScope(practiceId);
    const lastWeek = weekStartOf(LAST_DAY);
    const weekAt = (i: number) => addWeeks(lastWeek, -((i * 7) % 52));

    // --- chart queries ----------------------------------------------------------------
    const q: Record<string, number[]> = {
      "trend 52 weeks (cards, 13/52-week trend, undercoding by week)": [],
      "open receivables (2 week-ends)": [],
      "payer mix + underpayment by payer": [],
      "therapist 97530 share (13 weeks)": [],
      "undercoding by payer (13 weeks)": [],
      "latest week with visits": [],
    };
    const names = Object.keys(q);
    for (let i = 0; i < 5; i++) await revenueReview(practiceId, TIME_ZONE, weekAt(i)); // warm-up
    for (let i = 0; i < runs; i++) {
      const week = weekAt(i);
      await time(q[names[0]!]!, () => metrics.weeklyFigures(scope, week, 52));
      await time(q[names[1]!]!, () => metrics.openReceivables(scope, [addWeeks(week, -1), week]));
      await time(q[names[2]!]!, () => metrics.byPayer(scope, week));
      await time(q[names[3]!]!, () => metrics.therapistShares(scope, addWeeks(week, -12), week));
      await time(q[names[4]!]!, () => metrics.undercodingByPayer(scope, addWeeks(week, -12), week));
      await time(q[names[5]!]!, () => metrics.latestWeekWithVisits(scope, week));
    }
    // the owner's headline (money left on the table, receivables by age) and revenue per therapist
    q["owner headline: money left on the table + receivables by age"] = [];
    q["revenue per therapist (13 weeks)"] = [];
    for (let i = 0; i < runs; i++) {
      const week = weekAt(i);
      await time(q["owner headline: money left on the table + receivables by age"]!, () => moneyLeftOnTable(practiceId, TIME_ZONE));
      await time(q["revenue per therapist (13 weeks)"]!, () => therapistRevenue(practiceId, addWeeks(week, -12), week));
    }
    const pageData: number[] = [];
    for (let i = 0; i < runs; i++)
      await time(pageData, async () => {
        const review = await revenueReview(practiceId, TIME_ZONE, weekAt(i));
        await Promise.all([moneyLeftOnTable(practiceId, TIME_ZONE), therapistRevenue(practiceId, addWeeks(review.week, -12), review.week)]);
      });

    // --- a write makes a week stale; the next read rebuilds it --------------------------
    const staleRefresh: number[] = [];
    const lineIds = (
      await client.query(
        `select s.id from "ServiceLine" s join "Visit" v on v.id = s."visitId"
         where v."practiceId" = $1 and v."dateOfService" > date '2026-06-01' order by hashint4(s.id) limit 30`,
        [practiceId],
      )
    ).rows.map((r) => Number(r.id));
    for (const id of lineIds) {
      await client.query(`update "ServiceLine" set "chargeCents" = "chargeCents" + 100 where id = $1`, [id]);
      await time(staleRefresh, () => refreshRevenueRollup(practiceId));
      await client.query(`update "ServiceLine" set "chargeCents" = "chargeCents" - 100 where id = $1`, [id]);
      await refreshRevenueRollup(practiceId);
    }
    const fresh = await revenueReview(practiceId, TIME_ZONE, lastWeek);

    // --- drill-downs and the candidate list --------------------------------------------
    const drill: Record<string, number[]> = {
      "lines: paid (a week)": [],
      "lines: underpayment (13 weeks, one payer)": [],
      "lines: open receivables": [],
      "undercoding candidates (13 weeks, page 1)": [],
    };
    const payers = (await client.query(`select id from "Payer" where "practiceId" = $1 order by id`, [practiceId])).rows.map((r) =>
      Number(r.id),
    );
    const dn = Object.keys(drill);
    for (let i = 0; i < Math.min(runs, 40); i++) {
      const week = weekAt(i);
      await time(drill[dn[0]!]!, () => drillDown(scope, { metric: "paid", week }));
      await time(drill[dn[1]!]!, () => drillDown(scope, { metric: "underpayment", week, weeks: 13, payerId: payers[i % payers.length]! }));
      await time(drill[dn[2]!]!, () => drillDown(scope, { metric: "open_ar", week }));
      await time(drill[dn[3]!]!, () => candidateLines(scope, { from: addWeeks(week, -12), to: weekEnd(week), status: "all" }));
    }

    // --- the page over HTTP ---------------------------------------------------------------
    let render: Summary | null = null;
    let renderNote = "not measured: pass --url of a running `next start` on this database, or --serve";
    let baseUrl = str(values, "url") ?? null;
    if (!baseUrl && values.serve) {
      const distDir = process.env.NEXT_DIST_DIR ?? ".next";
      if (!fs.existsSync(path.join(projectRoot, distDir, "BUILD_ID"))) {
        renderNote = `not measured: no build in ${distDir} (run npx next build first)`;
      } else {
        const port = Number(str(values, "port") ?? 3290);
        baseUrl = `http://127.0.0.1:${port}`;
        next = spawn("bash", ["scripts/serve.sh", "-p", String(port), "-H", "127.0.0.1"], {
          cwd: projectRoot,
          env: {
            ...process.env,
            DATABASE_URL: url,
            NEXTAUTH_URL: baseUrl,
            NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-only-secret",
            NEXT_DIST_DIR: distDir,
            DATABASE_POOL_SIZE: "10",
          },
          stdio: "ignore",
          // its own process group, so that stopping it also stops the server npx started
          detached: true,
        });
        await waitFor(`${baseUrl}/signin`, 120_000);
      }
    }
    if (baseUrl) {
      const cookies = await signIn(baseUrl, OWNER_EMAIL, OWNER_PASSWORD);
      const renderTimes: number[] = [];
      for (let i = 0; i < Math.min(runs, 100) + 5; i++) {
        const t = performance.now();
        const res = await fetch(`${baseUrl}/revenue?week=${weekAt(i)}`, { headers: { cookie: cookies }, redirect: "manual" });
        const body = await res.text();
        const ms = performance.now() - t;
        if (res.status !== 200 || !body.includes("Weekly revenue review")) throw new Error(`GET /revenue answered ${res.status}`);
        if (i >= 5) renderTimes.push(ms);
      }
      render = summary(renderTimes);
      renderNote = `GET /revenue?week=… on ${baseUrl}, signed in, full HTML`;
    }

    const charts = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, summary(v)]));
    const results = {
      data: counts,
      rollupRebuildSeconds: rebuildSeconds === null ? null : Number(rebuildSeconds.toFixed(1)),
      chartQueries: charts,
      chartQueriesWorstP95: Math.max(...Object.values(charts).map((s) => s.p95)),
      revenuePageData: summary(pageData),
      revenuePageRender: render,
      revenuePageRenderNote: renderNote,
      staleWeekRefresh: summary(staleRefresh),
      drillDowns: Object.fromEntries(Object.entries(drill).map(([k, v]) => [k, summary(v)])),
      sampleWeek: {
        week: fresh.week,
        visits: fresh.kpis.find((k) => k.key === "visits")?.value,
        paidCents: fresh.kpis.find((k) => k.key === "paid")?.value,
      },
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
      const line = (label: string, s: Summary, target?: number) =>
        `${label.padEnd(62)} p50 ${fmt(s.p50).padStart(9)}   p95 ${fmt(s.p95).padStart(9)}   (${s.runs} runs)${target === undefined ? "" : s.p95 <= target ? `   target p95 <= ${target} ms: met` : `   target p95 <= ${target} ms: MISSED`}`;
      const out = [
        "",
        `Dashboard benchmark — ${counts.visits} visits, ${counts.lines} service lines, ${counts.remitLines} remit lines, ${counts.candidates} undercoding candidates`,
        rebuildSeconds === null ? "weekly rollup: already built" : `full build of the weekly rollup: ${rebuildSeconds.toFixed(1)} s`,
        ...Object.entries(charts).map(([k, s]) => line(`chart query: ${k}`, s, 150)),
        line("revenue page data (every query of the page)", results.revenuePageData),
        render ? line("revenue page server render (HTTP)", render, 300) : `revenue page server render: ${renderNote}`,
        line("refresh of a week made stale by a write", results.staleWeekRefresh),
        ...Object.entries(results.drillDowns).map(([k, s]) => line(k, s)),
        "",
      ];
      process.stdout.write(out.join("\n"));
    }
  } finally {
    if (next?.pid) {
      try {
        process.kill(-next.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await client.end();
    await disconnectDb();
    await server.stop();
  }
}

/** Creates the bench practice and its synthetic data unless it is already there. */
export async function ensureData(owner: pg.Client, visits: number, bulkUrl: string): Promise<{ practiceId: number; built: boolean }> {
  const client = owner;
  const found = await client.query(`select id, name from "Practice" where slug = $1`, [SLUG]);
  if (found.rowCount) {
    const id = Number(found.rows[0].id);
    if (found.rows[0].name !== DATA_VERSION)
      throw new Error(`${BENCH_DATABASE} was built by an earlier version of this benchmark's data: run with --fresh to rebuild it`);
    const n = Number((await client.query(`select count(*) from "Visit" where "practiceId" = $1`, [id])).rows[0].count);
    if (n === visits) return { practiceId: id, built: false };
    throw new Error(`${BENCH_DATABASE} holds ${n} visits, not ${visits}: run with --fresh to rebuild it`);
  }
  const { createPractice } = await import("@/lib/server/practices");
  const { createUser } = await import("@/lib/server/users");
  const started = performance.now();
  log(`building ${BENCH_DATABASE}: ${visits} visits (one-off; --fresh rebuilds)`);
  const practice = await createPractice({ slug: SLUG, name: DATA_VERSION, medicareLocality: "NY-01", timeZone: TIME_ZONE });
  const practiceId = practice.id;
  enterPracticeScopeForProcess(practiceId);
  await createUser(practiceId, { email: OWNER_EMAIL, role: "OWNER", password: OWNER_PASSWORD, name: "Bench Owner" });
  const bulk = new pg.Client({ connectionString: bulkUrl });
  await bulk.connect();
  try {
    await bulkLoad(bulk, practiceId, visits, started);
  } finally {
    await bulk.end();
  }
  return { practiceId, built: true };
}

async function bulkLoad(client: pg.Client, practiceId: number, visits: number, started: number): Promise<void> {
  const step = (what: string) => log(`  ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);

  // bulk load: triggers (the rollup's stale-week marks) and foreign-key checks off for this
  // session; the rollup is rebuilt from scratch afterwards
  await q(`set session_replication_role = replica`);
  const payers: [string, string, number][] = [
    ["Medicare", "medicare", 38],
    ["Humana Medicare Advantage", "medicare_advantage", 10],
    ["Blue Cross Blue Shield", "commercial", 18],
    ["Aetna", "commercial", 10],
    ["UnitedHealthcare", "commercial", 10],
    ["Cigna", "commercial", 6],
    ["Medicaid", "medicaid", 5],
    ["Workers Comp Mutual", "workers_comp", 3],
  ];
  const payerIds: number[] = [];
  const payerWeights: number[] = [];
  let acc = 0;
  for (const [name, kind, weight] of payers) {
    payerIds.push(
      Number(
        (
          await q(`insert into "Payer" ("practiceId", name, "nameKey", kind) values ($1, $2, lower($2), $3::"PayerKind") returning id`, [
            practiceId,
            name,
            kind,
          ])
        ).rows[0].id,
      ),
    );
    acc += weight;
    payerWeights.push(acc);
  }
  const credentials = ["PT", "PT", "PTA", "PT", "OT", "OTA", "OT", "SLP"];
  await q(
    `insert into "Therapist" ("practiceId", npi, name, credential)
     select $1::int, (1600000000 + g)::text, 'Therapist ' || g, ($2::text[])[1 + g % 8]::"Credential" from generate_series(1, 60) g`,
    [practiceId, credentials],
  );
  const patients = Math.max(100, Math.floor(visits / 16));
  await q(
    `insert into "Patient" ("practiceId", "externalId", "firstName", "lastName", "birthDate")
     select $1::int, 'D' || lpad(g::text, 7, '0'), 'Pat' || g, 'Dash' || (g % 9973), date '1935-01-01' + (g % 11000)
     from generate_series(1, $2::int) g`,
    [practiceId, patients],
  );
  step("payers, therapists and patients written");
  // the visits: spread evenly over the days, a payer by weight, a therapist and a patient by hash;
  // and Medicare patients in a course of therapy: HEAVY_VISIT_PERCENT of the visits go to the first
  // HEAVY_PATIENT_PERCENT of the patients, all billed to Medicare (about 12 visits a year each, so
  // most of them pass the alert level and many the KX and review thresholds: the KX queue and its
  // lines to rebill then fill their pages as a practice's do, where spreading every visit evenly
  // left 6 patient pools past the alert level in a million visits)
  await q(`drop table if exists bench_dash_visit`);
  await q(
    `create unlogged table bench_dash_visit as
     with ids as (
       select (select array_agg(id order by id) from "Patient" where "practiceId" = $1) as patients,
              (select array_agg(id order by id) from "Therapist" where "practiceId" = $1) as therapists
     )
     select g,
            (hashint4(g) & 1073741823) as h,
            (hashint4(g + 7777777) & 1073741823) as h2,
            heavy,
            ids.patients[1 + (hashint4(g + 3333333) & 1073741823) %
              case when heavy then greatest(1, array_length(ids.patients, 1) * ${HEAVY_PATIENT_PERCENT} / 100) else array_length(ids.patients, 1) end] as patient_id,
            ids.therapists[1 + (hashint4(g + 5555555) & 1073741823) % array_length(ids.therapists, 1)] as therapist_id,
            date '${FIRST_DAY}' + ((g - 1)::bigint * (date '${LAST_DAY}' - date '${FIRST_DAY}' + 1) / $2::int)::int as dos
     from generate_series(1, $2::int) g, ids,
          lateral (select (hashint4(g + 1212121) & 1073741823) % 100 < ${HEAVY_VISIT_PERCENT} as heavy) hv`,
    [practiceId, visits],
  );
  await q(`alter table bench_dash_visit add column payer_id int`);
  await q(
    `update bench_dash_visit set payer_id = case when heavy then ($1::int[])[1]
       else ($1::int[])[(select min(i) from generate_subscripts($2::int[], 1) i where h % 100 < ($2::int[])[i])] end`,
    [payerIds, payerWeights],
  );
  await q(
    `insert into "Claim" ("practiceId", "patientControlNumber", "patientId", "payerId")
     select $1::int, 'C' || lpad(g::text, 8, '0'), patient_id, payer_id from bench_dash_visit`,
    [practiceId],
  );
  await q(
    `insert into "Visit" ("practiceId", "externalId", "patientId", "therapistId", "payerId", "claimId", "dateOfService", "updatedAt")
     select $1::int, 'V' || lpad(b.g::text, 8, '0'), b.patient_id, b.therapist_id, b.payer_id, c.id, b.dos, now()
     from bench_dash_visit b join "Claim" c on c."practiceId" = $1 and c."patientControlNumber" = 'C' || lpad(b.g::text, 8, '0')`,
    [practiceId],
  );
  step("claims and visits written");
  // 2 to 4 lines a visit; about 1 in 6 is 97110 and 1 in 6 is 97530; 1% without a price;
  // 8% of the 97110 lines could be 97530, 5% of the 97530 lines read as exercise
  await q(
    `insert into "ServiceLine" ("practiceId", "visitId", "lineOrder", cpt, modifiers, minutes, "unitsBilled", "chargeCents",
                                "expectedAllowedCents", pool, note, "undercodingDirection", "undercodingTerms", "undercodingGainCents")
     select $1::int, v.id, l, c.cpt, array['GP'], 15 * u.units, u.units, 6000 * u.units,
            case when (x.hl % 100) = 0 then null else (2500 + x.hl % 2000) * u.units end,
            'PT_SLP'::"Pool",
            case when uc.dir = 'could_be_97530' then 'Practiced car transfers and lifting groceries to the counter.'
                 when uc.dir = 'reads_as_exercise' then 'Strengthening: 3 sets of 10 reps.' else '' end,
            uc.dir::"UndercodingDirection",
            case uc.dir when 'could_be_97530' then array['car transfer','lift'] when 'reads_as_exercise' then array['strengthen','sets'] else array[]::text[] end,
            case uc.dir when 'could_be_97530' then 300 + x.hl % 900 when 'reads_as_exercise' then 0 end
     from "Visit" v
     cross join lateral (select hashint4(v.id) & 1073741823 as hv) hv
     cross join lateral generate_series(0, 1 + hv.hv % 3) l
     cross join lateral (select hashint4(v.id * 7 + l) & 1073741823 as hl) x
     cross join lateral (select (array['97110','97530','97140','97112','97116','97535'])[1 + (hv.hv + l) % 6] as cpt) c
     cross join lateral (select 1 + x.hl % 3 as units) u
     cross join lateral (
       select case when c.cpt = '97110' and (x.hl >> 8) % 100 < 8 then 'could_be_97530'
                   when c.cpt = '97530' and (x.hl >> 8) % 100 < 5 then 'reads_as_exercise' end as dir
     ) uc
     where v."practiceId" = $1`,
    [practiceId],
  );
  step("service lines written");
  // remits for 96% of the claims older than five weeks: one payment a payer a week
  await q(
    `insert into "RemitPayment" ("practiceId", source, "payerName", "payerKey", "payerId", "traceNumber", "paymentCents", "paymentDate")
     select distinct $1::int, 'X12_835'::"RemitSource", p.name, lower(p.name), p.id,
            'T' || p.id || '-' || to_char(revenue_week_start(v."dateOfService") + 25, 'YYYYMMDD'), 0,
            revenue_week_start(v."dateOfService") + 25
     from "Visit" v join "Payer" p on p.id = v."payerId"
     where v."practiceId" = $1 and v."dateOfService" < date '${LAST_DAY}' - 35`,
    [practiceId],
  );
  await q(`drop table if exists bench_dash_remit`);
  await q(
    `create unlogged table bench_dash_remit as
     select v.id as visit_id, v."claimId" as claim_id, v."patientId" as patient_id, p.id as payment_id, pay.kind::text as payer_kind,
            (hashint4(v.id + 999) & 1073741823) as hr
     from "Visit" v
     join "Payer" pay on pay.id = v."payerId"
     join "RemitPayment" p on p."practiceId" = $1 and p."payerId" = v."payerId" and p."paymentDate" = revenue_week_start(v."dateOfService") + 25
     where v."practiceId" = $1 and v."dateOfService" < date '${LAST_DAY}' - 35 and (hashint4(v.id + 999) & 1073741823) % 100 < 96`,
    [practiceId],
  );
  // each remitted line: 4% denied (allowed and paid 0) with the CARC of its cause (CO-119 for a
  // missing KX, CO-4 for a modifier: the denials that are work, on the KX queue's lines to
  // rebill), 7% allowed below the expected amount, Medicare and Medicare Advantage with 20% coinsurance
  await q(`drop table if exists bench_dash_rline`);
  await q(
    `create unlogged table bench_dash_rline as
     select r.*, s.id as line_id, s."lineOrder" as line_order, s.cpt, s.modifiers, s."chargeCents" as charge, s."unitsBilled" as units,
            s."expectedAllowedCents" as expected, d.denied,
            case when d.denied then 0
                 else coalesce(s."expectedAllowedCents", 3000) - case when (hashint4(s.id + 31) & 1073741823) % 100 < 7 then 150 + (hashint4(s.id) & 1023) % 500 else 0 end
            end as allowed,
            -- a missing KX is Medicare's denial; another payer's line denied for it reads as medical necessity
            case when c.cause = 'missing_kx' and r.payer_kind <> 'medicare' then 'necessity' else c.cause end as cause
     from bench_dash_remit r
     join "ServiceLine" s on s."visitId" = r.visit_id
     cross join lateral (select (hashint4(s.id + 13) & 1073741823) % 100 < 4 as denied) d
     cross join lateral (select (array['missing_kx','modifier','bundled','units','necessity','timely'])[1 + (hashint4(s.id + 17) & 1073741823) % 6] as cause) c`,
  );
  await q(`alter table bench_dash_rline add column pr int, add column paid int`);
  await q(
    `update bench_dash_rline set pr = case when payer_kind in ('medicare', 'medicare_advantage') then round(allowed * 0.2) else 0 end`,
  );
  await q(`update bench_dash_rline set paid = allowed - pr`);
  await q(
    `insert into "RemitClaim" ("practiceId", "paymentId", "claimId", "patientId", "patientControlNumber", "statusCode", "chargeCents", "paidCents", "patientRespCents", "matchStatus")
     select $1::int, r.payment_id, r.claim_id, r.patient_id, c."patientControlNumber", '1', sum(l.charge), sum(l.paid), sum(l.pr), 'MATCHED'
     from bench_dash_remit r join "Claim" c on c.id = r.claim_id join bench_dash_rline l on l.visit_id = r.visit_id
     group by r.payment_id, r.claim_id, r.patient_id, c."patientControlNumber"`,
    [practiceId],
  );
  step("remit payments and claims written");
  await q(
    `insert into "RemitLine" ("practiceId", "remitClaimId", "serviceLineId", "lineOrder", cpt, modifiers, "chargeCents", "paidCents", "allowedCents",
                              units, "remarkCodes", "matchStatus", "expectedAllowedCents", "varianceCents", "denialCause", adjustments, "patientRespCents")
     select $1::int, rc.id, l.line_id, l.line_order, l.cpt, l.modifiers, l.charge, l.paid, l.allowed, l.units, array[]::text[], 'MATCHED',
            l.expected, l.expected - l.allowed, case when l.denied then l.cause end,
            coalesce((select jsonb_agg(jsonb_build_object('g', a.grp, 'r', a.reason, 'a', a.amount))
                      from (values ('CO', case when not l.denied then '45' else ${CARC_OF_CAUSE_SQL} end,
                                          l.charge - l.allowed), ('PR', '2', l.pr)) a(grp, reason, amount)
                      where a.amount <> 0), '[]'),
            l.pr
     from bench_dash_rline l join "RemitClaim" rc on rc."practiceId" = $1 and rc."claimId" = l.claim_id and rc."statusCode" = '1'`,
    [practiceId],
  );
  step("remit lines and their adjustments written");
  // 0.3% of the remitted claims reversed (CLP02 22) and corrected in a later payment
  await q(
    `with picked as (
       select rc.* from "RemitClaim" rc where rc."practiceId" = $1 and rc."statusCode" = '1' and (hashint4(rc.id + 4242) & 1073741823) % 1000 < 3
     ), rev as (
       insert into "RemitClaim" ("practiceId", "paymentId", "claimId", "patientId", "patientControlNumber", "statusCode", "chargeCents", "paidCents", "patientRespCents", "matchStatus")
       select "practiceId", "paymentId", "claimId", "patientId", "patientControlNumber", '22', -"chargeCents", -"paidCents", -"patientRespCents", 'MATCHED' from picked
       returning id, "claimId"
     ), cor as (
       insert into "RemitClaim" ("practiceId", "paymentId", "claimId", "patientId", "patientControlNumber", "statusCode", "chargeCents", "paidCents", "patientRespCents", "matchStatus")
       select "practiceId", "paymentId", "claimId", "patientId", "patientControlNumber", '1', "chargeCents", "paidCents", "patientRespCents", 'MATCHED' from picked
       returning id, "claimId"
     ), rev_lines as (
       insert into "RemitLine" ("practiceId", "remitClaimId", "serviceLineId", "lineOrder", cpt, modifiers, "chargeCents", "paidCents", "allowedCents", units, "remarkCodes", "matchStatus", "netRole")
       select rl."practiceId", rev.id, rl."serviceLineId", rl."lineOrder", rl.cpt, rl.modifiers, -rl."chargeCents", -rl."paidCents", -rl."allowedCents", rl.units, array[]::text[], 'MATCHED', 'reversal'
       from picked p join rev on rev."claimId" = p."claimId" join "RemitLine" rl on rl."remitClaimId" = p.id
       returning 1
     )
     insert into "RemitLine" ("practiceId", "remitClaimId", "serviceLineId", "lineOrder", cpt, modifiers, "chargeCents", "paidCents", "allowedCents", units, "remarkCodes", "matchStatus", "denialCause")
     select rl."practiceId", cor.id, rl."serviceLineId", rl."lineOrder", rl.cpt, rl.modifiers, rl."chargeCents", rl."paidCents", rl."allowedCents", rl.units, array[]::text[], 'MATCHED', rl."denialCause"
     from picked p join cor on cor."claimId" = p."claimId" join "RemitLine" rl on rl."remitClaimId" = p.id`,
    [practiceId],
  );
  // a few hundred reviewed candidates
  const owner = Number(
    (await q(`select "userId" from "Membership" where "practiceId" = $1 and role = 'OWNER' limit 1`, [practiceId])).rows[0].userId,
  );
  await q(
    `insert into "UndercodingReview" ("practiceId", "serviceLineId", decision, reason, "userId")
     select $1::int, s.id, case when s.id % 3 = 0 then 'CONFIRMED' else 'DISMISSED' end::"ReviewDecision", 'bench review', $2::int
     from "ServiceLine" s where s."practiceId" = $1 and s."undercodingDirection" is not null and hashint4(s.id) % 97 = 0`,
    [practiceId, owner],
  );
  await q(`drop table bench_dash_visit`);
  await q(`drop table bench_dash_remit`);
  await q(`drop table bench_dash_rline`);
  await q(`set session_replication_role = origin`);
  // the lines' remit figures, which the remit tables' triggers keep when they are on
  const maxLine = Number((await q(`select coalesce(max(id), 0) as m from "ServiceLine" where "practiceId" = $1`, [practiceId])).rows[0].m);
  for (let from = 0; from <= maxLine; from += 250_000) {
    await q(
      `select revenue_refresh_line_remits(array_agg(distinct "serviceLineId"))
       from "RemitLine" where "practiceId" = $1 and "serviceLineId" > $2 and "serviceLineId" <= $3`,
      [practiceId, from, from + 250_000],
    );
  }
  // a line denied for a missing KX (CO-119) or modifier (CO-4) and paid nothing is work: the import
  // nets it so (remitWorkOf, lib/billing/remits.ts) and the KX queue lists it to rebill
  await q(
    `update "ServiceLineRemit" r set "remitWork" = case w.cause when 'missing_kx' then 'rebill_kx' else 'rebill_modifier' end
     from (select distinct on ("serviceLineId") "serviceLineId", "denialCause" as cause from "RemitLine"
           where "practiceId" = $1 and "denialCause" in ('missing_kx', 'modifier') and "paidCents" = 0 and "netRole" is distinct from 'reversal'
           order by "serviceLineId", id desc) w
     where r."serviceLineId" = w."serviceLineId"`,
    [practiceId],
  );
  step("line remit summaries written");
  // the counts the remit list shows, which the remit writers store on each payment (as the
  // migration payment_counts fills them for payments on file)
  await q(
    `update "RemitPayment" rp set "claimCount" = c.claims, "matchedClaimCount" = c.matched, "claimsPaidCents" = c.paid
     from (select "paymentId", count(*)::int as claims, (count(*) filter (where "matchStatus" = 'MATCHED'))::int as matched,
                  coalesce(sum("paidCents"), 0)::int as paid
           from "RemitClaim" where "practiceId" = $1 group by 1) c
     where c."paymentId" = rp.id`,
    [practiceId],
  );
  await q(
    `update "RemitPayment" rp set "lineCount" = l.lines, "unmatchedLineCount" = l.unmatched
     from (select rc."paymentId", count(*)::int as lines, (count(*) filter (where rl."matchStatus" = 'UNMATCHED'))::int as unmatched
           from "RemitLine" rl join "RemitClaim" rc on rc.id = rl."remitClaimId" where rl."practiceId" = $1 group by 1) l
     where l."paymentId" = rp.id`,
    [practiceId],
  );
  step("payment counts written");
  await q(`vacuum analyze`);
  step("data ready");
}
