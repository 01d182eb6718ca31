// The query strings of the app's pages (and of the downloads that share them), read by one
// parser: proxy.ts answers 400 naming the parameter before a page runs, and each page reads
// its values through the same schema. An empty value ("?week=") is the same as none, and
// parameters a page does not know are ignored; a value the page cannot use is refused rather
// than silently replaced, so a shared link never shows something else than it says.
import { z } from "zod";
import { InvalidInput } from "@/lib/server/core/errors";
import { KPI_KEYS } from "@/lib/server/revenue/definitions";
import { DENIAL_CAUSES } from "@/lib/billing/denialCauses";
import { cptCode, dollarsToCents, isoDateString } from "./common";
import { KX_LEVEL_VALUES, KX_POOL_VALUES, KX_SORT_VALUES, KX_STATUS_VALUES } from "./kx";
import { PERIOD_WEEKS, REVIEW_STATUSES, UNDERCODING_DIRECTIONS } from "./undercoding";

type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

/** The dates a page accepts: the product's own calendar (weeks, thresholds, reference years). */
export const FIRST_DATE = "2000-01-01";
export const LAST_DATE = "2100-12-31";
/** The longest from–to period of a list (denials, underpayments, claims to fix): two years. */
export const MAX_RANGE_DAYS = 731;

export const queryDate = isoDateString.refine((s) => s >= FIRST_DATE && s <= LAST_DATE, {
  error: `must be a date between ${FIRST_DATE} and ${LAST_DATE}`,
});
export const queryId = z.coerce
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number" })
  .positive({ error: "must be a positive number" })
  .max(2_147_483_647, { error: "is too large" });
export const queryPage = z.coerce
  .number({ error: "must be a page number" })
  .int({ error: "must be a page number" })
  .min(1, { error: "must be a page number from 1" })
  .max(100_000, { error: "must be a page number up to 100000" });
const queryYear = z.coerce
  .number({ error: "must be a year" })
  .int({ error: "must be a year" })
  .min(2000, { error: "must be a year from 2000 to 2100" })
  .max(2100, { error: "must be a year from 2000 to 2100" });
