// The owner's weekly revenue review: the figures of one service week against the week before,
// with the trends and breakdowns of its charts. Everything comes from the weekly rollup, brought
// up to date first; a tenant-scoped question answered with immutable value rows.
import { KPI_DEFINITIONS, KPI_KEYS, type KpiDefinition, type KpiKey } from "./definitions";
import {
  awaitingRemits,
  byPayer,
  latestWeekWithRemits,
  latestWeekWithVisits,
  openReceivables,
  type PayerRow,
  type WeekFigures,
  weeklyFigures,
} from "./metrics";
import { refreshRevenueRollup } from "../derived/rollup";
import { analyticsScope } from "./scope";
import { addWeeks, todayIn, weekStartOf } from "./weeks";

export interface Kpi extends KpiDefinition {
  value: number | null;
  previous: number | null;
  /** value − previous (percentage points for rates, days for days in receivables) */
  change: number | null;
  /** relative change for counts and money; null for rates or when the previous value is 0 */
  changeRatio: number | null;
  /** what the figure leaves out or rests on, e.g. "2 lines without a price" */
  note: string | null;
  /** the figure needs remits and none of the week's has arrived: shown as "awaiting remits", not 0 */
  awaitingRemits: boolean;
}

export interface TrendPoint {
  week: string;
  expectedCents: number;
  paidCents: number;
  chargeCents: number;
  undercodingGainCents: number;
  undercodingLines: number;
  lines: number;
  adjudicatedLines: number;
  /** lines, and none adjudicated: paid is not 0 but not known yet */
  awaitingRemits: boolean;
}

export interface RevenueReview {
  week: string;
  previousWeek: string;
  /** null when the next week has not started yet in the practice's time zone */
  nextWeek: string | null;
  currentWeek: string;
  kpis: Kpi[];
  /** 52 weeks ending with the selected week, oldest first */
  trend: TrendPoint[];
  payers: PayerRow[];
  figures: WeekFigures;
  /** the selected week has lines and no remit yet */
  awaitingRemits: boolean;
  /** the weeks after the selected one up to the current week that have lines but no remit yet, oldest first */
  newerPendingWeeks: string[];
  /** the latest complete week with adjudicated lines (where the review opens), if any */
  latestWeekWithRemits: string | null;
}

/** The figures that come from remits: for a week without any, they are unknown rather than 0. */
export const REMIT_KPIS: readonly KpiKey[] = ["paid", "patient_resp", "denial_rate", "net_collection_rate", "underpayment"];

/**
 * The week a review opens on: the given one, else the last complete week (or the latest with
 * visits, if earlier). With `withRemits` (the revenue review), the latest complete week with
 * adjudicated lines comes first: a week whose remits have not arrived reads as a collapse.
 */
