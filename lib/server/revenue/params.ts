// The defaults of the revenue lines page's query (?metric=…&week=…); the values themselves are
// checked first by the one parser of every page's query (lib/schemas/search-params.ts).
import { z } from "zod";
import { isoDateString } from "@/lib/schemas/common";
import { KPI_KEYS } from "./definitions";

const optionalId = z.coerce.number().int().positive().optional().catch(undefined);

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
  /** a period of dates of service instead of weeks (the owner's year to date) */
  from: isoDateString.optional().catch(undefined),
  to: isoDateString.optional().catch(undefined),
  /** open receivables today, served more than this many days ago */
  age: z.coerce
    .number()
    .refine((n) => n === 30 || n === 60 || n === 90)
    .optional()
    .catch(undefined),
});
