// The KX alert queue, the biller's landing page: Medicare patients at or past the practice's
// alert level in a year, in the order a biller works (docs/kx-queue.md), active patients before
// those whose episode looks finished, each row with its actions; then the first lines denied
// CO-119 / CARC 4 to rebill, with the whole list of them a page at a time under `?view=rebill`
// (two lists of 50 rows on one page would pass 150 KB of HTML). Filters and sort live in the URL
// so a view can be shared, and "Download CSV" gives the queue's rows under the same filters.
import { FilterBar, FilterSelect } from "@/components/filter-bar";
import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { LEVEL_LABELS, POOL_LABELS } from "@/components/kx-format";
import { KxQueueTable, type KxQueueTableRow } from "@/components/kx-queue-table";
import { KxRebillList, type RebillRow } from "@/components/kx-rebill-list";
import { pageQuery } from "@/lib/schemas/search-params";
import { LIST_PAGE_SIZE } from "@/lib/ui/paging";
import { KX_LEVEL_VALUES, KX_POOL_VALUES, type KxQueueFilters, type KxSort } from "@/lib/schemas/kx";
import { auditRead } from "@/lib/server/core/audit";
import { viewExportHref } from "@/lib/server/lists/view";
import { pageContext } from "@/lib/server/core/guard";
import { UNDOABLE_ACTIONS } from "@/lib/server/kx/actions";
import { can, LIST_READ_PERMISSION } from "@/lib/server/core/permissions";
import { ACTIVE_WITHIN_DAYS, type KxQueueRow } from "@/lib/server/kx/queue";
import { kxQueueFiltersOf, kxQueueScreen } from "@/lib/server/kx/queue-view";
import { Pager } from "@/components/pager";
import { todayIn } from "@/lib/server/core/dates";
import { momentText } from "@/lib/ui/dates";
import { visitsLeftText } from "@/lib/ui/kx-queue-words";
import { markRebilled, undoLastAction } from "./actions";
import { KX_ITEM_ACTIONS } from "./item-actions";

export const metadata = { title: "KX queue · Therapy Revenue" };

const COUNT = new Intl.NumberFormat("en-US");

type KxView = "queue" | "rebill";

function queryString(
  filters: KxQueueFilters & { view?: KxView },
  change: Partial<Record<keyof KxQueueFilters | "view" | "rebillPage", string | number | undefined>>,
): string {
  const merged: Record<string, string | number | undefined> = { ...filters, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === "") continue;
    if (key === "status" && value === "open") continue;
    if (key === "sort" && value === "work") continue;
    if ((key === "page" || key === "rebillPage") && value === 1) continue;
    if (key === "view" && value === "queue") continue;
    params.set(key, String(value));
  }
  const queryString = params.toString();
  return queryString ? `?${queryString}` : "";
}

