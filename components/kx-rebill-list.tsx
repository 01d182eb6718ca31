"use client";
// "Rebill with KX": every line Medicare denied for a missing KX (CO-119) or a missing or wrong
// therapy modifier (CARC 4) that no later remit has settled. "Corrected claim sent" puts KX on
// the line when it needs it and marks it sent; a remit received afterwards settles it. The
// action is the queue item's (same lock, audit and undo as the patient page).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/ui/action-result";
import Link from "./link";

type ItemRef = { itemId: number; version: number };

export interface RebillRow {
  lineId: number;
  itemId: number;
  itemVersion: number;
  patientName: string;
  patientExternalId: string;
  href: string;
  poolLabel: string;
  dateText: string;
  code: string;
  deniedFor: string;
  countsText: string;
  /** "To rebill", or "Corrected claim sent Dec 4, 2026, 3:05 PM by Bea Biller: waiting for the remit" */
  statusText: string;
  sent: boolean;
}

export function KxRebillList({
  rows,
  canWork,
  actions,
}: {
  rows: RebillRow[];
  canWork: boolean;
  actions: {
    markRebilled: (input: ItemRef & { lineIds: number[] }) => Promise<ActionResult<{ changed: unknown[]; version: number }>>;
    undo: (input: ItemRef) => Promise<ActionResult<unknown>>;
  };
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notes, setNotes] = useState<Record<number, { text: string; error?: boolean; undo?: ItemRef }>>({});

  function send(row: RebillRow) {
    startTransition(async () => {
      const result = await actions.markRebilled({ itemId: row.itemId, version: row.itemVersion, lineIds: [row.lineId] });
      setNotes((n) => ({
        ...n,
        [row.lineId]: result.ok
          ? { text: "Marked sent.", undo: { itemId: row.itemId, version: result.data.version } }
          : { text: result.error, error: true },
      }));
      router.refresh();
    });
  }
  function undo(lineId: number, ref: ItemRef) {
    startTransition(async () => {
      const result = await actions.undo(ref);
      setNotes((n) => ({ ...n, [lineId]: result.ok ? { text: "Undone." } : { text: result.error, error: true } }));
      router.refresh();
    });
  }

  return (
    <div className="card overflow-x-auto p-0">
      <table className="data" aria-label="Rebill with KX">
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Date of service</th>
            <th scope="col">Code</th>
            <th scope="col">Denied for</th>
            <th scope="col" className="num">
              Counts in the total
            </th>
            <th scope="col">Status</th>
            {canWork ? <th scope="col">Act</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const note = notes[row.lineId];
            return (
              <tr key={row.lineId} data-line-id={row.lineId}>
                <td>
                  <Link href={row.href}>{row.patientName}</Link>{" "}
                  <span className="text-xs text-slate-500">
                    {row.patientExternalId} · {row.poolLabel}
                  </span>
                </td>
                <td className="whitespace-nowrap">{row.dateText}</td>
                <td className="whitespace-nowrap">{row.code}</td>
                <td>{row.deniedFor}</td>
                <td className="num">{row.countsText}</td>
                <td>
                  <span
                    className={row.sent ? "badge bg-slate-100 text-slate-800" : "badge bg-red-100 text-red-900"}
                    data-testid="rebill-status"
                  >
                    {row.statusText}
                  </span>
                </td>
                {canWork ? (
                  <td className="space-y-1">
                    {!row.sent ? (
                      <button
                        type="button"
                        className="btn-secondary"
                        disabled={pending}
                        aria-label={`Corrected claim sent: ${row.patientName} ${row.code} ${row.dateText}`}
                        onClick={() => send(row)}
                      >
                        Corrected claim sent
                      </button>
                    ) : null}
                    {note ? (
                      <div role="status" className={`text-xs ${note.error ? "text-red-800" : "text-green-900"}`}>
                        {note.text}{" "}
                        {note.undo ? (
                          <button type="button" className="underline" disabled={pending} onClick={() => undo(row.lineId, note.undo!)}>
                            Undo
                          </button>
                        ) : null}
                      </div>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
