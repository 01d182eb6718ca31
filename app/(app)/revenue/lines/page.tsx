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
import { refreshRevenueRollup } from "@/lib/server/revenue/rollup";
import { reviewWeek } from "@/lib/server/revenue/review";
import { analyticsScope } from "@/lib/server/revenue/scope";
import { todayIn } from "@/lib/server/core/dates";
import { weekLabel, weekStartOf } from "@/lib/server/revenue/weeks";
import { highlightSpans } from "@/lib/server/undercoding/queries";
import { reviewCandidateAction, undoReviewAction } from "../../undercoding/actions";
import { dateText } from "@/lib/ui/dates";

export const metadata = { title: "Revenue lines · Therapy Revenue" };

function summary(d: DrillDown): string {
  const t = d.totals;
  switch (d.filter.metric) {
    case "visits":
    case "units":
    case "charges":
      return `${formatCount(t.visits)} visits, ${formatCount(t.lines)} lines, ${formatCount(t.units)} units, charges ${usd(t.chargeCents)}`;
    case "expected":
      return `Expected allowed ${usd(t.expectedCents)} over ${formatCount(t.lines)} lines`;
    case "paid":
    case "patient_resp":
      return `Paid ${usd(t.paidCents)}, patient responsibility ${usd(t.patientRespCents)} over ${formatCount(t.lines)} lines with a remit`;
    case "denial_rate":
      return `${formatCount(t.deniedLines)} denied of ${formatCount(t.adjudicatedLines)} adjudicated lines (${formatRatio(t.adjudicatedLines ? t.deniedLines / t.adjudicatedLines : null)})`;
    case "net_collection_rate":
      return `Paid + patient responsibility ${usd(t.ncrNumeratorCents)} of expected allowed ${usd(t.ncrDenominatorCents)} (${formatRatio(t.ncrDenominatorCents ? t.ncrNumeratorCents / t.ncrDenominatorCents : null)})`;
    case "underpayment":
      return `Underpayment ${usd(t.underpaymentCents)} over ${formatCount(t.lines)} lines`;
    case "undercoding":
      return `${formatCount(t.lines)} candidate line${t.lines === 1 ? "" : "s"}; potential gain of those not dismissed ${usd(t.undercodingGainCents)}`;
    case "open_ar":
    case "days_ar":
      return d.filter.minAgeDays
        ? `Open receivables today, served more than ${d.filter.minAgeDays} days ago: ${usd(t.expectedCents)} over ${formatCount(t.lines)} lines`
        : `Open receivables at the week's end: ${usd(t.expectedCents)} over ${formatCount(t.lines)} lines`;
  }
}

function status(l: DrillLine): string {
  if (l.denied) return `denied${l.denialCause ? ` (${l.denialCause.replace("_", " ")})` : ""}`;
  if (l.adjudicated) return "adjudicated";
  if (l.lastRemitStatus) return `open (last remit ${dateText(l.lastRemitOn)})`;
  if (l.paidCents !== 0 || l.remitAllowedCents !== 0) return "reversed";
  return l.claim ? "no remit" : "no claim";
}

