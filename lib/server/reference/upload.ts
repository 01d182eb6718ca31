// A manager loads a newer CMS file (fee schedule relative values or GPCIs): the file is
// validated (errors name the row and column), previewed (new rows, changed values old → new;
// rows not in the file are kept, never removed), then applied in one transaction that
// re-prices every visit. The web upload and `scripts/reference.ts` share this code.
import { parse } from "csv-parse/sync";
import type { TherapyCodeList } from "@/lib/billing";
import type { ImportKind } from "@/lib/generated/prisma/client";
import type { ReferenceKind } from "@/lib/schemas/reference";
import { type Db, db, type Tx } from "../core/db";
import { type ImportOutcome, type ImportResult, runImport, sha256 } from "../imports/run";
import { recomputeDerived } from "../derived";
import { practiceTherapyCodes } from "../derived/pricing";
import {
  type CmsRead,
  type FeeScheduleCsvRow,
  type FileIssue,
  feeScheduleCsvRow,
  type GpciCsvRow,
  gpciCsvRow,
  localityKey,
  looksLikeCmsGpci,
  looksLikePprrvu,
  looksLikePprrvuTxt,
  type MueRow,
  type NcciPtpRow,
  readCmsGpciCsv,
  readFeeScheduleCsv,
  readGpciCsv,
  readMueCsv,
  readNcciPtp,
  readPprrvuCsv,
  readPprrvuTxt,
  readTherapyCodeList,
  type TherapyCodeRow,
} from "./cms-files";
import { replaceTherapyCodes, upsertFeeSchedule, upsertGpcis, upsertMueCaps, upsertNcciPairs } from "./load";

type Client = Db | Tx;

/** Columns of the CMS file that are informational only (totals the app derives itself). */
const FEE_INFO_COLUMNS = ["nonfacility_total", "facility_total", "global_days"];

interface Field {
  column: string;
  /** digits the database keeps: before and after the decimal point */
  decimal?: { integer: number; fraction: number };
}

interface ReadOptions {
  /** the year of a CMS file whose title line names none */
  year?: number;
  /** the uploaded file's name (the PPRRVU TXT's year is in it: PPRRVU26_JAN.txt) */
  fileName?: string;
  /** the codes of the practice's therapy code list */
  therapyCodes?: ReadonlySet<string>;
}

/**
 * The practice's therapy code list (lib/server/derived/pricing.ts practiceTherapyCodes): CMS's list it
 * loaded, else the shipped default with every code its fee schedule marks MULT PROC 5.
 */
async function therapyCodeListOf(client: Client, practiceId: number): Promise<TherapyCodeList> {
  const rows = await client.therapyCode.findMany({ where: { practiceId }, select: { cpt: true, status: true } });
  const mult5 =
    rows.length > 0
      ? []
      : await client.feeScheduleRow.findMany({ where: { practiceId, multProcIndicator: "5" }, select: { cpt: true }, distinct: ["cpt"] });
  return practiceTherapyCodes(
    rows,
    mult5.map((r) => r.cpt),
  );
}

async function therapyCodesOfPractice(client: Client, practiceId: number): Promise<ReadonlySet<string>> {
  return new Set((await therapyCodeListOf(client, practiceId)).codes.keys());
}

interface Kind<Row> {
  importKind: ImportKind;
  title: string;
  read: (text: string, options: ReadOptions) => CmsRead<Row>;
  /** true for the project's own CSV layout (one header row of known column names) */
  ownLayout: (text: string) => boolean;
  columns: string[];
  fields: Field[];
  year: (row: Row) => number;
  key: (row: Row) => string;
  label: (row: Row) => string;
  value: (row: Row, column: string) => string;
  existing: (client: Client, practiceId: number, years: number[]) => Promise<Map<string, Record<string, string>>>;
  upsert: (tx: Tx, practiceId: number, rows: Row[]) => Promise<number>;
  warnings: (client: Client, practiceId: number, rows: Row[]) => Promise<FileIssue[]>;
  /**
   * The file is the whole table (the therapy code list): rows in the table but not in the file
   * are removed, and applying writes the file's rows in place of the table's.
   */
  wholeTable?: {
    /** a row of the table as it is now, from its key and values (to list what is removed) */
    rowOf: (key: string, values: Record<string, string>) => Row;
    replace: (tx: Tx, practiceId: number, rows: Row[]) => Promise<number>;
  };
  /** rows the file marks as no longer in force: taken out of the table when present */
  retired?: (row: Row) => boolean;
  remove?: (tx: Tx, practiceId: number, rows: Row[]) => Promise<number>;
  /** the codes a row is about, for the claim checks to re-check the visits that bill them (MUE, NCCI) */
  codes?: (row: Row) => string[];
}

