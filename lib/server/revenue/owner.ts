// The owner's Monday review (docs/loops/owner.md): the money left on the table year to date
// and over the last 13 weeks, receivables by age and payer, and each therapist's revenue and
// 97530 share. Every figure is defined so that the page it links to lists the same lines:
// underpaid = the underpayment worklist, KX-related denials = the denials list (cause "missing
// KX"), undercoding = the undercoding candidates, A/R over 90 days = the open lines served
// more than 90 days ago.
import { Prisma } from "@/lib/generated/prisma/client";
import { db, type Tx } from "../core/db";
import { dateFromIso, todayIn } from "../core/dates";
import { FINAL_CLAIM_STATUSES, practiceTimeZone, refreshRevenueRollup, remitDaySql } from "../derived/rollup";
import { candidateLinesOfVisit } from "./planner";
import { analyticsScope } from "./scope";
import { addDays, addWeeks, splitPeriod, weekEnd, weekStartOf } from "./weeks";

export interface Amount {
  cents: number;
  lines: number;
}

export interface LeftOnTablePeriod {
  key: "ytd" | "13w";
  label: string;
  /** dates of service, inclusive */
  from: string;
  to: string;
  /** the 13-week period's service weeks (for pages that take a week and a number of weeks) */
  lastWeek: string;
  weeks: number | null;
  /** Σ variance (expected allowed − allowed) of the underpaid remit lines, whatever their status */
  underpaid: Amount;
  /** the part of `underpaid` marked recovered, at the dollars recorded (else the variance) */
  recovered: Amount;
  /** Σ potential gain of 97110 lines that could be 97530, not dismissed */
  undercoding: Amount;
  /** Σ expected allowed of remit lines denied for a missing KX */
  kxDenied: Amount;
}

export interface AgingRow {
  payerId: number;
  payer: string;
  /** 0–30, 31–60, 61–90, over 90 days since the date of service */
  buckets: [number, number, number, number];
  lines: [number, number, number, number];
  totalCents: number;
}

export interface MoneyLeftOnTable {
  /** today in the practice's time zone */
  today: string;
  periods: [LeftOnTablePeriod, LeftOnTablePeriod];
  /** open receivables today, served more than 90 days ago (on or before `over90ServedBy`) */
  arOver90: Amount;
  over90ServedBy: string;
  aging: AgingRow[];
  agingTotals: [number, number, number, number];
}

export const AGING_BUCKETS = ["0–30 days", "31–60 days", "61–90 days", "Over 90 days"] as const;

function num(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : typeof value === "number" ? value : value == null ? 0 : Number(value);
}

/** The two periods of the headline: 1 January to today, and the 13 service weeks ending with this week. */
export function headlinePeriods(today: string): {
  ytd: { from: string; to: string };
  last13: { from: string; to: string; lastWeek: string };
} {
  const currentWeek = weekStartOf(today);
  return {
    ytd: { from: `${today.slice(0, 4)}-01-01`, to: today },
    last13: { from: addWeeks(currentWeek, -12), to: weekEnd(currentWeek), lastWeek: currentWeek },
  };
}

type Period = { from: string; to: string };

function spanOf(periods: readonly Period[]): Period {
  return {
    from: periods.map((p) => p.from).sort()[0]!,
    to: periods
      .map((p) => p.to)
      .sort()
      .at(-1)!,
  };
}

/**
 * The underpayment worklist's lines (every status) counted and summed over each period, and the
 * part of them marked recovered (at the dollars recorded when marked, else their variance), in
 * one pass over the worklist's own daily sums (UnderpaymentDay, which its totals read too: the
 * headline cannot disagree with the worklist). The caller brings the rollup up to date first.
 */
