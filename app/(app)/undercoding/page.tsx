import { FilterBar } from "@/components/filter-bar";
import { dollarsOf, usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { Pager } from "@/components/pager";
import { CARD_PAGE_SIZE } from "@/lib/ui/paging";
import { formatCount, formatRatio } from "@/components/chart-format";
import { RevenueUndercodingChart } from "@/components/revenue-undercoding-chart";
import { UndercodingCandidate } from "@/components/undercoding-candidate";
import { DIRECTION_LABEL } from "@/lib/ui/words";
import { UndercodingTherapists } from "@/components/undercoding-therapists";
import { pageQuery } from "@/lib/schemas/search-params";
import { auditRead } from "@/lib/server/core/audit";
import { pageContext } from "@/lib/server/core/guard";
import { LIST_READ_PERMISSION } from "@/lib/server/core/permissions";
import { can } from "@/lib/server/core/permissions";
import { therapistShares, undercodingByPayer, weeklyFigures } from "@/lib/server/revenue/metrics";
import { analyticsScope } from "@/lib/server/revenue/scope";
import { viewExportHref } from "@/lib/server/lists/view";
import { addWeeks, shortWeekLabel, weekLabel } from "@/lib/server/revenue/weeks";
import {
  candidateLines,
  possibleByWeek,
  possibleLines,
  reviewsAmbiguousNotes,
  undercodingFilterChoices,
} from "@/lib/server/undercoding/queries";
import { undercodingViewOf } from "@/lib/server/undercoding/view";
import { UndercodingOptionForm } from "@/components/undercoding-option-form";
import { reviewCandidateAction, undoReviewAction } from "./actions";

export const metadata = { title: "Undercoding · Therapy Revenue" };

const STATUS_LABEL = { open: "Not reviewed", confirmed: "Confirmed", dismissed: "Dismissed", all: "All" } as const;

export default async function UndercodingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext(LIST_READ_PERMISSION.undercoding);
  const sp = await searchParams;
  // the same period and filters as the list's download (lib/server/undercoding/view.ts)
  const parsed = pageQuery("/undercoding", sp);
  const view = await undercodingViewOf(parsed, ctx);
  const possiblePage = parsed.possiblePage ?? 1;
  const { filters, week, firstWeek } = view;
  const scope = analyticsScope(ctx.practiceId);
  const from = view.candidates.from;
  const to = view.candidates.to;
  const reviewAmbiguousNotes = await reviewsAmbiguousNotes(ctx.practiceId);
  const chartWeeks = Math.max(filters.weeks, 4);
  const [possibleWeeks, possible] = reviewAmbiguousNotes
    ? await Promise.all([
        possibleByWeek(scope, addWeeks(week, -(chartWeeks - 1)), week),
        possibleLines(scope, {
          from,
          to,
          direction: filters.direction ?? null,
          therapistId: filters.therapist,
          payerId: filters.payer,
          page: possiblePage,
        }),
      ])
    : [[], { rows: [], total: 0, page: 1, pages: 1 }];
  const [shares, weeks, payers, list, choices] = await Promise.all([
    therapistShares(scope, firstWeek, week),
    weeklyFigures(scope, week, chartWeeks),
    undercodingByPayer(scope, firstWeek, week),
    candidateLines(scope, view.candidates),
    undercodingFilterChoices(ctx.practiceId),
  ]);
  const { therapists, payers: payerList } = choices;
  await auditRead(ctx, { action: "undercoding.view", entityType: "UndercodingReview", details: { from, to, page: list.page } });
  const canReview = can(ctx.role, "undercoding.review");
  const candidates = shares.therapists.reduce((s, t) => s + t.candidateLines, 0);
  const gain = shares.therapists.reduce((s, t) => s + t.gainCents, 0);
  const exerciseRisk = payers.reduce((s, p) => s + p.exerciseRiskLines, 0);
  // possible loss over the same weeks as the counted figures (the chart may show more weeks)
  const possibleInPeriod = possibleWeeks.filter((w) => w.week >= firstWeek);
  const possibleGain = possibleInPeriod.reduce((s, w) => s + w.gainCents, 0);
  const possibleCount = possibleInPeriod.reduce((s, w) => s + w.lines, 0);
  const possibleExercise = possibleInPeriod.reduce((s, w) => s + w.exerciseLines, 0);
  const possibleOf = new Map(possibleWeeks.map((w) => [w.week, w]));
  const query = (over: Record<string, string | number | null | undefined>) => {
    const search = new URLSearchParams();
    const base: Record<string, string | number | null | undefined> = {
      week,
      weeks: filters.weeks,
      direction: filters.direction,
      status: filters.status,
      therapist: filters.therapist,
      payer: filters.payer,
      ...over,
    };
    for (const [key, value] of Object.entries(base))
      if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
    return `/undercoding?${search}`;
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Undercoding: 97530 vs 97110</h1>
          <p className="text-slate-700">
            {filters.weeks === 1 ? "Week of" : `${filters.weeks} weeks ending`} {weekLabel(week)}
          </p>
        </div>
        <a className="btn-secondary ml-auto" href={viewExportHref("/undercoding/csv", sp)} download>
          Download CSV
        </a>
      </div>
      <p className="max-w-4xl text-sm text-slate-600">
        A review aid, not upcoding: lines billed 97110 whose note describes a functional task (could be 97530) and lines billed 97530 whose
        note reads as exercise (a denial or downcode risk). The matched words are highlighted; a person confirms or dismisses each with a
        reason. Billed codes are never changed here.
      </p>

      <FilterBar action="/undercoding" clearHref="/undercoding">
        <div>
          <label className="label" htmlFor="u-week">
            Period ending week of
          </label>
          <input id="u-week" name="week" type="date" className="input" defaultValue={week} />
        </div>
        <div>
          <label className="label" htmlFor="u-weeks">
            Weeks
          </label>
          <select id="u-weeks" name="weeks" className="input" defaultValue={String(filters.weeks)}>
            {[1, 4, 13, 52].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="u-direction">
            Direction
          </label>
          <select id="u-direction" name="direction" className="input" defaultValue={filters.direction ?? ""}>
            <option value="">Both</option>
            <option value="could_be_97530">{DIRECTION_LABEL.could_be_97530}</option>
            <option value="reads_as_exercise">{DIRECTION_LABEL.reads_as_exercise}</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="u-status">
            Review
          </label>
          <select id="u-status" name="status" className="input" defaultValue={filters.status}>
            {Object.entries(STATUS_LABEL).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="u-therapist">
            Therapist
          </label>
          <select id="u-therapist" name="therapist" className="input" defaultValue={filters.therapist ?? ""}>
            <option value="">All therapists</option>
            {therapists.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="u-payer">
            Payer
          </label>
          <select id="u-payer" name="payer" className="input" defaultValue={filters.payer ?? ""}>
            <option value="">All payers</option>
            {payerList.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </FilterBar>

      <div className={`grid grid-cols-1 gap-3 ${reviewAmbiguousNotes ? "md:grid-cols-4" : "md:grid-cols-3"}`}>
        <div className="card" data-figure="counted-loss">
          <h2 className="text-sm font-medium text-slate-600">Could be 97530 (not dismissed)</h2>
          <p className="text-2xl font-semibold tabular-nums">{usd(gain)}</p>
          <p className="text-sm text-slate-600">
            {reviewAmbiguousNotes ? "counted loss" : "potential gain"} over {formatCount(candidates)} line{candidates === 1 ? "" : "s"}
          </p>
        </div>
        {reviewAmbiguousNotes ? (
          <div className="card" data-figure="possible-loss">
            <h2 className="text-sm font-medium text-slate-600">Possible loss (ambiguous notes, not counted)</h2>
            <p className="text-2xl font-semibold tabular-nums">{usd(possibleGain)}</p>
            <p className="text-sm text-slate-600">
              over {formatCount(possibleCount)} line{possibleCount === 1 ? "" : "s"} that could be 97530; {formatCount(possibleExercise)}{" "}
              possible 97530 exercise note{possibleExercise === 1 ? "" : "s"}
            </p>
          </div>
        ) : null}
        <div className="card">
          <h2 className="text-sm font-medium text-slate-600">97530 reading as exercise (not dismissed)</h2>
          <p className="text-2xl font-semibold tabular-nums">{formatCount(exerciseRisk)}</p>
          <p className="text-sm text-slate-600">lines at risk of denial or downcoding</p>
        </div>
        <div className="card">
          <h2 className="text-sm font-medium text-slate-600">Practice 97530 share</h2>
          <p className="text-2xl font-semibold tabular-nums">{formatRatio(shares.practice.share97530)}</p>
          <p className="text-sm text-slate-600">
            {formatCount(shares.practice.units97530)} of {formatCount(shares.practice.units97530 + shares.practice.units97110)} 97530 +
            97110 units
          </p>
        </div>
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <figure className="card space-y-2">
          <figcaption className="font-semibold">By therapist: 97530 share of 97530 + 97110 units against the practice</figcaption>
          <UndercodingTherapists
            rows={shares.therapists.map((t) => ({
              therapistId: t.therapistId,
              name: t.name,
              units97530: t.units97530,
              units97110: t.units97110,
              share97530: t.share97530,
              candidateLines: t.candidateLines,
              gainCents: t.gainCents,
            }))}
            practiceShare={shares.practice.share97530}
            hrefBase={query({ therapist: null, page: null })}
          />
        </figure>
        <div className="space-y-4">
          <figure className="card space-y-2">
            <figcaption className="font-semibold">
              {reviewAmbiguousNotes ? "Counted and possible loss by week" : "Potential gain by week"}
            </figcaption>
            <RevenueUndercodingChart
              showPossible={reviewAmbiguousNotes}
              data={weeks.map((w) => ({
                week: w.week,
                label: shortWeekLabel(w.week),
                gain: dollarsOf(w.undercodingGainCents),
                lines: w.undercodingLines,
                // the possible loss only where the practice sets ambiguous notes apart
                ...(reviewAmbiguousNotes
                  ? { possible: (possibleOf.get(w.week)?.gainCents ?? 0) / 100, possibleLines: possibleOf.get(w.week)?.lines ?? 0 }
                  : {}),
              }))}
            />
            {reviewAmbiguousNotes ? (
              <table className="data" aria-label="Counted and possible loss by week">
                <thead>
                  <tr>
                    <th scope="col">Week of</th>
                    <th scope="col" className="num">
                      Counted loss
                    </th>
                    <th scope="col" className="num">
                      Possible loss
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w) => (
                    <tr key={w.week}>
                      <td>{shortWeekLabel(w.week)}</td>
                      <td className="num">{usd(w.undercodingGainCents)}</td>
                      <td className="num">{usd(possibleOf.get(w.week)?.gainCents ?? 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </figure>
          <section className="card space-y-2" aria-labelledby="by-payer-heading">
            <h2 id="by-payer-heading" className="font-semibold">
              By payer
            </h2>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Payer</th>
                  <th scope="col" className="num">
                    Could be 97530
                  </th>
                  <th scope="col" className="num">
                    Potential gain
                  </th>
                  <th scope="col" className="num">
                    97530 as exercise
                  </th>
                  <th scope="col" className="num">
                    97530 share
                  </th>
                </tr>
              </thead>
              <tbody>
                {payers.map((p) => (
                  <tr key={p.payerId}>
                    <td>
                      <Link href={query({ payer: p.payerId, page: null })}>{p.payer}</Link>
                    </td>
                    <td className="num">{formatCount(p.candidateLines)}</td>
                    <td className="num">{usd(p.gainCents)}</td>
                    <td className="num">{formatCount(p.exerciseRiskLines)}</td>
                    <td className="num">
                      {formatRatio(p.units97530 + p.units97110 ? p.units97530 / (p.units97530 + p.units97110) : null)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>

      <section aria-labelledby="candidates-heading" className="space-y-3">
        <h2 id="candidates-heading" className="text-lg font-semibold">
          Candidate lines · {STATUS_LABEL[filters.status].toLowerCase()}
          {filters.direction ? ` · ${DIRECTION_LABEL[filters.direction].toLowerCase()}` : ""}
        </h2>
        {list.rows.length === 0 && list.page === 1 ? <p className="text-slate-600">No candidate line matches these filters.</p> : null}
        {list.rows.map((c) => (
          <UndercodingCandidate
            key={c.lineId}
            candidate={c}
            canReview={canReview}
            reviewAction={reviewCandidateAction}
            undoAction={undoReviewAction}
          />
        ))}
        <Pager
          page={list.page}
          total={list.total}
          noun={["line", "lines"]}
          pageSize={CARD_PAGE_SIZE}
          href={(n) => query({ page: n > 1 ? n : undefined })}
        />
      </section>

      {reviewAmbiguousNotes ? (
        <section aria-labelledby="possible-heading" className="space-y-3">
          <h2 id="possible-heading" className="text-lg font-semibold">
            Possible lines · ambiguous notes, not counted
          </h2>
          <p className="text-sm text-slate-600">
            Notes that read both ways. They are summed as possible loss above and never in the loss figure. Newest first.
          </p>
          {possible.rows.length === 0 && possiblePage === 1 ? (
            <p className="text-slate-600">No possible line matches these filters.</p>
          ) : null}
          {possible.rows.map((c) => (
            <UndercodingCandidate
              key={c.lineId}
              candidate={c}
              canReview={false}
              reviewAction={reviewCandidateAction}
              undoAction={undoReviewAction}
            />
          ))}
          <Pager
            label="the possible lines"
            page={possiblePage}
            pageSize={CARD_PAGE_SIZE}
            total={possible.total}
            noun={["line", "lines"]}
            scroll={false}
            href={(n) => `${query({ page: list.page > 1 ? list.page : undefined, possiblePage: n > 1 ? n : undefined })}#possible-heading`}
          />
        </section>
      ) : null}

      {can(ctx.role, "undercoding.settings") ? (
        <section className="card space-y-2" aria-labelledby="option-heading">
          <h2 id="option-heading" className="font-semibold">
            Undercoding option
          </h2>
          <UndercodingOptionForm on={reviewAmbiguousNotes} />
        </section>
      ) : null}
    </div>
  );
}
