// The owner's weekly revenue review: the figures of one service week against the week before,
// with the trends and breakdowns of its charts. Everything comes from the weekly rollup, brought
// up to date first; a tenant-scoped question answered with immutable value rows.
import { KPI_DEFINITIONS, KPI_KEYS, type KpiDefinition, type KpiKey } from "./definitions";
import { byPayer, latestWeekWithVisits, openReceivables, type PayerRow, type WeekFigures, weeklyFigures } from "./metrics";
import { refreshRevenueRollup } from "./rollup";
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
}

export interface TrendPoint {
  week: string;
  expectedCents: number;
  paidCents: number;
  chargeCents: number;
  undercodingGainCents: number;
  undercodingLines: number;
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
}

/** The week a review opens on: the given one, else the last complete week (or the latest with visits, if earlier). */
export async function reviewWeek(
  practiceId: number,
  timeZone: string,
  requested?: string | null,
): Promise<{ week: string; currentWeek: string }> {
  const currentWeek = weekStartOf(todayIn(timeZone));
  if (requested) return { week: weekStartOf(requested), currentWeek };
  const lastComplete = addWeeks(currentWeek, -1);
  const latest = await latestWeekWithVisits(analyticsScope(practiceId), lastComplete);
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

function notes(f: WeekFigures): Partial<Record<KpiKey, string>> {
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  return {
    expected: f.unpricedLines > 0 ? `${plural(f.unpricedLines, "line")} without a price left out` : null,
    paid: `${f.adjudicatedLines.toLocaleString("en-US")} of ${plural(f.lines, "line")} adjudicated`,
    denial_rate: `${f.deniedLines.toLocaleString("en-US")} of ${plural(f.adjudicatedLines, "adjudicated line")}`,
    underpayment: plural(f.underpaidLines, "line"),
    undercoding: `${plural(f.undercodingLines, "candidate")}; ${plural(f.exerciseRiskLines, "97530 line")} reading as exercise`,
  } as Partial<Record<KpiKey, string>>;
}

export async function revenueReview(practiceId: number, timeZone: string, requestedWeek?: string | null): Promise<RevenueReview> {
  await refreshRevenueRollup(practiceId);
  const scope = analyticsScope(practiceId);
  const { week, currentWeek } = await reviewWeek(practiceId, timeZone, requestedWeek);
  const previousWeek = addWeeks(week, -1);
  const [trendFigures, open, payers] = await Promise.all([
    weeklyFigures(scope, week, 52),
    openReceivables(scope, [previousWeek, week]),
    byPayer(scope, week),
  ]);
  const figures = trendFigures[trendFigures.length - 1]!;
  const previousFigures = trendFigures[trendFigures.length - 2]!;
  const current = kpiValues(figures, open.get(week) ?? 0, trendFigures.slice(-13));
  const previous = kpiValues(previousFigures, open.get(previousWeek) ?? 0, trendFigures.slice(-14, -1));
  const currentNotes = notes(figures);
  const kpis = KPI_KEYS.map((key): Kpi => {
    const def = KPI_DEFINITIONS[key];
    const value = current[key];
    const before = previous[key];
    const change = value !== null && before !== null ? value - before : null;
    const isRate = def.format === "percent" || def.format === "days";
    return {
      ...def,
      value,
      previous: before,
      change,
      changeRatio: !isRate && change !== null && before ? change / Math.abs(before) : null,
      note: currentNotes[key] ?? null,
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
    })),
    payers,
    figures,
  };
}
