"use client";
// Deleting a visit asks first; afterwards the patient page offers to restore it.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteVisitAction } from "@/app/(app)/visits/actions";

export function VisitDeleteButton({ visit }: { visit: { id: number; version: number; externalId: string; lineCount: number } }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  if (!asking) {
    return (
      <button type="button" className="btn-secondary text-red-700" onClick={() => setAsking(true)}>
        Delete visit
      </button>
    );
  }
  return (
    <fieldset
      aria-label="Confirm delete"
      className="flex flex-wrap items-center gap-2 rounded-md border border-red-200 bg-red-50 p-2 text-sm"
    >
      <span>
        Delete visit {visit.externalId} and its {visit.lineCount} line{visit.lineCount === 1 ? "" : "s"}? The patient's threshold totals are
        recomputed; you can restore it from the patient page right after.
      </span>
      <button
        type="button"
        className="btn bg-red-700 hover:bg-red-800"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await deleteVisitAction({ id: visit.id, version: visit.version });
            if (result.ok) router.push(`/patients/${result.data.patientId}?deleted=${result.data.deleteEventId}`);
            else setError(result.error);
          })
        }
      >
        {pending ? "Deleting…" : "Yes, delete"}
      </button>
      <button type="button" className="btn-secondary" disabled={pending} onClick={() => setAsking(false)}>
        Cancel
      </button>
      {error ? (
        <p role="alert" className="field-error w-full">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