/** The project's own CSV read as CMS's files are: every data row is the file's row i + 2. */
function ownCsv<Row>(read: { rows: Row[]; errors: FileIssue[] }): CmsRead<Row> {
  return { ...read, rowNumbers: read.rows.map((_, i) => i + 2), skipped: 0, notes: [] };
}

/** "0.450" → "0.45", "1.000" → "1": decimals compared by value, shown without trailing zeros. */
export function normalizeDecimal(text: string): string {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return trimmed;
  const [whole = "0", frac = ""] = trimmed.replace(/^-/, "").split(".");
  const wholeDigits = whole.replace(/^0+(?=\d)/, "");
  const fractionDigits = frac.replace(/0+$/, "");
  const body = fractionDigits ? `${wholeDigits}.${fractionDigits}` : wholeDigits;
  return trimmed.startsWith("-") && body !== "0" ? `-${body}` : body;
}

const feeSchedule: Kind<FeeScheduleCsvRow> = {
  importKind: "FEE_SCHEDULE",
  title: "fee schedule",
  read: (text, options) =>
    looksLikePprrvuTxt(text)
      ? readPprrvuTxt(text, options)
      : looksLikePprrvu(text)
        ? readPprrvuCsv(text, options)
        : ownCsv(readFeeScheduleCsv(text)),
  ownLayout: (text) => !looksLikePprrvu(text) && !looksLikePprrvuTxt(text),
  columns: [...Object.keys(feeScheduleCsvRow.shape), ...FEE_INFO_COLUMNS],
  fields: [
    { column: "status" },
    { column: "work_rvu", decimal: { integer: 5, fraction: 3 } },
    { column: "nonfacility_pe_rvu", decimal: { integer: 5, fraction: 3 } },
    { column: "facility_pe_rvu", decimal: { integer: 5, fraction: 3 } },
    { column: "mp_rvu", decimal: { integer: 5, fraction: 3 } },
    { column: "mult_proc_indicator" },
    { column: "conversion_factor", decimal: { integer: 5, fraction: 4 } },
  ],
  year: (r) => r.year,
  key: (r) => `${r.year}|${r.hcpcs}|${r.modifier}`,
  label: (r) => `${r.hcpcs}${r.modifier ? `-${r.modifier}` : ""} (${r.year})`,
  value: (r, column) => String(r[column as keyof FeeScheduleCsvRow]),
  async existing(client, practiceId, years) {
    const rows = await client.feeScheduleRow.findMany({ where: { practiceId, year: { in: years } } });
    return new Map(
      rows.map((r) => [
        `${r.year}|${r.cpt}|${r.modifier}`,
        {
          status: r.status,
          work_rvu: r.workRvu.toString(),
          nonfacility_pe_rvu: r.nonFacilityPeRvu.toString(),
          facility_pe_rvu: r.facilityPeRvu.toString(),
          mp_rvu: r.mpRvu.toString(),
          mult_proc_indicator: r.multProcIndicator,
          conversion_factor: r.conversionFactor.toString(),
        },
      ]),
    );
  },
  upsert: upsertFeeSchedule,
  async warnings(_client, _practiceId, rows) {
    const out: FileIssue[] = [];
    const factorOfYear = new Map<number, { value: string; row: number }>();
    rows.forEach((row, rowIndex) => {
      const first = factorOfYear.get(row.year);
      const cf = normalizeDecimal(row.conversion_factor);
      if (!first) factorOfYear.set(row.year, { value: cf, row: rowIndex + 2 });
      else if (first.value !== cf)
        out.push({
          where: `row ${rowIndex + 2}, column conversion_factor`,
          message: `conversion factor ${cf} differs from ${first.value} on row ${first.row} for ${row.year}; each row is priced with its own`,
        });
    });
    return out;
  },
};

