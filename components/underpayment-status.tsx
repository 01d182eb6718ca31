"use client";
// The manager's decision on an underpaid line: appealed, recovered or written off (with a
// note), or back to open (undo). Each is one audited server action.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

type Result = { ok: true; data: unknown } | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };
type Status = "OPEN" | "APPEALED" | "RECOVERED" | "WRITTEN_OFF";

const NEXT: Record<Status, { status: Status; label: string }[]> = {
  OPEN: [
    { status: "APPEALED", label: "Appealed" },
    { status: "RECOVERED", label: "Recovered" },
    { status: "WRITTEN_OFF", label: "Written off" },
  ],
  APPEALED: [
    { status: "RECOVERED", label: "Recovered" },
    { status: "WRITTEN_OFF", label: "Written off" },
  ],
  RECOVERED: [],
  WRITTEN_OFF: [],
};

export function UnderpaymentStatusControl({
  remitLineId,
  status,
  action,
  label,
}: {
  remitLineId: number;
  status: Status;
  action: (input: { remitLineId: number; status: Status; from: Status; note: string }) => Promise<Result>;
  label: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const run = (to: Status) =>
    startTransition(async () => {
      setError("");
      const result = await action({ remitLineId, status: to, from: status, note });
      if (result.ok) {
        setNote("");
        router.refresh();
      } else setError(result.error);
    });
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs">
      {NEXT[status].length ? (
        <input
          aria-label={`Note for ${label}`}
          className="input w-32 text-xs"
          placeholder="note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
        />
      ) : null}
      {NEXT[status].map((n) => (
        <button
          key={n.status}
          type="button"
          className="btn-secondary px-2 py-0.5 text-xs"
          disabled={pending}
          onClick={() => run(n.status)}
          aria-label={`Mark ${label} ${n.label.toLowerCase()}`}
        >
          {n.label}
        </button>
      ))}
      {status !== "OPEN" ? (
        <button
          type="button"
          className="btn-secondary px-2 py-0.5 text-xs"
          disabled={pending}
          onClick={() => run("OPEN")}
          aria-label={`Reopen ${label}`}
        >
          Undo (reopen)
        </button>
      ) : null}
      {error ? (
        <span role="alert" className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
