"use client";
// "Rebill with KX": every line Medicare denied for a missing KX (CO-119) or a missing or wrong
// therapy modifier (CARC 4) that no later remit has settled. "Corrected claim sent" puts KX on
// the line when it needs it and marks it sent; a remit received afterwards settles it. The
// action is the queue item's (same lock, audit and undo as the patient page).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/ui/action-result";
import { usd } from "@/lib/ui/money";
import { formatDate, POOL_LABELS } from "./kx-format";
import Link from "./link";

type ItemRef = { itemId: number; version: number };

/** A line as the page sends it: figures and keys, the words drawn here (see KxQueueTableRow). */
export interface RebillRow {
  lineId: number;
  itemId: number;
  itemVersion: number;
  patientId: number;
  patientName: string;
  patientExternalId: string;
  pool: string;
  dateOfService: string;
  code: string;
  /** rebill_kx (CO-119) or rebill_modifier (CARC 4) */
  work: string;
  /** what the line counts in the total while it waits: its expected allowed */
  expectedAllowedCents: number | null;
  /** null: to rebill; else "Corrected claim sent Dec 4, 2026, 3:05 PM by Bea Biller: waiting for the remit" */
  sentText: string | null;
}

const DENIED_FOR: Record<string, string> = {
  rebill_kx: "Missing KX (CO-119)",
  rebill_modifier: "Therapy modifier missing or wrong (CARC 4)",
};

export function KxRebillList({
  year,
  rows,
  canWork,
  actions,
}: {
  /** the list's year: each line links to its patient's threshold page of that year */
  year: number;
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
            const sent = row.sentText !== null;
            const dateText = formatDate(row.dateOfService);
            return (
              <tr key={row.lineId} data-line-id={row.lineId}>
                <td>
                  <Link href={`/patients/${row.patientId}/threshold?year=${year}&pool=${row.pool}`}>{row.patientName}</Link>{" "}
                  <span className="text-xs text-slate-500">{`${row.patientExternalId} · ${POOL_LABELS[row.pool] ?? row.pool}`}</span>
                </td>
                <td className="whitespace-nowrap">{dateText}</td>
                <td className="whitespace-nowrap">{row.code}</td>
                <td>{DENIED_FOR[row.work] ?? "Denied"}</td>
                <td className="num">{usd(row.expectedAllowedCents)}</td>
                <td>
                  <span
                    className={sent ? "badge bg-slate-100 text-slate-800" : "badge bg-red-100 text-red-900"}
                    data-testid="rebill-status"
                  >
                    {row.sentText ?? "To rebill"}
                  </span>
                </td>
                {canWork ? (
                  <td className="space-y-1">
                    {!sent ? (
                      <button
                        type="button"
                        className="btn-secondary"
                        disabled={pending}
                        aria-label={`Corrected claim sent: ${row.patientName} ${row.code} ${dateText}`}
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
