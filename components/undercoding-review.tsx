"use client";
// Confirm or dismiss an undercoding candidate with a reason, or undo that. A review aid: the
// billed code is never changed. The reason field and its buttons are drawn in the browser once
// the page is interactive (they only work there): a page of 25 cards sent a form per card in its
// HTML (docs/performance.md).
import { FieldMessages } from "./forms";
import { sentenceOf } from "@/lib/schemas/messages";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useInBrowser } from "./chart-box";
import type { ActionResult } from "@/lib/ui/action-result";

export interface ReviewState {
  decision: "CONFIRMED" | "DISMISSED";
  reason: string;
  by: string;
  at: string;
}

export function UndercodingReview({
  lineId,
  label,
  review,
  canReview,
  reviewAction,
  undoAction,
}: {
  lineId: number;
  /** names the line for screen readers, e.g. "V00012 line 2 (97110)" */
  label: string;
  review: ReviewState | null;
  canReview: boolean;
  reviewAction: (input: { lineId: number; decision: "CONFIRMED" | "DISMISSED"; reason: string }) => Promise<ActionResult<unknown>>;
  undoAction: (input: { lineId: number }) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const drawn = useInBrowser();
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [fieldErrors, setFieldErrors] = useState<string[]>([]);
  const fieldError = fieldErrors.map(sentenceOf).join(" ");
  const inputId = `reason-${lineId}`;

  const run = (call: () => Promise<ActionResult<unknown>>) => {
    setError("");
    setFieldErrors([]);
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        setReason("");
        router.refresh();
      } else {
        setError(result.error);
        setFieldErrors(result.fieldErrors?.reason ?? []);
      }
    });
  };

  if (review) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className={`badge ${review.decision === "CONFIRMED" ? "bg-amber-100 text-amber-900" : "bg-slate-200 text-slate-800"}`}>
          {review.decision === "CONFIRMED" ? "Confirmed" : "Dismissed"}
        </span>
        <span className="text-slate-700">
          “{review.reason}”{review.by ? ` · ${review.by}` : ""} · {review.at.slice(0, 10)}
        </span>
        {canReview ? (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            onClick={() => run(() => undoAction({ lineId }))}
            aria-label={`Undo the review of ${label}`}
          >
            Undo
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
  if (!canReview) return <p className="text-sm text-slate-600">Not reviewed yet.</p>;
  // the form's height, kept while the page becomes interactive
  if (!drawn) return <div className="min-h-14 no-print" />;
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm no-print"
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <div className="min-w-64 flex-1">
        <label className="label" htmlFor={inputId}>
          Reason
        </label>
        <input
          id={inputId}
          name="reason"
          className="input w-full"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-describedby={fieldError ? `${inputId}-error` : undefined}
          aria-invalid={fieldError ? true : undefined}
          placeholder="What the full record shows"
          maxLength={500}
        />
        <FieldMessages id={`${inputId}-error`} messages={fieldErrors} />
      </div>
      <button
        type="button"
        className="btn"
        disabled={pending}
        aria-label={`Confirm ${label}`}
        onClick={() => run(() => reviewAction({ lineId, decision: "CONFIRMED", reason }))}
      >
        Confirm
      </button>
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        aria-label={`Dismiss ${label}`}
        onClick={() => run(() => reviewAction({ lineId, decision: "DISMISSED", reason }))}
      >
        Dismiss
      </button>
      {error && !fieldError ? (
        <p role="alert" className="field-error w-full">
          {error}
        </p>
      ) : null}
      {fieldError ? (
        <p role="alert" className="sr-only">
          {fieldError}
        </p>
      ) : null}
    </form>
  );
}
