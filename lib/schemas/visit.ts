// The visit form: one schema for the browser (checked before sending) and the server action
// (checked again, never trusted). Every field arrives as the text the person typed; the
// schema turns it into typed values or errors keyed by field path ("lines.2.minutes").
import { z } from "zod";
import "./messages";
import { isTimedCode } from "@/lib/billing/codes";
import { cptCode, dollarsToCents, isoDateString } from "./common";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters` });

const wholeNumber = (what: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `${what} must be a whole number` })
    .transform(Number)
    .pipe(z.number().max(max, { error: `${what} must be at most ${max}` }));

/** A whole number, or empty for none (minutes of an untimed code). */
const optionalWholeNumber = (what: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d*$/, { error: `${what} must be a whole number` })
    .transform((s) => (s === "" ? null : Number(s)))
    .refine((n) => n === null || n <= max, { error: `${what} must be at most ${max}` });

/** A choice from a list of records of the practice (therapist, payer): the record's id. */
const recordId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[1-9]\d{0,9}$/, { error: `Choose a ${what}` })
    .transform(Number);

/** "GP;KX;59" (semicolons, commas or spaces between) → ["GP","KX","59"]. */
const modifiers = z
  .string()
  .trim()
  .transform((s) =>
    s
      .split(/[;,\s]+/)
      .filter((m) => m !== "")
      .map((m) => m.toUpperCase()),
  )
  .pipe(
    z
      .array(z.string().regex(/^[A-Z0-9]{2}$/, { error: "Each modifier is 2 letters or digits, e.g. GP;KX" }))
      .max(4, { error: "At most 4 modifiers on a line" })
      .refine((list) => new Set(list).size === list.length, { error: "A modifier appears twice" }),
  );

export const visitLineSchema = z.object({
  /** the id of an existing line (kept on edit so remit links and reviews stay attached); empty for a new line */
  id: z
    .string()
    .trim()
    .regex(/^(\d{1,10})?$/)
    .transform((s) => (s === "" ? null : Number(s))),
  cpt: z
    .string()
    .trim()
    .min(1, { error: "Enter a CPT/HCPCS code" })
    .pipe(z.string().regex(/^[A-Za-z0-9]{5}$/, { error: "Use a 5-character CPT/HCPCS code, e.g. 97110" }))
    .pipe(cptCode),
  minutes: optionalWholeNumber("Minutes", 480),
  modifiers,
  unitsBilled: wholeNumber("Units", 96),
  charge: z
    .string()
    .trim()
    .min(1, { error: "Enter the billed charge" })
    .pipe(z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, { error: "Dollars with up to 2 decimals, e.g. 120.00" }))
    .pipe(dollarsToCents),
  note: text(5000),
});

export const visitFormSchema = z
  .object({
    /** the practice's own patient identifier (changing it moves the visit to that patient) */
    patient: text(64).min(1, { error: "Enter the patient id" }),
    /** the practice's own visit identifier; left empty on a new visit, one is assigned */
    visitId: text(64),
    dateOfService: isoDateString.refine((s) => s >= "2000-01-01", { error: "Must be 2000-01-01 or later" }),
    therapistId: recordId("therapist"),
    payerId: recordId("payer"),
    claimId: text(64),
    placeOfService: z
      .string()
      .trim()
      .regex(/^\d{2}$/, { error: "Two digits, e.g. 11 (office) or 02/10 (telehealth)" }),
    lines: z.array(visitLineSchema).min(1, { error: "Add at least one line" }).max(40, { error: "At most 40 lines on a visit" }),
  })
  .superRefine((visit, ctx) => {
    visit.lines.forEach((line, lineIndex) => {
      if (isTimedCode(line.cpt) && line.minutes === null) {
        ctx.addIssue({
          code: "custom",
          path: ["lines", lineIndex, "minutes"],
          message: `${line.cpt} is a timed code: enter the direct one-on-one minutes`,
        });
      }
    });
    const ids = visit.lines.map((l) => l.id).filter((id) => id !== null);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["lines"], message: "A line appears twice" });
  });

export type VisitFormInput = z.input<typeof visitFormSchema>;
export type VisitFormValues = z.output<typeof visitFormSchema>;
export type VisitLineInput = z.input<typeof visitLineSchema>;

/** Editing needs the version the form was loaded with (optimistic lock). */
export const visitUpdateSchema = z.object({
  id: z.number().int().positive(),
  version: z.number().int().positive(),
  visit: visitFormSchema,
});
export type VisitUpdateInput = z.input<typeof visitUpdateSchema>;

export const visitDeleteSchema = z.object({
  id: z.number().int().positive(),
  version: z.number().int().positive(),
});

export const visitRestoreSchema = z.object({
  /** the audit event of the delete, which holds the deleted visit */
  deleteEventId: z.string().regex(/^\d{1,18}$/),
});

/**
 * Errors by field path, e.g. { "lines.2.minutes": ["Minutes must be a whole number"] }: the
 * form shows each next to its field. Paths inside a field (a modifier of the list) stop at
 * the field; an update's "visit." prefix is dropped so paths match the form's.
 */
export function visitFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    let path = issue.path.map(String);
    if (path[0] === "visit") path = path.slice(1);
    if (path[0] === "lines" && path.length > 3) path = path.slice(0, 3);
    const key = path.length ? path.join(".") : "form";
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

/** An empty line for the form. */
export function blankVisitLine(modifiers = ""): VisitLineInput {
  return { id: "", cpt: "", minutes: "", modifiers, unitsBilled: "1", charge: "", note: "" };
}
