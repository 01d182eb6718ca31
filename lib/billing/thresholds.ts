// Medicare therapy thresholds and the KX modifier (DOMAIN.md §1; Social Security Act
// §1833(g) as amended by the Bipartisan Budget Act of 2018; CMS Pub. 100-04 ch. 5 §10.3).
import { GA_MODIFIER, hasModifier, KX_MODIFIER } from "./codes";

/** Dollar amounts of one calendar year, in cents, per pool (PT+SLP and OT each have their own). */
export interface ThresholdYear {
  kxThresholdCents: number;
  reviewThresholdCents: number;
}

/**
 * KX threshold and targeted medical review threshold by calendar year (DOMAIN.md §1;
 * CMS annual PFS final rules). The review threshold is $3,000 for every year before 2028
 * and indexed by MEI from 2028 on: add those years when CMS publishes them.
 */
export const THERAPY_THRESHOLDS_BY_YEAR: Readonly<Record<number, ThresholdYear>> = {
  2018: { kxThresholdCents: 201000, reviewThresholdCents: 300000 },
  2019: { kxThresholdCents: 204000, reviewThresholdCents: 300000 },
  2020: { kxThresholdCents: 208000, reviewThresholdCents: 300000 },
  2021: { kxThresholdCents: 211000, reviewThresholdCents: 300000 },
  2022: { kxThresholdCents: 215000, reviewThresholdCents: 300000 },
  2023: { kxThresholdCents: 223000, reviewThresholdCents: 300000 },
  2024: { kxThresholdCents: 233000, reviewThresholdCents: 300000 },
  2025: { kxThresholdCents: 241000, reviewThresholdCents: 300000 },
  2026: { kxThresholdCents: 248000, reviewThresholdCents: 300000 },
};

/** The practice's own alert level unless it sets another: $2,000 (DOMAIN.md §1). */
export const DEFAULT_ALERT_LEVEL_CENTS = 200000;

export type ThresholdLevelName = "alert" | "kx" | "review";
/** Where a patient's pool stands: below every level, or past the alert, KX or review level. */
export type ThresholdLevel = "below" | ThresholdLevelName;

export type ThresholdsForYear =
  | {
      known: true;
      year: number;
      alertLevelCents: number;
      kxThresholdCents: number;
      reviewThresholdCents: number;
    }
  | { known: false; year: number; reason: string };

/** The alert, KX and review levels of a calendar year, or "unknown year" rather than a guess (DOMAIN.md §1). */
export function thresholdsFor(
  year: number,
  alertLevelCents: number = DEFAULT_ALERT_LEVEL_CENTS,
  table: Readonly<Record<number, ThresholdYear>> = THERAPY_THRESHOLDS_BY_YEAR,
): ThresholdsForYear {
  const amounts = table[year];
  if (!amounts) {
    return {
      known: false,
      year,
      reason: `No Medicare therapy threshold is loaded for ${year}; add that year's KX and review amounts before relying on the KX queue.`,
    };
  }
  return {
    known: true,
    year,
    alertLevelCents,
    kxThresholdCents: amounts.kxThresholdCents,
    reviewThresholdCents: amounts.reviewThresholdCents,
  };
}

/** One therapy line of a patient's pool, as it accumulates toward the thresholds. */
export interface ThresholdLine {
  dateOfService: string;
  visitId: string;
  lineOrder: number;
  /** Medicare allowed amount of the line (remit allowed when confirmed, else expected allowed). */
  allowedCents: number;
  modifiers: readonly string[];
}

/** Orders lines by date of service, then visit, then line order (DOMAIN.md §1 "Which line crosses"). */
export function compareThresholdLines(first: ThresholdLine, second: ThresholdLine): number {
  if (first.dateOfService !== second.dateOfService) return first.dateOfService < second.dateOfService ? -1 : 1;
  if (first.visitId !== second.visitId) return compareVisitIds(first.visitId, second.visitId);
  return first.lineOrder - second.lineOrder;
}

const utf8 = new TextEncoder();

/**
 * Visit order ("earlier line", DOMAIN.md "Precise cases"): visit ids compared as text, byte by
 * byte (UTF-8), so "V10" comes before "V9" and "Z" before "a", whatever the locale.
 */