const gpci: Kind<GpciCsvRow> = {
  importKind: "GPCI",
  title: "GPCI",
  read: (text) => (looksLikeCmsGpci(text) ? readCmsGpciCsv(text) : ownCsv(readGpciCsv(text))),
  ownLayout: (text) => !looksLikeCmsGpci(text),
  columns: Object.keys(gpciCsvRow.shape),
  fields: [
    { column: "mac" },
    { column: "locality_name" },
    { column: "work_gpci", decimal: { integer: 3, fraction: 3 } },
    { column: "pe_gpci", decimal: { integer: 3, fraction: 3 } },
    { column: "mp_gpci", decimal: { integer: 3, fraction: 3 } },
  ],
  year: (r) => r.year,
  key: (r) => `${r.year}|${localityKey(r)}`,
  label: (r) => `${localityKey(r)} ${r.locality_name} (${r.year})`,
  value: (r, column) => String(r[column as keyof GpciCsvRow]),
  async existing(client, practiceId, years) {
    const rows = await client.gpci.findMany({ where: { practiceId, year: { in: years } } });
    return new Map(
      rows.map((r) => [
        `${r.year}|${r.locality}`,
        { mac: r.mac, locality_name: r.localityName, work_gpci: r.work.toString(), pe_gpci: r.pe.toString(), mp_gpci: r.mp.toString() },
      ]),
    );
  },
  upsert: upsertGpcis,
  async warnings(client, practiceId, rows) {
    const practice = await client.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { medicareLocality: true } });
    const years = [...new Set(rows.map((r) => r.year))].sort();
    return years
      .filter((year) => !rows.some((r) => r.year === year && localityKey(r) === practice.medicareLocality))
      .map((year) => ({
        where: "file",
        message: `the practice's Medicare locality ${practice.medicareLocality} has no row for ${year}: Medicare visits of ${year} stay unpriced until it is loaded`,
      }));
  },
};

const mue: Kind<MueRow> = {
  importKind: "MUE",
  title: "MUE",
  read: (text, options) => readMueCsv(text, options),
  ownLayout: () => false,
  columns: [],
  fields: [{ column: "units" }, { column: "adjudicationIndicator" }, { column: "rationale" }],
  year: () => 0,
  key: (r) => r.cpt,
  label: (r) => r.cpt,
  codes: (r) => [r.cpt],
  value: (r, column) => String(r[column as keyof MueRow]),
  async existing(client, practiceId) {
    const rows = await client.mueCap.findMany({ where: { practiceId } });
    return new Map(
      rows.map((r) => [r.cpt, { units: String(r.units), adjudicationIndicator: r.adjudicationIndicator, rationale: r.rationale }]),
    );
  },
  upsert: upsertMueCaps,
  async warnings() {
    return [];
  },
};

/** An edit is in force unless the file gives it a deletion date already passed (or indicator 9). */
function ncciRetired(row: NcciPtpRow): boolean {
  return row.modifierIndicator === "9" || (row.deleted !== null && row.deleted <= new Date().toISOString().slice(0, 10));
}

const ncci: Kind<NcciPtpRow> = {
  importKind: "NCCI_PTP",
  title: "NCCI PTP edits",
  read: (text, options) => readNcciPtp(text, options),
  ownLayout: () => false,
  columns: [],
  fields: [{ column: "modifierIndicator" }, { column: "note" }],
  year: () => 0,
  key: (r) => `${r.column1}|${r.column2}`,
  label: (r) => `${r.column1} with ${r.column2}`,
  codes: (r) => [r.column1, r.column2],
  value: (r, column) => (column === "note" ? r.rationale : String(r[column as keyof NcciPtpRow] ?? "")),
  async existing(client, practiceId) {
    const rows = await client.ncciPair.findMany({ where: { practiceId } });
    return new Map(rows.map((r) => [`${r.column1}|${r.column2}`, { modifierIndicator: r.modifierIndicator, note: r.note }]));
  },
  upsert: upsertNcciPairs,
  async warnings() {
    return [];
  },
  retired: ncciRetired,
  async remove(tx, practiceId, rows) {
    let removed = 0;
    for (const row of rows) {
      const { count } = await tx.ncciPair.deleteMany({ where: { practiceId, column1: row.column1, column2: row.column2 } });
      removed += count;
    }
    return removed;
  },
};

