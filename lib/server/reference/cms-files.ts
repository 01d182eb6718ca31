// Reading CMS relative-value (PPRRVU-style) and GPCI files: the shipped 2026 rows and any
// newer file a manager loads. Every row is validated; errors name the row and column.
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { isTimedCode, isUntimedCode } from "@/lib/billing/codes";

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
  records.forEach((record, recordIndex) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) rows.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        errors.push({ where: `row ${recordIndex + 2}, column ${String(issue.path[0] ?? "?")}`, message: issue.message });
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

// --- CMS's files as published ---------------------------------------------------------------
// Each reader finds CMS's header row below its title and copyright lines, takes the columns
// it needs by their names, and names the file's own line ("row N") and the column on any
// error. Rows of codes the app does not bill (everything but therapy codes) are counted,
// not loaded: a practice's tables hold what its claims use.

/** One parsed line of a CMS file: its cells and the file line it ends on (1-based). */
interface Line {
  cells: string[];
  row: number;
}

export interface CmsRead<Row> {
  rows: Row[];
  /** the file line of rows[i] */
  rowNumbers: number[];
  errors: FileIssue[];
  /** rows of codes the app does not bill, left out */
  skipped: number;
  /** what the reader took from the file (year, conversion factor), for the preview */
  notes: FileIssue[];
}

/** Conversion factors by year, used when a file's own column is empty (DOMAIN.md §3: non-QP). */
export const CONVERSION_FACTORS: Readonly<Record<number, string>> = { 2026: "33.4009" };
/** CMS's CY2026 factor for qualifying APM participants (the QPP file). */
const QP_CONVERSION_FACTORS: Readonly<Record<number, string>> = { 2026: "33.5675" };

function linesOf(text: string, delimiter = ","): { lines: Line[]; error: FileIssue | null } {
  try {
    const records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return { lines: records.map((r) => ({ cells: r.record.map((c) => c ?? ""), row: r.info.lines })), error: null };
  } catch (error) {
    const failure = error as { lines?: number; message: string };
    return {
      lines: [],
      error: { where: failure.lines ? `row ${failure.lines}` : "file", message: `not a readable file: ${failure.message}` },
    };
  }
}

const blank = (l: Line) => l.cells.every((c) => c.trim() === "");
const squash = (s: string) => s.replace(/\s+/g, " ").trim().toUpperCase();

/** Column index of the n-th (1-based) header cell equal to `name` (case and spacing ignored). */
function columnOf(header: string[], name: string, occurrence = 1): number {
  let seen = 0;
  for (let i = 0; i < header.length; i++) {
    if (squash(header[i] ?? "") === squash(name) && ++seen === occurrence) return i;
  }
  return -1;
}

/** True for a code the app bills and prices: timed and untimed therapy codes. */
export function isTherapyCode(code: string): boolean {
  return isTimedCode(code) || isUntimedCode(code);
}

export interface TherapyCodeOptions {
  /**
   * The codes of the practice's therapy code list (CMS's list it loaded, else the shipped
   * default with its fee schedule's MULT PROC 5 codes) beyond the built-in list: their fee
   * schedule rows, MUE caps and NCCI pairs are kept too.
   */
  therapyCodes?: ReadonlySet<string>;
}

function therapyTest(options: TherapyCodeOptions): (code: string) => boolean {
  const extra = options.therapyCodes;
  return extra && extra.size > 0 ? (code) => isTherapyCode(code) || extra.has(code) : isTherapyCode;
}

const cmsDecimal = /^\d+(\.\d+)?$/;
const hcpcsPattern = /^[A-Z0-9]{5}$/;

/** True when the text is CMS's PPRRVU file (its HCPCS/MOD header row) rather than the project's CSV. */
export function looksLikePprrvu(text: string): boolean {
  return /^\s*"?HCPCS"?\s*,\s*"?MOD"?\s*,/im.test(text.slice(0, 20_000));
}

/**
 * CMS's PPRRVU CSV (the RVU zip's PPRRVU<year>_<month>_nonQPP.csv or _QPP.csv): title and
 * copyright lines, a header split over several rows whose last row starts HCPCS, MOD,
 * DESCRIPTION; columns are found by that row's names (RVU and PE RVU appear twice: work then
 * malpractice, non-facility then facility). The year comes from the title line ("2026 National
 * Physician Fee Schedule Relative Value File …") or `year`; the conversion factor from each
 * row's CONV FACTOR, else the year's table. CPT descriptions are read past, never stored.
 */
