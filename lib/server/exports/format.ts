// Writing export rows as CSV (RFC 4180) or JSON, streamed, for the CLI and downloads alike.
import { AsyncLocalStorage } from "node:async_hooks";
import { stringify } from "csv-stringify/sync";

export type ExportRow = Record<string, string | number | boolean | null>;
export interface ExportSource {
  columns: string[];
  rows: AsyncIterable<ExportRow>;
}

export function dollars(cents: number | null | undefined): string {
  if (cents == null) return "";
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export async function* serialize(source: ExportSource, format: "csv" | "json"): AsyncGenerator<string> {
  if (format === "csv") {
    yield stringify([source.columns], { record_delimiter: "windows" });
    let batch: unknown[][] = [];
    for await (const row of source.rows) {
      batch.push(source.columns.map((c) => csvCell(row[c])));
      if (batch.length >= 500) {
        yield stringify(batch, { record_delimiter: "windows" });
        batch = [];
      }
    }
    if (batch.length) yield stringify(batch, { record_delimiter: "windows" });
    return;
  }
  yield "[";
  let first = true;
  for await (const row of source.rows) {
    const obj: Record<string, unknown> = {};
    for (const c of source.columns) obj[c] = row[c] ?? "";
    yield `${first ? "\n" : ",\n"}${JSON.stringify(obj)}`;
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
}

function csvCell(v: string | number | boolean | null | undefined): string {
  if (v == null) return "";
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

/** A download Response streaming the export. */
export function exportResponse(source: ExportSource, format: "csv" | "json", fileBase: string): Response {
  const encoder = new TextEncoder();
  const iterator = serialize(source, format)[Symbol.asyncIterator]();
  // the body is read after the handler returned, outside the guard's practice scope: each read
  // runs in the context (the scope) in which the response was made
  const pull = AsyncLocalStorage.bind(async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const next = await iterator.next();
    if (next.done) controller.close();
    else controller.enqueue(encoder.encode(next.value));
  });
  const body = new ReadableStream<Uint8Array>({ pull });
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileBase}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