const THERAPY_STATUS_WORDS = { always: "always therapy", sometimes: "sometimes therapy" } as const;

const therapyCodes: Kind<TherapyCodeRow> = {
  importKind: "THERAPY_CODES",
  title: "therapy code list",
  read: (text) => readTherapyCodeList(text),
  ownLayout: () => false,
  columns: [],
  fields: [{ column: "status" }],
  year: () => 0,
  key: (r) => r.cpt,
  label: (r) => r.cpt,
  value: (r) => THERAPY_STATUS_WORDS[r.status],
  // the list in force: the one loaded before, else the shipped default (what a first load replaces)
  async existing(client, practiceId) {
    const list = await therapyCodeListOf(client, practiceId);
    return new Map([...list.codes].map(([cpt, status]) => [cpt, { status: THERAPY_STATUS_WORDS[status] }]));
  },
  upsert: replaceTherapyCodes,
  async warnings(client, practiceId, rows) {
    const listed = new Set(rows.map((r) => r.cpt));
    const visits = await client.serviceLine.groupBy({ by: ["cpt"], where: { practiceId }, _count: { _all: true } });
    const off = visits.filter((v) => !listed.has(v.cpt)).map((v) => `${v.cpt} (${v._count._all} lines)`);
    return off.length
      ? [
          {
            where: "file",
            message: `codes billed by the practice that are not on this list, so no longer count toward the KX threshold: ${off.slice(0, 20).join(", ")}`,
          },
        ]
      : [];
  },
  wholeTable: {
    rowOf: (key, values) => ({ cpt: key, status: values.status === THERAPY_STATUS_WORDS.sometimes ? "sometimes" : "always" }),
    replace: replaceTherapyCodes,
  },
};

const KINDS = { "fee-schedule": feeSchedule, gpci, mue, ncci, "therapy-codes": therapyCodes } as Record<ReferenceKind, Kind<unknown>>;

function headerOf(text: string): string[] {
  try {
    const [first] = parse(text, { bom: true, to_line: 1, skip_empty_lines: true }) as string[][];
    return (first ?? []).map((h) => h.trim());
  } catch {
    return [];
  }
}

/** Every row read and checked: the file's own errors (row and column), then duplicates and sizes. */
function validate<Row>(
  kind: Kind<Row>,
  text: string,
  options: ReadOptions,
): { rows: Row[]; errors: FileIssue[]; skipped: number; notes: FileIssue[] } {
  const errors: FileIssue[] = [];
  if (kind.ownLayout(text)) {
    const header = headerOf(text);
    for (const column of header.filter((h) => !kind.columns.includes(h)))
      errors.push({ where: `row 1, column ${column}`, message: `unknown column "${column}"; expected ${kind.columns.join(", ")}` });
  }
  const read = kind.read(text, options);
  errors.push(...read.errors);
  if (errors.length) return { rows: [], errors, skipped: 0, notes: [] };
  const seen = new Map<string, number>();
  read.rows.forEach((row, rowIndex) => {
    const rowNumber = read.rowNumbers[rowIndex] ?? rowIndex + 2;
    const key = kind.key(row);
    const first = seen.get(key);
    if (first) errors.push({ where: `row ${rowNumber}`, message: `${kind.label(row)} is also on row ${first}; keep one` });
    else seen.set(key, rowNumber);
    for (const field of kind.fields) {
      if (!field.decimal) continue;
      const value = kind.value(row, field.column).trim();
      const [whole = "", fraction = ""] = value.replace(/^-/, "").split(".");
      if (value.startsWith("-"))
        errors.push({ where: `row ${rowNumber}, column ${field.column}`, message: `must not be negative (got ${value})` });
      else if (fraction.length > field.decimal.fraction)
        errors.push({
          where: `row ${rowNumber}, column ${field.column}`,
          message: `has more than ${field.decimal.fraction} decimals (got ${value})`,
        });
      else if (whole.replace(/^0+/, "").length > field.decimal.integer)
        errors.push({ where: `row ${rowNumber}, column ${field.column}`, message: `is too large (got ${value})` });
    }
  });
  return { rows: errors.length ? [] : read.rows, errors, skipped: read.skipped, notes: read.notes };
}

