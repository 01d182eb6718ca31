// The KX alert queue (the biller's landing page): one row per Medicare patient × year × pool
// at or past the practice's alert level, most urgent first, with the visits left before the
// next levels (DOMAIN.md §1 "forecast").
import { forecastThresholdCrossing, thresholdsFor } from "@/lib/billing";
import { type KxItemStatus, type Pool, Prisma, type ThresholdLevel } from "@/lib/generated/prisma/client";
import type { KxQueueFilters } from "@/lib/schemas/kx";
import type { Db, Tx } from "../db";
import { dateFromIso, isoDate } from "../dates";
import { PERMISSIONS } from "../permissions";
import { visitHistoryFromTotals } from "./forecast";

export const KX_QUEUE_PAGE_SIZE = 50;

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

function conditions(practiceId: number, userId: number, year: number, f: KxQueueFilters, today: string): Prisma.Sql {
  const todayDate = dateFromIso(today);
  const parts: Prisma.Sql[] = [
    Prisma.sql`i."practiceId" = ${practiceId}`,
    Prisma.sql`i.year = ${year}`,
    // urgency 9 is exactly the "below" level: this keeps the scan on the queue index
    Prisma.sql`i.urgency < 9`,
    Prisma.sql`i.level <> 'below'`,
  ];
  if (f.status === "open")
    parts.push(
      Prisma.sql`(i.status = 'OPEN' or (i.status = 'SNOOZED' and (i."snoozedUntil" is null or i."snoozedUntil" <= ${todayDate})))`,
    );
  else if (f.status === "snoozed") parts.push(Prisma.sql`i.status = 'SNOOZED' and i."snoozedUntil" > ${todayDate}`);
  else parts.push(Prisma.sql`i.status = 'RESOLVED'`);
  if (f.pool) parts.push(Prisma.sql`i.pool = ${f.pool}::"Pool"`);
  if (f.level) parts.push(Prisma.sql`i.level = ${f.level}::"ThresholdLevel"`);
  if (f.assignee === "me") parts.push(Prisma.sql`i."assigneeId" = ${userId}`);
  else if (f.assignee === "unassigned") parts.push(Prisma.sql`i."assigneeId" is null`);
  else if (typeof f.assignee === "number") parts.push(Prisma.sql`i."assigneeId" = ${f.assignee}`);
  // the therapists and clinics of each item's visits are kept on the item (recomputeKx)
  if (f.clinic) parts.push(Prisma.sql`${f.clinic}::int = any(i."clinicIds")`);
  if (f.therapist) parts.push(Prisma.sql`${f.therapist}::int = any(i."therapistIds")`);
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
): Promise<KxQueuePage> {
  const years = await kxQueueYears(client, actor.practiceId);
  const year = filters.year ?? years[years.length - 1] ?? null;
  const page = filters.page;
  if (year === null) return { year, years, levels: null, rows: [], total: 0, page, pageSize: KX_QUEUE_PAGE_SIZE, today };
  const t = thresholdsFor(year, actor.alertLevelCents);
  const levels = t.known ? { alertCents: t.alertLevelCents, kxCents: t.kxThresholdCents, reviewCents: t.reviewThresholdCents } : null;
  const where = conditions(actor.practiceId, actor.userId, year, filters, today);

  // the page of items first (the queue index gives them in order), then their patients
  const items = await client.$queryRaw<ItemRow[]>`
    with page as (
      select i.* from "KxQueueItem" i
      where ${where}
      order by i.urgency, i."totalCents" desc, i.id
      limit ${KX_QUEUE_PAGE_SIZE} offset ${(page - 1) * KX_QUEUE_PAGE_SIZE}
    )
    select i.id, i.version, i."patientId", p."externalId", p."firstName", p."lastName", i.year, i.pool,
           i."allowedHereCents", i."usedElsewhereCents", i."totalCents", i.level, i."alertCrossedOn", i."kxCrossedOn",
           i."reviewCrossedOn", i."linesMissingKx", i."linesToRebill", i.estimated, i."visitCount", i."firstVisitOn", i."lastVisitOn", i.urgency, i.status,
           i."snoozedUntil", i."assigneeId", u.name as "assigneeName", i."docReviewedAt"
    from page i
    join "Patient" p on p.id = i."patientId" and p."practiceId" = ${actor.practiceId}
    left join "User" u on u.id = i."assigneeId"
    order by i.urgency, i."totalCents" desc, i.id`;
  const counted = await client.$queryRaw<{ n: bigint }[]>`select count(*) as n from "KxQueueItem" i where ${where}`;
  const total = Number(counted[0]?.n ?? 0);

  const rows = items.map((i): KxQueueRow => {
    const past = visitHistoryFromTotals({
      visitCount: i.visitCount,
      allowedHereCents: i.allowedHereCents,
      firstVisitOn: i.firstVisitOn ? isoDate(i.firstVisitOn) : null,
      lastVisitOn: i.lastVisitOn ? isoDate(i.lastVisitOn) : null,
    });
    const left = (levelCents: number | undefined): VisitsLeft | null => {
      if (levelCents === undefined || i.totalCents > levelCents) return null;
      const f = forecastThresholdCrossing({ pastVisits: past, currentTotalCents: i.totalCents, levelCents });
      return f.kind === "forecast"
        ? { visits: f.visitsUntilCrossing, date: f.estimatedDate, crossingVisitNumber: f.crossingVisitNumber }
        : { visits: null, date: null, crossingVisitNumber: null };
    };
    return {
      itemId: i.id,
      version: i.version,
      patientId: i.patientId,
      patientExternalId: i.externalId,
      patientName: `${i.lastName}, ${i.firstName}`,
      year: i.year,
      pool: i.pool,
      allowedHereCents: i.allowedHereCents,
      usedElsewhereCents: i.usedElsewhereCents,
      totalCents: i.totalCents,
      level: i.level,
      alertCrossedOn: i.alertCrossedOn ? isoDate(i.alertCrossedOn) : null,
      kxCrossedOn: i.kxCrossedOn ? isoDate(i.kxCrossedOn) : null,
      reviewCrossedOn: i.reviewCrossedOn ? isoDate(i.reviewCrossedOn) : null,
      linesMissingKx: i.linesMissingKx,
      linesToRebill: i.linesToRebill,
      estimated: i.estimated,
      visitCount: i.visitCount,
      lastVisitOn: i.lastVisitOn ? isoDate(i.lastVisitOn) : null,
      urgency: i.urgency,
      status: i.status,
      snoozedUntil: i.snoozedUntil ? isoDate(i.snoozedUntil) : null,
      assigneeId: i.assigneeId,
      assigneeName: i.assigneeName,
      docReviewedAt: i.docReviewedAt ? i.docReviewedAt.toISOString() : null,
      visitsLeft: { kx: left(levels?.kxCents), review: left(levels?.reviewCents) },
    };
  });
  return { year, years, levels, rows, total, page, pageSize: KX_QUEUE_PAGE_SIZE, today };
}

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
