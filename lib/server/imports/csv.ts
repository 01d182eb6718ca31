// Reading an uploaded CSV (FORMATS.md): UTF-8 with optional BOM, RFC 4180, header row,
// any column order, unknown columns an error. Rows are numbered as a spreadsheet shows
// them: the header is row 1, the first data row is row 2.
import { parse } from "csv-parse/sync";
import type { z } from "zod";

export interface ImportIssue {
  where: string;
  message: string;
}

export interface ParsedCsv<T> {
  rows: { rowNumber: number; value: T }[];
  errors: ImportIssue[];
  /** the file's columns (an optional column may be left out) */
  header: string[];
}

/** `optional` columns may be left out of the header; their cells then read as empty. */
export function parseCsv<S extends z.ZodObject>(
  text: string,
  schema: S,
  maxErrors = 200,
  options: { optional?: string[] } = {},
): ParsedCsv<z.output<S>> {
  const columns = Object.keys(schema.shape);
  const optional = options.optional ?? [];
  const errors: ImportIssue[] = [];
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    const failure = error as { lines?: number; message: string };
    return {
      rows: [],
      header: [],
      errors: [{ where: failure.lines ? `row ${failure.lines}` : "file", message: `not a readable CSV: ${failure.message}` }],
    };
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  if (header.length === 0)
    return { rows: [], header, errors: [{ where: "row 1", message: "the file is empty: a header row is required" }] };
  const unknown = header.filter((h) => !columns.includes(h));
  const missing = columns.filter((c) => !header.includes(c) && !optional.includes(c));
  const dupes = header.filter((h, i) => header.indexOf(h) !== i);
  for (const column of unknown)
    errors.push({ where: `row 1, column ${column}`, message: `unknown column "${column}"; expected ${columns.join(", ")}` });
  for (const column of missing) errors.push({ where: `row 1, column ${column}`, message: `missing column "${column}"` });
  for (const column of dupes) errors.push({ where: `row 1, column ${column}`, message: `column "${column}" appears twice` });
  if (errors.length) return { rows: [], header, errors };
  if (records.length < 2) return { rows: [], header, errors: [{ where: "row 2", message: "the file has a header but no rows" }] };

  const rows: { rowNumber: number; value: z.output<S> }[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i] ?? [];
    const rowNumber = i + 1;
    if (record.length !== header.length) {
      errors.push({ where: `row ${rowNumber}`, message: `has ${record.length} fields; the header has ${header.length}` });
      continue;
    }
    const obj: Record<string, string> = Object.fromEntries(optional.map((c) => [c, ""]));
    header.forEach((h, j) => {
      obj[h] = record[j] ?? "";
    });
    const parsed = schema.safeParse(obj);
    if (parsed.success) rows.push({ rowNumber, value: parsed.data });
    else
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? "");
        errors.push({ where: `row ${rowNumber}, column ${column}`, message: `${column} ${issue.message}` });
      }
    if (errors.length >= maxErrors) {
      errors.push({ where: `row ${rowNumber}`, message: `stopped after ${maxErrors} errors` });
      break;
    }
  }
  return { rows, header, errors };
}