export interface ReferenceChange {
  label: string;
  changes: { column: string; from: string; to: string }[];
}

export interface ReferencePreview {
  kind: ReferenceKind;
  file: string;
  status: "ok" | "rejected";
  counts: { rows: number; added: number; changed: number; unchanged: number; removed: number; skipped: number };
  years: number[];
  /** new rows (the first 200) */
  added: { label: string; values: Record<string, string> }[];
  /** rows whose values change, old → new (the first 200) */
  changed: ReferenceChange[];
  /** rows the file retires that are in the table now (the first 200) */
  removed: string[];
  /** what was read from the file: its layout, year, conversion factor */
  notes: FileIssue[];
  warnings: FileIssue[];
  errors: FileIssue[];
  /** set when this exact file was applied before: applying it again changes nothing */
  alreadyAppliedOn: string | null;
}

const SHOWN = 200;

async function diff<Row>(client: Client, practiceId: number, kind: Kind<Row>, all: Row[]) {
  const retired = kind.retired ? all.filter(kind.retired) : [];
  const rows = kind.retired ? all.filter((r) => !kind.retired!(r)) : all;
  const years = [...new Set(all.map(kind.year))].sort();
  const existing = await kind.existing(client, practiceId, years);
  const inFile = new Set(all.map(kind.key));
  const removed = kind.wholeTable
    ? [...existing].filter(([key]) => !inFile.has(key)).map(([key, values]) => kind.wholeTable!.rowOf(key, values))
    : retired.filter((r) => existing.has(kind.key(r)));
  const added: Row[] = [];
  const changed: { row: Row; change: ReferenceChange }[] = [];
  for (const row of rows) {
    const before = existing.get(kind.key(row));
    if (!before) {
      added.push(row);
      continue;
    }
    const changes = kind.fields.flatMap((field) => {
      const from = field.decimal ? normalizeDecimal(before[field.column] ?? "") : (before[field.column] ?? "");
      const to = field.decimal ? normalizeDecimal(kind.value(row, field.column)) : kind.value(row, field.column);
      return from === to ? [] : [{ column: field.column, from, to }];
    });
    if (changes.length) changed.push({ row, change: { label: kind.label(row), changes } });
  }
  return { years, added, changed, removed, unchanged: rows.length - added.length - changed.length };
}

/** What applying the file would change, without changing anything (the reference page's preview). */
export function previewReference(practiceId: number, input: { kind: ReferenceKind; fileName: string; content: string; year?: number }) {
  return previewReferenceFile(db(), practiceId, input);
}

/** What applying the file would change, without changing anything. */
export async function previewReferenceFile(
  client: Client,
  practiceId: number,
  input: { kind: ReferenceKind; fileName: string; content: string; year?: number },
): Promise<ReferencePreview> {
  const kind = KINDS[input.kind];
  const base = {
    kind: input.kind,
    file: input.fileName,
    years: [],
    added: [],
    changed: [],
    removed: [],
    warnings: [],
    alreadyAppliedOn: null,
  };
  const { rows, errors, skipped, notes } = validate(kind, input.content, {
    year: input.year,
    fileName: input.fileName,
    therapyCodes: await therapyCodesOfPractice(client, practiceId),
  });
  if (errors.length) {
    return {
      ...base,
      status: "rejected",
      notes: [],
      counts: { rows: 0, added: 0, changed: 0, unchanged: 0, removed: 0, skipped: 0 },
      errors: errors.slice(0, 500),
    };
  }
  const difference = await diff(client, practiceId, kind, rows);
  const previous = await client.importJob.findFirst({
    where: { practiceId, kind: kind.importKind, sha256: sha256(input.content), status: "IMPORTED" },
    select: { createdAt: true },
  });
  return {
    ...base,
    status: "ok",
    counts: {
      rows: rows.length,
      added: difference.added.length,
      changed: difference.changed.length,
      unchanged: difference.unchanged,
      removed: difference.removed.length,
      skipped,
    },
    years: difference.years.filter((y) => y > 0),
    notes,
    removed: difference.removed.slice(0, SHOWN).map(kind.label),
    added: difference.added
      .slice(0, SHOWN)
      .map((r) => ({ label: kind.label(r), values: Object.fromEntries(kind.fields.map((f) => [f.column, kind.value(r, f.column)])) })),
    changed: difference.changed.slice(0, SHOWN).map((c) => c.change),
    warnings: await kind.warnings(client, practiceId, rows),
    errors: [],
    alreadyAppliedOn: previous ? previous.createdAt.toISOString() : null,
  };
}

