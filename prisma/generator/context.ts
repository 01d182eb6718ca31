import type { TherapyPool } from "../../lib/billing/codes";
import { type Contract, type ContractRow, contractsFromRows } from "../../lib/billing/contracts";
import type { PayerKind } from "../../lib/billing/expected";
import { gpciKey, type MedicarePaymentSplit, medicareUnitPrice, PART_B_DEDUCTIBLE_BY_YEAR } from "../../lib/billing/medicare";
import { DEFAULT_ALERT_LEVEL_CENTS, thresholdsFor } from "../../lib/billing/thresholds";
import type { UnitMethod } from "../../lib/billing/units";
import { VISIT_CSV_COLUMNS } from "../../lib/schemas/csv-rows";
import {
  buildClinics,
  buildContractRows,
  CHARGE_MASTER,
  type Clinic,
  type ContractCsvRow,
  PAYERS,
  type PayerProfile,
  SLP_CODES,
  type Therapist,
} from "./practice";
import { mixSeed, Random } from "./random";
import { loadReferenceData, type ReferenceData } from "./reference";
import { fromDay, holidays, toDay } from "./calendar";

export interface GeneratorOptions {
  /** PRNG seed (default 20261123). */
  seed?: number;
  /** Number of patients (default 300). */
  patients?: number;
  /** Calendar year of the visits (default 2026; needs that year's CMS files). */
  year?: number;
  /** Last date of service, YYYY-MM-DD (default `${year}-11-20`). */
  endDate?: string;
  /** The day the data is "as of": no remit is dated later (default endDate + 3 days). */
  today?: string;
  /** The practice's Medicare locality, "STATE-NN" (default "NY-01"). */
  medicareLocality?: string;
  /** Claims with a date of service within this many days of endDate get no remit (default 21). */
  outstandingDays?: number;
  /** Directory of the CMS CSV files (default prisma/data/cms). */
  referenceDir?: string;
}

export interface ResolvedOptions {
  seed: number;
  patients: number;
  year: number;
  endDate: string;
  today: string;
  medicareLocality: string;
  outstandingDays: number;
  referenceDir: string | undefined;
}

/** The visits.csv columns, in the order written (FORMATS.md): the import schema's. */
export const VISIT_COLUMNS = VISIT_CSV_COLUMNS;
export type VisitRow = Record<(typeof VISIT_COLUMNS)[number], string>;

export const USAGE_COLUMNS = ["patient_id", "year", "pool", "amount", "source", "as_of"] as const;
export type UsageRow = Record<(typeof USAGE_COLUMNS)[number], string>;

export interface PayerSummary {
  name: string;
  kind: PayerKind;
}

export interface RemitFile {
  fileName: string;
  content: string;
}

export interface GeneratorSummary {
  patients: number;
  medicarePatients: number;
  visits: number;
  lines: number;
  claims: number;
  /** Claims with at least one remit. */
  remittedClaims: number;
  /** Claims with no remit yet. */
  outstandingClaims: number;
  remitFiles: number;
  /** CLP loops across all remit files (the reversal and its correction included). */
  remitClaimLoops: number;
  remitServiceLines: number;
  /** Medicare patients whose total in either pool crossed each level. */
  medicarePatientsCrossing: { alert: number; kx: number; review: number };
  /** The same per pool (patient × pool). */
  poolsCrossing: Record<TherapyPool, { alert: number; kx: number; review: number }>;
  /** Pool lines from the KX crossing line on with neither KX nor GA (the kx-queue's lines_missing_kx, summed). */
  linesMissingKx: number;
  linesWithKx: number;
  linesWithGa: number;
  usageRows: number;
  denials: { co119: number; pr119: number; co97: number; co4: number };
  /** Contract-payer lines allowed below the contract on the remit (the reversed original excluded). */
  underpaidLines: number;
  telehealthVisits: number;
}

