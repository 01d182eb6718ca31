// CMS's therapy code list (Annual Therapy Update) as its change requests lay it out: title and
// copyright lines, then a header naming the code, descriptor and therapy status columns. The
// reader finds the header by those names, in a CSV or a tab- or pipe-separated TXT, and names
// row and column on anything else.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTherapyCodeList } from "./cms-files";

const LIST = fs.readFileSync(path.join(import.meta.dirname, "fixtures", "therapy-code-list-sample.csv"), "utf8");

describe("CMS therapy code list", () => {
  it("reads the sample: 11 codes below 3 title lines and the header on line 4", () => {
    const read = readTherapyCodeList(LIST);
    expect(read.errors).toEqual([]);
    expect(read.rows.map((r) => `${r.cpt} ${r.status}`)).toEqual([
      "92507 always",
      "92526 always",
      "97110 always",
      "97112 always",
      "97140 always",
      "97161 always",
      "97530 always",
      "97550 sometimes",
      "97597 sometimes",
      "98977 sometimes",
      "G0283 always",
    ]);
    // the file's own lines: the header is line 4, so 92507 is line 5 and G0283 line 15
    expect([read.rowNumbers[0], read.rowNumbers.at(-1)]).toEqual([5, 15]);
    expect(read.notes.map((n) => n.message)).toEqual([
      'CMS therapy code list: codes from column "CPT/HCPCS Code", always/sometimes therapy from column "Therapy Status"',
    ]);
  });

  it("reads the same list saved as tab- or pipe-separated TXT, columns in another order, short status words", () => {
    const tab = ["Therapy Status\tHCPCS\tDescriptor", "Always\t97110\t", "Sometimes Therapy\t97597\t", ""].join("\n");
    expect(readTherapyCodeList(tab).rows).toEqual([
      { cpt: "97110", status: "always" },
      { cpt: "97597", status: "sometimes" },
    ]);
    const pipe = ["CPT Code|Descriptor|Status", "97530||ALWAYS THERAPY", "", "Footnote: codes are effective on January 1|", ""].join("\n");
    expect(readTherapyCodeList(pipe).rows).toEqual([{ cpt: "97530", status: "always" }]);
  });

  it("names the row and CMS's column of a status that is neither always nor sometimes therapy", () => {
    const bad = LIST.replace("97112,,Always Therapy", "97112,,Usually Therapy");
    const read = readTherapyCodeList(bad);
    expect(read.rows).toEqual([]);
    expect(read.errors).toEqual([
      { where: "row 8, column Therapy Status", message: 'must be "Always Therapy" or "Sometimes Therapy" (got "Usually Therapy")' },
    ]);
  });

  it("names the row and column of a code that is not a 5-character code, and of an empty status", () => {
    const bad = LIST.replace("97140,,Always Therapy", "9714,,Always Therapy").replace("97161,,Always Therapy", "97161,,");
    expect(readTherapyCodeList(bad).errors).toEqual([
      { where: "row 9, column CPT/HCPCS Code", message: 'must be a 5-character HCPCS/CPT code (got "9714")' },
      { where: "row 10, column Therapy Status", message: 'must be "Always Therapy" or "Sometimes Therapy" (got "")' },
    ]);
  });

  it("refuses a file without the code and status columns (another CMS file) and one without codes", () => {
    const mue =
      '"HCPCS/\nCPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator","MUE Rationale"\n97110,4,"3 Date of Service Edit: Clinical",\n';
    expect(readTherapyCodeList(mue).errors.map((e) => e.where)).toEqual(["file"]);
    expect(readTherapyCodeList(mue).errors[0]?.message).toMatch(/not CMS's therapy code list/);
    expect(readTherapyCodeList("CPT/HCPCS Code,Long Descriptor,Therapy Status\n").errors).toEqual([
      { where: "file", message: "no codes in the list" },
    ]);
  });
});