export function readPprrvuCsv(text: string, options: { year?: number } & TherapyCodeOptions = {}): CmsRead<FeeScheduleCsvRow> {
  const out: CmsRead<FeeScheduleCsvRow> = { rows: [], rowNumbers: [], errors: [], skipped: 0, notes: [] };
  const { lines, error } = linesOf(text);
  if (error) return { ...out, errors: [error] };
  const headerAt = lines.findIndex((l) => squash(l.cells[0] ?? "") === "HCPCS" && squash(l.cells[1] ?? "") === "MOD");
  if (headerAt < 0) return { ...out, errors: [{ where: "file", message: "no header row starting HCPCS, MOD: not CMS's PPRRVU file" }] };
  const header = lines[headerAt]!.cells;
  const headerRow = lines[headerAt]!.row;
  const want = {
    hcpcs: columnOf(header, "HCPCS"),
    modifier: columnOf(header, "MOD"),
    status: columnOf(header, "CODE"),
    work_rvu: columnOf(header, "RVU", 1),
    nonfacility_pe_rvu: columnOf(header, "PE RVU", 1),
    facility_pe_rvu: columnOf(header, "PE RVU", 2),
    mp_rvu: columnOf(header, "RVU", 2),
    mult_proc_indicator: columnOf(header, "PROC"),
    conversion_factor: columnOf(header, "FACTOR"),
  };
  const names: Record<keyof typeof want, string> = {
    hcpcs: "HCPCS",
    modifier: "MOD",
    status: "STATUS CODE",
    work_rvu: "WORK RVU",
    nonfacility_pe_rvu: "NON-FAC PE RVU",
    facility_pe_rvu: "FACILITY PE RVU",
    mp_rvu: "MP RVU",
    mult_proc_indicator: "MULT PROC",
    conversion_factor: "CONV FACTOR",
  };
  for (const [key, index] of Object.entries(want) as [keyof typeof want, number][]) {
    if (index < 0 && key !== "conversion_factor")
      out.errors.push({ where: `row ${headerRow}`, message: `no ${names[key]} column in the header row` });
  }
  if (out.errors.length) return out;

  const title = lines
    .slice(0, headerAt)
    .flatMap((l) => l.cells)
    .join(" ");
  const titleYear = /(\d{4}) National Physician Fee Schedule Relative Value File/i.exec(title)?.[1];
  const year = options.year ?? (titleYear ? Number(titleYear) : undefined);
  if (!year) {
    return {
      ...out,
      errors: [{ where: "row 1", message: 'the title line names no year ("2026 National Physician Fee Schedule …"): give the year' }],
    };
  }
  out.notes.push({ where: "file", message: `CMS PPRRVU file for ${year}${titleYear ? " (from its title line)" : ""}` });
  const rows = lines
    .slice(headerAt + 1)
    .filter((line) => !blank(line))
    .map((line) => ({
      row: line.row,
      cell: (key: PprrvuField) => (want[key] >= 0 ? (line.cells[want[key]] ?? "").trim() : ""),
      where: (key: PprrvuField) => `row ${line.row}, column ${names[key]}`,
      // CMS ends some releases with notes below the table: a line without a code is not a row
      note: (line.cells[want.hcpcs] ?? "").trim() === "" && line.cells.slice(1).every((c) => c.trim() === ""),
    }));
  return pprrvuRows(out, year, rows, therapyTest(options));
}

type PprrvuField =
  | "hcpcs"
  | "modifier"
  | "status"
  | "work_rvu"
  | "nonfacility_pe_rvu"
  | "facility_pe_rvu"
  | "mp_rvu"
  | "mult_proc_indicator"
  | "conversion_factor";

interface PprrvuLine {
  row: number;
  cell: (key: PprrvuField) => string;
  where: (key: PprrvuField) => string;
  /** not a row of the table (notes below it) */
  note: boolean;
}

/**
 * The rows of either PPRRVU layout (CSV or fixed-width TXT), checked the same way: therapy
 * codes' global rows only, every RVU a number, MULT PROC one digit, the conversion factor
 * from the row or else the year's table.
 */
