// Reads of the weekly rollup: chart-ready rows from SQL aggregates, every query on the one
// fail-closed scope (scope.ts); empty weeks are filled in code. Formulas: docs/metrics.md.
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import type { AnalyticsScope } from "./scope";
import { addWeeks, weeksEndingWith } from "./weeks";

export interface WeekFigures {
  week: string;
  visits: number;
  lines: number;
  units: number;
  chargeCents: number;
  expectedCents: number;
  unpricedLines: number;
  adjudicatedLines: number;
  deniedLines: number;
  paidCents: number;
  patientRespCents: number;
  ncrNumeratorCents: number;
  ncrDenominatorCents: number;
  underpaymentCents: number;
  underpaidLines: number;
  undercodingGainCents: number;
  undercodingLines: number;
  exerciseRiskLines: number;
  units97530: number;
  units97110: number;
}

const FIGURE_KEYS = [
  "visits",
  "lines",
  "units",
  "chargeCents",
  "expectedCents",
  "unpricedLines",
  "adjudicatedLines",
  "deniedLines",
  "paidCents",
  "patientRespCents",
  "ncrNumeratorCents",
  "ncrDenominatorCents",
  "underpaymentCents",
  "underpaidLines",
  "undercodingGainCents",
  "undercodingLines",
  "exerciseRiskLines",
  "units97530",
  "units97110",
] as const satisfies readonly (keyof WeekFigures)[];

export function emptyWeek(week: string): WeekFigures {
  const figures = { week } as WeekFigures;
  for (const key of FIGURE_KEYS) figures[key] = 0;
  return figures;
}

function num(value: unknown): number {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  if (value == null) return 0;
  return Number(value);
}

const SUMS = Prisma.sql`
  sum(rw.visits) as visits, sum(rw.lines) as lines, sum(rw.units) as units,
  sum(rw."chargeCents") as "chargeCents", sum(rw."expectedCents") as "expectedCents",
  sum(rw."unpricedLines") as "unpricedLines", sum(rw."adjudicatedLines") as "adjudicatedLines",
  sum(rw."deniedLines") as "deniedLines", sum(rw."paidCents") as "paidCents",
  sum(rw."patientRespCents") as "patientRespCents", sum(rw."ncrNumeratorCents") as "ncrNumeratorCents",
  sum(rw."ncrDenominatorCents") as "ncrDenominatorCents", sum(rw."underpaymentCents") as "underpaymentCents",
  sum(rw."underpaidLines") as "underpaidLines", sum(rw."undercodingGainCents") as "undercodingGainCents",
  sum(rw."undercodingLines") as "undercodingLines", sum(rw."exerciseRiskLines") as "exerciseRiskLines",
  sum(rw."units97530") as "units97530", sum(rw."units97110") as "units97110"`;

function toFigures(week: string, row: Record<string, unknown> | undefined): WeekFigures {
  const figures = emptyWeek(week);
  if (row) for (const key of FIGURE_KEYS) figures[key] = num(row[key]);
  return figures;
}