export interface PracticeMetadata {
  options: ResolvedOptions;
  practice: { name: string; npi: string; medicareLocality: string; timeZone: string };
  clinics: Clinic[];
  therapists: Therapist[];
  payers: PayerSummary[];
  contractsCsvRows: ContractCsvRow[];
  usageRows: UsageRow[];
  summary: GeneratorSummary;
}

export interface PracticeData extends PracticeMetadata {
  visitRows: VisitRow[];
  remits: RemitFile[];
}

// ---------------------------------------------------------------------------------------
// Dates (calendar days since 1970-01-01, UTC)

export function resolveOptions(options: GeneratorOptions = {}): ResolvedOptions {
  const year = options.year ?? 2026;
  const endDate = options.endDate ?? `${year}-11-20`;
  const today = options.today ?? fromDay(toDay(endDate) + 3);
  const patients = options.patients ?? 300;
  if (!Number.isInteger(patients) || patients < 1) throw new Error("patients must be a positive integer");
  if (endDate.slice(0, 4) !== String(year)) throw new Error(`endDate ${endDate} is not in ${year}`);
  if (today < endDate) throw new Error(`today ${today} is before endDate ${endDate}`);
  return {
    seed: (options.seed ?? 20261123) >>> 0,
    patients,
    year,
    endDate,
    today,
    medicareLocality: (options.medicareLocality ?? "NY-01").toUpperCase(),
    outstandingDays: options.outstandingDays ?? 21,
    referenceDir: options.referenceDir,
  };
}

export interface Context {
  opts: ResolvedOptions;
  reference: ReferenceData;
  contracts: Contract[];
  contractsCsvRows: ContractCsvRow[];
  clinics: Clinic[];
  therapists: Therapist[];
  /** Therapists of each clinic by credential. */
  staff: Map<string, Therapist>[];
  slpPricedByMedicare: boolean;
  payerWeights: (readonly [PayerProfile, number])[];
  yearStartDay: number;
  endDay: number;
  todayDay: number;
  cutoffDay: number;
  holidays: Set<string>;
  deductibleCents: number;
  thresholds: { alert: number; kx: number; review: number };
  priceCache: Map<number, (number | null)[]>;
  fullPriceCache: Map<string, number | null>;
  splitCache: Map<number, MedicarePaymentSplit>;
  percentCache: Map<number, number>;
  /** Global state: sequences and the one-off events. */
  visitSeq: number;
  claimSeq: number;
  payerClaimSeq: Map<string, number>;
  reversalDone: boolean;
  /** Medicare patients planned so far (for the long-episode quota). */
  medicareSeen: number;
  remitFiles: Map<string, { payer: PayerProfile; month: string }>;
  summary: GeneratorSummary;
  usageRows: UsageRow[];
}

function emptySummary(): GeneratorSummary {
  return {
    patients: 0,
    medicarePatients: 0,
    visits: 0,
    lines: 0,
    claims: 0,
    remittedClaims: 0,
    outstandingClaims: 0,
    remitFiles: 0,
    remitClaimLoops: 0,
    remitServiceLines: 0,
    medicarePatientsCrossing: { alert: 0, kx: 0, review: 0 },
    poolsCrossing: { PT_SLP: { alert: 0, kx: 0, review: 0 }, OT: { alert: 0, kx: 0, review: 0 } },
    linesMissingKx: 0,
    linesWithKx: 0,
    linesWithGa: 0,
    usageRows: 0,
    denials: { co119: 0, pr119: 0, co97: 0, co4: 0 },
    underpaidLines: 0,
    telehealthVisits: 0,
  };
}

function centsFromDollars(text: string): number {
  const [whole = "0", fraction = ""] = text.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}

