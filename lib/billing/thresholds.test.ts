import { describe, expect, it } from "vitest";
import {
  compareThresholdLines,
  DEFAULT_ALERT_LEVEL_CENTS,
  forecastThresholdCrossing,
  levelOfTotal,
  THERAPY_THRESHOLDS_BY_YEAR,
  type ThresholdLine,
  thresholdCrossings,
  thresholdsFor,
} from "./thresholds";

const levels2026 = { alertLevelCents: 200000, kxThresholdCents: 248000, reviewThresholdCents: 300000 };
const lineOf = (
  allowedCents: number,
  dateOfService: string,
  modifiers: string[] = ["GP"],
  visitId = dateOfService,
  lineOrder = 0,
): ThresholdLine => ({
  dateOfService,
  visitId,
  lineOrder,
  allowedCents,
  modifiers,
});

describe("thresholdsFor (DOMAIN.md §1)", () => {
  it("has every year 2018–2026 with the $3,000 review threshold", () => {
    expect(Object.keys(THERAPY_THRESHOLDS_BY_YEAR).map(Number)).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(thresholdsFor(2018)).toMatchObject({ known: true, kxThresholdCents: 201000, reviewThresholdCents: 300000 });
    expect(thresholdsFor(2026)).toEqual({
      known: true,
      year: 2026,
      alertLevelCents: DEFAULT_ALERT_LEVEL_CENTS,
      ...{ kxThresholdCents: 248000, reviewThresholdCents: 300000 },
    });
  });

  it("takes the practice's own alert level", () => {
    expect(thresholdsFor(2025, 180000)).toMatchObject({ alertLevelCents: 180000, kxThresholdCents: 241000 });
  });

  it("says 'unknown year' instead of guessing", () => {
    const result = thresholdsFor(2028);
    expect(result.known).toBe(false);
    if (!result.known) expect(result.reason).toMatch(/2028/);
    expect(thresholdsFor(2017).known).toBe(false);
  });
});

describe("which line crosses", () => {
  it("a total equal to a level is not past it; one cent more is", () => {
    expect(levelOfTotal(200000, { alert: 200000, kx: 248000, review: 300000 })).toBe("below");
    expect(levelOfTotal(200001, { alert: 200000, kx: 248000, review: 300000 })).toBe("alert");
    expect(levelOfTotal(248000, { alert: 200000, kx: 248000, review: 300000 })).toBe("alert");
    expect(levelOfTotal(248001, { alert: 200000, kx: 248000, review: 300000 })).toBe("kx");
    expect(levelOfTotal(300000, { alert: 200000, kx: 248000, review: 300000 })).toBe("kx");
    expect(levelOfTotal(300001, { alert: 200000, kx: 248000, review: 300000 })).toBe("review");
  });

  it("the line reaching exactly the KX threshold does not cross it; the next one does", () => {
    const status = thresholdCrossings({
      usedElsewhereCents: 0,
      lines: [lineOf(248000, "2026-03-01"), lineOf(1, "2026-03-02", ["GP", "KX"]), lineOf(5000, "2026-03-03")],
      ...levels2026,
    });
    expect(status.crossings.alert?.lineIndex).toBe(0);
    expect(status.crossings.kx).toMatchObject({ lineIndex: 1, dateOfService: "2026-03-02", runningTotalCents: 248001 });
    expect(status.needsKx).toEqual([false, true, true]);
    expect(status.linesMissingKx).toEqual([2]);
    expect(status.level).toBe("kx");
  });

  it("adds the amount used elsewhere first", () => {
    const status = thresholdCrossings({
      usedElsewhereCents: 240000,
      lines: [lineOf(5000, "2026-02-01", ["GP"]), lineOf(5000, "2026-02-08", ["GP", "GA"])],
      ...levels2026,
    });
    expect(status.crossings.alert).toMatchObject({ lineIndex: 0 });
    expect(status.crossings.kx).toMatchObject({ lineIndex: 1 });
    expect(status.linesMissingKx).toEqual([]); // GA (with an ABN) stands in for KX
    expect(status.totalCents).toBe(250000);
    expect(status.allowedHereCents).toBe(10000);
  });

  it("when the amount used elsewhere is already past the KX threshold, every line needs KX", () => {
    const status = thresholdCrossings({
      usedElsewhereCents: 260000,
      lines: [lineOf(3000, "2026-05-01"), lineOf(3000, "2026-05-02", ["GP", "KX"])],
      ...levels2026,
    });
    expect(status.needsKx).toEqual([true, true]);
    expect(status.linesMissingKx).toEqual([0]);
    // $2,600 used elsewhere alone exceeds the alert level ($2,000) and the KX threshold ($2,480),
    // not review ($3,000): both are crossed on the date of the first line of the year in the pool;
    // review is crossed by neither line (2,600 + 30 + 30 = 2,660).
    expect(status.crossings.alert?.dateOfService).toBe("2026-05-01");
    expect(status.crossings.kx?.dateOfService).toBe("2026-05-01");
    expect(status.crossings.review).toBeNull();
  });

  it("orders lines by date of service, then visit, then line order", () => {
    const lines = [
      lineOf(1, "2026-02-01", ["GP"], "V2", 1),
      lineOf(1, "2026-02-01", ["GP"], "V2", 0),
      lineOf(1, "2026-01-31", ["GP"], "V9", 0),
      lineOf(1, "2026-02-01", ["GP"], "V1", 3),
    ];
    expect([...lines].sort(compareThresholdLines).map((l) => `${l.dateOfService}/${l.visitId}/${l.lineOrder}`)).toEqual([
      "2026-01-31/V9/0",
      "2026-02-01/V1/3",
      "2026-02-01/V2/0",
      "2026-02-01/V2/1",
    ]);
  });

  it("below every level: no crossings, nothing needs KX", () => {
    const status = thresholdCrossings({ usedElsewhereCents: 0, lines: [lineOf(10000, "2026-01-05")], ...levels2026 });
    expect(status.level).toBe("below");
    expect(status.crossings).toEqual({ alert: null, kx: null, review: null });
    expect(status.needsKx).toEqual([false]);
  });
});

