import { DataTable } from "@/components/data-table";
import Link from "@/components/link";
import { ReferenceUpload } from "@/components/reference-upload";
import { pageContext } from "@/lib/server/core/guard";
import { referenceSummary } from "@/lib/server/reference/summary";
import { momentText } from "@/lib/ui/dates";
import { countsInWords, importJobStatusInWords, importKindInWords, nameInOwnCase } from "@/lib/ui/words";

export const metadata = { title: "Fee schedule · Therapy Revenue" };

export default async function ReferenceDataPage() {
  const ctx = await pageContext("reference.manage");
  const summary = await referenceSummary(ctx.practiceId);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Fee schedule and GPCIs</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Medicare lines are priced from these CMS tables at the practice's locality ({summary.locality}); percent-of-Medicare contracts use
        them too. Load a newer file when CMS publishes one: nothing changes until you have seen the preview and applied it, and then every
        visit is re-priced. The <Link href="/admin/ncci">NCCI pair table</Link> used by the claim checks is edited on its own page.
      </p>
      <div className="grid gap-6 md:grid-cols-2">
        <section className="card" aria-labelledby="fees-heading">
          <h2 id="fees-heading" className="mb-2 text-lg font-semibold">
            Fee schedule (relative values)
          </h2>
          {summary.feeScheduleYears.length === 0 ? (
            <p className="text-sm text-slate-600">None loaded: Medicare lines show "no fee schedule".</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>Year</th>
                  <th className="num">Codes</th>
                  <th className="num">Conversion factor</th>
                </tr>
              </thead>
              <tbody>
                {summary.feeScheduleYears.map((y) => (
                  <tr key={y.year}>
                    <td>{y.year}</td>
                    <td className="num">{y.rows}</td>
                    <td className="num">${y.conversionFactor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="gpci-heading">
          <h2 id="gpci-heading" className="mb-2 text-lg font-semibold">
            GPCIs
          </h2>
          {summary.gpciYears.length === 0 ? (
            <p className="text-sm text-slate-600">None loaded.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>Year</th>
                  <th className="num">Localities</th>
                  <th>{summary.locality} (work / PE / MP)</th>
                </tr>
              </thead>
              <tbody>
                {summary.gpciYears.map((y) => (
                  <tr key={y.year}>
                    <td>{y.year}</td>
                    <td className="num">{y.localities}</td>
                    <td>
                      {y.own ? (
                        `${nameInOwnCase(y.own.name)}: ${y.own.work} / ${y.own.pe} / ${y.own.mp}`
                      ) : (
                        <span className="field-error">missing</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section className="card space-y-3" aria-labelledby="upload-heading">
        <h2 id="upload-heading" className="text-lg font-semibold">
          Load a newer file
        </h2>
        <p className="text-sm text-slate-600">
          CMS&apos;s files as downloaded: the relative value units of the RVU zip (CSV), the GPCI file, the practitioner MUE table and the
          practitioner NCCI procedure-to-procedure edits (TXT or CSV), CMS&apos;s therapy code list (which codes are always or sometimes
          therapy: they count toward the KX threshold and need GP, GO or GN), or a fee schedule laid out as the shipped one. Only therapy
          codes are loaded.
        </p>
        <details className="text-sm text-slate-600" data-technical>
          <summary className="cursor-pointer">Technical details: the files and their columns</summary>
          <p className="mt-1">
            The RVU file is PPRRVU (CSV). The fee schedule&apos;s columns: year, hcpcs, modifier, status, work_rvu, nonfacility_pe_rvu,
            facility_pe_rvu, mp_rvu, mult_proc_indicator, conversion_factor; nonfacility_total, facility_total and global_days may be
            present. The GPCI file&apos;s: year, mac, state, locality, locality_name, work_gpci, pe_gpci, mp_gpci.
          </p>
        </details>
        <ReferenceUpload />
      </section>
      <section className="card" aria-labelledby="uploads-heading">
        <h2 id="uploads-heading" className="mb-2 text-lg font-semibold">
          Recent uploads
        </h2>
        <DataTable
          label="Recent uploads"
          rowCount={summary.uploads.length}
          empty="None yet: the practice uses the CMS 2026 tables shipped with the app."
          columns={[{ header: "When" }, { header: "Kind" }, { header: "File" }, { header: "Status" }, { header: "Counts" }]}
        >
          {summary.uploads.map((u) => (
            <tr key={u.id}>
              <td>{momentText(u.createdAt, ctx.practice.timeZone)}</td>
              <td>{importKindInWords(u.kind)}</td>
              <td>{u.fileName}</td>
              <td>{importJobStatusInWords(u.status)}</td>
              <td>{countsInWords(u.counts)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
