// The KX queue at scale: npm run bench -- kx [--patients 100000] [--runs 200] [--fresh] [--json]
//
// Builds (once) a synthetic practice of --patients patients and about 15 service lines per
// patient in a database of its own, "therapy_bench", by bulk SQL (INSERT ... SELECT over
// generate_series; the CSV importer is not meant for this volume), then measures:
//   - the full recompute of every KX total (lib/server/derived/kx-all.ts),
//   - the queue page's query (lib/server/kx/queue.ts) under several URL filters,
//   - a visit save with its totals: the visit's lines replaced, then the derived-figures
//     pipeline (recomputeDerived: prices, remits, KX totals, claim checks) in one transaction,
//     as the visit form does.
// Targets (docs/performance.md): queue p95 <= 100 ms, visit save p95 <= 50 ms, full
// recompute <= 60 s.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseArgs, str } from "../lib/args";
import { enterPracticeScopeForProcess } from "@/lib/server/core/scope";
import { benchDatabase } from "./database";
import { percentile } from "./http";

const BENCH_DATABASE = "therapy_bench";
const SLUG = "bench-kx";
const TODAY = "2026-11-23";

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { runs: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] ?? Number.NaN };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const log = (m: string) => process.stderr.write(`${m}\n`);

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, { patients: "string", runs: "string", fresh: "boolean", json: "boolean" });
  const patients = Number(str(values, "patients") ?? 100_000);
  const runs = Number(str(values, "runs") ?? 200);
  if (!Number.isInteger(patients) || patients < 100 || !Number.isInteger(runs) || runs < 10) {
    throw new Error("--patients must be an integer >= 100 and --runs an integer >= 10");
  }

  // the embedded server when no DATABASE_URL names one; always the bench's own database
  const server = await benchDatabase(BENCH_DATABASE, { fresh: values.fresh === true });
  const url = server.url;
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_SIZE ??= "4";

  // imported after DATABASE_URL points at the bench database
  const { db, disconnectDb } = await import("@/lib/server/core/db");
  const { recomputeAllKx } = await import("@/lib/server/derived/kx-all");
  const { kxQueuePage } = await import("@/lib/server/kx/queue");
  const { urgentKxCount } = await import("@/lib/server/kx/urgent-count");
  const { kxQueueFiltersSchema } = await import("@/lib/schemas/kx");
  // the save path of the app
  const { poolKeysOfVisits, recomputeDerived } = await import("@/lib/server/derived");
  const { afterCommitSettled } = await import("@/lib/server/core/after-commit");

  // the bench's own reads and fixture writes as the owner (row-level security would hide the
  // rows from the app's role); the app's code in the bench practice's scope
  const client = new pg.Client({ connectionString: server.ownerUrl });
  await client.connect();
  try {
    const practiceId = await ensureData(client, patients);
    enterPracticeScopeForProcess(practiceId);
    const counts = (
      await client.query(
        `select (select count(*) from "Patient" where "practiceId" = $1)::int as patients,
                (select count(*) from "Visit" where "practiceId" = $1)::int as visits,
                (select count(*) from "ServiceLine" where "practiceId" = $1)::int as lines`,
        [practiceId],
      )
    ).rows[0] as { patients: number; visits: number; lines: number };
    log(`practice ${SLUG}: ${counts.patients} patients, ${counts.visits} visits, ${counts.lines} service lines`);

    // --- full recompute -------------------------------------------------------------
    const existing = Number((await client.query(`select count(*) from "KxQueueItem" where "practiceId" = $1`, [practiceId])).rows[0].count);
    let firstBuild: number | null = null;
    if (existing === 0) {
      const t = performance.now();
      const r = await recomputeAllKx(practiceId);
      firstBuild = performance.now() - t;
      log(`first build of the totals: ${(firstBuild / 1000).toFixed(1)} s (${r.created} items created)`);
      await client.query(`analyze "KxQueueItem"`);
      await seedQueueWork(client, practiceId);
    }
    // wipe every figure, then recompute everything from the lines
    const biller = Number(
      (
        await client.query(`select "userId" from "Membership" where "practiceId" = $1 and role = 'BILLER' order by id limit 1`, [
          practiceId,
        ])
      ).rows[0].userId,
    );
    const snapshot = await client.query(
      `select id, "totalCents", "linesMissingKx", level::text from "KxQueueItem" where "practiceId" = $1 order by id`,
      [practiceId],
    );
    await client.query(
      `update "KxQueueItem" set "totalCents" = 0, "allowedHereCents" = 0, level = 'below', urgency = 9, "linesMissingKx" = 0 where "practiceId" = $1`,
      [practiceId],
    );
    const t0 = performance.now();
    const full = await recomputeAllKx(practiceId);
    const fullMs = performance.now() - t0;
    const after = await client.query(
      `select id, "totalCents", "linesMissingKx", level::text from "KxQueueItem" where "practiceId" = $1 order by id`,
      [practiceId],
    );
    const same = JSON.stringify(after.rows) === JSON.stringify(snapshot.rows);
    log(
      `full recompute of every total: ${(fullMs / 1000).toFixed(1)} s (${full.updated} items rewritten, ${same ? "same figures as before" : "FIGURES DIFFER"})`,
    );
    const t1 = performance.now();
    const idle = await recomputeAllKx(practiceId);
    const idleMs = performance.now() - t1;
    log(`recompute with nothing to change: ${(idleMs / 1000).toFixed(1)} s (${idle.updated} items rewritten)`);
    await client.query(`vacuum analyze "KxQueueItem"`);

    // --- queue query ----------------------------------------------------------------
    const clinic = Number(
      (await client.query(`select id from "Clinic" where "practiceId" = $1 order by id limit 1`, [practiceId])).rows[0].id,
    );
    const therapist = Number(
      (await client.query(`select id from "Therapist" where "practiceId" = $1 order by id limit 1`, [practiceId])).rows[0].id,
    );
    const variants: Record<string, Record<string, string>> = {
      default: {},
      "pool=OT": { pool: "OT" },
      "level=kx": { level: "kx" },
      "year=2025": { year: "2025" },
      "assignee=me": { assignee: "me" },
      "assignee=unassigned": { assignee: "unassigned" },
      "status=snoozed": { status: "snoozed" },
      clinic: { clinic: String(clinic) },
      therapist: { therapist: String(therapist) },
      "page=5": { page: "5" },
    };
    const actor = { practiceId, userId: biller, alertLevelCents: 200000 };
    const queueTimes: number[] = [];
    const perVariant: Record<string, number[]> = {};
    const names = Object.keys(variants);
    let sampleTotal = 0;
    for (let i = 0; i < 5; i++) await kxQueuePage(db(), actor, kxQueueFiltersSchema.parse({}), TODAY); // warm-up
    for (let i = 0; i < runs; i++) {
      const name = names[i % names.length]!;
      const filters = kxQueueFiltersSchema.parse(variants[name]);
      const t = performance.now();
      const page = await kxQueuePage(db(), actor, filters, TODAY);
      const ms = performance.now() - t;
      if (name === "default") sampleTotal = page.total;
      queueTimes.push(ms);
      perVariant[name] = [...(perVariant[name] ?? []), ms];
    }
    const urgentTimes: number[] = [];
    for (let i = 0; i < Math.min(runs, 100); i++) {
      const t = performance.now();
      await urgentKxCount(practiceId, "America/New_York");
      urgentTimes.push(performance.now() - t);
    }

    // --- visit save with its totals -------------------------------------------------
    const candidates = (
      await client.query(
        `select v.id from "Visit" v join "Payer" p on p.id = v."payerId"
         where v."practiceId" = $1 and p.kind = 'medicare' and v."dateOfService" >= '2026-01-01'
         order by hashint4(v.id) limit $2`,
        [practiceId, runs + 10],
      )
    ).rows.map((r) => Number(r.id));
    const saveTimes: number[] = [];
    // commit: from the pipeline's end to the save's answer. The revenue rollup's refresh of the
    // visit's week starts after the answer (the pipeline's stage 7, lib/server/core/after-commit.ts):
    // not part of the save's time, waited for before the next save and shown on its own line
    const phases: Record<"lines" | "derived" | "commit", number[]> = {
      lines: [],
      derived: [],
      commit: [],
    };
    const rollupAfterAnswer: number[] = [];
    for (const [n, visitId] of candidates.entries()) {
      // the lines as the visit form would post them (read before the clock starts)
      const lines = await db().serviceLine.findMany({
        where: { practiceId, visitId },
        orderBy: { lineOrder: "asc" },
        include: { remit: true },
      });
      const t = performance.now();
      const phase: Partial<Record<keyof typeof phases, number>> = {};
      await db().$transaction(async (tx) => {
        let p = performance.now();
        const before = await poolKeysOfVisits(tx, practiceId, [visitId]);
        await tx.serviceLine.deleteMany({ where: { practiceId, visitId } });
        // the therapist corrected the minutes of the first line
        const created = await tx.serviceLine.createManyAndReturn({
          select: { id: true },
          data: lines.map((l, i) => ({
            practiceId,
            visitId,
            lineOrder: i,
            cpt: l.cpt,
            modifiers: l.modifiers,
            minutes: i === 0 ? (l.minutes ?? 15) + (n % 2 ? 8 : -8) : l.minutes,
            unitsBilled: l.unitsBilled,
            chargeCents: l.chargeCents,
            note: l.note,
          })),
        });
        // the confirmed allowed amounts stay with their lines
        await tx.serviceLineRemit.createMany({
          data: lines.flatMap((l, i) =>
            l.remit?.remitAllowedCents == null
              ? []
              : [{ serviceLineId: created[i]!.id, practiceId, visitId, remitAllowedCents: l.remit.remitAllowedCents }],
          ),
        });
        await tx.visit.update({ where: { id: visitId }, data: { version: { increment: 1 } } });
        phase.lines = performance.now() - p;
        p = performance.now();
        await recomputeDerived(tx, practiceId, { visits: [visitId], pools: before });
        phase.derived = performance.now() - p;
        phase.commit = performance.now();
      });
      const answered = performance.now();
      phase.commit = answered - (phase.commit ?? answered);
      const ms = answered - t;
      await afterCommitSettled();
      const refreshMs = performance.now() - answered;
      // the first ones warm the caches
      if (n >= 10) {
        saveTimes.push(ms);
        rollupAfterAnswer.push(refreshMs);
        for (const k of Object.keys(phases) as (keyof typeof phases)[]) phases[k].push(phase[k] ?? 0);
      }
    }
    const load = (await import("node:os")).loadavg()[0]!;

    const results = {
      data: {
        ...counts,
        queueItems: Number((await client.query(`select count(*) from "KxQueueItem" where "practiceId" = $1`, [practiceId])).rows[0].count),
        openQueueRows2026: sampleTotal,
      },
      fullRecomputeSeconds: Number((fullMs / 1000).toFixed(2)),
      fullRecomputeSameFigures: same,
      firstBuildSeconds: firstBuild === null ? null : Number((firstBuild / 1000).toFixed(2)),
      idleRecomputeSeconds: Number((idleMs / 1000).toFixed(2)),
      queueQuery: summary(queueTimes),
      queueQueryByFilter: Object.fromEntries(Object.entries(perVariant).map(([k, v]) => [k, summary(v)])),
      urgentCount: summary(urgentTimes),
      visitSave: summary(saveTimes),
      visitSavePhases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, summary(v)])),
      rollupAfterSave: summary(rollupAfterAnswer),
      loadAverage: Number(load.toFixed(2)),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      const line = (label: string, s: { p50: number; p95: number; runs: number }, target?: number) =>
        `${label.padEnd(34)} p50 ${fmt(s.p50).padStart(9)}   p95 ${fmt(s.p95).padStart(9)}   (${s.runs} runs)${target === undefined ? "" : s.p95 <= target ? `   target p95 <= ${target} ms: met` : `   target p95 <= ${target} ms: MISSED`}`;
      const out = [
        "",
        `KX queue benchmark — ${counts.patients} patients, ${counts.visits} visits, ${counts.lines} service lines, ${results.data.queueItems} queue items`,
        `${"full recompute of every total".padEnd(34)} ${(fullMs / 1000).toFixed(1)} s${fullMs <= 60_000 ? "   target <= 60 s: met" : "   target <= 60 s: MISSED"}`,
        line("queue query (all filters)", results.queueQuery, 100),
        ...Object.entries(results.queueQueryByFilter).map(([k, s]) => line(`  ${k}`, s)),
        line("urgent count (navigation)", results.urgentCount),
        line("visit save + totals", results.visitSave, 50),
        ...Object.entries(results.visitSavePhases).map(([k, v]) => line(`  ${k}`, v)),
        line("the week's rollup, after the answer", results.rollupAfterSave),
        `(load average while measuring: ${results.loadAverage} on ${(await import("node:os")).cpus().length} cores)`,
        "",
      ];
      process.stdout.write(out.join("\n"));
    }
  } finally {
    await client.end();
    await disconnectDb();
    await server.stop();
  }
}

