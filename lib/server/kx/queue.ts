// The KX alert queue (the biller's landing page): one row per Medicare patient × year × pool
// at or past the practice's alert level, most urgent first, with the visits left before the
// next levels (DOMAIN.md §1 "forecast").
import { forecastThresholdCrossing, thresholdsFor } from "@/lib/billing";
import { type KxItemStatus, type Pool, Prisma, type ThresholdLevel } from "@/lib/generated/prisma/client";
import type { KxQueueFilters, KxSort } from "@/lib/schemas/kx";
import type { Db, Tx } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { PERMISSIONS } from "../core/permissions";
import { visitHistoryFromTotals } from "./forecast";

export const KX_QUEUE_PAGE_SIZE = 50;
/** A patient seen within this many days is active; the others' episodes look finished. */
export const ACTIVE_WITHIN_DAYS = 30;

/**
 * The order a biller works in (docs/kx-queue.md "working order"), most pressing first:
 * 0 lines missing KX on claims not yet paid, 1 lines denied CO-119 / CARC 4 to rebill,
 * 2 the next visit crosses the KX threshold, 3 past $3,000 without a documentation review,
 * 4 approaching KX, 5 past KX with KX on, 6 past review and reviewed.
 */
export const WORK_RANKS = [0, 1, 2, 3, 4, 5, 6] as const;
export type WorkRank = (typeof WORK_RANKS)[number];

export interface VisitsLeft {
  /** visits from now until the crossing one (1 = the next visit crosses); null when it cannot be forecast */
  visits: number | null;
  /** estimated date of the crossing visit */
  date: string | null;
  crossingVisitNumber: number | null;
}

export interface KxQueueRow {
  itemId: number;
  version: number;
  patientId: number;
  patientExternalId: string;
  patientName: string;
  year: number;
  pool: Pool;
  allowedHereCents: number;
  usedElsewhereCents: number;
  totalCents: number;
  level: ThresholdLevel;
  alertCrossedOn: string | null;
  kxCrossedOn: string | null;
  reviewCrossedOn: string | null;
  linesMissingKx: number;
  linesToRebill: number;
  estimated: boolean;
  visitCount: number;
  lastVisitOn: string | null;
  urgency: number;
  /** the working order (WORK_RANKS) */
  work: WorkRank;
  /** no visit in the last ACTIVE_WITHIN_DAYS days: the episode looks finished */
  finished: boolean;
  status: KxItemStatus;
  snoozedUntil: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  docReviewedAt: string | null;
  /** visits left before the KX threshold and the review threshold (null once crossed) */
  visitsLeft: { kx: VisitsLeft | null; review: VisitsLeft | null };
}

export interface KxQueuePage {
  year: number | null;
  years: number[];
  levels: { alertCents: number; kxCents: number; reviewCents: number } | null;
  rows: KxQueueRow[];
  total: number;
  /** of total, the rows whose episode looks finished (they come after the active ones) */
  finishedTotal: number;
  page: number;
  pageSize: number;
  today: string;
}

type Client = Db | Tx;

/** The years the practice has queue items for, oldest first (a loose index scan: one probe per year). */
export async function kxQueueYears(client: Client, practiceId: number): Promise<number[]> {
  const rows = await client.$queryRaw<{ year: number | null }[]>`
    with recursive y(year) as (
      select min(year) from "KxQueueItem" where "practiceId" = ${practiceId}
      union all
      select (select min(i.year) from "KxQueueItem" i where i."practiceId" = ${practiceId} and i.year > y.year)
      from y where y.year is not null
    )
    select year from y where year is not null`;
  return rows.map((r) => Number(r.year));
}

