"use client";
// The biller's actions on one queue item. Each sends the version of the item this page
// showed; when someone else changed it first the server refuses with a conflict and the
// page offers to reload. Server actions are passed in by the page.
import { FieldMessages } from "./forms";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/ui/action-result";
import { formatDate } from "./kx-format";

type ItemRef = { itemId: number; version: number };
type LineRef = { lineId: number; dateOfService: string; visit: string; cpt: string };
type LineResult = { changed: LineRef[]; refused: (LineRef & { reason: string })[]; version: number };
type Action<I, R = unknown> = (input: I) => Promise<ActionResult<R>>;

export interface KxItemActionsProps {
  item: {
    id: number;
    version: number;
    status: "OPEN" | "SNOOZED" | "RESOLVED";
    level: string;
    linesMissingKx: number;
    assigneeId: number | null;
    snoozedUntil: string | null;
    docReviewedAt: string | null;
  };
  /** the history entry an undo would reverse, when there is one */
  undoable: { action: string; label: string } | null;
  billers: { userId: number; name: string }[];
  currentUserId: number;
  today: string;
  /** the section's heading ("What to do" on the patient page) */
  heading?: string;
  actions: {
    addKx: Action<ItemRef, LineResult>;
    recordAbn: Action<ItemRef & { signedOn: string; note?: string }, LineResult>;
    markDocReviewed: Action<ItemRef & { note: string }>;
    assign: Action<ItemRef & { assignee: "me" | "none" | number }>;
    snooze: Action<ItemRef & { until: string; note?: string }>;
    resolve: Action<ItemRef & { note?: string }>;
    reopen: Action<ItemRef & { note?: string }>;
    undo: Action<ItemRef, { undone: string; skipped: LineRef[] }>;
  };
}

function lineList(lines: LineRef[]): string {
  return lines.map((l) => `${formatDate(l.dateOfService)} ${l.cpt}`).join(", ");
}