/** Creates the bench practice and its synthetic data unless it is already there. */
async function ensureData(client: pg.Client, patients: number): Promise<number> {
  const found = await client.query(`select id from "Practice" where slug = $1`, [SLUG]);
  if (found.rowCount) {
    const id = Number(found.rows[0].id);
    const n = Number((await client.query(`select count(*) from "Patient" where "practiceId" = $1`, [id])).rows[0].count);
    if (n === patients) return id;
    throw new Error(`${BENCH_DATABASE} holds ${n} patients, not ${patients}: run with --fresh to rebuild it`);
  }
  const { createPractice } = await import("@/lib/server/practices");
  const { createUser } = await import("@/lib/server/users");
  const started = performance.now();
  log(`building ${BENCH_DATABASE}: ${patients} patients (one-off; --fresh rebuilds)`);
  const practice = await createPractice({ slug: SLUG, name: "Bench Therapy", medicareLocality: "NY-01", timeZone: "America/New_York" });
  const practiceId = practice.id;
  enterPracticeScopeForProcess(practiceId);
  for (const [role, email] of [
    ["BILLER", "biller@bench.test"],
    ["BILLER", "biller2@bench.test"],
    ["OWNER", "owner@bench.test"],
  ] as const) {
    await createUser(practiceId, { email, role, password: "bench-password-2026", name: email.split("@")[0] });
  }
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  const payer = async (name: string, kind: string) =>
    Number(
      (
        await q(`insert into "Payer" ("practiceId", name, "nameKey", kind) values ($1, $2, lower($2), $3::"PayerKind") returning id`, [
          practiceId,
          name,
          kind,
        ])
      ).rows[0].id,
    );
  const medicare = await payer("Medicare", "medicare");
  const advantage = await payer("Humana Medicare Advantage", "medicare_advantage");
  const commercial = await payer("Aetna", "commercial");
  const clinics: number[] = [];
  for (const name of ["Downtown", "Riverside", "Northgate"]) {
    clinics.push(
      Number((await q(`insert into "Clinic" ("practiceId", name) values ($1, $2) returning id`, [practiceId, name])).rows[0].id),
    );
  }
  const therapists: Record<"PT" | "OT" | "SLP", number[]> = { PT: [], OT: [], SLP: [] };
  const credentials = ["PT", "PT", "PTA", "PT", "OT", "OTA", "OT", "SLP"] as const;
  for (let i = 0; i < 32; i++) {
    const credential = credentials[i % credentials.length]!;
    const id = Number(
      (
        await q(
          `insert into "Therapist" ("practiceId", "clinicId", npi, name, credential) values ($1, $2, $3, $4, $5::"Credential") returning id`,
          [practiceId, clinics[i % clinics.length], String(1_500_000_000 + i), `Therapist ${i + 1}`, credential],
        )
      ).rows[0].id,
    );
    therapists[credential.startsWith("PT") ? "PT" : credential.startsWith("OT") ? "OT" : "SLP"].push(id);
  }

  // patients
  await q(
    `insert into "Patient" ("practiceId", "externalId", "firstName", "lastName", "birthDate")
     select $1, 'B' || lpad(g::text, 7, '0'), 'Pat' || g, 'Bench' || (g % 9973), date '1935-01-01' + (g % 11000)
     from generate_series(1, $2::int) g`,
    [practiceId, patients],
  );
  // one therapy episode per patient: 80% short (1-6 visits), 14% medium (8-19), 6% long (20-44);
  // 60% Medicare, 15% Medicare Advantage, 25% commercial; 65% PT, 25% OT, 10% SLP; one in ten
  // alternates PT and OT visits (both pools); 40% of episodes in 2025, 60% in 2026.
  await q(`drop table if exists bench_episode`);
  await q(
    `create unlogged table bench_episode as
     select p.id as patient_id,
            (hashint4(p.id) & 2147483647) as h1,
            (hashint4(p.id + 1000003) & 2147483647) as h2,
            (hashint4(p.id + 2000003) & 2147483647) as h3
     from "Patient" p where p."practiceId" = $1`,
    [practiceId],
  );
  await q(
    `alter table bench_episode add column cnt int, add column yr int, add column payer int, add column disc text, add column alt bool, add column gap int, add column start date`,
  );
  await q(
    `update bench_episode set
       cnt = case when h1 % 1000 < 60 then 20 + h2 % 25 when h1 % 1000 < 200 then 8 + h2 % 12 else 1 + h2 % 6 end,
       yr = case when h3 % 10 < 4 then 2025 else 2026 end,
       payer = case when h2 % 100 < 60 then $1::int when h2 % 100 < 75 then $2::int else $3::int end,
       disc = case when h3 % 100 < 65 then 'GP' when h3 % 100 < 90 then 'GO' else 'GN' end,
       alt = (h1 % 10 = 7),
       gap = 2 + h3 % 4`,
    [medicare, advantage, commercial],
  );
  await q(`update bench_episode set start = make_date(yr, 1, 1) + (h2 % greatest(1, 320 - cnt * gap))::int`);
  // visits: the therapist of the visit's discipline decides the line's modifier below
  await q(
    `insert into "Visit" ("practiceId", "externalId", "patientId", "therapistId", "clinicId", "payerId", "dateOfService", "updatedAt")
     select $1, 'V' || lpad(e.patient_id::text, 8, '0') || '-' || lpad(n::text, 2, '0'), e.patient_id, t.id, t."clinicId", e.payer,
            e.start + n * e.gap, now()
     from bench_episode e
     cross join lateral generate_series(0, e.cnt - 1) n
     cross join lateral (select case when e.alt and n % 2 = 1 then (case e.disc when 'GO' then 'GP' else 'GO' end) else e.disc end as disc) d
     cross join lateral (
       select (case d.disc when 'GP' then $2::int[] when 'GO' then $3::int[] else $4::int[] end) as ids
     ) pool_ids
     join "Therapist" t on t.id = pool_ids.ids[1 + (e.h1 % array_length(pool_ids.ids, 1))]`,
    [practiceId, therapists.PT, therapists.OT, therapists.SLP],
  );
  log(`  visits written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  // lines: 2 or 3 per visit, the discipline modifier from the therapist's credential, expected
  // allowed $22-$46, a remit's allowed on most lines older than September 2026, KX on the late
  // lines of most long episodes (some are left missing, as in real life)
  await q(
    `insert into "ServiceLine" ("practiceId", "visitId", "lineOrder", cpt, modifiers, minutes, "unitsBilled", "chargeCents", "expectedAllowedCents", pool)
     select $1, v.id, l,
            (case m.disc when 'GP' then array['97110','97112','97140','97530','97116'] when 'GO' then array['97530','97535','97110','97140'] else array['92507','92526','97129'] end)
              [1 + (x.hv + l) % (case m.disc when 'GP' then 5 when 'GO' then 4 else 3 end)],
            array[m.disc] || (case when e.cnt >= 20 and right(v."externalId", 2)::int >= 22 and e.h3 % 10 < 7 then array['KX'] else array[]::text[] end)
              || (case when t.credential = 'PTA' then array['CQ'] when t.credential = 'OTA' then array['CO'] else array[]::text[] end),
            15 + (x.hv + l) % 15, 1 + (x.hv + l) % 2, 6000 + (x.hv % 50) * 100,
            2200 + ((x.hv % 100003) * 7 + l * 131) % 2400,
            (case m.disc when 'GO' then 'OT' else 'PT_SLP' end)::"Pool"
     from "Visit" v
     join "Therapist" t on t.id = v."therapistId"
     join bench_episode e on e.patient_id = v."patientId"
     cross join lateral (select hashint4(v.id) & 1073741823 as hv) x
     cross join lateral (select case t.credential when 'PT' then 'GP' when 'PTA' then 'GP' when 'OT' then 'GO' when 'OTA' then 'GO' else 'GN' end as disc) m
     cross join lateral generate_series(0, 1 + (case when x.hv % 3 = 0 then 1 else 0 end)) l
     where v."practiceId" = $1`,
    [practiceId],
  );
  // a remit's confirmed allowed amount on 70% of the lines served before September 2026: the
  // expected amount less 0, 50 or 100 cents
  await q(
    `insert into "ServiceLineRemit" ("serviceLineId", "practiceId", "visitId", "expectedAllowedCents", "remitAllowedCents")
     select s.id, s."practiceId", s."visitId", s."expectedAllowedCents", s."expectedAllowedCents" - ((x.hv + s."lineOrder") % 3) * 50
     from "ServiceLine" s
     join "Visit" v on v.id = s."visitId"
     cross join lateral (select hashint4(v.id) & 1073741823 as hv) x
     where s."practiceId" = $1 and v."dateOfService" < date '2026-09-01' and (x.hv + s."lineOrder") % 10 < 7`,
    [practiceId],
  );
  log(`  service lines written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  // amounts used elsewhere for 2% of Medicare patients
  await q(
    `insert into "ThresholdUsage" ("practiceId", "patientId", year, pool, "amountCents", source, "asOf", "updatedAt")
     select $1, e.patient_id, e.yr, (case e.disc when 'GO' then 'OT' else 'PT_SLP' end)::"Pool", e.h2 % 200000, 'MAC portal', make_date(e.yr, 2, 1), now()
     from bench_episode e where e.payer = $2 and e.h1 % 50 = 3`,
    [practiceId, medicare],
  );
  await q(`drop table bench_episode`);
  await q(`vacuum analyze`);
  log(`  data ready (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  return practiceId;
}

/** A biller's work in progress: some items assigned, some snoozed, some resolved. */
async function seedQueueWork(client: pg.Client, practiceId: number): Promise<void> {
  const billers = (
    await client.query(`select "userId" from "Membership" where "practiceId" = $1 and role = 'BILLER' order by id`, [practiceId])
  ).rows.map((r) => Number(r.userId));
  await client.query(
    `update "KxQueueItem" set "assigneeId" = case when id % 2 = 0 then $2::int else $3::int end
     where "practiceId" = $1 and level <> 'below' and id % 10 < 3`,
    [practiceId, billers[0], billers[1] ?? billers[0]],
  );
  await client.query(
    `update "KxQueueItem" set status = 'SNOOZED', "snoozedUntil" = date '2026-12-15' where "practiceId" = $1 and level <> 'below' and id % 17 = 5`,
    [practiceId],
  );
  await client.query(`update "KxQueueItem" set status = 'RESOLVED' where "practiceId" = $1 and level <> 'below' and id % 23 = 7`, [
    practiceId,
  ]);
}