function pprrvuRows(
  out: CmsRead<FeeScheduleCsvRow>,
  year: number,
  lines: PprrvuLine[],
  isTherapy: (code: string) => boolean,
): CmsRead<FeeScheduleCsvRow> {
  const tableFactor = CONVERSION_FACTORS[year];
  let factorsFromFile = 0;
  const addedCodes: string[] = [];
  for (const line of lines) {
    if (line.note) continue;
    const { cell, where } = line;
    const code = cell("hcpcs").toUpperCase();
    if (!hcpcsPattern.test(code)) {
      out.errors.push({ where: where("hcpcs"), message: `must be a 5-character HCPCS/CPT code (got "${code}")` });
      continue;
    }
    const modifier = cell("modifier").toUpperCase();
    // therapy codes only, and only their global rows (no -26/-TC/-53 rows): the practice's
    // therapy code list, and every code CMS marks MULT PROC 5 (therapy MPPR), so a code CMS adds
    // to the therapy list is priced and reduced like the others without a change of the app
    const multProc5 = cell("mult_proc_indicator") === "5";
    if ((!isTherapy(code) && !multProc5) || modifier !== "") {
      out.skipped += 1;
      continue;
    }
    if (!isTherapy(code)) addedCodes.push(code);
    const status = cell("status").toUpperCase();
    if (!/^[A-Z]$/.test(status)) out.errors.push({ where: where("status"), message: `must be a one-letter status code (got "${status}")` });
    for (const key of ["work_rvu", "nonfacility_pe_rvu", "facility_pe_rvu", "mp_rvu"] as const) {
      const value = cell(key);
      if (!cmsDecimal.test(value)) out.errors.push({ where: where(key), message: `must be a number (got "${value}")` });
    }
    const mult = cell("mult_proc_indicator");
    if (!/^\d$/.test(mult)) out.errors.push({ where: where("mult_proc_indicator"), message: `must be one digit (got "${mult}")` });
    let factor = cell("conversion_factor");
    if (factor !== "" && !cmsDecimal.test(factor)) {
      out.errors.push({ where: where("conversion_factor"), message: `must be a number (got "${factor}")` });
    } else if (factor === "" || Number(factor) === 0) {
      if (!tableFactor) {
        out.errors.push({
          where: where("conversion_factor"),
          message: `is empty and no conversion factor for ${year} is known: use a file with its CONV FACTOR column filled in`,
        });
        continue;
      }
      factor = tableFactor;
    } else factorsFromFile += 1;
    if (out.errors.length >= 200) break;
    out.rows.push({
      year,
      hcpcs: code,
      modifier: "",
      status,
      work_rvu: cell("work_rvu"),
      nonfacility_pe_rvu: cell("nonfacility_pe_rvu"),
      facility_pe_rvu: cell("facility_pe_rvu"),
      mp_rvu: cell("mp_rvu"),
      mult_proc_indicator: mult,
      conversion_factor: factor,
    });
    out.rowNumbers.push(line.row);
  }
  if (out.errors.length) return { ...out, rows: [], rowNumbers: [] };
  if (out.rows.length === 0) out.errors.push({ where: "file", message: "no therapy code rows in the file" });
  const factors = [...new Set(out.rows.map((r) => r.conversion_factor))];
  out.notes.push({
    where: "file",
    message:
      factorsFromFile === out.rows.length
        ? `conversion factor ${factors.join(", ")} from the file's CONV FACTOR column`
        : `conversion factor ${tableFactor} (the ${year} table) where the file's CONV FACTOR column is empty`,
  });
  if (addedCodes.length)
    out.notes.push({
      where: "file",
      message: `${addedCodes.length} code(s) the app did not know as therapy are loaded because CMS marks them always therapy (MULT PROC 5): ${addedCodes.join(", ")}`,
    });
  if (factors.includes(QP_CONVERSION_FACTORS[year] ?? "-"))
    out.notes.push({
      where: "file",
      message: `this is the QPP file (conversion factor ${QP_CONVERSION_FACTORS[year]}, for qualifying APM participants); most practices load the nonQPP file`,
    });
  return out;
}

/**
 * The fixed-width layout of the RVU zip's PPRRVU<yy>_<month>.txt, by character position
 * (0-based start, end exclusive; CMS's record layout counts from 1): measured on CMS's
 * published files (171 characters a line, `HDR` copyright lines first). The columns are those
 * of the CSV, in the same order: HCPCS 1–5, MOD 6–7, DESCRIPTION 8–57, STATUS CODE 58, NOT
 * USED FOR MEDICARE PAYMENT 59, WORK RVU 60–65, NON-FAC PE RVU 66–72, its NA INDICATOR 73–74,
 * FACILITY PE RVU 75–81, its NA INDICATOR 82–83, MP RVU 84–89, NON-FACILITY TOTAL 90–96,
 * FACILITY TOTAL 97–102, PCTC IND 103, GLOBAL DAYS 104–106, PRE/INTRA/POST OP 107–115,
 * MULT PROC 116, BILAT/ASST/CO/TEAM SURG 117–120, ENDO BASE 121–125, CONV FACTOR 126–140,
 * PHYS SUPERVISION 142–143, CALCULATION FLAG 144, DIAGNOSTIC IMAGING FAMILY 146–147, then the
 * three OPPS amounts (148–171).
 */
