// Underpayments (DOMAIN.md §5): every matched remit line whose allowed amount is below what
// the contract in force on the date of service says (allowed compared to allowed), as a
// worklist by dollars, the manager's status on each (appealed, recovered, written off; undo
// back to open), the weekly chart and the evidence for an appeal letter per payer.
import { dollarsOf } from "@/lib/ui/money";
import { contractRateFor, describeContractRate, localityInWords } from "@/lib/billing";
import type { Prisma, UnderpaymentStatus } from "@/lib/generated/prisma/client";
import { audit } from "../core/audit";
import { db } from "../core/db";
import { isoDate } from "../core/dates";
import { Conflict, InvalidInput, NotFound } from "../core/errors";
import { contractFor, loadPricingCached } from "../derived/pricing";
import { adjustmentsText } from "../remits/model";
import { codeTexts, groupText } from "../remits/queries";
import { recomputeDerived } from "../derived";
import { refreshRevenueRollup } from "../derived/rollup";
import { pivotWeekly, weeksBetween } from "./weeks";
import { LIST_PAGE_SIZE, pageCount, pageOffset } from "@/lib/ui/paging";

export const UNDERPAYMENT_STATUSES = ["OPEN", "APPEALED", "RECOVERED", "WRITTEN_OFF"] as const;
export const STATUS_LABEL: Record<UnderpaymentStatus, string> = {
  OPEN: "open",
  APPEALED: "appealed",
  RECOVERED: "recovered",
  WRITTEN_OFF: "written off",
};

export interface UnderpaymentFilters {
  payerId?: number;
  cpt?: string;
  from?: string;
  to?: string;
  minCents?: number;
  status?: UnderpaymentStatus | "all";
}

export interface UnderpaymentRow {
  id: number;
  status: UnderpaymentStatus;
  statusNote: string | null;
  statusChangedAt: Date | null;
  payerId: number;
  payer: string;
  claimNumber: string | null;
  patientId: number;
  patient: string;
  patientName: string;
  dateOfService: string;
  cpt: string;
  /** the code the payer paid when it recoded the line (SVC01 against our SVC06), else null */
  paidCpt: string | null;
  modifiers: string[];
  units: number;
  chargeCents: number;
  expectedCents: number;
  allowedCents: number;
  varianceCents: number;
  paidCents: number;
  remarkCodes: string[];
  adjustments: string;
  paymentId: number;
}

function where(filters: UnderpaymentFilters, params: unknown[]): string {
  // denied lines are worked on the denials page (their fix is not an appeal on the rate)
  const parts = [`rl."practiceId" = $1`, `v."practiceId" = $1`, `rl."varianceCents" > 0`, `rl."denialCause" is null`];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace("?", `$${params.length}`));
  };
  if (filters.payerId) add(`v."payerId" = ?`, filters.payerId);
  if (filters.cpt) add(`rl.cpt = ?`, filters.cpt.toUpperCase());
  if (filters.from) add(`v."dateOfService" >= ?::date`, filters.from);
  if (filters.to) add(`v."dateOfService" <= ?::date`, filters.to);
  if (filters.minCents) add(`rl."varianceCents" >= ?`, filters.minCents);
  if (filters.status && filters.status !== "all") add(`rl."underpaymentStatus" = ?::"UnderpaymentStatus"`, filters.status);
  return parts.join(" and ");
}

const FROM = `from "RemitLine" rl
  join "RemitClaim" rc on rc.id = rl."remitClaimId"
  join "ServiceLine" s on s.id = rl."serviceLineId"
  join "Visit" v on v.id = s."visitId"
  join "Payer" p on p.id = v."payerId"
  join "Patient" pt on pt.id = v."patientId"
  left join "Claim" c on c.id = v."claimId"`;
/** The same lines without the payer's row, which a letter (to one payer) never shows: one join fewer to plan. */
const LETTER_FROM = FROM.replace(`\n  join "Payer" p on p.id = v."payerId"`, "");

