"use client";
// The KX queue's rows with their actions, so a biller works the queue without leaving it:
// "Add KX" in the row, the patient page's other actions under "More", and the same actions on
// the rows ticked ("bulk"). Every call is one of the patient page's server actions, one item at
// a time with the version this page showed (a row someone else changed meanwhile is refused and
// reported, never applied twice), audited, and undoable from the row.
import { SortableHeader } from "./data-table";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/ui/action-result";
import { queueRowStatus } from "@/lib/ui/kx-queue-words";
import { usd } from "@/lib/ui/money";
import { ACTION_LABELS, formatDate, POOL_LABELS } from "./kx-format";
import { KxGauge } from "./kx-gauge";
import { type KxItemActionsProps, KxItemActions } from "./kx-item-actions";
import Link from "./link";

type ItemRef = { itemId: number; version: number };
type LineRef = { lineId: number; dateOfService: string; visit: string; cpt: string };
type LineResult = { changed: LineRef[]; refused: (LineRef & { reason: string })[]; version: number };

/**
 * A row as the page sends it: figures and keys, the words drawn here (a page of 50 rows carries
 * each row once in its data and once as HTML, and every field counts towards its 150 KB).
 */
export interface KxQueueTableRow {
  itemId: number;
  version: number;
  patientId: number;
  patientName: string;
  patientExternalId: string;
  pool: string;
  work: number;
  totalCents: number;
  estimated: boolean;
  visitsLeftKx: string;
  visitsLeftReview: string;
  linesMissingKx: number;
  linesToRebill: number;
  lastVisitOn: string | null;
  assigneeName: string | null;
  /** the rest of the item, for its status and actions (id, version and lines missing KX are the row's own) */
  status: KxItemActionsProps["item"]["status"];
  level: string;
  assigneeId: number | null;
  snoozedUntil: string | null;
  docReviewedAt: string | null;
  /** the item's last action when it can be undone (UNDOABLE_ACTIONS), else null */
  lastAction: string | null;
}

