// Reading CMS relative-value (PPRRVU-style) and GPCI files: the shipped 2026 rows and any
// newer file a manager loads. Every row is validated; errors name the row and column.
import { parse } from "csv-parse/sync";
import { z } from "zod";

export interface FileIssue {
  where: string;
  message: string;
}

const decimal = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, { error: "must be a number" });

export const feeScheduleCsvRow = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  hcpcs: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{5}$/, { error: "must be a 5-character HCPCS/CPT code" }),
  modifier: z.string().trim().max(2).default(""),
  status: z.string().trim().min(1).max(2),
  work_rvu: decimal,
  nonfacility_pe_rvu: decimal,
  facility_pe_rvu: decimal,
  mp_rvu: decimal,
  mult_proc_indicator: z.string().trim().min(1).max(1),
  conversion_factor: decimal,
});
export type FeeScheduleCsvRow = z.output<typeof feeScheduleCsvRow>;

export const gpciCsvRow = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  mac: z.string().trim().min(1),
  state: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, { error: "must be a two-letter state" }),
  locality: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, { error: "must be a locality number" }),
  locality_name: z.string().trim(),
  work_gpci: decimal,
  pe_gpci: decimal,
  mp_gpci: decimal,
});
export type GpciCsvRow = z.output<typeof gpciCsvRow>;

const feeColumns = [
  "year",
  "hcpcs",
  "modifier",
  "status",
  "work_rvu",
  "nonfacility_pe_rvu",
  "facility_pe_rvu",
  "mp_rvu",
  "mult_proc_indicator",
  "conversion_factor",
];
const gpciColumns = ["year", "mac", "state", "locality", "locality_name", "work_gpci", "pe_gpci", "mp_gpci"];

function readCsv<T extends z.ZodType>(text: string, schema: T, required: string[]): { rows: z.output<T>[]; errors: FileIssue[] } {
  const errors: FileIssue[] = [];
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: false, relax_column_count: false });
  } catch (error) {
    return { rows: [], errors: [{ where: "file", message: `not a readable CSV: ${(error as Error).message}` }] };
  }
  const header = records.length > 0 ? Object.keys(records[0] as object) : [];
  const missing = required.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length) errors.push({ where: "header", message: `missing column(s): ${missing.join(", ")}` });
  const rows: z.output<T>[] = [];
  records.forEach((record, i) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) rows.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        errors.push({ where: `row ${i + 2}, column ${String(issue.path[0] ?? "?")}`, message: issue.message });
  });
  if (records.length === 0) errors.push({ where: "file", message: "no rows" });
  return { rows, errors };
}

export function readFeeScheduleCsv(text: string) {
  return readCsv(
    text,
    feeScheduleCsvRow,
    feeColumns.filter((c) => c !== "modifier"),
  );
}

export function readGpciCsv(text: string) {
  return readCsv(text, gpciCsvRow, gpciColumns);
}

export function localityKey(row: Pick<GpciCsvRow, "state" | "locality">): string {
  return `${row.state}-${row.locality.padStart(2, "0")}`;
}
