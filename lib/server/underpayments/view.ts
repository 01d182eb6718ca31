// The underpayments worklist as a list view: the filters the page reads from its address, the
// page's query for every line, and the columns of its CSV download (lib/server/lists/view.ts).
import { dateText } from "@/lib/ui/dates";
import { dollars } from "../lists/format";
import { type ListView, momentCell } from "../lists/view";
import { LIST_READ_PERMISSION } from "../core/permissions";
import { STATUS_LABEL, type UnderpaymentFilters, type UnderpaymentRow, underpaymentWorklist } from "./worklist";

const STATUS_PARAM = { open: "OPEN", appealed: "APPEALED", recovered: "RECOVERED", written_off: "WRITTEN_OFF", all: "all" } as const;

/** The worklist's filters from its parsed address (pageQuery("/underpayments")): the page and its download call this one. */
export function underpaymentFiltersOf(query: {
  status?: keyof typeof STATUS_PARAM;
  payer?: number;
  cpt?: string;
  from?: string;
  to?: string;
  min?: number;
}): UnderpaymentFilters {
  return {
    status: STATUS_PARAM[query.status ?? "open"],
    payerId: query.payer,
    cpt: query.cpt,
    from: query.from,
    to: query.to,
    minCents: query.min,
  };
}

export const UNDERPAYMENTS_VIEW: ListView<UnderpaymentFilters, UnderpaymentRow> = {
  page: "/underpayments",
  permission: LIST_READ_PERMISSION.underpayments,
  fileName: "underpayments-view",
  filters: (q) => underpaymentFiltersOf(q as Parameters<typeof underpaymentFiltersOf>[0]),
  rows: async (ctx, filters) => (await underpaymentWorklist(ctx.practiceId, filters, "all")).rows,
  patientId: (r) => r.patientId,
  columns: [
    { header: "Payer", cell: (r) => r.payer },
    { header: "Claim", cell: (r) => r.claimNumber ?? "" },
    { header: "Patient", cell: (r) => r.patientName },
    { header: "Patient ID", cell: (r) => r.patient },
    { header: "Date", cell: (r) => dateText(r.dateOfService) },
    { header: "Code", cell: (r) => r.cpt },
    { header: "Modifiers", cell: (r) => r.modifiers.join(" ") },
    { header: "Paid as", cell: (r) => r.paidCpt ?? "" },
    { header: "Units", cell: (r) => r.units },
    { header: "Expected", cell: (r) => dollars(r.expectedCents) },
    { header: "Allowed", cell: (r) => dollars(r.allowedCents) },
    { header: "Underpaid", cell: (r) => dollars(r.varianceCents) },
    { header: "Paid", cell: (r) => dollars(r.paidCents) },
    { header: "Adjustments", cell: (r) => r.adjustments },
    { header: "Status", cell: (r) => STATUS_LABEL[r.status] },
    { header: "Status note", cell: (r) => r.statusNote ?? "" },
    { header: "Status changed", cell: (r, ctx) => momentCell(r.statusChangedAt, ctx.practice.timeZone) },
  ],
};