export const PPRRVU_TXT_LAYOUT: Readonly<Record<PprrvuField, { start: number; end: number; name: string }>> = {
  hcpcs: { start: 0, end: 5, name: "HCPCS" },
  modifier: { start: 5, end: 7, name: "MOD" },
  status: { start: 57, end: 58, name: "STATUS CODE" },
  work_rvu: { start: 59, end: 65, name: "WORK RVU" },
  nonfacility_pe_rvu: { start: 65, end: 72, name: "NON-FAC PE RVU" },
  facility_pe_rvu: { start: 74, end: 81, name: "FACILITY PE RVU" },
  mp_rvu: { start: 83, end: 89, name: "MP RVU" },
  mult_proc_indicator: { start: 115, end: 116, name: "MULT PROC" },
  conversion_factor: { start: 125, end: 140, name: "CONV FACTOR" },
};

/** The shortest data line that holds every column the loader reads but the conversion factor. */
const PPRRVU_TXT_MIN_LENGTH = 116;

/** True when the text is the RVU zip's fixed-width PPRRVU TXT (its HDR lines, or a first line in that layout). */
export function looksLikePprrvuTxt(text: string): boolean {
  const head = text.slice(0, 5_000).replace(/^\uFEFF/, "");
  if (/^HDR /.test(head)) return true;
  const first = head.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return !first.includes(",") && /^[A-Z0-9]{5}[A-Z0-9 ]{2}.{50}[A-Z][ +]\s*\d+\.\d\d/.test(first);
}

/** The year of a PPRRVU file from its name: PPRRVU26_JAN.txt, PPRRVU2026_Jul_nonQPP.csv. */
export function pprrvuYearOfFileName(fileName: string | undefined): number | undefined {
  const match = /PPRRVU(\d{4}|\d{2})(?!\d)/i.exec(fileName ?? "");
  if (!match) return undefined;
  return match[1]!.length === 2 ? 2000 + Number(match[1]) : Number(match[1]);
}

/**
 * CMS's PPRRVU in the fixed-width TXT layout of the RVU zip (PPRRVU26_JAN.txt): `HDR` lines
 * (copyright) skipped, then one row per line, its columns at the positions of
 * PPRRVU_TXT_LAYOUT, checked as the CSV's are. The file names no year inside it: the year comes
 * from `year`, else from the file name (PPRRVU26_… → 2026).
 */
export function readPprrvuTxt(
  text: string,
  options: { year?: number; fileName?: string } & TherapyCodeOptions = {},
): CmsRead<FeeScheduleCsvRow> {
  const out: CmsRead<FeeScheduleCsvRow> = { rows: [], rowNumbers: [], errors: [], skipped: 0, notes: [] };
  const nameYear = pprrvuYearOfFileName(options.fileName);
  const year = options.year ?? nameYear;
  if (!year) {
    return {
      ...out,
      errors: [
        { where: "file", message: 'the TXT file names no year and its file name none either (such as "PPRRVU26_JAN.txt"): give the year' },
      ],
    };
  }
  out.notes.push({
    where: "file",
    message: `CMS PPRRVU file (fixed-width TXT) for ${year}${options.year === undefined ? " (from its file name)" : ""}`,
  });
  const lines: PprrvuLine[] = [];
  const textLines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < textLines.length; i++) {
    const raw = textLines[i]!;
    const row = i + 1;
    if (raw.trim() === "" || raw.startsWith("HDR")) continue;
    if (raw.includes(",") || raw.includes("\t")) {
      out.errors.push({ where: `row ${row}`, message: "holds commas or tabs: not CMS's fixed-width layout (load the CSV as it is)" });
      if (out.errors.length >= 200) break;
      continue;
    }
    if (raw.length < PPRRVU_TXT_MIN_LENGTH && /^[A-Z0-9]{5}/.test(raw)) {
      out.errors.push({
        where: `row ${row}`,
        message: `is ${raw.length} characters long; CMS's layout puts MULT PROC at character 116: the line is cut or not in the fixed-width layout`,
      });
      if (out.errors.length >= 200) break;
      continue;
    }
    const cell = (key: PprrvuField) => raw.slice(PPRRVU_TXT_LAYOUT[key].start, PPRRVU_TXT_LAYOUT[key].end).trim();
    const where = (key: PprrvuField) =>
      `row ${row}, column ${PPRRVU_TXT_LAYOUT[key].name} (characters ${PPRRVU_TXT_LAYOUT[key].start + 1}–${PPRRVU_TXT_LAYOUT[key].end})`;
    lines.push({ row, cell, where, note: false });
  }
  if (out.errors.length) return out;
  return pprrvuRows(out, year, lines, therapyTest(options));
}