export function KxItemActions({ item, undoable, billers, currentUserId, today, heading = "What to do", actions }: KxItemActionsProps) {
  const router = useRouter();
  // several items' actions can share a page (the queue): every id is the component's own
  const uid = useId();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; conflict: boolean; fields?: Record<string, string[]> } | null>(null);
  const [refused, setRefused] = useState<(LineRef & { reason: string })[]>([]);
  const [abnDate, setAbnDate] = useState(today);
  const [abnNote, setAbnNote] = useState("");
  const [reviewNote, setReviewNote] = useState("");
  const [snoozeUntil, setSnoozeUntil] = useState("");
  const [assignee, setAssignee] = useState<string>(item.assigneeId ? String(item.assigneeId) : "none");
  const ref = { itemId: item.id, version: item.version };

  function run<R>(call: () => Promise<ActionResult<R>>, done: (data: R) => string) {
    setMessage(null);
    setError(null);
    setRefused([]);
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        setMessage(done(result.data));
        const withLines = result.data as unknown as Partial<LineResult>;
        if (withLines?.refused?.length) setRefused(withLines.refused);
        router.refresh();
      } else {
        setError({ text: result.error, conflict: result.status === 409, fields: result.fieldErrors });
      }
    });
  }

  const fieldError = (name: string) => <FieldMessages id={`${uid}-${name}-error`} messages={error?.fields?.[name]} />;

  return (
    <section aria-labelledby={`${uid}-actions-heading`} className="card space-y-4">
      <h2 id={`${uid}-actions-heading`} className="text-base font-semibold">
        {heading}
      </h2>

      <div aria-live="polite" className="space-y-2">
        {message ? (
          <p role="status" className="rounded bg-green-50 px-2 py-1 text-sm text-green-900">
            {message}
          </p>
        ) : null}
        {refused.length ? (
          <div className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-900">
            <p className="font-medium">Refused on {refused.length === 1 ? "1 line" : `${refused.length} lines`}:</p>
            <ul className="list-disc pl-5">
              {refused.map((r) => (
                <li key={r.lineId}>
                  {formatDate(r.dateOfService)} {r.cpt} (visit {r.visit}): {r.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {error ? (
          <div role="alert" className="rounded bg-red-50 px-2 py-1 text-sm text-red-900">
            {error.text}{" "}
            {error.conflict ? (
              <button type="button" className="btn-secondary ml-2" onClick={() => router.refresh()}>
                Reload
              </button>
            ) : null}
          </div>
        ) : null}
      </div>

      <div className="flex flex-wrap items-center gap-2">
        {item.linesMissingKx > 0 ? (
          <button
            type="button"
            className="btn"
            disabled={pending}
            onClick={() =>
              run(
                () => actions.addKx(ref),
                (d) => `KX added to ${d.changed.length === 1 ? "1 line" : `${d.changed.length} lines`}: ${lineList(d.changed)}.`,
              )
            }
          >
            Add KX to {item.linesMissingKx === 1 ? "1 line" : `${item.linesMissingKx} lines`}
          </button>
        ) : null}
        {item.status !== "RESOLVED" ? (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            onClick={() =>
              run(
                () => actions.resolve(ref),
                () => "Resolved.",
              )
            }
          >
            Resolve
          </button>
        ) : null}
        {item.status !== "OPEN" ? (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            onClick={() =>
              run(
                () => actions.reopen(ref),
                () => "Reopened.",
              )
            }
          >
            Reopen
          </button>
        ) : null}
        {undoable ? (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            onClick={() =>
              run(
                () => actions.undo(ref),
                (d) =>
                  `Undone: ${undoable.label.toLowerCase()}.${d.skipped.length ? ` Lines changed since were left as they are: ${lineList(d.skipped)}.` : ""}`,
              )
            }
          >
            Undo: {undoable.label}
          </button>
        ) : null}
      </div>

      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const value: "me" | "none" | number = assignee === "none" ? "none" : Number(assignee) === currentUserId ? "me" : Number(assignee);
          run(
            () => actions.assign({ ...ref, assignee: value }),
            () => (value === "none" ? "Unassigned." : "Assigned."),
          );
        }}
      >
        <div>
          <label className="label" htmlFor={`${uid}-assignee`}>
            Assigned to
          </label>
          <select
            id={`${uid}-assignee`}
            className="input"
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
            aria-describedby={`${uid}-assignee-error`}
          >
            <option value="none">Nobody</option>
            {billers.map((b) => (
              <option key={b.userId} value={String(b.userId)}>
                {b.userId === currentUserId ? `Me (${b.name})` : b.name}
              </option>
            ))}
          </select>
          {fieldError("assignee")}
        </div>
        <button type="submit" className="btn-secondary" disabled={pending}>
          Assign
        </button>
      </form>

      {item.level === "review" ? (
        <form
          className="space-y-1"
          onSubmit={(event) => {
            event.preventDefault();
            run(
              () => actions.markDocReviewed({ ...ref, note: reviewNote }),
              () => "Documentation review recorded.",
            );
          }}
        >
          <label className="label" htmlFor={`${uid}-review-note`}>
            Documentation review past $3,000 {item.docReviewedAt ? `(last reviewed ${formatDate(item.docReviewedAt)})` : ""}
          </label>
          <textarea
            id={`${uid}-review-note`}
            className="input w-full"
            rows={2}
            value={reviewNote}
            onChange={(e) => setReviewNote(e.target.value)}
            placeholder="What shows measurable progress (e.g. re-evaluation 4/2: gait speed 0.6 → 0.8 m/s)"
            aria-describedby={`${uid}-note-error`}
          />
          {fieldError("note")}
          <button type="submit" className="btn-secondary" disabled={pending}>
            Mark documentation reviewed
          </button>
        </form>
      ) : null}

      {item.linesMissingKx > 0 ? (
        <details>
          <summary className="cursor-pointer text-sm font-medium">The patient signed an ABN: put GA instead of KX</summary>
          <form
            className="mt-2 flex flex-wrap items-end gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              run(
                () => actions.recordAbn({ ...ref, signedOn: abnDate, note: abnNote || undefined }),
                (d) => `GA added to ${d.changed.length === 1 ? "1 line" : `${d.changed.length} lines`}: ${lineList(d.changed)}.`,
              );
            }}
          >
            <div>
              <label className="label" htmlFor={`${uid}-abn-date`}>
                ABN signed on
              </label>
              <input
                id={`${uid}-abn-date`}
                type="date"
                className="input"
                value={abnDate}
                onChange={(e) => setAbnDate(e.target.value)}
                required
                aria-describedby={`${uid}-signedOn-error`}
              />
              {fieldError("signedOn")}
            </div>
            <div className="grow">
              <label className="label" htmlFor={`${uid}-abn-note`}>
                Note
              </label>
              <input id={`${uid}-abn-note`} className="input w-full" value={abnNote} onChange={(e) => setAbnNote(e.target.value)} />
            </div>
            <button type="submit" className="btn-secondary" disabled={pending}>
              Record ABN
            </button>
          </form>
        </details>
      ) : null}

      {item.status !== "RESOLVED" ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            run(
              () => actions.snooze({ ...ref, until: snoozeUntil }),
              () => `Snoozed until ${formatDate(snoozeUntil)}.`,
            );
          }}
        >
          <div>
            <label className="label" htmlFor={`${uid}-snooze`}>
              Snooze until {item.snoozedUntil ? `(now ${formatDate(item.snoozedUntil)})` : ""}
            </label>
            <input
              id={`${uid}-snooze`}
              type="date"
              className="input"
              min={today}
              value={snoozeUntil}
              onChange={(e) => setSnoozeUntil(e.target.value)}
              required
              aria-describedby={`${uid}-until-error`}
            />
            {fieldError("until")}
          </div>
          <button type="submit" className="btn-secondary" disabled={pending}>
            Snooze
          </button>
        </form>
      ) : null}
    </section>
  );
}
