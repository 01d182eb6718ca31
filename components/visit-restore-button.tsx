"use client";
// Undo of a delete: the visit comes back from the audit event that recorded it.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { restoreVisitAction } from "@/app/(app)/visits/actions";

export function VisitRestoreButton({ deleteEventId }: { deleteEventId: string }) {
  const router = useRouter();
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await restoreVisitAction({ deleteEventId });
            if (result.ok) router.push(`/visits/${result.data.id}?restored=1`);
            else setError(result.error);
          })
        }
      >
        {pending ? "Restoring…" : "Restore"}
      </button>
      {error ? (
        <span role="alert" className="field-error ml-2">
          {error}
        </span>
      ) : null}
    </>
  );
}
