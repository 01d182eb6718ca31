// The KX alert queue, the biller's landing page: Medicare patients at or past the practice's
// alert level in a year, most urgent first. Filters live in the URL so a view can be shared.
import Link from "@/components/link";
import { KxGauge } from "@/components/kx-gauge";
import { formatCents, formatDate, LEVEL_LABELS, levelBadgeClass, POOL_LABELS } from "@/components/kx-format";
import { pageQuery } from "@/lib/schemas/search-params";
import { KX_LEVEL_VALUES, KX_POOL_VALUES, type KxQueueFilters, kxQueueFiltersSchema } from "@/lib/schemas/kx";
import { auditRead } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { pageContext } from "@/lib/server/guard";
import { LIST_READ_PERMISSION } from "@/lib/server/permissions";
import { type KxQueueRow, kxQueueFilterOptions, kxQueuePage, type VisitsLeft } from "@/lib/server/kx/queue";
import { todayIn } from "@/lib/server/dates";

export const metadata = { title: "KX queue · Therapy Revenue" };

const URGENCY: Record<number, { label: string; cls: string }> = {
  0: { label: "Missing KX", cls: "badge bg-red-600 text-white" },
  1: { label: "Review past $3,000", cls: "badge bg-purple-700 text-white" },
  2: { label: "Approaching KX", cls: "badge bg-amber-100 text-amber-900" },
  3: { label: "Past KX, KX on", cls: "badge bg-slate-100 text-slate-800" },
  4: { label: "Past review, reviewed", cls: "badge bg-slate-100 text-slate-800" },
};

function queryString(filters: KxQueueFilters, change: Partial<Record<keyof KxQueueFilters, string | number | undefined>>): string {
  const merged: Record<string, string | number | undefined> = { ...filters, ...change };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === "") continue;
    if (k === "status" && v === "open") continue;
    if (k === "page" && v === 1) continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

function visitsLeftText(
  v: VisitsLeft | null,
  crossedOn: string | null,
  lastVisitOn: string | null,
  today: string,
  sayLastSeen = true,
): string {
  if (!v) return crossedOn ? `crossed ${formatDate(crossedOn)}` : "crossed";
  if (v.visits === null) return "not enough history";
  const visits = v.visits === 1 ? "next visit" : `${v.visits} visits`;
  // a forecast date already past means the patient has not been seen since: say so instead
  if (v.date && v.date < today) return sayLastSeen ? `${visits} (last seen ${formatDate(lastVisitOn)})` : visits;
  return v.date ? `${visits} (~${formatDate(v.date)})` : visits;
}

