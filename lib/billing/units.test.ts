import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TIMED_CODES } from "./codes";
import { type UnitLine, unitsByEightMinuteRule, unitsFlagFor, unitsForTimedMinutes } from "./units";

const timed = (cpt: string, minutes: number, unitsBilled = 0): UnitLine => ({ cpt, minutes, unitsBilled });
const supported = (lines: UnitLine[], method: "cms" | "per_code" = "cms") =>
  unitsByEightMinuteRule(lines, method).lines.map((line) => line.unitsSupported);

describe("unitsForTimedMinutes (CMS step 1)", () => {
  it.each([
    [0, 0],
    [7, 0],
    [8, 1],
    [22, 1],
    [23, 2],
    [37, 2],
    [38, 3],
    [52, 3],
    [53, 4],
    [67, 4],
    [68, 5],
  ])("%i minutes → %i units", (minutes, units) => {
    expect(unitsForTimedMinutes(minutes)).toBe(units);
  });
});

describe("CMS pooled method: the worked examples of DOMAIN.md §2 (Pub. 100-04 ch. 5 §20.2)", () => {
  it("97112 24, 97110 23 → 97112 ×2, 97110 ×1", () => {
    expect(supported([timed("97112", 24), timed("97110", 23)])).toEqual([2, 1]);
  });

  it("97112 20, 97110 20 → one code ×2, the other ×1, never 3 of one; the tie is recorded", () => {
    const result = unitsByEightMinuteRule([timed("97112", 20), timed("97110", 20)]);
    const units = result.lines.map((line) => line.unitsSupported);
    expect([...units].sort()).toEqual([1, 2]);
    expect(units).toEqual([2, 1]); // deterministic: the earlier line wins the tie
    expect(result.tieBroken).toBe(true);
    expect(result.lines.every((line) => line.tieBroken)).toBe(true);
  });

  it("97110 33, 97140 7 → 97110 ×2, 97140 ×1", () => {
    expect(supported([timed("97110", 33), timed("97140", 7)])).toEqual([2, 1]);
  });

  it("97110 18, 97140 13, 97116 10, 97035 8 → 97110, 97140, 97116 ×1 each, 97035 ×0", () => {
    expect(supported([timed("97110", 18), timed("97140", 13), timed("97116", 10), timed("97035", 8)])).toEqual([1, 1, 1, 0]);
  });

  it("97112 7, 97110 7, 97140 7 → one unit in all", () => {
    const result = unitsByEightMinuteRule([timed("97112", 7), timed("97110", 7), timed("97140", 7)]);
    expect(result.lines.map((line) => line.unitsSupported)).toEqual([1, 0, 0]);
    expect(result.totalTimedUnits).toBe(1);
    expect(result.tieBroken).toBe(true);
  });

  it("97530 24, 97110 23 → 97530 ×2, 97110 ×1", () => {
    expect(supported([timed("97530", 24), timed("97110", 23)])).toEqual([2, 1]);
  });

  it("records no tie when leftovers differ", () => {
    const result = unitsByEightMinuteRule([timed("97112", 24), timed("97110", 23)]);
    expect(result.tieBroken).toBe(false);
  });
});

describe("per-code method (rule of eights)", () => {
  it("97110 33 + 97140 7 → 2 units (97140 alone is under 8 minutes)", () => {
    const result = unitsByEightMinuteRule([timed("97110", 33), timed("97140", 7)], "per_code");
    expect(result.lines.map((line) => line.unitsSupported)).toEqual([2, 0]);
    expect(result.totalTimedUnits).toBe(2);
  });

  it("each code on its own: 97112 20, 97110 20 → 1 each", () => {
    expect(supported([timed("97112", 20), timed("97110", 20)], "per_code")).toEqual([1, 1]);
  });
});

