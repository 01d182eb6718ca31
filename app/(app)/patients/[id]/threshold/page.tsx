// A patient's therapy threshold for one year and pool (?year=&pool=): the running total,
// the crossing visits, the lines that need KX, the amount used elsewhere, a forecast, and
// what the billers did. Reading it leaves an audit event (patient.view_threshold).
import { dollarsField, dollarsOf, usd, usdLevel } from "@/lib/ui/money";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { saveUsedElsewhereAction } from "@/app/(app)/kx/actions";
import { KX_ITEM_ACTIONS } from "@/app/(app)/kx/item-actions";
import { KxGauge } from "@/components/kx-gauge";
import { ACTION_LABELS, formatDate, LEVEL_LABELS, levelBadgeClass, POOL_LABELS } from "@/components/kx-format";
import { KxItemActions } from "@/components/kx-item-actions";
import { ThresholdChart } from "@/components/threshold-chart";
import { ThresholdUsageForm } from "@/components/threshold-usage-form";
import { KX_POOL_VALUES, thresholdPageParamsSchema } from "@/lib/schemas/kx";
import { pageQuery } from "@/lib/schemas/search-params";
import { pageContext } from "@/lib/server/core/guard";
import { UNDOABLE_ACTIONS } from "@/lib/server/kx/actions";
import { queueAssignees } from "@/lib/server/kx/queue-view";
import { type LevelForecast, patientThresholdView } from "@/lib/server/kx/threshold";
import { todayIn } from "@/lib/server/core/dates";
import { can } from "@/lib/server/core/permissions";
import { momentText } from "@/lib/ui/dates";
import { unpricedSentence } from "@/lib/ui/no-price";
import { KX_ITEM_STATUS_WORDS } from "@/lib/ui/kx-queue-words";

export const metadata = { title: "Therapy threshold · Therapy Revenue" };

const LEVEL_WORDS = { alert: "Alert level", kx: "KX needed", review: "Review threshold" } as const;

/** "KX needed from about 14 March, visit 17" */
function forecastSentence(f: LevelForecast, today: string, lastVisit: string | null): string {
  const what = LEVEL_WORDS[f.level as keyof typeof LEVEL_WORDS];
  if (f.kind === "crossed") {
    const verb = f.level === "kx" ? "KX needed since" : `${what} (${usdLevel(f.levelCents)}) passed on`;
    return `${verb} ${formatDate(f.date!)}, visit ${f.visitNumber}.`;
  }
  if (f.kind === "no_history") return `${what} (${usdLevel(f.levelCents)}): no visits yet to forecast from.`;
  const subject = f.level === "kx" ? "KX needed from" : `${what} (${usdLevel(f.levelCents)}) reached`;
  // an estimated date already past: the patient has not been seen since the last visit
  const stale = f.date !== null && f.date < today;
  const when = f.date && !stale ? `about ${formatDate(f.date)}, visit ${f.visitNumber}` : `about visit ${f.visitNumber}`;
  const left = f.visitsLeft === 1 ? "the next visit" : `in ${f.visitsLeft} visits`;
  const since = stale && lastVisit ? `; no visit since ${formatDate(lastVisit)}` : "";
  return `${subject} ${when} (${left}, at ${usd(f.averageAllowedPerVisitCents ?? 0)} per visit${since}).`;
}

