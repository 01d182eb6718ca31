import { FilterBar } from "@/components/filter-bar";
import { usd } from "@/lib/ui/money";
import { DataTable } from "@/components/data-table";
import { Pager } from "@/components/pager";
import { LIST_PAGE_SIZE } from "@/lib/ui/paging";
import Link from "@/components/link";
import { auditRead } from "@/lib/server/core/audit";
import { modifiersText } from "@/components/remit-format";
import { WeeklyStackedBarChart } from "@/components/weekly-stacked-bar-chart";
import { UnderpaymentRows } from "@/components/underpayment-rows";
import { MAX_RANGE_DAYS, pageQuery } from "@/lib/schemas/search-params";
import { payersOf } from "@/lib/server/contracts";
import { pageContext } from "@/lib/server/core/guard";
import { can, LIST_READ_PERMISSION } from "@/lib/server/core/permissions";
import { viewExportHref } from "@/lib/server/lists/view";
import { underpaymentFiltersOf } from "@/lib/server/underpayments/view";
import { refreshRevenueRollup } from "@/lib/server/derived/rollup";
import { recoveredUnderpaymentDollars } from "@/lib/server/underpayments/recovered";
import { defaultWeekRange } from "@/lib/server/underpayments/weeks";
import {
  STATUS_LABEL,
  type UnderpaymentFilters,
  underpaymentsByWeek,
  underpaymentHistory,
  underpaymentTotalsByStatus,
  underpaymentWorklist,
} from "@/lib/server/underpayments/worklist";
import { markUnderpayment } from "./actions";
import { dateText } from "@/lib/ui/dates";

export const metadata = { title: "Underpayments · Therapy Revenue" };

const STATUS_OPTIONS = [
  ["open", "Open"],
  ["appealed", "Appealed"],
  ["recovered", "Recovered"],
  ["written_off", "Written off"],
  ["all", "All"],
] as const;

