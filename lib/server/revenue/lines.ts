// The lines behind each figure of the weekly review: the same definitions as the rollup
// (rollup.ts, docs/metrics.md) applied line by line, so a drill-down adds up to its card.
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "../core/db";
import { candidateSpans, pageWindow, serialPageReads, spanCount } from "./undercoding-spans";
import { probePerVisit, UNDERPAID_ROW, underpaidRemitsOfVisit, withIndexFriendlyPlans } from "./planner";
import { dateFromIso, isoDate } from "../core/dates";
import { KPI_KEYS, type KpiKey } from "./definitions";
import { FINAL_CLAIM_STATUSES, refreshRevenueRollup, remitDaySql } from "../derived/rollup";
import type { AnalyticsScope } from "./scope";
import { addDays, addWeeks, weekEnd, weekStartOf } from "./weeks";
import { LIST_PAGE_SIZE, pageOffset } from "@/lib/ui/paging";

/** the drill-down shows a page of the app's list size (lib/ui/paging.ts) */
export const DRILL_PAGE_SIZE = LIST_PAGE_SIZE;

export interface DrillFilter {
  metric: KpiKey;
  /** Monday of the (last) service week */
  week: string;
  /** 1 (default) or 13: the weeks ending with `week` */
  weeks?: number;
  payerId?: number | null;
  therapistId?: number | null;
  page?: number;
  /** dates of service from … to (inclusive) instead of the weeks ending with `week` */
  from?: string | null;
  to?: string | null;
  /** open receivables only: open at the end of this day instead of the week's end (e.g. today) */
  asOf?: string | null;
  /** open receivables only: the lines served more than this many days before `asOf` */
  minAgeDays?: number | null;
}

