// The undercoding candidates as a list view: the period and filters the page reads from its
// address, the page's query for every candidate, and the columns of its CSV download
// (lib/server/lists/view.ts).
import { type UndercodingFilters, undercodingFiltersSchema } from "@/lib/schemas/undercoding";
import { dateText } from "@/lib/ui/dates";
import type { PracticeContext } from "../core/context";
import { dollars } from "../lists/format";
import { type ListView, momentCell } from "../lists/view";
import { LIST_READ_PERMISSION } from "../core/permissions";
import { reviewWeek } from "../revenue/review";
import { refreshRevenueRollup } from "../derived/rollup";
import { analyticsScope } from "../revenue/scope";
import { addWeeks, weekEnd, weekStartOf } from "../revenue/weeks";
import { type Candidate, type CandidateFilter, candidateLines } from "./queries";

export interface UndercodingView {
  filters: UndercodingFilters;
  /** the last week shown (its Monday), the first, and the period's first and last days */
  week: string;
  firstWeek: string;
  candidates: CandidateFilter;
}

/** The page's period and candidate filters from its parsed address: the page and its download call this one. */
export async function undercodingViewOf(query: Record<string, unknown>, ctx: PracticeContext): Promise<UndercodingView> {
  const filters = undercodingFiltersSchema.parse(query);
  // the review week is read from the weekly figures: bring them up to date first
  await refreshRevenueRollup(ctx.practiceId);
  const week = filters.week ? weekStartOf(filters.week) : (await reviewWeek(ctx.practiceId, ctx.practice.timeZone)).week;
  const firstWeek = addWeeks(week, -(filters.weeks - 1));
  return {
    filters: filters,
    week,
    firstWeek,
    candidates: {
      from: firstWeek,
      to: weekEnd(week),
      direction: filters.direction ?? null,
      status: filters.status,
      therapistId: filters.therapist,
      payerId: filters.payer,
      page: filters.page,
    },
  };
}

const DIRECTION_WORDS: Record<Candidate["direction"], string> = {
  could_be_97530: "Could be 97530",
  reads_as_exercise: "Reads as exercise",
};

export const UNDERCODING_VIEW: ListView<UndercodingView, Candidate> = {
  page: "/undercoding",
  permission: LIST_READ_PERMISSION.undercoding,
  fileName: "undercoding-view",
  filters: (query, ctx) => undercodingViewOf(query, ctx),
  rows: async (ctx, view) => (await candidateLines(analyticsScope(ctx.practiceId), { ...view.candidates, page: "all" })).rows,
  columns: [
    { header: "Date", cell: (r) => dateText(r.dateOfService) },
    { header: "Visit", cell: (r) => r.visitExternalId },
    { header: "Line", cell: (r) => r.lineOrder + 1 },
    { header: "Code", cell: (r) => r.cpt },
    { header: "Modifiers", cell: (r) => r.modifiers.join(" ") },
    { header: "Units", cell: (r) => r.units },
    { header: "Reading", cell: (r) => DIRECTION_WORDS[r.direction] },
    { header: "Potential gain", cell: (r) => (r.direction === "could_be_97530" ? dollars(r.gainCents) : "") },
    { header: "Patient", cell: (r) => r.patientName },
    { header: "Patient ID", cell: (r) => r.patientExternalId },
    { header: "Therapist", cell: (r) => r.therapist },
    { header: "Payer", cell: (r) => r.payer },
    { header: "Matched words", cell: (r) => r.terms.join(", ") },
    { header: "Status", cell: (r) => (r.review ? (r.review.decision === "CONFIRMED" ? "confirmed" : "dismissed") : "open") },
    { header: "Reviewed by", cell: (r) => r.review?.by ?? "" },
    { header: "Reviewed", cell: (r, ctx) => momentCell(r.review?.at, ctx.practice.timeZone) },
    { header: "Review note", cell: (r) => r.review?.reason ?? "" },
  ],
};
