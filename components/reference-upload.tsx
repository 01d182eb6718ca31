"use client";
// Upload a newer CMS file: preview what changes (new rows, values old → new), then apply.
import { FieldMessages } from "./forms";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { applyReferenceAction, previewReferenceAction } from "@/app/(app)/admin/reference/actions";
import type { ReferenceKind } from "@/lib/schemas/reference";

type Preview = Extract<Awaited<ReturnType<typeof previewReferenceAction>>, { ok: true }>["data"];
type Applied = Extract<Awaited<ReturnType<typeof applyReferenceAction>>, { ok: true }>["data"];
interface Issue {
  where: string;
  message: string;
}

function IssueTable({ issues, caption }: { issues: Issue[]; caption: string }) {
  return (
    <table className="data">
      <caption className="mb-1 text-left text-sm font-semibold">{caption}</caption>
      <thead>
        <tr>
          <th>Where</th>
          <th>What</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((e, i) => (
          <tr key={`${e.where}-${i}`}>
            <td className="whitespace-nowrap">{e.where}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReferenceUpload() {
  const router = useRouter();
  const [kind, setKind] = useState<ReferenceKind>("fee-schedule");
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [error, setError] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();

  const reset = () => {
    setPreview(null);
    setApplied(null);
    setError("");
    setFieldErrors({});
  };

  const runPreview = () =>
    startTransition(async () => {
      reset();
      if (!file) {
        setFieldErrors({ fileName: ["Choose a CSV file"] });
        return;
      }
      const result = await previewReferenceAction({ kind, fileName: file.name, content: file.content });
      if (result.ok) setPreview(result.data);
      else {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
    });

  const runApply = () =>
    startTransition(async () => {
      if (!file) return;
      setError("");
      const result = await applyReferenceAction({ kind, fileName: file.name, content: file.content });
      if (result.ok) {
        setApplied(result.data);
        router.refresh();
      } else setError(result.error);
    });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label className="label" htmlFor="reference-kind">
            File holds
          </label>
          <select
            id="reference-kind"
            className="input"
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as ReferenceKind);
              reset();
            }}
          >
            <option value="fee-schedule">Fee schedule relative values (RVUs)</option>
            <option value="gpci">GPCIs by locality</option>
            <option value="mue">Medically Unlikely Edits (practitioner MUE table)</option>
            <option value="ncci">NCCI procedure-to-procedure edits (practitioner)</option>
            <option value="therapy-codes">Therapy code list (always and sometimes therapy)</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="reference-file">
            CSV or TXT file
          </label>
          <input
            id="reference-file"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            className="text-sm"
            aria-describedby={fieldErrors.fileName ? "reference-file-error" : undefined}
            onChange={async (event) => {
              reset();
              const chosen = event.target.files?.[0];
              setFile(chosen ? { name: chosen.name, content: await chosen.text() } : null);
            }}
          />
          <FieldMessages id="reference-file-error" messages={[...(fieldErrors.fileName ?? []), ...(fieldErrors.content ?? [])]} />
        </div>
        <button type="button" className="btn" disabled={pending || !file} onClick={runPreview}>
          {pending && !preview ? "Checking…" : "Preview changes"}
        </button>
      </div>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}

      {preview ? (
        <div className="space-y-3" aria-live="polite">
          {preview.status === "rejected" ? (
            <>
              <p role="alert" className="field-error">
                {preview.file} cannot be loaded: fix the rows below and upload it again. Nothing was changed.
              </p>
              <IssueTable issues={preview.errors} caption="Errors" />
            </>
          ) : (
            <>
              <p className="text-sm">
                <strong>{preview.file}</strong>
                {preview.years.length ? ` (${preview.years.join(", ")})` : ""}: {preview.counts.rows} rows ·{" "}
                <strong>{preview.counts.added} new</strong> · <strong>{preview.counts.changed} changed</strong> · {preview.counts.unchanged}{" "}
                unchanged ·{" "}
                {preview.counts.removed
                  ? `${preview.counts.removed} removed (edits the file says are no longer in force)`
                  : "none removed (rows not in the file are kept)"}
                {preview.counts.skipped ? ` · ${preview.counts.skipped} rows of other codes left out` : ""}.
              </p>
              {preview.notes.length ? (
                <ul className="text-sm text-slate-700">
                  {preview.notes.map((n) => (
                    <li key={n.message}>{n.message}</li>
                  ))}
                </ul>
              ) : null}
              {preview.removed.length ? <p className="text-sm">Removed: {preview.removed.join(", ")}</p> : null}
              {preview.alreadyAppliedOn ? (
                <p className="text-sm text-amber-800">
                  This exact file was applied on {preview.alreadyAppliedOn.slice(0, 10)}; applying it again changes nothing.
                </p>
              ) : null}
              {preview.warnings.length ? <IssueTable issues={preview.warnings} caption="Warnings" /> : null}
              {preview.changed.length ? (
                <table className="data">
                  <caption className="mb-1 text-left text-sm font-semibold">Changed (old → new)</caption>
                  <thead>
                    <tr>
                      <th>Row</th>
                      <th>Changes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.changed.map((c) => (
                      <tr key={c.label}>
                        <td className="whitespace-nowrap">{c.label}</td>
                        <td>{c.changes.map((ch) => `${ch.column} ${ch.from} → ${ch.to}`).join("; ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              {preview.added.length ? (
                <table className="data">
                  <caption className="mb-1 text-left text-sm font-semibold">New rows</caption>
                  <thead>
                    <tr>
                      <th>Row</th>
                      <th>Values</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.added.map((a) => (
                      <tr key={a.label}>
                        <td className="whitespace-nowrap">{a.label}</td>
                        <td>
                          {Object.entries(a.values)
                            .map(([k, v]) => `${k} ${v}`)
                            .join("; ")}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              {preview.counts.added + preview.counts.changed > 200 ? (
                <p className="text-sm text-slate-600">Only the first 200 of each are listed.</p>
              ) : null}
              {applied ? (
                <p role="status" className="text-sm text-green-800">
                  {applied.status === "imported"
                    ? `Applied: ${applied.counts.added ?? 0} new and ${applied.counts.changed ?? 0} changed rows; ${applied.counts.visitsRepriced ?? 0} visits re-priced and threshold totals recomputed.`
                    : applied.status === "duplicate"
                      ? "This file was already applied; nothing changed."
                      : `Not applied (${applied.status}): ${applied.errors.map((e) => `${e.where}: ${e.message}`).join("; ")}`}
                </p>
              ) : (
                <button
                  type="button"
                  className="btn"
                  disabled={pending || preview.counts.added + preview.counts.changed === 0}
                  onClick={runApply}
                >
                  {pending ? "Applying and re-pricing…" : "Apply and re-price visits"}
                </button>
              )}
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}