/**
 * The worklist's filters as conditions on the daily sums (UnderpaymentDay, kept by the revenue
 * rollup: lib/server/derived/rollup.ts), or null when a filter is not one the sums hold (the
 * smallest difference): then the figures come from the rows. The caller brings the rollup up to
 * date first (refreshRevenueRollup: a status change or a remit marks its week), as the page does.
 */
function sumsWhere(filters: UnderpaymentFilters, params: unknown[]): string | null {
  if (filters.minCents) return null;
  const parts = [`u."practiceId" = $1`];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace("?", `$${params.length}`));
  };
  if (filters.payerId) add(`u."payerId" = ?`, filters.payerId);
  if (filters.cpt) add(`u.cpt = ?`, filters.cpt.toUpperCase());
  if (filters.from) add(`u."dateOfService" >= ?::date`, filters.from);
  if (filters.to) add(`u."dateOfService" <= ?::date`, filters.to);
  if (filters.status && filters.status !== "all") add(`u.status = ?::"UnderpaymentStatus"`, filters.status);
  return parts.join(" and ");
}

/**
 * One page of the worklist, with the count and sum of all its lines (from the daily sums when the
 * filters allow, else from the rows);
 * page "all" gives every line in the same order (the list's CSV download).
 */
export async function underpaymentWorklist(practiceId: number, filters: UnderpaymentFilters, page: number | "all" = 1) {
  const params: unknown[] = [practiceId];
  const whereSql = where(filters, params);
  const rows = await db().$queryRawUnsafe<
    (Omit<UnderpaymentRow, "dateOfService" | "adjustments"> & { dos: Date; adjustments: { g: string; r: string; a: number }[] | null })[]
  >(
    // The page's lines are chosen over the three tables the filters and the order need, then the
    // other four are looked up for those lines only: planned as one seven-table join, choosing its
    // order took PostgreSQL 10-15 ms a request for a 2 ms query (row-level security puts every
    // table's "practiceId" in one equivalence class, so every pair of tables is a join to weigh;
    // docs/performance.md, "Saturation").
    `with page as materialized (
       select rl.id, rl."underpaymentStatus", rl."statusNote", rl."statusChangedAt", rl."remitClaimId",
              v."payerId", v."patientId", v."claimId", v."dateOfService", rl.cpt, rl."paidCpt", rl.modifiers, rl.units,
              rl."chargeCents", rl."expectedAllowedCents", rl."allowedCents", rl."varianceCents", rl."paidCents",
              rl."remarkCodes", rl.adjustments
       from "RemitLine" rl
       join "ServiceLine" s on s.id = rl."serviceLineId"
       join "Visit" v on v.id = s."visitId"
       where ${whereSql}
       order by rl."varianceCents" desc, rl.id
       ${page === "all" ? "" : `limit ${LIST_PAGE_SIZE} offset ${pageOffset(page)}`})
     select l.id, l."underpaymentStatus"::text as status, l."statusNote", l."statusChangedAt", p.id as "payerId", p.name as payer,
            c."patientControlNumber" as "claimNumber", pt.id as "patientId", pt."externalId" as patient, pt."lastName" || ', ' || pt."firstName" as "patientName",
            l."dateOfService" as dos, l.cpt, l."paidCpt", l.modifiers, l.units, l."chargeCents", l."expectedAllowedCents" as "expectedCents",
            l."allowedCents", l."varianceCents", l."paidCents", l."remarkCodes", rc."paymentId",
            l.adjustments as adjustments
     from page l
     join "RemitClaim" rc on rc.id = l."remitClaimId"
     join "Payer" p on p.id = l."payerId"
     join "Patient" pt on pt.id = l."patientId"
     left join "Claim" c on c.id = l."claimId"
     order by l."varianceCents" desc, l.id`,
    ...params,
  );
  const sumParams: unknown[] = [practiceId];
  const sw = sumsWhere(filters, sumParams);
  const [totals] =
    sw !== null
      ? await db().$queryRawUnsafe<{ lines: number; cents: number }[]>(
          `select coalesce(sum(u.lines), 0)::int as lines, coalesce(sum(u."varianceCents"), 0)::int as cents from "UnderpaymentDay" u where ${sw}`,
          ...sumParams,
        )
      : await db().$queryRawUnsafe<{ lines: number; cents: number }[]>(
          `select count(*)::int as lines, coalesce(sum(rl."varianceCents"), 0)::int as cents ${FROM} where ${whereSql}`,
          ...params,
        );
  return {
    rows: rows.map(({ dos, adjustments, ...r }) => ({
      ...r,
      dateOfService: isoDate(dos),
      adjustments: adjustmentsText((adjustments ?? []).map((a) => ({ groupCode: a.g, reasonCode: a.r, amountCents: a.a }))),
    })) as UnderpaymentRow[],
    totals: totals ?? { lines: 0, cents: 0 },
    page,
    pages: pageCount(totals?.lines ?? 0),
  };
}

