"use client";
// The rows of the underpayment worklist, drawn from plain figures the page has already put in
// words (dollars, dates): the page's data then carries each row once as a few fields, not as a
// tree of cells beside the HTML, so a page of 50 rows stays under 150 KB.
import Link from "./link";
import { type HistoryEntry, UnderpaymentStatusControl } from "./underpayment-status";
import type { ActionResult } from "@/lib/ui/action-result";

type Status = "OPEN" | "APPEALED" | "RECOVERED" | "WRITTEN_OFF";

export interface UnderpaymentRowView {
  id: number;
  payer: string;
  claim: string | null;
  paymentId: number;
  patientName: string;
  patient: string;
  date: string;
  code: string;
  paidAs: string | null;
  units: number;
  expected: string;
  allowed: string;
  underpaid: string;
  paid: string;
  adjustments: string;
  status: Status;
  note: string | null;
  history: HistoryEntry[];
}

export function UnderpaymentRows({
  rows,
  timeZone,
  userName,
  mayWork,
  action,
}: {
  rows: UnderpaymentRowView[];
  timeZone: string;
  userName: string;
  mayWork: boolean;
  action: (input: { remitLineId: number; status: Status; from: Status; note: string }) => Promise<ActionResult<unknown>>;
}) {
  return rows.map((r) => (
    <tr key={r.id} data-testid="underpayment-row" data-line-id={r.id}>
      <td>{r.payer}</td>
      <td>
        <Link href={`/remits/${r.paymentId}`}>{r.claim ?? "—"}</Link>
      </td>
      <td>
        {`${r.patientName} `}
        <span className="text-xs text-slate-500">{r.patient}</span>
      </td>
      <td className="whitespace-nowrap">{r.date}</td>
      <td className="whitespace-nowrap">
        {r.code}
        {r.paidAs ? <div className="text-xs font-semibold text-amber-900">{`paid as ${r.paidAs}`}</div> : null}
      </td>
      <td className="num">{r.units}</td>
      <td className="num">{r.expected}</td>
      <td className="num">{r.allowed}</td>
      <td className="num font-semibold">{r.underpaid}</td>
      <td className="num">{r.paid}</td>
      <td className="text-xs">{r.adjustments}</td>
      <td>
        <UnderpaymentStatusControl
          remitLineId={r.id}
          status={r.status}
          note={r.note}
          history={r.history}
          differenceText={r.underpaid}
          timeZone={timeZone}
          userName={userName}
          action={action}
          label={`${r.claim ?? ""} ${r.code.split(" ")[0]} ${r.date}`}
          mayWork={mayWork}
        />
      </td>
    </tr>
  ));
}
