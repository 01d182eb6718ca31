import { dollarsField } from "@/lib/ui/money";
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { ContractForm } from "@/components/contract-form";
import { contractDetail, payersOf } from "@/lib/server/contracts";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { dateText } from "@/lib/ui/dates";
import { saveContractAction } from "../actions";

export const metadata = { title: "Contract · Therapy Revenue" };

export default async function ContractPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext("contracts.read");
  const { id } = await params;
  const contract = await contractDetail(ctx.practiceId, Number(id));
  if (!contract) notFound();
  const mayWrite = can(ctx.role, "contracts.write");
  const payers = (await payersOf(ctx.practiceId)).filter((p) => p.kind !== "medicare");
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/contracts">← Contracts</Link>
      </p>
      <h1 className="text-2xl font-semibold">
        {contract.payer}: {dateText(contract.effectiveFrom)} to {contract.effectiveTo ? dateText(contract.effectiveTo) : "open-ended"}
      </h1>
      <section className="card" aria-labelledby="terms-heading">
        <h2 id="terms-heading" className="mb-2 text-lg font-semibold">
          Terms
        </h2>
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {contract.rates.map((r) => (
            <li key={`${r.cpt}|${r.modifier}`}>{r.description}</li>
          ))}
        </ul>
      </section>
      {mayWrite ? (
        <section className="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading" className="mb-2 text-lg font-semibold">
            Edit
          </h2>
          <ContractForm
            payers={payers.map((p) => ({ id: p.id, name: p.name }))}
            action={saveContractAction}
            initial={{
              contractId: contract.id,
              payerId: String(contract.payerId),
              effective_from: contract.effectiveFrom,
              effective_to: contract.effectiveTo ?? "",
              unit_method: contract.unitMethod,
              multiple_procedure_rule: contract.multipleProcedureRule,
              rates: contract.rates.map((r) => ({
                cpt: r.cpt,
                modifier: r.modifier,
                rate_per_unit: dollarsField(r.ratePerUnitCents),
                percent_of_medicare: r.percentOfMedicare ?? "",
                medicare_year: r.medicareYear?.toString() ?? "",
                locality: r.locality ?? "",
                max_units_per_visit: r.maxUnitsPerVisit?.toString() ?? "",
                lesser_of_charge: r.lesserOfCharge,
              })),
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