function contractRowFromCsv(row: ContractCsvRow): ContractRow {
  return {
    payer: row.payer,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to === "" ? null : row.effective_to,
    unitMethod: row.unit_method as UnitMethod,
    multipleProcedureRule: row.multiple_procedure_rule as ContractRow["multipleProcedureRule"],
    cpt: row.cpt,
    modifier: row.modifier === "" ? null : row.modifier,
    ratePerUnitCents: row.rate_per_unit === "" ? null : centsFromDollars(row.rate_per_unit),
    percentOfMedicare: row.percent_of_medicare === "" ? null : row.percent_of_medicare,
    medicareYear: row.medicare_year === "" ? null : Number(row.medicare_year),
    locality: row.locality === "" ? null : row.locality,
    maxUnitsPerVisit: row.max_units_per_visit === "" ? null : Number(row.max_units_per_visit),
    lesserOfCharge: row.lesser_of_charge !== "false",
  };
}

export function createContext(opts: ResolvedOptions): Context {
  const reference = loadReferenceData(opts.referenceDir, opts.year);
  const gpci = reference.gpcis.get(gpciKey(opts.year, opts.medicareLocality));
  if (!gpci) throw new Error(`No ${opts.year} GPCIs for Medicare locality ${opts.medicareLocality}`);
  const priced = (code: string) =>
    medicareUnitPrice({
      hcpcs: code,
      year: opts.year,
      locality: opts.medicareLocality,
      feeSchedule: reference.feeSchedule,
      gpci,
    }).kind === "priced";
  for (const code of Object.keys(CHARGE_MASTER)) {
    if (!SLP_CODES.includes(code as (typeof SLP_CODES)[number]) && !priced(code)) {
      throw new Error(`The ${opts.year} fee schedule does not price ${code}; load that year's RVU file.`);
    }
  }
  // The shipped CMS table covers 97010–97799 and G0283 only: SLP codes (925xx) are billed to
  // Medicare and to percentage-of-Medicare contracts only once the fee schedule prices them.
  const slpPricedByMedicare = SLP_CODES.every(priced);
  const contractsCsvRows = buildContractRows({
    year: opts.year,
    locality: opts.medicareLocality,
    slpPricedByMedicare,
  });
  const { contracts, errors } = contractsFromRows(contractsCsvRows.map(contractRowFromCsv));
  if (errors.length > 0) throw new Error(`generated contracts are invalid: ${errors[0]?.message}`);

  const setupRng = new Random(mixSeed(opts.seed, 0x5eed));
  const { clinics, therapists } = buildClinics(setupRng, opts.patients);
  const staff = clinics.map((clinic) => {
    const byCredential = new Map<string, Therapist>();
    for (const therapist of therapists) if (therapist.clinicId === clinic.id) byCredential.set(therapist.credential, therapist);
    return byCredential;
  });
  const thresholds = thresholdsFor(opts.year);
  if (!thresholds.known) throw new Error(thresholds.reason);
  const deductibleCents = PART_B_DEDUCTIBLE_BY_YEAR[opts.year];
  if (deductibleCents === undefined) throw new Error(`No Part B deductible known for ${opts.year}`);
  const endDay = toDay(opts.endDate);
  return {
    opts,
    reference,
    contracts,
    contractsCsvRows,
    clinics,
    therapists,
    staff,
    slpPricedByMedicare,
    payerWeights: PAYERS.map((p) => [p, p.weight] as const),
    yearStartDay: toDay(`${opts.year}-01-02`),
    endDay,
    todayDay: toDay(opts.today),
    cutoffDay: endDay - opts.outstandingDays,
    holidays: holidays(opts.year),
    deductibleCents,
    thresholds: { alert: DEFAULT_ALERT_LEVEL_CENTS, kx: thresholds.kxThresholdCents, review: thresholds.reviewThresholdCents },
    priceCache: new Map(),
    fullPriceCache: new Map(),
    splitCache: new Map(),
    percentCache: new Map(),
    visitSeq: 0,
    claimSeq: 0,
    payerClaimSeq: new Map(),
    reversalDone: false,
    medicareSeen: 0,
    remitFiles: new Map(),
    summary: emptySummary(),
    usageRows: [],
  };
}

// ---------------------------------------------------------------------------------------
// Planning a patient's year