export interface KxQueueTableProps {
  label: string;
  /** the queue's year: each row links to its patient's threshold page of that year */
  year: number;
  rows: KxQueueTableRow[];
  levels: { alertCents: number; kxCents: number; reviewCents: number } | null;
  /** the sortable headers' links (sort in the address) and which one is in force */
  sortLinks: Record<"patient" | "total" | "missing" | "last_visit", { href: string; active: "asc" | "desc" | null }>;
  canWork: boolean;
  billers: { userId: number; name: string }[];
  currentUserId: number;
  today: string;
  actions: KxItemActionsProps["actions"];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function KxQueueTable({ label, year, rows, levels, sortLinks, canWork, billers, currentUserId, today, actions }: KxQueueTableProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [snoozeUntil, setSnoozeUntil] = useState("");
  // a row's other actions are drawn when its "More" is first opened: 50 rows of forms would
  // otherwise double the page's HTML for panels a biller opens one at a time
  const [opened, setOpened] = useState<Set<number>>(new Set());
  // the last result per row (with the version to undo from) and of the last bulk action
  const [rowNotes, setRowNotes] = useState<Record<number, { text: string; error?: boolean; undo?: ItemRef & { label: string } }>>({});
  const [bulkNote, setBulkNote] = useState<{ text: string; error: boolean } | null>(null);

  const toggle = (id: number) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.itemId));

  function addKxToRow(row: KxQueueTableRow) {
    setBulkNote(null);
    startTransition(async () => {
      const result = await actions.addKx({ itemId: row.itemId, version: row.version });
      setRowNotes((n) => ({ ...n, [row.itemId]: rowResult(row.itemId, result, "KX added to", "Added KX") }));
      router.refresh();
    });
  }

  function undoRow(itemId: number, ref: ItemRef) {
    startTransition(async () => {
      const result = await actions.undo(ref);
      setRowNotes((n) => ({
        ...n,
        [itemId]: result.ok
          ? {
              text: `Undone.${result.data.skipped.length ? ` ${plural(result.data.skipped.length, "line")} changed since left as they are.` : ""}`,
            }
          : { text: result.error, error: true },
      }));
      router.refresh();
    });
  }

  type Bulk = "add_kx" | "assign_me" | "snooze" | "resolve";
  function runBulk(kind: Bulk) {
    const chosen = rows.filter((r) => selected.has(r.itemId));
    if (chosen.length === 0) return;
    setBulkNote(null);
    startTransition(async () => {
      let done = 0;
      let lines = 0;
      const problems: string[] = [];
      const notes: typeof rowNotes = {};
      for (const row of chosen) {
        const ref = { itemId: row.itemId, version: row.version };
        const result: ActionResult<unknown> =
          kind === "add_kx"
            ? await actions.addKx(ref)
            : kind === "assign_me"
              ? await actions.assign({ ...ref, assignee: "me" })
              : kind === "snooze"
                ? await actions.snooze({ ...ref, until: snoozeUntil })
                : await actions.resolve(ref);
        if (result.ok) {
          done++;
          const data = result.data as Partial<LineResult> & { version: number };
          lines += data.changed?.length ?? 0;
          const label = { add_kx: "Added KX", assign_me: "Assigned", snooze: "Snoozed", resolve: "Resolved" }[kind];
          notes[row.itemId] = {
            text: kind === "add_kx" ? `KX added to ${plural(data.changed?.length ?? 0, "line")}.` : `${label}.`,
            undo: { itemId: row.itemId, version: data.version, label },
          };
        } else {
          problems.push(`${row.patientName} (${POOL_LABELS[row.pool] ?? row.pool}): ${result.error}`);
          notes[row.itemId] = { text: result.error, error: true };
        }
      }
      const what =
        kind === "add_kx"
          ? `KX added to ${plural(lines, "line")} of ${plural(done, "patient pool")}`
          : kind === "assign_me"
            ? `${plural(done, "patient pool")} assigned to you`
            : kind === "snooze"
              ? `${plural(done, "patient pool")} snoozed`
              : `${plural(done, "patient pool")} resolved`;
      setRowNotes((n) => ({ ...n, ...notes }));
      setBulkNote({ text: `${what}.${problems.length ? ` Not done: ${problems.join("; ")}.` : ""}`, error: problems.length > 0 });
      setSelected(new Set());
      router.refresh();
    });
  }

  // the sortable headers are the shared table's (components/data-table.tsx)
  const sortHeader = (key: keyof KxQueueTableProps["sortLinks"], text: string, className?: string) => (
    <SortableHeader column={{ header: text, numeric: className === "num", sort: sortLinks[key] }} />
  );

  return (
    <div className="space-y-2">
      {canWork ? (
        <fieldset className="flex flex-wrap items-end gap-2 text-sm" aria-label={`Act on the ticked rows of ${label}`}>
          <span className="text-slate-700">
            {selected.size ? `${plural(selected.size, "row")} ticked:` : "Tick rows to act on several at once."}
          </span>
          <button type="button" className="btn" disabled={pending || selected.size === 0} onClick={() => runBulk("add_kx")}>
            Add KX to ticked
          </button>
          <button type="button" className="btn-secondary" disabled={pending || selected.size === 0} onClick={() => runBulk("assign_me")}>
            Assign ticked to me
          </button>
          <label className="flex items-end gap-1">
            <span className="sr-only">Snooze ticked until</span>
            <input
              type="date"
              className="input"
              min={today}
              value={snoozeUntil}
              onChange={(e) => setSnoozeUntil(e.target.value)}
              aria-label="Snooze ticked until"
            />
          </label>
          <button
            type="button"
            className="btn-secondary"
            disabled={pending || selected.size === 0 || !snoozeUntil}
            onClick={() => runBulk("snooze")}
          >
            Snooze ticked
          </button>
          <button type="button" className="btn-secondary" disabled={pending || selected.size === 0} onClick={() => runBulk("resolve")}>
            Resolve ticked
          </button>
        </fieldset>
      ) : null}
      <div aria-live="polite">
        {bulkNote ? (
          <p
            role="status"
            className={`rounded px-2 py-1 text-sm ${bulkNote.error ? "bg-amber-50 text-amber-900" : "bg-green-50 text-green-900"}`}
          >
            {bulkNote.text}
          </p>
        ) : null}
      </div>
      <div className="card overflow-x-auto p-0">
        <table className="data" aria-label={label}>
          <thead>
            <tr>
              {canWork ? (
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={`Tick every row of ${label}`}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.itemId)))}
                  />
                </th>
              ) : null}
              {sortHeader("patient", "Patient")}
              <th scope="col">Status</th>
              {sortHeader("total", "Total", "num")}
              <th scope="col" className="hidden md:table-cell">
                Against the levels
              </th>
              <th scope="col">Visits left before KX</th>
              <th scope="col" className="hidden md:table-cell">
                Before review
              </th>
              {sortHeader("missing", "Missing KX", "num")}
              {sortHeader("last_visit", "Last visit")}
              <th scope="col">Assignee</th>
              {canWork ? <th scope="col">Act</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const note = rowNotes[row.itemId];
              const poolLabel = POOL_LABELS[row.pool] ?? row.pool;
              const status = queueRowStatus(row, today);
              return (
                <tr key={row.itemId} data-work={row.work} data-item-id={row.itemId}>
                  {canWork ? (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Tick ${row.patientName} ${poolLabel}`}
                        checked={selected.has(row.itemId)}
                        onChange={() => toggle(row.itemId)}
                      />
                    </td>
                  ) : null}
                  <td>
                    <Link href={`/patients/${row.patientId}/threshold?year=${year}&pool=${row.pool}`}>{row.patientName}</Link>{" "}
                    <span className="text-xs text-slate-500">{`${row.patientExternalId} · ${poolLabel}`}</span>
                  </td>
                  <td>
                    <span className={status.cls} data-testid="queue-status">
                      {status.label}
                    </span>
                  </td>
                  <td className="num">
                    <span data-testid="queue-total">{usd(row.totalCents)}</span>
                    <br />
                    <span className="text-xs text-slate-500">{row.estimated ? "estimated" : "confirmed"}</span>
                  </td>
                  <td className="hidden md:table-cell">
                    {levels ? (
                      <KxGauge
                        totalCents={row.totalCents}
                        alertCents={levels.alertCents}
                        kxCents={levels.kxCents}
                        reviewCents={levels.reviewCents}
                        estimated={row.estimated}
                      />
                    ) : null}
                  </td>
                  <td>{row.visitsLeftKx}</td>
                  <td className="hidden md:table-cell">{row.visitsLeftReview}</td>
                  <td className="num">
                    {row.linesMissingKx > 0 ? (
                      <strong className="text-red-800" data-testid="queue-missing">
                        {row.linesMissingKx}
                      </strong>
                    ) : (
                      <span data-testid="queue-missing">0</span>
                    )}
                    {row.linesToRebill > 0 ? (
                      <div className="text-xs font-normal text-red-800">{`${row.linesToRebill} denied: rebill with KX`}</div>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap">{formatDate(row.lastVisitOn)}</td>
                  <td>{row.assigneeName ?? <span className="text-slate-500">—</span>}</td>
                  {canWork ? (
                    <td className="min-w-40 space-y-1">
                      {row.linesMissingKx > 0 ? (
                        <button
                          type="button"
                          className="btn"
                          disabled={pending}
                          aria-label={`Add KX to ${plural(row.linesMissingKx, "line")} of ${row.patientName} ${poolLabel}`}
                          onClick={() => addKxToRow(row)}
                        >
                          {`Add KX to ${plural(row.linesMissingKx, "line")}`}
                        </button>
                      ) : null}
                      {note ? (
                        <div role="status" className={`text-xs ${note.error ? "text-red-800" : "text-green-900"}`}>
                          {note.text}{" "}
                          {note.undo ? (
                            <button
                              type="button"
                              className="underline"
                              disabled={pending}
                              onClick={() => undoRow(row.itemId, { itemId: note.undo!.itemId, version: note.undo!.version })}
                            >
                              Undo
                            </button>
                          ) : null}
                        </div>
                      ) : null}
                      <details
                        onToggle={(e) => {
                          if (e.currentTarget.open && !opened.has(row.itemId)) setOpened((o) => new Set(o).add(row.itemId));
                        }}
                      >
                        <summary className="cursor-pointer text-sm">More</summary>
                        {opened.has(row.itemId) ? (
                          <div className="mt-2 w-80 max-w-[85vw]">
                            <KxItemActions
                              item={{
                                id: row.itemId,
                                version: row.version,
                                status: row.status,
                                level: row.level,
                                linesMissingKx: row.linesMissingKx,
                                assigneeId: row.assigneeId,
                                snoozedUntil: row.snoozedUntil,
                                docReviewedAt: row.docReviewedAt,
                              }}
                              undoable={
                                row.lastAction ? { action: row.lastAction, label: ACTION_LABELS[row.lastAction] ?? row.lastAction } : null
                              }
                              billers={billers}
                              currentUserId={currentUserId}
                              today={today}
                              actions={actions}
                              heading={`${row.patientName}, ${poolLabel}`}
                            />
                          </div>
                        ) : null}
                      </details>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function rowResult(
  itemId: number,
  result: ActionResult<LineResult>,
  verb: string,
  label: string,
): { text: string; error?: boolean; undo?: ItemRef & { label: string } } {
  if (!result.ok) return { text: result.error, error: true };
  const data = result.data;
  const refused = data.refused.length
    ? ` Refused: ${data.refused.map((x) => `${x.cpt} on ${formatDate(x.dateOfService)}: ${x.reason}`).join("; ")}.`
    : "";
  return {
    text: `${verb} ${plural(data.changed.length, "line")}.${refused}`,
    undo: { itemId, version: data.version, label },
  };
}
