// The denied lines behind a figure of the denials page as a list view: the filters the page
// reads from its address, the page's query for every line, and the columns of its CSV download
// (lib/server/lists/view.ts).
import { dateText } from "@/lib/ui/dates";
import { dollars } from "../lists/format";
import type { ListView } from "../lists/view";
import { defaultWeekRange } from "../underpayments/weeks";
import { DENIAL_CAUSE_INFO, type DenialCause } from "@/lib/billing/denialCauses";
import { type DenialFilters, denialLines } from "./query";

/** The page's filters from its parsed address (pageQuery("/denials")): the period defaults to the practice's recent weeks. */
export function denialFiltersOf(
  query: { from?: string; to?: string; payer?: string; cause?: DenialCause; week?: string },
  timeZone: string,
): DenialFilters {
  const range = defaultWeekRange(timeZone);
  return { from: query.from ?? range.from, to: query.to ?? range.to, payer: query.payer, cause: query.cause, week: query.week };
}

type DenialLine = Awaited<ReturnType<typeof denialLines>>["lines"][number];

export const DENIALS_VIEW: ListView<DenialFilters, DenialLine> = {
  page: "/denials",
  permission: "remits.read",
  fileName: "denials-view",
  filters: (q, ctx) => denialFiltersOf(q as Parameters<typeof denialFiltersOf>[0], ctx.practice.timeZone),
  rows: async (ctx, filters) => (await denialLines(ctx.practiceId, filters, "all")).lines,
  patientId: (r) => r.patientId,
  columns: [
    { header: "Date", cell: (r) => dateText(r.day) },
    { header: "Payer", cell: (r) => r.payer },
    { header: "Claim", cell: (r) => r.pcn },
    { header: "Patient", cell: (r) => r.patientName ?? "" },
    { header: "Patient ID", cell: (r) => r.patientExternalId ?? "" },
    { header: "Code", cell: (r) => r.cpt },
    { header: "Modifiers", cell: (r) => r.modifiers.join(" ") },
    { header: "Units", cell: (r) => r.units },
    { header: "Charge", cell: (r) => dollars(r.charge) },
    { header: "Paid", cell: (r) => dollars(r.paid) },
    { header: "Expected", cell: (r) => dollars(r.expected) },
    { header: "Cause", cell: (r) => DENIAL_CAUSE_INFO[r.cause].label },
    { header: "Status", cell: (r) => (r.matched ? "matched to our line" : "not matched") },
    {
      header: "Adjustments",
      cell: (r) => r.adjustments.map((a) => `${a.code} ${dollars(a.amountCents)}${a.text ? `: ${a.text}` : ""}`).join("; "),
    },
    { header: "Remarks", cell: (r) => r.remarks.map((m) => `${m.code}${m.text ? `: ${m.text}` : ""}`).join("; ") },
  ],
};