export default async function UnderpaymentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext(LIST_READ_PERMISSION.underpayments);
  const sp = await searchParams;
  const parsedQuery = pageQuery("/underpayments", sp);
  const filters: UnderpaymentFilters = underpaymentFiltersOf(parsedQuery);
  const page = parsedQuery.page ?? 1;
  // the form shows the values as they were typed
  const typed = (param: string) => {
    const value = sp[param];
    return (Array.isArray(value) ? value[0] : value) ?? "";
  };
  const raw = {
    payer: typed("payer"),
    cpt: typed("cpt"),
    from: typed("from"),
    to: typed("to"),
    min: typed("min"),
    status: parsedQuery.status ?? "open",
  };
  const mayWork = can(ctx.role, "underpayments.work");
  // the worklist's totals and chart come from the rollup's daily sums: brought up to date first
  await refreshRevenueRollup(ctx.practiceId);
  const payers = await payersOf(ctx.practiceId);
  const { rows, totals } = await underpaymentWorklist(ctx.practiceId, filters, page);
  await auditRead(ctx, {
    action: "underpayments.view",
    entityType: "RemitLine",
    details: { ...raw, page, total: totals.lines },
    patientIds: rows.map((r) => r.patientId),
  });
  const byStatus = await underpaymentTotalsByStatus(ctx.practiceId, filters);
  const history = await underpaymentHistory(
    ctx.practiceId,
    rows.map((r) => r.id),
  );
  const recovered = await recoveredUnderpaymentDollars(ctx.practiceId, { timeZone: ctx.practice.timeZone });
  const range =
    filters.from || filters.to
      ? { from: filters.from ?? defaultWeekRange(ctx.practice.timeZone).from, to: filters.to ?? defaultWeekRange(ctx.practice.timeZone).to }
      : defaultWeekRange(ctx.practice.timeZone);
  const chart = await underpaymentsByWeek(ctx.practiceId, { ...filters, ...range, status: "all" });
  const letterPayers = [
    ...new Map(rows.filter((r) => r.status === "OPEN" || r.status === "APPEALED").map((r) => [r.payerId, r.payer])).entries(),
  ];
  const pageHref = (pageNumber: number) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(raw)) if (value && !(key === "status" && value === "open")) query.set(key, value);
    if (pageNumber > 1) query.set("page", String(pageNumber));
    const text = query.toString();
    return text ? `/underpayments?${text}` : "/underpayments";
  };
  const exportHref = viewExportHref("/underpayments/csv", sp);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">Underpayments</h1>
        <span className="text-sm text-slate-600">
          Each matched remit line's allowed amount against the contract in force on its date of service (allowed to allowed).
        </span>
        <a className="btn-secondary ml-auto" href={exportHref} download>
          Download CSV
        </a>
      </div>

      <FilterBar
        action="/underpayments"
        clearHref="/underpayments"
        footnote={`A period can be at most two years (${MAX_RANGE_DAYS} days).`}
      >
        <div>
          <label className="label" htmlFor="f-payer">
            Payer
          </label>
          <select id="f-payer" name="payer" className="input" defaultValue={raw.payer ?? ""}>
            <option value="">All payers</option>
            {payers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-cpt">
            Code
          </label>
          <input id="f-cpt" name="cpt" className="input w-24" defaultValue={raw.cpt ?? ""} placeholder="97110" />
        </div>
        <div>
          <label className="label" htmlFor="f-from">
            From
          </label>
          <input id="f-from" name="from" type="date" className="input" defaultValue={raw.from ?? ""} />
        </div>
        <div>
          <label className="label" htmlFor="f-to">
            To
          </label>
          <input id="f-to" name="to" type="date" className="input" defaultValue={raw.to ?? ""} />
        </div>
        <div>
          <label className="label" htmlFor="f-min">
            Minimum ($)
          </label>
          <input id="f-min" name="min" inputMode="decimal" className="input w-24" defaultValue={raw.min ?? ""} />
        </div>
        <div>
          <label className="label" htmlFor="f-status">
            Status
          </label>
          <select id="f-status" name="status" className="input" defaultValue={raw.status}>
            {STATUS_OPTIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </FilterBar>

      <section className="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading" className="mb-1 text-lg font-semibold">
          Underpaid dollars by payer, by week of service
        </h2>
        <p className="mb-2 text-xs text-slate-600">
          {dateText(range.from)} to {dateText(range.to)} (weeks start on Monday).
        </p>
        <WeeklyStackedBarChart
          data={chart.data}
          series={chart.series}
          label="Underpaid dollars by payer and week"
          emptyText="No underpaid line in this period."
          money
        />
      </section>

      <section className="card space-y-2" aria-labelledby="list-heading">
        <div className="flex flex-wrap items-baseline gap-4">
          <h2 id="list-heading" className="text-lg font-semibold">
            Worklist: {totals.lines} line(s), {usd(totals.cents)}
          </h2>
          <span className="text-sm text-slate-600">
            {byStatus.map((s) => `${STATUS_LABEL[s.status]} ${s.lines} (${usd(s.cents)})`).join(" · ")}
          </span>
          <span className="text-sm font-medium" data-testid="recovered-ytd">
            Recovered in {recovered.year}: {usd(recovered.yearToDateCents)} on {recovered.yearToDateLines} line(s)
          </span>
          <span className="text-sm text-slate-600">Largest first, {LIST_PAGE_SIZE} a page.</span>
        </div>
        {letterPayers.length ? (
          <p className="text-sm">
            Appeal letters:{" "}
            {letterPayers.map(([id, name], i) => (
              <span key={id}>
                {i ? " · " : ""}
                <Link href={`/underpayments/letter/${id}`}>{name}</Link>
              </span>
            ))}
          </p>
        ) : null}
        <DataTable
          label="Underpaid lines"
          rowCount={rows.length}
          empty={page > 1 ? "No line on this page." : "No underpaid line matches these filters."}
          columns={[
            { header: "Payer" },
            { header: "Claim" },
            { header: "Patient" },
            { header: "Date" },
            { header: "Code" },
            { header: "Units", numeric: true },
            { header: "Expected", numeric: true },
            { header: "Allowed", numeric: true },
            { header: "Underpaid", numeric: true },
            { header: "Paid", numeric: true },
            { header: "Adjustments" },
            { header: "Status" },
          ]}
        >
          <UnderpaymentRows
            rows={rows.map((r) => ({
              id: r.id,
              payer: r.payer,
              claim: r.claimNumber,
              paymentId: r.paymentId,
              patientName: r.patientName,
              patient: r.patient,
              date: dateText(r.dateOfService),
              code: `${r.cpt} ${modifiersText(r.modifiers)}`.trim(),
              paidAs: r.paidCpt,
              units: r.units,
              expected: usd(r.expectedCents),
              allowed: usd(r.allowedCents),
              underpaid: usd(r.varianceCents),
              paid: usd(r.paidCents),
              adjustments: r.adjustments,
              status: r.status,
              note: r.statusNote,
              history: history.get(r.id) ?? [],
            }))}
            timeZone={ctx.practice.timeZone}
            userName={ctx.userName}
            mayWork={mayWork}
            action={markUnderpayment}
          />
        </DataTable>

        <Pager page={page} total={totals.lines} noun={["line", "lines"]} href={pageHref} />
      </section>
    </div>
  );
}
