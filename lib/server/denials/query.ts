// Denials by root cause (DOMAIN.md §5): counts and dollars (charge not paid) by week and payer,
// from the cause stored on each remit line at import, and the lines behind each figure.
import { db } from "../core/db";
import { isoDate } from "../core/dates";
import { codeTexts } from "../remits/queries";
import { pivotWeekly, weeksBetween } from "../underpayments/weeks";
import { DENIAL_CAUSE_INFO, type DenialCause } from "@/lib/billing/denialCauses";
import { LIST_PAGE_SIZE, pageCount, pageOffset } from "@/lib/ui/paging";

export interface DenialFilters {
  from: string;
  to: string;
  payer?: string;
  cause?: DenialCause;
  week?: string;
}

const FROM = `from "RemitLine" rl
  join "RemitClaim" rc on rc.id = rl."remitClaimId"
  join "RemitPayment" rp on rp.id = rc."paymentId"
  left join "ServiceLine" s on s.id = rl."serviceLineId"
  left join "Visit" v on v.id = s."visitId"
  left join "Payer" p on p.id = coalesce(v."payerId", rp."payerId")`;
const DAY = `coalesce(rl."serviceDate", v."dateOfService", rp."paymentDate")`;
const PAYER = `coalesce(p.name, rp."payerName")`;

function where(filters: DenialFilters, params: unknown[]): string {
  // a duplicate payment's denial is the same denial again (DOMAIN.md §5): counted once
  const parts = [`rl."practiceId" = $1`, `rl."denialCause" is not null`, `rl."netRole" not in ('duplicate', 'duplicate_reversed')`];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replaceAll("?", `$${params.length}`));
  };
  add(`${DAY} >= ?::date`, filters.from);
  add(`${DAY} <= ?::date`, filters.to);
  if (filters.payer) add(`${PAYER} = ?`, filters.payer);
  if (filters.cause) add(`rl."denialCause" = ?`, filters.cause);
  if (filters.week) add(`date_trunc('week', ${DAY})::date = ?::date`, filters.week);
  return parts.join(" and ");
}

export async function denialSummary(practiceId: number, filters: DenialFilters) {
  const params: unknown[] = [practiceId];
  const whereSql = where(filters, params);
  const rows = await db().$queryRawUnsafe<{ week: Date; cause: DenialCause; payer: string; lines: number; cents: number }[]>(
    `select date_trunc('week', ${DAY})::date as week, rl."denialCause" as cause, ${PAYER} as payer,
            count(*)::int as lines, coalesce(sum(rl."chargeCents" - rl."paidCents"), 0)::int as cents
     ${FROM} where ${whereSql} group by 1, 2, 3 order by 1, 2, 3`,
    ...params,
  );
  const weeks = weeksBetween(filters.from, filters.to);
  const byCause = new Map<DenialCause, { lines: number; cents: number }>();
  const byPayer = new Map<string, { lines: number; cents: number }>();
  const byWeek = new Map<string, { lines: number; cents: number }>();
  const byWeekPayer = new Map<string, { week: string; payer: string; lines: number; cents: number }>();
  for (const row of rows) {
    const week = isoDate(row.week);
    for (const [map, key] of [
      [byCause, row.cause],
      [byPayer, row.payer],
      [byWeek, week],
    ] as const) {
      const sums = map as Map<string, { lines: number; cents: number }>;
      const sum = sums.get(key) ?? { lines: 0, cents: 0 };
      sum.lines += row.lines;
      sum.cents += row.cents;
      sums.set(key, sum);
    }
    const key = `${week}|${row.payer}`;
    const wp = byWeekPayer.get(key) ?? { week, payer: row.payer, lines: 0, cents: 0 };
    wp.lines += row.lines;
    wp.cents += row.cents;
    byWeekPayer.set(key, wp);
  }
  const chart = pivotWeekly(
    weeks,
    rows.map((r) => ({ week: isoDate(r.week), series: DENIAL_CAUSE_INFO[r.cause]?.label ?? r.cause, value: r.lines })),
  );
  return {
    weeks,
    byCause: [...byCause.entries()].map(([cause, t]) => ({ cause, ...t })).sort((a, b) => b.cents - a.cents),
    byPayer: [...byPayer.entries()].map(([payer, t]) => ({ payer, ...t })).sort((a, b) => b.cents - a.cents),
    byWeek: weeks.map((week) => ({ week, ...(byWeek.get(week) ?? { lines: 0, cents: 0 }) })),
    byWeekPayer: [...byWeekPayer.values()],
    chart,
    total: rows.reduce((t, r) => ({ lines: t.lines + r.lines, cents: t.cents + r.cents }), { lines: 0, cents: 0 }),
  };
}

