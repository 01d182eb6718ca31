import { usd } from "@/lib/ui/money";
import Link from "@/components/link";
import { DataTable } from "@/components/data-table";
import { Pager } from "@/components/pager";
import { formatCount, formatRatio } from "@/components/chart-format";
import { UndercodingCandidate } from "@/components/undercoding-candidate";
import { auditRead } from "@/lib/server/core/audit";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { KPI_DEFINITIONS } from "@/lib/server/revenue/definitions";
import { DRILL_PAGE_SIZE, type DrillDown, type DrillLine, drillDown } from "@/lib/server/revenue/lines";
import { linesQuerySchema } from "@/lib/server/revenue/params";
import { pageQuery } from "@/lib/schemas/search-params";
import { refreshRevenueRollup } from "@/lib/server/derived/rollup";
import { reviewWeek } from "@/lib/server/revenue/review";
import { analyticsScope } from "@/lib/server/revenue/scope";
import { todayIn } from "@/lib/server/core/dates";
import { weekLabel, weekStartOf } from "@/lib/server/revenue/weeks";
import { highlightSpans } from "@/lib/server/undercoding/queries";
import { reviewCandidateAction, undoReviewAction } from "../../undercoding/actions";
import { dateText } from "@/lib/ui/dates";

export const metadata = { title: "Revenue lines · Therapy Revenue" };

function summary(drill: DrillDown): string {
  const totals = drill.totals;
  switch (drill.filter.metric) {
    case "visits":
    case "units":
    case "charges":
      return `${formatCount(totals.visits)} visits, ${formatCount(totals.lines)} lines, ${formatCount(totals.units)} units, charges ${usd(totals.chargeCents)}`;
    case "expected":
      return `Expected allowed ${usd(totals.expectedCents)} over ${formatCount(totals.lines)} lines`;
    case "paid":
    case "patient_resp":
      return `Paid ${usd(totals.paidCents)}, patient responsibility ${usd(totals.patientRespCents)} over ${formatCount(totals.lines)} lines with a remit`;
    case "denial_rate":
      return `${formatCount(totals.deniedLines)} denied of ${formatCount(totals.adjudicatedLines)} adjudicated lines (${formatRatio(totals.adjudicatedLines ? totals.deniedLines / totals.adjudicatedLines : null)})`;
    case "net_collection_rate":
      return `Paid + patient responsibility ${usd(totals.ncrNumeratorCents)} of expected allowed ${usd(totals.ncrDenominatorCents)} (${formatRatio(totals.ncrDenominatorCents ? totals.ncrNumeratorCents / totals.ncrDenominatorCents : null)})`;
    case "underpayment":
      return `Underpayment ${usd(totals.underpaymentCents)} over ${formatCount(totals.lines)} lines`;
    case "undercoding":
      return `${formatCount(totals.lines)} candidate line${totals.lines === 1 ? "" : "s"}; potential gain of those not dismissed ${usd(totals.undercodingGainCents)}`;
    case "open_ar":
    case "days_ar":
      return drill.filter.minAgeDays
        ? `Open receivables today, served more than ${drill.filter.minAgeDays} days ago: ${usd(totals.expectedCents)} over ${formatCount(totals.lines)} lines`
        : `Open receivables at the week's end: ${usd(totals.expectedCents)} over ${formatCount(totals.lines)} lines`;
  }
}

function status(line: DrillLine): string {
  if (line.denied) return `denied${line.denialCause ? ` (${line.denialCause.replace("_", " ")})` : ""}`;
  if (line.adjudicated) return "adjudicated";
  if (line.lastRemitStatus) return `open (last remit ${dateText(line.lastRemitOn)})`;
  if (line.paidCents !== 0 || line.remitAllowedCents !== 0) return "reversed";
  return line.claim ? "no remit" : "no claim";
}