/** Dollars by status over the same filters (without the status filter). */
export async function underpaymentTotalsByStatus(practiceId: number, filters: UnderpaymentFilters) {
  const params: unknown[] = [practiceId];
  const sw = sumsWhere({ ...filters, status: "all" }, params);
  if (sw !== null)
    return db().$queryRawUnsafe<{ status: UnderpaymentStatus; lines: number; cents: number }[]>(
      `select u.status::text as status, sum(u.lines)::int as lines, sum(u."varianceCents")::int as cents
       from "UnderpaymentDay" u where ${sw} group by 1 order by 1`,
      ...params,
    );
  const whereSql = where({ ...filters, status: "all" }, params);
  return db().$queryRawUnsafe<{ status: UnderpaymentStatus; lines: number; cents: number }[]>(
    `select rl."underpaymentStatus"::text as status, count(*)::int as lines, coalesce(sum(rl."varianceCents"), 0)::int as cents
     ${FROM} where ${whereSql} group by 1 order by 1`,
    ...params,
  );
}

/** Underpaid dollars by payer and week (week of the date of service), every week present. */
export async function underpaymentsByWeek(practiceId: number, filters: UnderpaymentFilters & { from: string; to: string }) {
  const params: unknown[] = [practiceId];
  const sumFilters = { ...filters, status: filters.status ?? "all" };
  const sw = sumsWhere(sumFilters, params);
  const rows =
    sw !== null
      ? await db().$queryRawUnsafe<{ week: Date; payer: string; cents: number }[]>(
          `select revenue_week_start(u."dateOfService") as week, p.name as payer, sum(u."varianceCents")::int as cents
           from "UnderpaymentDay" u join "Payer" p on p.id = u."payerId" where ${sw} group by 1, 2 order by 1, 2`,
          ...params,
        )
      : await db().$queryRawUnsafe<{ week: Date; payer: string; cents: number }[]>(
          `select date_trunc('week', v."dateOfService")::date as week, p.name as payer, sum(rl."varianceCents")::int as cents
           ${FROM} where ${where(sumFilters, params)} group by 1, 2 order by 1, 2`,
          ...params,
        );
  return pivotWeekly(
    weeksBetween(filters.from, filters.to),
    rows.map((r) => ({ week: isoDate(r.week), series: r.payer, value: dollarsOf(r.cents) })),
  );
}

export interface StatusChange {
  remitLineId: number;
  status: UnderpaymentStatus;
  /** the status the person saw: a line changed meanwhile by someone else is a conflict */
  from: UnderpaymentStatus;
  note: string;
}

