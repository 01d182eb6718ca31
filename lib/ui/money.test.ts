import { describe, expect, it } from "vitest";
import { dollarsField, dollarsOf, usd, usdLevel, usdOfDollars, usdTick, usdWhole } from "./money";

describe("the one money formatter", () => {
  it("writes integer cents as dollars, with thousands and the sign in front", () => {
    // 123456 cents = $1,234.56; -5 cents = -$0.05
    expect(usd(123456)).toBe("$1,234.56");
    expect(usd(-5)).toBe("-$0.05");
    expect(usd(0)).toBe("$0.00");
    expect(usd(null)).toBe("—");
    expect(usd(undefined)).toBe("—");
  });

  it("rounds to whole dollars for charts, keeps cents on a level only when it has some", () => {
    // 123450 cents = $1,234.50 → $1,235 (half up)
    expect(usdWhole(123450)).toBe("$1,235");
    // the 2026 KX threshold $2,480 is whole; an alert level of $2,000.50 is not
    expect(usdLevel(248000)).toBe("$2,480");
    expect(usdLevel(200050)).toBe("$2,000.50");
    // a chart's axis takes plain dollars: $1,234.56 → "$1.23K", −$5,000 → "−$5K"
    expect(usdTick(1234.56)).toBe("$1.23K");
    expect(usdTick(-5_000)).toBe("−$5K");
  });

  it("gives a form field its dollars without $ or commas, and charts plain dollars", () => {
    expect(dollarsField(123456)).toBe("1234.56");
    expect(dollarsField(-5)).toBe("-0.05");
    expect(dollarsField(null)).toBe("");
    expect(dollarsOf(123456)).toBe(1234.56);
    expect(usdOfDollars(1234.5)).toBe("$1,234.50");
    expect(usdOfDollars(1234.5, "whole")).toBe("$1,235");
  });
});
