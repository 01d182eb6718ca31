import Link from "@/components/link";
import { ActionForm, ConfirmButton, FieldError } from "@/components/forms";
import { pageContext } from "@/lib/server/core/guard";
import { listNcciPairs } from "@/lib/server/reference/ncci";
import { addDefaultNcciPairsAction, addNcciPairAction, removeNcciPairAction } from "./actions";

export const metadata = { title: "NCCI pairs · Therapy Revenue" };

export default async function NcciPairsPage() {
  const ctx = await pageContext("reference.manage");
  const pairs = await listNcciPairs(ctx.practiceId);
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/admin/reference">Fee schedule</Link> › NCCI pairs
      </nav>
      <h1 className="text-2xl font-semibold">NCCI pairs</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Procedure pairs that are not paid together unless one line carries 59, XE, XS, XP or XU with distinct, documented time. The claim
        checks read this table; CMS publishes the full edits quarterly. A change shows on the next check, on every visit.
      </p>
      <section className="card space-y-3" aria-labelledby="add-heading">
        <h2 id="add-heading" className="text-lg font-semibold">
          Add a pair
        </h2>
        <ActionForm
          action={addNcciPairAction}
          submitLabel="Add pair"
          successMessage="Pair added"
          resetOnSuccess
          className="grid grid-cols-1 gap-3 md:grid-cols-4 md:items-end"
        >
          <div>
            <label className="label" htmlFor="ncci-column1">
              Column 1 code
            </label>
            <input id="ncci-column1" name="column1" className="input w-full" placeholder="97161" required />
            <FieldError name="column1" />
          </div>
          <div>
            <label className="label" htmlFor="ncci-column2">
              Column 2 code
            </label>
            <input id="ncci-column2" name="column2" className="input w-full" placeholder="97140" required />
            <FieldError name="column2" />
          </div>
          <div>
            <label className="label" htmlFor="ncci-note">
              Note
            </label>
            <input id="ncci-note" name="note" className="input w-full" placeholder="e.g. PT evaluation with manual therapy" />
            <FieldError name="note" />
          </div>
        </ActionForm>
      </section>
      <section className="card space-y-3" aria-labelledby="pairs-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="pairs-heading" className="text-lg font-semibold">
            The practice's pairs ({pairs.length})
          </h2>
          <ConfirmButton action={addDefaultNcciPairsAction} input={{}} label="Add the rule book's pairs" />
        </div>
        {pairs.length === 0 ? (
          <p className="text-sm text-slate-600">No pairs: the NCCI check finds nothing until pairs are added.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>Column 1</th>
                <th>Column 2</th>
                <th>Note</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((p) => (
                <tr key={p.id}>
                  <td>{p.column1}</td>
                  <td>{p.column2}</td>
                  <td>{p.note || "—"}</td>
                  <td>
                    <ConfirmButton
                      action={removeNcciPairAction}
                      input={{ id: p.id }}
                      label="Remove"
                      confirm={`Remove ${p.column1} with ${p.column2}? Claims with both codes will no longer be flagged.`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
