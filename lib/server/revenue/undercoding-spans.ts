// How many undercoding candidates each stretch of a period holds, from the weekly rollup, so that
// a list of candidates can count itself and find the dates its page spans without reading every
// candidate line of the period (a practice's year holds tens of thousands of them:
// docs/performance.md, "Undercoding and patient search at a million visits").
//
// Whole service weeks come from RevenueWeek (candidates not dismissed and their gain, by payer
// and therapist, the same definitions as the lines) and from the reviews of their lines (a few
// per week); the days of a period before its first Monday and after its last Sunday are counted
// from their lines. The caller brings the rollup up to date first (refreshRevenueRollup).
import { Prisma } from "@/lib/generated/prisma/client";
import { dateFromIso, isoDate } from "../core/dates";
import type { Tx } from "../core/db";
import { candidateLinesOfVisit } from "./planner";
import type { AnalyticsScope } from "./scope";
import { splitPeriod, weekEnd } from "./weeks";

export type CandidateDirection = "could_be_97530" | "reads_as_exercise";

export interface CandidateSpanFilter {
  from: string;
  to: string;
  direction?: CandidateDirection | null;
  therapistId?: number | null;
  payerId?: number | null;
}

/** The candidates of one stretch of days (a whole week, or one day at an edge of the period). */
export interface CandidateSpan {
  from: string;
  to: string;
  /** candidates not dismissed (not reviewed, or confirmed) */
  kept: number;
  confirmed: number;
  dismissed: number;
  /** potential gain of the could-be-97530 candidates not dismissed */
  gainCents: number;
}

export type CandidateStatus = "open" | "confirmed" | "dismissed" | "all";

/** The candidates of a span that a list of the given review status shows. */
export function spanCount(span: CandidateSpan, status: CandidateStatus): number {
  switch (status) {
    case "open":
      return span.kept - span.confirmed;
    case "confirmed":
      return span.confirmed;
    case "dismissed":
      return span.dismissed;
    default:
      return span.kept + span.dismissed;
  }
}

function num(value: unknown): number {
  return value == null ? 0 : Number(value);
}

/**
 * The candidate spans of a period that hold any candidate, oldest first: whole weeks from the
 * rollup and the reviews, edge days from their lines. Run it in the read transaction of the list.
 */
