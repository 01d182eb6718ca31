// The weekly revenue rollup (RevenueWeek, ReceivableWeek, ReceivableDay, DenialDay, UnderpaymentDay): chart-ready sums per
// practice x service week x payer x therapist, open receivables by day of service and payer, so a 52-week trend reads a few thousand rows instead of
// millions of lines. Triggers (migration revenue_rollup_undercoding) append the week of every
// changed visit, line, remit or undercoding review to RevenueDirtyWeek in the writer's own
// transaction. Stage 7 of the pipeline (./index.ts): once the write's transaction has committed,
// refreshRevenueRollup recomputes exactly those weeks from the source rows (right after the
// writer's answer, refreshRevenueRollupAfterWrite); a read runs it again before answering, as a
// safety net (a read that comes before that refresh ends, a write outside the pipeline, a
// refresh that failed). A week whose only marks are undercoding reviews' (reviewOnly, migration
// review_only_stale_weeks) rebuilds its RevenueWeek rows alone: no other rollup table reads reviews.
// The definitions computed here are those of docs/metrics.md.
import { Prisma, type RevenueWeek } from "@/lib/generated/prisma/client";
import { allowLongStatements, type Db, db, RANDOM_PAGE_COST, type Tx } from "../core/db";
import { addWeeks, dateFromIso, isoDate, weekEnd } from "../core/dates";

/**
 * CLP02 claim statuses that settle a claim with this payer: processed as primary/secondary/
 * tertiary (1, 2, 3), denied (4), processed and forwarded (19, 20, 21), not our claim (23).
 * 22 (reversal of a previous payment) reopens it; anything else (e.g. 25 predetermination) does not settle it.
 */
export const FINAL_CLAIM_STATUSES = ["1", "2", "3", "4", "19", "20", "21", "23"] as const;

/**
 * The day a remit counts from, as `d.on_date` (a lateral join on the payment `payment`): its
 * payment date (BPR16), else the day it was imported in the practice's time zone (`timeZone`,
 * an expression of the statement).
 */
export function remitDaySql(payment: string, timeZone: Prisma.Sql): Prisma.Sql {
  const pay = Prisma.raw(payment);
  return Prisma.sql`cross join lateral (
        select coalesce(${pay}."paymentDate", ((${pay}."createdAt" at time zone 'UTC') at time zone ${timeZone})::date) as on_date
      ) d`;
}

/** The practice's time zone, as an expression of a statement. */
export function practiceTimeZone(practiceId: number): Prisma.Sql {
  return Prisma.sql`(select "timeZone" from "Practice" where id = ${practiceId})`;
}

// the refresh under way in this process, by practice (kept on globalThis: a bundler may load
// this module more than once): a second caller waits for it and then looks again, rather than
// waiting on the refresh lock inside a transaction of its own. Each such waiter held a connection
// of the practice's pool; a page's reads, the refresh after a write and an export, all behind one
// long refresh, could take every connection of that pool, and the practice's other reads waited too.
const refreshShared = globalThis as unknown as { __rollupRefreshing?: Map<number, Promise<number>> };
refreshShared.__rollupRefreshing ??= new Map();
const refreshing = refreshShared.__rollupRefreshing;

/**
 * Recomputes the stale weeks of a practice, if any. Cheap when nothing is stale (one indexed
 * probe). Returns the weeks it recomputed itself (0 when another caller's refresh did them).
 */
export async function refreshRevenueRollup(practiceId: number, client: Db = db()): Promise<number> {
  for (;;) {
    const stale = await client.$queryRaw<{ stale: boolean }[]>`
      select exists (select 1 from "RevenueDirtyWeek" where "practiceId" = ${practiceId}) as stale`;
    if (!stale[0]?.stale) return 0;
    const underWay = refreshing.get(practiceId);
    if (!underWay) break;
    // weeks marked after that refresh took its marks are still stale when it ends: look again
    await underWay.catch(() => {});
  }
  const run = refreshStaleWeeks(practiceId, client);
  refreshing.set(practiceId, run);
  try {
    return await run;
  } finally {
    if (refreshing.get(practiceId) === run) refreshing.delete(practiceId);
  }
}