function conditions(practiceId: number, userId: number, year: number, filters: KxQueueFilters, today: string): Prisma.Sql {
  const todayDate = dateFromIso(today);
  const parts: Prisma.Sql[] = [
    Prisma.sql`i."practiceId" = ${practiceId}`,
    Prisma.sql`i.year = ${year}`,
    // urgency 9 is exactly the "below" level: this keeps the scan on the queue index
    Prisma.sql`i.urgency < 9`,
    Prisma.sql`i.level <> 'below'`,
  ];
  if (filters.status === "open")
    parts.push(
      Prisma.sql`(i.status = 'OPEN' or (i.status = 'SNOOZED' and (i."snoozedUntil" is null or i."snoozedUntil" <= ${todayDate})))`,
    );
  else if (filters.status === "snoozed") parts.push(Prisma.sql`i.status = 'SNOOZED' and i."snoozedUntil" > ${todayDate}`);
  else parts.push(Prisma.sql`i.status = 'RESOLVED'`);
  if (filters.pool) parts.push(Prisma.sql`i.pool = ${filters.pool}::"Pool"`);
  if (filters.level) parts.push(Prisma.sql`i.level = ${filters.level}::"ThresholdLevel"`);
  if (filters.assignee === "me") parts.push(Prisma.sql`i."assigneeId" = ${userId}`);
  else if (filters.assignee === "unassigned") parts.push(Prisma.sql`i."assigneeId" is null`);
  else if (typeof filters.assignee === "number") parts.push(Prisma.sql`i."assigneeId" = ${filters.assignee}`);
  // the therapists and clinics of each item's visits are kept on the item (recomputeKx)
  if (filters.clinic) parts.push(Prisma.sql`${filters.clinic}::int = any(i."clinicIds")`);
  if (filters.therapist) parts.push(Prisma.sql`${filters.therapist}::int = any(i."therapistIds")`);
  return Prisma.join(parts, " and ");
}

interface ItemRow {
  id: number;
  version: number;
  patientId: number;
  externalId: string;
  firstName: string;
  lastName: string;
  year: number;
  pool: Pool;
  allowedHereCents: number;
  usedElsewhereCents: number;
  totalCents: number;
  level: ThresholdLevel;
  alertCrossedOn: Date | null;
  kxCrossedOn: Date | null;
  reviewCrossedOn: Date | null;
  linesMissingKx: number;
  linesToRebill: number;
  estimated: boolean;
  visitCount: number;
  firstVisitOn: Date | null;
  lastVisitOn: Date | null;
  urgency: number;
  status: KxItemStatus;
  snoozedUntil: Date | null;
  assigneeId: number | null;
  assigneeName: string | null;
  docReviewedAt: Date | null;
  work: number;
  finished: boolean;
}

/**
 * One page of the queue. `year` defaults to the latest year of the practice's data; snoozed
 * items stay hidden until their date unless the snoozed list is asked for.
 */