/** True when the text is CMS's GPCI addendum (its "Locality Number" header) rather than the project's CSV. */
export function looksLikeCmsGpci(text: string): boolean {
  return /Locality Number/i.test(text.slice(0, 5_000)) && /PW GPCI/i.test(text.slice(0, 5_000));
}

/**
 * CMS's GPCI file (Addendum E / GPCI<year>.csv of the RVU zip): a title line, then the header
 * "Medicare Administrative Contractor (MAC), State, Locality Number, Locality Name, <year> PW
 * GPCI (with 1.0 Floor), <year> PE GPCI, <year> MP GPCI"; the year comes from those names.
 * Footnote marks (*) after a locality name are dropped; footnote lines below the table skipped.
 */
export function readCmsGpciCsv(text: string): CmsRead<GpciCsvRow> {
  const out: CmsRead<GpciCsvRow> = { rows: [], rowNumbers: [], errors: [], skipped: 0, notes: [] };
  const { lines, error } = linesOf(text);
  if (error) return { ...out, errors: [error] };
  const headerAt = lines.findIndex((l) => l.cells.some((c) => /^Locality Number$/i.test(c.trim())));
  if (headerAt < 0) return { ...out, errors: [{ where: "file", message: 'no header row with "Locality Number": not CMS\'s GPCI file' }] };
  const header = lines[headerAt]!.cells.map((c) => c.replace(/\*+$/, "").replace(/\s+/g, " ").trim());
  const find = (re: RegExp) => header.findIndex((h) => re.test(h));
  const col = {
    mac: find(/^Medicare Administrative Contractor/i),
    state: find(/^State$/i),
    locality: find(/^Locality Number$/i),
    locality_name: find(/^Locality Name$/i),
    work_gpci: find(/^\d{4} PW GPCI/i),
    pe_gpci: find(/^\d{4} PE GPCI/i),
    mp_gpci: find(/^\d{4} MP GPCI/i),
  };
  const names: Record<keyof typeof col, string> = {
    mac: "Medicare Administrative Contractor (MAC)",
    state: "State",
    locality: "Locality Number",
    locality_name: "Locality Name",
    work_gpci: "PW GPCI",
    pe_gpci: "PE GPCI",
    mp_gpci: "MP GPCI",
  };
  const headerRow = lines[headerAt]!.row;
  for (const [key, index] of Object.entries(col) as [keyof typeof col, number][])
    if (index < 0) out.errors.push({ where: `row ${headerRow}`, message: `no "${names[key]}" column in the header row` });
  if (out.errors.length) return out;
  const year = Number(/^(\d{4})/.exec(header[col.work_gpci]!)?.[1]);
  out.notes.push({ where: "file", message: `CMS GPCI file for ${year} (from its column names)` });
  for (const line of lines.slice(headerAt + 1)) {
    if (blank(line)) continue;
    const cell = (key: keyof typeof col) => (line.cells[col[key]] ?? "").trim();
    const where = (key: keyof typeof col) => `row ${line.row}, column ${names[key]}`;
    // footnotes below the table: text in the first cell only
    if (line.cells.slice(1).every((c) => c.trim() === "")) continue;
    const parsed = gpciCsvRow.safeParse({
      year: String(year),
      mac: cell("mac"),
      state: cell("state").toUpperCase(),
      locality: cell("locality"),
      locality_name: cell("locality_name").replace(/\*+$/, "").trim(),
      work_gpci: cell("work_gpci"),
      pe_gpci: cell("pe_gpci"),
      mp_gpci: cell("mp_gpci"),
    });
    if (parsed.success) {
      out.rows.push(parsed.data);
      out.rowNumbers.push(line.row);
    } else
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "mac") as keyof typeof col;
        out.errors.push({ where: where(key in col ? key : "mac"), message: `${issue.message} (got "${cell(key in col ? key : "mac")}")` });
      }
    if (out.errors.length >= 200) break;
  }
  if (out.errors.length) return { ...out, rows: [], rowNumbers: [] };
  if (out.rows.length === 0) out.errors.push({ where: "file", message: "no locality rows in the file" });
  return out;
}

