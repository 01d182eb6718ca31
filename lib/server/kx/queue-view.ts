// The KX queue as a list view: the filters the page reads from its address, the page's query
// for every row, and the columns of its CSV download (lib/server/lists/view.ts).
import { type KxQueueFilters, kxQueueFiltersSchema } from "@/lib/schemas/kx";
import { queueRowStatus, visitsLeftText } from "@/lib/ui/kx-queue-words";
import { dollars } from "../lists/format";
import type { ListView } from "../lists/view";
import { momentCell } from "../lists/view";
import { db } from "../core/db";
import { LIST_READ_PERMISSION } from "../core/permissions";
import { type KxQueueRow, kxAssignees, kxQueueFilterOptions, kxQueuePage, kxQueueViewRows, kxQueueYears, lastKxActions } from "./queue";
import { kxRebillPage, REBILL_PREVIEW_LINES } from "./rebill";
import { LIST_PAGE_SIZE } from "@/lib/ui/paging";
import { todayIn } from "../core/dates";

const POOL_WORDS: Record<string, string> = { PT_SLP: "PT + SLP", OT: "OT" };

/** The queue's filters from its parsed address: the page and its download call this one. */
export function kxQueueFiltersOf(query: Record<string, unknown>): KxQueueFilters {
  return kxQueueFiltersSchema.parse(query);
}

type ViewRow = KxQueueRow & { today: string };

export const KX_QUEUE_VIEW: ListView<KxQueueFilters, ViewRow> = {
  page: "/kx",
  permission: LIST_READ_PERMISSION["kx-queue"],
  fileName: "kx-queue-view",
  filters: (query) => kxQueueFiltersOf(query),
  rows: async (ctx, filters) => {
    const today = todayIn(ctx.practice.timeZone);
    const data = await kxQueueViewRows(
      db(),
      { practiceId: ctx.practiceId, userId: ctx.userId, alertLevelCents: ctx.practice.alertLevelCents },
      filters,
      today,
    );
    return data.rows.map((r) => ({ ...r, today }));
  },
  patientId: (r) => r.patientId,
  columns: [
    { header: "Section", cell: (r) => (r.finished ? "Episode looks finished" : "Active") },
    { header: "Patient", cell: (r) => r.patientName },
    { header: "Patient ID", cell: (r) => r.patientExternalId },
    { header: "Year", cell: (r) => r.year },
    { header: "Pool", cell: (r) => POOL_WORDS[r.pool] ?? r.pool },
    { header: "Status", cell: (r) => queueRowStatus(r, r.today).label },
    { header: "Total", cell: (r) => dollars(r.totalCents) },
    { header: "Total is", cell: (r) => (r.estimated ? "estimated" : "confirmed") },
    { header: "Used elsewhere", cell: (r) => dollars(r.usedElsewhereCents) },
    { header: "Visits left before KX", cell: (r) => visitsLeftText(r.visitsLeft.kx, r.kxCrossedOn, r.lastVisitOn, r.today) },
    {
      header: "Before review",
      cell: (r) => visitsLeftText(r.visitsLeft.review, r.reviewCrossedOn, r.lastVisitOn, r.today, !r.visitsLeft.kx),
    },
    { header: "Lines missing KX", cell: (r) => r.linesMissingKx },
    { header: "Denied, to rebill", cell: (r) => r.linesToRebill },
    { header: "Last visit", cell: (r) => r.lastVisitOn ?? "" },
    { header: "Assignee", cell: (r) => r.assigneeName ?? "" },
    { header: "Documentation reviewed", cell: (r, ctx) => momentCell(r.docReviewedAt, ctx.practice.timeZone) },
  ],
};

/**
 * What the queue page shows. The queue (`view` "queue"): one page of it, each row's last action,
 * and the first REBILL_PREVIEW_LINES lines of the year to rebill under the same filters with the
 * list's counts. The lines to rebill (`view` "rebill"): one page of them, and the queue's counts
 * without its rows. The choices of the filters either way.
 */
export async function kxQueueScreen(
  actor: { practiceId: number; userId: number; alertLevelCents: number },
  filters: KxQueueFilters,
  today: string,
  view: { name: "queue" } | { name: "rebill"; page: number },
) {
  // the queue, the filters' choices and the lines to rebill read side by side, each in its own
  // transaction, once the year is known: at a million visits the lines to rebill of a year are
  // the longest read (about 60 ms)
  const years = await kxQueueYears(db(), actor.practiceId);
  const year = filters.year ?? years[years.length - 1] ?? null;
  const [data, options, rebillPage] = await Promise.all([
    kxQueuePage(db(), actor, filters, today, { counts: view.name === "rebill", years }),
    kxQueueFilterOptions(db(), actor.practiceId),
    year
      ? kxRebillPage(
          db(),
          actor.practiceId,
          { year, pool: filters.pool, clinic: filters.clinic, therapist: filters.therapist },
          view.name === "rebill" ? view.page : 1,
          view.name === "rebill" ? LIST_PAGE_SIZE : REBILL_PREVIEW_LINES,
        )
      : null,
  ]);
  const lastActions = await lastKxActions(
    db(),
    actor.practiceId,
    data.rows.map((r) => r.itemId),
  );
  return { data, options, rebillPage, lastActions };
}

/** The practice's members who can work the queue (the assignee choices). */
export function queueAssignees(practiceId: number) {
  return kxAssignees(db(), practiceId);
}
