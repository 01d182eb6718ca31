import Link from "@/components/link";
import { EobForm } from "@/components/eob-form";
import { EOB_CLAIM_STATUSES } from "@/lib/schemas/eob";
import { payersOf } from "@/lib/server/contracts";
import { pageContext } from "@/lib/server/core/guard";
import { can } from "@/lib/server/core/permissions";
import { saveEob } from "../actions";

export const metadata = { title: "Enter a paper EOB · Therapy Revenue" };

export default async function NewEobPage() {
  const ctx = await pageContext("remits.import");
  const payers = await payersOf(ctx.practiceId);
  // an administrator enters EOBs but does not read remits: back to the imports, and no remit page after saving
  const readsRemits = can(ctx.role, "remits.read");
  return (
    <div className="space-y-4">
      <p className="text-sm">{readsRemits ? <Link href="/remits">← Remits</Link> : <Link href="/imports">← Import / export</Link>}</p>
      <h1 className="text-2xl font-semibold">Enter a paper EOB</h1>
      <p className="text-sm text-slate-600">
        For payers that send no 835. Each line must balance as on the EOB: charge minus its adjustments equals paid, and the check amount
        equals the lines paid. Leave Allowed empty when the EOB does not print it: it is then paid + patient responsibility (+
        sequestration). Claims are matched to ours by claim number, else by patient and date of service.
      </p>
      <EobForm
        payers={payers.map((p) => ({ id: p.id, name: p.name }))}
        statuses={EOB_CLAIM_STATUSES}
        action={saveEob}
        afterSave={readsRemits ? "remit" : "stay"}
      />
    </div>
  );
}
