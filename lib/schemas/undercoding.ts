// Inputs of the undercoding review (DOMAIN.md §4): a person confirms or dismisses a candidate
// line with a reason, or undoes that; the billed code itself is never changed.
import { z } from "zod";
import "./messages";
import { isoDateString } from "./common";

export const REVIEW_DECISIONS = ["CONFIRMED", "DISMISSED"] as const;
export const UNDERCODING_DIRECTIONS = ["could_be_97530", "reads_as_exercise"] as const;
export const REVIEW_STATUSES = ["open", "confirmed", "dismissed", "all"] as const;
export const PERIOD_WEEKS = [1, 4, 13, 52] as const;

export const reviewCandidateSchema = z.object({
  lineId: z.coerce.number().int().positive(),
  decision: z.enum(REVIEW_DECISIONS, { error: "choose confirm or dismiss" }),
  reason: z
    .string({ error: "give a reason" })
    .trim()
    .min(3, { error: "give a reason (at least 3 characters)" })
    .max(500, { error: "keep the reason under 500 characters" }),
});
export type ReviewCandidateInput = z.output<typeof reviewCandidateSchema>;

export const undoReviewSchema = z.object({ lineId: z.coerce.number().int().positive() });
export type UndoReviewInput = z.output<typeof undoReviewSchema>;

const optionalId = z
  .union([z.literal(""), z.coerce.number().int().positive()])
  .optional()
  .transform((v) => (v === "" || v === undefined ? null : v));

/** The undercoding page's query string; anything unreadable falls back to the default. */
export const undercodingFiltersSchema = z.object({
  week: isoDateString.optional().catch(undefined),
  weeks: z.coerce
    .number()
    .refine((n) => (PERIOD_WEEKS as readonly number[]).includes(n))
    .optional()
    .catch(undefined)
    .transform((n) => n ?? 13),
  direction: z.enum(UNDERCODING_DIRECTIONS).optional().catch(undefined),
  status: z
    .enum(REVIEW_STATUSES)
    .optional()
    .catch(undefined)
    .transform((s) => s ?? "open"),
  therapist: optionalId.catch(null),
  payer: optionalId.catch(null),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .catch(undefined)
    .transform((n) => n ?? 1),
});
export type UndercodingFilters = z.output<typeof undercodingFiltersSchema>;

/** The practice's undercoding option: "on" sets ambiguous notes apart as possible loss. */
export const undercodingOptionSchema = z.object({
  reviewAmbiguousNotes: z.enum(["on", "off"], { error: "Choose on or off" }).transform((v) => v === "on"),
});
