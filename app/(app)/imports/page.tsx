import { DataTable } from "@/components/data-table";
import { Pager } from "@/components/pager";
import { pageQuery } from "@/lib/schemas/search-params";
import { UploadForm } from "@/components/upload-form";
import { pageContext } from "@/lib/server/core/guard";
import { recentImportJobs } from "@/lib/server/imports";
import { momentText } from "@/lib/ui/dates";
import { countsInWords, importJobStatusInWords, importKindInWords } from "@/lib/ui/words";
import { can, IMPORT_WRITE_PERMISSION, LIST_READ_PERMISSION } from "@/lib/server/core/permissions";

export const metadata = { title: "Import / export · Therapy Revenue" };

const UPLOADS = [
  { kind: "visits", label: "visits.csv" },
  { kind: "usage", label: "usage.csv (amounts used elsewhere)" },
  { kind: "contracts", label: "contracts.csv" },
] as const;

const EXPORTS = [
  { kind: "visits", label: "Visits (with units supported and expected allowed)" },
  { kind: "kx-queue", label: "KX queue" },
  { kind: "underpayments", label: "Underpayments" },
  { kind: "undercoding", label: "Undercoding candidates" },
] as const;

export default async function ImportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("data.import");
  const page = pageQuery("/imports", await searchParams).page ?? 1;
  const jobs = await recentImportJobs(ctx.practiceId, page);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Import / export</h1>
      <p className="text-sm text-slate-600">
        Files in the formats described in the documentation (CSV, UTF-8, header row). A file with any bad row is rejected whole, with the
        row and column of each problem; importing the same file twice changes nothing.
      </p>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        {/* each kind only for a role that may write it (its form's permission) */}
        {UPLOADS.filter((u) => can(ctx.role, IMPORT_WRITE_PERMISSION[u.kind])).map((u) => (
          <section key={u.kind} className="card">
            <UploadForm url={`/api/imports/${u.kind}`} accept=".csv,text/csv" label={u.label} />
          </section>
        ))}
      </div>
      <section className="card">
        <h2 className="mb-2 text-lg font-semibold">Exports</h2>
        <ul className="space-y-1 text-sm">
          {EXPORTS.filter((e) => can(ctx.role, LIST_READ_PERMISSION[e.kind])).map((e) => (
            <li key={e.kind}>
              {e.label}: <a href={`/api/exports/${e.kind}?format=csv`}>CSV</a> · <a href={`/api/exports/${e.kind}?format=json`}>JSON</a>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2 id="history" className="mb-2 text-lg font-semibold">
          Import history
        </h2>
        <DataTable
          label="Import history"
          rowCount={jobs.rows.length}
          empty={"No file imported yet."}
          columns={[
            { header: "When" },
            { header: "Kind" },
            { header: "File" },
            { header: "Status" },
            { header: "Counts" },
            { header: "Problems" },
          ]}
        >
          {jobs.rows.map((j) => (
            <tr key={j.id}>
              <td>{momentText(j.createdAt, ctx.practice.timeZone)}</td>
              <td>{importKindInWords(j.kind)}</td>
              <td>{j.fileName}</td>
              <td>{importJobStatusInWords(j.status)}</td>
              <td className="text-xs">{countsInWords(j.counts as Record<string, unknown> | null)}</td>
              <td className="text-xs">
                {Array.isArray(j.errors) && j.errors.length
                  ? `${j.errors.length} error(s), first: ${(j.errors[0] as { where: string; message: string }).where}: ${(j.errors[0] as { message: string }).message}`
                  : ""}
                {Array.isArray(j.warnings) && j.warnings.length ? ` ${j.warnings.length} warning(s)` : ""}
              </td>
            </tr>
          ))}
        </DataTable>
        <Pager page={page} total={jobs.total} noun={["import", "imports"]} href={(n) => `/imports${n > 1 ? `?page=${n}` : ""}#history`} />
      </section>
    </div>
  );
}
