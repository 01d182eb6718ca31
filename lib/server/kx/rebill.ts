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
export function kxRebillLines(client: Db | Tx, practiceId: number, filters: RebillFilters): Promise<RebillLine[]> {
  return rebillLines(client, practiceId, filters, "all");
}

/**
 * One page of the list (`pageSize` lines, LIST_PAGE_SIZE unless said, page `page`), with the lines
 * of the whole list and those still to send counted by the database over the same filters, in the
 * same statement as the page's rows (window counts); a page past the end counts them on their own.
 * The KX queue shows the first few lines (REBILL_PREVIEW_LINES) and links to the whole list.
 */
export async function kxRebillPage(
  client: Db | Tx,
  practiceId: number,
  filters: RebillFilters,
  page: number,
  pageSize = LIST_PAGE_SIZE,
): Promise<ListPage<RebillLine> & { toRebill: number }> {
  const { lines, total, toRebill } = await rebillRows(client, practiceId, filters, page, pageSize);
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
 * The lines that may be on the list (a denial to rebill, a threshold pool), read first through
 * their partial index by practice and date of service (ServiceLineRemit_remitWork_idx: a line
 * with work carries its visit's date), so only the year's are read; then each one's visit (kept
 * when it is Medicare's and passes the filters) and the line itself, by key. Both are lateral
 * reads the planner cannot turn into joins: over thousands of lines, PostgreSQL's default cost
 * model hashed every line of the practice instead (740 ms at a million visits).
 */
function rebillWith(practiceId: number, filters: RebillFilters): Prisma.Sql {
  const visitParts: Prisma.Sql[] = [
    Prisma.sql`v.id = r."visitId"`,
    Prisma.sql`v."practiceId" = ${practiceId}`,
    Prisma.sql`v."dateOfService" >= ${dateFromIso(`${filters.year}-01-01`)} and v."dateOfService" <= ${dateFromIso(`${filters.year}-12-31`)}`,
  ];
  // the therapist's clinic is looked up only for a clinic filter: joined on every read, the
  // therapist was one relation more for the planner to order (5-7 ms of planning a read, more
  // than the read itself; docs/performance.md, "The KX queue's planning")
  if (filters.clinic)
    visitParts.push(
      Prisma.sql`coalesce(v."clinicId", (select t."clinicId" from "Therapist" t where t.id = v."therapistId")) = ${filters.clinic}`,
    );
  if (filters.therapist) visitParts.push(Prisma.sql`v."therapistId" = ${filters.therapist}`);
  const lineParts: Prisma.Sql[] = [
    Prisma.sql`s.id = r."serviceLineId"`,
    Prisma.sql`s."practiceId" = ${practiceId}`,
    Prisma.sql`s.pool is not null`,
  ];
  if (filters.pool) lineParts.push(Prisma.sql`s.pool = ${filters.pool}::"Pool"`);
  return Prisma.sql`
    with lines as materialized (
      select s.id, s."visitId", s.pool, s.cpt, s.modifiers, s."lineOrder", s."expectedAllowedCents", r."remitWork",
             s."rebilledAt", s."rebilledById", v."patientId", v."dateOfService", v."externalId" as "visitExternalId"
      from "ServiceLineRemit" r
      cross join lateral (
        select v."patientId", v."dateOfService", v."externalId", v."payerId"
        from "Visit" v where ${Prisma.join(visitParts, " and ")} offset 0) v
      join "Payer" py on py.id = v."payerId" and py.kind = 'medicare'
      cross join lateral (
        select s.id, s."visitId", s.pool, s.cpt, s.modifiers, s."lineOrder", s."expectedAllowedCents", s."rebilledAt", s."rebilledById"
        from "ServiceLine" s where ${Prisma.join(lineParts, " and ")} offset 0) s
      where r."practiceId" = ${practiceId} and r."remitWork" is not null
        and r."dateOfService" >= ${dateFromIso(`${filters.year}-01-01`)} and r."dateOfService" <= ${dateFromIso(`${filters.year}-12-31`)})`;
}

function rebillFrom(practiceId: number): Prisma.Sql {
  return Prisma.sql`
    from lines s
    join "Patient" p on p.id = s."patientId" and p."practiceId" = ${practiceId}`;
}

async function rebillLines(client: Db | Tx, practiceId: number, filters: RebillFilters, page: number | "all"): Promise<RebillLine[]> {
  return (await rebillRows(client, practiceId, filters, page)).lines;
}

/** The list's lines (one page, or all), with the whole list's counts beside each row. */
async function rebillRows(
  client: Db | Tx,
  practiceId: number,
  filters: RebillFilters,
  page: number | "all",
  pageSize = LIST_PAGE_SIZE,
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
    ${rebillWith(practiceId, filters)}
    select q.*, i.id as "itemId", i.version as "itemVersion"
    from (
      select s.id as "lineId", p.id as "patientId", p."firstName", p."lastName",
             p."externalId", s.pool, s."dateOfService" as dos, s."visitExternalId" as visit, s."lineOrder", s.cpt, s.modifiers,
             s."expectedAllowedCents" as expected, s."remitWork" as work, ${Prisma.raw(REBILL_SENT_TEXT)} as sent,
             s."rebilledAt", (select u.name from "User" u where u.id = s."rebilledById") as "rebilledBy",
             (count(*) over ())::int as total, (count(*) filter (where not ${Prisma.raw(REBILL_SENT_TEXT)}) over ())::int as "toRebill"
      ${rebillFrom(practiceId)}
      order by p."lastName", p."firstName", p."externalId", s."dateOfService", s."visitExternalId", s."lineOrder", s.id
      ${page === "all" ? Prisma.empty : Prisma.sql`limit ${pageSize} offset ${pageOffset(page, pageSize)}`}
    ) q
    -- each listed line's queue item (its actions' lock), looked up for the page's lines only: every
    -- Medicare pool of a year with lines has one (the KX totals are written with the lines)
    join "KxQueueItem" i on i."practiceId" = ${practiceId} and i."patientId" = q."patientId" and i.year = ${filters.year} and i.pool = q.pool
    order by q."lastName", q."firstName", q."externalId", q.dos, q.visit, q."lineOrder", q."lineId"`;
  const lines = rows.map((r) => ({
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
  return { lines, total: rows[0]?.total ?? 0, toRebill: rows[0]?.toRebill ?? 0 };
}
