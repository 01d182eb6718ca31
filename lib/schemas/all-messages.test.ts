// Every schema of lib/schemas, fed wrong values of every kind, answers in a person's words: no
// message is zod's own ("Invalid input: expected number, received NaN", "Too small: expected
// string to have >=1 characters"). The words come from one place (messages.ts), which every
// schema module loads; a schema added later is checked here without being listed.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { codeWords, codeWordsIn, enumValuesOf } from "@/lib/ui/vocabulary";

const dir = import.meta.dirname;
const modules = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "messages.ts")
  .sort();

/** zod's own wording, which a person should never read. */
const ZOD_WORDING = /invalid input|expected .* received|received (nan|undefined|null)|>=|<=|too (small|big)|^invalid\b|nan\b/i;

/** Field names and stored codes ("rate_per_unit", "paidCents", "REMIT_835"); dates are allowed: a message may show how to type one. */
const CODE = codeWords(enumValuesOf(fs.readFileSync(path.join(dir, "../../prisma/schema.prisma"), "utf8"))).filter(
  (w) => !/date/i.test(w.name),
);

/**
 * Schemas whose values are typed as stored codes, so that their messages name the codes: rows of a
 * CSV file ("must be cms or per_code" is what the file must hold) and the operator's command line.
 */
const TYPES_CODES = /CsvRow$|^create(User|Practice)Schema$/;
/** An IANA time zone given as an example ("America/New_York") is what a person types. */
const ZONE_EXAMPLE = /\b[A-Z][a-z]+\/[A-Za-z_]+\b/g;

/** Wrong values of every kind, for a whole input and for each field of an object. */
const WRONG: unknown[] = [
  undefined,
  null,
  "",
  "   ",
  "abc",
  "-1",
  -1,
  0,
  1e12,
  1.5,
  "9999-99-99",
  "2026-02-30",
  [],
  {},
  true,
  "x".repeat(5000),
];

function inputsFor(schema: z.ZodType): unknown[] {
  const inputs = [...WRONG];
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (shape && typeof shape === "object") {
    for (const wrong of WRONG) inputs.push(Object.fromEntries(Object.keys(shape).map((k) => [k, wrong])));
  }
  return inputs;
}

describe("validation messages of every schema", () => {
  it.each(modules)("%s: every message is in words", async (file) => {
    const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
    const schemas = Object.entries(mod).filter(([, v]) => v instanceof z.ZodType) as [string, z.ZodType][];
    const bad: string[] = [];
    let messages = 0;
    for (const [name, schema] of schemas) {
      for (const input of inputsFor(schema)) {
        const result = await schema.safeParseAsync(input);
        if (result.success) continue;
        for (const issue of result.error.issues) {
          messages++;
          if (
            ZOD_WORDING.test(issue.message) ||
            issue.message.trim() === "" ||
            (!TYPES_CODES.test(name) && codeWordsIn(issue.message.replace(ZONE_EXAMPLE, ""), CODE).length > 0)
          )
            bad.push(`${name} ${issue.path.join(".") || "(whole input)"}: "${issue.message}"`);
        }
      }
    }
    expect(bad, bad.slice(0, 20).join("\n")).toEqual([]);
    // a module of schemas really refused something (the check above is not vacuous)
    if (schemas.length > 0) expect(messages).toBeGreaterThan(0);
  });

  it("the contract form's period checks name the form's fields, not the CSV's columns", async () => {
    const { contractSchema } = await import("./contract");
    const rate = { cpt: "97110", modifier: "", medicare_year: "", locality: "", max_units_per_visit: "", lesser_of_charge: "" };
    const base = { payerId: "1", effective_from: "2026-01-01", effective_to: "", unit_method: "cms", multiple_procedure_rule: "none" };
    const neither = contractSchema.safeParse({ ...base, rates: [{ ...rate, rate_per_unit: "", percent_of_medicare: "" }] });
    const both = contractSchema.safeParse({ ...base, rates: [{ ...rate, rate_per_unit: "50", percent_of_medicare: "110" }] });
    const backwards = contractSchema.safeParse({
      ...base,
      effective_to: "2025-12-31",
      rates: [{ ...rate, rate_per_unit: "50", percent_of_medicare: "" }],
    });
    expect(neither.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["rates.0.rate_per_unit", "97110: give either a rate per unit or a percent of Medicare."],
    ]);
    expect(both.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["rates.0.rate_per_unit", "97110: give a rate per unit or a percent of Medicare, not both."],
    ]);
    expect(backwards.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["effective_to", "Effective to 2025-12-31 is before Effective from 2026-01-01."],
    ]);
  });

  it("recognises zod's own wording (the check above can fail)", () => {
    // zod's default for a required string, without the one place of messages
    const raw = z
      .string()
      .min(1)
      .safeParse("", { error: () => undefined });
    expect(raw.success).toBe(false);
    expect("Too small: expected string to have >=1 characters").toMatch(ZOD_WORDING);
    expect("Invalid input: expected number, received NaN").toMatch(ZOD_WORDING);
    expect("minutes must be a whole number").not.toMatch(ZOD_WORDING);
    expect("is required").not.toMatch(ZOD_WORDING);
    expect(codeWordsIn(": give either rate_per_unit or percent_of_medicare.", CODE)).not.toEqual([]);
  });
});