export default async function RevenueLinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("revenue.read");
  const q = linesQuerySchema.parse(pageQuery("/revenue/lines", await searchParams));
  await refreshRevenueRollup(ctx.practiceId);
  const week = q.week ? weekStartOf(q.week) : (await reviewWeek(ctx.practiceId, ctx.practice.timeZone, null, { withRemits: true })).week;
  const d = await drillDown(analyticsScope(ctx.practiceId), {
    metric: q.metric,
    week,
    weeks: q.weeks,
    payerId: q.payer,
    therapistId: q.therapist,
    page: q.page,
    from: q.from,
    to: q.to,
    // receivables by age are balances today, in the practice's time zone
    asOf: q.age ? todayIn(ctx.practice.timeZone) : null,
    minAgeDays: q.age ?? null,
  });
  await auditRead(ctx, {
    action: "revenue.lines.view",
    entityType: "RevenueWeek",
    entityId: week,
    details: { metric: q.metric, week, page: d.filter.page, from: d.filter.from, to: d.filter.to, age: d.filter.minAgeDays },
  });
  const def = KPI_DEFINITIONS[q.metric];
  const canReview = can(ctx.role, "undercoding.review");
  const period = d.filter.minAgeDays
    ? `open today (${dateText(d.filter.asOf)}), served more than ${d.filter.minAgeDays} days ago`
    : d.filter.from && d.filter.to
      ? `services from ${dateText(d.filter.from)} to ${dateText(d.filter.to)}`
      : `${d.filter.weeks === 13 ? "13 weeks ending" : "week of"} ${weekLabel(week)}`;
  const filterText = [
    period,
    d.filter.payerId ? `· payer ${d.rows[0]?.payer ?? `#${d.filter.payerId}`}` : "",
    d.filter.therapistId ? `· therapist ${d.rows[0]?.therapist ?? `#${d.filter.therapistId}`}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const pageHref = (page: number) => {
    const p = new URLSearchParams({ metric: q.metric, week });
    if (d.filter.weeks === 13) p.set("weeks", "13");
    if (d.filter.payerId) p.set("payer", String(d.filter.payerId));
    if (d.filter.therapistId) p.set("therapist", String(d.filter.therapistId));
    if (d.filter.from && d.filter.to) {
      p.set("from", d.filter.from);
      p.set("to", d.filter.to);
    }
    if (d.filter.minAgeDays) p.set("age", String(d.filter.minAgeDays));
    p.set("page", String(page));
    return `/revenue/lines?${p}`;
  };
  const showRemit = !["open_ar", "days_ar", "visits", "units", "charges", "expected"].includes(q.metric);

  return (
    <div className="space-y-4">
      <p className="text-sm">
        {d.filter.minAgeDays || d.filter.from ? (
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
        <p className="font-medium">{summary(d)}</p>
        <p className="text-slate-600">{def.formula}</p>
      </div>

      {q.metric === "undercoding" ? (
        <section aria-labelledby="candidates-heading" className="space-y-3">
          <h2 id="candidates-heading" className="sr-only">
            Candidate lines
          </h2>
          {d.rows.length === 0 ? <p className="text-slate-600">No candidate line in this week.</p> : null}
          {d.rows
            .filter((l) => l.undercodingDirection)
            .map((l) => {
              const direction = l.undercodingDirection!;
              const { spans, explanation } = highlightSpans(l.note, l.cpt, direction);
              return (
                <UndercodingCandidate
                  key={l.lineId}
                  canReview={canReview}
                  reviewAction={reviewCandidateAction}
                  undoAction={undoReviewAction}
                  candidate={{
                    lineId: l.lineId,
                    visitExternalId: l.visitExternalId,
                    dateOfService: l.dateOfService,
                    patientExternalId: l.patientExternalId,
                    therapist: l.therapist,
                    payer: l.payer,
                    lineOrder: l.lineOrder,
                    cpt: l.cpt,
                    modifiers: l.modifiers,
                    units: l.units,
                    direction,
                    terms: l.undercodingTerms,
                    gainCents: l.undercodingGainCents,
                    note: l.note,
                    spans,
                    explanation,
                    review: l.reviewDecision
                      ? { decision: l.reviewDecision, reason: l.reviewReason ?? "", by: l.reviewedBy ?? "", at: l.reviewedAt ?? "" }
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
            rowCount={d.rows.length}
            empty={d.filter.page > 1 ? "No line on this page." : "No line behind this figure."}
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
              ...(q.metric === "underpayment" ? [{ header: "Underpaid", numeric: true }] : []),
              { header: "Status" },
            ]}
          >
            {d.rows.map((l) => (
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
                {q.metric === "underpayment" ? <td className="num">{usd(l.underpaymentCents)}</td> : null}
                <td>{status(l)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      <Pager page={d.filter.page} total={d.totals.lines} noun={["line", "lines"]} pageSize={DRILL_PAGE_SIZE} href={pageHref} />
    </div>
  );
}
