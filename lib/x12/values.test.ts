import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  centsInAsciiRange,
  centsInRange,
  dateInAsciiRange,
  dateInRange,
  dollars,
  formatCents,
  internInAsciiRange,
  internInRange,
  lastAmountRounded,
  parseAmountCents,
  parseQuantity,
  parseX12Date,
  quantityInAsciiRange,
  RangeTable,
} from "./values";

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

describe("readers of ASCII bytes", () => {
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it("centsInAsciiRange reads every amount as centsInRange does", () => {
    const samples = [
      "123.45",
      "-5.00",
      "-0.00",
      "0.01",
      "9999999999999.99",
      "99999999999999.99",
      "0000000000000001.25",
      "1.5",
      "1.005",
      "-1.005",
      "12",
      ".50",
      "-.50",
      "1.2x",
      "1x.25",
      "--1.25",
      "-",
      "",
      "12.3.4",
    ];
    for (const sample of samples) {
      const text = `*${sample}*`;
      const expected = centsInRange(text, 1, text.length - 1);
      const expectedRounded = lastAmountRounded();
      expect(centsInAsciiRange(latin1(text), text, 1, text.length - 1)).toBe(expected);
      expect(lastAmountRounded()).toBe(expectedRounded);
    }
    fc.assert(
      fc.property(fc.stringMatching(/^-?[0-9]{0,15}(\.[0-9]{0,4})?$/), (sample) => {
        const text = `~${sample}~`;
        const expected = centsInRange(text, 1, text.length - 1);
        const expectedRounded = lastAmountRounded();
        expect(centsInAsciiRange(latin1(text), text, 1, text.length - 1)).toBe(expected);
        expect(lastAmountRounded()).toBe(expectedRounded);
      }),
    );
  });

  it("internInAsciiRange gives the shared instance of internInRange", () => {
    const text = "CAS*PR*2*8.66*CO*45*ABCDEFGH";
    const bytes = latin1(text);
    const fresh = internInAsciiRange(bytes, text, 17, 19);
    expect(fresh).toBe("45");
    expect(internInRange(`x${text}`, 18, 20)).toBe(fresh);
    expect(internInAsciiRange(bytes, text, 4, 6)).toBe("PR");
    expect(internInAsciiRange(bytes, text, 20, 28)).toBe("ABCDEFGH");
    expect(internInAsciiRange(bytes, text, 5, 5)).toBe("");
  });

  it("quantityInAsciiRange reads every quantity as parseQuantity does", () => {
    const samples = ["1", "3", "03", "123456789", "1234567890", "1.5", "-2", "0", "", "1a", " 1", "1.", ".5", "-", "9e3"];
    for (const sample of samples) {
      const text = `*${sample}*`;
      expect(quantityInAsciiRange(latin1(text), text, 1, text.length - 1)).toBe(parseQuantity(sample));
    }
    fc.assert(
      fc.property(fc.stringMatching(/^-?[0-9.]{0,12}$/), (sample) => {
        const text = `~${sample}~`;
        expect(quantityInAsciiRange(latin1(text), text, 1, text.length - 1)).toBe(parseQuantity(sample));
      }),
    );
  });

  it("RangeTable finds from the bytes the keys stored from the text, of every length", () => {
    const table = new RangeTable<number>(8);
    const keys = Array.from({ length: 30 }, (_, n) => "HC:97110:GP:KX:59:XU:AB:CD:EF".slice(0, n));
    const text = `*${keys.join("*")}*`;
    const bytes = latin1(text);
    const ranges: [number, number][] = [];
    let at = 1;
    for (const key of keys) {
      ranges.push([at, at + key.length]);
      at += key.length + 1;
    }
    ranges.forEach(([from, to], n) => {
      table.set(text, from, to, n);
    });
    ranges.forEach(([from, to], n) => {
      expect(table.getAscii(bytes, text, from, to)).toBe(n);
      expect(table.get(text, from, to)).toBe(n);
    });
    const other = "*HC:97110:GP:KY*";
    expect(table.getAscii(latin1(other), other, 1, other.length - 1)).toBeUndefined();
  });

  it("dateInAsciiRange reads dates as dateInRange does", () => {
    const text = "20240229*20230229*2024022*20241301*2024A101*19991231";
    const bytes = latin1(text);
    for (let round = 0; round < 2; round++) {
      for (const [from, to] of [
        [0, 8],
        [9, 17],
        [18, 25],
        [26, 34],
        [35, 43],
        [44, 52],
      ] as const) {
        expect(dateInAsciiRange(bytes, text, from, to)).toBe(dateInRange(text, from, to));
      }
    }
  });
});
