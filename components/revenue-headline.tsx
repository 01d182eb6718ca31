// The top of the owner's review: the money left on the table year to date and over the last
// 13 weeks, each figure a link to the page that lists the same lines with the same filters.
import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { dateText } from "@/lib/ui/dates";
import { formatCount } from "./chart-format";

/** A sum of money and the number of lines behind it. */
export interface AmountView {
  cents: number;
  lines: number;
}

/** One period of the headline: its dates (of service, inclusive) and its four figures. */
export interface LeftOnTablePeriodView {
  key: string;
  label: string;
  from: string;
  to: string;
  /** the 13-week period's last service week and its number of weeks (null: the year to date) */
  lastWeek: string;
  weeks: number | null;
  underpaid: AmountView;
  recovered: AmountView;
  undercoding: AmountView;
  kxDenied: AmountView;
}

/** What the headline draws: the periods, and the open receivables over 90 days today. */
export interface MoneyLeftOnTableView {
  today: string;
  periods: readonly LeftOnTablePeriodView[];
  arOver90: AmountView;
  over90ServedBy: string;
}

const lines = (n: number) => `${formatCount(n)} line${n === 1 ? "" : "s"}`;

/** The drill-down of each figure of a period (docs/loops/owner.md). */
export function headlineLinks(p: LeftOnTablePeriodView) {
  const range = `from=${p.from}&to=${p.to}`;
  return {
    underpaid: `/underpayments?${range}&status=all`,
    recovered: `/underpayments?${range}&status=recovered`,
    // the undercoding page takes service weeks: the 13 weeks are exactly its 13 weeks; the
    // year to date is a period of dates, listed with the same candidates on the revenue lines page
    undercoding: p.weeks ? `/undercoding?week=${p.lastWeek}&weeks=${p.weeks}` : `/revenue/lines?metric=undercoding&${range}`,
    kxDenied: `/denials?cause=missing_kx&${range}`,
  };
}

function Figure({
  id,
  label,
  cents,
  href,
  detail,
  period,
}: {
  id: string;
  label: string;
  cents: number;
  href: string;
  detail: string;
  period: string;
}) {
  return (
    <div className="revenue-left-figure" data-left={id}>
      <dt className="text-sm text-slate-700">{label}</dt>
      <dd>
        <Link
          href={href}
          className="text-xl font-semibold tabular-nums text-slate-900"
          aria-label={`${label}, ${period.toLowerCase()}: ${usd(cents)}. Show the lines`}
        >
          {usd(cents)}
        </Link>
        <span className="block text-xs text-slate-600">{detail}</span>
      </dd>
    </div>
  );
}

export function RevenueHeadline({ left }: { left: MoneyLeftOnTableView }) {
  return (
    <section aria-labelledby="left-heading" className="card space-y-3">
      <div>
        <h2 id="left-heading" className="text-lg font-semibold">
          Money left on the table
        </h2>
        <p className="text-sm text-slate-600">As of {dateText(left.today)}, by date of service. Each figure opens the lines behind it.</p>
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        {left.periods.map((p) => {
          const href = headlineLinks(p);
          const range = `${dateText(p.from)} – ${dateText(p.to)}`;
          return (
            <div key={p.key} data-period={p.key} className="space-y-2">
              <h3 className="font-medium">
                {p.label} <span className="text-sm font-normal text-slate-600">({range})</span>
              </h3>
              <dl className="grid grid-cols-1 gap-2 sm:grid-cols-2 md:grid-cols-1 lg:grid-cols-2">
                <Figure
                  id="underpaid"
                  label="Underpaid"
                  period={p.label}
                  cents={p.underpaid.cents}
                  href={href.underpaid}
                  detail={`${lines(p.underpaid.lines)} paid below the contract`}
                />
                <Figure
                  id="recovered"
                  label="Recovered"
                  period={p.label}
                  cents={p.recovered.cents}
                  href={href.recovered}
                  detail={`${lines(p.recovered.lines)} of the underpaid marked recovered`}
                />
                <Figure
                  id="undercoding"
                  label="Undercoding"
                  period={p.label}
                  cents={p.undercoding.cents}
                  href={href.undercoding}
                  detail={`${lines(p.undercoding.lines)} of 97110 that could be 97530`}
                />
                <Figure
                  id="kx_denied"
                  label="Denied for a missing KX"
                  period={p.label}
                  cents={p.kxDenied.cents}
                  href={href.kxDenied}
                  detail={`${lines(p.kxDenied.lines)}, at the amount expected`}
                />
              </dl>
            </div>
          );
        })}
        <div data-period="today" className="space-y-2">
          <h3 className="font-medium">
            Unpaid after 90 days <span className="text-sm font-normal text-slate-600">(today)</span>
          </h3>
          <dl>
            <Figure
              id="ar_over_90"
              label="Open receivables over 90 days"
              period="Today"
              cents={left.arOver90.cents}
              href="/revenue/lines?metric=open_ar&age=90"
              detail={`${lines(left.arOver90.lines)} served on or before ${dateText(left.over90ServedBy)} and not settled by a remit`}
            />
          </dl>
        </div>
      </div>
    </section>
  );
}
