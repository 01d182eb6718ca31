import { dollarsOf, usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { ChartFigure } from "@/components/chart-figure";
import { formatCount, formatRatio } from "@/components/chart-format";
import { RevenueAgingChart } from "@/components/revenue-aging-chart";
import { RevenueHeadline } from "@/components/revenue-headline";
import { RevenueKpiCard } from "@/components/revenue-kpi-card";
import { RevenuePayerMixChart } from "@/components/revenue-payer-mix-chart";
import { RevenuePrintButton } from "@/components/revenue-print-button";
import { RevenueTherapists } from "@/components/revenue-therapists";
import { RevenueTrendChart } from "@/components/revenue-trend-chart";
import { RevenueUndercodingChart } from "@/components/revenue-undercoding-chart";
import { RevenueUnderpaymentChart } from "@/components/revenue-underpayment-chart";
import { pageQuery } from "@/lib/schemas/search-params";
import { pageContext } from "@/lib/server/core/guard";
import { zoneInWords } from "@/lib/ui/dates";
import { KPI_DEFINITIONS, KPI_KEYS } from "@/lib/server/revenue/definitions";
import { AGING_BUCKETS, moneyLeftOnTable, therapistRevenue } from "@/lib/server/revenue/owner";
import { revenueReview } from "@/lib/server/revenue/review";
import { addWeeks, shortWeekLabel, weekEnd, weekLabel } from "@/lib/server/revenue/weeks";
import "./revenue.css";

export const metadata = { title: "Revenue · Therapy Revenue" };

export default async function RevenuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("revenue.read");
  const query = pageQuery("/revenue", await searchParams);
  const review = await revenueReview(ctx.practiceId, ctx.practice.timeZone, query.week);
  const { week } = review;
  // after the review: it has brought the weekly rollup up to date
  const [left, therapists] = await Promise.all([
    moneyLeftOnTable(ctx.practiceId, ctx.practice.timeZone),
    therapistRevenue(ctx.practiceId, addWeeks(week, -12), week),
  ]);
  const lines = (metric: string, extra = "") => `/revenue/lines?metric=${metric}&week=${week}${extra}`;

  const trend = review.trend.map((p) => ({
    week: p.week,
    label: shortWeekLabel(p.week),
    expected: dollarsOf(p.expectedCents),
    paid: p.awaitingRemits ? null : dollarsOf(p.paidCents),
    awaitingRemits: p.awaitingRemits,
  }));
  const last13 = review.trend.slice(-13);
  const weekExpected = review.payers.reduce((s, p) => s + p.expectedCents, 0);
  const payerMix = review.payers
    .filter((p) => p.visits > 0)
    .sort((a, b) => b.expectedCents - a.expectedCents || a.payer.localeCompare(b.payer))
    .map((p) => ({
      payerId: p.payerId,
      payer: p.payer,
      visits: p.visits,
      expected: dollarsOf(p.expectedCents),
      paid: review.awaitingRemits ? null : dollarsOf(p.paidCents),
      share: weekExpected ? p.expectedCents / weekExpected : 0,
    }));
  const aging = left.aging.map((r) => ({
    payerId: r.payerId,
    payer: r.payer,
    d0_30: dollarsOf(r.buckets[0]),
    d31_60: dollarsOf(r.buckets[1]),
    d61_90: dollarsOf(r.buckets[2]),
    d90plus: dollarsOf(r.buckets[3]),
  }));
  const awaiting = <span className="text-slate-600">awaiting remits</span>;
  const underpaid = review.payers
    .filter((p) => p.underpaymentCents13 > 0)
    .sort((a, b) => b.underpaymentCents13 - a.underpaymentCents13)
    .map((p) => ({ payerId: p.payerId, payer: p.payer, underpayment: dollarsOf(p.underpaymentCents13), lines: p.underpaidLines13 }));
  const undercoding = last13.map((p) => ({
    week: p.week,
    label: shortWeekLabel(p.week),
    gain: dollarsOf(p.undercodingGainCents),
    lines: p.undercodingLines,
  }));

  return (
    <div className="revenue-review space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Weekly revenue review</h1>
          <p className="text-slate-700">
            {ctx.practice.name} · week of <strong>{weekLabel(week)}</strong>
          </p>
        </div>
        <div className="no-print ml-auto flex flex-wrap items-end gap-2">
          <Link className="btn-secondary" href={`/revenue?week=${review.previousWeek}`} rel="prev">
            ← Previous week
          </Link>
          {review.nextWeek ? (
            <Link className="btn-secondary" href={`/revenue?week=${review.nextWeek}`} rel="next">
              Next week →
            </Link>
          ) : (
            <span className="btn-secondary text-slate-600">This is the current week</span>
          )}
          <form method="get" className="flex items-end gap-2" aria-label="Choose a week">
            <div>
              <label className="label" htmlFor="week-picker">
                Week of
              </label>
              <input id="week-picker" name="week" type="date" className="input" defaultValue={week} max={weekEnd(review.currentWeek)} />
            </div>
            <button type="submit" className="btn-secondary">
              Show
            </button>
          </form>
          <a className="btn-secondary" href={`/revenue/csv?week=${week}`} download>
            Download CSV
          </a>
          <RevenuePrintButton />
        </div>
      </div>
      <p className="text-sm text-slate-600">
        Service week Monday to Sunday ({zoneInWords(ctx.practice.timeZone)}). Money follows the week&apos;s services whenever their remits
        arrive; open receivables and days in receivables are balances at the week&apos;s end. Each figure links to the lines behind it;
        definitions are at the end of the page.
      </p>
      {review.awaitingRemits ? (
        <p className="card border-amber-300 bg-amber-50 text-sm" role="status">
          No remit has arrived yet for the services of this week: paid, patient responsibility, the denial and net collection rates and
          underpayment are awaiting remits, not zero.
          {review.latestWeekWithRemits ? (
            <>
              {" "}
              The latest week with remits is{" "}
              <Link href={`/revenue?week=${review.latestWeekWithRemits}`}>the week of {weekLabel(review.latestWeekWithRemits)}</Link>.
            </>
          ) : null}
        </p>
      ) : null}
      {review.newerPendingWeeks.length > 0 ? (
        <p className="text-sm text-slate-700" data-testid="pending-weeks">
          Newer weeks awaiting remits:{" "}
          {review.newerPendingWeeks.map((w, i) => (
            <span key={w}>
              {i > 0 ? ", " : null}
              <Link href={`/revenue?week=${w}`}>{shortWeekLabel(w)}</Link>
            </span>
          ))}
          .
        </p>
      ) : null}

      <RevenueHeadline left={left} />

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading" className="sr-only">
          Figures of the week
        </h2>
        <div className="revenue-cards grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-4">
          {review.kpis.map((k) => (
            <RevenueKpiCard key={k.key} kpi={k} href={lines(k.key)} />
          ))}
        </div>
      </section>

      <div className="revenue-charts grid grid-cols-1 gap-4 lg:grid-cols-2">
        <ChartFigure
          caption="Expected allowed vs paid, 13 weeks"
          chart={<RevenueTrendChart data={trend.slice(-13)} variant="bars" />}
          columns={["Week of", "Expected allowed", "Paid"]}
        >
          {last13.map((p) => (
            <tr key={p.week}>
              <td>{shortWeekLabel(p.week)}</td>
              <td>
                <Link href={`/revenue/lines?metric=expected&week=${p.week}`}>{usd(p.expectedCents)}</Link>
              </td>
              <td>{p.awaitingRemits ? awaiting : <Link href={`/revenue/lines?metric=paid&week=${p.week}`}>{usd(p.paidCents)}</Link>}</td>
            </tr>
          ))}
        </ChartFigure>

        <figure className="card revenue-chart space-y-2">
          <figcaption className="font-semibold">Expected allowed vs paid, 52 weeks</figcaption>
          <RevenueTrendChart data={trend} variant="lines" />
          <p className="text-xs text-slate-600">
            52-week totals: expected {usd(review.trend.reduce((s, p) => s + p.expectedCents, 0))}, paid so far{" "}
            {usd(review.trend.reduce((s, p) => s + p.paidCents, 0))}
            {review.trend.some((p) => p.awaitingRemits)
              ? `; ${review.trend.filter((p) => p.awaitingRemits).length} weeks with visits are awaiting remits (shaded)`
              : ""}
            . Select a week to see its paid lines.
          </p>
        </figure>

        <ChartFigure
          caption="Payer mix, this week (dollars expected and paid)"
          chart={<RevenuePayerMixChart data={payerMix} week={week} />}
          columns={["Payer", "Visits", "Expected allowed", "Share", "Paid"]}
        >
          {payerMix.map((payerShare) => {
            const row = review.payers.find((r) => r.payerId === payerShare.payerId)!;
            return (
              <tr key={payerShare.payerId}>
                <td>{payerShare.payer}</td>
                <td>
                  <Link href={lines("visits", `&payer=${payerShare.payerId}`)}>{formatCount(payerShare.visits)}</Link>
                </td>
                <td>
                  <Link href={lines("expected", `&payer=${payerShare.payerId}`)}>{usd(row.expectedCents)}</Link>
                </td>
                <td>{formatRatio(payerShare.share)}</td>
                <td>
                  {review.awaitingRemits ? (
                    awaiting
                  ) : (
                    <Link href={lines("paid", `&payer=${payerShare.payerId}`)}>{usd(row.paidCents)}</Link>
                  )}
                </td>
              </tr>
            );
          })}
        </ChartFigure>

        <ChartFigure
          caption={`Open receivables by age and payer, today (${usd(left.agingTotals.reduce((a, b) => a + b, 0))})`}
          chart={<RevenueAgingChart data={aging} />}
          columns={["Payer", ...AGING_BUCKETS, "Total"]}
        >
          {left.aging.map((r) => (
            <tr key={r.payerId}>
              <td>{r.payer}</td>
              {r.buckets.map((c, i) => (
                <td key={AGING_BUCKETS[i]}>
                  {i === 3 && c > 0 ? <Link href={`/revenue/lines?metric=open_ar&age=90&payer=${r.payerId}`}>{usd(c)}</Link> : usd(c)}
                </td>
              ))}
              <td>{usd(r.totalCents)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">All payers</th>
            {left.agingTotals.map((c, i) => (
              <td key={AGING_BUCKETS[i]}>{usd(c)}</td>
            ))}
            <td>{usd(left.agingTotals.reduce((a, b) => a + b, 0))}</td>
          </tr>
        </ChartFigure>

        <RevenueTherapists
          rows={therapists.map((t) => ({
            therapistId: t.therapistId,
            name: t.name,
            visits: t.visits,
            expectedCents: t.expectedCents,
            paidCents: t.paidCents,
            units97530: t.units97530,
            units97110: t.units97110,
            share97530: t.share97530,
          }))}
          week={week}
        />

        <ChartFigure
          caption="Undercoding loss by week, 13 weeks (97110 that could be 97530)"
          chart={<RevenueUndercodingChart data={undercoding} />}
          columns={["Week of", "Candidates", "Potential gain"]}
        >
          {last13.map((p) => (
            <tr key={p.week}>
              <td>{shortWeekLabel(p.week)}</td>
              <td>{formatCount(p.undercodingLines)}</td>
              <td>
                <Link href={`/revenue/lines?metric=undercoding&week=${p.week}`}>{usd(p.undercodingGainCents)}</Link>
              </td>
            </tr>
          ))}
        </ChartFigure>

        <ChartFigure
          caption="Underpayment by payer, 13 weeks"
          chart={<RevenueUnderpaymentChart data={underpaid} week={week} />}
          columns={["Payer", "Lines", "Underpayment"]}
        >
          {underpaid.map((p) => (
            <tr key={p.payerId}>
              <td>{p.payer}</td>
              <td>{formatCount(p.lines)}</td>
              <td>
                <Link href={lines("underpayment", `&weeks=13&payer=${p.payerId}`)}>{usd(Math.round(p.underpayment * 100))}</Link>
              </td>
            </tr>
          ))}
        </ChartFigure>
      </div>

      <section aria-labelledby="definitions-heading" className="revenue-definitions text-sm">
        <h2 id="definitions-heading" className="mb-2 text-lg font-semibold">
          Definitions
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 md:grid-cols-2">
          {KPI_KEYS.map((key) => (
            <div key={key}>
              <dt className="inline font-medium">{KPI_DEFINITIONS[key].label}: </dt>
              <dd className="inline text-slate-700">{KPI_DEFINITIONS[key].formula}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
