// A payer contract entered in the app: the same rules as a contracts.csv period (the field
// checks of contractCsvRow, the period checks of contractsFromRows), shared by the form and
// the server action. Field names are the CSV's, so a message reads the same in both places.
import { z } from "zod";
import "./messages";
import { type ContractRow, contractsFromRows } from "@/lib/billing";
import { contractCsvRow } from "./csv-rows";

export const contractRateSchema = contractCsvRow.pick({
  cpt: true,
  modifier: true,
  rate_per_unit: true,
  percent_of_medicare: true,
  medicare_year: true,
  locality: true,
  max_units_per_visit: true,
  lesser_of_charge: true,
});

export const contractSchema = z
  .object({
    /** absent: a new contract */
    contractId: z.coerce.number().int().positive().optional(),
    payerId: z.coerce.number({ error: "choose the payer" }).int().positive({ error: "choose the payer" }),
    ...contractCsvRow.pick({ effective_from: true, effective_to: true }).shape,
    // the form's choices in words (the CSV's message names the values typed in a file)
    unit_method: z.enum(contractCsvRow.shape.unit_method.options, { error: "choose how units are counted" }),
    multiple_procedure_rule: z.enum(contractCsvRow.shape.multiple_procedure_rule.options, {
      error: "choose how several procedures of a day are reduced",
    }),
    rates: z.array(contractRateSchema).min(1, { error: "a contract needs at least one code" }).max(200),
  })
  .superRefine((form, ctx) => {
    const { errors } = contractsFromRows(contractRows(form, "payer"));
    for (const error of errors) {
      const field = /effective_to/.test(error.message)
        ? ["effective_to"]
        : /overlaps/.test(error.message)
          ? ["effective_from"]
          : /rate_per_unit|percent_of_medicare/.test(error.message)
            ? ["rates", error.rowIndex, "rate_per_unit"]
            : ["rates", error.rowIndex, "cpt"];
      ctx.addIssue({ code: "custom", path: field, message: inFormWords(error.message) });
    }
  });

/** The period checks name the CSV's columns; the form names its own fields. */
const FORM_WORDS: [RegExp, string][] = [
  [/\bunit_method and multiple_procedure_rule\b/g, "How units are counted and how procedures are reduced"],
  [/\brate_per_unit\b/g, "a rate per unit"],
  [/\bpercent_of_medicare\b/g, "a percent of Medicare"],
  [/\beffective_to\b/g, "Effective to"],
  [/\beffective_from\b/g, "Effective from"],
];
function inFormWords(message: string): string {
  return FORM_WORDS.reduce((m, [pattern, words]) => m.replace(pattern, words), message);
}

export type ContractInput = z.input<typeof contractSchema>;
export type ContractForm = z.output<typeof contractSchema>;

/** The form as contracts.csv rows (lib/billing's shape), one per code. */
export function contractRows(form: Omit<ContractForm, "contractId" | "payerId">, payer: string): ContractRow[] {
  return form.rates.map((r) => ({
    payer,
    effectiveFrom: form.effective_from,
    effectiveTo: form.effective_to,
    unitMethod: form.unit_method,
    multipleProcedureRule: form.multiple_procedure_rule,
    cpt: r.cpt,
    modifier: r.modifier === "" ? null : r.modifier,
    ratePerUnitCents: r.rate_per_unit,
    percentOfMedicare: r.percent_of_medicare,
    medicareYear: r.medicare_year,
    locality: r.locality,
    maxUnitsPerVisit: r.max_units_per_visit,
    lesserOfCharge: r.lesser_of_charge,
  }));
}