export default async function ThresholdPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext("kx.read");
  const { id } = await params;
  const patientId = Number(id);
  if (!Number.isInteger(patientId) || patientId <= 0 || patientId > 2_147_483_647) notFound();
  const query = thresholdPageParamsSchema.parse(pageQuery("/patients/[id]/threshold", await searchParams));
  const view = await patientThresholdView(
    { practiceId: ctx.practiceId, userId: ctx.userId, alertLevelCents: ctx.practice.alertLevelCents, timeZone: ctx.practice.timeZone },
    patientId,
    query,
  );
  if (!view) notFound();

  const today = todayIn(ctx.practice.timeZone);
  const canWork = can(ctx.role, "kx.work");
  const canEnterUsage = can(ctx.role, "usage.write");
  const billers = canWork ? await queueAssignees(ctx.practiceId) : [];
  const { item, levels } = view;
  const poolLabel = POOL_LABELS[view.pool] ?? view.pool;
  const years = [...new Set([...view.choices.map((c) => c.year), view.year])].sort((a, b) => b - a);
  // a line Medicare denied for a missing KX is listed even when our running total puts it before the crossing
  const needKx = view.lines.filter((l) => l.needsKx || l.rebill === "rebill_kx");
  const last = view.history[0];
  const undoable =
    last && (UNDOABLE_ACTIONS as readonly string[]).includes(last.action)
      ? { action: last.action, label: ACTION_LABELS[last.action] ?? last.action }
      : null;
  const crossings = view.visits.flatMap((v) =>
    v.crosses.map((level) => ({ level, visit: v.visitNumber, total: dollarsOf(v.runningCents) })),
  );
  const total = item?.totalCents ?? view.usage?.amountCents ?? 0;
  const unpriced = unpricedSentence(view.lines, "the total");
  const chartSummary = `Running total of ${poolLabel} in ${view.year}: ${usd(total)} after ${view.visits.length} ${view.visits.length === 1 ? "visit" : "visits"}${view.usage ? `, starting from ${usd(view.usage.amountCents)} used elsewhere` : ""}.`;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/kx">← KX queue</Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">
          {view.patient.name}{" "}
          <span className="text-base font-normal text-slate-600">
            ({view.patient.externalId}, born {formatDate(view.patient.birthDate)})
          </span>
        </h1>
        <p className="text-slate-700">
          Medicare therapy threshold, {poolLabel}, {view.year}
        </p>
        <nav aria-label="Year and pool" className="mt-2 flex flex-wrap gap-2 text-sm">
          {years.map((y) =>
            KX_POOL_VALUES.map((p) => {
              const choice = view.choices.find((c) => c.year === y && c.pool === p);
              const current = y === view.year && p === view.pool;
              return (
                <Link
                  key={`${y}-${p}`}
                  href={`/patients/${view.patient.id}/threshold?year=${y}&pool=${p}`}
                  aria-current={current ? "page" : undefined}
                  className={current ? "btn" : "btn-secondary"}
                >
                  {y} {POOL_LABELS[p]}
                  {choice ? ` · ${usd(choice.totalCents)}` : ""}
                </Link>
              );
            }),
          )}
        </nav>
      </div>

      {view.unknownYearReason ? (
        <p role="alert" className="card border-amber-300 bg-amber-50 text-amber-900">
          {view.unknownYearReason}
        </p>
      ) : null}

      <section aria-labelledby="summary-heading" className="card space-y-3">
        <h2 id="summary-heading" className="sr-only">
          Summary
        </h2>
        <div className="flex flex-wrap items-center gap-x-8 gap-y-3">
          <div>
            <p className="text-sm text-slate-600">Total {view.year}</p>
            <p className="text-2xl font-semibold tabular-nums">
              {usd(total)}{" "}
              <span className={item?.estimated ? "badge bg-amber-100 text-amber-900" : "badge bg-green-100 text-green-900"}>
                {item?.estimated ? "estimated" : "confirmed"}
              </span>
            </p>
            <p className="text-xs text-slate-600">
              {usd(item?.allowedHereCents ?? 0)} here + {usd(view.usage?.amountCents ?? 0)} elsewhere
            </p>
            {unpriced ? (
              <p className="max-w-prose text-sm text-amber-900" data-testid="unpriced-lines">
                {unpriced}
              </p>
            ) : null}
          </div>
          {levels ? (
            <div>
              <p className="text-sm text-slate-600">
                <span className={levelBadgeClass(item?.level ?? "below")}>{LEVEL_LABELS[item?.level ?? "below"]}</span>
              </p>
              <div className="mt-1">
                <KxGauge
                  totalCents={total}
                  alertCents={levels.alertCents}
                  kxCents={levels.kxCents}
                  reviewCents={levels.reviewCents}
                  estimated={item?.estimated ?? true}
                  width={220}
                />
              </div>
              <p className="mt-1 text-xs text-slate-600">
                alert {usdLevel(levels.alertCents)} · KX {usdLevel(levels.kxCents)} · review {usdLevel(levels.reviewCents)}
              </p>
            </div>
          ) : null}
          <div>
            <p className="text-sm text-slate-600">Lines missing KX</p>
            <p className="text-2xl font-semibold tabular-nums" data-testid="lines-missing-kx">
              {item?.linesMissingKx ?? 0}
            </p>
          </div>
          <div className="text-sm">
            <p>
              Status: <strong>{item ? KX_ITEM_STATUS_WORDS[item.status] : "no queue item"}</strong>
              {item?.snoozedUntil ? ` until ${formatDate(item.snoozedUntil)}` : ""}
            </p>
            <p>Assigned to: {item?.assigneeName ?? "nobody"}</p>
            {item?.level === "review" ? (
              <p>
                Documentation:{" "}
                {item.docReviewedAt ? (
                  `reviewed ${formatDate(item.docReviewedAt)}${item.docReviewNote ? ` — ${item.docReviewNote}` : ""}`
                ) : (
                  <strong className="text-red-800">not reviewed yet</strong>
                )}
              </p>
            ) : null}
          </div>
        </div>
        <p role="status" className={item && item.linesMissingKx > 0 ? "font-medium text-red-800" : "text-green-800"}>
          {item && item.linesMissingKx > 0
            ? `${item.linesMissingKx === 1 ? "1 line needs" : `${item.linesMissingKx} lines need`} KX and ${item.linesMissingKx === 1 ? "has" : "have"} neither KX nor GA.`
            : needKx.length
              ? "Every line past the KX threshold carries KX or GA."
              : "No line needs KX yet."}
        </p>
        {view.forecasts.length ? (
          <ul className="list-disc pl-5 text-sm" aria-label="Forecast">
            {view.forecasts
              .filter((f) => f.level !== "alert" || f.kind !== "crossed")
              .map((f) => (
                <li key={f.level}>{forecastSentence(f, today, view.visits.at(-1)?.dateOfService ?? null)}</li>
              ))}
          </ul>
        ) : null}
      </section>

      {levels ? (
        <section aria-labelledby="chart-heading" className="card">
          <h2 id="chart-heading" className="mb-2 text-base font-semibold">
            Running total, visit by visit
          </h2>
          <ThresholdChart
            points={[
              { visit: 0, total: dollarsOf(view.usage?.amountCents ?? 0), date: `${view.year}-01-01` },
              ...view.visits.map((v) => ({ visit: v.visitNumber, total: dollarsOf(v.runningCents), date: v.dateOfService })),
            ]}
            levels={{ alert: dollarsOf(levels.alertCents), kx: dollarsOf(levels.kxCents), review: dollarsOf(levels.reviewCents) }}
            crossings={crossings}
            summary={chartSummary}
          />
        </section>
      ) : null}

      {item && canWork ? (
        <KxItemActions
          item={item}
          undoable={undoable}
          billers={billers}
          currentUserId={ctx.userId}
          today={today}
          actions={KX_ITEM_ACTIONS}
        />
      ) : null}

      <section aria-labelledby="lines-heading" className="card">
        <h2 id="lines-heading" className="mb-2 text-base font-semibold">
          Lines that need KX
        </h2>
        {needKx.length === 0 ? (
          <p className="text-sm text-slate-600">None: the running total has not passed the KX threshold this year.</p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-700">
              {needKx.length} {needKx.length === 1 ? "line" : "lines"} from the KX crossing line on: {needKx.filter((l) => l.hasKx).length}{" "}
              with KX, {needKx.filter((l) => l.hasGa).length} with GA (ABN), {needKx.filter((l) => !l.hasKx && !l.hasGa).length} missing KX.
            </p>
            <div className="max-h-96 overflow-y-auto">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Visit</th>
                    <th scope="col">Code</th>
                    <th scope="col">Modifiers</th>
                    <th scope="col" className="num">
                      Allowed
                    </th>
                    <th scope="col" className="num">
                      Running total
                    </th>
                    <th scope="col">KX</th>
                  </tr>
                </thead>
                <tbody>
                  {needKx.map((l) => (
                    <tr key={l.lineId}>
                      <td>{formatDate(l.dateOfService)}</td>
                      <td>
                        #{l.visitNumber} · {l.visitExternalId}
                      </td>
                      <td>{l.cpt}</td>
                      <td>{l.modifiers.join(" ") || "—"}</td>
                      <td className="num">
                        {l.noPrice ? (
                          <span className="text-xs text-amber-900">{l.noPrice}</span>
                        ) : (
                          <>
                            {usd(l.allowedCents)} <span className="text-xs text-slate-500">{l.confirmed ? "confirmed" : "est."}</span>
                          </>
                        )}
                      </td>
                      <td className="num">{usd(l.runningCents)}</td>
                      <td>
                        {l.hasKx ? (
                          <span className="badge bg-green-100 text-green-900">has KX</span>
                        ) : l.hasGa ? (
                          <span className="badge bg-slate-200 text-slate-800">GA (ABN)</span>
                        ) : l.needsKx ? (
                          <span className="badge bg-red-100 text-red-900">missing KX</span>
                        ) : null}
                        {l.crosses.includes("kx") ? <span className="ml-1 text-xs text-slate-600">crossing line</span> : null}
                        {l.rebill === "rebill_kx" ? (
                          <span className="badge ml-1 bg-red-100 text-red-900">denied: rebill with KX</span>
                        ) : l.rebill === "rebill_modifier" ? (
                          <span className="badge ml-1 bg-red-100 text-red-900">denied: fix the modifier and rebill</span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="usage-heading" className="card space-y-2">
        <h2 id="usage-heading" className="text-base font-semibold">
          Amount used elsewhere in {view.year} ({poolLabel})
        </h2>
        <p className="text-sm text-slate-600">
          {view.usage
            ? `${usd(view.usage.amountCents)} from ${view.usage.source}, as of ${formatDate(view.usage.asOf)}. It is added before this practice's lines.`
            : "None entered. Therapy at other providers this year counts toward the same thresholds: enter it from the MAC portal or an eligibility response."}
        </p>
        {canEnterUsage ? (
          <ThresholdUsageForm
            patientId={view.patient.id}
            year={view.year}
            pool={view.pool}
            poolLabel={poolLabel}
            today={today}
            current={view.usage ? { amount: dollarsField(view.usage.amountCents), source: view.usage.source, asOf: view.usage.asOf } : null}
            save={saveUsedElsewhereAction}
          />
        ) : null}
      </section>

      <section aria-labelledby="history-heading" className="card">
        <h2 id="history-heading" className="mb-2 text-base font-semibold">
          History
        </h2>
        {view.history.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing done on this item yet.</p>
        ) : (
          <ol className="space-y-1 text-sm" aria-label="Item history">
            {view.history.map((h) => (
              <li key={h.id}>
                <time dateTime={h.createdAt} className="text-slate-600">
                  {momentText(h.createdAt, ctx.practice.timeZone)}
                </time>{" "}
                — <strong>{ACTION_LABELS[h.action] ?? h.action}</strong> by {h.userName}
                {historyDetail(h.action, h.details)}
                {h.note ? <span className="text-slate-700"> — “{h.note}”</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function historyDetail(action: string, details: unknown): string {
  const d = (details ?? {}) as {
    added?: unknown[];
    refused?: unknown[];
    until?: string;
    signedOn?: string;
    undoneAction?: string;
    after?: { amountCents?: number };
  };
  switch (action) {
    case "add_kx":
    case "record_abn":
      return `: ${d.added?.length ?? 0} ${d.added?.length === 1 ? "line" : "lines"}${d.refused?.length ? `, ${d.refused.length} refused` : ""}${d.signedOn ? `, ABN signed ${formatDate(d.signedOn)}` : ""}`;
    case "snooze":
      return d.until ? ` until ${formatDate(d.until)}` : "";
    case "undo":
      return d.undoneAction ? ` (${(ACTION_LABELS[d.undoneAction] ?? d.undoneAction).toLowerCase()})` : "";
    case "used_elsewhere":
      return d.after?.amountCents != null ? `: ${usd(d.after.amountCents)}` : "";
    default:
      return "";
  }
}
