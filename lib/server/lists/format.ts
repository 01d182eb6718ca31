// Writing export rows as CSV (RFC 4180) or JSON, streamed, for the CLI and downloads alike.
import { dollarsField } from "@/lib/ui/money";
import { AsyncLocalStorage } from "node:async_hooks";

export type ExportRow = Record<string, string | number | boolean | null>;
export interface ExportSource {
  columns: string[];
  rows: AsyncIterable<ExportRow>;
}

/** Cents as a file's dollars: 123450 → "1234.50" (FORMATS.md), none → "". */
export function dollars(cents: number | null | undefined): string {
  return dollarsField(cents);
}

// A spreadsheet runs a cell that begins with one of these as a formula (OWASP "CSV injection"):
// = + - @, and tab or carriage return, which some spreadsheets skip before looking.
const FORMULA_START = /^[=+\-@\t\r]/;
// a plain decimal number ("-12.50", a negative amount) is read as a number, never as a formula
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A cell as written to every CSV the app produces: a text that a spreadsheet would run as a
 * formula gets a leading apostrophe (shown as text, the apostrophe hidden), so that a patient
 * named =HYPERLINK(…) or a note "+cmd…" is written as text. Numbers, and text that is a plain
 * decimal number such as a negative dollar amount, are left as they are.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value == null) return "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return String(value);
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

// RFC 4180: a field holding a quote, a comma or a line break is quoted, its quotes doubled
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

/**
 * Rows as CSV text (RFC 4180, CRLF after every record), each cell through csvCell: the one writer
 * of every CSV export. Written here rather than with csv-stringify, which wrote the same bytes
 * (format.test.ts compares the two) at about ten times the CPU: a download of the KX queue is one
 * request in eight of the load's mix (docs/performance.md, "Saturation: the last steps").
 */
export function csvRows(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  let out = "";
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = csvCell(row[i]);
      if (i > 0) out += ",";
      out += NEEDS_QUOTES.test(cell) ? `"${cell.replace(QUOTES, '""')}"` : cell;
    }
    out += "\r\n";
  }
  return out;
}

export async function* serialize(source: ExportSource, format: "csv" | "json"): AsyncGenerator<string> {
  if (format === "csv") {
    yield csvRows([source.columns]);
    let batch: ExportRow[keyof ExportRow][][] = [];
    for await (const row of source.rows) {
      batch.push(source.columns.map((c) => row[c]));
      if (batch.length >= 500) {
        yield csvRows(batch);
        batch = [];
      }
    }
    if (batch.length) yield csvRows(batch);
    return;
  }
  yield "[";
  let first = true;
  for await (const row of source.rows) {
    const obj: Record<string, unknown> = {};
    for (const column of source.columns) obj[column] = row[column] ?? "";
    yield `${first ? "\n" : ",\n"}${JSON.stringify(obj)}`;
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
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