describe("untimed codes, caps and flags", () => {
  it("an untimed code supports 1 unit and never counts in the timed total", () => {
    const result = unitsByEightMinuteRule([
      { cpt: "97161", minutes: null, unitsBilled: 1 },
      { cpt: "97140", minutes: 7, unitsBilled: 1 },
      { cpt: "G0283", minutes: 15, unitsBilled: 1 },
    ]);
    expect(result.totalTimedMinutes).toBe(7);
    expect(result.lines.map((line) => line.unitsSupported)).toEqual([1, 0, 1]);
    expect(result.lines.map((line) => line.flag)).toEqual(["ok", "over", "ok"]);
  });

  it("a payer cap lowers the units supported", () => {
    const [line] = unitsByEightMinuteRule([{ cpt: "97530", minutes: 80, unitsBilled: 5, maxUnitsPerVisit: 4 }], "per_code").lines;
    expect(line?.unitsByMinutes).toBe(5);
    expect(line?.unitsSupported).toBe(4);
    expect(line?.capped).toBe(true);
    expect(line?.flag).toBe("over");
  });

  it("flags over, under and ok", () => {
    expect(unitsFlagFor(3, 2)).toBe("over");
    expect(unitsFlagFor(1, 2)).toBe("under");
    expect(unitsFlagFor(2, 2)).toBe("ok");
    const result = unitsByEightMinuteRule([timed("97112", 33, 3), timed("97110", 31, 1)]);
    expect(result.lines.map((line) => [line.unitsSupported, line.flag])).toEqual([
      [2, "over"],
      [2, "under"],
    ]);
  });

  it("a code billed on two lines shares its minutes", () => {
    // 97110 10 + 97110 10 = 20 minutes of 97110 → 1 unit, on the earlier line.
    expect(supported([timed("97110", 10), timed("97110", 10)], "per_code")).toEqual([1, 0]);
    expect(supported([timed("97110", 10), timed("97110", 10)], "cms")).toEqual([1, 0]);
  });
});

describe("properties", () => {
  const timedCodes = [...TIMED_CODES];
  const visitArb = fc
    .uniqueArray(fc.constantFrom(...timedCodes), { minLength: 1, maxLength: 5 })
    .chain((codes) =>
      fc.tuple(fc.constant(codes), fc.array(fc.integer({ min: 0, max: 90 }), { minLength: codes.length, maxLength: codes.length })),
    )
    .map(([codes, minutes]) => codes.map((cpt, i) => timed(cpt, minutes[i] ?? 0)));

  it("pooled units = floor((T + 7) / 15) for T ≥ 8, and 0 below", () => {
    fc.assert(
      fc.property(visitArb, (lines) => {
        const result = unitsByEightMinuteRule(lines, "cms");
        const total = lines.reduce((sum, line) => sum + (line.minutes ?? 0), 0);
        const expected = total < 8 ? 0 : Math.floor((total + 7) / 15);
        const sum = result.lines.reduce((s, line) => s + line.unitsSupported, 0);
        return result.totalTimedMinutes === total && result.totalTimedUnits === expected && sum === expected;
      }),
    );
  });

  it("no code gets more than floor(m / 15) + 1 units", () => {
    fc.assert(
      fc.property(visitArb, fc.constantFrom("cms" as const, "per_code" as const), (lines, method) =>
        unitsByEightMinuteRule(lines, method).lines.every(
          (line, i) => line.unitsSupported <= Math.floor((lines[i]?.minutes ?? 0) / 15) + 1,
        ),
      ),
    );
  });

  it("more minutes never lower the total units", () => {
    fc.assert(
      fc.property(
        visitArb,
        fc.nat({ max: 4 }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom("cms" as const, "per_code" as const),
        (lines, pick, extra, method) => {
          const index = pick % lines.length;
          const more = lines.map((line, i) => (i === index ? { ...line, minutes: (line.minutes ?? 0) + extra } : line));
          return unitsByEightMinuteRule(more, method).totalTimedUnits >= unitsByEightMinuteRule(lines, method).totalTimedUnits;
        },
      ),
    );
  });

  it("is deterministic and gives each line at least its full units", () => {
    fc.assert(
      fc.property(visitArb, (lines) => {
        const a = unitsByEightMinuteRule(lines, "cms");
        const b = unitsByEightMinuteRule(lines, "cms");
        return (
          JSON.stringify(a) === JSON.stringify(b) &&
          a.lines.every((line, i) => line.unitsSupported >= Math.floor((lines[i]?.minutes ?? 0) / 15))
        );
      }),
    );
  });
});