function refreshStaleWeeks(practiceId: number, client: Db): Promise<number> {
  return client.$transaction(
    async (tx) => {
      // the refresh after a large import runs as long as it needs: no statement timeout (db.ts)
      await allowLongStatements(tx);
      // one refresher per practice at a time: the delete-and-insert of two would collide (two
      // processes; within one, refreshRevenueRollup lets a single caller at a time get here)
      await tx.$executeRaw`select pg_advisory_xact_lock(${practiceId}::int, 29)`;
      // index lookups for a week or two of lines are far cheaper than the default cost model
      // (tuned for spinning disks) believes; see planner.ts
      await tx.$executeRawUnsafe(`set local random_page_cost = ${RANDOM_PAGE_COST}`);
      const dirty = await tx.$queryRaw<{ week: Date; reviewOnly: boolean }[]>`
        delete from "RevenueDirtyWeek" where "practiceId" = ${practiceId} returning "weekStart" as week, "reviewOnly"`;
      const { everything, revenueOnly } = staleWeeksByScope(dirty.map((d) => ({ week: isoDate(d.week), reviewOnly: d.reviewOnly })));
      await recomputeWeeks(tx, practiceId, everything);
      await recomputeWeeks(tx, practiceId, revenueOnly, "revenue");
      return everything.length + revenueOnly.length;
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
}

/**
 * The stale weeks split by what they need: a week rebuilds everything if any of its marks asks for
 * everything, and only its RevenueWeek rows if every mark is an undercoding review's.
 */
function staleWeeksByScope(marks: { week: string; reviewOnly: boolean }[]): { everything: string[]; revenueOnly: string[] } {
  const full = new Set(marks.filter((m) => !m.reviewOnly).map((m) => m.week));
  const revenue = new Set(marks.filter((m) => m.reviewOnly && !full.has(m.week)).map((m) => m.week));
  return { everything: [...full].sort(), revenueOnly: [...revenue].sort() };
}

/**
 * The refresh a write asks for once it has committed (the pipeline's stage 7, run after commit
 * by lib/server/core/after-commit.ts). Writes of one practice that commit while its refresh runs
 * wait for it and then refresh what it left (refreshRevenueRollup shares the refresh under way),
 * rather than each queueing on the refresh lock with a connection of the practice's pool.
 */
export async function refreshRevenueRollupAfterWrite(practiceId: number): Promise<void> {
  await refreshRevenueRollup(practiceId);
}

/**
 * Rebuilds the rollup rows of the given service weeks ("YYYY-MM-DD" Mondays) from the source rows:
 * every table, or with "revenue" only RevenueWeek (weeks marked stale by undercoding reviews alone).
 */
export async function recomputeWeeks(tx: Tx, practiceId: number, weeks: string[], tables: "all" | "revenue" = "all"): Promise<void> {
  const recompute = tables === "all" ? recomputeRange : recomputeRevenueWeekRange;
  // runs of consecutive weeks, at most 13 at a time: each statement then reads one contiguous
  // range of dates of service, which the planner estimates well (index lookups for a week or
  // two after a change, scans for a quarter at a time when everything is rebuilt)
  const sorted = [...new Set(weeks)].sort();
  let run: string[] = [];
  for (const week of sorted) {
    if (run.length > 0 && (addWeeks(run[run.length - 1]!, 1) !== week || run.length === 13)) {
      await recompute(tx, practiceId, run[0]!, run[run.length - 1]!);
      run = [];
    }
    run.push(week);
  }
  if (run.length > 0) await recompute(tx, practiceId, run[0]!, run[run.length - 1]!);
}

/** The rollup rows of the weeks firstWeek … lastWeek (Mondays, consecutive), every table. */
async function recomputeRange(tx: Tx, practiceId: number, firstWeek: string, lastWeek: string): Promise<void> {
  const final = [...FINAL_CLAIM_STATUSES];
  const from = dateFromIso(firstWeek);
  const to = dateFromIso(weekEnd(lastWeek));
  await recomputeRevenueWeekRange(tx, practiceId, firstWeek, lastWeek);
  await tx.$executeRaw`delete from "ReceivableWeek" where "practiceId" = ${practiceId} and "weekStart" between ${from}::date and ${to}::date`;
  await tx.$executeRaw`delete from "ReceivableDay" where "practiceId" = ${practiceId} and "dateOfService" between ${from}::date and ${to}::date`;
  await tx.$executeRaw`
    with v as (
      select v.id, v."claimId", revenue_week_start(v."dateOfService") as week_start
      from "Visit" v
      where v."practiceId" = ${practiceId} and v."dateOfService" between ${from}::date and ${to}::date
    ),
    ev as (
      -- each claim's state at the end of every week with a remit: settled when the latest remit
      -- dated by then (payment date BPR16, else the day it was imported in the practice's time
      -- zone; then import order) has a final CLP02 status
      select distinct on (rc."claimId", revenue_week_start(d.on_date))
             rc."claimId", revenue_week_start(d.on_date) as wk, rc."statusCode" = any(${final}::text[]) as settled
      from (select distinct "claimId" from v where "claimId" is not null) vc
      join "RemitClaim" rc on rc."practiceId" = ${practiceId} and rc."claimId" = vc."claimId"
      join "RemitPayment" p on p.id = rc."paymentId"
      ${remitDaySql("p", practiceTimeZone(practiceId))}
      order by rc."claimId", revenue_week_start(d.on_date), d.on_date desc, rc.id desc
    ),
    chg as (
      select "claimId", wk, settled, lag(settled, 1, false) over (partition by "claimId" order by wk) as before from ev
    ),
    tr as (
      -- the weeks a claim changes state (before any remit it is open)
      select "claimId", wk, settled,
             lag(wk) over (partition by "claimId" order by wk) as prev_wk,
             lead(wk) over (partition by "claimId" order by wk) as next_wk
      from chg where settled <> before
    ),
    iv as (
      -- open intervals [open_from, open_until) of claims with remits; open_from null: from the start
      select "claimId", prev_wk as open_from, wk as open_until from tr where settled
      union all
      select "claimId", wk, null from tr where not settled and next_wk is null
    ),
    ln as (
      select v.week_start, v."claimId", s."expectedAllowedCents" as expected
      from v join "ServiceLine" s on s."visitId" = v.id and s."expectedAllowedCents" is not null
    ),
    li as (
      select ln.week_start, greatest(ln.week_start, coalesce(iv.open_from, ln.week_start)) as open_from, iv.open_until, ln.expected
      from ln join iv on iv."claimId" = ln."claimId"
      union all
      select ln.week_start, ln.week_start, null, ln.expected
      from ln left join (select distinct "claimId" from tr) known on known."claimId" = ln."claimId"
      where known."claimId" is null
    )
    insert into "ReceivableWeek" ("practiceId", "weekStart", "openFrom", "openUntil", "expectedCents", lines)
    select ${practiceId}, week_start, open_from, open_until, sum(expected), count(*)
    from li
    where open_until is null or open_until > open_from
    group by week_start, open_from, open_until`;
  await recomputeReceivableDays(tx, practiceId, from, to);
  await recomputeRemitLineSums(tx, practiceId, from, to);
}

/** RevenueWeek's figures, in the order recomputeRevenueWeekRange computes them (checked against the model's columns). */
const REVENUE_WEEK_FIGURES = [
  "visits",
  "lines",
  "units",
  "chargeCents",
  "expectedCents",
  "unpricedLines",
  "adjudicatedLines",
  "deniedLines",
  "remittedLines",
  "paidCents",
  "patientRespCents",
  "remitAllowedCents",
  "ncrNumeratorCents",
  "ncrDenominatorCents",
  "underpaymentCents",
  "underpaidLines",
  "undercodingGainCents",
  "undercodingLines",
  "exerciseRiskLines",
  "units97530",
  "units97110",
] as const satisfies readonly (keyof RevenueWeek)[];
const REVENUE_WEEK_FIGURES_SQL = Prisma.raw(REVENUE_WEEK_FIGURES.map((c) => `"${c}"`).join(", "));
const REVENUE_WEEK_SET_SQL = Prisma.raw(REVENUE_WEEK_FIGURES.map((c) => `"${c}" = excluded."${c}"`).join(", "));
const REVENUE_WEEK_OLD_SQL = Prisma.raw(REVENUE_WEEK_FIGURES.map((c) => `"RevenueWeek"."${c}"`).join(", "));
const REVENUE_WEEK_NEW_SQL = Prisma.raw(REVENUE_WEEK_FIGURES.map((c) => `excluded."${c}"`).join(", "));

/**
 * The RevenueWeek rows of the weeks firstWeek … lastWeek (Mondays, consecutive): the only rollup
 * table that reads undercoding reviews, so the only one a week marked by reviews alone rebuilds.
 * Only the rows whose figures change are written (a review changes one payer and therapist's
 * row of its week); a payer and therapist new to a week gets its row, and one no longer in it
 * loses its row. Deleting and inserting every row of the week on each review left the table
 * mostly dead rows under load (1,009 pages for 5,976 rows), which every read of the owner's
 * charts then went through.
 */
async function recomputeRevenueWeekRange(tx: Tx, practiceId: number, firstWeek: string, lastWeek: string): Promise<void> {
  const from = dateFromIso(firstWeek);
  const to = dateFromIso(weekEnd(lastWeek));
  await tx.$executeRaw`
    with v as (
      select v.id, v."payerId", v."therapistId", revenue_week_start(v."dateOfService") as week_start
      from "Visit" v
      where v."practiceId" = ${practiceId} and v."dateOfService" between ${from}::date and ${to}::date
    ),
    x as (
      -- each line with its remit figures (ServiceLineRemit: the matched remit lines summed,
      -- reversals netted, kept by the remit tables' triggers; no row is no remit)
      select s.id, s."visitId", v.week_start, v."payerId", v."therapistId", s.cpt, s."unitsBilled" as units,
             s."chargeCents" as charge, s."expectedAllowedCents" as expected,
             s."undercodingDirection"::text as uc_direction, s."undercodingGainCents" as uc_gain,
             coalesce(r."remitPaidCents", 0) as paid, coalesce(r."remitPatientRespCents", 0) as pr,
             coalesce(r."remitAllowedNetCents", 0) as allowed,
             coalesce(r."remitNetCount", 0) > 0 as adjudicated,
             coalesce(r."remitNetCount", 0) > 0 and r."remitDenialCause" is not null as denied,
             coalesce(r."remitLineCount", 0) > 0 as has_remit,
             -- each line's review looked up by its key: a join let the planner, misled by a reviews
             -- table analyzed while nearly empty, compare every line of the week with every review
             (select ur.decision::text from "UndercodingReview" ur where ur."serviceLineId" = s.id) as decision
      from v
      join "ServiceLine" s on s."visitId" = v.id
      left join "ServiceLineRemit" r on r."serviceLineId" = s.id
    ),
    fresh as (
      select week_start, "payerId", "therapistId",
             count(distinct "visitId"), count(*), coalesce(sum(units), 0), coalesce(sum(charge), 0), coalesce(sum(expected), 0),
             count(*) filter (where expected is null),
             count(*) filter (where adjudicated),
             count(*) filter (where denied),
             count(*) filter (where has_remit),
             coalesce(sum(paid), 0), coalesce(sum(pr), 0), coalesce(sum(allowed), 0),
             coalesce(sum(paid + pr) filter (where adjudicated and expected is not null), 0),
             coalesce(sum(expected) filter (where adjudicated and expected is not null), 0),
             coalesce(sum(greatest(expected - allowed, 0)) filter (where adjudicated and not denied and expected is not null), 0),
             count(*) filter (where adjudicated and not denied and expected is not null and expected > allowed),
             coalesce(sum(coalesce(uc_gain, 0)) filter (where uc_direction = 'could_be_97530' and decision is distinct from 'DISMISSED'), 0),
             count(*) filter (where uc_direction = 'could_be_97530' and decision is distinct from 'DISMISSED'),
             count(*) filter (where uc_direction = 'reads_as_exercise' and decision is distinct from 'DISMISSED'),
             coalesce(sum(units) filter (where cpt = '97530'), 0),
             coalesce(sum(units) filter (where cpt = '97110'), 0)
      from x
      group by week_start, "payerId", "therapistId"
    ),
    gone as (
      delete from "RevenueWeek" rw
      where rw."practiceId" = ${practiceId} and rw."weekStart" between ${from}::date and ${to}::date
        and not exists (select 1 from fresh f where f.week_start = rw."weekStart" and f."payerId" = rw."payerId" and f."therapistId" = rw."therapistId")
    )
    insert into "RevenueWeek" ("practiceId", "weekStart", "payerId", "therapistId", ${REVENUE_WEEK_FIGURES_SQL})
    select ${practiceId}, fresh.* from fresh
    on conflict ("practiceId", "weekStart", "payerId", "therapistId") do update set ${REVENUE_WEEK_SET_SQL}
    where (${REVENUE_WEEK_OLD_SQL}) is distinct from (${REVENUE_WEEK_NEW_SQL})`;
}

/**
 * DenialDay and UnderpaymentDay rows of the visits dated from … to: the denials page's and the
 * underpayment worklist's figures, with the same rules as their row queries
 * (lib/server/denials/query.ts, lib/server/underpayments/worklist.ts), so that a sum and the rows
 * it stands for cannot disagree.
 */
async function recomputeRemitLineSums(tx: Tx, practiceId: number, from: Date, to: Date): Promise<void> {
  await tx.$executeRaw`delete from "DenialDay" where "practiceId" = ${practiceId} and "weekStart" between ${from}::date and ${to}::date`;
  await tx.$executeRaw`delete from "UnderpaymentDay" where "practiceId" = ${practiceId} and "dateOfService" between ${from}::date and ${to}::date`;
  // a denied line is reported on its remit's service date, else its visit's; a duplicate
  // payment's denial is the same denial again (DOMAIN.md §5): counted once
  await tx.$executeRaw`
    insert into "DenialDay" ("practiceId", "weekStart", day, cause, "payerId", lines, cents, "expectedCents")
    select ${practiceId}, revenue_week_start(v."dateOfService"), coalesce(rl."serviceDate", v."dateOfService"), rl."denialCause",
           v."payerId", count(*), coalesce(sum(rl."chargeCents" - rl."paidCents"), 0),
           coalesce(sum(coalesce(rl."expectedAllowedCents", s."expectedAllowedCents", 0)), 0)
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id
    join "RemitLine" rl on rl."serviceLineId" = s.id and rl."practiceId" = ${practiceId}
    where v."practiceId" = ${practiceId} and v."dateOfService" between ${from}::date and ${to}::date
      and rl."denialCause" is not null and rl."netRole" not in ('duplicate', 'duplicate_reversed')
    group by 2, 3, 4, 5`;
  await tx.$executeRaw`
    insert into "UnderpaymentDay" ("practiceId", "dateOfService", "payerId", cpt, status, lines, "varianceCents", "recoveredCents")
    select ${practiceId}, v."dateOfService", v."payerId", rl.cpt, rl."underpaymentStatus", count(*), sum(rl."varianceCents"),
           coalesce(sum(coalesce(rl."recoveredCents", rl."varianceCents")) filter (where rl."underpaymentStatus" = 'RECOVERED'), 0)
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id
    join "RemitLine" rl on rl."serviceLineId" = s.id and rl."practiceId" = ${practiceId}
    where v."practiceId" = ${practiceId} and v."dateOfService" between ${from}::date and ${to}::date
      and rl."varianceCents" > 0 and rl."denialCause" is null
    group by 2, 3, 4, 5`;
}

/**
 * ReceivableDay rows of the days from … to: the lines with an expected amount by day of service
 * and payer, with the interval of days [openFrom, openUntil) their claim was open. The rule is
 * the one of the open lines (owner.ts, lines.ts): a line is open at the end of a day when its
 * claim's latest remit dated by then (payment date BPR16, else the day it was imported in the
 * practice's time zone; then import order) is not final, or it has no claim or no remit.
 */
async function recomputeReceivableDays(tx: Tx, practiceId: number, from: Date, to: Date): Promise<void> {
  const final = [...FINAL_CLAIM_STATUSES];
  await tx.$executeRaw`
    with v as (
      select v.id, v."claimId", v."payerId", v."dateOfService" as dos
      from "Visit" v
      where v."practiceId" = ${practiceId} and v."dateOfService" between ${from}::date and ${to}::date
    ),
    ev as (
      -- each claim's state at the end of every day with a remit (the day's last remit decides)
      select distinct on (rc."claimId", d.on_date)
             rc."claimId", d.on_date as day, rc."statusCode" = any(${final}::text[]) as settled
      from (select distinct "claimId" from v where "claimId" is not null) vc
      join "RemitClaim" rc on rc."practiceId" = ${practiceId} and rc."claimId" = vc."claimId"
      join "RemitPayment" p on p.id = rc."paymentId"
      ${remitDaySql("p", practiceTimeZone(practiceId))}
      order by rc."claimId", d.on_date, rc.id desc
    ),
    chg as (
      select "claimId", day, settled, lag(settled, 1, false) over (partition by "claimId" order by day) as before from ev
    ),
    tr as (
      -- the days a claim changes state (before any remit it is open)
      select "claimId", day, settled,
             lag(day) over (partition by "claimId" order by day) as prev_day,
             lead(day) over (partition by "claimId" order by day) as next_day
      from chg where settled <> before
    ),
    iv as (
      -- open intervals [open_from, open_until) of claims with remits; open_from null: from the start
      select "claimId", prev_day as open_from, day as open_until from tr where settled
      union all
      select "claimId", day, null from tr where not settled and next_day is null
    ),
    ln as (
      select v.dos, v."payerId", v."claimId", s."expectedAllowedCents" as expected
      from v join "ServiceLine" s on s."visitId" = v.id and s."expectedAllowedCents" is not null
    ),
    li as (
      select ln.dos, ln."payerId", iv.open_from, iv.open_until, ln.expected
      from ln join iv on iv."claimId" = ln."claimId"
      union all
      select ln.dos, ln."payerId", null, null, ln.expected
      from ln left join (select distinct "claimId" from tr) known on known."claimId" = ln."claimId"
      where known."claimId" is null
    )
    insert into "ReceivableDay" ("practiceId", "dateOfService", "payerId", "openFrom", "openUntil", "expectedCents", lines)
    select ${practiceId}, dos, "payerId", open_from, open_until, sum(expected), count(*)
    from li
    group by dos, "payerId", open_from, open_until`;
}

/** Marks every week of a practice stale and rebuilds it (after a bulk load that bypassed the triggers). */
export async function rebuildRevenueRollup(practiceId: number, client: Db = db()): Promise<number> {
  await client.$executeRaw`
    insert into "RevenueDirtyWeek" ("practiceId", "weekStart")
    select distinct "practiceId", revenue_week_start("dateOfService") from "Visit" where "practiceId" = ${practiceId}`;
  return refreshRevenueRollup(practiceId, client);
}
