// The CMS reference data the generator prices Medicare lines with: the shipped fee schedule
// rows for therapy codes and the GPCIs (prisma/data/cms). Read once per run.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import {
  buildFeeSchedule,
  buildGpciLookup,
  type FeeScheduleLookup,
  type FeeScheduleRow,
  type Gpci,
  type GpciLookup,
} from "../../lib/billing/medicare";

export const DEFAULT_REFERENCE_DIR = path.resolve(import.meta.dirname, "../data/cms");

export interface ReferenceData {
  feeSchedule: FeeScheduleLookup;
  gpcis: GpciLookup;
}

type CsvRecord = Record<string, string>;

function readCsv(file: string): CsvRecord[] {
  if (!existsSync(file)) throw new Error(`missing CMS reference file ${file}: the generator prices from it`);
  return parse(readFileSync(file, "utf8"), { columns: true, bom: true, skip_empty_lines: true }) as CsvRecord[];
}

const cache = new Map<string, ReferenceData>();

/** Fee schedule and GPCI lookups from pfs-rvu-*-therapy.csv and gpci-*.csv in a directory. */
export function loadReferenceData(dir: string = DEFAULT_REFERENCE_DIR, year = 2026): ReferenceData {
  const key = `${dir}|${year}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const feeRows = readCsv(path.join(dir, `pfs-rvu-${year}-therapy.csv`)).map(
    (r): FeeScheduleRow => ({
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
    }),
  );
  const gpciRows = readCsv(path.join(dir, `gpci-${year}.csv`)).map(
    (r): Gpci => ({
      year: Number(r.year),
      locality: `${r.state}-${r.locality}`,
      workGpci: r.work_gpci ?? "0",
      peGpci: r.pe_gpci ?? "0",
      mpGpci: r.mp_gpci ?? "0",
    }),
  );
  const data = { feeSchedule: buildFeeSchedule(feeRows), gpcis: buildGpciLookup(gpciRows) };
  cache.set(key, data);
  return data;
}