export async function setUnderpaymentStatus(actor: { practiceId: number; userId: number }, input: StatusChange) {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const line = await tx.remitLine.findFirst({
      where: { practiceId, id: input.remitLineId },
      select: {
        id: true,
        varianceCents: true,
        underpaymentStatus: true,
        serviceLine: { select: { visit: { select: { patientId: true } } } },
      },
    });
    if (!line || line.serviceLine === null) throw new NotFound("No such underpaid line");
    if (line.varianceCents === null || line.varianceCents <= 0)
      throw new InvalidInput("This line is not underpaid", { remitLineId: ["not underpaid"] });
    if (input.status === input.from) throw new InvalidInput(`The line is already ${STATUS_LABEL[input.status]}`);
    // appealed lines may end recovered or written off; a closed line is reopened first (undo)
    if (input.status !== "OPEN" && (input.from === "RECOVERED" || input.from === "WRITTEN_OFF")) {
      throw new InvalidInput("Reopen the line first", { status: ["reopen the line first"] });
    }
    const changed = await tx.remitLine.updateMany({
      where: { id: line.id, practiceId, underpaymentStatus: input.from },
      data: {
        underpaymentStatus: input.status,
        statusNote: input.note || null,
        statusChangedAt: new Date(),
        // the dollars recovered are the line's difference when it is marked recovered; an undo takes them back
        recoveredCents: input.status === "RECOVERED" ? line.varianceCents : null,
      },
    });
    if (changed.count === 0) throw new Conflict("Someone changed this line meanwhile; reload to see its status");
    await audit(tx, actor, {
      action: input.status === "OPEN" ? "underpayment.reopen" : `underpayment.${input.status.toLowerCase()}`,
      entityType: "RemitLine",
      entityId: line.id,
      patientId: line.serviceLine.visit.patientId,
      details: { from: input.from, to: input.status, note: input.note, varianceCents: line.varianceCents } as Prisma.InputJsonValue,
    });
    // the line's week in the underpayment sums (UnderpaymentDay: recovered, written off): the
    // revenue rollup once the change has committed (the pipeline's stage 7)
    await recomputeDerived(tx, practiceId, {});
    return { remitLineId: line.id, status: input.status, recoveredCents: input.status === "RECOVERED" ? line.varianceCents : null };
  });
}

export interface StatusHistoryEntry {
  at: string;
  by: string;
  from: UnderpaymentStatus | null;
  to: UnderpaymentStatus | null;
  note: string;
}

