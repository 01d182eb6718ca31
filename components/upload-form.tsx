"use client";
// Uploads files one after another with a progress bar per file, and shows each import's
// summary (status, counts, warnings, errors with the row or segment they name).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ImportMessages } from "@/components/import-messages";
import { importCountsInWords, UPLOAD_ANSWER_STATUS_WORDS } from "@/lib/ui/import-summary";

interface Issue {
  where: string;
  message: string;
}
interface ForeignFile {
  otherPayees: string[];
  practiceIds: string | null;
  claims: number;
  matchedClaims: number;
}
interface Summary {
  status?: string;
  file?: string;
  counts?: Record<string, number>;
  warnings?: Issue[];
  errors?: Issue[];
  error?: string;
  /** an 835 that looks like another provider's: why it waits for confirmation */
  foreign?: ForeignFile;
}
interface ImportProgress {
  readBytes: number;
  totalBytes: number;
  claims: number;
  serviceLines: number;
}
interface FileState {
  name: string;
  progress: number;
  phase: "waiting" | "uploading" | "importing" | "done";
  /** how far the server has read the file (routes that report it) */
  imported?: ImportProgress;
  summary?: Summary;
}

/** The lines of an NDJSON answer received so far (the last may be incomplete). */
function completeLines(text: string): string[] {
  const end = text.lastIndexOf("\n");
  return end < 0
    ? []
    : text
        .slice(0, end)
        .split("\n")
        .filter((l) => l.trim() !== "");
}

function upload(
  url: string,
  file: File,
  dryRun: boolean,
  confirmed: boolean,
  asBody: boolean,
  onProgress: (p: number) => void,
  onUploaded: () => void,
  onImportProgress: (p: ImportProgress) => void,
): Promise<Summary> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    // a file sent as the body gets its import's progress back as NDJSON lines, then the summary
    xhr.open("POST", asBody ? `${url}?dryRun=${dryRun}&progress=1${confirmed ? "&confirmed=true" : ""}` : url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = onUploaded;
    xhr.onprogress = () => {
      const lines = completeLines(xhr.responseText);
      for (let i = lines.length - 1; i >= 0; i--) {
        try {
          const value = JSON.parse(lines[i]!) as { progress?: ImportProgress };
          if (value.progress) {
            onImportProgress(value.progress);
            return;
          }
        } catch {
          return;
        }
      }
    };
    xhr.onload = () => {
      try {
        const lines = completeLines(`${xhr.responseText}\n`);
        resolve(JSON.parse(lines[lines.length - 1] ?? ""));
      } catch {
        resolve({ status: "rejected", error: `The server answered ${xhr.status}` });
      }
    };
    xhr.onerror = () => resolve({ status: "rejected", error: "The upload did not reach the server. Check the connection and try again." });
    if (asBody) {
      // the file itself is the body: the server streams it to disk instead of holding it
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      xhr.send(file);
      return;
    }
    const body = new FormData();
    body.append("file", file);
    body.append("dryRun", String(dryRun));
    xhr.send(body);
  });
}

