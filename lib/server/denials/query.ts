// Denials by root cause (DOMAIN.md §5): counts and dollars (charge not paid) by week and payer,
// from the cause stored on each remit line at import, and the lines behind each figure.
import { db } from "../core/db";
import { refreshRevenueRollup } from "../derived/rollup";
import { isoDate } from "../core/dates";
import { codeTexts } from "../remits/queries";
import { pivotWeekly, weeksBetween } from "../underpayments/weeks";
import { weekEnd } from "../revenue/weeks";
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
// the lines matched to ours, reached from their visits (a payer is then the visit's): of each
// visit, only the lines that may have a denied remit line (ServiceLineRemit_denied_visit_idx: the
// last word a denial, more than one remit line, or a lone reversal), and each one's denied remit
// lines looked up by its key in RemitLine_denied_line_idx. Both are lateral reads behind offset 0,
// which keeps each lookup per visit and per line: joined, the planner read the whole partial
// index, or every denied line of the cause, instead (76 against 20 ms for two weeks of a
// million-visit practice)
const MATCHED_FROM = `from "Visit" v
  cross join lateral (
    select s."serviceLineId" from "ServiceLineRemit" s
    where s."visitId" = v.id and (s."remitDenialCause" is not null or s."remitLineCount" > 1 or s."remitNetCount" < 1) offset 0
  ) s
  cross join lateral (
    select * from "RemitLine" r where r."practiceId" = $1 and r."serviceLineId" = s."serviceLineId" and r."denialCause" is not null offset 0
  ) rl
  join "RemitClaim" rc on rc.id = rl."remitClaimId"
  join "RemitPayment" rp on rp.id = rc."paymentId"
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

/**
 * The conditions of the denied lines' figures: on the daily sums of the lines matched to our
 * lines (DenialDay d, kept by the rollup: lib/server/derived/rollup.ts), and on the rows of those
 * matched to none of ours (no visit, so no week of the rollup; a handful behind a partial index).
 * Brings the sums up to date first, so a remit imported or changed is seen.
 */
async function figureConditions(practiceId: number, filters: DenialFilters) {
  await refreshRevenueRollup(practiceId);
  const params: unknown[] = [practiceId, filters.from, filters.to];
  const sums = [`d."practiceId" = $1`, `d.day between $2::date and $3::date`];
  const unmatched = [
    `rl."practiceId" = $1`,
    `rl."denialCause" is not null`,
    `rl."serviceLineId" is null`,
    `rl."netRole" not in ('duplicate', 'duplicate_reversed')`,
    `coalesce(rl."serviceDate", rp."paymentDate") between $2::date and $3::date`,
  ];
  const add = (sum: string, row: string, value: unknown) => {
    params.push(value);
    sums.push(sum.replaceAll("?", `$${params.length}`));
    unmatched.push(row.replaceAll("?", `$${params.length}`));
  };
  if (filters.payer) add(`p.name = ?`, `coalesce(p.name, rp."payerName") = ?`, filters.payer);
  if (filters.cause) add(`d.cause = ?`, `rl."denialCause" = ?`, filters.cause);
  if (filters.week)
    add(`revenue_week_start(d.day) = ?::date`, `revenue_week_start(coalesce(rl."serviceDate", rp."paymentDate")) = ?::date`, filters.week);
  const UNMATCHED_FROM = `from "RemitLine" rl
       join "RemitClaim" rc on rc.id = rl."remitClaimId"
       join "RemitPayment" rp on rp.id = rc."paymentId"
       left join "Payer" p on p.id = rp."payerId"`;
  return { params, sums: sums.join(" and "), unmatched: unmatched.join(" and "), UNMATCHED_FROM };
}

/** The denied lines' counts and charge not paid by week, cause and payer (figureConditions). */
async function denialFigures(practiceId: number, filters: DenialFilters) {
  const conditions = await figureConditions(practiceId, filters);
  return db().$queryRawUnsafe<{ week: Date; cause: DenialCause; payer: string; lines: number; cents: number }[]>(
    `select week, cause, payer, sum(lines)::int as lines, sum(cents)::int as cents from (
       select revenue_week_start(d.day) as week, d.cause, p.name as payer, d.lines::bigint as lines, d.cents
       from "DenialDay" d join "Payer" p on p.id = d."payerId"
       where ${conditions.sums}
       union all
       select revenue_week_start(coalesce(rl."serviceDate", rp."paymentDate")), rl."denialCause", coalesce(p.name, rp."payerName"),
              1, rl."chargeCents" - rl."paidCents"
       ${conditions.UNMATCHED_FROM}
       where ${conditions.unmatched}
     ) f group by 1, 2, 3 order by 1, 2, 3`,
    ...conditions.params,
  );
}

/**
 * Where a page of the list (newest first) lies, from the same sums: the days it spans, the lines
 * on later days (before it in the list), the service weeks of the matched lines of those days,
 * and the count of all the lines.
 */
async function pageWindow(practiceId: number, filters: DenialFilters, page: number) {
  const conditions = await figureConditions(practiceId, filters);
  const days = await db().$queryRawUnsafe<{ day: Date; lines: number; firstWeek: Date | null; lastWeek: Date | null }[]>(
    `select day, sum(lines)::int as lines, min(week) as "firstWeek", max(week) as "lastWeek" from (
       select d.day, d."weekStart" as week, d.lines::bigint as lines
       from "DenialDay" d join "Payer" p on p.id = d."payerId"
       where ${conditions.sums}
       union all
       select coalesce(rl."serviceDate", rp."paymentDate"), null, 1
       ${conditions.UNMATCHED_FROM}
       where ${conditions.unmatched}
     ) f group by day order by day desc`,
    ...conditions.params,
  );
  const offset = pageOffset(page);
  let total = 0;
  let before = 0;
  const spanned: typeof days = [];
  for (const day of days) {
    if (total + day.lines <= offset) before += day.lines;
    else if (total < offset + LIST_PAGE_SIZE) spanned.push(day);
    total += day.lines;
  }
  const weeks = spanned
    .flatMap((d) => [d.firstWeek, d.lastWeek])
    .filter((w): w is Date => w !== null)
    .map(isoDate)
    .sort();
  return {
    total,
    skip: offset - before,
    lastDay: spanned[0] ? isoDate(spanned[0].day) : null,
    firstDay: spanned.length > 0 ? isoDate(spanned[spanned.length - 1]!.day) : null,
    firstWeek: weeks[0] ?? null,
    lastWeek: weeks.at(-1) ?? null,
  };
}

export async function denialSummary(practiceId: number, filters: DenialFilters) {
  const rows = await denialFigures(practiceId, filters);
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
 * from the same sums as the page's figures (pageWindow); page "all" gives every line in the
 * same order (the list's CSV download).
 */
export async function denialLines(practiceId: number, filters: DenialFilters, page: number | "all" = 1) {
  const params: unknown[] = [practiceId];
  const whereSql = where(filters, params);
  const COLUMNS = `rl.id, rl."denialCause" as cause, ${PAYER} as payer, ${DAY} as day, rl.cpt, rl.modifiers, rl.units,
            rl."chargeCents" as charge, rl."paidCents" as paid, rl."expectedAllowedCents" as expected, rc."patientControlNumber" as pcn,
            rc."paymentId", rl."remarkCodes" as remarks, rl."serviceLineId" is not null as matched,
            rl.adjustments as adjustments, v."patientId" as "patientId",
            coalesce((select pt."lastName" || ', ' || pt."firstName" from "Patient" pt where pt.id = v."patientId"), rc."patientName") as "patientName",
            (select pt."externalId" from "Patient" pt where pt.id = v."patientId") as "patientExternalId"`;
  let total: number;
  let sql: string;
  if (page === "all") {
    sql = `select ${COLUMNS} ${FROM} where ${whereSql} order by ${DAY} desc, rl.id desc`;
    total = 0;
  } else {
    // the page's days from the sums, then only the lines of those days: the matched ones through
    // their visits' dates (the service weeks the sums name), the unmatched ones by their index
    const win = await pageWindow(practiceId, filters, page);
    total = win.total;
    if (win.firstDay === null || win.lastDay === null) sql = "";
    else {
      params.push(win.firstDay, win.lastDay);
      const days = `${DAY} between $${params.length - 1}::date and $${params.length}::date`;
      const parts = [`select ${COLUMNS} ${FROM} where ${whereSql} and rl."serviceLineId" is null and ${days}`];
      if (win.firstWeek && win.lastWeek) {
        params.push(win.firstWeek, weekEnd(win.lastWeek));
        parts.push(
          `select ${COLUMNS} ${MATCHED_FROM} where ${whereSql} and v."practiceId" = $1
             and v."dateOfService" between $${params.length - 1}::date and $${params.length}::date and ${days}`,
        );
      }
      sql = `${parts.map((q) => `(${q})`).join(" union all ")} order by day desc, id desc limit ${LIST_PAGE_SIZE} offset ${win.skip}`;
    }
  }
  const rows =
    sql === ""
      ? []
      : await db().$queryRawUnsafe<
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
            patientId: number | null;
            patientName: string | null;
            patientExternalId: string | null;
          }[]
        >(sql, ...params);
  if (page === "all") total = rows.length;
  const carcs = new Set<string>();
  const rarcs = new Set<string>();
  for (const row of rows) {
    for (const adjustment of row.adjustments ?? []) carcs.add(adjustment.r);
    for (const remark of row.remarks) rarcs.add(remark);
  }
  const texts = await codeTexts({ CARC: [...carcs], RARC: [...rarcs] });
  const lines = rows.map((r) => ({
    ...r,
    day: r.day ? isoDate(r.day) : "",
    adjustments: (r.adjustments ?? []).map((a) => ({ code: `${a.g}-${a.r}`, amountCents: a.a, text: texts.CARC.get(a.r) ?? null })),
    remarks: r.remarks.map((m) => ({ code: m, text: texts.RARC.get(m) ?? null })),
  }));
  return { lines, total, page, pages: pageCount(total) };
}
