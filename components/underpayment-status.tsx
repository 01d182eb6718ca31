"use client";
// The manager's decision on an underpaid line: appealed, recovered or written off (with a
// note), or back to open (undo). Each change is asked for confirmation first, is one audited
// server action, and leaves the row where it is (with its new status, an undo and its history)
// until the page is loaded again: a row that vanished under the pointer could not be undone.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/ui/action-result";
import { momentText } from "@/lib/ui/dates";

type Result = ActionResult<unknown>;
type Status = "OPEN" | "APPEALED" | "RECOVERED" | "WRITTEN_OFF";

export interface HistoryEntry {
  at: string;
  by: string;
  from: Status | null;
  to: Status | null;
  note: string;
}

const WORDS: Record<Status, string> = { OPEN: "open", APPEALED: "appealed", RECOVERED: "recovered", WRITTEN_OFF: "written off" };

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
  status: initialStatus,
  note: initialNote,
  history: initialHistory,
  differenceText,
  timeZone,
  userName,
  action,
  label,
  mayWork,
}: {
  remitLineId: number;
  status: Status;
  note: string | null;
  history: HistoryEntry[];
  /** the line's difference in dollars, as the confirmation says it */
  differenceText: string;
  timeZone: string;
  userName: string;
  action: (input: { remitLineId: number; status: Status; from: Status; note: string }) => Promise<Result>;
  label: string;
  mayWork: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<Status>(initialStatus);
  const [savedNote, setSavedNote] = useState(initialNote ?? "");
  const [history, setHistory] = useState<HistoryEntry[]>(initialHistory);
  const [note, setNote] = useState("");
  const [asking, setAsking] = useState<Status | null>(null);
  const [error, setError] = useState("");
  const [changed, setChanged] = useState(false);
  const run = (to: Status) =>
    startTransition(async () => {
      setError("");
      const from = status;
      const result = await action({ remitLineId, status: to, from, note: to === "OPEN" ? "" : note });
      if (result.ok) {
        setHistory((h) => [...h, { at: new Date().toISOString(), by: userName, from, to, note: to === "OPEN" ? "" : note }]);
        setSavedNote(to === "OPEN" ? "" : note);
        setNote("");
        setStatus(to);
        setChanged(true);
        setAsking(null);
      } else {
        setError(result.error);
        setAsking(null);
      }
    });
  const question = (to: Status) =>
    to === "OPEN"
      ? `Undo: put this line back to open (it was ${WORDS[status]})?`
      : to === "RECOVERED"
        ? `Mark this line recovered? ${differenceText} counts as recovered dollars in the owner's review.`
        : to === "WRITTEN_OFF"
          ? `Write off this line's ${differenceText}? It leaves the open worklist.`
          : `Mark this line appealed (${differenceText})? It stays on the appeal letter until it is recovered or written off.`;
  return (
    <div className="space-y-1 text-xs">
      <span className="badge bg-slate-100 text-slate-800" data-testid="underpayment-status">
        {WORDS[status]}
      </span>
      {changed ? <span className="ml-1 text-slate-600">(just now; the totals update when the page is loaded again)</span> : null}
      {savedNote ? <div className="text-slate-600">{savedNote}</div> : null}
      {mayWork ? (
        asking ? (
          <fieldset aria-label={`Confirm ${label}`} className="rounded border border-amber-300 bg-amber-50 p-1">
            <p>{question(asking)}</p>
            <div className="mt-1 flex flex-wrap gap-1">
              <button type="button" className="btn px-2 py-0.5 text-xs" disabled={pending} onClick={() => run(asking)}>
                {asking === "OPEN" ? "Yes, undo" : `Yes, mark ${WORDS[asking]}`}
              </button>
              <button type="button" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending} onClick={() => setAsking(null)}>
                Cancel
              </button>
            </div>
          </fieldset>
        ) : (
          <div className="flex flex-wrap items-center gap-1">
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
                onClick={() => setAsking(n.status)}
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
                onClick={() => setAsking("OPEN")}
                aria-label={`Undo ${label}`}
              >
                Undo
              </button>
            ) : null}
          </div>
        )
      ) : null}
      {history.length ? (
        <details>
          <summary>History ({history.length})</summary>
          <ol className="ml-4 list-decimal">
            {history.map((h, i) => (
              <li key={i}>
                {momentText(h.at, timeZone)}, {h.by}: {h.from ? WORDS[h.from] : "?"} → {h.to ? WORDS[h.to] : "?"}
                {h.note ? ` (“${h.note}”)` : ""}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {error ? (
        <span role="alert" className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
