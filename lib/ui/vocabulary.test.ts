import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeWords, codeWordsIn, enumValuesOf } from "./vocabulary";

const schema = fs.readFileSync(path.join(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
const words = codeWords(enumValuesOf(schema));
const names = (text: string) => codeWordsIn(text, words).map((f) => f.split(":")[0]);

describe("code words on a screen", () => {
  it("reads the enum values of the schema, comments left out", () => {
    const values = enumValuesOf("enum A {\n  ONE // the first\n  two_words\n}\nmodel M {\n  id Int\n}\nenum B { }\n");
    expect(values).toEqual(["ONE", "two_words"]);
    // the real schema: roles and import kinds are among them
    expect(enumValuesOf(schema)).toEqual(expect.arrayContaining(["ADMIN", "REMIT_835", "SNOOZED"]));
  });

  it("finds the words the issue saw on screens", () => {
    expect(names("Σ paid (SVC03)")).toEqual(["sum sign", "X12 segment or element name"]);
    expect(names("CLP02 1, 2, 3, 4, 19")).toEqual(["X12 segment or element name"]);
    expect(names("Kind REMIT_835")).toEqual(["snake_case word", "stored enum value"]);
    expect(names("paidCents 45841")).toEqual(["camelCase field name"]);
    expect(names("Owner · ADMIN")).toEqual(["stored enum value"]);
    expect(names("Status SNOOZED")).toEqual(["name in capitals", "stored enum value"]);
    expect(names("Payer UNITEDHEALTHCARE")).toEqual(["name in capitals"]);
    expect(names("BLUE CROSS OF NY")).toEqual(["name in capitals"]);
    expect(names("45841 cents")).toEqual(["cents"]);
    expect(names("Imported 2026-10-08")).toEqual(["ISO date (the one date format is “Mar 14, 2026”)"]);
    expect(names("Seen 15 June")).toEqual(["day before month (the one date format is “Mar 14, 2026”)"]);
  });

  it("lets the users' words through", () => {
    for (const text of [
      "Paid $458.41 on Mar 14, 2026, 3:05 PM",
      "97530 with modifiers GP, KX",
      "PT, OT and SLP spend against the KX threshold",
      "UnitedHealthcare · Blue Cross of NY · BCBS",
      "Administrator",
      "Remit from an 835 file",
      "MUE and NCCI edits",
    ]) {
      expect(codeWordsIn(text, words), text).toEqual([]);
    }
  });

  it("names each finding with its line", () => {
    expect(codeWordsIn("fine\nPaid (Σ CLP04)", words)).toEqual([
      'sum sign: "Σ" in “Paid (Σ CLP04)”',
      'X12 segment or element name: "CLP04" in “Paid (Σ CLP04)”',
    ]);
  });
});