export function compareVisitIds(first: string, second: string): number {
  if (first === second) return 0;
  const firstBytes = utf8.encode(first);
  const secondBytes = utf8.encode(second);
  const common = Math.min(firstBytes.length, secondBytes.length);
  for (let i = 0; i < common; i++) {
    const difference = (firstBytes[i] as number) - (secondBytes[i] as number);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return firstBytes.length < secondBytes.length ? -1 : firstBytes.length > secondBytes.length ? 1 : 0;
}

export interface ThresholdCrossing {
  /** Index (in the order given) of the line whose running total first exceeds the level. */
  lineIndex: number;
  dateOfService: string;
  visitId: string;
  /** Running total after that line. */
  runningTotalCents: number;
}

export interface ThresholdStatus {
  usedElsewhereCents: number;
  /** Allowed amounts of the lines given (the practice's own part). */
  allowedHereCents: number;
  /** Used elsewhere plus allowed here. */
  totalCents: number;
  level: ThresholdLevel;
  crossings: Record<ThresholdLevelName, ThresholdCrossing | null>;
  /** needsKx[i]: line i is the KX crossing line or comes after it. */
  needsKx: boolean[];
  /** Indices of lines that need KX and carry neither KX nor GA. */
  linesMissingKx: number[];
}

/**
 * Running total of a pool and the line crossing each level: the first line at which used
 * elsewhere + allowed so far strictly exceeds the level; that line and every later one
 * need KX (DOMAIN.md §1; CMS Pub. 100-04 ch. 5 §10.3). Lines must already be ordered
 * by {@link compareThresholdLines}.
 */
export function thresholdCrossings(input: {
  usedElsewhereCents: number;
  lines: readonly ThresholdLine[];
  alertLevelCents: number;
  kxThresholdCents: number;
  reviewThresholdCents: number;
}): ThresholdStatus {
  const levels: Record<ThresholdLevelName, number> = {
    alert: input.alertLevelCents,
    kx: input.kxThresholdCents,
    review: input.reviewThresholdCents,
  };
  const crossings: Record<ThresholdLevelName, ThresholdCrossing | null> = {
    alert: null,
    kx: null,
    review: null,
  };
  let running = input.usedElsewhereCents;
  input.lines.forEach((line, lineIndex) => {
    running += line.allowedCents;
    for (const name of ["alert", "kx", "review"] as const) {
      if (crossings[name] === null && running > levels[name]) {
        crossings[name] = {
          lineIndex,
          dateOfService: line.dateOfService,
          visitId: line.visitId,
          runningTotalCents: running,
        };
      }
    }
  });

  const kxFrom = crossings.kx?.lineIndex ?? Number.POSITIVE_INFINITY;
  const needsKx = input.lines.map((_, i) => i >= kxFrom);
  const linesMissingKx = input.lines.flatMap((line, i) =>
    needsKx[i] && !hasModifier(line.modifiers, KX_MODIFIER) && !hasModifier(line.modifiers, GA_MODIFIER) ? [i] : [],
  );

  return {
    usedElsewhereCents: input.usedElsewhereCents,
    allowedHereCents: running - input.usedElsewhereCents,
    totalCents: running,
    level: levelOfTotal(running, levels),
    crossings,
    needsKx,
    linesMissingKx,
  };
}

/** The highest level a total is strictly past; a total equal to a level is not past it (DOMAIN.md §1). */
export function levelOfTotal(totalCents: number, levels: { alert: number; kx: number; review: number }): ThresholdLevel {
  if (totalCents > levels.review) return "review";
  if (totalCents > levels.kx) return "kx";
  if (totalCents > levels.alert) return "alert";
  return "below";
}

export interface PastVisit {
  dateOfService: string;
  allowedCents: number;
}

export type ThresholdForecast =
  | { kind: "already_crossed"; totalCents: number; levelCents: number }
  | { kind: "not_enough_history"; reason: string }
  | {
      kind: "forecast";
      /** Visits from now until the crossing one (1 = the next visit crosses). */
      visitsUntilCrossing: number;
      /** Number of the crossing visit in the patient's year (past visits + visitsUntilCrossing). */
      crossingVisitNumber: number;
      /** Date of the crossing visit: a planned date when one is given, else estimated from the visit rhythm. */
      estimatedDate: string | null;
      /** True when estimatedDate is a scheduled/planned visit date. */
      dateFromSchedule: boolean;
      averageAllowedPerVisitCents: number;
      averageDaysBetweenVisits: number | null;
    };

/**
 * Forecasts the visit at which a pool will cross a level, from the patient's average allowed
 * per visit and average days between visits (or their planned visit dates) (DOMAIN.md §1).
 */
export function forecastThresholdCrossing(input: {
  pastVisits: readonly PastVisit[];
  currentTotalCents: number;
  levelCents: number;
  /** Scheduled or planned future visit dates, in order, when known. */
  plannedVisitDates?: readonly string[];
}): ThresholdForecast {
  if (input.currentTotalCents > input.levelCents) {
    return { kind: "already_crossed", totalCents: input.currentTotalCents, levelCents: input.levelCents };
  }
  const visits = [...input.pastVisits].sort((a, b) => (a.dateOfService < b.dateOfService ? -1 : a.dateOfService > b.dateOfService ? 1 : 0));
  if (visits.length === 0) {
    return { kind: "not_enough_history", reason: "No past visits this year to average." };
  }
  const allowedSum = visits.reduce((sum, v) => sum + v.allowedCents, 0);
  const averageAllowed = allowedSum / visits.length;
  if (averageAllowed <= 0) {
    return { kind: "not_enough_history", reason: "Past visits have no allowed amount to average." };
  }
  // Smallest k with current + k × average > level.
  const visitsUntilCrossing = Math.floor((input.levelCents - input.currentTotalCents) / averageAllowed) + 1;

  let averageDays: number | null = null;
  const first = visits[0];
  const last = visits[visits.length - 1];
  if (visits.length >= 2 && first && last) {
    averageDays = daysBetween(first.dateOfService, last.dateOfService) / (visits.length - 1);
  }

  const planned = input.plannedVisitDates?.[visitsUntilCrossing - 1];
  let estimatedDate: string | null = null;
  if (planned !== undefined) estimatedDate = planned;
  else if (averageDays !== null && last) {
    estimatedDate = addDays(last.dateOfService, Math.round(averageDays * visitsUntilCrossing));
  }

  return {
    kind: "forecast",
    visitsUntilCrossing,
    crossingVisitNumber: visits.length + visitsUntilCrossing,
    estimatedDate,
    dateFromSchedule: planned !== undefined,
    averageAllowedPerVisitCents: Math.round(averageAllowed),
    averageDaysBetweenVisits: averageDays,
  };
}

const DAY_MS = 86_400_000;

function dateToUtcMs(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function daysBetween(from: string, to: string): number {
  return Math.round((dateToUtcMs(to) - dateToUtcMs(from)) / DAY_MS);
}

function addDays(date: string, days: number): string {
  return new Date(dateToUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}
