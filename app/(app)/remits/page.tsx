import { usd } from "@/lib/ui/money";
import { DataTable } from "@/components/data-table";
import { ImportMessages } from "@/components/import-messages";
import { Pager } from "@/components/pager";
import { pageQuery } from "@/lib/schemas/search-params";
import Link from "@/components/link";

import { UploadForm } from "@/components/upload-form";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { remitImportHistory, remitPayments, unmatchedCounts } from "@/lib/server/remits/queries";
import { dateText, momentText } from "@/lib/ui/dates";
import { importJobStatusInWords, nameInOwnCase } from "@/lib/ui/words";

export const metadata = { title: "Remits · Therapy Revenue" };

export default async function RemitsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext("remits.read");
  const q = pageQuery("/remits", await searchParams);
  const [jobs, payments, unmatched] = [
    await remitImportHistory(ctx.practiceId, q.importsPage ?? 1),
    await remitPayments(ctx.practiceId, q.page ?? 1),
    await unmatchedCounts(ctx.practiceId),
  ];
  const { claims: unmatchedClaims, lines: unmatchedLines } = unmatched;
  const mayImport = can(ctx.role, "remits.import");
  // each list keeps the other's page
  const href = (over: { page?: number; importsPage?: number }) => {
    const p = new URLSearchParams();
    const pages = { page: payments.page, importsPage: jobs.page, ...over };
    if (pages.page > 1) p.set("page", String(pages.page));
    if (pages.importsPage > 1) p.set("importsPage", String(pages.importsPage));
    const s = p.toString();
    return `/remits${s ? `?${s}` : ""}${"importsPage" in over ? "#history-heading" : ""}`;
  };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">Remits</h1>
        <Link href="/underpayments">Underpayments</Link>
        <Link href="/denials">Denials</Link>
        <Link href="/remits/unmatched">
          Unmatched: {unmatchedClaims} claim(s), {unmatchedLines} line(s)
        </Link>
        {mayImport ? (
          <Link href="/remits/new" className="btn-secondary ml-auto">
            Enter a paper EOB
          </Link>
        ) : null}
      </div>

      {mayImport ? (
        <section className="card" aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="mb-2 text-lg font-semibold">
            Import 835 remits
          </h2>
          <p className="mb-2 text-sm text-slate-600">
            X12 835 files from payers or the clearinghouse (several at once). Each file is imported whole or not at all; a file or a payment
            (same payer and trace number) imported before is reported as a duplicate and changes nothing.
          </p>
          <UploadForm url="/api/remits/upload" accept=".835,.txt,.edi,.x12" multiple sendFileAsBody label="835 files" />
        </section>
      ) : null}

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-2 text-lg font-semibold">
          Import history
        </h2>
        <DataTable
          label="835 imports"
          rowCount={jobs.rows.length}
          empty={"No 835 file imported yet."}
          columns={[
            { header: "When" },
            { header: "File" },
            { header: "Status" },
            { header: "Transactions", numeric: true },
            { header: "Claims", numeric: true },
            { header: "Lines", numeric: true },
            { header: "Paid on claims", numeric: true },
            { header: "Matched claims", numeric: true },
            { header: "Warnings / errors" },
          ]}
        >
          {jobs.rows.map((j) => (
            <tr key={j.id}>
              <td className="whitespace-nowrap">{momentText(j.createdAt, ctx.practice.timeZone)}</td>
              <td>{j.fileName}</td>
              <td>{importJobStatusInWords(j.status)}</td>
              <td className="num">{j.counts.transactions ?? ""}</td>
              <td className="num">{j.counts.claims ?? ""}</td>
              <td className="num">{j.counts.serviceLines ?? ""}</td>
              <td className="num">{j.counts.paidCents != null ? usd(j.counts.paidCents) : ""}</td>
              <td className="num">{j.counts.matchedClaims ?? ""}</td>
              <td className="text-xs">
                <ImportMessages errors={j.errors} warnings={j.warnings} limit={20} />
              </td>
            </tr>
          ))}
        </DataTable>
        <Pager
          label="the imports"
          page={jobs.page}
          total={jobs.total}
          noun={["file", "files"]}
          scroll={false}
          href={(n) => href({ importsPage: n })}
        />
      </section>

      <section className="card" aria-labelledby="payments-heading">
        <h2 id="payments-heading" className="mb-2 text-lg font-semibold">
          Payments
        </h2>
        <DataTable
          label="Payments"
          rowCount={payments.rows.length}
          empty={"No payment yet: import an 835 or enter a paper EOB."}
          columns={[
            { header: "Date" },
            { header: "Payer" },
            { header: "Check / EFT" },
            { header: "Source" },
            { header: "Amount", numeric: true },
            { header: "Claims (matched)", numeric: true },
            { header: "Lines (unmatched)", numeric: true },
            { header: "Adjustments to the practice", numeric: true },
            { header: "Warnings" },
          ]}
        >
          {payments.rows.map((p) => (
            <tr key={p.id}>
              <td className="whitespace-nowrap">{dateText(p.paymentDate)}</td>
              <td>{nameInOwnCase(p.payerName)}</td>
              <td>
                <Link href={`/remits/${p.id}`}>{p.traceNumber}</Link>
              </td>
              <td>{p.source === "PAPER_EOB" ? "paper EOB" : `835${p.fileName ? ` · ${p.fileName}` : ""}`}</td>
              <td className="num">{usd(p.paymentCents)}</td>
              <td className="num">
                {p.claims} ({p.matchedClaims})
              </td>
              <td className="num">
                {p.lines} ({p.unmatchedLines})
              </td>
              <td className="num">{p.providerAdjustmentCents ? usd(p.providerAdjustmentCents) : ""}</td>
              <td>{p.warnings ? <span className="badge bg-amber-100 text-amber-800">{p.warnings}</span> : ""}</td>
            </tr>
          ))}
        </DataTable>
        <Pager page={payments.page} total={payments.total} noun={["payment", "payments"]} href={(n) => href({ page: n })} />
      </section>
    </div>
  );
}
