import Link from "@/components/link";
import { ContractForm } from "@/components/contract-form";
import { UploadForm } from "@/components/upload-form";
import { contractList, payersOf } from "@/lib/server/contracts";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { dateText } from "@/lib/ui/dates";
import { todayInZone } from "@/lib/server/underpayments/weeks";
import { saveContractAction } from "./actions";

export const metadata = { title: "Contracts · Therapy Revenue" };

const RULES: Record<string, string> = { medicare_pe_50: "Medicare MPPR", whole_50: "later codes 50%", none: "none" };

export default async function ContractsPage() {
  const ctx = await pageContext("contracts.read");
  const contracts = await contractList(ctx.practiceId, todayInZone(ctx.practice.timeZone));
  const payers = (await payersOf(ctx.practiceId)).filter((p) => p.kind !== "medicare");
  const mayWrite = can(ctx.role, "contracts.write");
  const mayUpload = mayWrite && can(ctx.role, "data.import");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Contracts</h1>
      <p className="text-sm text-slate-600">
        What each commercial payer should allow, period by period: the one in force on a date of service prices the line. Medicare is priced
        from the fee schedule at the practice's locality. Saving a contract re-prices the payer's visits and compares its remits again.
      </p>
      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading" className="mb-2 text-lg font-semibold">
          Contracts on file
        </h2>
        {contracts.length === 0 ? (
          <p className="text-sm text-slate-600">No contract yet.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>Payer</th>
                <th>Effective</th>
                <th>Units</th>
                <th>Multiple procedures</th>
                <th className="num">Codes</th>
                <th>
                  <span className="sr-only">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {contracts.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/contracts/${c.id}`}>{c.payer}</Link>
                  </td>
                  <td>
                    {dateText(c.effectiveFrom)} to {c.effectiveTo ? dateText(c.effectiveTo) : "open-ended"}
                  </td>
                  <td>{c.unitMethod === "cms" ? "CMS 8-minute" : "per code"}</td>
                  <td>{RULES[c.multipleProcedureRule]}</td>
                  <td className="num">{c.rates}</td>
                  <td>{c.inForce ? <span className="badge bg-green-100 text-green-800">in force</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {mayWrite ? (
        <section className="card" aria-labelledby="new-heading">
          <h2 id="new-heading" className="mb-2 text-lg font-semibold">
            New contract
          </h2>
          {payers.length === 0 ? (
            <p className="text-sm text-slate-600">Payers come with the visits: import visits first.</p>
          ) : (
            <ContractForm payers={payers.map((p) => ({ id: p.id, name: p.name }))} action={saveContractAction} />
          )}
        </section>
      ) : null}
      {mayUpload ? (
        <section className="card" aria-labelledby="csv-heading">
          <h2 id="csv-heading" className="mb-2 text-lg font-semibold">
            Import contracts.csv
          </h2>
          <UploadForm url="/api/imports/contracts" accept=".csv,text/csv" label="contracts.csv (one row per code per contract period)" />
        </section>
      ) : null}
    </div>
  );
}
