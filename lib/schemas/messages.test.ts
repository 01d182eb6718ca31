import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isoDateString } from "./common";
import { sentenceOf } from "./messages";

function messages(schema: z.ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("validation messages in the users' words", () => {
  it("says a required field is required, not 'too small: expected string to have >=1 characters'", () => {
    expect(messages(z.object({ name: z.string().min(1) }), { name: "" })).toEqual(["is required"]);
    expect(messages(z.object({ name: z.string() }), {})).toEqual(["is required"]);
  });

  it("says a number is expected, not 'expected number, received NaN'", () => {
    expect(messages(z.coerce.number(), "twelve")).toEqual(["must be a number"]);
  });

  it("names the bounds in words", () => {
    expect(messages(z.number().min(0), -1)).toEqual(["must be 0 or more"]);
    expect(messages(z.number().max(600), 601)).toEqual(["must be 600 or less"]);
    expect(messages(z.number().positive(), 0)).toEqual(["must be more than 0"]);
    expect(messages(z.string().min(12), "short")).toEqual(["must be at least 12 characters"]);
    expect(messages(z.string().max(3), "long")).toEqual(["must be at most 3 characters"]);
    expect(messages(z.enum(["cms", "per_code"]), "x")).toEqual(["must be cms or per_code"]);
    expect(messages(z.email(), "nope")).toEqual(["must be an email address, like name@example.com"]);
  });

  it("gives one message for a malformed date, and another for a date not on the calendar", () => {
    expect(messages(isoDateString, "15/03/2026")).toEqual(["must be a date, like 2026-03-15"]);
    expect(messages(isoDateString, "2026-02-30")).toEqual(["is not a date on the calendar"]);
  });

  it("turns a phrase into a sentence under a form field", () => {
    expect(sentenceOf("is required")).toBe("Required.");
    expect(sentenceOf("must be 0 or more")).toBe("Must be 0 or more.");
    expect(sentenceOf("Enter the practice name")).toBe("Enter the practice name.");
    expect(sentenceOf("Use an IANA time zone, e.g. America/New_York.")).toBe("Use an IANA time zone, e.g. America/New_York.");
  });
});