export default async function KxQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext(LIST_READ_PERMISSION["kx-queue"]);
  const filters = kxQueueFiltersSchema.parse(pageQuery("/kx", await searchParams));
  const today = todayIn(ctx.practice.timeZone);
  const data = await kxQueuePage(
    db(),
    { practiceId: ctx.practiceId, userId: ctx.userId, alertLevelCents: ctx.practice.alertLevelCents },
    filters,
    today,
  );
  const options = await kxQueueFilterOptions(db(), ctx.practiceId);
  // the list names patients: reading it is part of the audit trail
  await auditRead(ctx, {
    action: "kx.view_queue",
    entityType: "KxQueue",
    details: { year: data.year, status: filters.status, page: filters.page, rows: data.rows.length },
    patientIds: data.rows.map((r) => r.patientId),
  });
  const year = data.year;
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const exportHref = `/kx/export?${new URLSearchParams({ ...(year ? { year: String(year) } : {}), format: "csv" }).toString()}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">KX queue {year ?? ""}</h1>
          <p className="text-sm text-slate-600">
            Medicare patients at or past the alert level ({formatCents(ctx.practice.alertLevelCents)}), per pool: most urgent first, then by
            total.
          </p>
        </div>
        <a className="btn-secondary" href={exportHref} download>
          Download CSV
        </a>
      </div>

      <form method="get" action="/kx" className="card flex flex-wrap items-end gap-3" aria-label="Filters">
        <div>
          <label className="label" htmlFor="f-year">
            Year
          </label>
          <select id="f-year" name="year" className="input" defaultValue={year ?? ""}>
            {data.years.length === 0 ? <option value="">—</option> : null}
            {[...data.years].reverse().map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-status">
            Status
          </label>
          <select id="f-status" name="status" className="input" defaultValue={filters.status}>
            <option value="open">Open</option>
            <option value="snoozed">Snoozed</option>
            <option value="resolved">Resolved</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-pool">
            Pool
          </label>
          <select id="f-pool" name="pool" className="input" defaultValue={filters.pool ?? ""}>
            <option value="">Both</option>
            {KX_POOL_VALUES.map((p) => (
              <option key={p} value={p}>
                {POOL_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-level">
            Level
          </label>
          <select id="f-level" name="level" className="input" defaultValue={filters.level ?? ""}>
            <option value="">Any</option>
            {KX_LEVEL_VALUES.map((l) => (
              <option key={l} value={l}>
                {LEVEL_LABELS[l]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-clinic">
            Clinic
          </label>
          <select id="f-clinic" name="clinic" className="input" defaultValue={filters.clinic ?? ""}>
            <option value="">All</option>
            {options.clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-therapist">
            Therapist
          </label>
          <select id="f-therapist" name="therapist" className="input" defaultValue={filters.therapist ?? ""}>
            <option value="">All</option>
            {options.therapists.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.credential})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="f-assignee">
            Assignee
          </label>
          <select
            id="f-assignee"
            name="assignee"
            className="input"
            defaultValue={filters.assignee === undefined ? "" : String(filters.assignee)}
          >
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="unassigned">Unassigned</option>
            {options.billers
              .filter((b) => b.userId !== ctx.userId)
              .map((b) => (
                <option key={b.userId} value={b.userId}>
                  {b.name}
                </option>
              ))}
          </select>
        </div>
        <button type="submit" className="btn">
          Apply
        </button>
        <Link href="/kx" className="text-sm">
          Clear
        </Link>
      </form>

      <p className="text-sm text-slate-700" role="status">
        {data.total === 0
          ? "No patient matches these filters."
          : `${data.total} ${data.total === 1 ? "patient pool" : "patient pools"}${pages > 1 ? ` · page ${data.page} of ${pages}` : ""}`}
        {!data.levels && year ? ` No thresholds are loaded for ${year}.` : ""}
      </p>

      {data.rows.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="data" aria-label={`KX queue ${year ?? ""}`}>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Pool</th>
                <th scope="col">Why</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Against the levels</th>
                <th scope="col">Visits left before KX</th>
                <th scope="col">Before review</th>
                <th scope="col" className="num">
                  Missing KX
                </th>
                <th scope="col">Assignee</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <QueueRow key={r.itemId} row={r} levels={data.levels} today={today} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {pages > 1 ? (
        <nav aria-label="Pages" className="flex gap-3 text-sm">
          {data.page > 1 ? (
            <Link href={`/kx${queryString({ ...filters, year: year ?? undefined }, { page: data.page - 1 })}`}>← Previous</Link>
          ) : null}
          {data.page < pages ? (
            <Link href={`/kx${queryString({ ...filters, year: year ?? undefined }, { page: data.page + 1 })}`}>Next →</Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

function QueueRow({
  row: r,
  levels,
  today,
}: {
  row: KxQueueRow;
  levels: { alertCents: number; kxCents: number; reviewCents: number } | null;
  today: string;
}) {
  const urgency = URGENCY[r.urgency];
  const href = `/patients/${r.patientId}/threshold?year=${r.year}&pool=${r.pool}`;
  return (
    <tr data-urgency={r.urgency}>
      <td>
        <Link href={href} prefetch={false}>
          {r.patientName}
        </Link>{" "}
        <span className="text-xs text-slate-500">{r.patientExternalId}</span>
      </td>
      <td>{POOL_LABELS[r.pool]}</td>
      <td>
        {urgency ? <span className={urgency.cls}>{urgency.label}</span> : null}{" "}
        <span className={levelBadgeClass(r.level)}>{LEVEL_LABELS[r.level]}</span>
      </td>
      <td className="num">
        {formatCents(r.totalCents)}
        <br />
        <span className="text-xs text-slate-500">{r.estimated ? "estimated" : "confirmed"}</span>
      </td>
      <td>
        {levels ? (
          <KxGauge
            totalCents={r.totalCents}
            alertCents={levels.alertCents}
            kxCents={levels.kxCents}
            reviewCents={levels.reviewCents}
            estimated={r.estimated}
          />
        ) : null}
      </td>
      <td>{visitsLeftText(r.visitsLeft.kx, r.kxCrossedOn, r.lastVisitOn, today)}</td>
      <td>{visitsLeftText(r.visitsLeft.review, r.reviewCrossedOn, r.lastVisitOn, today, !r.visitsLeft.kx)}</td>
      <td className="num">
        {r.linesMissingKx > 0 ? <strong className="text-red-800">{r.linesMissingKx}</strong> : "0"}
        {r.linesToRebill > 0 ? <div className="text-xs font-normal text-red-800">{r.linesToRebill} denied: rebill with KX</div> : null}
      </td>
      <td>{r.assigneeName ?? <span className="text-slate-500">—</span>}</td>
      <td>
        {r.status === "SNOOZED" && r.snoozedUntil && r.snoozedUntil > today
          ? `snoozed until ${formatDate(r.snoozedUntil)}`
          : r.status.toLowerCase()}
        {r.level === "review" ? (
          <div className="text-xs text-slate-600">{r.docReviewedAt ? "doc reviewed" : "doc not reviewed"}</div>
        ) : null}
      </td>
    </tr>
  );
}