export async function kxQueuePage(
  client: Client,
  actor: { practiceId: number; userId: number; alertLevelCents: number },
  filters: KxQueueFilters,
  today: string,
  { all = false, counts = false, years: known }: { all?: boolean; counts?: boolean; years?: number[] } = {},
): Promise<KxQueuePage> {
  // `years`: the practice's queue years when the caller has read them already (kxQueueScreen)
  const years = known ?? (await kxQueueYears(client, actor.practiceId));
  const year = filters.year ?? years[years.length - 1] ?? null;
  const page = filters.page;
  if (year === null) return { year, years, levels: null, rows: [], total: 0, finishedTotal: 0, page, pageSize: KX_QUEUE_PAGE_SIZE, today };
  const thresholds = thresholdsFor(year, actor.alertLevelCents);
  const levels = thresholds.known
    ? { alertCents: thresholds.alertLevelCents, kxCents: thresholds.kxThresholdCents, reviewCents: thresholds.reviewThresholdCents }
    : null;
  const where = conditions(actor.practiceId, actor.userId, year, filters, today);
  const work = workRankSql(levels?.kxCents ?? null);
  const activeSince = dateFromIso(addDaysIso(today, -ACTIVE_WITHIN_DAYS));
  const order = Prisma.raw(SORT_SQL[filters.sort]);
  // every row of the view (the CSV download) or one page of it; active patients first, then
  // those whose episode looks finished, each in the order asked for
  const window = all ? Prisma.empty : Prisma.sql`limit ${KX_QUEUE_PAGE_SIZE} offset ${(page - 1) * KX_QUEUE_PAGE_SIZE}`;
  // `counts`: the year, levels and counts without the rows (the lines-to-rebill view names the queue's size)
  const items = counts
    ? []
    : await client.$queryRaw<ItemRow[]>`
    with q as (
      select i.*, p."externalId", p."firstName", p."lastName", u.name as "assigneeName", ${work} as work,
             (i."lastVisitOn" is null or i."lastVisitOn" < ${activeSince}) as finished
      from "KxQueueItem" i
      join "Patient" p on p.id = i."patientId" and p."practiceId" = ${actor.practiceId}
      left join "User" u on u.id = i."assigneeId"
      where ${where}
    )
    select q.id, q.version, q."patientId", q."externalId", q."firstName", q."lastName", q.year, q.pool,
           q."allowedHereCents", q."usedElsewhereCents", q."totalCents", q.level, q."alertCrossedOn", q."kxCrossedOn",
           q."reviewCrossedOn", q."linesMissingKx", q."linesToRebill", q.estimated, q."visitCount", q."firstVisitOn", q."lastVisitOn",
           q.urgency, q.status, q."snoozedUntil", q."assigneeId", q."assigneeName", q."docReviewedAt", q.work, q.finished
    from q
    order by q.finished, ${order}, q.id
    ${window}`;
  const counted = await client.$queryRaw<{ n: bigint; finished: bigint }[]>`
    select count(*) as n, count(*) filter (where i."lastVisitOn" is null or i."lastVisitOn" < ${activeSince}) as finished
    from "KxQueueItem" i where ${where}`;
  const total = Number(counted[0]?.n ?? 0);
  const finishedTotal = Number(counted[0]?.finished ?? 0);

  const rows = items.map((item): KxQueueRow => {
    const past = visitHistoryFromTotals({
      visitCount: item.visitCount,
      allowedHereCents: item.allowedHereCents,
      firstVisitOn: item.firstVisitOn ? isoDate(item.firstVisitOn) : null,
      lastVisitOn: item.lastVisitOn ? isoDate(item.lastVisitOn) : null,
    });
    const left = (levelCents: number | undefined): VisitsLeft | null => {
      if (levelCents === undefined || item.totalCents > levelCents) return null;
      const forecast = forecastThresholdCrossing({ pastVisits: past, currentTotalCents: item.totalCents, levelCents });
      return forecast.kind === "forecast"
        ? { visits: forecast.visitsUntilCrossing, date: forecast.estimatedDate, crossingVisitNumber: forecast.crossingVisitNumber }
        : { visits: null, date: null, crossingVisitNumber: null };
    };
    return {
      itemId: item.id,
      version: item.version,
      patientId: item.patientId,
      patientExternalId: item.externalId,
      patientName: `${item.lastName}, ${item.firstName}`,
      year: item.year,
      pool: item.pool,
      allowedHereCents: item.allowedHereCents,
      usedElsewhereCents: item.usedElsewhereCents,
      totalCents: item.totalCents,
      level: item.level,
      alertCrossedOn: item.alertCrossedOn ? isoDate(item.alertCrossedOn) : null,
      kxCrossedOn: item.kxCrossedOn ? isoDate(item.kxCrossedOn) : null,
      reviewCrossedOn: item.reviewCrossedOn ? isoDate(item.reviewCrossedOn) : null,
      linesMissingKx: item.linesMissingKx,
      linesToRebill: item.linesToRebill,
      estimated: item.estimated,
      visitCount: item.visitCount,
      lastVisitOn: item.lastVisitOn ? isoDate(item.lastVisitOn) : null,
      urgency: item.urgency,
      work: Number(item.work) as WorkRank,
      finished: item.finished,
      status: item.status,
      snoozedUntil: item.snoozedUntil ? isoDate(item.snoozedUntil) : null,
      assigneeId: item.assigneeId,
      assigneeName: item.assigneeName,
      docReviewedAt: item.docReviewedAt ? item.docReviewedAt.toISOString() : null,
      visitsLeft: { kx: left(levels?.kxCents), review: left(levels?.reviewCents) },
    };
  });
  return { year, years, levels, rows, total, finishedTotal, page, pageSize: KX_QUEUE_PAGE_SIZE, today };
}