/** Each line's status changes, oldest first, from the audit log (who, when, from, to, note). */
export async function underpaymentHistory(practiceId: number, remitLineIds: number[]): Promise<Map<number, StatusHistoryEntry[]>> {
  const out = new Map<number, StatusHistoryEntry[]>();
  if (remitLineIds.length === 0) return out;
  // The trail holds an event for nearly every page opened: the events of remit lines are read
  // through their own index (AuditEvent_remit_line_idx, whose condition is written out here as it
  // is in the index), never through the whole trail.
  const events = await db().$queryRaw<{ entityId: string; userId: number | null; createdAt: Date; details: Prisma.JsonValue }[]>`
    select "entityId", "userId", "createdAt", details
    from "AuditEvent"
    where "practiceId" = ${practiceId} and "entityType" = 'RemitLine' and "entityId" is not null
      and "entityId" = any(${remitLineIds.map(String)}::text[])
      and action in ('underpayment.appealed', 'underpayment.recovered', 'underpayment.written_off', 'underpayment.reopen')
    order by id`;
  const userIds = [...new Set(events.map((e) => e.userId).filter((id): id is number => id !== null))];
  const users = new Map(
    (await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const status = (v: unknown) =>
    typeof v === "string" && (UNDERPAYMENT_STATUSES as readonly string[]).includes(v) ? (v as UnderpaymentStatus) : null;
  for (const event of events) {
    const id = Number(event.entityId);
    const details = (event.details ?? {}) as { from?: unknown; to?: unknown; note?: unknown };
    const list = out.get(id) ?? [];
    list.push({
      at: event.createdAt.toISOString(),
      by: (event.userId !== null ? users.get(event.userId) : null) ?? "someone no longer here",
      from: status(details.from),
      to: status(details.to),
      note: typeof details.note === "string" ? details.note : "",
    });
    out.set(id, list);
  }
  return out;
}

/**
 * Where one part of an appeal letter lies (oldest first), from the daily sums (UnderpaymentDay,
 * brought up to date first): the whole request's lines and dollars, the first and last day of
 * service of the part's lines, and how many lines of its first day belong to the parts before it.
 * Null when a filter is not one the sums hold. Counting and sorting the rows instead read every
 * open line of the payer (70,000 Medicare lines at a million visits: 2 to 8 s) for each part.
 */
async function letterWindow(
  practiceId: number,
  filters: Omit<UnderpaymentFilters, "status">,
  part: number,
  partLines: number,
): Promise<{ lines: number; cents: number; skip: number; firstDay: string | null; lastDay: string | null } | null> {
  const params: unknown[] = [practiceId];
  const sw = sumsWhere({ ...filters, status: "all" }, params);
  if (sw === null) return null;
  await refreshRevenueRollup(practiceId);
  const days = await db().$queryRawUnsafe<{ day: Date; lines: number; cents: number }[]>(
    `select u."dateOfService" as day, sum(u.lines)::int as lines, sum(u."varianceCents")::float8 as cents
     from "UnderpaymentDay" u where ${sw} and u.status in ('OPEN', 'APPEALED') group by 1 order by 1`,
    ...params,
  );
  const offset = pageOffset(part, partLines);
  let lines = 0;
  let cents = 0;
  let before = 0;
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  for (const day of days) {
    if (lines + day.lines <= offset) before += day.lines;
    else if (lines < offset + partLines) {
      firstDay ??= isoDate(day.day);
      lastDay = isoDate(day.day);
    }
    lines += day.lines;
    cents += Number(day.cents);
  }
  return { lines, cents, skip: offset - before, firstDay, lastDay };
}

/**
 * Lines in one part of an appeal letter. A payer's open underpaid lines over years can number in
 * the tens of thousands (a million visits: a single letter was 147 MB of HTML and took 41 s), which
 * no payer's reviewer reads as one letter; the letter comes in parts of this many lines, by date
 * of service, each with its own total and the whole request's. A part of 200 lines was 448 KB of
 * HTML; 100 lines, with each code's meaning once under the table, stay under 150 KB.
 */
export const LETTER_PART_LINES = 100;

/** Evidence for an appeal to one payer: the open and appealed underpaid lines with their contract terms, one part at a time. */
export async function appealLetter(
  practiceId: number,
  payerId: number,
  filters: Omit<UnderpaymentFilters, "payerId" | "status"> = {},
  { part = 1, partLines = LETTER_PART_LINES }: { part?: number; partLines?: number } = {},
) {
  // ids are int4: a larger one (from the address bar) is a missing record, not a database error
  if (!Number.isSafeInteger(payerId) || payerId <= 0 || payerId > 2_147_483_647) return null;
  const payer = await db().payer.findFirst({ where: { practiceId, id: payerId } });
  if (!payer) return null;
  const practice = await db().practice.findUniqueOrThrow({
    where: { id: practiceId },
    select: { name: true, medicareLocality: true, npi: true, taxId: true, address: true },
  });
  const params: unknown[] = [practiceId];
  const whereSql = where({ ...filters, payerId, status: "all" }, params);
  // the enum condition is applied row by row (not leakproof: docs/stack.md); the days it is read
  // on come from the daily sums, so it only ever filters the lines of a part's few days
  const open = `rl."underpaymentStatus" in ('OPEN', 'APPEALED')`;
  const order = `order by v."dateOfService", c."patientControlNumber", s."lineOrder", rl.id`;
  const span = await letterWindow(practiceId, { ...filters, payerId }, part, partLines);
  let rowsSql: string;
  let whole: { lines: number; cents: number };
  if (span) {
    whole = { lines: span.lines, cents: span.cents };
    params.push(span.firstDay, span.lastDay);
    rowsSql =
      span.firstDay === null
        ? ""
        : `${LETTER_FROM} where ${whereSql} and ${open}
             and v."dateOfService" between $${params.length - 1}::date and $${params.length}::date
           ${order} limit ${Math.trunc(partLines)} offset ${span.skip}`;
  } else {
    // a filter the sums do not hold (the smallest difference): count and page the rows themselves
    const [counted] = await db().$queryRawUnsafe<{ lines: number; cents: number }[]>(
      `select count(*)::int as lines, coalesce(sum(rl."varianceCents"), 0)::float8 as cents
       ${LETTER_FROM} where ${whereSql} and ${open}`,
      ...params,
    );
    whole = { lines: counted?.lines ?? 0, cents: Number(counted?.cents ?? 0) };
    rowsSql = `${LETTER_FROM} where ${whereSql} and ${open} ${order} limit ${Math.trunc(partLines)} offset ${pageOffset(part, partLines)}`;
  }
  const parts = pageCount(whole.lines, partLines);
  const rows =
    rowsSql === ""
      ? []
      : await db().$queryRawUnsafe<
          (UnderpaymentRow & {
            dos: Date;
            payerClaimNumber: string | null;
            adjustmentsJson: { g: string; r: string; a: number }[] | null;
          })[]
        >(
          `select rl.id, rl."underpaymentStatus"::text as status, c."patientControlNumber" as "claimNumber", rc."payerClaimNumber",
                  pt.id as "patientId", pt."externalId" as patient, pt."firstName" || ' ' || pt."lastName" as "patientName", v."dateOfService" as dos,
                  rl.cpt, rl."paidCpt", rl.modifiers, rl.units, rl."chargeCents", rl."expectedAllowedCents" as "expectedCents", rl."allowedCents",
                  rl."varianceCents", rl."paidCents", rl."remarkCodes",
                  rl.adjustments as "adjustmentsJson"
           ${rowsSql}`,
          ...params,
        );
  const pricing = await loadPricingCached(db(), practiceId);
  const carcs = new Set<string>();
  const rarcs = new Set<string>();
  for (const row of rows) {
    for (const adjustment of row.adjustmentsJson ?? []) carcs.add(adjustment.r);
    for (const remark of row.remarkCodes) rarcs.add(remark);
  }
  const texts = await codeTexts({ CARC: [...carcs], RARC: [...rarcs] });
  const lines = rows.map((row) => {
    const dos = isoDate(row.dos);
    let term: string;
    if (payer.kind === "medicare")
      term = `${dos.slice(0, 4)} Medicare Physician Fee Schedule, ${localityInWords(practice.medicareLocality)}, Medicare's multiple-procedure reduction`;
    else {
      const contract = contractFor(pricing, payerId, dos);
      const rate = contract ? contractRateFor(contract, row.cpt, row.modifiers) : null;
      term =
        contract && rate
          ? describeContractRate(rate, contract)
          : contract
            ? `${payer.name} contract from ${contract.effectiveFrom}: no rate for ${row.cpt}`
            : "no contract on file for this date";
    }
    return {
      id: row.id,
      status: row.status,
      claimNumber: row.claimNumber,
      payerClaimNumber: row.payerClaimNumber,
      patientId: row.patientId,
      patient: row.patient,
      patientName: row.patientName,
      dateOfService: dos,
      cpt: row.cpt,
      paidCpt: row.paidCpt,
      modifiers: row.modifiers,
      units: row.units,
      chargeCents: row.chargeCents,
      expectedCents: row.expectedCents,
      allowedCents: row.allowedCents,
      varianceCents: row.varianceCents,
      paidCents: row.paidCents,
      term,
      adjustments: (row.adjustmentsJson ?? []).map((a) => ({
        code: `${a.g}-${a.r}`,
        group: groupText(a.g).split(" (")[0]!,
        amountCents: a.a,
        text: texts.CARC.get(a.r) ?? null,
      })),
      remarks: row.remarkCodes.map((m) => ({ code: m, text: texts.RARC.get(m) ?? null })),
    };
  });
  return {
    practice,
    payer: { id: payer.id, name: payer.name, kind: payer.kind, appealAddress: payer.appealAddress },
    lines,
    /** this part's lines */
    totalCents: lines.reduce((s, l) => s + l.varianceCents, 0),
    /** the part shown (from 1), how many parts the request has, and the whole request's lines and dollars */
    part: { number: part, parts, lines: whole.lines, totalCents: whole.cents },
    /** the adjustment reason and remark codes of this part's lines with their meanings, once each, by code */
    codeMeanings: [
      ...[...carcs].map((code) => ({ code, text: texts.CARC.get(code) })),
      ...[...rarcs].map((code) => ({ code, text: texts.RARC.get(code) })),
    ]
      .filter((m): m is { code: string; text: string } => m.text !== undefined)
      .sort((a, b) => a.code.localeCompare(b.code, "en", { numeric: true })),
  };
}