export interface DrillLine {
  lineId: number;
  visitId: number;
  visitExternalId: string;
  dateOfService: string;
  patientExternalId: string;
  claim: string | null;
  payer: string;
  therapist: string;
  therapistNpi: string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  expectedCents: number | null;
  /** why a line without an expected amount has none ("No Medicare price for 92507: load …"), else null */
  noPrice: string | null;
  paidCents: number;
  patientRespCents: number;
  remitAllowedCents: number;
  adjudicated: boolean;
  denied: boolean;
  denialCause: string | null;
  underpaymentCents: number;
  /** open receivables: the claim's latest remit by the week's end (not final), if any */
  lastRemitOn: string | null;
  lastRemitStatus: string | null;
  undercodingDirection: "could_be_97530" | "reads_as_exercise" | null;
  undercodingGainCents: number | null;
  undercodingTerms: string[];
  note: string;
  reviewDecision: "CONFIRMED" | "DISMISSED" | null;
  reviewReason: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export interface DrillTotals {
  lines: number;
  visits: number;
  units: number;
  chargeCents: number;
  expectedCents: number;
  paidCents: number;
  patientRespCents: number;
  underpaymentCents: number;
  undercodingGainCents: number;
  deniedLines: number;
  adjudicatedLines: number;
  ncrNumeratorCents: number;
  ncrDenominatorCents: number;
}

export interface DrillDown {
  filter: Required<Omit<DrillFilter, "payerId" | "therapistId" | "asOf" | "minAgeDays" | "from" | "to">> & {
    from: string | null;
    to: string | null;
    payerId: number | null;
    therapistId: number | null;
    asOf: string | null;
    minAgeDays: number | null;
  };
  from: string;
  to: string;
  rows: DrillLine[];
  totals: DrillTotals;
  hasMore: boolean;
}

export function isKpiKey(value: unknown): value is KpiKey {
  return typeof value === "string" && (KPI_KEYS as readonly string[]).includes(value);
}

function num(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : typeof value === "number" ? value : value == null ? 0 : Number(value);
}

function toLine(row: Record<string, unknown>): DrillLine {
  return {
    lineId: num(row.lineId),
    visitId: num(row.visitId),
    visitExternalId: String(row.visitExternalId),
    dateOfService: isoDate(row.dos as Date),
    patientExternalId: String(row.patientExternalId),
    claim: (row.claim as string | null) ?? null,
    payer: String(row.payer),
    therapist: String(row.therapist),
    therapistNpi: String(row.therapistNpi),
    lineOrder: num(row.lineOrder),
    cpt: String(row.cpt),
    modifiers: (row.modifiers as string[]) ?? [],
    units: num(row.units),
    chargeCents: num(row.charge),
    expectedCents: row.expected == null ? null : num(row.expected),
    noPrice: row.expected == null ? ((row.noPrice as string | null) ?? "no expected amount") : null,
    paidCents: num(row.paid),
    patientRespCents: num(row.pr),
    remitAllowedCents: num(row.allowed),
    adjudicated: Boolean(row.adjudicated),
    denied: Boolean(row.denied),
    denialCause: (row.denialCause as string | null) ?? null,
    underpaymentCents: num(row.underpayment),
    lastRemitOn: row.lastRemitOn ? isoDate(row.lastRemitOn as Date) : null,
    lastRemitStatus: (row.lastRemitStatus as string | null) ?? null,
    undercodingDirection: (row.ucDirection as DrillLine["undercodingDirection"]) ?? null,
    undercodingGainCents: row.ucGain == null ? null : num(row.ucGain),
    undercodingTerms: (row.ucTerms as string[]) ?? [],
    note: String(row.note ?? ""),
    reviewDecision: (row.decision as DrillLine["reviewDecision"]) ?? null,
    reviewReason: (row.reason as string | null) ?? null,
    reviewedBy: (row.reviewedBy as string | null) ?? null,
    reviewedAt: row.reviewedAt ? (row.reviewedAt as Date).toISOString() : null,
  };
}

/**
 * Lines of the service weeks with their remit figures (ServiceLineRemit, net of reversals; a line
 * without a row has none), one row per line; with "underpaid", only the underpaid lines: read by
 * their date of service (and payer) in ServiceLineRemit_underpaid_date_idx, or for one
 * therapist's visits through ServiceLineRemit_underpaid_idx by visit.
 */
function weekLinesSql(
  scope: AnalyticsScope,
  from: string,
  to: string,
  payerId: number | null,
  therapistId: number | null,
  lines: "underpaid" | Prisma.Sql = Prisma.empty,
  upTo?: number,
): Prisma.Sql {
  const payer = payerId ? Prisma.sql`and v."payerId" = ${payerId}` : Prisma.empty;
  const therapist = therapistId ? Prisma.sql`and v."therapistId" = ${therapistId}` : Prisma.empty;
  const period = Prisma.sql`between ${dateFromIso(from)}::date and ${dateFromIso(to)}::date`;
  let from_: Prisma.Sql;
  let where_ = Prisma.empty;
  let cut = Prisma.empty;
  // the period's visits (of the payer, of the therapist), which the lines are read from; the
  // underpaid lines of every therapist are read from their own rows instead
  let visits = Prisma.sql`v as (
      select v.id, v."externalId", v."dateOfService", v."payerId", v."therapistId", v."patientId", v."claimId"
      from "Visit" v
      where ${scope.where("v")} and v."dateOfService" ${period} ${payer} ${therapist}
    ),`;
  if (lines === "underpaid" && !therapistId) {
    // the period's underpaid lines (of the payer) by the date and payer they carry, each one's visit
    // and line then read by key: a quarter of Medicare's at a million visits is 3,610 lines, where
    // probing each of its 33,876 visits in the index by visit took 65 ms
    const rows = Prisma.sql`${scope.where("r")} and ${UNDERPAID_ROW} and r."dateOfService" ${period}
      ${payerId ? Prisma.sql`and r."payerId" = ${payerId}` : Prisma.empty}`;
    from_ = Prisma.sql`from "ServiceLineRemit" r
      cross join lateral (
        select v.id, v."externalId", v."dateOfService", v."payerId", v."therapistId", v."patientId", v."claimId"
        from "Visit" v where v.id = r."visitId" and ${scope.where("v")} offset 0) v
      join "ServiceLine" s on s.id = r."serviceLineId"`;
    where_ = Prisma.sql`where ${rows}`;
    visits = Prisma.empty;
    if (upTo !== undefined) {
      // A page needs only the lines up to its last in the drill's order (underpayment, largest
      // first, then date, visit and line: metricFilter). The row carries all of that key but the
      // line's order; the lines whose (underpayment, date, visit) come no later than those of the
      // upTo-th line are the page's and the lines before it with every tie, and only they are read
      // with their visit and line (51 of 3,610 for a quarter's first page, instead of all).
      const key = Prisma.sql`-(r."expectedAllowedCents" - r."remitAllowedNetCents"), r."dateOfService", r."visitId"`;
      cut = Prisma.sql`cut as (
      select ${key} from "ServiceLineRemit" r where ${rows} order by 1, 2, 3 offset ${upTo - 1} limit 1
    ),`;
      where_ = Prisma.sql`where ${rows} and (not exists (select 1 from cut) or (${key}) <= (select * from cut))`;
    }
  } else if (lines === "underpaid") {
    // one therapist's visits, each looked up in ServiceLineRemit_underpaid_idx over a quarter at most (planner.ts)
    from_ = Prisma.sql`from v
      ${underpaidRemitsOfVisit(probePerVisit(from, to))}
      join "ServiceLine" s on s.id = r."serviceLineId"`;
  } else {
    from_ = Prisma.sql`from v
      join "ServiceLine" s on s."visitId" = v.id ${lines}
      left join "ServiceLineRemit" r on r."serviceLineId" = s.id`;
  }
  return Prisma.sql`
    ${visits}
    ${cut}
    x as (
      select s.id, s."visitId", v."dateOfService" as dos, v."externalId" as visit_external_id, v."patientId", v."payerId",
             v."therapistId", v."claimId", s."lineOrder", s.cpt, s.modifiers, s."unitsBilled" as units, s."chargeCents" as charge,
             s."expectedAllowedCents" as expected, s."expectedNote" as no_price, s.note, s."undercodingDirection"::text as uc_direction,
             s."undercodingGainCents" as uc_gain, s."undercodingTerms" as uc_terms,
             coalesce(r."remitLineCount", 0) > 0 as has_remit,
             coalesce(r."remitPaidCents", 0) as paid, coalesce(r."remitPatientRespCents", 0) as pr,
             coalesce(r."remitAllowedNetCents", 0) as allowed,
             coalesce(r."remitNetCount", 0) > 0 as adjudicated,
             coalesce(r."remitNetCount", 0) > 0 and r."remitDenialCause" is not null as denied,
             case when r."remitNetCount" > 0 then r."remitDenialCause" end as denial_cause,
             case when r."remitNetCount" > 0 and r."remitDenialCause" is null and s."expectedAllowedCents" is not null
                  then greatest(s."expectedAllowedCents" - r."remitAllowedNetCents", 0) else 0 end as underpayment,
             ur.decision::text as decision, ur.reason, ur."createdAt" as reviewed_at, ur."userId" as reviewer_id
      ${from_}
      left join "UndercodingReview" ur on ur."serviceLineId" = s.id
      ${where_}
    )`;
}

/**
 * The metrics whose drill-down totals come from the rollup (the caller refreshes it first): the
 * lines with a remit (paid, patient responsibility), the adjudicated ones (denial rate) and the
 * underpaid ones (underpayment: RevenueWeek's underpaid lines and underpayment have the lines'
 * definitions, docs/metrics.md). Their totals hold the figures of those lines (count, paid, patient
 * responsibility, denied and adjudicated lines, net collection, underpayment); visits, units,
 * charges, expected and undercoding are left at 0, as no summary of these metrics shows them.
 */
function rollupTotals(metric: KpiKey): boolean {
  return metric === "paid" || metric === "patient_resp" || metric === "denial_rate" || metric === "underpayment";
}

/** Which of the week's lines stand behind each metric. */
function metricFilter(metric: KpiKey): { where: Prisma.Sql; order: Prisma.Sql } {
  // date, visit id, line order: the order of the indexes Visit (practiceId, dateOfService, id) and
  // ServiceLine (visitId, lineOrder), so a page of a quarter's lines stops after its rows
  const byDate = Prisma.sql`x.dos, x."visitId", x."lineOrder"`;
  switch (metric) {
    case "paid":
    case "patient_resp":
      return { where: Prisma.sql`x.has_remit`, order: byDate };
    case "denial_rate":
      return { where: Prisma.sql`x.adjudicated`, order: byDate };
    case "net_collection_rate":
      return { where: Prisma.sql`x.adjudicated and x.expected is not null`, order: byDate };
    case "underpayment":
      return { where: Prisma.sql`x.underpayment > 0`, order: Prisma.sql`x.underpayment desc, ${byDate}` };
    case "undercoding":
      return { where: Prisma.sql`x.uc_direction is not null`, order: byDate };
    default:
      return { where: Prisma.sql`true`, order: byDate };
  }
}

function normalize(filter: DrillFilter): DrillDown["filter"] {
  return {
    metric: filter.metric,
    week: filter.week,
    weeks: filter.weeks === 13 ? 13 : 1,
    payerId: filter.payerId ?? null,
    therapistId: filter.therapistId ?? null,
    page: Math.max(1, Math.floor(filter.page ?? 1)),
    asOf: filter.asOf ?? null,
    minAgeDays: filter.minAgeDays ?? null,
    from: filter.from && filter.to && filter.from <= filter.to ? filter.from : null,
    to: filter.from && filter.to && filter.from <= filter.to ? filter.to : null,
  };
}

export async function drillDown(scope: AnalyticsScope, input: DrillFilter): Promise<DrillDown> {
  const filter = normalize(input);
  if (filter.metric === "open_ar" || filter.metric === "days_ar") {
    return openReceivableLines(scope, { ...filter, weeks: 1, payerId: filter.payerId, therapistId: null });
  }
  const from = filter.from ?? addWeeks(filter.week, -(filter.weeks - 1));
  const to = filter.to ?? weekEnd(filter.week);
  if (filter.metric === "undercoding") return undercodingDrill(scope, filter, from, to);
  // the underpaid lines through their partial indexes (weekLinesSql); their page reads only the
  // lines up to its last (upTo), their totals (of a period not of whole weeks) every one
  const lines = filter.metric === "underpayment" ? "underpaid" : Prisma.empty;
  const ctes = weekLinesSql(scope, from, to, filter.payerId, filter.therapistId, lines);
  const { where, order } = metricFilter(filter.metric);
  const offset = pageOffset(filter.page, DRILL_PAGE_SIZE);
  const pageCtes =
    lines === "underpaid" ? weekLinesSql(scope, from, to, filter.payerId, filter.therapistId, lines, offset + DRILL_PAGE_SIZE + 1) : ctes;
  if (rollupTotals(filter.metric) && scope.practiceId !== null) await refreshRevenueRollup(scope.practiceId);
  // the page and its totals read at once, each in a read transaction of its own: neither needs
  // the other (a quarter's page of underpaid lines of one payer at a million visits: about 15 ms)
  const [rows, totalsRows] = await Promise.all([
    withIndexFriendlyPlans((tx) => drillPage(tx, pageCtes, where, order, offset)),
    withIndexFriendlyPlans(async (tx) => {
      // the lines with a remit, the adjudicated and the underpaid ones of whole service weeks: their
      // figures are the rollup's (RevenueWeek, the same definitions), not a re-read of every line of the weeks
      if (rollupTotals(filter.metric) && from === weekStartOf(from) && to === weekEnd(weekStartOf(to))) {
        const payer = filter.payerId ? Prisma.sql`and rw."payerId" = ${filter.payerId}` : Prisma.empty;
        const therapist = filter.therapistId ? Prisma.sql`and rw."therapistId" = ${filter.therapistId}` : Prisma.empty;
        // the underpaid lines' figures are their count and underpayment; the others' those of the lines with a remit
        const figures =
          filter.metric === "underpayment"
            ? Prisma.sql`coalesce(sum(rw."underpaidLines"), 0) as lines, coalesce(sum(rw."underpaymentCents"), 0) as "underpaymentCents"`
            : Prisma.sql`coalesce(sum(${filter.metric === "denial_rate" ? Prisma.sql`rw."adjudicatedLines"` : Prisma.sql`rw."remittedLines"`}), 0) as lines,
             coalesce(sum(rw."paidCents"), 0) as "paidCents", coalesce(sum(rw."patientRespCents"), 0) as "patientRespCents",
             coalesce(sum(rw."deniedLines"), 0) as "deniedLines", coalesce(sum(rw."adjudicatedLines"), 0) as "adjudicatedLines",
             coalesce(sum(rw."ncrNumeratorCents"), 0) as "ncrNumeratorCents", coalesce(sum(rw."ncrDenominatorCents"), 0) as "ncrDenominatorCents"`;
        return tx.$queryRaw<Record<string, unknown>[]>`
      select ${figures}
      from "RevenueWeek" rw
      where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(from)}::date and ${dateFromIso(to)}::date ${payer} ${therapist}`;
      }
      return tx.$queryRaw<Record<string, unknown>[]>`
    with ${ctes}
    select count(*) as lines, count(distinct x."visitId") as visits, coalesce(sum(x.units), 0) as units,
           coalesce(sum(x.charge), 0) as "chargeCents", coalesce(sum(x.expected), 0) as "expectedCents",
           coalesce(sum(x.paid), 0) as "paidCents", coalesce(sum(x.pr), 0) as "patientRespCents",
           coalesce(sum(x.underpayment), 0) as "underpaymentCents",
           coalesce(sum(coalesce(x.uc_gain, 0)) filter (where x.uc_direction = 'could_be_97530' and x.decision is distinct from 'DISMISSED'), 0) as "undercodingGainCents",
           count(*) filter (where x.denied) as "deniedLines", count(*) filter (where x.adjudicated) as "adjudicatedLines",
           coalesce(sum(x.paid + x.pr) filter (where x.adjudicated and x.expected is not null), 0) as "ncrNumeratorCents",
           coalesce(sum(x.expected) filter (where x.adjudicated and x.expected is not null), 0) as "ncrDenominatorCents"
    from x
    where ${where}`;
    }),
  ]);
  const totals = totalsRows[0] ?? {};
  return {
    filter,
    from,
    to,
    rows: rows.slice(0, DRILL_PAGE_SIZE).map(toLine),
    hasMore: rows.length > DRILL_PAGE_SIZE,
    totals: {
      lines: num(totals.lines),
      visits: num(totals.visits),
      units: num(totals.units),
      chargeCents: num(totals.chargeCents),
      expectedCents: num(totals.expectedCents),
      paidCents: num(totals.paidCents),
      patientRespCents: num(totals.patientRespCents),
      underpaymentCents: num(totals.underpaymentCents),
      undercodingGainCents: num(totals.undercodingGainCents),
      deniedLines: num(totals.deniedLines),
      adjudicatedLines: num(totals.adjudicatedLines),
      ncrNumeratorCents: num(totals.ncrNumeratorCents),
      ncrDenominatorCents: num(totals.ncrDenominatorCents),
    },
  };
}

/** A page of a drill-down's lines (`where` and `order` of metricFilter) with the names of its rows; one row more than a page says there is more. */
function drillPage(tx: Tx, ctes: Prisma.Sql, where: Prisma.Sql, order: Prisma.Sql, offset: number) {
  return tx.$queryRaw<Record<string, unknown>[]>`
    with ${ctes},
    page as (
      -- the page first, then the names of its rows only
      select x.* from x where ${where} order by ${order} limit ${DRILL_PAGE_SIZE + 1} offset ${offset}
    )
    select x.id as "lineId", x."visitId", x.visit_external_id as "visitExternalId", x.dos,
           pt."externalId" as "patientExternalId", c."patientControlNumber" as claim, p.name as payer,
           t.name as therapist, t.npi as "therapistNpi", x."lineOrder", x.cpt, x.modifiers, x.units, x.charge, x.expected,
           x.no_price as "noPrice", x.paid, x.pr, x.allowed, x.adjudicated, x.denied, x.denial_cause as "denialCause", x.underpayment,
           x.uc_direction as "ucDirection", x.uc_gain as "ucGain", x.uc_terms as "ucTerms", x.note, x.decision, x.reason,
           x.reviewed_at as "reviewedAt", u.name as "reviewedBy", null as "lastRemitOn", null as "lastRemitStatus"
    from page x
    left join "User" u on u.id = x.reviewer_id
    join "Patient" pt on pt.id = x."patientId"
    join "Payer" p on p.id = x."payerId"
    join "Therapist" t on t.id = x."therapistId"
    left join "Claim" c on c.id = x."claimId"
    order by ${order}`;
}

/**
 * The undercoding candidates of a period (both directions, dismissed ones too), oldest first. The
 * count and the potential gain of those not dismissed come from the weekly rollup with the reviews
 * (undercoding-spans.ts), which also says which dates the page's lines lie on: only those visits
 * are read, each probed in the candidates' partial index. Counting and summing every line of two
 * years read 3 million lines at a million visits (docs/performance.md). Visits, units, charges and
 * the other figures no summary of this metric shows are left at 0.
 */
async function undercodingDrill(scope: AnalyticsScope, filter: DrillDown["filter"], from: string, to: string): Promise<DrillDown> {
  if (scope.practiceId !== null) await refreshRevenueRollup(scope.practiceId);
  const { where, order } = metricFilter("undercoding");
  const spanFilter = { from, to, payerId: filter.payerId, therapistId: filter.therapistId };
  const { rows, spans } = await withIndexFriendlyPlans(async (tx) => {
    await serialPageReads(tx);
    const spans = await candidateSpans(tx, scope, spanFilter);
    const counted = spans.map((s) => ({ from: s.from, to: s.to, n: spanCount(s, "all") }));
    const window = pageWindow(counted, pageOffset(filter.page, DRILL_PAGE_SIZE), DRILL_PAGE_SIZE + 1);
    if (!window) return { rows: [], spans };
    const ctes = weekLinesSql(scope, window.from, window.to, filter.payerId, filter.therapistId, CANDIDATE_LINES);
    return { rows: await drillPage(tx, ctes, where, order, window.skip), spans };
  });
  return {
    filter,
    from,
    to,
    rows: rows.slice(0, DRILL_PAGE_SIZE).map(toLine),
    hasMore: rows.length > DRILL_PAGE_SIZE,
    totals: {
      lines: spans.reduce((n, s) => n + spanCount(s, "all"), 0),
      visits: 0,
      units: 0,
      chargeCents: 0,
      expectedCents: 0,
      paidCents: 0,
      patientRespCents: 0,
      underpaymentCents: 0,
      undercodingGainCents: spans.reduce((n, s) => n + s.gainCents, 0),
      deniedLines: 0,
      adjudicatedLines: 0,
      ncrNumeratorCents: 0,
      ncrDenominatorCents: 0,
    },
  };
}

/** the candidate lines as the partial index ServiceLine_undercoding_candidate_idx says them */
const CANDIDATE_LINES = Prisma.sql`and s."undercodingDirection" is not null`;

/**
 * FROM … WHERE of the lines open at the end of `asOf`: lines with an expected allowed amount,
 * a date of service up to `servedBy` (at most `asOf`), and no claim or a claim whose latest
 * remit dated by `asOf` (payment date, else the import day in the practice's time zone) is not
 * final: the rule of ReceivableWeek, line by line. Aliases: v, s, cs (the claim's latest remit:
 * "statusCode", on_date), pt, p, t, c.
 */
export function openLinesSql(scope: AnalyticsScope, asOf: string, servedBy: string = asOf, payerId: number | null = null): Prisma.Sql {
  const payer = payerId ? Prisma.sql`and v."payerId" = ${payerId}` : Prisma.empty;
  const final = [...FINAL_CLAIM_STATUSES];
  const tz = Prisma.sql`(select "timeZone" from "Practice" where id = v."practiceId")`;
  return Prisma.sql`
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id and s."expectedAllowedCents" is not null
    left join lateral (
      select rc."statusCode", d.on_date
      from "RemitClaim" rc
      join "RemitPayment" pay on pay.id = rc."paymentId"
      ${remitDaySql("pay", tz)}
      where rc."practiceId" = v."practiceId" and rc."claimId" = v."claimId" and d.on_date <= ${dateFromIso(asOf)}::date
      order by d.on_date desc, rc.id desc
      limit 1
    ) cs on v."claimId" is not null
    join "Patient" pt on pt.id = v."patientId"
    join "Payer" p on p.id = v."payerId"
    join "Therapist" t on t.id = v."therapistId"
    left join "Claim" c on c.id = v."claimId"
    where ${scope.where("v")} and v."dateOfService" <= ${dateFromIso(servedBy < asOf ? servedBy : asOf)}::date
      and not coalesce(cs."statusCode" = any(${final}::text[]), false) ${payer}`;
}

/**
 * Open receivables at the end of the week (or of the day `asOf`, served more than `minAgeDays`
 * before it), line by line: lines with an expected allowed amount, a date of service up to then,
 * and a claim whose latest remit is not final or is dated after it (the same rule as
 * ReceivableDay). Newest first.
 *
 * The receivables rollup (ReceivableDay: open lines by day of service and payer, with the days
 * they were open) says which days of service hold the page's lines and how many lines and
 * dollars are open in all; only those days' visits are read line by line. Walking the visits
 * from the newest back and looking up each claim's latest remit read most of a practice's
 * history for "receivables over 90 days" (8 s at a million visits, docs/performance.md).
 */
async function openReceivableLines(scope: AnalyticsScope, filter: DrillDown["filter"]): Promise<DrillDown> {
  // as of a day (the lines older than an age, e.g. A/R over 90 days today), or at the week's end
  const to = filter.asOf ?? weekEnd(filter.week);
  const servedBy = filter.minAgeDays && filter.minAgeDays > 0 ? addDays(to, -(filter.minAgeDays + 1)) : to;
  const offset = pageOffset(filter.page, DRILL_PAGE_SIZE);
  if (scope.practiceId !== null) await refreshRevenueRollup(scope.practiceId);
  const asOf = dateFromIso(to);
  const payer = filter.payerId ? Prisma.sql`and rd."payerId" = ${filter.payerId}` : Prisma.empty;
  const openDays = Prisma.sql`${scope.where("rd")} and rd."dateOfService" <= ${dateFromIso(servedBy)}::date
      and coalesce(rd."openUntil", 'infinity'::date) > ${asOf}::date
      and (rd."openFrom" is null or rd."openFrom" <= ${asOf}::date) ${payer}`;
  const { rows, totals } = await withIndexFriendlyPlans(async (tx) => {
    // the days of service of the page's lines (and of the one after it, for "more"): newest
    // first, until the lines of the days before the page and of the page are covered
    const days = await tx.$queryRaw<{ day: Date }[]>`
    with d as (select rd."dateOfService" as day, sum(rd.lines) as n from "ReceivableDay" rd where ${openDays} group by 1),
         c as (select day, n, sum(n) over (order by day desc) as covered from d)
    select day from c where covered - n < ${offset + DRILL_PAGE_SIZE + 1} order by day desc`;
    const rows =
      days.length === 0
        ? []
        : await tx.$queryRaw<Record<string, unknown>[]>`
    select s.id as "lineId", v.id as "visitId", v."externalId" as "visitExternalId", v."dateOfService" as dos,
           pt."externalId" as "patientExternalId", c."patientControlNumber" as claim, p.name as payer,
           t.name as therapist, t.npi as "therapistNpi", s."lineOrder", s.cpt, s.modifiers, s."unitsBilled" as units,
           s."chargeCents" as charge, s."expectedAllowedCents" as expected, s."expectedNote" as "noPrice", 0 as paid, 0 as pr, 0 as allowed,
           false as adjudicated, false as denied, null as "denialCause", 0 as underpayment,
           cs.on_date as "lastRemitOn", cs."statusCode" as "lastRemitStatus",
           null as "ucDirection", null as "ucGain", null as "ucTerms", '' as note, null as decision, null as reason,
           null as "reviewedAt", null as "reviewedBy"
    ${openLinesSql(scope, to, servedBy, filter.payerId)}
      and v."dateOfService" = any(${days.map((d) => isoDate(d.day))}::date[])
    order by v."dateOfService" desc, v."externalId", s."lineOrder"
    limit ${DRILL_PAGE_SIZE + 1} offset ${offset}`;
    // totals of exactly those lines from the same rollup rows
    const totals = await tx.$queryRaw<Record<string, unknown>[]>`
    select coalesce(sum(rd.lines), 0) as lines, coalesce(sum(rd."expectedCents"), 0) as "expectedCents"
    from "ReceivableDay" rd
    where ${openDays}`;
    return { rows, totals };
  });
  const totalsRow = totals[0] ?? {};
  return {
    filter,
    from: "",
    to,
    rows: rows.slice(0, DRILL_PAGE_SIZE).map(toLine),
    hasMore: rows.length > DRILL_PAGE_SIZE,
    totals: {
      lines: num(totalsRow.lines),
      visits: 0,
      units: 0,
      chargeCents: 0,
      expectedCents: num(totalsRow.expectedCents),
      paidCents: 0,
      patientRespCents: 0,
      underpaymentCents: 0,
      undercodingGainCents: 0,
      deniedLines: 0,
      adjudicatedLines: 0,
      ncrNumeratorCents: 0,
      ncrDenominatorCents: 0,
    },
  };
}