async function underpayments(
  practiceId: number,
  periods: readonly Period[],
  client: Pick<Tx, "$queryRaw"> = db(),
): Promise<{ underpaid: Amount; recovered: Amount }[]> {
  const span = spanOf(periods);
  const columns = periods.map((period, periodIndex) => {
    const inPeriod = Prisma.sql`u."dateOfService" between ${dateFromIso(period.from)}::date and ${dateFromIso(period.to)}::date`;
    return Prisma.sql`coalesce(sum(u.lines) filter (where ${inPeriod}), 0) as ${Prisma.raw(`"lines${periodIndex}"`)},
                      coalesce(sum(u."varianceCents") filter (where ${inPeriod}), 0) as ${Prisma.raw(`"cents${periodIndex}"`)},
                      coalesce(sum(u.lines) filter (where ${inPeriod} and u.status = 'RECOVERED'), 0) as ${Prisma.raw(`"recoveredLines${periodIndex}"`)},
                      coalesce(sum(u."recoveredCents") filter (where ${inPeriod} and u.status = 'RECOVERED'), 0) as ${Prisma.raw(`"recoveredCents${periodIndex}"`)}`;
  });
  const [row] = await client.$queryRaw<Record<string, unknown>[]>`
    select ${Prisma.join(columns)}
    from "UnderpaymentDay" u
    where u."practiceId" = ${practiceId} and u."dateOfService" between ${dateFromIso(span.from)}::date and ${dateFromIso(span.to)}::date`;
  return periods.map((_, i) => ({
    underpaid: { cents: num(row?.[`cents${i}`]), lines: num(row?.[`lines${i}`]) },
    recovered: { cents: num(row?.[`recoveredCents${i}`]), lines: num(row?.[`recoveredLines${i}`]) },
  }));
}

/**
 * Undercoding candidates (97110 lines that could be 97530, not dismissed) of each period: the
 * whole weeks from the weekly rollup (RevenueWeek's undercoding gain and candidates, the same
 * rule), the days at the edges from the lines of those days. The caller brings the rollup up to
 * date first.
 */
async function undercoding(practiceId: number, periods: readonly Period[], client: Pick<Tx, "$queryRaw"> = db()): Promise<Amount[]> {
  const scope = analyticsScope(practiceId);
  const split = periods.map((period) => {
    const { weeks, edges } = splitPeriod(period.from, period.to);
    return { weeks: weeks && { from: weeks[0], to: weeks[1] }, edges: edges.map(([from, to]) => ({ from, to })) };
  });
  const weekly = split.flatMap((part) => (part.weeks ? [part.weeks] : []));
  const edges = split.flatMap((part) => part.edges);
  const weekSpan = spanOf(weekly.length > 0 ? weekly : periods);
  const weekColumns = split.map((part, periodIndex) => {
    const inPeriod = part.weeks
      ? Prisma.sql`rw."weekStart" between ${dateFromIso(part.weeks.from)}::date and ${dateFromIso(part.weeks.to)}::date`
      : Prisma.sql`false`;
    return Prisma.sql`coalesce(sum(rw."undercodingGainCents") filter (where ${inPeriod}), 0) as ${Prisma.raw(`"cents${periodIndex}"`)},
                      coalesce(sum(rw."undercodingLines") filter (where ${inPeriod}), 0) as ${Prisma.raw(`"lines${periodIndex}"`)}`;
  });
  const onDays = (column: Prisma.Sql, days: readonly Period[]) =>
    days.length === 0
      ? Prisma.sql`false`
      : Prisma.sql`(${Prisma.join(
          days.map((day) => Prisma.sql`${column} between ${dateFromIso(day.from)}::date and ${dateFromIso(day.to)}::date`),
          " or ",
        )})`;
  const dos = Prisma.sql`v."dateOfService"`;
  const edgeColumns = split.map((part, periodIndex) => {
    const inPeriod = onDays(dos, part.edges);
    return Prisma.sql`coalesce(sum(s."undercodingGainCents") filter (where ${inPeriod}), 0) as ${Prisma.raw(`"cents${periodIndex}"`)},
                      count(*) filter (where ${inPeriod}) as ${Prisma.raw(`"lines${periodIndex}"`)}`;
  });
  const [[weeks], [days]] = await Promise.all([
    weekly.length === 0
      ? [undefined]
      : client.$queryRaw<Record<string, unknown>[]>`
          select ${Prisma.join(weekColumns)}
          from "RevenueWeek" rw
          where ${scope.where("rw")}
            and rw."weekStart" between ${dateFromIso(weekSpan.from)}::date and ${dateFromIso(weekSpan.to)}::date`,
    edges.length === 0
      ? [undefined]
      : client.$queryRaw<Record<string, unknown>[]>`
          select ${Prisma.join(edgeColumns)}
          from "Visit" v
          ${candidateLinesOfVisit(true, Prisma.sql`and s."undercodingDirection" = 'could_be_97530'`)}
          left join "UndercodingReview" ur on ur."serviceLineId" = s.id
          where ${scope.where("v")} and ${onDays(dos, edges)}
            and ur.decision is distinct from 'DISMISSED'`,
  ]);
  return periods.map((_, i) => ({
    cents: num(weeks?.[`cents${i}`]) + num(days?.[`cents${i}`]),
    lines: num(weeks?.[`lines${i}`]) + num(days?.[`lines${i}`]),
  }));
}