/** The same rows as the page shows under the same filters, every page of them (the CSV download). */
export async function kxQueueViewRows(
  client: Client,
  actor: { practiceId: number; userId: number; alertLevelCents: number },
  filters: KxQueueFilters,
  today: string,
): Promise<KxQueuePage> {
  return kxQueuePage(client, actor, { ...filters, page: 1 }, today, { all: true });
}

function addDaysIso(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * WORK_RANKS in SQL. "The next visit crosses KX" is the forecast's own test (visits until
 * crossing = floor((KX − total) ÷ average) + 1 = 1, i.e. KX − total < allowed here ÷ visits),
 * multiplied out so that it stays in whole cents. Lines to rebill lacking KX count among the
 * lines missing KX, so the lines missing KX on claims not yet paid are the difference.
 */
function workRankSql(kxCents: number | null): Prisma.Sql {
  const nextVisitCrosses =
    kxCents === null
      ? Prisma.sql`false`
      : Prisma.sql`(i."visitCount" > 0 and i."allowedHereCents" > 0
          and (${kxCents}::bigint - i."totalCents") * i."visitCount" < i."allowedHereCents")`;
  return Prisma.sql`(case
    when i.level in ('kx', 'review') and i."linesMissingKx" > i."linesToRebill" then 0
    when i."linesToRebill" > 0 then 1
    when i.level = 'alert' and ${nextVisitCrosses} then 2
    when i.level = 'review' and i."docReviewedAt" is null then 3
    when i.level = 'alert' then 4
    when i.level = 'kx' then 5
    else 6 end)`;
}

/** The ORDER BY of each sort of the queue (constants: never built from the URL's text). */
const SORT_SQL: Record<KxSort, string> = {
  work: `q.work, q."totalCents" desc`,
  patient: `q."lastName", q."firstName", q."externalId", q.pool`,
  "-patient": `q."lastName" desc, q."firstName" desc, q."externalId" desc, q.pool desc`,
  total: `q."totalCents"`,
  "-total": `q."totalCents" desc`,
  missing: `q."linesMissingKx", q."linesToRebill"`,
  "-missing": `q."linesMissingKx" desc, q."linesToRebill" desc`,
  last_visit: `q."lastVisitOn" nulls first`,
  "-last_visit": `q."lastVisitOn" desc nulls last`,
};

/** What the filter menus offer: clinics, therapists and the billers an item can be assigned to. */
export async function kxQueueFilterOptions(client: Client, practiceId: number) {
  const clinics = await client.clinic.findMany({ where: { practiceId }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const therapists = await client.therapist.findMany({
    where: { practiceId },
    select: { id: true, name: true, credential: true },
    orderBy: { name: "asc" },
  });
  const billers = await kxAssignees(client, practiceId);
  return { clinics, therapists, billers };
}

/** Members who may work the queue (kx.work): the people an item can be assigned to. */
export async function kxAssignees(client: Client, practiceId: number) {
  const members = await client.membership.findMany({
    where: { practiceId, active: true, role: { in: [...PERMISSIONS["kx.work"]] }, user: { active: true } },
    select: { userId: true, role: true, user: { select: { name: true, email: true } } },
    orderBy: { id: "asc" },
  });
  return members.map((m) => ({ userId: m.userId, name: m.user.name, role: m.role }));
}

/** The latest history entry of each item (what "Undo" would reverse), by item id. */
export async function lastKxActions(client: Client, practiceId: number, itemIds: number[]): Promise<Map<number, string>> {
  if (itemIds.length === 0) return new Map();
  const rows = await client.$queryRaw<{ itemId: number; action: string }[]>`
    select distinct on ("itemId") "itemId", action from "KxQueueAction"
    where "practiceId" = ${practiceId} and "itemId" = any(${itemIds}::int[])
    order by "itemId", id desc`;
  return new Map(rows.map((r) => [r.itemId, r.action]));
}
