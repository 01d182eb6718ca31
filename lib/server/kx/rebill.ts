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
      ${rebillFrom(practiceId, filters)}`;
    const total = counts?.total ?? 0;
    return { rows: [], total, page, pages: pageCount(total, pageSize), toRebill: counts?.toRebill ?? 0 };
  }
  return { rows: lines, total, page, pages: pageCount(total, pageSize), toRebill };
}

/**
 * The lines that may be on the list (a denial to rebill, a threshold pool), read first through
 * their partial index: a few hundred of a practice's lines; the rest of the statement then looks
 * each one's visit up by key. Joined all at once, PostgreSQL's default cost model hashed every
 * visit of the practice instead (36 ms against 4 ms at 25,000 visits; docs/performance.md,
 * "Saturation").
 */
function rebillWith(practiceId: number, filters: RebillFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`r."practiceId" = ${practiceId}`,
    Prisma.sql`r."remitWork" is not null`,
    Prisma.sql`s."practiceId" = ${practiceId}`,
    Prisma.sql`s.pool is not null`,
  ];
  if (filters.pool) parts.push(Prisma.sql`s.pool = ${filters.pool}::"Pool"`);
  // the lines' remit rows with work (ServiceLineRemit_remitWork_idx), each line then read by its key
  return Prisma.sql`
    with lines as materialized (
      select s.id, s."visitId", s.pool, s.cpt, s.modifiers, s."lineOrder", s."expectedAllowedCents", r."remitWork",
             s."rebilledAt", s."rebilledById"
      from "ServiceLineRemit" r
      join "ServiceLine" s on s.id = r."serviceLineId"
      where ${Prisma.join(parts, " and ")})`;
}

function rebillFrom(practiceId: number, filters: RebillFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`v."practiceId" = ${practiceId}`,
    Prisma.sql`v."dateOfService" >= ${dateFromIso(`${filters.year}-01-01`)} and v."dateOfService" <= ${dateFromIso(`${filters.year}-12-31`)}`,
  ];
  // the therapist's clinic is looked up only for a clinic filter: joined on every read, the
  // therapist was one relation more for the planner to order (5-7 ms of planning a read, more
  // than the read itself; docs/performance.md, "The KX queue's planning")
  if (filters.clinic)
    parts.push(
      Prisma.sql`coalesce(v."clinicId", (select t."clinicId" from "Therapist" t where t.id = v."therapistId")) = ${filters.clinic}`,
    );
  if (filters.therapist) parts.push(Prisma.sql`v."therapistId" = ${filters.therapist}`);
  return Prisma.sql`
    from lines s
    join "Visit" v on v.id = s."visitId"
    join "Payer" py on py.id = v."payerId" and py.kind = 'medicare'
    join "Patient" p on p.id = v."patientId" and p."practiceId" = v."practiceId"
    join "KxQueueItem" i on i."practiceId" = v."practiceId" and i."patientId" = v."patientId"
      and i.year = ${filters.year} and i.pool = s.pool
    where ${Prisma.join(parts, " and ")}`;
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
    select s.id as "lineId", i.id as "itemId", i.version as "itemVersion", p.id as "patientId", p."firstName", p."lastName",
           p."externalId", s.pool, v."dateOfService" as dos, v."externalId" as visit, s.cpt, s.modifiers,
           s."expectedAllowedCents" as expected, s."remitWork" as work, ${Prisma.raw(REBILL_SENT_TEXT)} as sent,
           s."rebilledAt", (select u.name from "User" u where u.id = s."rebilledById") as "rebilledBy",
           (count(*) over ())::int as total, (count(*) filter (where not ${Prisma.raw(REBILL_SENT_TEXT)}) over ())::int as "toRebill"
    ${rebillFrom(practiceId, filters)}
    order by p."lastName", p."firstName", p."externalId", v."dateOfService", v."externalId", s."lineOrder", s.id
    ${page === "all" ? Prisma.empty : Prisma.sql`limit ${pageSize} offset ${pageOffset(page, pageSize)}`}`;
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
