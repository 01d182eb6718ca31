// Underpayments (DOMAIN.md §5): every matched remit line whose allowed amount is below what
// the contract in force on the date of service says (allowed compared to allowed), as a
// worklist by dollars, the manager's status on each (appealed, recovered, written off; undo
// back to open), the weekly chart and the evidence for an appeal letter per payer.
import { dollarsOf } from "@/lib/ui/money";
import { contractRateFor, describeContractRate, localityInWords } from "@/lib/billing";
import type { Prisma, UnderpaymentStatus } from "@/lib/generated/prisma/client";
import { audit } from "../core/audit";
import { db, type Tx } from "../core/db";
import { isoDate } from "../core/dates";
import { Conflict, InvalidInput, NotFound } from "../core/errors";
import { contractFor, loadPricingCached } from "../derived/pricing";
import { adjustmentsText } from "../remits/model";
import { codeTexts, groupText } from "../remits/queries";
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

/**
 * The worklist's filters as conditions on the daily sums (UnderpaymentDay, kept by the revenue
 * rollup: lib/server/revenue/rollup.ts), or null when a filter is not one the sums hold (the
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
    `select rl.id, rl."underpaymentStatus"::text as status, rl."statusNote", rl."statusChangedAt", p.id as "payerId", p.name as payer,
            c."patientControlNumber" as "claimNumber", pt.id as "patientId", pt."externalId" as patient, pt."lastName" || ', ' || pt."firstName" as "patientName",
            v."dateOfService" as dos, rl.cpt, rl."paidCpt", rl.modifiers, rl.units, rl."chargeCents", rl."expectedAllowedCents" as "expectedCents",
            rl."allowedCents", rl."varianceCents", rl."paidCents", rl."remarkCodes", rc."paymentId",
            rl.adjustments as adjustments
     ${FROM}
     where ${whereSql}
     order by rl."varianceCents" desc, rl.id
     ${page === "all" ? "" : `limit ${LIST_PAGE_SIZE} offset ${pageOffset(page)}`}`,
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

/**
 * The worklist's lines (every status) counted and summed over several ranges of dates of service
 * in one pass over the daily sums (UnderpaymentDay: the worklist's own lines by date of service),
 * and the part of them marked recovered (at the dollars recorded when marked, else their
 * variance): the owner's headline, which then cannot disagree with the worklist. The caller
 * brings the rollup up to date first (refreshRevenueRollup), as the worklist's page does.
 */
export async function underpaymentTotalsOverPeriods(
  practiceId: number,
  periods: readonly { from: string; to: string }[],
  client: Pick<Tx, "$queryRawUnsafe"> = db(),
): Promise<{ underpaid: { cents: number; lines: number }; recovered: { cents: number; lines: number } }[]> {
  if (periods.length === 0) return [];
  const params: unknown[] = [practiceId];
  const from = periods.map((p) => p.from).sort()[0]!;
  const to = periods
    .map((p) => p.to)
    .sort()
    .at(-1)!;
  const whereSql = sumsWhere({ from, to, status: "all" }, params)!;
  const columns = periods.map((period, periodIndex) => {
    params.push(period.from, period.to);
    const inPeriod = `u."dateOfService" between $${params.length - 1}::date and $${params.length}::date`;
    const recovered = `${inPeriod} and u.status = 'RECOVERED'`;
    return `coalesce(sum(u.lines) filter (where ${inPeriod}), 0)::int as "lines${periodIndex}",
            coalesce(sum(u."varianceCents") filter (where ${inPeriod}), 0)::bigint as "cents${periodIndex}",
            coalesce(sum(u.lines) filter (where ${recovered}), 0)::int as "recoveredLines${periodIndex}",
            coalesce(sum(u."recoveredCents") filter (where ${recovered}), 0)::bigint as "recoveredCents${periodIndex}"`;
  });
  const [row] = await client.$queryRawUnsafe<Record<string, number | bigint>[]>(
    `select ${columns.join(", ")} from "UnderpaymentDay" u where ${whereSql}`,
    ...params,
  );
  const numberAt = (k: string) => Number(row?.[k] ?? 0);
  return periods.map((_, i) => ({
    underpaid: { cents: numberAt(`cents${i}`), lines: numberAt(`lines${i}`) },
    recovered: { cents: numberAt(`recoveredCents${i}`), lines: numberAt(`recoveredLines${i}`) },
  }));
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
  const events = await db().auditEvent.findMany({
    where: {
      practiceId,
      entityType: "RemitLine",
      entityId: { in: remitLineIds.map(String) },
      action: { in: ["underpayment.appealed", "underpayment.recovered", "underpayment.written_off", "underpayment.reopen"] },
    },
    orderBy: { id: "asc" },
    select: { entityId: true, userId: true, createdAt: true, details: true },
  });
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
 * Lines in one part of an appeal letter. A payer's open underpaid lines over years can number in
 * the tens of thousands (a million visits: a single letter was 147 MB of HTML and took 41 s), which
 * no payer's reviewer reads as one letter; the letter comes in parts of this many lines, by date
 * of service, each with its own total and the whole request's.
 */
export const LETTER_PART_LINES = 200;

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
  const [whole] = await db().$queryRawUnsafe<{ lines: number; cents: number }[]>(
    `select count(*)::int as lines, coalesce(sum(rl."varianceCents"), 0)::float8 as cents
     ${FROM} where ${whereSql} and rl."underpaymentStatus" in ('OPEN', 'APPEALED')`,
    ...params,
  );
  const parts = pageCount(whole!.lines, partLines);
  const rows = await db().$queryRawUnsafe<
    (UnderpaymentRow & { dos: Date; payerClaimNumber: string | null; adjustmentsJson: { g: string; r: string; a: number }[] | null })[]
  >(
    `select rl.id, rl."underpaymentStatus"::text as status, c."patientControlNumber" as "claimNumber", rc."payerClaimNumber",
            pt.id as "patientId", pt."externalId" as patient, pt."firstName" || ' ' || pt."lastName" as "patientName", v."dateOfService" as dos,
            rl.cpt, rl."paidCpt", rl.modifiers, rl.units, rl."chargeCents", rl."expectedAllowedCents" as "expectedCents", rl."allowedCents",
            rl."varianceCents", rl."paidCents", rl."remarkCodes",
            rl.adjustments as "adjustmentsJson"
     ${FROM} where ${whereSql} and rl."underpaymentStatus" in ('OPEN', 'APPEALED')
     order by v."dateOfService", c."patientControlNumber", s."lineOrder", rl.id
     limit ${Math.trunc(partLines)} offset ${pageOffset(part, partLines)}`,
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
    part: { number: part, parts, lines: whole!.lines, totalCents: Number(whole!.cents) },
  };
}
