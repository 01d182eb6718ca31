// The deterministic demo-data generator: a therapy practice-year (clinics, therapists,
// patients, visits, contracts, amounts used elsewhere) and the 835 remits its payers sent
// back, in the formats of FORMATS.md. The same seed always gives byte-identical files.
//
// Pricing comes from lib/billing (the same functions the app uses), so the remits agree
// with what the app expects except where a payer is made to underpay or deny on purpose.
// Medicare therapy thresholds are tracked per patient and pool with the expected allowed
// amounts, so KX placement (and the lines missing it) is realistic (DOMAIN.md §1).
//
// How the remits express things:
// - Medicare: AMT*B6 = the fee schedule amount after MPPR and CQ/CO. The MPPR cut is its own
//   adjustment, CO-59 (the full-price amount minus the allowed amount); CO-45 is the charge
//   minus the full-price amount; PR-1 deductible ($283 in 2026), PR-2 20% coinsurance,
//   CO-253 2% sequestration of Medicare's share. Lines past the KX threshold without KX are
//   denied CO-119 for the whole charge (RARC N640); lines with GA (ABN on file) PR-119
//   (RARC M38, AMT*B6 0.00).
// - Contract payers: AMT*B6 = the contract amount (some lines a few dollars less: the
//   underpayments to find); MPPR / whole_50 reductions stay inside CO-45; patient share as
//   PR-1/PR-2 (UnitedHealthcare) or PR-3 copay. Blue Cross paid July to mid-August claims at
//   the old (pre-July) contract rates.
// - Every payer: 97140 billed with a PT evaluation without 59 is denied CO-97 (RARC M15);
//   a line without GP/GO/GN is denied CO-4 (RARC N822).
// - One UnitedHealthcare claim is paid short, reversed (CLP02 22) the next month and paid
//   again correctly; one file carries a PLB L6 (interest) adjustment. Claims with a date of
//   service in the last 3 weeks before endDate, and about 1% of older commercial claims, have
//   no remit yet (outstanding).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { expectedAssistantModifier, expectedDisciplineModifier, isTimedCode, poolOfLine, type TherapyPool } from "../../lib/billing/codes";
import { type Contract, type ContractRow, contractInForce, contractsFromRows } from "../../lib/billing/contracts";
import { expectedAllowedForVisit, type PayerKind } from "../../lib/billing/expected";
import {
  ASSISTANT_PAYMENT_PERCENT,
  gpciKey,
  type MedicarePaymentSplit,
  medicarePaymentSplit,
  medicareUnitPrice,
  PART_B_DEDUCTIBLE_BY_YEAR,
} from "../../lib/billing/medicare";
import { percentOfCents } from "../../lib/billing/money";
import { DEFAULT_ALERT_LEVEL_CENTS, thresholdsFor } from "../../lib/billing/thresholds";
import type { UnitMethod } from "../../lib/billing/units";
import { FEMALE_FIRST_OLDER, FEMALE_FIRST_YOUNGER, LAST_NAMES, MALE_FIRST_OLDER, MALE_FIRST_YOUNGER } from "./names";
import { exerciseNote, functionalNote, noteForCode } from "./notes";
import {
  buildClinics,
  buildContractRows,
  CHARGE_MASTER,
  type Clinic,
  CONTRACT_COLUMNS,
  type ContractCsvRow,
  type Discipline,
  EVALUATION_CODES,
  makeMemberId,
  PAYERS,
  type PayerProfile,
  PRACTICE,
  RE_EVALUATION_CODE,
  SLP_CODES,
  type Therapist,
  TIMED_CODES_BY_DISCIPLINE,
} from "./practice";
import { mixSeed, Random } from "./random";
import { loadReferenceData, type ReferenceData } from "./reference";
import {
  type Adjustment,
  claimText,
  envelopeSegments,
  joinSegments,
  type ProviderAdjustment,
  type RemitClaim,
  type RemitServiceLine,
  reversalOf,
} from "./x12/practice-remits";

export type { Clinic, ContractCsvRow, Therapist } from "./practice";

// ---------------------------------------------------------------------------------------
// Public types

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

/** The visits.csv columns, in the order written (FORMATS.md). */
export const VISIT_COLUMNS = [
  "patient_id",
  "first_name",
  "last_name",
  "birth_date",
  "payer",
  "payer_kind",
  "member_id",
  "visit_id",
  "claim_id",
  "date_of_service",
  "therapist_npi",
  "therapist_name",
  "therapist_credential",
  "place_of_service",
  "cpt",
  "modifiers",
  "minutes",
  "units_billed",
  "charge",
  "note",
] as const;
export type VisitRow = Record<(typeof VISIT_COLUMNS)[number], string>;

export const USAGE_COLUMNS = ["patient_id", "year", "pool", "amount", "source", "as_of"] as const;
export type UsageRow = Record<(typeof USAGE_COLUMNS)[number], string>;

export { CONTRACT_COLUMNS };

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

const DAY_MS = 86_400_000;
const dateCache = new Map<number, string>();

function toDay(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function fromDay(day: number): string {
  let text = dateCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, text);
  }
  return text;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function nextWeekday(day: number): number {
  const w = weekday(day);
  return w === 6 ? day + 2 : w === 0 ? day + 1 : day;
}

function lastWeekdayOnOrBefore(day: number): number {
  const w = weekday(day);
  return w === 6 ? day - 1 : w === 0 ? day - 2 : day;
}