/**
 * Lines denied for a missing KX in each period: the denials list's lines (lib/server/denials/
 * query.ts: the same day, cause and duplicates rule), valued at what the payer would have
 * allowed with KX rather than at the charge. Those matched to our lines from the daily sums
 * (DenialDay), those matched to none from their rows (a handful, behind a partial index). The
 * caller brings the rollup up to date first.
 */
async function kxDenied(practiceId: number, periods: readonly Period[], client: Pick<Tx, "$queryRaw"> = db()): Promise<Amount[]> {
  const span = spanOf(periods);
  const columns = periods.map((period, periodIndex) => {
    const inPeriod = Prisma.sql`k.day between ${dateFromIso(period.from)}::date and ${dateFromIso(period.to)}::date`;
    return Prisma.sql`coalesce(sum(k.cents) filter (where ${inPeriod}), 0) as ${Prisma.raw(`"cents${periodIndex}"`)},
                      coalesce(sum(k.lines) filter (where ${inPeriod}), 0) as ${Prisma.raw(`"lines${periodIndex}"`)}`;
  });
  const from = dateFromIso(span.from);
  const to = dateFromIso(span.to);
  const [row] = await client.$queryRaw<Record<string, unknown>[]>`
    select ${Prisma.join(columns)}
    from (
      select d.day, d.lines::bigint as lines, d."expectedCents" as cents
      from "DenialDay" d
      where d."practiceId" = ${practiceId} and d.cause = 'missing_kx' and d.day between ${from}::date and ${to}::date
      union all
      select coalesce(rl."serviceDate", rp."paymentDate"), 1, coalesce(rl."expectedAllowedCents", 0)
      from "RemitLine" rl
      join "RemitClaim" rc on rc.id = rl."remitClaimId"
      join "RemitPayment" rp on rp.id = rc."paymentId"
      where rl."practiceId" = ${practiceId} and rl."denialCause" is not null and rl."serviceLineId" is null
        and rl."denialCause" = 'missing_kx' and rl."netRole" not in ('duplicate', 'duplicate_reversed')
        and coalesce(rl."serviceDate", rp."paymentDate") between ${from}::date and ${to}::date
    ) k`;
  return periods.map((_, i) => ({ cents: num(row?.[`cents${i}`]), lines: num(row?.[`lines${i}`]) }));
}

/**
 * The lines open at the end of `asOf`, in one pass for aggregates: the rule of openLinesSql
 * (lines.ts: lines with an expected amount served by then whose claim's latest remit dated by
 * then is not final, or that have no claim or no remit), with each claim's latest remit taken
 * once per claim instead of once per visit. Columns: "payerId", payer, dos, cents.
 */