export default async function RevenueLinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("revenue.read");
  const query = linesQuerySchema.parse(pageQuery("/revenue/lines", await searchParams));
  await refreshRevenueRollup(ctx.practiceId);
  const week = query.week
    ? weekStartOf(query.week)
    : (await reviewWeek(ctx.practiceId, ctx.practice.timeZone, null, { withRemits: true })).week;
  const drill = await drillDown(analyticsScope(ctx.practiceId), {
    metric: query.metric,
    week,
    weeks: query.weeks,
    payerId: query.payer,
    therapistId: query.therapist,
    page: query.page,
    from: query.from,
    to: query.to,
    // receivables by age are balances today, in the practice's time zone
    asOf: query.age ? todayIn(ctx.practice.timeZone) : null,
    minAgeDays: query.age ?? null,
  });
  await auditRead(ctx, {
    action: "revenue.lines.view",
    entityType: "RevenueWeek",
    entityId: week,
    details: {
      metric: query.metric,
      week,
      page: drill.filter.page,
      from: drill.filter.from,
      to: drill.filter.to,
      age: drill.filter.minAgeDays,
    },
  });
  const def = KPI_DEFINITIONS[query.metric];
  const canReview = can(ctx.role, "undercoding.review");
  const period = drill.filter.minAgeDays
    ? `open today (${dateText(drill.filter.asOf)}), served more than ${drill.filter.minAgeDays} days ago`
    : drill.filter.from && drill.filter.to
      ? `services from ${dateText(drill.filter.from)} to ${dateText(drill.filter.to)}`
      : `${drill.filter.weeks === 13 ? "13 weeks ending" : "week of"} ${weekLabel(week)}`;
  const filterText = [
    period,
    drill.filter.payerId ? `· payer ${drill.rows[0]?.payer ?? `#${drill.filter.payerId}`}` : "",
    drill.filter.therapistId ? `· therapist ${drill.rows[0]?.therapist ?? `#${drill.filter.therapistId}`}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const pageHref = (page: number) => {
    const search = new URLSearchParams({ metric: query.metric, week });
    if (drill.filter.weeks === 13) search.set("weeks", "13");
    if (drill.filter.payerId) search.set("payer", String(drill.filter.payerId));
    if (drill.filter.therapistId) search.set("therapist", String(drill.filter.therapistId));
    if (drill.filter.from && drill.filter.to) {
      search.set("from", drill.filter.from);
      search.set("to", drill.filter.to);
    }
    if (drill.filter.minAgeDays) search.set("age", String(drill.filter.minAgeDays));
    search.set("page", String(page));
    return `/revenue/lines?${search}`;
  };
  const showRemit = !["open_ar", "days_ar", "visits", "units", "charges", "expected"].includes(query.metric);

  return (
    <div className="space-y-4">
      <p className="text-sm">
        {drill.filter.minAgeDays || drill.filter.from ? (
          <Link href="/revenue">← Back to the revenue review</Link>
        ) : (
          <Link href={`/revenue?week=${week}`}>← Back to the week&apos;s review</Link>
        )}
      </p>
      <div>
        <h1 className="text-2xl font-semibold">{def.label}: the lines behind it</h1>
        <p className="text-slate-700">{filterText}</p>
      </div>
      <div className="card space-y-1 text-sm">
        <p className="font-medium">{summary(drill)}</p>
        <p className="text-slate-600">{def.formula}</p>
      </div>

      {query.metric === "undercoding" ? (
        <section aria-labelledby="candidates-heading" className="space-y-3">
          <h2 id="candidates-heading" className="sr-only">
            Candidate lines
          </h2>
          {drill.rows.length === 0 ? <p className="text-slate-600">No candidate line in this week.</p> : null}
          {drill.rows
            .filter((l) => l.undercodingDirection)
            .map((line) => {
              const direction = line.undercodingDirection!;
              const { spans, explanation } = highlightSpans(line.note, line.cpt, direction);
              return (
                <UndercodingCandidate
                  key={line.lineId}
                  canReview={canReview}
                  reviewAction={reviewCandidateAction}
                  undoAction={undoReviewAction}
                  candidate={{
                    lineId: line.lineId,
                    visitExternalId: line.visitExternalId,
                    dateOfService: line.dateOfService,
                    patientExternalId: line.patientExternalId,
                    therapist: line.therapist,
                    payer: line.payer,
                    lineOrder: line.lineOrder,
                    cpt: line.cpt,
                    modifiers: line.modifiers,
                    units: line.units,
                    direction,
                    terms: line.undercodingTerms,
                    gainCents: line.undercodingGainCents,
                    note: line.note,
                    spans,
                    explanation,
                    review: line.reviewDecision
                      ? {
                          decision: line.reviewDecision,
                          reason: line.reviewReason ?? "",
                          by: line.reviewedBy ?? "",
                          at: line.reviewedAt ?? "",
                        }
                      : null,
                  }}
                />
              );
            })}
        </section>
      ) : (
        <div className="card overflow-x-auto">
          <DataTable
            label={`Lines behind ${def.label}, ${filterText}`}
            rowCount={drill.rows.length}
            empty={drill.filter.page > 1 ? "No line on this page." : "No line behind this figure."}
            columns={[
              { header: "Date" },
              { header: "Visit" },
              { header: "Patient" },
              { header: "Claim" },
              { header: "Payer" },
              { header: "Therapist" },
              { header: "Code" },
              { header: "Units", numeric: true },
              { header: "Charge", numeric: true },
              { header: "Expected", numeric: true },
              ...(showRemit
                ? [
                    { header: "Allowed", numeric: true },
                    { header: "Paid", numeric: true },
                    { header: "Patient resp.", numeric: true },
                  ]
                : []),
              ...(query.metric === "underpayment" ? [{ header: "Underpaid", numeric: true }] : []),
              { header: "Status" },
            ]}
          >
            {drill.rows.map((l) => (
              <tr key={l.lineId} className={l.denied ? "bg-red-50" : undefined}>
                <td>{dateText(l.dateOfService)}</td>
                <td>
                  {l.visitExternalId} · {l.lineOrder + 1}
                </td>
                <td>{l.patientExternalId}</td>
                <td>{l.claim ?? "—"}</td>
                <td>{l.payer}</td>
                <td>{l.therapist}</td>
                <td>
                  {l.cpt}
                  {l.modifiers.length ? `-${l.modifiers.join("-")}` : ""}
                </td>
                <td className="num">{l.units}</td>
                <td className="num">{usd(l.chargeCents)}</td>
                <td className="num">
                  {l.expectedCents == null ? <span className="text-xs text-amber-900">{l.noPrice}</span> : usd(l.expectedCents)}
                </td>
                {showRemit ? (
                  <>
                    <td className="num">{usd(l.remitAllowedCents)}</td>
                    <td className="num">{usd(l.paidCents)}</td>
                    <td className="num">{usd(l.patientRespCents)}</td>
                  </>
                ) : null}
                {query.metric === "underpayment" ? <td className="num">{usd(l.underpaymentCents)}</td> : null}
                <td>{status(l)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      <Pager page={drill.filter.page} total={drill.totals.lines} noun={["line", "lines"]} pageSize={DRILL_PAGE_SIZE} href={pageHref} />
    </div>
  );
}