const queryText = z.string().max(100, { error: "must be at most 100 characters" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(", ")}` });

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** from/to of a list: each a date, from not after to, at most MAX_RANGE_DAYS apart. */
const dateRange = {
  from: queryDate.optional(),
  to: queryDate.optional(),
};
function checkRange(range: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  // without "to" a list runs to today (UTC is close enough for a two-year bound)
  if (range.from && !range.to && daysBetween(range.from, new Date().toISOString().slice(0, 10)) > MAX_RANGE_DAYS) {
    ctx.addIssue({
      code: "custom",
      path: ["from"],
      message: `must be at most two years (${MAX_RANGE_DAYS} days) before to, or before today`,
    });
    return;
  }
  if (!range.from || !range.to) return;
  if (range.from > range.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  else if (daysBetween(range.from, range.to) > MAX_RANGE_DAYS)
    ctx.addIssue({ code: "custom", path: ["to"], message: `must be at most two years (${MAX_RANGE_DAYS} days) after from` });
}

const PAGES = {
  "/revenue": z.object({ week: queryDate.optional() }),
  "/revenue/csv": z.object({ week: queryDate.optional() }),
  "/revenue/lines": z.object({
    metric: oneOf(KPI_KEYS).optional(),
    week: queryDate.optional(),
    weeks: z.coerce
      .number()
      .refine((n) => n === 1 || n === 13, { error: "must be 1 or 13" })
      .optional(),
    payer: queryId.optional(),
    therapist: queryId.optional(),
    page: queryPage.optional(),
    from: queryDate.optional(),
    to: queryDate.optional(),
    age: z.coerce
      .number()
      .refine((n) => n === 30 || n === 60 || n === 90, { error: "must be 30, 60 or 90" })
      .optional(),
  }),
  "/patients": z.object({ q: queryText.optional(), page: queryPage.optional() }),
  // the payments' page, and the import history's
  "/remits": z.object({ page: queryPage.optional(), importsPage: queryPage.optional() }),
  // the page of the payment's claims
  "/remits/[id]": z.object({ page: queryPage.optional() }),
  // the unmatched claims' page, and the unmatched lines'
  "/remits/unmatched": z.object({ page: queryPage.optional(), linesPage: queryPage.optional() }),
  "/imports": z.object({ page: queryPage.optional() }),
  "/patients/[id]": z.object({ deleted: queryText.optional() }),
  "/patients/[id]/threshold": z.object({ year: queryYear.optional(), pool: oneOf(KX_POOL_VALUES).optional() }),
  "/visits/new": z.object({ patient: queryId.optional() }),
  "/visits/[id]": z.object({ saved: queryText.optional(), restored: queryText.optional() }),
  "/kx": z.object({
    pool: oneOf(KX_POOL_VALUES).optional(),
    level: oneOf(KX_LEVEL_VALUES).optional(),
    clinic: queryId.optional(),
    therapist: queryId.optional(),
    assignee: z.union([z.literal("me"), z.literal("unassigned"), queryId], { error: "must be me, unassigned or a user" }).optional(),
    year: queryYear.optional(),
    status: oneOf(KX_STATUS_VALUES).optional(),
    sort: oneOf(KX_SORT_VALUES).optional(),
    page: queryPage.optional(),
    // the queue (its patients) or the whole list of lines to rebill with KX, a page at a time
    view: oneOf(["queue", "rebill"]).optional(),
    rebillPage: queryPage.optional(),
  }),
  // an appeal letter of many lines comes in parts (LETTER_PART_LINES lines each)
  "/underpayments/letter/[payerId]": z.object({ part: queryPage.optional() }),
  "/underpayments/letter/[payerId]/pdf": z.object({ part: queryPage.optional() }),
  "/kx/export": z.object({ year: queryYear.optional(), format: oneOf(["csv", "json"]).optional() }),
  "/claims-to-fix": z
    .object({
      type: z
        .string()
        .regex(/^[a-z_]{1,60}$/, { error: "must be a type of check" })
        .optional(),
      ...dateRange,
      page: queryPage.optional(),
    })
    .superRefine(checkRange),
  "/denials": z
    .object({
      ...dateRange,
      week: queryDate.optional(),
      cause: oneOf(DENIAL_CAUSES).optional(),
      payer: queryText.optional(),
      page: queryPage.optional(),
      // the page of the week × payer list (two years by every payer is a thousand rows)
      weekPayerPage: queryPage.optional(),
    })
    .superRefine(checkRange),
  "/underpayments": z
    .object({
      payer: queryId.optional(),
      cpt: cptCode.optional(),
      ...dateRange,
      min: dollarsToCents.refine((c) => c >= 0, { error: "must not be negative" }).optional(),
      status: oneOf(["open", "appealed", "recovered", "written_off", "all"]).optional(),
      page: queryPage.optional(),
    })
    .superRefine(checkRange),
  "/undercoding": z.object({
    week: queryDate.optional(),
    weeks: z.coerce
      .number()
      .refine((n) => (PERIOD_WEEKS as readonly number[]).includes(n), { error: `must be one of ${PERIOD_WEEKS.join(", ")}` })
      .optional(),
    direction: oneOf(UNDERCODING_DIRECTIONS).optional(),
    status: oneOf(REVIEW_STATUSES).optional(),
    therapist: queryId.optional(),
    payer: queryId.optional(),
    page: queryPage.optional(),
    // the page of the possible lines (ambiguous notes) under the candidates
    possiblePage: queryPage.optional(),
  }),
} as const;
// Each list's "Download CSV" (…/csv) reads the same query string with the same schema as its page.
export const PAGE_QUERIES = {
  ...PAGES,
  "/kx/csv": PAGES["/kx"],
  "/underpayments/csv": PAGES["/underpayments"],
  "/undercoding/csv": PAGES["/undercoding"],
  "/denials/csv": PAGES["/denials"],
} as const;
export type PagePath = keyof typeof PAGE_QUERIES;

/** The registered page a URL path is, with "[id]" standing for a record id segment. */
export function pagePathOf(pathname: string): PagePath | null {
  const pattern = pathname
    .replace(/\/+$/, "")
    .replace(/^(\/(?:patients|visits|remits))\/(?!new$|unmatched$)[^/]+/, "$1/[id]")
    .replace(/^\/underpayments\/letter\/[^/]+/, "/underpayments/letter/[payerId]");
  return Object.hasOwn(PAGE_QUERIES, pattern) ? (pattern as PagePath) : null;
}

function firstValues(raw: RawParams): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = raw instanceof URLSearchParams ? [...raw.entries()] : Object.entries(raw);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && !(key in out)) out[key] = first;
  }
  return out;
}

export interface SearchParamProblem {
  param: string;
  message: string;
}

// no text column can hold a NUL, and no parameter of the app needs a control character
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function parse(
  path: PagePath | null,
  raw: RawParams,
): { ok: true; data: Record<string, unknown> } | { ok: false; problem: SearchParamProblem } {
  const values = firstValues(raw);
  for (const [param, value] of Object.entries(values)) {
    if (CONTROL.test(value)) return { ok: false, problem: { param, message: "must not contain control characters" } };
    if (value.length > 1_000) return { ok: false, problem: { param, message: "is too long" } };
  }
  if (!path) return { ok: true, data: {} };
  const present = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ""));
  const parsed = PAGE_QUERIES[path].safeParse(present);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: { param: String(issue.path[0] ?? "query"), message: issue.message } };
}

/** The first problem of a URL's query string, or null when the page can use every value. */
export function searchParamProblem(pathname: string, raw: RawParams): SearchParamProblem | null {
  const result = parse(pagePathOf(pathname), raw);
  return result.ok ? null : result.problem;
}

/** A problem put in words: «The address's "week" must be a date between …». */
export function describeProblem(problem: SearchParamProblem): string {
  return `The address's "${problem.param}" ${problem.message}.`;
}

/** A 400 (route handlers answer it as JSON through the guard). */
export class BadSearchParam extends InvalidInput {
  constructor(readonly problem: SearchParamProblem) {
    super(describeProblem(problem), { [problem.param]: [problem.message] });
  }
}

/**
 * A page's query values, parsed with its schema. proxy.ts has already answered 400 for a bad
 * value; a call that still meets one (a test, a direct call) throws BadSearchParam.
 */
export function pageQuery<P extends PagePath>(path: P, raw: RawParams): z.output<(typeof PAGE_QUERIES)[P]> {
  const result = parse(path, raw);
  if (!result.ok) throw new BadSearchParam(result.problem);
  return result.data as z.output<(typeof PAGE_QUERIES)[P]>;
}
