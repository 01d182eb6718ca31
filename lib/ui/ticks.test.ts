import { describe, expect, it } from "vitest";
import { usdTick } from "./money";
import { niceDomain, niceTicks } from "./ticks";

describe("axis ticks a person reads at a glance", () => {
  it("covers $10,500 in steps of $5K, not $3.5K", () => {
    // steps of 1K need 11 intervals, 2K need 6, 5K need ceil(10500 / 5000) = 3 ≤ 4
    expect(niceTicks(10_500)).toEqual([0, 5_000, 10_000, 15_000]);
    expect(niceTicks(10_500).map(usdTick)).toEqual(["$0", "$5K", "$10K", "$15K"]);
  });

  it("covers $18 in steps of $5, not $9", () => {
    // steps of 1 need 18 intervals, 2 need 9, 5 need ceil(18 / 5) = 4 ≤ 4
    expect(niceTicks(18)).toEqual([0, 5, 10, 15, 20]);
  });

  it("uses exactly the top value when it is a round step", () => {
    // 10,000 in steps of 5,000: 2 intervals, the last tick is the maximum itself
    expect(niceTicks(10_000)).toEqual([0, 5_000, 10_000]);
    // 8,000: steps of 2,000 need 4 intervals
    expect(niceTicks(8_000)).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
  });

  it("never picks a step below the smallest one asked for (no $0.25 ticks for whole dollars)", () => {
    expect(niceTicks(0.6)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    // shares: 0.42 with a minimum step of 0.05 → steps 0.1 need ceil(4.2) = 5 > 4, 0.2 need 3
    expect(niceTicks(0.42, { minStep: 0.05 })).toEqual([0, 0.2, 0.4, 0.6]);
  });

  it("gives an axis to an empty chart", () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });

  it("honours a different number of intervals", () => {
    // 2 intervals: 10,500 / 2 = 5,250 → step 10,000
    expect(niceTicks(10_500, { maxIntervals: 2 })).toEqual([0, 10_000, 20_000]);
    // 10 intervals: step 2,000 covers it in ceil(5.25) = 6
    expect(niceTicks(10_500, { maxIntervals: 10 })).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000]);
  });

  it("extends below zero with the same step", () => {
    // span 1,300 in 4 intervals → 500 is the first step covering −300 … 1,000 in 3 intervals
    expect(niceTicks(1_000, { min: -300 })).toEqual([-500, 0, 500, 1_000]);
  });

  it("labels ticks in dollars, thousands and millions", () => {
    expect([0, 500, 1_500, 25_000, 2_000_000, -5_000].map(usdTick)).toEqual(["$0", "$500", "$1.5K", "$25K", "$2M", "−$5K"]);
    expect(niceDomain([0, 5_000, 10_000])).toEqual([0, 10_000]);
  });
});
