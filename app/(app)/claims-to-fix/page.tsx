import { FilterBar } from "@/components/filter-bar";
import Link from "@/components/link";
import { auditRead } from "@/lib/server/core/audit";
import { type ClaimToFixView, ClaimsToFixList } from "@/components/claims-to-fix-list";
import { Pager } from "@/components/pager";
import { LIST_PAGE_SIZE } from "@/lib/ui/paging";
import { CHECK_TYPES, checkLabel, claimsToFix, isCheckType } from "@/lib/server/claims/checks";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { dateText } from "@/lib/ui/dates";
import { pageQuery } from "@/lib/schemas/search-params";

export const metadata = { title: "Claims to fix · Therapy Revenue" };

export default async function ClaimsToFixPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("claims.read");
  const params = pageQuery("/claims-to-fix", await searchParams);
  const type = isCheckType(params.type) ? params.type : undefined;
  const { from, to } = params;
  const page = params.page ?? 1;
  const result = await claimsToFix(ctx.practiceId, { type, from, to, page, pageSize: LIST_PAGE_SIZE });
  await auditRead(ctx, {
    action: "claims.view_to_fix",
    entityType: "Claim",
    details: { type: type ?? null, from: from ?? null, to: to ?? null, page, total: result.total },
    patientIds: result.rows.map((r) => r.patient.id),
  });
  // each distinct label and sentence once in the page's data, each issue as their numbers
  const labels: string[] = [];
  const messages: string[] = [];
  const indexOf = (list: string[], seen: Map<string, number>, text: string) => {
    let index = seen.get(text);
    if (index === undefined) {
      index = list.push(text) - 1;
      seen.set(text, index);
    }
    return index;
  };
  const seenLabels = new Map<string, number>();
  const seenMessages = new Map<string, number>();
  const visits: ClaimToFixView[] = result.rows.map((row) => ({
    visitId: row.visitId,
    visit: `${dateText(row.dateOfService)} · visit ${row.visitExternalId}`,
    patientId: row.patient.id,
    patient: `${row.patient.name} (${row.patient.externalId})`,
    payer: row.payer,
    therapist: row.therapist,
    claim: row.claim ?? "—",
    lines: row.lines.map((l, i) => `${i + 1}: ${l.cpt}${l.modifiers.length ? `-${l.modifiers.join("-")}` : ""}`).join(", "),
    issues: row.issues.map((issue): [number, number, number] => [
      issue.severity === "error" ? 0 : 1,
      indexOf(labels, seenLabels, checkLabel(issue.code)),
      indexOf(messages, seenMessages, issue.message),
    ]),
  }));
  const href = (over: Record<string, string | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries({ type, from, to, ...over })) if (value) search.set(key, value);
    const queryString = search.toString();
    return queryString ? `/claims-to-fix?${queryString}` : "/claims-to-fix";
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Claims to fix</h1>
      <p className="text-sm text-slate-600">
        Every visit's claim checked before it goes out: discipline and assistant modifiers, KX from the patient's threshold totals, NCCI
        pairs ({can(ctx.role, "reference.manage") ? <Link href="/admin/ncci">the practice's pair table</Link> : "the practice's pair table"}
        ), units against the payer's unit method and caps, and telehealth. Most recent first.
      </p>
      <FilterBar action="/claims-to-fix" clearHref={type || from || to ? "/claims-to-fix" : undefined}>
        <div>
          <label className="label" htmlFor="type">
            Check
          </label>
          <select id="type" name="type" defaultValue={type ?? ""} className="input">
            <option value="">Any issue</option>
            {CHECK_TYPES.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label} ({result.countsByType[t.code] ?? 0})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="from">
            From
          </label>
          <input id="from" name="from" type="date" defaultValue={from} className="input" />
        </div>
        <div>
          <label className="label" htmlFor="to">
            To
          </label>
          <input id="to" name="to" type="date" defaultValue={to} className="input" />
        </div>
      </FilterBar>
      <p className="text-sm text-slate-600" aria-live="polite">
        {result.total.toLocaleString("en-US")} of {result.visitsChecked.toLocaleString("en-US")} visits{" "}
        {type ? `with “${checkLabel(type)}”` : "with an issue"}.
      </p>
      {result.rows.length === 0 ? (
        <p className="card text-sm">Nothing to fix here.</p>
      ) : (
        <ClaimsToFixList visits={visits} labels={labels} messages={messages} />
      )}
      <Pager page={page} total={result.total} noun={["visit", "visits"]} href={(n) => href({ page: n > 1 ? String(n) : undefined })} />
    </div>
  );
}
