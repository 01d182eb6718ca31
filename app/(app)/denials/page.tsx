import { FilterBar } from "@/components/filter-bar";
import { usd } from "@/lib/ui/money";
import { Fragment } from "react";
import { CodesOnPage } from "@/components/code-meanings";
import Link from "@/components/link";
import { auditRead } from "@/lib/server/core/audit";
import { WeeklyStackedBarChart } from "@/components/weekly-stacked-bar-chart";
import { modifiersText } from "@/components/remit-format";
import { MAX_RANGE_DAYS, pageQuery } from "@/lib/schemas/search-params";
import { DENIAL_CAUSE_INFO, DENIAL_CAUSES } from "@/lib/billing/denialCauses";
import { denialLines, denialSummary } from "@/lib/server/denials/query";
import { DataTable } from "@/components/data-table";
import { DeniedLineRows } from "@/components/denied-line-rows";
import { DenialWeekPayerRows, DenialWeekRows } from "@/components/denial-figure-rows";
import { Pager } from "@/components/pager";
import { denialFiltersOf } from "@/lib/server/denials/view";
import { pageContext } from "@/lib/server/core/guard";
import { zoneInWords } from "@/lib/ui/dates";
import { defaultWeekRange } from "@/lib/server/underpayments/weeks";
import { dateText } from "@/lib/ui/dates";
import { slicePage } from "@/lib/ui/paging";

export const metadata = { title: "Denials · Therapy Revenue" };

