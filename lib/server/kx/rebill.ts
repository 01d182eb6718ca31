// The "rebill with KX" list: every line of the year that Medicare denied for a missing KX
// (CO-119) or a missing/wrong therapy modifier (CARC 4) and that no later remit has settled
// (ServiceLineRemit.remitWork, DOMAIN.md §5 "CO-119 and CARC 4 denials are work"), with whether a
// corrected claim has gone out for it since.
import { type Pool, Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { REBILL_SENT_TEXT } from "../derived/kx";
import { LIST_PAGE_SIZE, type ListPage, pageCount, pageOffset } from "@/lib/ui/paging";

export interface RebillLine {
  lineId: number;
  itemId: number;
  itemVersion: number;
  patientId: number;
  patientName: string;
  patientExternalId: string;
  pool: Pool;
  dateOfService: string;
  visit: string;
  cpt: string;
  modifiers: string[];
  /** what the line counts in the KX total while it waits: its expected allowed */
  expectedAllowedCents: number | null;
  /** rebill_kx (CO-119) or rebill_modifier (CARC 4) */
  work: string;
  /** the corrected claim went out at this moment and no remit has answered it yet */
  rebilledAt: string | null;
  rebilledBy: string | null;
}

/** Lines of the list the KX queue shows under its patients; the whole list is a view of its own. */
export const REBILL_PREVIEW_LINES = 10;

export type RebillFilters = { year: number; pool?: Pool; clinic?: number; therapist?: number };

/** Every line of the list, in its order (patient, date, visit, line). */
export async function kxRebillLines(client: Db | Tx, practiceId: number, filters: RebillFilters): Promise<RebillLine[]> {
  return (await rebillRows(client, practiceId, filters.year, rebillWith(practiceId, filters), "all")).lines;
}

/**
 * One page of the list (`pageSize` lines, LIST_PAGE_SIZE unless said, page `page`), with the lines
 * of the whole list and those still to send counted by the database over the same filters. The
 * KX queue shows the first few lines (REBILL_PREVIEW_LINES) and links to the whole list.
 *
 * Without a clinic or therapist filter, the counts are the sums of the year's queue items (each
 * counts its pool's lines on the list: linesToRebill + linesRebillSent, written with the lines),
 * which also say which patients the page spans; only those patients' lines are read. With one,
 * every line of the year is read and counted (an item's lines may lie in several clinics).
 */
export async function kxRebillPage(
  client: Db | Tx,
  practiceId: number,
  filters: RebillFilters,
  page: number,
  pageSize = LIST_PAGE_SIZE,
): Promise<ListPage<RebillLine> & { toRebill: number }> {
  const offset = pageOffset(page, pageSize);
  if (!filters.clinic && !filters.therapist) {
    const span = await pageSpan(client, practiceId, filters, offset, pageSize);
    const lines =
      span.patients.length === 0
        ? []
        : (
            await rebillRows(client, practiceId, filters.year, rebillWithOfPatients(practiceId, filters, span.patients), {
              limit: pageSize,
              offset: span.skip,
            })
          ).lines;
    return { rows: lines, total: span.total, page, pages: pageCount(span.total, pageSize), toRebill: span.toRebill };
  }
  const { lines, total, toRebill } = await rebillRows(client, practiceId, filters.year, rebillWith(practiceId, filters), {
    limit: pageSize,
    offset,
  });
  if (lines.length === 0 && page > 1) {
    const [counts] = await client.$queryRaw<{ total: number; toRebill: number }[]>`
      ${rebillWith(practiceId, filters)}
      select count(*)::int as total, (count(*) filter (where not ${Prisma.raw(REBILL_SENT_TEXT)}))::int as "toRebill"
      ${rebillFrom(practiceId)}`;
    const total = counts?.total ?? 0;
    return { rows: [], total, page, pages: pageCount(total, pageSize), toRebill: counts?.toRebill ?? 0 };
  }
  return { rows: lines, total, page, pages: pageCount(total, pageSize), toRebill };
}

/**
 * The list's counts from the year's queue items (KxQueueItem_rebill_idx), and the patients whose
 * lines lie in the page that starts at `offset` (in the list's order: the patient's name first),
 * with how many lines of theirs come before it (`skip`).
 */
async function pageSpan(
  client: Db | Tx,
  practiceId: number,
  filters: RebillFilters,
  offset: number,
  size: number,
): Promise<{ patients: number[]; skip: number; total: number; toRebill: number }> {
  const pool = filters.pool ? Prisma.sql`and i.pool = ${filters.pool}::"Pool"` : Prisma.empty;
  const rows = await client.$queryRaw<{ patientId: number | null; before: number | null; total: number; toRebill: number }[]>`
    with per_patient as (
      select i."patientId", sum(i."linesToRebill" + i."linesRebillSent")::int as n, sum(i."linesToRebill")::int as due
      from "KxQueueItem" i
      where i."practiceId" = ${practiceId} and i.year = ${filters.year} ${pool}
        and (i."linesToRebill" > 0 or i."linesRebillSent" > 0)
      group by i."patientId"
    ),
    ordered as (
      select pp."patientId", pp.n,
             (sum(pp.n) over (order by p."lastName", p."firstName", p."externalId", p.id rows between unbounded preceding and current row))::int as upto,
             (sum(pp.n) over ())::int as total, (sum(pp.due) over ())::int as "toRebill"
      from per_patient pp
      join "Patient" p on p.id = pp."patientId" and p."practiceId" = ${practiceId}
    )
    select o."patientId", o.upto - o.n as before, o.total, o."toRebill" from ordered o
    where o.upto > ${offset} and o.upto - o.n < ${offset + size}
    union all
    (select null::int, null::int, o.total, o."toRebill" from ordered o limit 1)`;
  const spanned = rows.filter((r) => r.patientId !== null).sort((a, b) => (a.before ?? 0) - (b.before ?? 0));
  return {
    patients: spanned.map((r) => r.patientId as number),
    skip: spanned.length ? offset - (spanned[0]!.before ?? 0) : 0,
    total: rows[0]?.total ?? 0,
    toRebill: rows[0]?.toRebill ?? 0,
  };
}

function yearBounds(year: number) {
  return { from: dateFromIso(`${year}-01-01`), to: dateFromIso(`${year}-12-31`) };
}

/**
 * The lines that may be on the list (a denial to rebill, a threshold pool), read first through
 * their partial index by practice and date of service (ServiceLineRemit_remitWork_idx: a line
 * with work carries its visit's date), so only the year's are read; then each one's visit (kept
 * when it is Medicare's and passes the filters) and the line itself, by key. Both are lateral
 * reads the planner cannot turn into joins: over thousands of lines, PostgreSQL's default cost
 * model hashed every line of the practice instead (740 ms at a million visits).
 */
function rebillWith(practiceId: number, filters: RebillFilters): Prisma.Sql {
  const { from, to } = yearBounds(filters.year);
  const visitParts: Prisma.Sql[] = [
    Prisma.sql`v.id = r."visitId"`,
    Prisma.sql`v."practiceId" = ${practiceId}`,
    Prisma.sql`v."dateOfService" >= ${from} and v."dateOfService" <= ${to}`,
  ];
  // the therapist's clinic is looked up only for a clinic filter: joined on every read, the
  // therapist was one relation more for the planner to order (5-7 ms of planning a read, more
  // than the read itself; docs/performance.md, "The KX queue's planning")
  if (filters.clinic)
    visitParts.push(
      Prisma.sql`coalesce(v."clinicId", (select t."clinicId" from "Therapist" t where t.id = v."therapistId")) = ${filters.clinic}`,
    );
  if (filters.therapist) visitParts.push(Prisma.sql`v."therapistId" = ${filters.therapist}`);
  return Prisma.sql`
    with lines as materialized (
      select ${LINE_COLUMNS}
      from "ServiceLineRemit" r
      cross join lateral (
        select v."patientId", v."dateOfService", v."externalId", v."payerId"
        from "Visit" v where ${Prisma.join(visitParts, " and ")} offset 0) v
      join "Payer" py on py.id = v."payerId" and py.kind = 'medicare'
      cross join lateral (
        select s.id, s."visitId", s.pool, s.cpt, s.modifiers, s."lineOrder", s."expectedAllowedCents", s."rebilledAt", s."rebilledById"
        from "ServiceLine" s where ${Prisma.join(lineConditions(practiceId, filters), " and ")} offset 0) s
      where r."practiceId" = ${practiceId} and r."remitWork" is not null
        and r."dateOfService" >= ${from} and r."dateOfService" <= ${to})`;
}

/** The lines of the list of a few patients: their visits of the year, each visit's lines with work (ServiceLineRemit_remitWork_visit_idx). */
function rebillWithOfPatients(practiceId: number, filters: RebillFilters, patients: number[]): Prisma.Sql {
  const { from, to } = yearBounds(filters.year);
  return Prisma.sql`
    with lines as materialized (
      select ${LINE_COLUMNS}
      from "Visit" v
      join "Payer" py on py.id = v."payerId" and py.kind = 'medicare'
      join "ServiceLineRemit" r on r."visitId" = v.id and r."remitWork" is not null
      join "ServiceLine" s on ${Prisma.join(lineConditions(practiceId, filters), " and ")}
      where v."practiceId" = ${practiceId} and v."patientId" = any(${patients}::int[])
        and v."dateOfService" >= ${from} and v."dateOfService" <= ${to})`;
}

const LINE_COLUMNS = Prisma.sql`s.id, s."visitId", s.pool, s.cpt, s.modifiers, s."lineOrder", s."expectedAllowedCents", r."remitWork",
             s."rebilledAt", s."rebilledById", v."patientId", v."dateOfService", v."externalId" as "visitExternalId"`;

/** A listed line: the remit row's line, of the practice, in a threshold pool (the pool asked, if one is). */
function lineConditions(practiceId: number, filters: RebillFilters): Prisma.Sql[] {
  const parts = [Prisma.sql`s.id = r."serviceLineId"`, Prisma.sql`s."practiceId" = ${practiceId}`, Prisma.sql`s.pool is not null`];
  if (filters.pool) parts.push(Prisma.sql`s.pool = ${filters.pool}::"Pool"`);
  return parts;
}

function rebillFrom(practiceId: number): Prisma.Sql {
  return Prisma.sql`
    from lines s
    join "Patient" p on p.id = s."patientId" and p."practiceId" = ${practiceId}`;
}

/** The list's lines (one page, or all), with the whole list's counts beside each row. */
async function rebillRows(
  client: Db | Tx,
  practiceId: number,
  year: number,
  lines: Prisma.Sql,
  window: { limit: number; offset: number } | "all",
): Promise<{ lines: RebillLine[]; total: number; toRebill: number }> {
  const rows = await client.$queryRaw<
    {
      lineId: number;
      itemId: number;
      itemVersion: number;
      patientId: number;
      firstName: string;
      lastName: string;
      externalId: string;
      pool: Pool;
      dos: Date;
      visit: string;
      cpt: string;
      modifiers: string[];
      expected: number | null;
      work: string;
      sent: boolean;
      rebilledAt: Date | null;
      rebilledBy: string | null;
      total: number;
      toRebill: number;
    }[]
  >`
    ${lines}
    select q.*, i.id as "itemId", i.version as "itemVersion"
    from (
      select s.id as "lineId", p.id as "patientId", p."firstName", p."lastName",
             p."externalId", s.pool, s."dateOfService" as dos, s."visitExternalId" as visit, s."lineOrder", s.cpt, s.modifiers,
             s."expectedAllowedCents" as expected, s."remitWork" as work, ${Prisma.raw(REBILL_SENT_TEXT)} as sent,
             s."rebilledAt", (select u.name from "User" u where u.id = s."rebilledById") as "rebilledBy",
             (count(*) over ())::int as total, (count(*) filter (where not ${Prisma.raw(REBILL_SENT_TEXT)}) over ())::int as "toRebill"
      ${rebillFrom(practiceId)}
      order by p."lastName", p."firstName", p."externalId", s."dateOfService", s."visitExternalId", s."lineOrder", s.id
      ${window === "all" ? Prisma.empty : Prisma.sql`limit ${window.limit} offset ${window.offset}`}
    ) q
    -- each listed line's queue item (its actions' lock), looked up for the page's lines only: every
    -- Medicare pool of a year with lines has one (the KX totals are written with the lines)
    join "KxQueueItem" i on i."practiceId" = ${practiceId} and i."patientId" = q."patientId" and i.year = ${year} and i.pool = q.pool
    order by q."lastName", q."firstName", q."externalId", q.dos, q.visit, q."lineOrder", q."lineId"`;
  const listed = rows.map((r) => ({
    lineId: r.lineId,
    itemId: r.itemId,
    itemVersion: r.itemVersion,
    patientId: r.patientId,
    patientName: `${r.lastName}, ${r.firstName}`,
    patientExternalId: r.externalId,
    pool: r.pool,
    dateOfService: isoDate(r.dos),
    visit: r.visit,
    cpt: r.cpt,
    modifiers: r.modifiers,
    expectedAllowedCents: r.expected,
    work: r.work,
    rebilledAt: r.sent && r.rebilledAt ? r.rebilledAt.toISOString() : null,
    rebilledBy: r.sent ? r.rebilledBy : null,
  }));
  return { lines: listed, total: rows[0]?.total ?? 0, toRebill: rows[0]?.toRebill ?? 0 };
}
