// A paper EOB typed in by a manager (payers that send no 835): the same schema checks the
// form in the browser and the server action. Balancing is checked as the 835 reader checks
// it: line charge − Σ adjustments = line paid; the check amount = Σ paid.
import { usd } from "@/lib/ui/money";
import { z } from "zod";
import "./messages";
import { cptCode, dollarsToCents, isoDateString, modifierList } from "./common";

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `at most ${max} characters` });
const required = (max: number) => text(max).min(1, { error: "is required" });
const optionalDollars = z
  .string()
  .trim()
  .transform((s) => (s === "" ? null : s))
  .pipe(z.union([z.null(), dollarsToCents]));

export const EOB_GROUP_CODES = ["CO", "PR", "OA", "PI"] as const;
export const EOB_CLAIM_STATUSES = [
  { code: "1", label: "Processed as primary" },
  { code: "2", label: "Processed as secondary" },
  { code: "3", label: "Processed as tertiary" },
  { code: "4", label: "Denied" },
  { code: "22", label: "Reversal of previous payment" },
] as const;

export const eobAdjustmentSchema = z.object({
  group: z.enum(EOB_GROUP_CODES, { error: "must be CO, PR, OA or PI" }),
  reason: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{1,5}$/, { error: "must be a CARC such as 45 or 119" }),
  amount: dollarsToCents,
});

export const eobLineSchema = z.object({
  serviceDate: isoDateString,
  cpt: cptCode,
  modifiers: modifierList,
  units: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, { error: "must be a whole number" })
    .transform(Number)
    .pipe(z.number().min(1, { error: "must be at least 1" })),
  charge: dollarsToCents,
  /** empty: paid + patient responsibility + sequestration, as for an 835 without AMT*B6 */
  allowed: optionalDollars,
  paid: dollarsToCents,
  remarks: z
    .string()
    .trim()
    .toUpperCase()
    .transform((s) => (s === "" ? [] : s.split(/[;,\s]+/).filter(Boolean)))
    .pipe(z.array(z.string().regex(/^[A-Z0-9]{2,6}$/, { error: "remark codes such as N640, separated by ;" })).max(10)),
  adjustments: z.array(eobAdjustmentSchema).max(12, { error: "at most 12 adjustments per line" }),
});

export const eobClaimSchema = z.object({
  claimNumber: required(64),
  status: z.enum(["1", "2", "3", "4", "22"], { error: "choose a claim status" }),
  payerClaimNumber: text(64),
  patientName: text(120),
  memberId: text(64),
  lines: z.array(eobLineSchema).min(1, { error: "a claim needs at least one line" }).max(50),
});

export const eobSchema = z
  .object({
    payerId: z.coerce.number({ error: "choose the payer" }).int().positive({ error: "choose the payer" }),
    checkNumber: required(50),
    paymentDate: isoDateString,
    amount: dollarsToCents,
    claims: z.array(eobClaimSchema).min(1, { error: "enter at least one claim" }).max(100),
  })
  .superRefine((eob, ctx) => {
    let paid = 0;
    eob.claims.forEach((claim, claimIndex) => {
      claim.lines.forEach((line, lineIndex) => {
        paid += line.paid;
        const adjusted = line.adjustments.reduce((s, a) => s + a.amount, 0);
        if (line.charge - adjusted !== line.paid) {
          ctx.addIssue({
            code: "custom",
            path: ["claims", claimIndex, "lines", lineIndex, "paid"],
            message: `does not balance: charge ${usd(line.charge)} minus adjustments ${usd(adjusted)} is ${usd(line.charge - adjusted)}, but paid is ${usd(line.paid)}`,
          });
        }
      });
    });
    if (paid !== eob.amount) {
      ctx.addIssue({
        code: "custom",
        path: ["amount"],
        message: `the lines paid ${usd(paid)} in all, but the check amount is ${usd(eob.amount)}`,
      });
    }
  });

export type EobInput = z.input<typeof eobSchema>;
export type Eob = z.output<typeof eobSchema>;

/** Zod issues keyed by their full path ("claims.0.lines.1.paid"), for forms with nested rows. */
export function fieldErrorsByPath(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    const list = out[key] ?? [];
    list.push(issue.message);
    out[key] = list;
  }
  return out;
}
