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

describe("csvRows: RFC 4180 as csv-stringify wrote it", () => {
  it("quotes a field with a comma, a quote or a line break, and ends every record with CRLF", () => {
    // "Smith, Ann" holds a comma → quoted; 'say "hi"' holds quotes → quoted, each doubled;
    // "two\nlines" and "cr\rhere" hold line breaks → quoted; "" stays empty, unquoted
    expect(
      csvRows([
        ["Smith, Ann", 'say "hi"', "two\nlines", "cr\rhere", ""],
        [12, null, false],
      ]),
    ).toBe('"Smith, Ann","say ""hi""","two\nlines","cr\rhere",\r\n12,,false\r\n');
    expect(csvRows([])).toBe("");
    expect(csvRows([[]])).toBe("\r\n");
  });

  it("writes the same bytes as csv-stringify did for every cell without a lone line break", async () => {
    const { stringify } = await import("csv-stringify/sync");
    const cells = [
      "plain",
      "",
      "a,b",
      'q"q',
      '"',
      "x\r\ny",
      "=1+1",
      "-12.50",
      "-x",
      "O'Brien",
      "tab\tin",
      "ünï",
      0,
      -3,
      1.5,
      true,
      false,
      null,
      undefined,
    ];
    const rows = cells.map((c, i) => [c, cells[(i * 7) % cells.length], cells[(i * 3 + 1) % cells.length]]);
    const before = stringify(
      rows.map((r) => r.map(csvCell)),
      { record_delimiter: "windows" },
    );
    expect(csvRows(rows)).toBe(before);
  });

  it("quotes a lone line feed or carriage return too (csv-stringify left them bare, splitting the record for most readers)", () => {
    // a note typed on two lines: "call back\nFriday" is one field, so it is quoted
    expect(csvRows([["call back\nFriday", "ok"]])).toBe('"call back\nFriday",ok\r\n');
    expect(csvRows([["end\r"]])).toBe('"end\r"\r\n');
  });
});
