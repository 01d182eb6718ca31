// Loading reference data into a practice: the CMS 2026 rows shipped in prisma/data/cms,
// or a newer file a manager uploads (validated, previewed, then applied in one transaction).
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { DEFAULT_NCCI_PAIRS } from "@/lib/billing";
import type { Tx } from "../core/db";
import {
  type FeeScheduleCsvRow,
  type GpciCsvRow,
  localityKey,
  type MueRow,
  type NcciPtpRow,
  type TherapyCodeRow,
  readFeeScheduleCsv,
  readGpciCsv,
} from "./cms-files";

export const shippedDataDir = path.join(process.cwd(), "prisma", "data", "cms");

export function shippedFile(name: string): string {
  return fs.readFileSync(path.join(shippedDataDir, name), "utf8");
}

export async function upsertFeeSchedule(tx: Tx, practiceId: number, rows: FeeScheduleCsvRow[]): Promise<number> {
  for (const row of rows) {
    const data = {
      status: row.status,
      workRvu: row.work_rvu,
      nonFacilityPeRvu: row.nonfacility_pe_rvu,
      facilityPeRvu: row.facility_pe_rvu,
      mpRvu: row.mp_rvu,
      multProcIndicator: row.mult_proc_indicator,
      conversionFactor: row.conversion_factor,
    };
    await tx.feeScheduleRow.upsert({
      where: { practiceId_year_cpt_modifier: { practiceId, year: row.year, cpt: row.hcpcs, modifier: row.modifier } },
      create: { practiceId, year: row.year, cpt: row.hcpcs, modifier: row.modifier, ...data },
      update: data,
    });
  }
  return rows.length;
}

export async function upsertGpcis(tx: Tx, practiceId: number, rows: GpciCsvRow[]): Promise<number> {
  for (const row of rows) {
    const locality = localityKey(row);
    const data = { mac: row.mac, localityName: row.locality_name, work: row.work_gpci, pe: row.pe_gpci, mp: row.mp_gpci };
    await tx.gpci.upsert({
      where: { practiceId_year_locality: { practiceId, year: row.year, locality } },
      create: { practiceId, year: row.year, locality, ...data },
      update: data,
    });
  }
  return rows.length;
}

export async function upsertMueCaps(tx: Tx, practiceId: number, rows: MueRow[]): Promise<number> {
  for (const row of rows) {
    const data = { units: row.units, adjudicationIndicator: row.adjudicationIndicator, rationale: row.rationale };
    await tx.mueCap.upsert({
      where: { practiceId_cpt: { practiceId, cpt: row.cpt } },
      create: { practiceId, cpt: row.cpt, ...data },
      update: data,
    });
  }
  return rows.length;
}

/** NCCI PTP edits in force, into the practice's pair table (the rationale becomes the pair's note). */
export async function upsertNcciPairs(tx: Tx, practiceId: number, rows: NcciPtpRow[]): Promise<number> {
  for (const row of rows) {
    const data = { modifierIndicator: row.modifierIndicator, note: row.rationale };
    await tx.ncciPair.upsert({
      where: { practiceId_column1_column2: { practiceId, column1: row.column1, column2: row.column2 } },
      create: { practiceId, column1: row.column1, column2: row.column2, ...data },
      update: data,
    });
  }
  return rows.length;
}

/**
 * CMS's therapy code list in place of the practice's: the file is the whole list, so the
 * table is emptied and refilled in the caller's transaction (every change bumps the practice's
 * pricing version: the KX pools, the therapy MPPR and the claim checks read the new list).
 */
export async function replaceTherapyCodes(tx: Tx, practiceId: number, rows: TherapyCodeRow[]): Promise<number> {
  await tx.therapyCode.deleteMany({ where: { practiceId } });
  await tx.therapyCode.createMany({
    data: rows.map((r) => ({ practiceId, cpt: r.cpt, status: r.status === "always" ? "ALWAYS" : "SOMETIMES" })),
  });
  return rows.length;
}

/** The rule book's NCCI pairs (lib/billing DEFAULT_NCCI_PAIRS) as rows a practice starts
 * with and may edit afterwards. */
export const DEFAULT_NCCI_PAIR_ROWS: { column1: string; column2: string; note: string }[] = DEFAULT_NCCI_PAIRS.map((p) => ({
  column1: p.column1,
  column2: p.column2,
  note: ncciNote(p.column1),
}));

function ncciNote(column1: string): string {
  if (column1 === "97164") return "PT re-evaluation billed with this code";
  if (column1 === "97150") return "group therapy with a one-on-one code";
  return "PT evaluation with manual therapy";
}

/** Shipped CMS data and default NCCI pairs for a new practice; X12 code lists once per database. */
export async function loadShippedReferenceData(tx: Tx, practiceId: number): Promise<void> {
  const fees = readFeeScheduleCsv(shippedFile("pfs-rvu-2026-therapy.csv"));
  const gpcis = readGpciCsv(shippedFile("gpci-2026.csv"));
  if (fees.errors.length || gpcis.errors.length) {
    throw new Error(`shipped reference data is invalid: ${JSON.stringify([...fees.errors, ...gpcis.errors].slice(0, 3))}`);
  }
  await tx.feeScheduleRow.createMany({
    data: fees.rows.map((r) => ({
      practiceId,
      year: r.year,
      cpt: r.hcpcs,
      modifier: r.modifier,
      status: r.status,
      workRvu: r.work_rvu,
      nonFacilityPeRvu: r.nonfacility_pe_rvu,
      facilityPeRvu: r.facility_pe_rvu,
      mpRvu: r.mp_rvu,
      multProcIndicator: r.mult_proc_indicator,
      conversionFactor: r.conversion_factor,
    })),
    skipDuplicates: true,
  });
  await tx.gpci.createMany({
    data: gpcis.rows.map((r) => ({
      practiceId,
      year: r.year,
      locality: localityKey(r),
      mac: r.mac,
      localityName: r.locality_name,
      work: r.work_gpci,
      pe: r.pe_gpci,
      mp: r.mp_gpci,
    })),
    skipDuplicates: true,
  });
  await tx.ncciPair.createMany({
    data: DEFAULT_NCCI_PAIR_ROWS.map((p) => ({ practiceId, ...p })),
    skipDuplicates: true,
  });
  await loadCodeLists(tx);
}

export async function loadCodeLists(tx: Tx): Promise<void> {
  for (const [list, file] of [
    ["CARC", "carc.csv"],
    ["RARC", "rarc.csv"],
    ["CLP02", "clp02-claim-status.csv"],
  ] as const) {
    const rows = parse(shippedFile(file), { columns: true, bom: true, skip_empty_lines: true }) as {
      code: string;
      description: string;
    }[];
    await tx.codeListEntry.createMany({
      data: rows.map((r) => ({ list, code: r.code.trim(), description: r.description.trim() })),
      skipDuplicates: true,
    });
  }
}
