// The query strings of the revenue pages (?week=YYYY-MM-DD&metric=…), parsed with zod; anything
// unreadable falls back to the default instead of failing the page.
import { z } from "zod";
import { isoDateString } from "@/lib/schemas/common";
import { KPI_KEYS } from "./definitions";

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const optionalId = z.coerce.number().int().positive().optional().catch(undefined);

export const revenueQuerySchema = z.object({
  week: isoDateString.optional().catch(undefined),
});

export const linesQuerySchema = z.object({
  metric: z.enum(KPI_KEYS).catch("visits"),
  week: isoDateString.optional().catch(undefined),
  weeks: z.coerce
    .number()
    .refine((n) => n === 1 || n === 13)
    .optional()
    .catch(undefined),
  payer: optionalId,
  therapist: optionalId,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export function parseQuery<S extends z.ZodType>(schema: S, params: SearchParams): z.output<S> {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, first(v)]));
  return schema.parse(flat);
}
