import { describe, expect, it } from "vitest";
import { csvCell, csvRows } from "./format";

describe("csvCell: formula-leading text is written as text (OWASP CSV injection)", () => {
  it("prefixes an apostrophe to text that begins with = + - @ tab or carriage return", () => {
    expect(csvCell('=HYPERLINK("http://x.test","click")')).toBe('\'=HYPERLINK("http://x.test","click")');
    expect(csvCell("@SUM(1+1)")).toBe("'@SUM(1+1)");
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("\t=1+1")).toBe("'\t=1+1");
    expect(csvCell("\r=1+1")).toBe("'\r=1+1");
  });

  it("leaves numbers, negative dollar amounts and ordinary text alone", () => {
    // a variance of -$12.50 is written by dollars() as "-12.50": a number to a spreadsheet
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell("-3")).toBe("-3");
    expect(csvCell(-1250)).toBe("-1250");
    expect(csvCell("O'Brien")).toBe("O'Brien");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("")).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("true");
  });

  it("quotes as RFC 4180 after neutralising", () => {
    // the formula's own quotes are doubled, and the cell is quoted because it holds them
    expect(csvRows([['=A1&"x"', "-0.75", "plain"]])).toBe('"\'=A1&""x""",-0.75,plain\r\n');
  });
});
