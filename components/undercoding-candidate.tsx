"use client";
// One undercoding candidate line: what was billed, the note with the matched words highlighted,
// why it was flagged, the potential gain, and its review. A client component: the page sends
// each card's figures once as data, not as a tree of elements beside the HTML (a page of 50
// cards stays under 150 KB).

import { usd } from "@/lib/ui/money";
import { DIRECTION_LABEL } from "@/lib/ui/words";
import { UndercodingNote, type NoteSpan } from "./undercoding-note";
import { type ReviewState, UndercodingReview } from "./undercoding-review";
import { dateText } from "@/lib/ui/dates";
import type { ActionResult } from "@/lib/ui/action-result";

export interface CandidateView {
  lineId: number;
  visitExternalId: string;
  dateOfService: string;
  patientExternalId: string;
  patientName?: string;
  therapist: string;
  payer: string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  units: number;
  direction: "could_be_97530" | "reads_as_exercise";
  terms: string[];
  gainCents: number | null;
  note: string;
  spans: NoteSpan[];
  explanation: string;
  /** the rule that decided the flag, in words */
  rule?: string;
  /** set on a possible line (an ambiguous note set apart, not counted): why it is ambiguous */
  possibleReason?: string | null;
  review: ReviewState | null;
}

export function UndercodingCandidate({
  c,
  canReview,
  reviewAction,
  undoAction,
}: {
  c: CandidateView;
  canReview: boolean;
  reviewAction: (input: { lineId: number; decision: "CONFIRMED" | "DISMISSED"; reason: string }) => Promise<ActionResult<unknown>>;
  undoAction: (input: { lineId: number }) => Promise<ActionResult<unknown>>;
}) {
  const label = `${c.visitExternalId} line ${c.lineOrder + 1} (${c.cpt})`;
  const possible = c.possibleReason !== undefined;
  const headingId = `candidate-${c.lineId}`;
  return (
    <article
      className={`card space-y-2 ${possible ? "undercoding-possible" : "undercoding-candidate"}`}
      aria-labelledby={headingId}
      data-line-id={c.lineId}
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 id={headingId} className="font-semibold">
          {`${dateText(c.dateOfService)} · ${c.visitExternalId} · line ${c.lineOrder + 1}: ${c.cpt}${c.modifiers.length ? `-${c.modifiers.join("-")}` : ""} × ${c.units}`}
        </h3>
        <span className={`badge ${c.direction === "could_be_97530" ? "bg-amber-100 text-amber-900" : "bg-red-100 text-red-900"}`}>
          {possible ? `Possible: ${DIRECTION_LABEL[c.direction].toLowerCase()} (not counted)` : DIRECTION_LABEL[c.direction]}
        </span>
        <span className="text-sm text-slate-700">
          {c.direction === "could_be_97530" ? (
            <>
              {possible ? "Possible gain" : "Potential gain"}{" "}
              <strong>{c.gainCents == null ? "unknown (97530 has no price here)" : usd(c.gainCents)}</strong>
            </>
          ) : (
            "Denial / downcode risk"
          )}
        </span>
        <span className="text-sm text-slate-600">
          {`${c.therapist} · ${c.payer} · patient ${c.patientName ? `${c.patientName} (${c.patientExternalId})` : c.patientExternalId}`}
        </span>
      </div>
      <p className="text-sm leading-relaxed">
        <UndercodingNote note={c.note} spans={c.spans} />
      </p>
      <p className="text-xs text-slate-600">{`Matched: ${c.terms.join(", ") || "—"}. ${c.explanation}`}</p>
      {c.rule ? <p className="text-xs text-slate-600">{`Rule: ${c.rule}.`}</p> : null}
      {possible ? null : (
        <UndercodingReview
          lineId={c.lineId}
          label={label}
          review={c.review}
          canReview={canReview}
          reviewAction={reviewAction}
          undoAction={undoAction}
        />
      )}
    </article>
  );
}