export default async function DenialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("remits.read");
  const query = pageQuery("/denials", await searchParams);
  const range = defaultWeekRange(ctx.practice.timeZone);
  const { cause, payer, week } = query;
  const fromParam = query.from;
  const toParam = query.to;
  const from = fromParam ?? range.from;
  const to = toParam ?? range.to;
  const page = query.page ?? 1;
  // the summary and the lines behind a figure are read at once: neither needs the other
  const [summary, drill] = await Promise.all([
    denialSummary(ctx.practiceId, { from, to, payer }),
    // the same filters as the list's download (lib/server/denials/view.ts)
    cause || week ? denialLines(ctx.practiceId, denialFiltersOf(query, ctx.practice.timeZone), page) : null,
  ]);
  // the summary names payers and weeks only; the lines behind a figure name claims and dates
  await auditRead(ctx, {
    action: "denials.view",
    entityType: "RemitLine",
    details: {
      from,
      to,
      payer: payer ?? null,
      cause: cause ?? null,
      week: week ?? null,
      page: drill ? page : null,
      lines: drill?.total ?? null,
    },
    patientIds: drill?.lines.map((l) => l.patientId) ?? [],
  });
  const link = (extra: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries({ from: fromParam, to: toParam, payer, ...extra })) if (value) search.set(key, String(value));
    return `/denials?${search}`;
  };
  // each code's meaning once under the table, not on every line that carries it
  const codesOnPage = [
    ...new Map(
      (drill?.lines ?? [])
        .flatMap((l) => [
          ...l.adjustments.map((a) => [a.code.split("-")[1] ?? a.code, a.text] as const),
          ...l.remarks.map((r) => [r.code, r.text] as const),
        ])
        .filter((e): e is readonly [string, string] => e[1] !== null),
    ),
  ].sort(([a], [b]) => a.localeCompare(b));
  const weeksWithDenials = summary.byWeek.filter((w) => w.lines > 0);
  // a week of each payer that denied anything: 50 a page (two years of ten payers is a thousand)
  const weekPayerPage = query.weekPayerPage ?? 1;
  const weekPayer = slicePage(summary.byWeekPayer, weekPayerPage);
  // a cause opens in place, right under its row (the page keeps its scroll: no jump to the top);
  // a week or payer figure opens at the end of the page, where its link points
  const drillView = drill ? (
    <section className="space-y-2" aria-labelledby="drill-heading" id="drill">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 id="drill-heading" className="text-lg font-semibold">
          {cause ? DENIAL_CAUSE_INFO[cause].label : "All causes"}
          {week ? `, week of ${dateText(week)}` : ""}
          {payer ? `, ${payer}` : ""}: {drill.total} line(s)
        </h2>
        <Link href={cause && !week ? `${link({})}#cause-${cause}` : link({})} scroll={false} className="text-sm">
          Close
        </Link>
        <a className="btn-secondary ml-auto" href={`/denials/csv?${link({ cause, week }).split("?")[1] ?? ""}`} download>
          Download CSV
        </a>
      </div>
      {cause ? (
        <p className="rounded bg-amber-50 p-2 text-sm">
          <strong>The fix:</strong> {DENIAL_CAUSE_INFO[cause].fix}
        </p>
      ) : null}
      <DataTable
        label="Denied lines"
        rowCount={drill.lines.length}
        empty={page > 1 ? "No line on this page." : "No denied line matches these filters."}
        columns={[
          { header: "Date" },
          { header: "Payer" },
          { header: "Claim" },
          { header: "Patient" },
          { header: "Code" },
          { header: "Charge", numeric: true },
          { header: "Paid", numeric: true },
          { header: "Expected", numeric: true },
          { header: "Cause" },
          { header: "CARC / RARC" },
        ]}
      >
        <DeniedLineRows
          rows={drill.lines.map((l) => ({
            id: l.id,
            date: dateText(l.day),
            payer: l.payer,
            claim: l.pcn,
            paymentId: l.paymentId,
            matched: l.matched,
            patient: l.patientName ?? "—",
            code: `${l.cpt} ${modifiersText(l.modifiers)} ×${l.units}`.replace("  ", " "),
            charge: usd(l.charge),
            paid: usd(l.paid),
            expected: usd(l.expected),
            cause: DENIAL_CAUSE_INFO[l.cause].label,
            fix: cause ? null : DENIAL_CAUSE_INFO[l.cause].fix,
            codes: [...l.adjustments.map((a) => `${a.code} ${usd(a.amountCents)}`), ...l.remarks.map((r) => r.code)].join(" · "),
          }))}
        />
      </DataTable>
      <CodesOnPage codes={codesOnPage.map(([code, text]) => ({ code, text }))} className="text-xs" />
      <Pager
        page={page}
        total={drill.total}
        noun={["line", "lines"]}
        href={(n) => `${link({ cause, week, page: n })}#drill`}
        scroll={false}
      />
    </section>
  ) : null;
  const inPlace = Boolean(cause && !week);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Denials by root cause</h1>
      <FilterBar
        action="/denials"
        clearHref={fromParam || toParam || payer ? "/denials" : undefined}
        footnote={`Week of the date of service (Monday start); the default is the last 52 weeks to today (${zoneInWords(ctx.practice.timeZone)}), and a period can be at most two years (${MAX_RANGE_DAYS} days). Dollars are the charges not paid.`}
      >
        <div>
          <label className="label" htmlFor="d-from">
            From
          </label>
          <input id="d-from" name="from" type="date" className="input" defaultValue={from} />
        </div>
        <div>
          <label className="label" htmlFor="d-to">
            To
          </label>
          <input id="d-to" name="to" type="date" className="input" defaultValue={to} />
        </div>
        <div>
          <label className="label" htmlFor="d-payer">
            Payer
          </label>
          <select id="d-payer" name="payer" className="input" defaultValue={payer ?? ""}>
            <option value="">All payers</option>
            {summary.byPayer.map((p) => (
              <option key={p.payer}>{p.payer}</option>
            ))}
            {payer && !summary.byPayer.some((p) => p.payer === payer) ? <option>{payer}</option> : null}
          </select>
        </div>
      </FilterBar>

      <section className="card" aria-labelledby="causes-heading">
        <h2 id="causes-heading" className="mb-2 text-lg font-semibold">
          {summary.total.lines} denied line(s), {usd(summary.total.cents)}
        </h2>
        <table className="data">
          <thead>
            <tr>
              <th>Root cause</th>
              <th>CARC</th>
              <th className="num">Lines</th>
              <th className="num">Dollars</th>
              <th>The fix</th>
            </tr>
          </thead>
          <tbody>
            {DENIAL_CAUSES.map((listedCause) => {
              const causeTotal = summary.byCause.find((b) => b.cause === listedCause);
              const open = inPlace && cause === listedCause;
              return (
                <Fragment key={listedCause}>
                  <tr id={`cause-${listedCause}`} aria-current={open ? "true" : undefined}>
                    <td>
                      {causeTotal ? (
                        <Link
                          href={open ? `${link({})}#cause-${listedCause}` : `${link({ cause: listedCause })}#cause-${listedCause}`}
                          scroll={false}
                          aria-expanded={open}
                        >
                          {open ? "▾ " : "▸ "}
                          {DENIAL_CAUSE_INFO[listedCause].label}
                        </Link>
                      ) : (
                        DENIAL_CAUSE_INFO[listedCause].label
                      )}
                    </td>
                    <td className="whitespace-nowrap">{DENIAL_CAUSE_INFO[listedCause].carc}</td>
                    <td className="num">{causeTotal?.lines ?? 0}</td>
                    <td className="num">{usd(causeTotal?.cents ?? 0)}</td>
                    <td className="text-xs">{DENIAL_CAUSE_INFO[listedCause].fix}</td>
                  </tr>
                  {open ? (
                    <tr>
                      <td colSpan={5} className="bg-slate-50">
                        {drillView}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading" className="mb-2 text-lg font-semibold">
          Denied lines by root cause, by week
        </h2>
        <WeeklyStackedBarChart
          data={summary.chart.data}
          series={summary.chart.series}
          label="Denied lines by root cause and week"
          emptyText="No denied line in this period."
          colors={["#dc2626", "#d97706", "#9333ea", "#0891b2", "#059669", "#1d5fbf", "#db2777", "#64748b"]}
        />
      </section>

      <section className="card grid grid-cols-1 gap-6 md:grid-cols-2" aria-label="By week and payer">
        <div>
          <h2 className="mb-2 text-lg font-semibold">By week</h2>
          {weeksWithDenials.length === 0 ? (
            <p className="text-sm text-slate-600">No denial in this period.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>Week of</th>
                  <th className="num">Lines</th>
                  <th className="num">Dollars</th>
                </tr>
              </thead>
              <tbody>
                <DenialWeekRows rows={weeksWithDenials.map((w) => [w.week, dateText(w.week), w.lines, usd(w.cents)])} base={link({})} />
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h2 className="mb-2 text-lg font-semibold">By payer</h2>
          <table className="data">
            <thead>
              <tr>
                <th>Payer</th>
                <th className="num">Lines</th>
                <th className="num">Dollars</th>
              </tr>
            </thead>
            <tbody>
              {summary.byPayer.map((p) => (
                <tr key={p.payer}>
                  <td>
                    <Link href={`/denials?${new URLSearchParams({ from, to, payer: p.payer })}`}>{p.payer}</Link>
                  </td>
                  <td className="num">{p.lines}</td>
                  <td className="num">{usd(p.cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {summary.byWeekPayer.length ? (
            <details className="mt-2 text-sm" id="week-payer" open={query.weekPayerPage !== undefined}>
              <summary>Week × payer</summary>
              <table className="data">
                <thead>
                  <tr>
                    <th>Week of</th>
                    <th>Payer</th>
                    <th className="num">Lines</th>
                    <th className="num">Dollars</th>
                  </tr>
                </thead>
                <tbody>
                  <DenialWeekPayerRows
                    rows={weekPayer.rows.map((r) => [r.week, dateText(r.week), r.lines, usd(r.cents), r.payer])}
                    from={from}
                    to={to}
                  />
                </tbody>
              </table>
              <Pager
                page={weekPayerPage}
                total={weekPayer.total}
                noun={["week of a payer", "weeks of payers"]}
                href={(n) => `${link({ cause, week, page: query.page, weekPayerPage: n })}#week-payer`}
                label="the week × payer list"
                scroll={false}
              />
            </details>
          ) : null}
        </div>
      </section>

      {drillView && !inPlace ? <div className="card">{drillView}</div> : null}
    </div>
  );
}
