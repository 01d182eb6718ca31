import { DataTable } from "@/components/data-table";
import { Pager } from "@/components/pager";
import Link from "@/components/link";
import { auditRead } from "@/lib/server/core/audit";
import { pageQuery } from "@/lib/schemas/search-params";
import { pageContext } from "@/lib/server/core/guard";
import { searchPatients } from "@/lib/server/visits/queries";
import { dateText } from "@/lib/ui/dates";

export const metadata = { title: "Patients · Therapy Revenue" };

export default async function PatientsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("patients.read");
  const params = pageQuery("/patients", await searchParams);
  const searchText = params.q?.trim() ?? "";
  const page = params.page ?? 1;
  const { total, rows } = await searchPatients(ctx.practiceId, searchText, page);
  await auditRead(ctx, {
    action: "patient.search",
    entityType: "Patient",
    details: { q: searchText, page, total },
    patientIds: rows.map((p) => p.id),
  });
  const href = (p: number) =>
    `/patients?${new URLSearchParams({ ...(searchText ? { q: searchText } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Patients</h1>
      <search>
        <form method="get" action="/patients" className="flex flex-wrap items-end gap-2">
          <div>
            <label className="label" htmlFor="patient-search">
              Search by name, patient ID, date of birth or member ID
            </label>
            <input
              id="patient-search"
              name="q"
              type="search"
              defaultValue={searchText}
              className="input w-full max-w-xs"
              placeholder="e.g. Garcia, P12 or 3/2/1948"
            />
          </div>
          <button type="submit" className="btn">
            Search
          </button>
          {searchText ? (
            <Link href="/patients" className="btn-secondary">
              Clear
            </Link>
          ) : null}
        </form>
      </search>
      <section className="card overflow-x-auto">
        <p className="mb-2 text-sm text-slate-600" aria-live="polite">
          {total === 0
            ? ""
            : `${total.toLocaleString("en-US")} patient${total === 1 ? "" : "s"}${searchText ? ` matching “${searchText}”` : ""}`}
        </p>
        <DataTable
          label="Patients"
          rowCount={rows.length}
          empty={searchText ? `No patient matches “${searchText}”.` : "No patients yet: import visits first."}
          columns={[
            { header: "Patient" },
            { header: "Patient ID" },
            { header: "Birth date" },
            { header: "Payer" },
            { header: "Visits", numeric: true },
            { header: "Last visit" },
          ]}
        >
          {rows.map((p) => (
            <tr key={p.id}>
              <td>
                <Link href={`/patients/${p.id}`}>{p.name}</Link>
              </td>
              <td>{p.externalId}</td>
              <td>{dateText(p.birthDate)}</td>
              <td>{p.payers.join(", ") || "—"}</td>
              <td className="num">{p.visitCount}</td>
              <td>{dateText(p.lastVisit) || "—"}</td>
            </tr>
          ))}
        </DataTable>

        <Pager page={page} total={total} noun={["patient", "patients"]} href={href} />
      </section>
    </div>
  );
}