export interface MueRow {
  cpt: string;
  units: number;
  /** 1 line edit, 2 date of service (policy), 3 date of service (clinical) */
  adjudicationIndicator: string;
  rationale: string;
}

/**
 * CMS's practitioner MUE table (MCR_MUE_PractitionerServices_Eff_<date>.csv): a quoted AMA
 * notice first, then the header "HCPCS/CPT Code, Practitioner Services MUE Values, MUE
 * Adjudication Indicator, MUE Rationale" (the first name may hold a line break). The
 * indicator cell reads e.g. "3 Date of Service Edit: Clinical"; its digit is the indicator.
 */
export function readMueCsv(text: string, options: TherapyCodeOptions = {}): CmsRead<MueRow> {
  const isTherapy = therapyTest(options);
  const out: CmsRead<MueRow> = { rows: [], rowNumbers: [], errors: [], skipped: 0, notes: [] };
  const { lines, error } = linesOf(text);
  if (error) return { ...out, errors: [error] };
  const headerAt = lines.findIndex((l) => /^HCPCS\s*\/\s*CPT Code$/i.test((l.cells[0] ?? "").replace(/\s+/g, " ").trim()));
  if (headerAt < 0)
    return { ...out, errors: [{ where: "file", message: 'no header row starting "HCPCS/CPT Code": not CMS\'s MUE table' }] };
  const header = lines[headerAt]!.cells.map((c) => c.replace(/\s+/g, " ").trim());
  const col = {
    code: 0,
    units: header.findIndex((h) => /MUE Values$/i.test(h)),
    mai: header.findIndex((h) => /Adjudication Indicator$/i.test(h)),
    rationale: header.findIndex((h) => /Rationale$/i.test(h)),
  };
  const names = {
    code: "HCPCS/CPT Code",
    units: "Practitioner Services MUE Values",
    mai: "MUE Adjudication Indicator",
    rationale: "MUE Rationale",
  };
  const headerRow = lines[headerAt]!.row;
  for (const key of ["units", "mai"] as const)
    if (col[key] < 0) out.errors.push({ where: `row ${headerRow}`, message: `no "${names[key]}" column in the header row` });
  if (out.errors.length) return out;
  if (!/Practitioner/i.test(header[col.units] ?? ""))
    out.notes.push({
      where: `row ${headerRow}`,
      message: `the MUE column reads "${header[col.units]}": this may not be the practitioner table`,
    });
  for (const line of lines.slice(headerAt + 1)) {
    if (blank(line)) continue;
    const cell = (key: keyof typeof col) => (col[key] >= 0 ? (line.cells[col[key]] ?? "").trim() : "");
    const where = (key: keyof typeof col) => `row ${line.row}, column ${names[key]}`;
    const code = cell("code").toUpperCase();
    if (!hcpcsPattern.test(code)) {
      out.errors.push({ where: where("code"), message: `must be a 5-character HCPCS/CPT code (got "${code}")` });
      continue;
    }
    if (!isTherapy(code)) {
      out.skipped += 1;
      continue;
    }
    const units = cell("units");
    const mai = /^([123])(\D|$)/.exec(cell("mai"))?.[1];
    if (!/^\d{1,4}$/.test(units)) out.errors.push({ where: where("units"), message: `must be a whole number of units (got "${units}")` });
    if (!mai) out.errors.push({ where: where("mai"), message: `must start with 1, 2 or 3 (got "${cell("mai")}")` });
    if (out.errors.length >= 200) break;
    if (out.errors.length) continue;
    out.rows.push({ cpt: code, units: Number(units), adjudicationIndicator: mai!, rationale: cell("rationale").slice(0, 200) });
    out.rowNumbers.push(line.row);
  }
  if (out.errors.length) return { ...out, rows: [], rowNumbers: [] };
  if (out.rows.length === 0) out.errors.push({ where: "file", message: "no therapy code rows in the file" });
  return out;
}

export interface NcciPtpRow {
  column1: string;
  column2: string;
  /** YYYY-MM-DD */
  effective: string;
  /** YYYY-MM-DD, or null when the edit is in force ("*" in the file) */
  deleted: string | null;
  /** 0 never billed together, 1 a 59/X modifier may bypass, 9 not applicable */
  modifierIndicator: string;
  rationale: string;
}

