// The KX queue's inputs: the biller's actions on a queue item, the "amount used elsewhere"
// form, and the queue's URL filters. Shared by the forms (client-side checks), the server
// actions and the tests, so a field error reads the same everywhere.
import { z } from "zod";
import "./messages";
import { dollarsToCents, isoDateString } from "./common";

export const KX_POOL_VALUES = ["PT_SLP", "OT"] as const;
export type KxPool = (typeof KX_POOL_VALUES)[number];
export const KX_POOL_LABELS: Record<KxPool, string> = { PT_SLP: "PT + SLP", OT: "OT" };

export const KX_LEVEL_VALUES = ["alert", "kx", "review"] as const;
export const KX_STATUS_VALUES = ["open", "snoozed", "resolved"] as const;
/** The queue's sortable columns; a leading "-" sorts from the highest (or latest, or Z) down. */
export const KX_SORT_VALUES = [
  "work",
  "patient",
  "-patient",
  "total",
  "-total",
  "missing",
  "-missing",
  "last_visit",
  "-last_visit",
] as const;
export type KxSort = (typeof KX_SORT_VALUES)[number];

export const CONFLICT_MESSAGE = "Someone else updated this item a moment ago — reload to see their change";

const id = z.coerce.number({ error: "must be a number" }).int().positive();

/** Every action names the item and the version of it the biller saw (optimistic lock). */
const itemRef = {
  itemId: id,
  version: z.coerce.number({ error: "must be a number" }).int().positive(),
};

export const itemRefSchema = z.object(itemRef);

export const assignSchema = z.object({
  ...itemRef,
  /** "me", "none" (unassign) or the user id of another biller of the practice */
  assignee: z.union([z.literal("me"), z.literal("none"), id], { error: "Choose a biller" }),
});

const optionalNote = z
  .string()
  .trim()
  .max(2000, { error: "Keep the note under 2,000 characters" })
  .optional()
  .transform((s) => (s ? s : undefined));

export const addKxSchema = z.object(itemRef);

export const recordAbnSchema = z.object({
  ...itemRef,
  /** the day the patient signed the ABN */
  signedOn: isoDateString,
  note: optionalNote,
});

export const docReviewSchema = z.object({
  ...itemRef,
  note: z
    .string()
    .trim()
    .min(3, { error: "Say what the documentation shows (e.g. measurable progress toward goals)" })
    .max(2000, { error: "Keep the note under 2,000 characters" }),
});

export const snoozeSchema = z.object({
  ...itemRef,
  until: isoDateString,
  note: optionalNote,
});

/** The corrected claim of lines denied CO-119 / CARC 4: the item and the lines sent again. */
export const rebillSchema = z.object({
  ...itemRef,
  lineIds: z.array(id).min(1, { error: "Choose at least one line" }).max(500, { error: "Choose at most 500 lines at a time" }),
});

export const resolveSchema = z.object({ ...itemRef, note: optionalNote });
export const reopenSchema = z.object({ ...itemRef, note: optionalNote });
export const undoSchema = z.object(itemRef);

/** "Amount used elsewhere this year" for one patient, year and pool (DOMAIN.md §1). */
export const usedElsewhereSchema = z
  .object({
    patientId: id,
    year: z.coerce
      .number({ error: "must be a year" })
      .int()
      .min(2000, { error: "must be a year, e.g. 2026" })
      .max(2100, { error: "must be a year, e.g. 2026" }),
    pool: z.enum(KX_POOL_VALUES, { error: "must be PT + SLP or OT" }),
    amount: z
      .string({ error: "Enter an amount in dollars" })
      .pipe(dollarsToCents)
      .refine((cents) => cents >= 0, { error: "must not be negative" })
      .refine((cents) => cents <= 10_000_000, { error: "must be under $100,000" }),
    source: z
      .string({ error: "Say where the figure comes from" })
      .trim()
      .min(2, { error: "Say where the figure comes from (e.g. MAC portal, eligibility response)" })
      .max(200, { error: "Keep the source under 200 characters" }),
    asOf: isoDateString,
  })
  .superRefine((values, ctx) => {
    if (Number(values.asOf.slice(0, 4)) < values.year) {
      ctx.addIssue({
        code: "custom",
        path: ["asOf"],
        message: `must be in ${values.year} or later: the amount is what was used that year as of this date`,
      });
    }
    if (values.asOf > new Date().toISOString().slice(0, 10)) {
      ctx.addIssue({ code: "custom", path: ["asOf"], message: "must not be in the future" });
    }
  });
export type UsedElsewhereInput = z.input<typeof usedElsewhereSchema>;

/** The queue's filters, read from the URL; anything unreadable falls back to its default. */
export const kxQueueFiltersSchema = z.object({
  pool: z.enum(KX_POOL_VALUES).optional().catch(undefined),
  level: z.enum(KX_LEVEL_VALUES).optional().catch(undefined),
  clinic: z.coerce.number().int().positive().optional().catch(undefined),
  therapist: z.coerce.number().int().positive().optional().catch(undefined),
  assignee: z
    .union([z.literal("me"), z.literal("unassigned"), z.coerce.number().int().positive()])
    .optional()
    .catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  status: z.enum(KX_STATUS_VALUES).default("open").catch("open"),
  sort: z.enum(KX_SORT_VALUES).default("work").catch("work"),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type KxQueueFilters = z.output<typeof kxQueueFiltersSchema>;

/** URL search params (string | string[]) → the first value of each. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    out[key] = first === "" ? undefined : first;
  }
  return out;
}

export const thresholdPageParamsSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  pool: z.enum(KX_POOL_VALUES).optional().catch(undefined),
});