function openLinesForTotals(practiceId: number, asOf: string, servedBy: string = asOf, payerId: number | null = null): Prisma.Sql {
  const scope = analyticsScope(practiceId);
  const final = [...FINAL_CLAIM_STATUSES];
  const payer = payerId ? Prisma.sql`and v."payerId" = ${payerId}` : Prisma.empty;
  return Prisma.sql`
    with cs as (
      select distinct on (rc."claimId") rc."claimId", rc."statusCode"
      from "RemitClaim" rc
      join "RemitPayment" pay on pay.id = rc."paymentId"
      ${remitDaySql("pay", practiceTimeZone(practiceId))}
      where rc."practiceId" = ${practiceId} and rc."claimId" is not null and d.on_date <= ${dateFromIso(asOf)}::date
      order by rc."claimId", d.on_date desc, rc.id desc
    )
    select v."payerId", p.name as payer, v."dateOfService" as dos, s."expectedAllowedCents" as cents
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id and s."expectedAllowedCents" is not null
    join "Payer" p on p.id = v."payerId"
    left join cs on cs."claimId" = v."claimId"
    where ${scope.where("v")} and v."dateOfService" <= ${dateFromIso(servedBy < asOf ? servedBy : asOf)}::date
      and not coalesce(cs."statusCode" = any(${final}::text[]), false) ${payer}`;
}

/** Count and expected allowed of the lines open at the end of `asOf` served on or before `servedBy`. */
export async function openLinesTotal(practiceId: number, asOf: string, servedBy: string, payerId: number | null = null): Promise<Amount> {
  const [row] = await db().$queryRaw<{ cents: unknown; lines: unknown }[]>`
    select coalesce(sum(o.cents), 0) as cents, count(*) as lines from (${openLinesForTotals(practiceId, asOf, servedBy, payerId)}) o`;
  return { cents: num(row?.cents), lines: num(row?.lines) };
}

/**
 * Open receivables today by payer and age (days from the date of service to today), from the
 * rollup's ReceivableDay rows (brought up to date first): the lines openLinesForTotals would
 * find, summed by day of service and payer when their week was last rebuilt.
 */
export async function receivablesAging(practiceId: number, today: string): Promise<AgingRow[]> {
  await refreshRevenueRollup(practiceId);
  const scope = analyticsScope(practiceId);
  const day = dateFromIso(today);
  const rows = await db().$queryRaw<{ payerId: unknown; payer: string; bucket: number; cents: unknown; lines: unknown }[]>`
    select rd."payerId", p.name as payer,
           case when a.age <= 30 then 0 when a.age <= 60 then 1 when a.age <= 90 then 2 else 3 end as bucket,
           sum(rd."expectedCents") as cents, sum(rd.lines) as lines
    from "ReceivableDay" rd
    join "Payer" p on p.id = rd."payerId"
    cross join lateral (select ${day}::date - rd."dateOfService" as age) a
    where ${scope.where("rd")} and rd."dateOfService" <= ${day}::date
      and (rd."openFrom" is null or rd."openFrom" <= ${day}::date)
      and (rd."openUntil" is null or rd."openUntil" > ${day}::date)
    group by 1, 2, 3`;
  const byPayer = new Map<number, AgingRow>();
  for (const sqlRow of rows) {
    const payerId = num(sqlRow.payerId);
    const row = byPayer.get(payerId) ?? { payerId, payer: String(sqlRow.payer), buckets: [0, 0, 0, 0], lines: [0, 0, 0, 0], totalCents: 0 };
    const bucket = num(sqlRow.bucket) as 0 | 1 | 2 | 3;
    row.buckets[bucket] += num(sqlRow.cents);
    row.lines[bucket] += num(sqlRow.lines);
    row.totalCents += num(sqlRow.cents);
    byPayer.set(payerId, row);
  }
  return [...byPayer.values()].sort((a, b) => b.buckets[3] - a.buckets[3] || b.totalCents - a.totalCents || a.payer.localeCompare(b.payer));
}