/**
 * Applies the file in one transaction: new and changed rows written, then every visit
 * re-priced and the KX totals recomputed (a percent-of-Medicare contract may be pinned to
 * any year, so all visits are re-priced, not only those of the file's years). Prints like
 * an import: imported | duplicate | rejected | dry-run.
 */
export async function applyReferenceFile(options: {
  practiceId: number;
  userId: number | null;
  kind: ReferenceKind;
  fileName: string;
  content: Buffer;
  dryRun?: boolean;
  year?: number;
}): Promise<ImportResult> {
  const kind = KINDS[options.kind];
  const text = options.content.toString("utf8");
  return runImport({
    practiceId: options.practiceId,
    userId: options.userId,
    kind: kind.importKind,
    fileName: options.fileName,
    content: options.content,
    dryRun: options.dryRun,
    async execute(tx): Promise<ImportOutcome> {
      const { rows, errors, skipped, notes } = validate(kind, text, {
        year: options.year,
        fileName: options.fileName,
        therapyCodes: await therapyCodesOfPractice(tx, options.practiceId),
      });
      if (errors.length) return { counts: { rows: 0 }, warnings: [], errors: errors.slice(0, 500) };
      const difference = await diff(tx, options.practiceId, kind, rows);
      const warnings = [...notes, ...(await kind.warnings(tx, options.practiceId, rows))];
      const toWrite = [...difference.added, ...difference.changed.map((c) => c.row)];
      let visitsRepriced = 0;
      // a whole-table file is written even when it equals the default it replaces: from then on
      // the practice's list is the loaded one
      const firstLoad = kind.wholeTable !== undefined && (await tx.therapyCode.count({ where: { practiceId: options.practiceId } })) === 0;
      if (!options.dryRun && (toWrite.length > 0 || difference.removed.length > 0 || firstLoad)) {
        if (kind.wholeTable) await kind.wholeTable.replace(tx, options.practiceId, rows);
        else {
          if (toWrite.length) await kind.upsert(tx, options.practiceId, toWrite);
          if (difference.removed.length && kind.remove) await kind.remove(tx, options.practiceId, difference.removed);
        }
        // prices depend on the fee schedule and GPCIs, the KX pools and the therapy MPPR on the
        // therapy code list (every visit re-priced, then re-checked); the stored claim checks on
        // the MUE caps and NCCI pairs of the codes changed
        if (kind.importKind === "FEE_SCHEDULE" || kind.importKind === "GPCI" || kind.importKind === "THERAPY_CODES")
          visitsRepriced = (await recomputeDerived(tx, options.practiceId, { payers: "all" })).visitsOfPayers;
        else if (kind.codes) {
          const codes = new Set([...toWrite, ...difference.removed].flatMap(kind.codes));
          await recomputeDerived(tx, options.practiceId, { checkCodes: [...codes] });
        }
      }
      return {
        counts: {
          rows: rows.length,
          added: difference.added.length,
          changed: difference.changed.length,
          unchanged: difference.unchanged,
          removed: difference.removed.length,
          skipped,
          visitsRepriced,
        },
        // a dry run lists what would change, row by row (the first 200 of each)
        ...(options.dryRun
          ? {
              changes: {
                added: difference.added.slice(0, SHOWN).map(kind.label),
                changed: difference.changed.slice(0, SHOWN).map((c) => c.change),
                removed: difference.removed.slice(0, SHOWN).map(kind.label),
              },
            }
          : {}),
        warnings,
        errors: [],
      };
    },
  });
}