function holidays(year: number): Set<string> {
  const fixed = [`${year}-01-01`, `${year}-07-04`, `${year}-12-25`];
  if (year === 2026) fixed.push("2026-01-19", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26");
  return new Set(fixed);
}

// ---------------------------------------------------------------------------------------
// Options and context

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

interface Context {
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

function contractRowFromCsv(r: ContractCsvRow): ContractRow {
  return {
    payer: r.payer,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to === "" ? null : r.effective_to,
    unitMethod: r.unit_method as UnitMethod,
    multipleProcedureRule: r.multiple_procedure_rule as ContractRow["multipleProcedureRule"],
    cpt: r.cpt,
    modifier: r.modifier === "" ? null : r.modifier,
    ratePerUnitCents: r.rate_per_unit === "" ? null : centsFromDollars(r.rate_per_unit),
    percentOfMedicare: r.percent_of_medicare === "" ? null : r.percent_of_medicare,
    medicareYear: r.medicare_year === "" ? null : Number(r.medicare_year),
    locality: r.locality === "" ? null : r.locality,
    maxUnitsPerVisit: r.max_units_per_visit === "" ? null : Number(r.max_units_per_visit),
    lesserOfCharge: r.lesser_of_charge !== "false",
  };
}

function createContext(opts: ResolvedOptions): Context {
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
    for (const t of therapists) if (t.clinicId === clinic.id) byCredential.set(t.credential, t);
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

interface Patient {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  payer: PayerProfile;
  memberId: string;
  clinicIndex: number;
}

interface PlannedLine {
  cpt: string;
  minutes: number | null;
  units: number;
  chargeCents: number;
  discipline: string | null;
  assistant: string | null;
  kx: boolean;
  ga: boolean;
  /** True when the line is 97140 on a PT evaluation visit (NCCI pair: needs 59). */
  needs59: boolean;
  has59: boolean;
  telehealth: boolean;
  note: string;
  /** Expected allowed (cents) from lib/billing; null when it cannot be priced. */
  expectedCents: number | null;
  /** Medicare: the line is at or past the KX crossing line of its pool. */
  needsKx: boolean;
}

interface PlannedVisit {
  day: number;
  episode: number;
  discipline: Discipline;
  therapist: Therapist;
  placeOfService: string;
  lines: PlannedLine[];
  dropped: boolean;
}

interface Episode {
  discipline: Discipline;
  startDay: number;
  endDay: number;
  perWeek: number;
  reEvaluation: boolean;
}

const WEEK_PATTERNS: Readonly<Record<number, readonly (readonly number[])[]>> = {
  1: [[1], [2], [3], [4], [5]],
  2: [
    [1, 4],
    [2, 5],
    [1, 3],
    [2, 4],
    [3, 5],
  ],
  3: [
    [1, 3, 5],
    [1, 2, 4],
    [2, 4, 5],
  ],
};

// Weight tables used per visit (kept as constants: no allocation in the hot path).
const TREATMENT_CODE_COUNT: readonly (readonly [number, number])[] = [
  [1, 18],
  [2, 50],
  [3, 27],
  [4, 5],
];
const EVALUATION_EXTRA_CODE_COUNT: readonly (readonly [number, number])[] = [
  [1, 55],
  [2, 45],
];
const MANUAL_THERAPY_ONLY: readonly (readonly [string, number])[] = [["97140", 1]];

function disciplineOfPool(discipline: Discipline): TherapyPool {
  return discipline === "OT" ? "OT" : "PT_SLP";
}

function otherDiscipline(rng: Random, discipline: Discipline, slpAllowed: boolean): Discipline {
  if (discipline === "PT") return rng.chance(slpAllowed ? 0.8 : 1) ? "OT" : "SLP";
  return "PT";
}

function makePatient(ctx: Context, rng: Random, index: number): { patient: Patient; age: number } {
  const payer = rng.weighted(ctx.payerWeights);
  const female = rng.chance(0.58);
  const medicareAge = payer.kind === "medicare" || payer.kind === "medicare_advantage";
  let age: number;
  if (medicareAge) age = rng.normalInt(76, 7, 66, 96);
  else if (payer.kind === "medicaid" && rng.chance(0.35)) age = rng.int(3, 12);
  else age = rng.int(19, 64);
  const older = age >= 50;
  const firstName = rng.pick(female ? (older ? FEMALE_FIRST_OLDER : FEMALE_FIRST_YOUNGER) : older ? MALE_FIRST_OLDER : MALE_FIRST_YOUNGER);
  const lastName = rng.pick(LAST_NAMES);
  const birthYear = ctx.opts.year - age;
  const birthDay = toDay(`${birthYear}-01-01`) + rng.int(0, 364);
  return {
    age,
    patient: {
      id: `P${String(index + 1).padStart(6, "0")}`,
      firstName,
      lastName,
      birthDate: fromDay(birthDay),
      payer,
      memberId: makeMemberId(rng, payer),
      clinicIndex: rng.int(0, ctx.clinics.length - 1),
    },
  };
}

function slpAllowedFor(ctx: Context, payer: PayerProfile): boolean {
  if (payer.kind === "commercial" && payer.slug === "uhc") return ctx.slpPricedByMedicare;
  if (payer.kind === "medicare" || payer.kind === "medicare_advantage") return ctx.slpPricedByMedicare;
  return true;
}

function planEpisodes(ctx: Context, rng: Random, patient: Patient, age: number): Episode[] {
  const slpAllowed = slpAllowedFor(ctx, patient.payer);
  const first: Discipline =
    age <= 12
      ? "SLP"
      : rng.weighted<Discipline>([
          ["PT", 65],
          ["OT", 22],
          ["SLP", slpAllowed ? 13 : 0],
        ]);
  // Medicare patients get a fixed quota of long episodes (one in fourteen high, two in
  // fourteen moderate) so that every practice has patients crossing each threshold level.
  let profile: "high" | "moderate" | "typical";
  if (patient.payer.kind === "medicare") {
    const slot = ctx.medicareSeen++ % 14;
    profile = slot === 3 ? "high" : slot === 7 || slot === 11 ? "moderate" : "typical";
  } else {
    profile = rng.weighted<"high" | "moderate" | "typical">([
      ["high", 2],
      ["moderate", 10],
      ["typical", 88],
    ]);
  }
  const lastStart = ctx.endDay - 7;
  const episode = (discipline: Discipline, startDay: number, weeks: number, perWeek: number): Episode => {
    const start = nextWeekday(Math.min(startDay, lastStart));
    return {
      discipline,
      startDay: start,
      endDay: Math.min(start + weeks * 7 - 1, ctx.endDay),
      perWeek: discipline === "SLP" ? Math.min(perWeek, 2) : perWeek,
      reEvaluation: discipline !== "SLP" && weeks >= 10 && rng.chance(0.6),
    };
  };
  const episodes: Episode[] = [];
  if (profile === "high") {
    const start = ctx.yearStartDay + rng.int(0, 120);
    episodes.push(
      episode(
        first,
        start,
        rng.int(18, 30),
        rng.weighted([
          [2, 40],
          [3, 60],
        ]),
      ),
    );
    if (age > 12 && rng.chance(0.5)) {
      episodes.push(
        episode(
          otherDiscipline(rng, first, slpAllowed),
          start + rng.int(0, 28),
          rng.int(14, 26),
          rng.weighted([
            [2, 70],
            [3, 30],
          ]),
        ),
      );
    }
  } else if (profile === "moderate") {
    const start = ctx.yearStartDay + rng.int(0, 240);
    episodes.push(
      episode(
        first,
        start,
        rng.int(8, 13),
        rng.weighted([
          [2, 60],
          [3, 40],
        ]),
      ),
    );
    if (age > 12 && rng.chance(0.15)) {
      episodes.push(episode(otherDiscipline(rng, first, slpAllowed), start + rng.int(0, 21), rng.int(6, 12), 2));
    }
  } else {
    const start = ctx.yearStartDay + rng.int(0, Math.max(0, lastStart - ctx.yearStartDay));
    const firstEpisode = episode(
      first,
      start,
      rng.int(2, 5),
      rng.weighted([
        [1, 30],
        [2, 55],
        [3, 15],
      ]),
    );
    episodes.push(firstEpisode);
    if (rng.chance(0.15)) {
      const discipline = age <= 12 || rng.chance(0.6) ? first : otherDiscipline(rng, first, slpAllowed);
      const secondStart = firstEpisode.endDay + rng.int(14, 70);
      if (secondStart < lastStart)
        episodes.push(
          episode(
            discipline,
            secondStart,
            rng.int(2, 5),
            rng.weighted([
              [1, 30],
              [2, 55],
              [3, 15],
            ]),
          ),
        );
    }
  }
  return episodes;
}

function therapistsFor(ctx: Context, patient: Patient, discipline: Discipline): { lead: Therapist; assistant: Therapist | null } {
  let clinicIndex = patient.clinicIndex;
  // SLPs work at the even-numbered clinics: an odd clinic's patient sees the neighbouring clinic's SLP.
  if (discipline === "SLP" && !ctx.staff[clinicIndex]?.has("SLP")) clinicIndex -= 1;
  const staff = ctx.staff[clinicIndex] as Map<string, Therapist>;
  const lead = staff.get(discipline);
  if (!lead) throw new Error(`clinic ${clinicIndex} has no ${discipline}`);
  const assistant = discipline === "PT" ? staff.get("PTA") : discipline === "OT" ? staff.get("OTA") : undefined;
  return { lead, assistant: assistant ?? null };
}

function unitMethodFor(ctx: Context, payer: PayerProfile, date: string): UnitMethod {
  if (payer.kind === "medicare") return "cms";
  return contractInForce(ctx.contracts, payer.name, date)?.unitMethod ?? "cms";
}

/** Splits a total of minutes over n codes, each at least `min`. */
function splitMinutes(rng: Random, total: number, n: number, min: number): number[] {
  const weights = Array.from({ length: n }, () => 0.6 + rng.next());
  const sum = weights.reduce((s, w) => s + w, 0);
  const minutes = weights.map((w) => Math.max(min, Math.round((total * w) / sum)));
  return minutes;
}

function lineNote(rng: Random, cpt: string): string {
  if (rng.chance(0.08)) return "";
  if (cpt === "97110" && rng.chance(0.13)) return functionalNote(rng);
  if (cpt === "97530" && rng.chance(0.12)) return exerciseNote(rng);
  return noteForCode(rng, cpt);
}

function planVisitLines(
  ctx: Context,
  rng: Random,
  patient: Patient,
  visit: {
    discipline: Discipline;
    therapist: Therapist;
    kind: "evaluation" | "re_evaluation" | "treatment";
    telehealth: boolean;
    date: string;
  },
): PlannedLine[] {
  const { discipline, therapist, kind, telehealth } = visit;
  const payer = patient.payer;
  const codes: { cpt: string; minutes: number | null }[] = [];

  if (discipline === "SLP") {
    if (kind === "evaluation") codes.push({ cpt: rng.weighted(EVALUATION_CODES.SLP), minutes: null });
    else {
      codes.push({ cpt: "92507", minutes: null });
      if (rng.chance(0.2)) codes.push({ cpt: "92526", minutes: null });
    }
  } else {
    let timedChoices = TIMED_CODES_BY_DISCIPLINE[discipline];
    if (telehealth) timedChoices = timedChoices.filter(([cpt]) => cpt !== "97140" && cpt !== "97116");
    if (kind === "re_evaluation") timedChoices = timedChoices.filter(([cpt]) => cpt !== "97530");
    let count: number;
    let total: number;
    if (kind === "treatment") {
      count = rng.weighted(TREATMENT_CODE_COUNT);
      total = count === 1 ? rng.normalInt(30, 7, 15, 45) : rng.normalInt(45, 9, 22, 70);
    } else {
      codes.push({
        cpt: kind === "evaluation" ? rng.weighted(EVALUATION_CODES[discipline]) : (RE_EVALUATION_CODE[discipline] as string),
        minutes: null,
      });
      count = rng.weighted(EVALUATION_EXTRA_CODE_COUNT);
      total = rng.normalInt(22, 6, 10, 35);
      // A PT evaluation with manual therapy: the NCCI pair of DOMAIN.md §6.
      if (kind === "evaluation" && discipline === "PT" && rng.chance(0.35)) {
        timedChoices = MANUAL_THERAPY_ONLY;
        count = 1;
      }
    }
    const chosen = rng.weightedSample(timedChoices, count);
    const minutes = splitMinutes(rng, total, chosen.length, 5);
    chosen.forEach((cpt, i) => {
      let m = minutes[i] as number;
      // Now and then a long 97530 block on a Blue Cross visit: more units than its cap of 4.
      if (cpt === "97530" && payer.slug === "bcbs" && kind === "treatment" && rng.chance(0.04)) m = rng.int(68, 75);
      codes.push({ cpt, minutes: m });
    });
  }

  // Units by the payer's method. A timed code whose minutes support no unit is not billed;
  // the rest are re-counted without it, so the claim is consistent with the minutes it shows.
  const method = unitMethodFor(ctx, payer, visit.date);
  let supported = unitsForCodes(codes, method);
  while (supported.includes(0)) {
    const keep = codes.filter((_, i) => supported[i] !== 0);
    codes.length = 0;
    codes.push(...keep);
    supported = unitsForCodes(codes, method);
  }
  const disciplineModifier = expectedDisciplineModifier(therapist.credential);
  const assistantModifier = expectedAssistantModifier(therapist.credential);
  const lines: PlannedLine[] = [];
  codes.forEach((code, i) => {
    const timed = isTimedCode(code.cpt);
    let units = supported[i] as number;
    if (timed) {
      const r = rng.next();
      if (r < 0.025)
        units += 1; // billed over what the minutes support
      else if (r < 0.045 && units >= 2) units -= 1; // billed under
    }
    const isEvalPair = kind === "evaluation" && discipline === "PT" && code.cpt === "97140";
    lines.push({
      cpt: code.cpt,
      minutes: timed ? code.minutes : null,
      units,
      chargeCents: (CHARGE_MASTER[code.cpt] as number) * units,
      discipline: rng.chance(0.004) ? null : disciplineModifier,
      assistant: assistantModifier,
      kx: false,
      ga: false,
      needs59: isEvalPair,
      has59: isEvalPair && rng.chance(0.65),
      telehealth,
      note: lineNote(rng, code.cpt),
      expectedCents: null,
      needsKx: false,
    });
  });
  return lines;
}

/**
 * Units the minutes support, per code of a visit whose codes are distinct: CMS (pooled: N =
 * floor((T + 7) / 15) for T ≥ 8, full units per code, the rest to the largest leftovers,
 * earlier code on a tie) or per code (floor((m + 7) / 15) for m ≥ 8); 1 for an untimed code.
 * The same results as lib/billing's unitsByEightMinuteRule (CMS Pub. 100-04 ch. 5 §20.2), which
 * the tests check; written out here because it runs for every generated visit.
 */
function unitsForCodes(codes: readonly { cpt: string; minutes: number | null }[], method: UnitMethod): number[] {
  const units: number[] = new Array(codes.length).fill(1);
  const timed: boolean[] = codes.map((c) => isTimedCode(c.cpt));
  if (method === "per_code") {
    codes.forEach((c, i) => {
      if (!timed[i]) return;
      const m = c.minutes ?? 0;
      units[i] = m < 8 ? 0 : Math.floor((m + 7) / 15);
    });
    return units;
  }
  let total = 0;
  codes.forEach((c, i) => {
    if (timed[i]) total += c.minutes ?? 0;
  });
  let remaining = total < 8 ? 0 : Math.floor((total + 7) / 15);
  codes.forEach((c, i) => {
    if (!timed[i]) return;
    units[i] = Math.floor((c.minutes ?? 0) / 15);
    remaining -= units[i] as number;
  });
  const given: boolean[] = codes.map(() => false);
  while (remaining > 0) {
    let best = -1;
    let bestLeftover = 0;
    codes.forEach((c, i) => {
      const leftover = (c.minutes ?? 0) % 15;
      if (timed[i] && !given[i] && leftover > bestLeftover) {
        best = i;
        bestLeftover = leftover;
      }
    });
    if (best < 0) break;
    given[best] = true;
    units[best] = (units[best] as number) + 1;
    remaining -= 1;
  }
  return units;
}

function modifiersOf(line: PlannedLine): string[] {
  const modifiers: string[] = [];
  if (line.discipline) modifiers.push(line.discipline);
  if (line.assistant) modifiers.push(line.assistant);
  if (line.kx) modifiers.push("KX");
  else if (line.ga) modifiers.push("GA");
  if (line.has59) modifiers.push("59");
  if (line.telehealth) modifiers.push("95");
  return modifiers;
}

function planVisits(ctx: Context, rng: Random, patient: Patient, episodes: Episode[]): PlannedVisit[] {
  const visits: PlannedVisit[] = [];
  episodes.forEach((episode, episodeIndex) => {
    const { lead, assistant } = therapistsFor(ctx, patient, episode.discipline);
    const assistantShare = assistant
      ? rng.weighted([
          [0, 35],
          [0.35, 40],
          [0.7, 25],
        ])
      : 0;
    const pattern = rng.pick(WEEK_PATTERNS[episode.perWeek] as readonly (readonly number[])[]);
    const reEvalFrom = episode.reEvaluation ? episode.startDay + rng.int(56, 70) : Number.POSITIVE_INFINITY;
    let reEvalDone = false;
    for (let day = episode.startDay; day <= episode.endDay; day++) {
      const isStart = day === episode.startDay;
      if (!isStart) {
        if (!pattern.includes(weekday(day))) continue;
        if (ctx.holidays.has(fromDay(day))) continue;
        if (rng.chance(0.08)) continue; // cancellation / no-show
      }
      let kind: "evaluation" | "re_evaluation" | "treatment" = "treatment";
      if (isStart) kind = "evaluation";
      else if (!reEvalDone && day >= reEvalFrom) {
        kind = "re_evaluation";
        reEvalDone = true;
      }
      const therapist = kind === "treatment" && assistant && rng.chance(assistantShare) ? assistant : lead;
      const telehealth = kind === "treatment" && patient.payer.telehealth && rng.chance(0.035);
      const lines = planVisitLines(ctx, rng, patient, {
        discipline: episode.discipline,
        therapist,
        kind,
        telehealth,
        date: fromDay(day),
      });
      if (lines.length === 0) continue;
      visits.push({
        day,
        episode: episodeIndex,
        discipline: episode.discipline,
        therapist,
        placeOfService: telehealth ? "02" : "11",
        lines,
        dropped: false,
      });
    }
  });
  visits.sort((a, b) => a.day - b.day || a.episode - b.episode);
  return visits;
}

const CODE_INDEX = new Map(Object.keys(CHARGE_MASTER).map((code, i) => [code, i]));
const PAYER_INDEX = new Map(PAYERS.map((p, i) => [p.slug, i]));

// ---------------------------------------------------------------------------------------
// Pricing (lib/billing, cached: a visit's prices depend only on its payer, contract,
// year and lines)

function expectedCentsFor(
  ctx: Context,
  payer: PayerProfile,
  date: string,
  lines: readonly PlannedLine[],
  contractOverride?: Contract | null,
): (number | null)[] {
  const contract =
    payer.kind === "medicare" ? null : contractOverride !== undefined ? contractOverride : contractInForce(ctx.contracts, payer.name, date);
  // The key holds everything that can change a price: payer, contract period, year, and per
  // line the code, the pricing-relevant modifiers (discipline, assistant; KX/GA/59/95 never
  // change an amount), units and charge (lesser-of-charge).
  // The year is the run's; the charge is the charge master's rate × units. Packed into one
  // number: per line 10 bits (code, discipline and assistant flags, units), then payer and contract.
  let key = lines.length > 4 ? -1 : 0;
  for (let i = 0; i < lines.length && key >= 0; i++) {
    const line = lines[i] as PlannedLine;
    const code = CODE_INDEX.get(line.cpt);
    if (code === undefined || line.units > 7) key = -1;
    else key = key * 1024 + code * 32 + (line.discipline ? 16 : 0) + (line.assistant ? 8 : 0) + line.units;
  }
  if (key >= 0) key = (key * 8 + (PAYER_INDEX.get(payer.slug) ?? 0)) * 8 + (contract ? ctx.contracts.indexOf(contract) + 1 : 0);
  const cached = key >= 0 ? ctx.priceCache.get(key) : undefined;
  if (cached) return cached;
  const modifierLists = lines.map(modifiersOf);
  const expected = expectedAllowedForVisit({
    dateOfService: date,
    payerKind: payer.kind,
    lines: lines.map((line, i) => ({
      cpt: line.cpt,
      modifiers: modifierLists[i] as string[],
      minutes: line.minutes,
      unitsBilled: line.units,
      chargeCents: line.chargeCents,
    })),
    contract,
    feeSchedule: ctx.reference.feeSchedule,
    gpcis: ctx.reference.gpcis,
    practiceLocality: ctx.opts.medicareLocality,
  });
  const result = expected.lines.map((line) => line.expectedAllowedCents);
  if (ctx.priceCache.size > 200_000) ctx.priceCache.clear();
  if (key >= 0) ctx.priceCache.set(key, result);
  return result;
}

/** Medicare full-price (no MPPR cut) amount of a line, CQ/CO applied: the base of the CO-59 split. */
function medicareFullLineCents(ctx: Context, line: PlannedLine): number | null {
  const key = `${line.cpt}|${line.units}|${line.assistant ?? ""}`;
  const cached = ctx.fullPriceCache.get(key);
  if (cached !== undefined) return cached;
  const price = medicareUnitPrice({
    hcpcs: line.cpt,
    year: ctx.opts.year,
    locality: ctx.opts.medicareLocality,
    feeSchedule: ctx.reference.feeSchedule,
    gpci: ctx.reference.gpcis.get(gpciKey(ctx.opts.year, ctx.opts.medicareLocality)),
  });
  let full: number | null = null;
  if (price.kind === "priced") {
    full = price.price.fullCents * line.units;
    if (line.assistant) full = percentOfCents(full, ASSISTANT_PAYMENT_PERCENT);
  }
  ctx.fullPriceCache.set(key, full);
  return full;
}

/** medicarePaymentSplit, remembered for the common case of a met deductible (exact decimal math is slow). */
function medicareSplit(ctx: Context, allowedCents: number, remainingDeductibleCents: number): MedicarePaymentSplit {
  if (remainingDeductibleCents > 0) return medicarePaymentSplit({ allowedCents, remainingDeductibleCents });
  let split = ctx.splitCache.get(allowedCents);
  if (!split) {
    split = medicarePaymentSplit({ allowedCents, remainingDeductibleCents: 0 });
    ctx.splitCache.set(allowedCents, split);
  }
  return split;
}

/** percentOfCents, remembered (the coinsurance of the same amount comes up again and again). */
function percentOf(ctx: Context, amountCents: number, percent: number): number {
  const key = amountCents * 1000 + percent;
  let value = ctx.percentCache.get(key);
  if (value === undefined) {
    value = percentOfCents(amountCents, percent);
    ctx.percentCache.set(key, value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------
// Medicare thresholds and KX placement

type KxPolicy = "diligent" | "late" | "sporadic" | "abn";

interface PoolTrack {
  running: number;
  crossed: { alert: boolean; kx: boolean; review: boolean };
}

function placeKx(ctx: Context, rng: Random, visits: PlannedVisit[], usedElsewhere: Record<TherapyPool, number>): void {
  const tracks: Record<TherapyPool, PoolTrack> = {
    PT_SLP: { running: usedElsewhere.PT_SLP, crossed: { alert: false, kx: false, review: false } },
    OT: { running: usedElsewhere.OT, crossed: { alert: false, kx: false, review: false } },
  };
  const policies: Record<TherapyPool, KxPolicy> = {
    PT_SLP: rng.weighted<KxPolicy>([
      ["diligent", 64],
      ["late", 15],
      ["sporadic", 13],
      ["abn", 8],
    ]),
    OT: rng.weighted<KxPolicy>([
      ["diligent", 64],
      ["late", 15],
      ["sporadic", 13],
      ["abn", 8],
    ]),
  };
  /** Pool visits since the crossing visit (0 = the crossing visit). */
  const visitsSinceCrossing: Record<TherapyPool, number> = { PT_SLP: -1, OT: -1 };
  const lateBy: Record<TherapyPool, number> = { PT_SLP: rng.int(1, 3), OT: rng.int(1, 3) };

  for (const visit of visits) {
    const visitPool = disciplineOfPool(visit.discipline);
    if (visitsSinceCrossing[visitPool] >= 0) visitsSinceCrossing[visitPool] += 1;
    if (policies[visitPool] === "abn" && visitsSinceCrossing[visitPool] >= 3) {
      // After an ABN the patient stops this therapy: later visits of the pool are not held.
      visit.dropped = true;
      continue;
    }
    const missThisVisit = policies[visitPool] === "sporadic" && rng.chance(0.15);
    for (const line of visit.lines) {
      const pool = poolOfLine(modifiersOf(line));
      const track = pool ? tracks[pool] : null;
      if (pool && track) {
        track.running += line.expectedCents ?? 0;
        if (!track.crossed.alert && track.running > ctx.thresholds.alert) track.crossed.alert = true;
        if (!track.crossed.kx && track.running > ctx.thresholds.kx) {
          track.crossed.kx = true;
          visitsSinceCrossing[pool] = 0;
        }
        if (!track.crossed.review && track.running > ctx.thresholds.review) track.crossed.review = true;
        line.needsKx = track.crossed.kx;
      }
      const since = visitsSinceCrossing[visitPool];
      if (since < 0 || (pool !== null && !line.needsKx)) continue;
      switch (policies[visitPool]) {
        case "diligent":
          line.kx = true;
          break;
        case "late":
          line.kx = since >= lateBy[visitPool];
          break;
        case "sporadic":
          line.kx = !missThisVisit;
          break;
        case "abn":
          line.ga = true;
          break;
      }
    }
  }

  const summary = ctx.summary;
  let anyAlert = false;
  let anyKx = false;
  let anyReview = false;
  for (const pool of ["PT_SLP", "OT"] as const) {
    const crossed = tracks[pool].crossed;
    if (crossed.alert) summary.poolsCrossing[pool].alert += 1;
    if (crossed.kx) summary.poolsCrossing[pool].kx += 1;
    if (crossed.review) summary.poolsCrossing[pool].review += 1;
    anyAlert ||= crossed.alert;
    anyKx ||= crossed.kx;
    anyReview ||= crossed.review;
  }
  if (anyAlert) summary.medicarePatientsCrossing.alert += 1;
  if (anyKx) summary.medicarePatientsCrossing.kx += 1;
  if (anyReview) summary.medicarePatientsCrossing.review += 1;
}

// ---------------------------------------------------------------------------------------
// Remits

function monthOf(day: number): string {
  return fromDay(day).slice(0, 7);
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

function payerClaimNumber(ctx: Context, payer: PayerProfile, day: number): string {
  const seq = (ctx.payerClaimSeq.get(payer.slug) ?? 0) + 1;
  ctx.payerClaimSeq.set(payer.slug, seq);
  const date = fromDay(day).replaceAll("-", "").slice(2);
  const prefix = payer.kind === "medicare" ? "22" : payer.slug.slice(0, 2).toUpperCase();
  return `${prefix}${date}${String(seq).padStart(7, "0")}`;
}

interface Adjudicated {
  line: RemitServiceLine;
  underpaid: boolean;
}

interface PatientRemitState {
  /** Medicare Part B deductible left, or the commercial plan's deductible left. */
  deductibleLeftCents: number;
}

function addAdjustment(list: Adjustment[], group: Adjustment["group"], reason: string, amountCents: number): void {
  if (amountCents !== 0) list.push({ group, reason, amountCents });
}

/** Remit lines of one claim as the payer adjudicated it (see the header comment for the rules). */
function adjudicateClaim(
  ctx: Context,
  rng: Random,
  patient: Patient,
  visit: PlannedVisit,
  state: PatientRemitState,
  /** "random": the payer's usual rate of short payments; "all" / "none": every line / no line. */
  underpay: "random" | "all" | "none" = "random",
): Adjudicated[] {
  const payer = patient.payer;
  const date = fromDay(visit.day);
  let copayLeft = payer.patientShare.kind === "copay" ? payer.patientShare.perVisitCents : 0;

  // Blue Cross kept paying its old rates for a while after the July 1 raise.
  let oldRates: (number | null)[] | null = null;
  if (payer.slug === "bcbs" && date >= `${ctx.opts.year}-07-01` && date <= `${ctx.opts.year}-08-15`) {
    const previous = contractInForce(ctx.contracts, payer.name, `${ctx.opts.year}-06-30`);
    if (previous) oldRates = expectedCentsFor(ctx, payer, date, visit.lines, previous);
  }

  return visit.lines.map((line, index): Adjudicated => {
    const modifiers = modifiersOf(line);
    const adjustments: Adjustment[] = [];
    const remit = (paidCents: number, allowedCents: number | null, remarks: string[]): RemitServiceLine => ({
      cpt: line.cpt,
      modifiers,
      chargeCents: line.chargeCents,
      paidCents,
      units: line.units,
      dateOfService: date,
      adjustments,
      allowedCents,
      remarks,
    });
    const deny = (group: "CO" | "PR", reason: string, remark: string, allowedCents: number | null): Adjudicated => {
      adjustments.push({ group, reason, amountCents: line.chargeCents });
      return { line: remit(0, allowedCents, [remark]), underpaid: false };
    };
    if (!line.discipline) {
      ctx.summary.denials.co4 += 1;
      return deny("CO", "4", "N822", null);
    }
    if (line.needs59 && !line.has59) {
      ctx.summary.denials.co97 += 1;
      return deny("CO", "97", "M15", null);
    }
    if (payer.kind === "medicare" && line.needsKx && !line.kx) {
      if (line.ga) {
        ctx.summary.denials.pr119 += 1;
        return deny("PR", "119", "M38", 0);
      }
      ctx.summary.denials.co119 += 1;
      return deny("CO", "119", "N640", null);
    }
    const expected = line.expectedCents;
    if (expected === null) throw new Error(`no expected allowed amount for ${line.cpt} (${payer.name} ${date})`);

    if (payer.kind === "medicare") {
      const allowed = expected;
      const full = medicareFullLineCents(ctx, line) ?? allowed;
      const mpprCut = Math.max(0, full - allowed);
      const split = medicareSplit(ctx, allowed, state.deductibleLeftCents);
      state.deductibleLeftCents -= split.deductibleCents;
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed - mpprCut);
      addAdjustment(adjustments, "CO", "59", mpprCut);
      addAdjustment(adjustments, "CO", "253", split.sequestrationCents);
      addAdjustment(adjustments, "PR", "1", split.deductibleCents);
      addAdjustment(adjustments, "PR", "2", split.coinsuranceCents);
      return { line: remit(split.medicarePaysCents, allowed, []), underpaid: false };
    }

    let allowed = expected;
    let underpaid = false;
    const old = oldRates?.[index];
    if (old != null && old < allowed) {
      allowed = old;
      underpaid = true;
    } else if (underpay === "all" || (underpay === "random" && rng.chance(payer.underpaidLineRate))) {
      const cut = Math.max(100, Math.round(allowed * (0.03 + rng.next() * 0.09)));
      if (allowed > cut) {
        allowed -= cut;
        underpaid = true;
      }
    }
    let patientCents = 0;
    const share = payer.patientShare;
    if (share.kind === "copay") {
      const copay = Math.min(copayLeft, allowed);
      copayLeft -= copay;
      patientCents = copay;
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed);
      addAdjustment(adjustments, "PR", "3", copay);
    } else if (share.kind === "coinsurance") {
      const deductible = Math.min(state.deductibleLeftCents, allowed);
      state.deductibleLeftCents -= deductible;
      const coinsurance = percentOf(ctx, allowed - deductible, share.percent);
      patientCents = deductible + coinsurance;
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed);
      addAdjustment(adjustments, "PR", "1", deductible);
      addAdjustment(adjustments, "PR", "2", coinsurance);
    } else {
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed);
    }
    return { line: remit(allowed - patientCents, allowed, []), underpaid };
  });
}

function claimStatus(lines: readonly RemitServiceLine[]): "1" | "4" {
  const paid = lines.reduce((s, l) => s + l.paidCents, 0);
  const patient = lines.reduce((s, l) => s + l.adjustments.filter((a) => a.group === "PR").reduce((t, a) => t + a.amountCents, 0), 0);
  return paid === 0 && patient === 0 ? "4" : "1";
}

// ---------------------------------------------------------------------------------------
// The run

/** Where generated output goes: visit rows one at a time, remit claim loops per file. */
export interface PracticeSink {
  /** False skips adjudication and remit building (the visit rows stay the same). */
  wantsRemits?: boolean;
  /** Each visit row as an object. */
  visitRow?(row: VisitRow): void;
  /** Each visit row as a CSV line with its newline (cheaper than objects when writing files). */
  visitCsvLine?(line: string): void;
  /** One claim loop (835 text with terminators) for the remit file `fileKey`. */
  remitClaim(fileKey: string, text: string, segmentCount: number, paidCents: number): void;
}

function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** Each line's expected allowed amount under the payer's terms on the visit's date. */
function priceVisits(ctx: Context, payer: PayerProfile, visits: readonly PlannedVisit[]): void {
  for (const visit of visits) {
    const prices = expectedCentsFor(ctx, payer, fromDay(visit.day), visit.lines);
    visit.lines.forEach((line, lineIndex) => {
      line.expectedCents = prices[lineIndex] ?? null;
    });
  }
}

/** A Medicare patient: sometimes an amount used elsewhere this year (a usage row), then KX placed on the visits. */
function medicareThresholds(ctx: Context, rng: Random, patient: Patient, visits: PlannedVisit[]): void {
  ctx.summary.medicarePatients += 1;
  const usedElsewhere: Record<TherapyPool, number> = { PT_SLP: 0, OT: 0 };
  const firstVisit = visits[0];
  if (firstVisit && rng.chance(0.08)) {
    const pool = disciplineOfPool(firstVisit.discipline);
    const amount = rng.int(3, 19) * 10000 + rng.int(0, 99) * 100;
    usedElsewhere[pool] = amount;
    const asOf = Math.max(ctx.yearStartDay + 10, firstVisit.day - rng.int(2, 20));
    ctx.usageRows.push({
      patient_id: patient.id,
      year: String(ctx.opts.year),
      pool,
      amount: formatCents(amount),
      source: rng.pick(["MAC portal", "eligibility response"]),
      as_of: fromDay(Math.min(asOf, firstVisit.day)),
    });
    ctx.summary.usageRows += 1;
  }
  placeKx(ctx, rng, visits, usedElsewhere);
}

/** Part B or plan deductible left at the first visit: the later in the year, the likelier it was met elsewhere. */
function openingDeductibleCents(ctx: Context, remitRng: Random, payer: PayerProfile, visits: readonly PlannedVisit[]): number {
  const firstDay = visits[0]?.day ?? ctx.yearStartDay;
  const yearFraction = (firstDay - ctx.yearStartDay) / 365;
  if (payer.kind === "medicare") {
    if (remitRng.chance(0.15 + 0.6 * yearFraction)) return 0;
    return remitRng.chance(0.8) ? ctx.deductibleCents : remitRng.int(50, 250) * 100;
  }
  if (payer.patientShare.kind === "coinsurance" && !remitRng.chance(0.2 + 0.6 * yearFraction)) return payer.patientShare.deductibleCents;
  return 0;
}

/** A visit's identifiers in the files. */
interface VisitIds {
  visitId: string;
  claimId: string;
  date: string;
}

/** The visit's rows (one per line) to the sink, counted in the summary. */
function writeVisitRows(
  ctx: Context,
  sink: PracticeSink,
  patient: Patient,
  visit: PlannedVisit,
  ids: VisitIds,
  patientPrefix: string,
): void {
  const payer = patient.payer;
  const isMedicare = payer.kind === "medicare";
  const visitPrefix = sink.visitCsvLine
    ? `${ids.visitId},${ids.claimId},${ids.date},${visit.therapist.npi},${csvField(visit.therapist.name)},${visit.therapist.credential},${visit.placeOfService},`
    : "";
  for (const line of visit.lines) {
    const modifiers = modifiersOf(line).join(";");
    const minutes = line.minutes === null ? "" : String(line.minutes);
    const units = String(line.units);
    const charge = formatCents(line.chargeCents);
    ctx.summary.lines += 1;
    if (line.kx) ctx.summary.linesWithKx += 1;
    if (line.ga) ctx.summary.linesWithGa += 1;
    if (isMedicare && line.needsKx && !line.kx && !line.ga && line.discipline) ctx.summary.linesMissingKx += 1;
    if (sink.visitCsvLine) {
      sink.visitCsvLine(`${patientPrefix}${visitPrefix}${line.cpt},${modifiers},${minutes},${units},${charge},${csvField(line.note)}\n`);
    }
    sink.visitRow?.({
      patient_id: patient.id,
      first_name: patient.firstName,
      last_name: patient.lastName,
      birth_date: patient.birthDate,
      payer: payer.name,
      payer_kind: payer.kind,
      member_id: patient.memberId,
      visit_id: ids.visitId,
      claim_id: ids.claimId,
      date_of_service: ids.date,
      therapist_npi: visit.therapist.npi,
      therapist_name: visit.therapist.name,
      therapist_credential: visit.therapist.credential,
      place_of_service: visit.placeOfService,
      cpt: line.cpt,
      modifiers,
      minutes,
      units_billed: units,
      charge,
      note: line.note,
    });
  }
}

/** A claim loop into the remit file of its payer and month. */
function emitRemitClaim(
  ctx: Context,
  sink: PracticeSink,
  payer: PayerProfile,
  fileMonth: string,
  claim: RemitClaim,
  countUnderpaid: Adjudicated[] | null,
): void {
  const key = `${payer.slug}|${fileMonth}`;
  if (!ctx.remitFiles.has(key)) ctx.remitFiles.set(key, { payer, month: fileMonth });
  const { text, segmentCount } = claimText(claim);
  sink.remitClaim(
    key,
    text,
    segmentCount,
    claim.lines.reduce((sum, line) => sum + line.paidCents, 0),
  );
  ctx.summary.remitClaimLoops += 1;
  ctx.summary.remitServiceLines += claim.lines.length;
  if (countUnderpaid) ctx.summary.underpaidLines += countUnderpaid.filter((adjudicated) => adjudicated.underpaid).length;
}

/** The remitted claim of an adjudicated visit. */
function remitClaimOf(
  claimId: string,
  payer: PayerProfile,
  payerClaimNo: string,
  patient: Patient,
  adjudicated: readonly Adjudicated[],
): RemitClaim {
  const lines = adjudicated.map((one) => one.line);
  return {
    claimId,
    status: claimStatus(lines),
    filingCode: payer.claimFilingCode,
    payerClaimNumber: payerClaimNo,
    patient: { lastName: patient.lastName, firstName: patient.firstName, memberId: patient.memberId },
    lines,
  };
}

/**
 * The visit's remit, if the payer has answered by now: usually one claim loop; once in the
 * practice (a UnitedHealthcare claim) a short payment, its reversal and the correction.
 */
function remitVisit(
  ctx: Context,
  sink: PracticeSink,
  remitRng: Random,
  patient: Patient,
  visit: PlannedVisit,
  claimId: string,
  remitState: PatientRemitState,
): void {
  const payer = patient.payer;
  const lag = remitRng.int(payer.remitLagDays[0], payer.remitLagDays[1]);
  const payDay = nextWeekday(visit.day + lag);
  const lost = payer.kind !== "medicare" && remitRng.chance(0.01);
  if (visit.day > ctx.cutoffDay || payDay > ctx.todayDay || lost) {
    ctx.summary.outstandingClaims += 1;
    return;
  }
  ctx.summary.remittedClaims += 1;
  const month = monthOf(payDay);
  const reversalMonthLimit = monthOf(ctx.todayDay - 62);
  const reversalCandidate =
    !ctx.reversalDone &&
    payer.slug === "uhc" &&
    month <= reversalMonthLimit &&
    visit.lines.every((line) => line.discipline && !(line.needs59 && !line.has59));
  if (!reversalCandidate) {
    const adjudicated = adjudicateClaim(ctx, remitRng, patient, visit, remitState);
    emitRemitClaim(
      ctx,
      sink,
      payer,
      month,
      remitClaimOf(claimId, payer, payerClaimNumber(ctx, payer, payDay), patient, adjudicated),
      adjudicated,
    );
    return;
  }
  ctx.reversalDone = true;
  const before = remitState.deductibleLeftCents;
  const original = adjudicateClaim(ctx, remitRng, patient, visit, remitState, "all");
  const originalClaim = remitClaimOf(claimId, payer, payerClaimNumber(ctx, payer, payDay), patient, original);
  emitRemitClaim(ctx, sink, payer, month, originalClaim, null);
  remitState.deductibleLeftCents = before;
  // The correction pays the contract in full.
  const corrected = adjudicateClaim(ctx, remitRng, patient, visit, remitState, "none");
  const later = nextMonth(month);
  emitRemitClaim(ctx, sink, payer, later, reversalOf(originalClaim), null);
  emitRemitClaim(
    ctx,
    sink,
    payer,
    later,
    remitClaimOf(claimId, payer, payerClaimNumber(ctx, payer, payDay + 30), patient, corrected),
    corrected,
  );
}

function generatePatient(ctx: Context, index: number, sink: PracticeSink): void {
  const rng = new Random(mixSeed(ctx.opts.seed, index + 1));
  const { patient, age } = makePatient(ctx, rng, index);
  const episodes = planEpisodes(ctx, rng, patient, age);
  const visits = planVisits(ctx, rng, patient, episodes);
  const payer = patient.payer;
  ctx.summary.patients += 1;
  priceVisits(ctx, payer, visits);
  if (payer.kind === "medicare") medicareThresholds(ctx, rng, patient, visits);

  // Remits draw from their own stream, so the visit rows are the same whether or not remits are built.
  const remitRng = new Random(mixSeed(ctx.opts.seed ^ 0x835835, index + 1));
  const remitState: PatientRemitState = { deductibleLeftCents: openingDeductibleCents(ctx, remitRng, payer, visits) };
  const emitRemits = sink.wantsRemits !== false;
  const patientPrefix = sink.visitCsvLine
    ? `${patient.id},${csvField(patient.firstName)},${csvField(patient.lastName)},${patient.birthDate},${csvField(payer.name)},${payer.kind},${patient.memberId},`
    : "";
  for (const visit of visits) {
    if (visit.dropped) continue;
    ctx.visitSeq += 1;
    ctx.claimSeq += 1;
    const ids: VisitIds = {
      visitId: `V${String(ctx.visitSeq).padStart(8, "0")}`,
      claimId: `CLM${String(ctx.claimSeq).padStart(8, "0")}`,
      date: fromDay(visit.day),
    };
    ctx.summary.visits += 1;
    ctx.summary.claims += 1;
    if (visit.placeOfService === "02") ctx.summary.telehealthVisits += 1;
    writeVisitRows(ctx, sink, patient, visit, ids, patientPrefix);
    if (emitRemits) remitVisit(ctx, sink, remitRng, patient, visit, ids.claimId, remitState);
  }
}

interface RemitFilePlan {
  key: string;
  fileName: string;
  payer: PayerProfile;
  envelopeFor(body: { segmentCount: number; paidCents: number }): { head: string[]; tail: string[] };
}

/** File names, control numbers, dates and the PLB of every remit file, in a stable order. */
function planRemitFiles(ctx: Context): RemitFilePlan[] {
  const payerOrder = new Map(PAYERS.map((p, i) => [p.slug, i]));
  const keys = [...ctx.remitFiles.entries()].sort(([a, fa], [b, fb]) => {
    const byPayer = (payerOrder.get(fa.payer.slug) ?? 0) - (payerOrder.get(fb.payer.slug) ?? 0);
    return byPayer !== 0 ? byPayer : a < b ? -1 : a > b ? 1 : 0;
  });
  // One file carries a PLB: interest (L6) paid with a late batch, preferably Aetna's second month.
  const plbCandidates = ["aetna", "uhc", "bcbs", "humana-ma", "medicaid", "medicare"];
  let plbKey: string | null = null;
  for (const slug of plbCandidates) {
    const files = keys.filter(([, f]) => f.payer.slug === slug);
    if (files.length > 0) {
      plbKey = (files[Math.min(1, files.length - 1)] as [string, unknown])[0];
      break;
    }
  }
  const plbRng = new Random(mixSeed(ctx.opts.seed, 0x9b1));
  const interestCents = plbRng.int(150, 950);
  return keys.map(([key, file], i) => {
    const controlNumber = 1001 + i;
    const monthEnd = toDay(`${nextMonth(file.month)}-01`) - 1;
    const paymentDay = Math.min(lastWeekdayOnOrBefore(monthEnd), lastWeekdayOnOrBefore(ctx.todayDay));
    const paymentDate = fromDay(paymentDay);
    const adjustments: ProviderAdjustment[] = key === plbKey ? [{ reason: "L6", amountCents: -interestCents }] : [];
    return {
      key,
      fileName: `remit-${file.payer.slug}-${file.month}.835`,
      payer: file.payer,
      envelopeFor: (body) =>
        envelopeSegments(
          {
            payerName: file.payer.name,
            payerId: file.payer.payerId,
            payeeName: PRACTICE.name,
            payeeNpi: PRACTICE.npi,
            paymentDate,
            controlNumber,
            traceNumber: `${file.payer.slug
              .replace(/[^a-z]/g, "")
              .toUpperCase()
              .slice(0, 4)}${paymentDate.replaceAll("-", "")}${controlNumber}`,
            payerTaxId: String(mixSeed((payerOrder.get(file.payer.slug) ?? 0) + 1, 77) % 1_000_000_000).padStart(9, "0"),
            providerAdjustments: adjustments,
          },
          body,
        ),
    };
  });
}

function metadataOf(ctx: Context): PracticeMetadata {
  ctx.summary.remitFiles = ctx.remitFiles.size;
  return {
    options: ctx.opts,
    practice: { name: PRACTICE.name, npi: PRACTICE.npi, medicareLocality: ctx.opts.medicareLocality, timeZone: "America/New_York" },
    clinics: ctx.clinics,
    therapists: ctx.therapists,
    payers: PAYERS.map((p) => ({ name: p.name, kind: p.kind })),
    contractsCsvRows: ctx.contractsCsvRows,
    usageRows: ctx.usageRows,
    summary: ctx.summary,
  };
}

function run(options: GeneratorOptions, sink: PracticeSink): { ctx: Context; files: RemitFilePlan[] } {
  const ctx = createContext(resolveOptions(options));
  for (let i = 0; i < ctx.opts.patients; i++) generatePatient(ctx, i, sink);
  return { ctx, files: planRemitFiles(ctx) };
}

// ---------------------------------------------------------------------------------------
// Public API

/** The whole practice in memory (for tests, the seed script and small sizes). */
export function generatePractice(options: GeneratorOptions = {}): PracticeData {
  const visitRows: VisitRow[] = [];
  const bodies = new Map<string, { chunks: string[]; segmentCount: number; paidCents: number }>();
  const { ctx, files } = run(options, {
    visitRow: (row) => visitRows.push(row),
    remitClaim: (key, text, segmentCount, paidCents) => {
      let body = bodies.get(key);
      if (!body) {
        body = { chunks: [], segmentCount: 0, paidCents: 0 };
        bodies.set(key, body);
      }
      body.chunks.push(text);
      body.segmentCount += segmentCount;
      body.paidCents += paidCents;
    },
  });
  const remits = files.map((file) => {
    const body = bodies.get(file.key) ?? { chunks: [], segmentCount: 0, paidCents: 0 };
    const { head, tail } = file.envelopeFor(body);
    return { fileName: file.fileName, content: joinSegments(head) + body.chunks.join("") + joinSegments(tail) };
  });
  return { ...metadataOf(ctx), visitRows, remits };
}

/** Visit rows one at a time, without holding them (remits are not built). Returns the metadata. */
export function streamVisitRows(options: GeneratorOptions, onRow: (row: VisitRow) => void): PracticeMetadata {
  const { ctx } = run(options, { wantsRemits: false, visitRow: onRow, remitClaim: () => {} });
  return metadataOf(ctx);
}

/** One CSV field, quoted per RFC 4180 when needed. */
export function csvField(value: string): string {
  if (NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvLine(columns: readonly string[], row: Readonly<Record<string, string>>): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ",";
    line += csvField(row[columns[i] as string] ?? "");
  }
  return `${line}\n`;
}

function csvText<T extends Readonly<Record<string, string>>>(columns: readonly string[], rows: readonly T[]): string {
  return columns.join(",") + "\n" + rows.map((row) => csvLine(columns, row)).join("");
}

/** A buffered synchronous file writer (fast for millions of small writes). */
class BufferedFile {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;

  constructor(file: string, size = 1 << 18) {
    this.fd = openSync(file, "w");
    this.buffer = Buffer.allocUnsafe(size);
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function writeMetadataFiles(dir: string, meta: PracticeMetadata): void {
  const usage = new BufferedFile(path.join(dir, "usage.csv"));
  usage.write(csvText(USAGE_COLUMNS, meta.usageRows));
  usage.close();
  const contracts = new BufferedFile(path.join(dir, "contracts.csv"));
  contracts.write(csvText(CONTRACT_COLUMNS, meta.contractsCsvRows as unknown as Record<string, string>[]));
  contracts.close();
}

/** Writes visits.csv, usage.csv, contracts.csv and the 835 files of an in-memory practice. */
export function writePracticeFiles(dir: string, data: PracticeData): void {
  mkdirSync(dir, { recursive: true });
  const visits = new BufferedFile(path.join(dir, "visits.csv"));
  visits.write(`${VISIT_COLUMNS.join(",")}\n`);
  for (const row of data.visitRows) visits.write(csvLine(VISIT_COLUMNS, row));
  visits.close();
  writeMetadataFiles(dir, data);
  for (const remit of data.remits) {
    const file = new BufferedFile(path.join(dir, remit.fileName));
    file.write(remit.content);
    file.close();
  }
}

/**
 * Generates and writes the practice straight to disk with bounded memory: visit rows go to
 * visits.csv as they are made, each remit file's claim loops to a temporary body file that
 * is wrapped in its envelope at the end. Returns the metadata (no rows).
 */
export function streamPracticeFiles(dir: string, options: GeneratorOptions = {}): PracticeMetadata & { remitFileNames: string[] } {
  mkdirSync(dir, { recursive: true });
  const visits = new BufferedFile(path.join(dir, "visits.csv"));
  visits.write(`${VISIT_COLUMNS.join(",")}\n`);
  const bodies = new Map<string, { file: BufferedFile; tmp: string; segmentCount: number; paidCents: number }>();
  const { ctx, files } = run(options, {
    visitCsvLine: (line) => visits.write(line),
    remitClaim: (key, text, segmentCount, paidCents) => {
      let body = bodies.get(key);
      if (!body) {
        const tmp = path.join(dir, `.body-${key.replace(/[^a-z0-9-]/gi, "_")}.tmp`);
        body = { file: new BufferedFile(tmp, 1 << 15), tmp, segmentCount: 0, paidCents: 0 };
        bodies.set(key, body);
      }
      body.file.write(text);
      body.segmentCount += segmentCount;
      body.paidCents += paidCents;
    },
  });
  visits.close();
  const meta = metadataOf(ctx);
  writeMetadataFiles(dir, meta);
  for (const plan of files) {
    const body = bodies.get(plan.key);
    if (!body) continue;
    body.file.close();
    const { head, tail } = plan.envelopeFor({ segmentCount: body.segmentCount, paidCents: body.paidCents });
    const out = new BufferedFile(path.join(dir, plan.fileName));
    out.write(joinSegments(head));
    out.write(readFileSync(body.tmp, "utf8"));
    out.write(joinSegments(tail));
    out.close();
    rmSync(body.tmp);
  }
  return { ...meta, remitFileNames: files.map((f) => f.fileName) };
}