/** The headline of the owner's review, as of today in the practice's time zone. */
export async function moneyLeftOnTable(practiceId: number, timeZone: string, now: Date = new Date()): Promise<MoneyLeftOnTable> {
  const today = todayIn(timeZone, now);
  const { ytd, last13 } = headlinePeriods(today);
  // each figure of both periods in one pass over the dates they span (the two overlap but for
  // the first weeks of a year)
  const periods = [ytd, last13] as const;
  // every figure from the rollup's sums (weekly, daily; the lines only for the days at the edges
  // of a period and the denials matched to none of our lines), brought up to date first
  await refreshRevenueRollup(practiceId);
  const [underpaid, uc, kx, aging] = await Promise.all([
    underpayments(practiceId, periods),
    undercoding(practiceId, periods),
    kxDenied(practiceId, periods),
    receivablesAging(practiceId, today),
  ]);
  const period = (i: 0 | 1): LeftOnTablePeriod => ({
    key: i === 0 ? "ytd" : "13w",
    label: i === 0 ? "Year to date" : "Last 13 weeks",
    from: periods[i].from,
    to: periods[i].to,
    lastWeek: i === 0 ? weekStartOf(today) : last13.lastWeek,
    weeks: i === 1 ? 13 : null,
    underpaid: underpaid[i]!.underpaid,
    recovered: underpaid[i]!.recovered,
    undercoding: uc[i]!,
    kxDenied: kx[i]!,
  });
  const agingTotals = aging.reduce<[number, number, number, number]>(
    (t, r) => [t[0] + r.buckets[0], t[1] + r.buckets[1], t[2] + r.buckets[2], t[3] + r.buckets[3]],
    [0, 0, 0, 0],
  );
  const over90 = aging.reduce((t, r) => ({ cents: t.cents + r.buckets[3], lines: t.lines + r.lines[3] }), { cents: 0, lines: 0 });
  return { today, periods: [period(0), period(1)], arOver90: over90, over90ServedBy: addDays(today, -91), aging, agingTotals };
}

export interface TherapistRevenueRow {
  therapistId: number;
  name: string;
  credential: string;
  visits: number;
  expectedCents: number;
  paidCents: number;
  adjudicatedLines: number;
  lines: number;
  units97530: number;
  units97110: number;
  share97530: number | null;
}

/** Each therapist's revenue (expected allowed, paid so far) and 97530 share over a run of service weeks. */
export async function therapistRevenue(practiceId: number, firstWeek: string, lastWeek: string): Promise<TherapistRevenueRow[]> {
  const scope = analyticsScope(practiceId);
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select rw."therapistId", t.name, t.credential::text as credential, sum(rw.visits) as visits,
           sum(rw."expectedCents") as "expectedCents", sum(rw."paidCents") as "paidCents",
           sum(rw."adjudicatedLines") as "adjudicatedLines", sum(rw.lines) as lines,
           sum(rw."units97530") as "units97530", sum(rw."units97110") as "units97110"
    from "RevenueWeek" rw join "Therapist" t on t.id = rw."therapistId"
    where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(firstWeek)}::date and ${dateFromIso(lastWeek)}::date
    group by rw."therapistId", t.name, t.credential`;
  return rows
    .map((row) => {
      const u30 = num(row.units97530);
      const u10 = num(row.units97110);
      return {
        therapistId: num(row.therapistId),
        name: String(row.name),
        credential: String(row.credential),
        visits: num(row.visits),
        expectedCents: num(row.expectedCents),
        paidCents: num(row.paidCents),
        adjudicatedLines: num(row.adjudicatedLines),
        lines: num(row.lines),
        units97530: u30,
        units97110: u10,
        share97530: u30 + u10 > 0 ? u30 / (u30 + u10) : null,
      };
    })
    .sort((a, b) => b.expectedCents - a.expectedCents || a.name.localeCompare(b.name));
}
