// CMS's files as CMS publishes them (fixtures/: the real layouts, small): each reader finds the
// header below the title lines, takes its columns by name, and names row and column on bad input.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { looksLikePprrvuTxt, readCmsGpciCsv, readMueCsv, readNcciPtp, readPprrvuCsv, readPprrvuTxt } from "./cms-files";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const PPRRVU = fixture("PPRRVU2026_Jul_nonQPP-therapy.csv");
const GPCI = fixture("GPCI2026-sample.csv");
const MUE = fixture("MCR_MUE_PractitionerServices-sample.csv");
const NCCI = fixture("ccipra-sample.txt");
const PPRRVU_TXT = fixture("PPRRVU26_JAN-therapy.txt");

/** The file line (1-based) of the first line starting with `start`. */
function lineOf(text: string, start: string): number {
  return text.split(/\r?\n/).findIndex((l) => l.startsWith(start)) + 1;
}
/** The text with one cell of the line starting `start` replaced (cells split on `sep`). */
function withCell(text: string, start: string, index: number, value: string, sep = ","): string {
  return text
    .split(/\r?\n/)
    .map((l) =>
      l.startsWith(start)
        ? l
            .split(sep)
            .map((c, i) => (i === index ? value : c))
            .join(sep)
        : l,
    )
    .join("\n");
}

describe("CMS PPRRVU CSV", () => {
  it("skips the title and split header rows, takes columns by name, loads therapy codes only", () => {
    const r = readPprrvuCsv(PPRRVU);
    expect(r.errors).toEqual([]);
    // 8 therapy rows in the sample; 0001F and 0005F (category II codes) are left out
    expect(r.rows.map((x) => x.hcpcs).sort()).toEqual(["97010", "97035", "97110", "97112", "97140", "97161", "97530", "G0283"]);
    expect(r.skipped).toBe(2);
    // 97530's cells as the file has them: work 0.44, non-facility PE 0.60, facility PE 0.60, MP 0.01, MULT PROC 5
    expect(r.rows.find((x) => x.hcpcs === "97530")).toEqual({
      year: 2026,
      hcpcs: "97530",
      modifier: "",
      status: "A",
      work_rvu: "0.44",
      nonfacility_pe_rvu: "0.60",
      facility_pe_rvu: "0.60",
      mp_rvu: "0.01",
      mult_proc_indicator: "5",
      conversion_factor: "33.4009",
    });
    expect(r.rowNumbers[r.rows.findIndex((x) => x.hcpcs === "97530")]).toBe(lineOf(PPRRVU, "97530,"));
    expect(r.notes.map((n) => n.message)).toEqual([
      "CMS PPRRVU file for 2026 (from its title line)",
      "conversion factor 33.4009 from the file's CONV FACTOR column",
    ]);
  });

  it("takes the conversion factor from the year's table when the file's column is empty", () => {
    const blank = PPRRVU.replaceAll(",,33.4009,", ",,,");
    const r = readPprrvuCsv(blank);
    expect(r.errors).toEqual([]);
    expect(new Set(r.rows.map((x) => x.conversion_factor))).toEqual(new Set(["33.4009"]));
    expect(r.notes[1]?.message).toBe("conversion factor 33.4009 (the 2026 table) where the file's CONV FACTOR column is empty");
    // a year without a known factor: the row and column are named, nothing is loaded
    const later = readPprrvuCsv(blank.replace("2026 National Physician", "2031 National Physician"));
    expect(later.rows).toEqual([]);
    expect(later.errors[0]?.where).toBe(`row ${lineOf(PPRRVU, "97010,")}, column CONV FACTOR`);
  });

  it("takes the year from the caller when the title line names none", () => {
    const untitled = PPRRVU.replace("2026 National Physician Fee Schedule Relative Value File July Release", "");
    expect(readPprrvuCsv(untitled).errors).toEqual([{ where: "row 1", message: expect.stringContaining("names no year") }]);
    expect(readPprrvuCsv(untitled, { year: 2026 }).rows).toHaveLength(8);
  });

  it("rejects a malformed cell naming the file's row and the CMS column, and loads nothing", () => {
    // column 5 is WORK RVU (HCPCS, MOD, DESCRIPTION, CODE, PAYMENT, RVU …: index 5)
    const bad = withCell(PPRRVU, "97530,", 5, "0.4x");
    const r = readPprrvuCsv(bad);
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ where: `row ${lineOf(PPRRVU, "97530,")}, column WORK RVU`, message: 'must be a number (got "0.4x")' }]);
    // MULT PROC (index 18) must be one digit
    const badMult = readPprrvuCsv(withCell(PPRRVU, "97110,", 18, "X"));
    expect(badMult.errors[0]?.where).toBe(`row ${lineOf(PPRRVU, "97110,")}, column MULT PROC`);
    // a header without the MULT PROC column (its name "PROC" changed) is refused at the header row
    const noProc = readPprrvuCsv(PPRRVU.replace("SURG,SURG,PROC,", "SURG,SURG,XXXX,").replace(",OP,OP,OP,PROC,", ",OP,OP,OP,XXXX,"));
    expect(noProc.errors).toEqual([{ where: `row ${lineOf(PPRRVU, "HCPCS,")}`, message: "no MULT PROC column in the header row" }]);
  });
});

