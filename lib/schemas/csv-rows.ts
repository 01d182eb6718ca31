// One zod schema per CSV row of FORMATS.md; the same schemas check form input.
import { z } from "zod";
import "./messages";
import { CREDENTIAL_VALUES, cptCode, dollarsToCents, isoDateString, modifierList, PAYER_KIND_VALUES } from "./common";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `at most ${max} characters` });
const required = (max: number) => text(max).min(1, { error: "is required" });
const optionalInt = (max: number) =>
  z
    .string()
    .trim()
    .transform((s) => (s === "" ? null : s))
    .pipe(
      z.union([
        z.null(),
        z
          .string()
          .regex(/^\d+$/, { error: "must be a whole number" })
          .transform(Number)
          .pipe(z.number().max(max, { error: `must be at most ${max}` })),
      ]),
    );

export const visitCsvRow = z.object({
  patient_id: required(64),
  first_name: required(80),
  last_name: required(80),
  birth_date: isoDateString,
  payer: required(120),
  payer_kind: z.enum(PAYER_KIND_VALUES, { error: `must be one of ${PAYER_KIND_VALUES.join(", ")}` }),
  member_id: text(64),
  visit_id: required(64),
  claim_id: text(64),
  date_of_service: isoDateString,
  therapist_npi: z
    .string()
    .trim()
    .regex(/^\d{10}$/, { error: "must be a 10-digit NPI" }),
  therapist_name: required(120),
  therapist_credential: z.enum(CREDENTIAL_VALUES, { error: "must be PT, PTA, OT, OTA or SLP" }),
  place_of_service: z
    .string()
    .trim()
    .regex(/^\d{2}$/, { error: "must be two digits, e.g. 11" }),
  cpt: cptCode,
  modifiers: modifierList,
  minutes: optionalInt(480),
  units_billed: z
    .string()
    .trim()
    .regex(/^\d+$/, { error: "must be a whole number" })
    .transform(Number)
    .pipe(z.number().max(96, { error: "must be at most 96" })),
  charge: dollarsToCents.refine((c) => c >= 0, { error: "must not be negative" }),
  note: text(5000),
});
export type VisitCsvRow = z.output<typeof visitCsvRow>;

/** visits.csv's columns in FORMATS.md's order: the keys of its row schema. */
export const VISIT_CSV_COLUMNS = Object.keys(visitCsvRow.shape) as (keyof typeof visitCsvRow.shape)[];

export const usageCsvRow = z.object({
  patient_id: required(64),
  year: z
    .string()
    .trim()
    .regex(/^\d{4}$/, { error: "must be a year, e.g. 2026" })
    .transform(Number),
  pool: z.enum(["PT_SLP", "OT"], { error: "must be PT_SLP or OT" }),
  amount: dollarsToCents.refine((c) => c >= 0, { error: "must not be negative" }),
  source: required(200),
  as_of: isoDateString,
});
export type UsageCsvRow = z.output<typeof usageCsvRow>;

const optionalDate = z
  .string()
  .trim()
  .transform((s) => (s === "" ? null : s))
  .pipe(z.union([z.null(), isoDateString]));

export const contractCsvRow = z.object({
  payer: required(120),
  /** optional column: the kind of a payer the file creates (empty: commercial) */
  payer_kind: z
    .string()
    .trim()
    .toLowerCase()
    .transform((s) => (s === "" ? "commercial" : s))
    .pipe(z.enum(PAYER_KIND_VALUES, { error: `must be empty or one of ${PAYER_KIND_VALUES.join(", ")}` })),
  effective_from: isoDateString,
  effective_to: optionalDate,
  unit_method: z.enum(["cms", "per_code"], { error: "must be cms or per_code" }),
  multiple_procedure_rule: z.enum(["medicare_pe_50", "whole_50", "none"], { error: "must be medicare_pe_50, whole_50 or none" }),
  cpt: cptCode,
  modifier: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z0-9]{2})?$/, { error: "must be empty or a 2-character modifier" }),
  rate_per_unit: z
    .string()
    .trim()
    .transform((s) => (s === "" ? null : s))
    .pipe(z.union([z.null(), dollarsToCents])),
  percent_of_medicare: z
    .string()
    .trim()
    .regex(/^(\d{1,4}(\.\d{1,3})?)?$/, { error: "must be a percentage such as 120 or 110.5" })
    .transform((s) => (s === "" ? null : s)),
  medicare_year: optionalInt(2100),
  locality: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2}-\d{2})?$/, { error: "must be STATE-NN, e.g. CA-18" })
    .transform((s) => (s === "" ? null : s)),
  max_units_per_visit: optionalInt(96),
  lesser_of_charge: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(true|false)?$/, { error: "must be true, false or empty" })
    .transform((s) => s !== "false"),
});
export type ContractCsvRow = z.output<typeof contractCsvRow>;