/**
 * CMS's NCCI PTP practitioner edits (ccipra-v<release>-f<n>.txt, tab-separated; or the same
 * table saved as CSV): copyright lines, then the header "Column 1, Column 2, *=in existence
 * prior to 1996, Effective Date, Deletion Date *=no data, Modifier 0=not allowed 1=allowed
 * 9=not applicable, PTP Edit Rationale" (CMS may wrap its names onto a second header line).
 */
export function readNcciPtp(text: string, options: TherapyCodeOptions = {}): CmsRead<NcciPtpRow> {
  const isTherapy = therapyTest(options);
  const out: CmsRead<NcciPtpRow> = { rows: [], rowNumbers: [], errors: [], skipped: 0, notes: [] };
  const headerLine = text.split(/\r?\n/).find((l) => /^\s*"?Column 1"?\s*[\t,]/i.test(l));
  if (!headerLine) return { ...out, errors: [{ where: "file", message: 'no header row starting "Column 1": not CMS\'s NCCI PTP file' }] };
  const { lines, error } = linesOf(text, headerLine.includes("\t") ? "\t" : ",");
  if (error) return { ...out, errors: [error] };
  const headerAt = lines.findIndex((l) => /^Column 1$/i.test((l.cells[0] ?? "").trim()));
  const header = lines[headerAt]!.cells.map((c) => c.replace(/\s+/g, " ").trim());
  const find = (re: RegExp) => header.findIndex((h) => re.test(h));
  const col = {
    column1: 0,
    column2: find(/^Column 2$/i),
    effective: find(/^Effective/i),
    deleted: find(/^Deletion/i),
    modifier: find(/^Modifier/i),
    rationale: find(/Rationale/i),
  };
  const names = {
    column1: "Column 1",
    column2: "Column 2",
    effective: "Effective Date",
    deleted: "Deletion Date",
    modifier: "Modifier",
    rationale: "PTP Edit Rationale",
  };
  const headerRow = lines[headerAt]!.row;
  for (const key of ["column2", "effective", "deleted", "modifier"] as const)
    if (col[key] < 0) out.errors.push({ where: `row ${headerRow}`, message: `no "${names[key]}" column in the header row` });
  if (out.errors.length) return out;
  const date = (s: string) => (/^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null);
  for (const line of lines.slice(headerAt + 1)) {
    if (blank(line)) continue;
    const cell = (key: keyof typeof col) => (col[key] >= 0 ? (line.cells[col[key]] ?? "").trim() : "");
    const where = (key: keyof typeof col) => `row ${line.row}, column ${names[key]}`;
    const c1 = cell("column1").toUpperCase();
    // the rest of a header CMS wrapped onto a second line
    if (out.rows.length === 0 && out.skipped === 0 && !/\d/.test(c1)) continue;
    const c2 = cell("column2").toUpperCase();
    if (!hcpcsPattern.test(c1)) out.errors.push({ where: where("column1"), message: `must be a 5-character HCPCS/CPT code (got "${c1}")` });
    if (!hcpcsPattern.test(c2)) out.errors.push({ where: where("column2"), message: `must be a 5-character HCPCS/CPT code (got "${c2}")` });
    const effective = date(cell("effective"));
    if (!effective) out.errors.push({ where: where("effective"), message: `must be a date YYYYMMDD (got "${cell("effective")}")` });
    const deletedCell = cell("deleted");
    const deleted = deletedCell === "*" || deletedCell === "" ? null : date(deletedCell);
    if (deletedCell !== "*" && deletedCell !== "" && !deleted)
      out.errors.push({ where: where("deleted"), message: `must be * or a date YYYYMMDD (got "${deletedCell}")` });
    const modifier = cell("modifier");
    if (!/^[019]$/.test(modifier)) out.errors.push({ where: where("modifier"), message: `must be 0, 1 or 9 (got "${modifier}")` });
    if (out.errors.length >= 200) break;
    if (out.errors.length) continue;
    if (!isTherapy(c1) || !isTherapy(c2)) {
      out.skipped += 1;
      continue;
    }
    out.rows.push({
      column1: c1,
      column2: c2,
      effective: effective!,
      deleted,
      modifierIndicator: modifier,
      rationale: cell("rationale").slice(0, 200),
    });
    out.rowNumbers.push(line.row);
  }
  if (out.errors.length) return { ...out, rows: [], rowNumbers: [] };
  if (out.rows.length === 0) out.errors.push({ where: "file", message: "no pairs of therapy codes in the file" });
  return out;
}

export interface TherapyCodeRow {
  cpt: string;
  status: "always" | "sometimes";
}