export async function reviewWeek(
  practiceId: number,
  timeZone: string,
  requested?: string | null,
  { withRemits = false }: { withRemits?: boolean } = {},
): Promise<{ week: string; currentWeek: string }> {
  const currentWeek = weekStartOf(todayIn(timeZone));
  if (requested) return { week: weekStartOf(requested), currentWeek };
  const lastComplete = addWeeks(currentWeek, -1);
  const scope = analyticsScope(practiceId);
  const adjudicated = withRemits ? await latestWeekWithRemits(scope, lastComplete) : null;
  if (adjudicated) return { week: adjudicated, currentWeek };
  const latest = await latestWeekWithVisits(scope, lastComplete);
  return { week: latest ?? lastComplete, currentWeek };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function daysInReceivables(openCents: number, last13: WeekFigures[]): number | null {
  const expected = last13.reduce((s, w) => s + w.expectedCents, 0);
  return expected > 0 ? openCents / (expected / 91) : null;
}

/** The value of each KPI for one week (docs/metrics.md). */
export function kpiValues(figures: WeekFigures, openCents: number, last13: WeekFigures[]): Record<KpiKey, number | null> {
  return {
    visits: figures.visits,
    units: figures.units,
    charges: figures.chargeCents,
    expected: figures.expectedCents,
    paid: figures.paidCents,
    patient_resp: figures.patientRespCents,
    open_ar: openCents,
    days_ar: daysInReceivables(openCents, last13),
    denial_rate: ratio(figures.deniedLines, figures.adjudicatedLines),
    net_collection_rate: ratio(figures.ncrNumeratorCents, figures.ncrDenominatorCents),
    underpayment: figures.underpaymentCents,
    undercoding: figures.undercodingGainCents,
  };
}

function notes(figures: WeekFigures): Partial<Record<KpiKey, string>> {
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  return {
    expected: figures.unpricedLines > 0 ? `${plural(figures.unpricedLines, "line")} without a price left out` : null,
    paid: `${figures.adjudicatedLines.toLocaleString("en-US")} of ${plural(figures.lines, "line")} adjudicated`,
    denial_rate: `${figures.deniedLines.toLocaleString("en-US")} of ${plural(figures.adjudicatedLines, "adjudicated line")}`,
    underpayment: plural(figures.underpaidLines, "line"),
    undercoding: `${plural(figures.undercodingLines, "candidate")}; ${plural(figures.exerciseRiskLines, "97530 line")} reading as exercise`,
  } as Partial<Record<KpiKey, string>>;
}

export async function revenueReview(practiceId: number, timeZone: string, requestedWeek?: string | null): Promise<RevenueReview> {
  await refreshRevenueRollup(practiceId);
  const scope = analyticsScope(practiceId);
  const { week, currentWeek } = await reviewWeek(practiceId, timeZone, requestedWeek, { withRemits: true });
  const previousWeek = addWeeks(week, -1);
  const newer = Math.min(52, Math.round((Date.parse(currentWeek) - Date.parse(week)) / (7 * 86_400_000)));
  // the 52 weeks of the trend and the newer weeks up to the current one: one read of the weekly
  // sums when they follow each other (a week chosen more than a year back, or ahead of the current
  // one, reads them apart)
  const adjoining = newer >= 0 && addWeeks(week, newer) === currentWeek;
  const [allFigures, open, payers, apartFigures, withRemits] = await Promise.all([
    adjoining ? weeklyFigures(scope, currentWeek, 52 + newer) : weeklyFigures(scope, week, 52),
    openReceivables(scope, [previousWeek, week]),
    byPayer(scope, week),
    !adjoining && newer > 0 ? weeklyFigures(scope, currentWeek, newer) : Promise.resolve([]),
    latestWeekWithRemits(scope, addWeeks(currentWeek, -1)),
  ]);
  const trendFigures = allFigures.slice(0, 52);
  const newerFigures = adjoining ? allFigures.slice(52) : apartFigures;
  const figures = trendFigures[trendFigures.length - 1]!;
  const previousFigures = trendFigures[trendFigures.length - 2]!;
  const current = kpiValues(figures, open.get(week) ?? 0, trendFigures.slice(-13));
  const previous = kpiValues(previousFigures, open.get(previousWeek) ?? 0, trendFigures.slice(-14, -1));
  const currentNotes = notes(figures);
  const pending = awaitingRemits(figures);
  const previousPending = awaitingRemits(previousFigures);
  const kpis = KPI_KEYS.map((key): Kpi => {
    const def = KPI_DEFINITIONS[key];
    const remitFigure = REMIT_KPIS.includes(key);
    const value = remitFigure && pending ? null : current[key];
    const before = remitFigure && previousPending ? null : previous[key];
    const change = value !== null && before !== null ? value - before : null;
    const isRate = def.format === "percent" || def.format === "days";
    return {
      ...def,
      value,
      previous: before,
      change,
      changeRatio: !isRate && change !== null && before ? change / Math.abs(before) : null,
      note: remitFigure && pending ? "awaiting remits" : (currentNotes[key] ?? null),
      awaitingRemits: remitFigure && pending,
    };
  });
  return {
    week,
    previousWeek,
    nextWeek: week < currentWeek ? addWeeks(week, 1) : null,
    currentWeek,
    kpis,
    trend: trendFigures.map((f) => ({
      week: f.week,
      expectedCents: f.expectedCents,
      paidCents: f.paidCents,
      chargeCents: f.chargeCents,
      undercodingGainCents: f.undercodingGainCents,
      undercodingLines: f.undercodingLines,
      lines: f.lines,
      adjudicatedLines: f.adjudicatedLines,
      awaitingRemits: awaitingRemits(f),
    })),
    payers,
    figures,
    awaitingRemits: pending,
    newerPendingWeeks: newerFigures.filter(awaitingRemits).map((f) => f.week),
    latestWeekWithRemits: withRemits,
  };
}