export default async function KxQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext(LIST_READ_PERMISSION["kx-queue"]);
  const sp = await searchParams;
  const query = pageQuery("/kx", sp);
  const filters = kxQueueFiltersOf(query);
  const view: KxView = query.view ?? "queue";
  const rebillPageNumber = view === "rebill" ? (query.rebillPage ?? 1) : 1;
  const today = todayIn(ctx.practice.timeZone);
  const { data, options, rebillPage, lastActions } = await kxQueueScreen(
    { practiceId: ctx.practiceId, userId: ctx.userId, alertLevelCents: ctx.practice.alertLevelCents },
    filters,
    today,
    view === "rebill" ? { name: "rebill", page: rebillPageNumber } : { name: "queue" },
  );
  const year = data.year;
  const rebill = rebillPage?.rows ?? [];
  // the list names patients: reading it is part of the audit trail
  await auditRead(ctx, {
    action: "kx.view_queue",
    entityType: "KxQueue",
    details: {
      view,
      year: data.year,
      status: filters.status,
      sort: filters.sort,
      page: filters.page,
      rows: data.rows.length,
      rebillPage: rebillPageNumber,
      rebill: rebill.length,
    },
    patientIds: [...data.rows.map((r) => r.patientId), ...rebill.map((r) => r.patientId)],
  });
  const canWork = can(ctx.role, "kx.work");
  const base = { ...filters, year: year ?? undefined };
  const { view: _view, rebillPage: _rebillPage, ...queueParams } = sp;
  const exportHref = viewExportHref("/kx/csv", { ...queueParams, ...(year ? { year: String(year) } : {}) });
  const sortLink = (key: "patient" | "total" | "missing" | "last_visit") => {
    // the first click sorts names A to Z, the figures from the highest (last visit: latest first)
    const first: KxSort = key === "patient" ? "patient" : (`-${key}` as KxSort);
    const second: KxSort = key === "patient" ? "-patient" : (key as KxSort);
    const active = filters.sort === key ? "asc" : filters.sort === `-${key}` ? "desc" : null;
    const next = filters.sort === first ? second : first;
    return { href: `/kx${queryString(base, { sort: next, page: undefined })}`, active } as const;
  };
  const sortLinks = {
    patient: sortLink("patient"),
    total: sortLink("total"),
    missing: sortLink("missing"),
    last_visit: sortLink("last_visit"),
  };
  const toTableRow = (row: KxQueueRow): KxQueueTableRow => {
    const last = lastActions.get(row.itemId);
    return {
      itemId: row.itemId,
      version: row.version,
      patientId: row.patientId,
      patientName: row.patientName,
      patientExternalId: row.patientExternalId,
      pool: row.pool,
      work: row.work,
      totalCents: row.totalCents,
      estimated: row.estimated,
      visitsLeftKx: visitsLeftText(row.visitsLeft.kx, row.kxCrossedOn, row.lastVisitOn, today),
      visitsLeftReview: visitsLeftText(row.visitsLeft.review, row.reviewCrossedOn, row.lastVisitOn, today, !row.visitsLeft.kx),
      linesMissingKx: row.linesMissingKx,
      linesToRebill: row.linesToRebill,
      lastVisitOn: row.lastVisitOn,
      assigneeName: row.assigneeName,
      status: row.status,
      level: row.level,
      assigneeId: row.assigneeId,
      snoozedUntil: row.snoozedUntil,
      docReviewedAt: row.docReviewedAt,
      lastAction: last && (UNDOABLE_ACTIONS as readonly string[]).includes(last) ? last : null,
    };
  };
  const active = data.rows.filter((r) => !r.finished).map(toTableRow);
  const finished = data.rows.filter((r) => r.finished).map(toTableRow);
  const activeTotal = data.total - data.finishedTotal;
  const actions = KX_ITEM_ACTIONS;
  const tableProps = {
    levels: data.levels,
    sortLinks,
    canWork,
    billers: canWork ? options.billers : [],
    currentUserId: ctx.userId,
    today,
    actions,
    year: year ?? 0,
  };
  const rebillRows: RebillRow[] = rebill.map((l) => ({
    lineId: l.lineId,
    itemId: l.itemId,
    itemVersion: l.itemVersion,
    patientId: l.patientId,
    patientName: l.patientName,
    patientExternalId: l.patientExternalId,
    pool: l.pool,
    dateOfService: l.dateOfService,
    code: [l.cpt, ...l.modifiers].join(" "),
    work: l.work,
    expectedAllowedCents: l.expectedAllowedCents,
    sentText: l.rebilledAt
      ? `Corrected claim sent ${momentText(l.rebilledAt, ctx.practice.timeZone)}${l.rebilledBy ? ` by ${l.rebilledBy}` : ""}: waiting for the remit`
      : null,
  }));
  const toRebill = rebillPage?.toRebill ?? 0;
  const rebillTotal = rebillPage?.total ?? 0;
  const rebillHeading = (
    <>
      <h2 id="rebill-heading" className="text-lg font-semibold">
        Rebill with KX: {COUNT.format(toRebill)} {toRebill === 1 ? "line" : "lines"} to send again
      </h2>
      <p className="text-sm text-slate-600">
        Lines Medicare denied in {year} for a missing KX or a missing or wrong therapy modifier. They still count in the total at their
        expected amount. Send a corrected claim, then mark it here: KX goes on the line if it needs it, and the next remit for the line
        settles it.
      </p>
    </>
  );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">
            {view === "rebill" ? `KX queue ${year ?? ""}: lines to rebill` : `KX queue ${year ?? ""}`}
          </h1>
          {view === "queue" ? (
            <p className="text-sm text-slate-600">
              Medicare patients at or past the alert level ({usd(ctx.practice.alertLevelCents)}), per pool, in the order to work them: lines
              missing KX, denied lines to rebill, KX from the next visit, review past $3,000, approaching KX.
            </p>
          ) : null}
        </div>
        {view === "queue" ? (
          <a className="btn-secondary" href={exportHref} download>
            Download CSV
          </a>
        ) : null}
      </div>

      <FilterBar
        action="/kx"
        clearHref={view === "rebill" ? "/kx?view=rebill" : "/kx"}
        keep={
          view === "rebill"
            ? // the queue's own filters ride along, so "Back to the KX queue" finds them as they were
              {
                view,
                sort: filters.sort !== "work" ? filters.sort : undefined,
                status: filters.status !== "open" ? filters.status : undefined,
                level: filters.level,
                assignee: filters.assignee,
              }
            : { sort: filters.sort !== "work" ? filters.sort : undefined }
        }
      >
        <FilterSelect
          id="f-year"
          name="year"
          label="Year"
          value={year ?? ""}
          choices={
            data.years.length === 0 ? [{ value: "", label: "—" }] : [...data.years].reverse().map((y) => ({ value: y, label: String(y) }))
          }
        />
        {view === "queue" ? (
          <FilterSelect
            id="f-status"
            name="status"
            label="Status"
            value={filters.status}
            choices={[
              { value: "open", label: "Open" },
              { value: "snoozed", label: "Snoozed" },
              { value: "resolved", label: "Resolved" },
            ]}
          />
        ) : null}
        <FilterSelect
          id="f-pool"
          name="pool"
          label="Pool"
          value={filters.pool ?? ""}
          choices={[{ value: "", label: "Both" }, ...KX_POOL_VALUES.map((p) => ({ value: p, label: POOL_LABELS[p] ?? p }))]}
        />
        {view === "queue" ? (
          <FilterSelect
            id="f-level"
            name="level"
            label="Level"
            value={filters.level ?? ""}
            choices={[{ value: "", label: "Any" }, ...KX_LEVEL_VALUES.map((l) => ({ value: l, label: LEVEL_LABELS[l] ?? l }))]}
          />
        ) : null}
        <FilterSelect
          id="f-clinic"
          name="clinic"
          label="Clinic"
          value={filters.clinic ?? ""}
          choices={[{ value: "", label: "All" }, ...options.clinics.map((c) => ({ value: c.id, label: c.name }))]}
        />
        <FilterSelect
          id="f-therapist"
          name="therapist"
          label="Therapist"
          value={filters.therapist ?? ""}
          choices={[{ value: "", label: "All" }, ...options.therapists.map((t) => ({ value: t.id, label: `${t.name} (${t.credential})` }))]}
        />
        {view === "queue" ? (
          <FilterSelect
            id="f-assignee"
            name="assignee"
            label="Assignee"
            value={filters.assignee === undefined ? "" : String(filters.assignee)}
            choices={[
              { value: "", label: "Anyone" },
              { value: "me", label: "Me" },
              { value: "unassigned", label: "Unassigned" },
              ...options.billers.filter((b) => b.userId !== ctx.userId).map((b) => ({ value: b.userId, label: b.name })),
            ]}
          />
        ) : null}
      </FilterBar>

      {view === "queue" ? (
        <>
          <p className="text-sm text-slate-700" role="status">
            {data.total === 0
              ? "No patient matches these filters."
              : `${data.total} ${data.total === 1 ? "patient pool" : "patient pools"}: ${activeTotal} active, ${data.finishedTotal} with an episode that looks finished`}
            {!data.levels && year ? ` No thresholds are loaded for ${year}.` : ""}
            {filters.sort !== "work" ? (
              <>
                {" "}
                <Link href={`/kx${queryString(base, { sort: "work", page: undefined })}`}>Back to the working order</Link>
              </>
            ) : null}
          </p>

          {active.length ? (
            <section aria-labelledby="active-heading" className="space-y-2">
              <h2 id="active-heading" className="text-lg font-semibold">
                Active patients <span className="text-sm font-normal text-slate-600">(a visit in the last {ACTIVE_WITHIN_DAYS} days)</span>
              </h2>
              <KxQueueTable label={`KX queue ${year ?? ""}: active patients`} rows={active} {...tableProps} />
            </section>
          ) : null}

          {finished.length ? (
            <details className="space-y-2" open={active.length === 0}>
              <summary className="cursor-pointer text-lg font-semibold">
                Episode looks finished: {data.finishedTotal} {data.finishedTotal === 1 ? "patient pool" : "patient pools"}{" "}
                <span className="text-sm font-normal text-slate-600">(no visit in the last {ACTIVE_WITHIN_DAYS} days)</span>
              </summary>
              <KxQueueTable label={`KX queue ${year ?? ""}: episode looks finished`} rows={finished} {...tableProps} />
            </details>
          ) : null}

          <Pager
            page={data.page}
            total={data.total}
            noun={["patient pool", "patient pools"]}
            pageSize={data.pageSize}
            href={(n) => `/kx${queryString(base, { page: n })}`}
          />

          {year ? (
            <section aria-labelledby="rebill-heading" className="space-y-2">
              {rebillHeading}
              {rebillRows.length ? (
                <KxRebillList year={year} rows={rebillRows} canWork={canWork} actions={{ markRebilled, undo: undoLastAction }} />
              ) : (
                <p className="text-sm text-slate-700">No denied line waits to be billed again.</p>
              )}
              {rebillTotal > rebillRows.length ? (
                <p className="text-sm">
                  <Link href={`/kx${queryString(base, { view: "rebill", page: undefined })}`}>
                    {`See all ${COUNT.format(rebillTotal)} lines to rebill, ${LIST_PAGE_SIZE} a page`}
                  </Link>
                </p>
              ) : null}
            </section>
          ) : null}
        </>
      ) : (
        <>
          <p className="text-sm text-slate-700" role="status">
            <Link href={`/kx${queryString(base, { page: undefined })}`}>Back to the KX queue</Link>
            {` (${COUNT.format(data.total)} ${data.total === 1 ? "patient pool" : "patient pools"})`}
          </p>
          {year ? (
            <section aria-labelledby="rebill-heading" className="space-y-2">
              {rebillHeading}
              {rebillRows.length ? (
                <KxRebillList year={year} rows={rebillRows} canWork={canWork} actions={{ markRebilled, undo: undoLastAction }} />
              ) : rebillPageNumber === 1 ? (
                <p className="text-sm text-slate-700">No denied line waits to be billed again.</p>
              ) : null}
              <Pager
                label="the lines to rebill"
                page={rebillPageNumber}
                total={rebillTotal}
                noun={["line", "lines"]}
                href={(n) => `/kx${queryString(base, { view: "rebill", page: undefined, rebillPage: n })}`}
              />
            </section>
          ) : (
            <p className="text-sm text-slate-700">No Medicare patient has reached the alert level yet.</p>
          )}
        </>
      )}
    </div>
  );
}
