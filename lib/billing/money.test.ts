import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dollarsToCentsHalfUp, exactDecimal, formatDollars, multiplyExact, percentOfCents } from "./money";

describe("exact money arithmetic (DOMAIN.md §3 rounding)", () => {
  it("rounds half-up where floating point would not", () => {
    // 1.005 is 1.00499999… as a double; exactly it is a half cent and rounds up.
    expect(dollarsToCentsHalfUp(exactDecimal("1.005"))).toBe(101);
    expect(Math.round(1.005 * 100)).toBe(100);
    expect(dollarsToCentsHalfUp(exactDecimal("1.00499"))).toBe(100);
    expect(dollarsToCentsHalfUp(multiplyExact(exactDecimal(0.87), exactDecimal(33.4009)))).toBe(2906);
  });

  it("percentages of cents", () => {
    expect(percentOfCents(5127, 85)).toBe(4358); // 43.5795
    expect(percentOfCents(2929, 110)).toBe(3222); // 32.219
    expect(percentOfCents(10, 85)).toBe(9); // 8.5 → 9
    expect(percentOfCents(1000, "112.5")).toBe(1125);
  });

  it("parses numbers in exponent notation exactly", () => {
    expect(exactDecimal(1e-7)).toEqual({ units: 1n, scale: 7 });
    expect(exactDecimal(1e21)).toEqual({ units: 10n ** 21n, scale: 0 });
    expect(() => exactDecimal("12a")).toThrow();
  });

  it("formats cents as dollars", () => {
    expect(formatDollars(7949)).toBe("79.49");
    expect(formatDollars(5)).toBe("0.05");
    expect(formatDollars(-120)).toBe("-1.20");
  });

  it("percentOfCents matches exact rational rounding", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 300 }), (cents, pct) => {
        const exact = (cents * pct) / 100; // exact enough below 2^53 for the comparison of floors
        const expected = Math.floor((cents * pct + 50) / 100);
        return percentOfCents(cents, pct) === expected && Math.abs(percentOfCents(cents, pct) - exact) <= 0.5;
      }),
    );
  });
});
