// Test helper: the shipped CY2026 CMS files (prisma/data/cms) as fee schedule and GPCI lookups.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { buildFeeSchedule, buildGpciLookup, type FeeScheduleRow, type Gpci, gpciKey } from "./medicare";

const cmsDir = path.resolve(import.meta.dirname, "../../prisma/data/cms");

type Row = Record<string, string>;
export function readCsv(file: string): Row[] {
  return parse(readFileSync(file, "utf8"), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

export const feeScheduleRows: FeeScheduleRow[] = readCsv(path.join(cmsDir, "pfs-rvu-2026-therapy.csv")).map((r) => ({
  year: Number(r.year),
  hcpcs: r.hcpcs ?? "",
  modifier: r.modifier ?? null,
  status: r.status ?? "",
  workRvu: r.work_rvu ?? "0",
  nonFacilityPeRvu: r.nonfacility_pe_rvu ?? "0",
  facilityPeRvu: r.facility_pe_rvu ?? null,
  mpRvu: r.mp_rvu ?? "0",
  multProcIndicator: r.mult_proc_indicator ?? "",
  conversionFactor: r.conversion_factor ?? "0",
}));
export const feeSchedule2026 = buildFeeSchedule(feeScheduleRows);

/** National prices: a GPCI of 1.0 / 1.0 / 1.0. */
export const NATIONAL_2026: Gpci = { year: 2026, locality: "US-00", workGpci: 1, peGpci: 1, mpGpci: 1 };

export const gpcis2026 = buildGpciLookup([
  NATIONAL_2026,
  ...readCsv(path.join(cmsDir, "gpci-2026.csv")).map(
    (r): Gpci => ({
      year: Number(r.year),
      locality: `${r.state}-${r.locality}`,
      workGpci: r.work_gpci ?? "0",
      peGpci: r.pe_gpci ?? "0",
      mpGpci: r.mp_gpci ?? "0",
    }),
  ),
]);

export function gpci2026(locality: string): Gpci {
  const gpci = gpcis2026.get(gpciKey(2026, locality));
  if (!gpci) throw new Error(`no 2026 GPCI for ${locality}`);
  return gpci;
}