/**
 * One page of the denied lines behind a figure (newest first), with the count of all of them
 * taken by the database in the same query; page "all" gives every line in the same order (the
 * list's CSV download).
 */
export async function denialLines(practiceId: number, filters: DenialFilters, page: number | "all" = 1) {
  const params: unknown[] = [practiceId];
  const whereSql = where(filters, params);
  const rows = await db().$queryRawUnsafe<
    {
      id: number;
      cause: DenialCause;
      payer: string;
      day: Date;
      cpt: string;
      modifiers: string[];
      units: number;
      charge: number;
      paid: number;
      expected: number | null;
      pcn: string;
      paymentId: number;
      remarks: string[];
      matched: boolean;
      adjustments: { g: string; r: string; a: number }[] | null;
      total: number;
      patientId: number | null;
      patientName: string | null;
      patientExternalId: string | null;
    }[]
  >(
    `select rl.id, rl."denialCause" as cause, ${PAYER} as payer, ${DAY} as day, rl.cpt, rl.modifiers, rl.units,
            rl."chargeCents" as charge, rl."paidCents" as paid, rl."expectedAllowedCents" as expected, rc."patientControlNumber" as pcn,
            rc."paymentId", rl."remarkCodes" as remarks, rl."serviceLineId" is not null as matched,
            rl.adjustments as adjustments, v."patientId" as "patientId", count(*) over ()::int as total,
            coalesce((select pt."lastName" || ', ' || pt."firstName" from "Patient" pt where pt.id = v."patientId"), rc."patientName") as "patientName",
            (select pt."externalId" from "Patient" pt where pt.id = v."patientId") as "patientExternalId"
     ${FROM} where ${whereSql}
     order by ${DAY} desc, rl.id desc
     ${page === "all" ? "" : `limit ${LIST_PAGE_SIZE} offset ${pageOffset(page)}`}`,
    ...params,
  );
  const carcs = new Set<string>();
  const rarcs = new Set<string>();
  for (const row of rows) {
    for (const adjustment of row.adjustments ?? []) carcs.add(adjustment.r);
    for (const remark of row.remarks) rarcs.add(remark);
  }
  const texts = await codeTexts({ CARC: [...carcs], RARC: [...rarcs] });
  // past the last page there is no row to carry the count: count on its own
  const total =
    rows[0]?.total ??
    (page !== "all" && page > 1
      ? ((await db().$queryRawUnsafe<{ n: number }[]>(`select count(*)::int as n ${FROM} where ${whereSql}`, ...params))[0]?.n ?? 0)
      : 0);
  const lines = rows.map(({ total: _, ...r }) => ({
    ...r,
    day: r.day ? isoDate(r.day) : "",
    adjustments: (r.adjustments ?? []).map((a) => ({ code: `${a.g}-${a.r}`, amountCents: a.a, text: texts.CARC.get(a.r) ?? null })),
    remarks: r.remarks.map((m) => ({ code: m, text: texts.RARC.get(m) ?? null })),
  }));
  return { lines, total, page, pages: pageCount(total) };
}
