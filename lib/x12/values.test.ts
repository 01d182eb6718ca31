import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { centsInRange, dollars, formatCents, lastAmountRounded, parseAmountCents, parseX12Date } from "./values";

describe("parseAmountCents", () => {
  it.each([
    ["123.45", 12345],
    ["-5", -500],
    ["1.5", 150],
    ["0", 0],
    ["-0", 0],
    [".5", 50],
    ["5.", 500],
    ["0220", 22000],
    ["150000", 15000000],
    ["-1008.1", -100810],
    ["1.005", 101],
    ["1.004", 100],
    ["-1.005", -101],
    ["2.999", 300],
    ["1.500", 150],
    ["9999999999999.99", 999999999999999],
  ])("%s → %d cents", (text, cents) => {
    expect(parseAmountCents(text)).toBe(cents);
  });

  it.each(["", "-", ".", "abc", "1,234.50", "+5", "1.2.3", "1e3", " 5", "5 ", "--5", "X", "12345678901234"])("rejects %j", (text) => {
    expect(parseAmountCents(text)).toBeNull();
  });

  it("flags amounts rounded beyond cents, not trailing zeros", () => {
    centsInRange("1.005", 0, 5);
    expect(lastAmountRounded()).toBe(true);
    centsInRange("1.500", 0, 5);
    expect(lastAmountRounded()).toBe(false);
    centsInRange("1.5", 0, 3);
    expect(lastAmountRounded()).toBe(false);
  });

  it("reads a range inside a longer text", () => {
    expect(centsInRange("CLP*A*1*100.25*50~", 8, 14)).toBe(10025);
  });

  it("is exact for every two-decimal amount (no floating point error)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        expect(parseAmountCents(formatCents(cents))).toBe(cents);
      }),
    );
  });
});

describe("formatting", () => {
  it("formats cents", () => {
    expect(formatCents(12345)).toBe("123.45");
    expect(formatCents(-5)).toBe("-0.05");
    expect(formatCents(0)).toBe("0.00");
    expect(dollars(123456789)).toBe("$1,234,567.89");
    expect(dollars(-127)).toBe("-$1.27");
  });
});

describe("parseX12Date", () => {
  it("reads CCYYMMDD", () => {
    expect(parseX12Date("20260120")).toBe("2026-01-20");
    expect(parseX12Date("20240229")).toBe("2024-02-29");
  });
  it.each(["20250229", "20261301", "20260132", "2026012", "2026-01-2", "XXXXXXXX", "20260100"])("rejects %s", (t) => {
    expect(parseX12Date(t)).toBeNull();
  });
});