describe("forecastThresholdCrossing", () => {
  const past = [
    { dateOfService: "2026-03-02", allowedCents: 10000 },
    { dateOfService: "2026-03-05", allowedCents: 10000 },
    { dateOfService: "2026-03-09", allowedCents: 10000 },
    { dateOfService: "2026-03-12", allowedCents: 10000 },
  ];

  it("estimates the crossing visit and date from averages", () => {
    // 4 visits, $100 each, every 10/3 days; $400 now; alert at $2,000 → 17th visit from now crosses (400 + 17 × 100 > 2,000).
    const forecast = forecastThresholdCrossing({ pastVisits: past, currentTotalCents: 40000, levelCents: 200000 });
    expect(forecast).toMatchObject({
      kind: "forecast",
      visitsUntilCrossing: 17,
      crossingVisitNumber: 21,
      averageAllowedPerVisitCents: 10000,
      dateFromSchedule: false,
    });
    if (forecast.kind === "forecast") {
      expect(forecast.averageDaysBetweenVisits).toBeCloseTo(10 / 3);
      expect(forecast.estimatedDate).toBe("2026-05-08"); // 2026-03-12 + round(17 × 10/3 = 56.67) = 57 days
    }
  });

  it("reaching the level exactly is not crossing it", () => {
    const forecast = forecastThresholdCrossing({ pastVisits: past, currentTotalCents: 190000, levelCents: 200000 });
    expect(forecast).toMatchObject({ kind: "forecast", visitsUntilCrossing: 2 });
  });

  it("uses planned visit dates when given", () => {
    const forecast = forecastThresholdCrossing({
      pastVisits: past,
      currentTotalCents: 185000,
      levelCents: 200000,
      plannedVisitDates: ["2026-03-16", "2026-03-19", "2026-03-23"],
    });
    expect(forecast).toMatchObject({ kind: "forecast", visitsUntilCrossing: 2, estimatedDate: "2026-03-19", dateFromSchedule: true });
  });

  it("already crossed, or no history", () => {
    expect(forecastThresholdCrossing({ pastVisits: past, currentTotalCents: 200001, levelCents: 200000 }).kind).toBe("already_crossed");
    expect(forecastThresholdCrossing({ pastVisits: [], currentTotalCents: 0, levelCents: 200000 }).kind).toBe("not_enough_history");
  });

  it("one past visit: a visit number but no date", () => {
    const forecast = forecastThresholdCrossing({ pastVisits: [past[0] as (typeof past)[0]], currentTotalCents: 10000, levelCents: 30000 });
    expect(forecast).toMatchObject({ kind: "forecast", visitsUntilCrossing: 3, crossingVisitNumber: 4, estimatedDate: null });
  });
});