describe("CMS PPRRVU fixed-width TXT", () => {
  /** The TXT with the characters from 1-based position `from` of the line starting `start` replaced. */
  function withChars(start: string, from: number, value: string): string {
    return PPRRVU_TXT.split("\r\n")
      .map((l) => (l.startsWith(start) ? l.slice(0, from - 1) + value + l.slice(from - 1 + value.length) : l))
      .join("\r\n");
  }

  it("skips the HDR lines, reads the columns at CMS's positions, the year from the file name", () => {
    expect(looksLikePprrvuTxt(PPRRVU_TXT)).toBe(true);
    expect(looksLikePprrvuTxt(PPRRVU)).toBe(false);
    const r = readPprrvuTxt(PPRRVU_TXT, { fileName: "PPRRVU26_JAN.txt" });
    expect(r.errors).toEqual([]);
    // the same 8 therapy rows as the CSV sample; 0001F, 0005F and the 95851-26 row are left out
    expect(r.rows.map((x) => x.hcpcs).sort()).toEqual(["97010", "97035", "97110", "97112", "97140", "97161", "97530", "G0283"]);
    expect(r.skipped).toBe(3);
    // 97530's line: characters 60–65 "  0.44", 66–72 "   0.60", 75–81 "   0.60", 84–89 "  0.01",
    // 116 "5", 126–140 "33.4009" (right-aligned)
    expect(r.rows.find((x) => x.hcpcs === "97530")).toEqual({
      year: 2026,
      hcpcs: "97530",
      modifier: "",
      status: "A",
      work_rvu: "0.44",
      nonfacility_pe_rvu: "0.60",
      facility_pe_rvu: "0.60",
      mp_rvu: "0.01",
      mult_proc_indicator: "5",
      conversion_factor: "33.4009",
    });
    expect(r.rowNumbers[r.rows.findIndex((x) => x.hcpcs === "97530")]).toBe(lineOf(PPRRVU_TXT, "97530"));
    expect(r.notes.map((n) => n.message)).toEqual([
      "CMS PPRRVU file (fixed-width TXT) for 2026 (from its file name)",
      "conversion factor 33.4009 from the file's CONV FACTOR column",
    ]);
    // every row the CSV sample gives, the TXT gives the same
    expect(r.rows).toEqual(readPprrvuCsv(PPRRVU).rows);
  });

  it("also loads a code the built-in list lacks when CMS marks it always therapy (MULT PROC 5)", () => {
    // 97550 (caregiver training) in 97110's layout with MULT PROC 5; 95851 without a modifier
    // and MULT PROC 0 stays out
    const line97110 = PPRRVU_TXT.split("\r\n").find((l) => l.startsWith("97110"))!;
    const line95851 = PPRRVU_TXT.split("\r\n").find((l) => l.startsWith("9585126"))!;
    const more = `${PPRRVU_TXT}${`97550${line97110.slice(5)}`}\r\n${`95851  ${line95851.slice(7)}`}\r\n`;
    const r = readPprrvuTxt(more, { year: 2026 });
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.hcpcs)).toContain("97550");
    expect(r.rows.map((x) => x.hcpcs)).not.toContain("95851");
    expect(r.rows.find((x) => x.hcpcs === "97550")?.mult_proc_indicator).toBe("5");
    expect(r.notes.map((n) => n.message)).toContain(
      "1 code(s) the app did not know as therapy are loaded because CMS marks them always therapy (MULT PROC 5): 97550",
    );
  });

  it("needs a year: from the caller, or a file name like PPRRVU26_JAN.txt", () => {
    expect(readPprrvuTxt(PPRRVU_TXT, { fileName: "rvu.txt" }).errors).toEqual([
      { where: "file", message: expect.stringContaining("names no year") },
    ]);
    expect(readPprrvuTxt(PPRRVU_TXT, { fileName: "rvu.txt", year: 2026 }).rows).toHaveLength(8);
    expect(readPprrvuTxt(PPRRVU_TXT, { fileName: "PPRRVU2026_Oct.txt" }).rows[0]?.year).toBe(2026);
  });

  it("rejects a malformed cell naming the file's row, CMS's column and its characters, and loads nothing", () => {
    const row = lineOf(PPRRVU_TXT, "97530");
    // WORK RVU is characters 60–65: "  0.44" → "  0.4x"
    const bad = readPprrvuTxt(withChars("97530", 60, "  0.4x"), { year: 2026 });
    expect(bad.rows).toEqual([]);
    expect(bad.errors).toEqual([{ where: `row ${row}, column WORK RVU (characters 60–65)`, message: 'must be a number (got "0.4x")' }]);
    // MULT PROC is character 116
    const badMult = readPprrvuTxt(withChars("97110", 116, "X"), { year: 2026 });
    expect(badMult.errors).toEqual([
      { where: `row ${lineOf(PPRRVU_TXT, "97110")}, column MULT PROC (characters 116–116)`, message: 'must be one digit (got "X")' },
    ]);
    // a line shifted one character right (a space inserted before the status): the status
    // column now holds a space and WORK RVU's digits move; the row is refused, not misread
    const shifted = readPprrvuTxt(withChars("97112", 58, " A  "), { year: 2026 });
    expect(shifted.rows).toEqual([]);
    expect(shifted.errors[0]?.where).toBe(`row ${lineOf(PPRRVU_TXT, "97112")}, column STATUS CODE (characters 58–58)`);
    // a line cut short
    const cut = PPRRVU_TXT.replace(/^(97140.{60}).*$/m, "$1");
    expect(readPprrvuTxt(cut, { year: 2026 }).errors).toEqual([
      { where: `row ${lineOf(PPRRVU_TXT, "97140")}`, message: expect.stringContaining("is 65 characters long") },
    ]);
  });
});