export function UploadForm({
  url,
  accept,
  multiple,
  label,
  allowDryRun = true,
  sendFileAsBody = false,
}: {
  url: string;
  accept: string;
  multiple?: boolean;
  label: string;
  allowDryRun?: boolean;
  /** send each file as the request body (for large files the server streams) instead of a form */
  sendFileAsBody?: boolean;
}) {
  const router = useRouter();
  const [files, setFiles] = useState<FileState[]>([]);
  const [busy, setBusy] = useState(false);
  // the files chosen, kept so that one waiting for confirmation can be sent again
  const [chosenFiles, setChosenFiles] = useState<File[]>([]);
  const inputId = `upload-${url.replace(/[^a-z0-9]/gi, "-")}`;
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const input = form.elements.namedItem("file") as HTMLInputElement;
        const dryRun = (form.elements.namedItem("dryRun") as HTMLInputElement | null)?.checked ?? false;
        const chosen = Array.from(input.files ?? []);
        if (chosen.length === 0) return;
        setBusy(true);
        setChosenFiles(chosen);
        const states: FileState[] = chosen.map((f) => ({ name: f.name, progress: 0, phase: "waiting" }));
        setFiles([...states]);
        for (let i = 0; i < chosen.length; i++) {
          const update = (patch: Partial<FileState>) => {
            states[i] = { ...states[i]!, ...patch };
            setFiles([...states]);
          };
          update({ phase: "uploading" });
          const summary = await upload(
            url,
            chosen[i]!,
            dryRun,
            false,
            sendFileAsBody,
            (p) => update({ progress: p }),
            () => update({ phase: "importing", progress: 1 }),
            (imported) => update({ phase: "importing", imported }),
          );
          update({ phase: "done", summary });
        }
        setBusy(false);
        router.refresh();
      }}
    >
      <label className="label" htmlFor={inputId}>
        {label}
      </label>
      <input id={inputId} name="file" type="file" accept={accept} multiple={multiple} className="block text-sm" required />
      {allowDryRun ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="dryRun" /> Check only (dry run: nothing is written)
        </label>
      ) : null}
      <button type="submit" className="btn" disabled={busy}>
        {busy ? "Importing…" : "Import"}
      </button>
      <ul className="space-y-2" aria-live="polite">
        {files.map((f, i) => (
          <li key={f.name} className="rounded border border-slate-200 p-2 text-sm">
            <div className="flex items-center gap-2">
              <span className="font-medium">{f.name}</span>
              {f.phase !== "done" ? (
                <>
                  <progress
                    max={1}
                    value={f.phase === "waiting" ? 0 : f.imported ? f.imported.readBytes / Math.max(1, f.imported.totalBytes) : f.progress}
                    aria-label={`${f.name} progress`}
                    className="w-40"
                  />
                  <span>
                    {f.phase === "importing"
                      ? f.imported
                        ? `importing… ${Math.floor((100 * f.imported.readBytes) / Math.max(1, f.imported.totalBytes))}% · ${f.imported.serviceLines.toLocaleString("en-US")} lines written`
                        : "importing…"
                      : f.phase}
                  </span>
                </>
              ) : (
                <StatusBadge status={f.summary?.status ?? "rejected"} />
              )}
            </div>
            {f.summary ? <SummaryView summary={f.summary} /> : null}
            {f.summary?.status === "unconfirmed" && chosenFiles[i] ? (
              <div className="mt-2 flex flex-wrap gap-2">
                <button
                  type="button"
                  className="btn"
                  disabled={busy}
                  onClick={async () => {
                    const file = chosenFiles[i]!;
                    const update = (patch: Partial<FileState>) => setFiles((all) => all.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                    setBusy(true);
                    update({ phase: "uploading", progress: 0, summary: undefined, imported: undefined });
                    const summary = await upload(
                      url,
                      file,
                      false,
                      true,
                      sendFileAsBody,
                      (p) => update({ progress: p }),
                      () => update({ phase: "importing", progress: 1 }),
                      (imported) => update({ phase: "importing", imported }),
                    );
                    update({ phase: "done", summary });
                    setBusy(false);
                    router.refresh();
                  }}
                >
                  Import it anyway
                </button>
                <button
                  type="button"
                  className="btn-secondary"
                  disabled={busy}
                  onClick={() =>
                    setFiles((all) =>
                      all.map((x, j) => (j === i ? { ...x, summary: { ...x.summary, status: "not-imported", foreign: undefined } } : x)),
                    )
                  }
                >
                  Don't import it
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </form>
  );
}

function StatusBadge({ status }: { status: string }) {
  const color =
    status === "imported"
      ? "bg-green-100 text-green-800"
      : status === "rejected"
        ? "bg-red-100 text-red-800"
        : status === "unconfirmed"
          ? "bg-amber-100 text-amber-900"
          : "bg-slate-100 text-slate-800";
  return (
    <span className={`badge ${color}`} data-testid="import-status" data-status={status}>
      {UPLOAD_ANSWER_STATUS_WORDS[status] ?? status}
    </span>
  );
}

function SummaryView({ summary }: { summary: Summary }) {
  return (
    <div className="mt-1 space-y-1">
      {summary.error ? <p className="field-error">{summary.error}</p> : null}
      {summary.counts && Object.keys(summary.counts).length ? (
        <p className="font-medium" data-testid="import-summary">
          {importCountsInWords(summary.counts)}
        </p>
      ) : null}
      {summary.foreign ? (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-2">
          <p className="font-semibold">This file may not be this practice's. Nothing was written yet.</p>
          <ul className="ml-4 list-disc">
            {summary.foreign.otherPayees.map((p) => (
              <li key={p}>
                It pays {p}, not this practice{summary.foreign?.practiceIds ? ` (${summary.foreign.practiceIds})` : ""}.
              </li>
            ))}
            {summary.foreign.claims > 0 && summary.foreign.matchedClaims === 0 ? (
              <li>None of its {summary.foreign.claims.toLocaleString("en-US")} claims is one of ours.</li>
            ) : null}
          </ul>
          <p>Import it only if you are sure it belongs to this practice.</p>
        </div>
      ) : null}
      <ImportMessages errors={summary.errors} warnings={summary.warnings} limit={50} errorsOpen />
    </div>
  );
}