/** The code column of a therapy code list, by CMS's names for it. */
const THERAPY_CODE_COLUMN = /^(CPT\s*\/\s*HCPCS|HCPCS\s*\/\s*CPT|HCPCS|CPT)(\s+CODES?)?$|^CODES?$/i;
/** The status column: "Therapy Status", "Status", "Always/Sometimes Therapy", "Classification", … */
const THERAPY_STATUS_COLUMN =
  /^(THERAPY\s+)?(STATUS|DESIGNATION|CLASSIFICATION|CATEGORY|TYPE)$|^ALWAYS\s*(\/|OR)\s*SOMETIMES(\s+THERAPY)?$|^THERAPY\s+CODE\s+(STATUS|TYPE)$/i;

/**
 * CMS's therapy code list (the Annual Therapy Update): one row per code with its descriptor and
 * whether it is "Always Therapy" or "Sometimes Therapy". CMS publishes it in its change requests
 * and on its Annual Therapy Update page; saved as CSV or as a tab- or pipe-separated TXT, the
 * header row is found below any title and copyright lines by its column names (a code column:
 * "CPT/HCPCS Code", "HCPCS", "CPT Code", "Code"; a status column: "Therapy Status", "Status",
 * "Always/Sometimes Therapy", "Classification"); the descriptor is read past, never stored (AMA
 * copyright). The file is the whole list: codes not in it are no longer therapy.
 */
export function readTherapyCodeList(text: string): CmsRead<TherapyCodeRow> {
  const out: CmsRead<TherapyCodeRow> = { rows: [], rowNumbers: [], errors: [], skipped: 0, notes: [] };
  const firstLines = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .slice(0, 200);
  const headerLine = firstLines.find((l) => l.split(/[\t|,]/).some((c) => THERAPY_CODE_COLUMN.test(c.replace(/"/g, "").trim())));
  const delimiter = headerLine === undefined ? "," : headerLine.includes("\t") ? "\t" : headerLine.includes("|") ? "|" : ",";
  const { lines, error } = linesOf(text, delimiter);
  if (error) return { ...out, errors: [error] };
  const clean = (c: string) => c.replace(/\s+/g, " ").trim();
  const headerAt = lines.findIndex(
    (l) => l.cells.some((c) => THERAPY_CODE_COLUMN.test(clean(c))) && l.cells.some((c) => THERAPY_STATUS_COLUMN.test(clean(c))),
  );
  if (headerAt < 0)
    return {
      ...out,
      errors: [
        {
          where: "file",
          message:
            'no header row with a code column ("CPT/HCPCS Code", "HCPCS", "Code") and a therapy status column ("Therapy Status", "Status"): not CMS\'s therapy code list',
        },
      ],
    };
  const header = lines[headerAt]!.cells.map(clean);
  const col = {
    code: header.findIndex((h) => THERAPY_CODE_COLUMN.test(h)),
    status: header.findIndex((h) => THERAPY_STATUS_COLUMN.test(h)),
  };
  const names = { code: header[col.code]!, status: header[col.status]! };
  out.notes.push({
    where: `row ${lines[headerAt]!.row}`,
    message: `CMS therapy code list: codes from column "${names.code}", always/sometimes therapy from column "${names.status}"`,
  });
  for (const line of lines.slice(headerAt + 1)) {
    if (blank(line)) continue;
    const cell = (key: keyof typeof col) => clean(line.cells[col[key]] ?? "");
    const where = (key: keyof typeof col) => `row ${line.row}, column ${names[key]}`;
    const code = cell("code").toUpperCase();
    // notes and footnotes below the table: words (not a code) and no status
    if (cell("status") === "" && (code === "" || /\s/.test(code))) continue;
    if (!hcpcsPattern.test(code)) {
      out.errors.push({ where: where("code"), message: `must be a 5-character HCPCS/CPT code (got "${cell("code")}")` });
    }
    const statusText = cell("status").toUpperCase();
    const status = /^ALWAYS( THERAPY)?$/.test(statusText) ? "always" : /^SOMETIMES( THERAPY)?$/.test(statusText) ? "sometimes" : null;
    if (status === null)
      out.errors.push({ where: where("status"), message: `must be "Always Therapy" or "Sometimes Therapy" (got "${cell("status")}")` });
    if (out.errors.length >= 200) break;
    if (out.errors.length) continue;
    out.rows.push({ cpt: code, status: status! });
    out.rowNumbers.push(line.row);
  }
  if (out.errors.length) return { ...out, rows: [], rowNumbers: [] };
  if (out.rows.length === 0) out.errors.push({ where: "file", message: "no codes in the list" });
  return out;
}
