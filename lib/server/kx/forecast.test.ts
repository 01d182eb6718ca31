// The queue's forecast from stored totals equals the forecast from the real visits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecastThresholdCrossing } from "@/lib/billing";
import { visitHistoryFromTotals } from "./forecast";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

describe("visitHistoryFromTotals", () => {
  it("gives forecastThresholdCrossing the same answer as the visits themselves", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 364 }), allowedCents: fc.integer({ min: 0, max: 40_000 }) }), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 300_000 }),
        fc.constantFrom(200_000, 248_000, 300_000),
        (raw, usedElsewhere, levelCents) => {
          const visits = raw.map((v) => ({ dateOfService: day(v.day), allowedCents: v.allowedCents }));
          const sorted = [...visits].sort((a, b) => (a.dateOfService < b.dateOfService ? -1 : a.dateOfService > b.dateOfService ? 1 : 0));
          const allowed = visits.reduce((s, v) => s + v.allowedCents, 0);
          const current = usedElsewhere + allowed;
          const synthetic = visitHistoryFromTotals({
            visitCount: visits.length,
            allowedHereCents: allowed,
            firstVisitOn: sorted[0]?.dateOfService ?? null,
            lastVisitOn: sorted.at(-1)?.dateOfService ?? null,
          });
          expect(forecastThresholdCrossing({ pastVisits: synthetic, currentTotalCents: current, levelCents })).toEqual(
            forecastThresholdCrossing({ pastVisits: visits, currentTotalCents: current, levelCents }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("has no history without visits", () => {
    expect(visitHistoryFromTotals({ visitCount: 0, allowedHereCents: 0, firstVisitOn: null, lastVisitOn: null })).toEqual([]);
  });
});