/** Totals of each of the `count` weeks ending with `lastWeek`, oldest first; weeks without visits are zeros. */
export async function weeklyFigures(scope: AnalyticsScope, lastWeek: string, count: number): Promise<WeekFigures[]> {
  const weeks = weeksEndingWith(lastWeek, count);
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select rw."weekStart" as week, ${SUMS}
    from "RevenueWeek" rw
    where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(weeks[0]!)}::date and ${dateFromIso(lastWeek)}::date
    group by rw."weekStart"`;
  const byWeek = new Map(rows.map((r) => [isoDate(r.week as Date), r]));
  return weeks.map((w) => toFigures(w, byWeek.get(w)));
}

/**
 * Open receivables at the end of each given week: expected allowed of lines with a date of
 * service up to that Sunday whose claim was not settled (final remit) by then.
 */
export async function openReceivables(scope: AnalyticsScope, weeks: string[]): Promise<Map<string, number>> {
  if (weeks.length === 0) return new Map();
  const rows = await db().$queryRaw<{ week: Date; open: unknown }[]>`
    select w.week, coalesce(sum(rv."expectedCents"), 0) as open
    from unnest(${weeks}::date[]) as w(week)
    left join "ReceivableWeek" rv
      on ${scope.where("rv")} and rv."openFrom" <= w.week and (rv."openUntil" is null or rv."openUntil" > w.week)
    group by w.week`;
  return new Map(rows.map((r) => [isoDate(r.week), num(r.open)]));
}

export interface PayerRow {
  payerId: number;
  payer: string;
  kind: string;
  /** the selected week */
  visits: number;
  chargeCents: number;
  expectedCents: number;
  paidCents: number;
  /** the 13 weeks ending with the selected week */
  underpaymentCents13: number;
  underpaidLines13: number;
}

/** Payer mix of a week and underpayment by payer over the 13 weeks ending with it. */
export async function byPayer(scope: AnalyticsScope, week: string): Promise<PayerRow[]> {
  const first = addWeeks(week, -12);
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select rw."payerId", p.name as payer, p.kind::text as kind,
           sum(rw.visits) filter (where rw."weekStart" = ${dateFromIso(week)}::date) as visits,
           sum(rw."chargeCents") filter (where rw."weekStart" = ${dateFromIso(week)}::date) as "chargeCents",
           sum(rw."expectedCents") filter (where rw."weekStart" = ${dateFromIso(week)}::date) as "expectedCents",
           sum(rw."paidCents") filter (where rw."weekStart" = ${dateFromIso(week)}::date) as "paidCents",
           sum(rw."underpaymentCents") as "underpaymentCents13",
           sum(rw."underpaidLines") as "underpaidLines13"
    from "RevenueWeek" rw join "Payer" p on p.id = rw."payerId"
    where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(first)}::date and ${dateFromIso(week)}::date
    group by rw."payerId", p.name, p.kind`;
  return rows
    .map((r) => ({
      payerId: num(r.payerId),
      payer: String(r.payer),
      kind: String(r.kind),
      visits: num(r.visits),
      chargeCents: num(r.chargeCents),
      expectedCents: num(r.expectedCents),
      paidCents: num(r.paidCents),
      underpaymentCents13: num(r.underpaymentCents13),
      underpaidLines13: num(r.underpaidLines13),
    }))
    .sort((a, b) => b.visits - a.visits || b.underpaymentCents13 - a.underpaymentCents13 || a.payer.localeCompare(b.payer));
}

export interface TherapistShareRow {
  therapistId: number;
  name: string;
  npi: string;
  credential: string;
  units97530: number;
  units97110: number;
  /** 97530 / (97530 + 97110) units; null without either */
  share97530: number | null;
  candidateLines: number;
  gainCents: number;
}