export async function candidateSpans(tx: Tx, scope: AnalyticsScope, filter: CandidateSpanFilter): Promise<CandidateSpan[]> {
  if (filter.from > filter.to) return [];
  const { edges, weeks } = splitPeriod(filter.from, filter.to);
  const direction = filter.direction ?? null;
  const onLine = direction ? Prisma.sql`and s."undercodingDirection" = ${direction}::"UndercodingDirection"` : Prisma.empty;
  const onVisit = Prisma.sql`${filter.payerId ? Prisma.sql`and v."payerId" = ${filter.payerId}` : Prisma.empty}
    ${filter.therapistId ? Prisma.sql`and v."therapistId" = ${filter.therapistId}` : Prisma.empty}`;
  const spans: CandidateSpan[] = [];
  if (weeks) {
    const [first, last] = weeks;
    const kept =
      direction === "could_be_97530"
        ? Prisma.sql`rw."undercodingLines"`
        : direction === "reads_as_exercise"
          ? Prisma.sql`rw."exerciseRiskLines"`
          : Prisma.sql`rw."undercodingLines" + rw."exerciseRiskLines"`;
    const gain = direction === "reads_as_exercise" ? Prisma.sql`0` : Prisma.sql`rw."undercodingGainCents"`;
    const sums = await tx.$queryRaw<{ week: Date; kept: unknown; gain: unknown }[]>`
      select rw."weekStart" as week, sum(${kept}) as kept, sum(${gain}) as gain
      from "RevenueWeek" rw
      where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(first)}::date and ${dateFromIso(last)}::date
        ${filter.payerId ? Prisma.sql`and rw."payerId" = ${filter.payerId}` : Prisma.empty}
        ${filter.therapistId ? Prisma.sql`and rw."therapistId" = ${filter.therapistId}` : Prisma.empty}
      group by 1`;
    // the reviewed candidates of those weeks: a review belongs to a line that is a candidate
    const reviews = await tx.$queryRaw<{ week: Date; confirmed: unknown; dismissed: unknown }[]>`
      select revenue_week_start(v."dateOfService") as week,
             count(*) filter (where ur.decision = 'CONFIRMED') as confirmed,
             count(*) filter (where ur.decision = 'DISMISSED') as dismissed
      from "UndercodingReview" ur
      join "ServiceLine" s on s.id = ur."serviceLineId" and s."undercodingDirection" is not null ${onLine}
      join "Visit" v on v.id = s."visitId"
      where ${scope.where("ur")} and v."dateOfService" between ${dateFromIso(first)}::date and ${dateFromIso(weekEnd(last))}::date ${onVisit}
      group by 1`;
    const byWeek = new Map<string, CandidateSpan>();
    const span = (week: string) => {
      const found = byWeek.get(week);
      if (found) return found;
      const created = { from: week, to: weekEnd(week), kept: 0, confirmed: 0, dismissed: 0, gainCents: 0 };
      byWeek.set(week, created);
      return created;
    };
    for (const sum of sums) Object.assign(span(isoDate(sum.week)), { kept: num(sum.kept), gainCents: num(sum.gain) });
    for (const week of reviews) Object.assign(span(isoDate(week.week)), { confirmed: num(week.confirmed), dismissed: num(week.dismissed) });
    spans.push(...byWeek.values());
  }
  if (edges.length > 0) {
    const days = Prisma.join(
      edges.map(([a, b]) => Prisma.sql`v."dateOfService" between ${dateFromIso(a)}::date and ${dateFromIso(b)}::date`),
      " or ",
    );
    const rows = await tx.$queryRaw<Record<string, unknown>[]>`
      select v."dateOfService" as day,
             count(*) filter (where ur.decision is distinct from 'DISMISSED') as kept,
             count(*) filter (where ur.decision = 'CONFIRMED') as confirmed,
             count(*) filter (where ur.decision = 'DISMISSED') as dismissed,
             coalesce(sum(coalesce(s."undercodingGainCents", 0))
               filter (where s."undercodingDirection" = 'could_be_97530' and ur.decision is distinct from 'DISMISSED'), 0) as gain
      from "Visit" v
      ${candidateLinesOfVisit(true, onLine)}
      left join "UndercodingReview" ur on ur."serviceLineId" = s.id
      where ${scope.where("v")} and (${days}) ${onVisit}
      group by 1`;
    for (const row of rows) {
      const day = isoDate(row.day as Date);
      spans.push({
        from: day,
        to: day,
        kept: num(row.kept),
        confirmed: num(row.confirmed),
        dismissed: num(row.dismissed),
        gainCents: num(row.gain),
      });
    }
  }
  return spans.filter((span) => span.kept + span.dismissed > 0).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * The dates a page of a list spans, and the rows to skip within them: the list is the spans'
 * candidates in the spans' order (`spans` already in the list's order, each with its count),
 * the page the `size` rows after `offset`. Null when the page is past the end of the list.
 */
export function pageWindow(
  spans: readonly { from: string; to: string; n: number }[],
  offset: number,
  size: number,
): { from: string; to: string; skip: number } | null {
  let before = 0;
  let start = -1;
  let end = -1;
  for (let i = 0; i < spans.length; i++) {
    const rows = spans[i]!.n;
    if (start < 0 && before + rows > offset) start = i;
    if (start >= 0 && before + rows >= offset + size) {
      end = i;
      break;
    }
    before += rows;
  }
  if (start < 0) return null;
  if (end < 0) end = spans.length - 1;
  const dates = [spans[start]!.from, spans[start]!.to, spans[end]!.from, spans[end]!.to].sort();
  let skip = offset;
  for (let i = 0; i < start; i++) skip -= spans[i]!.n;
  return { from: dates[0]!, to: dates[3]!, skip };
}

/**
 * A page of candidates reads a week or two of visits: serially that is a few milliseconds, while
 * the parallel plan PostgreSQL picks for it spends 20 ms starting its workers (measured on the
 * page of 52 weeks at a million visits: 19–26 ms parallel, 2–6 ms serial). Run in the list's
 * read transaction, for that transaction only.
 */
export async function serialPageReads(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe("set local max_parallel_workers_per_gather = 0");
}