describe("CMS GPCI file", () => {
  it("reads Addendum E's layout: the year from the column names, footnote marks dropped", () => {
    const r = readCmsGpciCsv(GPCI);
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(5);
    expect(r.rows.find((x) => x.state === "AK")).toEqual({
      year: 2026,
      mac: "02102",
      state: "AK",
      locality: "01",
      locality_name: "ALASKA",
      work_gpci: "1.500",
      pe_gpci: "1.065",
      mp_gpci: "0.551",
    });
    expect(r.rowNumbers).toEqual([4, 5, 6, 7, 8]);
  });

  it("names row and column of a malformed GPCI", () => {
    const r = readCmsGpciCsv(withCell(GPCI, "03102,", 5, "0.9x9"));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ where: `row ${lineOf(GPCI, "03102,")}, column PE GPCI`, message: 'must be a number (got "0.9x9")' }]);
  });
});

describe("CMS practitioner MUE table", () => {
  it("reads past the quoted AMA notice and the two-line first column name", () => {
    const r = readMueCsv(MUE);
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(7);
    expect(r.rows.find((x) => x.cpt === "97032")).toEqual({ cpt: "97032", units: 4, adjudicationIndicator: "3", rationale: "" });
    // the notice spans lines 1–2 and the header lines 3–4: 97032 is on line 10
    expect(r.rowNumbers[r.rows.findIndex((x) => x.cpt === "97032")]).toBe(10);
  });

  it("names row and column of a malformed MUE row", () => {
    const r = readMueCsv(MUE.replace('97035,2,"3 Date', '97035,two,"3 Date').replace('92526,1,"3 Date', '92526,1,"X Date'));
    expect(r.rows).toEqual([]);
    // the notice is lines 1–2, the header lines 3–4: 92526 is on line 6, 97035 on line 11
    expect(r.errors).toEqual([
      { where: "row 6, column MUE Adjudication Indicator", message: 'must start with 1, 2 or 3 (got "X Date of Service Edit: Clinical")' },
      { where: "row 11, column Practitioner Services MUE Values", message: 'must be a whole number of units (got "two")' },
    ]);
  });
});

describe("CMS NCCI PTP practitioner edits", () => {
  it("reads the tab-separated file below its copyright line", () => {
    const r = readNcciPtp(NCCI);
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(6);
    expect(r.rows[0]).toEqual({
      column1: "97161",
      column2: "97140",
      effective: "2017-01-01",
      deleted: null,
      modifierIndicator: "1",
      rationale: "Standards of medical / surgical services",
    });
    expect(r.rowNumbers[0]).toBe(4);
  });

  it("reads a deletion date and names row and column of a malformed edit", () => {
    const deleted = readNcciPtp(withCell(NCCI, "97150\t97110", 4, "20200101", "\t"));
    expect(deleted.rows.at(-1)?.deleted).toBe("2020-01-01");
    const r = readNcciPtp(withCell(NCCI, "97164\t97530", 5, "2", "\t"));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ where: `row ${lineOf(NCCI, "97164\t97530")}, column Modifier`, message: 'must be 0, 1 or 9 (got "2")' }]);
  });
});