/** Each therapist's 97530 share of 97530 + 97110 units, and the practice's, over a range of weeks. */
export async function therapistShares(
  scope: AnalyticsScope,
  firstWeek: string,
  lastWeek: string,
): Promise<{ therapists: TherapistShareRow[]; practice: { units97530: number; units97110: number; share97530: number | null } }> {
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select rw."therapistId", t.name, t.npi, t.credential::text as credential,
           rw."units97530", rw."units97110", rw."candidateLines", rw."gainCents"
    from (
      -- summed by therapist first, then named: grouping a year's rows (25,000 at a million
      -- visits) by the names too cost twice the sums (RevenueWeek_undercoding_idx covers them)
      select rw."therapistId", sum(rw."units97530") as "units97530", sum(rw."units97110") as "units97110",
             sum(rw."undercodingLines") as "candidateLines", sum(rw."undercodingGainCents") as "gainCents"
      from "RevenueWeek" rw
      where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(firstWeek)}::date and ${dateFromIso(lastWeek)}::date
      group by rw."therapistId"
    ) rw
    join "Therapist" t on t.id = rw."therapistId"`;
  const share = (a: number, b: number) => (a + b > 0 ? a / (a + b) : null);
  const therapists = rows
    .map((row) => {
      const u30 = num(row.units97530);
      const u10 = num(row.units97110);
      return {
        therapistId: num(row.therapistId),
        name: String(row.name),
        npi: String(row.npi),
        credential: String(row.credential),
        units97530: u30,
        units97110: u10,
        share97530: share(u30, u10),
        candidateLines: num(row.candidateLines),
        gainCents: num(row.gainCents),
      };
    })
    .filter((t) => t.units97530 + t.units97110 > 0)
    .sort((a, b) => (a.share97530 ?? 0) - (b.share97530 ?? 0) || a.name.localeCompare(b.name));
  const u30 = therapists.reduce((s, t) => s + t.units97530, 0);
  const u10 = therapists.reduce((s, t) => s + t.units97110, 0);
  return { therapists, practice: { units97530: u30, units97110: u10, share97530: share(u30, u10) } };
}

/** The latest service week with any visit, up to `notAfter`; null for a practice without visits. */
export async function latestWeekWithVisits(scope: AnalyticsScope, notAfter: string): Promise<string | null> {
  const rows = await db().$queryRaw<{ week: Date | null }[]>`
    select max(rw."weekStart") as week from "RevenueWeek" rw
    where ${scope.where("rw")} and rw."weekStart" <= ${dateFromIso(notAfter)}::date`;
  return rows[0]?.week ? isoDate(rows[0].week) : null;
}

/** The latest service week with an adjudicated line (a remit has arrived), up to `notAfter`; null without any. */
export async function latestWeekWithRemits(scope: AnalyticsScope, notAfter: string): Promise<string | null> {
  const rows = await db().$queryRaw<{ week: Date | null }[]>`
    select max(rw."weekStart") as week from "RevenueWeek" rw
    where ${scope.where("rw")} and rw."weekStart" <= ${dateFromIso(notAfter)}::date and rw."adjudicatedLines" > 0`;
  return rows[0]?.week ? isoDate(rows[0].week) : null;
}

/** A week is awaiting remits when it has lines and none of them is adjudicated yet. */
export function awaitingRemits(figures: Pick<WeekFigures, "lines" | "adjudicatedLines">): boolean {
  return figures.lines > 0 && figures.adjudicatedLines === 0;
}

export interface UndercodingPayerRow {
  payerId: number;
  payer: string;
  candidateLines: number;
  gainCents: number;
  exerciseRiskLines: number;
  units97530: number;
  units97110: number;
}

/** Undercoding by payer over a range of weeks (candidates not dismissed). */
export async function undercodingByPayer(scope: AnalyticsScope, firstWeek: string, lastWeek: string): Promise<UndercodingPayerRow[]> {
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select rw."payerId", p.name as payer, rw."candidateLines", rw."gainCents", rw."exerciseRiskLines", rw."units97530", rw."units97110"
    from (
      select rw."payerId", sum(rw."undercodingLines") as "candidateLines",
             sum(rw."undercodingGainCents") as "gainCents", sum(rw."exerciseRiskLines") as "exerciseRiskLines",
             sum(rw."units97530") as "units97530", sum(rw."units97110") as "units97110"
      from "RevenueWeek" rw
      where ${scope.where("rw")} and rw."weekStart" between ${dateFromIso(firstWeek)}::date and ${dateFromIso(lastWeek)}::date
      group by rw."payerId"
    ) rw
    join "Payer" p on p.id = rw."payerId"`;
  return rows
    .map((r) => ({
      payerId: num(r.payerId),
      payer: String(r.payer),
      candidateLines: num(r.candidateLines),
      gainCents: num(r.gainCents),
      exerciseRiskLines: num(r.exerciseRiskLines),
      units97530: num(r.units97530),
      units97110: num(r.units97110),
    }))
    .filter((r) => r.candidateLines + r.exerciseRiskLines + r.units97530 + r.units97110 > 0)
    .sort((a, b) => b.gainCents - a.gainCents || a.payer.localeCompare(b.payer));
}
