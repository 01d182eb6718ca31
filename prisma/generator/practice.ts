// The synthetic practice's fixed setup: payers and how they pay, their contracts
// (contracts.csv rows), the charge master, clinics and therapists.
import type { PayerKind } from "../../lib/billing/expected";
import type { TherapistCredential } from "../../lib/billing/codes";
import { letters, makeMbi, makeNpi, THERAPIST_FIRST, LAST_NAMES } from "./names";
import type { Random } from "./random";

export type Discipline = "PT" | "OT" | "SLP";

/** How a payer splits the allowed amount between itself and the patient on the remit. */
export type PatientShare =
  | { kind: "medicare" }
  | { kind: "copay"; perVisitCents: number }
  | { kind: "coinsurance"; percent: number; deductibleCents: number }
  | { kind: "none" };

export interface PayerProfile {
  name: string;
  kind: PayerKind;
  /** Short name for remit file names. */
  slug: string;
  /** Payer identification (ISA06/GS02, TRN03 after the leading 1). */
  payerId: string;
  /** CLP06 claim filing indicator: MB Medicare Part B, HM HMO, 12 PPO, MC Medicaid. */
  claimFilingCode: string;
  /** Days from date of service to payment. */
  remitLagDays: readonly [number, number];
  patientShare: PatientShare;
  /** Share of remitted lines allowed a few dollars below the contract. */
  underpaidLineRate: number;
  /** True when the practice bills telehealth (POS 02, modifier 95) to this payer. */
  telehealth: boolean;
  /** Share of patients with this payer. */
  weight: number;
}

export const PAYERS: readonly PayerProfile[] = [
  {
    name: "Medicare",
    kind: "medicare",
    slug: "medicare",
    payerId: "13202",
    claimFilingCode: "MB",
    remitLagDays: [14, 20],
    patientShare: { kind: "medicare" },
    underpaidLineRate: 0,
    telehealth: false,
    weight: 60,
  },
  {
    name: "Humana Medicare Advantage",
    kind: "medicare_advantage",
    slug: "humana-ma",
    payerId: "61101",
    claimFilingCode: "HM",
    remitLagDays: [15, 24],
    patientShare: { kind: "copay", perVisitCents: 2000 },
    underpaidLineRate: 0.08,
    telehealth: false,
    weight: 10,
  },
  {
    name: "Blue Cross Blue Shield",
    kind: "commercial",
    slug: "bcbs",
    payerId: "00803",
    claimFilingCode: "12",
    remitLagDays: [15, 24],
    patientShare: { kind: "copay", perVisitCents: 3000 },
    underpaidLineRate: 0.05,
    telehealth: true,
    weight: 10,
  },
  {
    name: "UnitedHealthcare",
    kind: "commercial",
    slug: "uhc",
    payerId: "87726",
    claimFilingCode: "12",
    remitLagDays: [15, 24],
    patientShare: { kind: "coinsurance", percent: 20, deductibleCents: 50000 },
    underpaidLineRate: 0.1,
    telehealth: true,
    weight: 9,
  },
  {
    name: "Aetna",
    kind: "commercial",
    slug: "aetna",
    payerId: "60054",
    claimFilingCode: "12",
    remitLagDays: [15, 24],
    patientShare: { kind: "copay", perVisitCents: 3500 },
    underpaidLineRate: 0.04,
    telehealth: true,
    weight: 6,
  },
  {
    name: "State Medicaid",
    kind: "medicaid",
    slug: "medicaid",
    payerId: "NYMCD",
    claimFilingCode: "MC",
    remitLagDays: [18, 24],
    patientShare: { kind: "none" },
    underpaidLineRate: 0.02,
    telehealth: false,
    weight: 5,
  },
];

export const PRACTICE = {
  name: "Hudson Street Rehabilitation",
  /** Group (type 2) NPI of the billing practice: N1*PE. */
  npi: "1932145679",
  taxId: "133456789",
};

/** Practice charge master: billed charge per unit, in cents. */
export const CHARGE_MASTER: Readonly<Record<string, number>> = {
  "97161": 17500,
  "97162": 19000,
  "97163": 21000,
  "97164": 12000,
  "97165": 18000,
  "97166": 19500,
  "97167": 21500,
  "97168": 12500,
  "97110": 6500,
  "97112": 7000,
  "97116": 6500,
  "97140": 6000,
  "97530": 7500,
  "97535": 7000,
  "92522": 19000,
  "92523": 24000,
  "92507": 13500,
  "92526": 14000,
};

export const TIMED_CODES_BY_DISCIPLINE: Readonly<Record<Discipline, readonly (readonly [string, number])[]>> = {
  PT: [
    ["97110", 30],
    ["97112", 17],
    ["97116", 12],
    ["97140", 18],
    ["97530", 20],
    ["97535", 4],
  ],
  OT: [
    ["97530", 32],
    ["97535", 24],
    ["97110", 22],
    ["97112", 10],
    ["97140", 10],
  ],
  SLP: [],
};

export const EVALUATION_CODES: Readonly<Record<Discipline, readonly (readonly [string, number])[]>> = {
  PT: [
    ["97161", 30],
    ["97162", 50],
    ["97163", 20],
  ],
  OT: [
    ["97165", 30],
    ["97166", 50],
    ["97167", 20],
  ],
  SLP: [
    ["92523", 70],
    ["92522", 30],
  ],
};
export const RE_EVALUATION_CODE: Readonly<Record<Discipline, string | null>> = { PT: "97164", OT: "97168", SLP: null };

export const SLP_CODES = ["92507", "92522", "92523", "92526"] as const;
const PT_OT_CODES = [
  "97161",
  "97162",
  "97163",
  "97164",
  "97165",
  "97166",
  "97167",
  "97168",
  "97110",
  "97112",
  "97116",
  "97140",
  "97530",
  "97535",
];

/** One row of contracts.csv, all columns as text (FORMATS.md). */
export interface ContractCsvRow {
  payer: string;
  effective_from: string;
  effective_to: string;
  unit_method: string;
  multiple_procedure_rule: string;
  cpt: string;
  modifier: string;
  rate_per_unit: string;
  percent_of_medicare: string;
  medicare_year: string;
  locality: string;
  max_units_per_visit: string;
  lesser_of_charge: string;
}

export const CONTRACT_COLUMNS: readonly (keyof ContractCsvRow)[] = [
  "payer",
  "effective_from",
  "effective_to",
  "unit_method",
  "multiple_procedure_rule",
  "cpt",
  "modifier",
  "rate_per_unit",
  "percent_of_medicare",
  "medicare_year",
  "locality",
  "max_units_per_visit",
  "lesser_of_charge",
];

// Fixed fees per unit, in dollars.
const BLUE_CROSS_RATES: Readonly<Record<string, number>> = {
  "97161": 95,
  "97162": 105,
  "97163": 115,
  "97164": 70,
  "97165": 96,
  "97166": 106,
  "97167": 116,
  "97168": 71,
  "97110": 38,
  "97112": 40,
  "97116": 37,
  "97140": 36,
  "97530": 42,
  "97535": 39,
  "92507": 82,
  "92522": 118,
  "92523": 148,
  "92526": 86,
};
const AETNA_RATES: Readonly<Record<string, number>> = {
  "97161": 102,
  "97162": 112,
  "97163": 124,
  "97164": 74,
  "97165": 104,
  "97166": 114,
  "97167": 126,
  "97168": 75,
  "97110": 41,
  "97112": 43.5,
  "97116": 40,
  "97140": 38.5,
  "97530": 46,
  "97535": 42,
  "92507": 88,
  "92522": 124,
  "92523": 156,
  "92526": 92,
};
const MEDICAID_RATES: Readonly<Record<string, number>> = {
  "97161": 68,
  "97162": 68,
  "97163": 68,
  "97164": 45,
  "97165": 70,
  "97166": 70,
  "97167": 70,
  "97168": 46,
  "97110": 24.5,
  "97112": 26.25,
  "97116": 23.8,
  "97140": 22.9,
  "97530": 28.4,
  "97535": 25.6,
  "92507": 58,
  "92522": 84,
  "92523": 102,
  "92526": 60,
};

function money(dollars: number): string {
  return dollars.toFixed(2);
}

/**
 * The contracts of the non-Medicare payers: Blue Cross per-code fees with a 97530 cap of 4
 * units (two periods, a raise on July 1), UnitedHealthcare 110% of Medicare with MPPR,
 * Aetna per-code fees with whole_50, Humana MA at 100% of Medicare, Medicaid per-code fees.
 * SLP codes are only offered where they can be priced: on fixed-fee contracts, and on
 * percentage contracts only when the Medicare fee schedule prices them.
 */
export function buildContractRows(input: { year: number; locality: string; slpPricedByMedicare: boolean }): ContractCsvRow[] {
  const { year, locality } = input;
  const rows: ContractCsvRow[] = [];
  const allCodes = [...PT_OT_CODES, ...SLP_CODES];
  const row = (partial: Partial<ContractCsvRow> & Pick<ContractCsvRow, "payer" | "effective_from" | "cpt">): ContractCsvRow => ({
    effective_to: "",
    unit_method: "cms",
    multiple_procedure_rule: "none",
    modifier: "",
    rate_per_unit: "",
    percent_of_medicare: "",
    medicare_year: "",
    locality: "",
    max_units_per_visit: "",
    lesser_of_charge: "true",
    ...partial,
  });

  // Blue Cross: per_code units, no multiple-procedure rule; rates raised 3% on July 1.
  for (const cpt of allCodes) {
    rows.push(
      row({
        payer: "Blue Cross Blue Shield",
        effective_from: `${year - 1}-07-01`,
        effective_to: `${year}-06-30`,
        unit_method: "per_code",
        cpt,
        rate_per_unit: money(BLUE_CROSS_RATES[cpt] as number),
        max_units_per_visit: cpt === "97530" ? "4" : "",
      }),
    );
  }
  for (const cpt of allCodes) {
    rows.push(
      row({
        payer: "Blue Cross Blue Shield",
        effective_from: `${year}-07-01`,
        unit_method: "per_code",
        cpt,
        rate_per_unit: money(Math.round((BLUE_CROSS_RATES[cpt] as number) * 103) / 100),
        max_units_per_visit: cpt === "97530" ? "4" : "",
      }),
    );
  }
  const percentCodes = input.slpPricedByMedicare ? allCodes : PT_OT_CODES;
  for (const cpt of percentCodes) {
    rows.push(
      row({
        payer: "UnitedHealthcare",
        effective_from: `${year}-01-01`,
        multiple_procedure_rule: "medicare_pe_50",
        cpt,
        percent_of_medicare: "110",
        medicare_year: String(year),
        locality,
      }),
    );
  }
  for (const cpt of allCodes) {
    rows.push(
      row({
        payer: "Aetna",
        effective_from: `${year}-01-01`,
        multiple_procedure_rule: "whole_50",
        cpt,
        rate_per_unit: money(AETNA_RATES[cpt] as number),
      }),
    );
  }
  for (const cpt of percentCodes) {
    rows.push(
      row({
        payer: "Humana Medicare Advantage",
        effective_from: `${year}-01-01`,
        multiple_procedure_rule: "medicare_pe_50",
        cpt,
        percent_of_medicare: "100",
        medicare_year: String(year),
        locality,
      }),
    );
  }
  for (const cpt of allCodes) {
    rows.push(
      row({
        payer: "State Medicaid",
        effective_from: `${year}-01-01`,
        cpt,
        rate_per_unit: money(MEDICAID_RATES[cpt] as number),
      }),
    );
  }
  return rows;
}

export interface Clinic {
  id: string;
  name: string;
  address: string;
}

export interface Therapist {
  npi: string;
  name: string;
  credential: TherapistCredential;
  clinicId: string;
}

const NEIGHBORHOODS = [
  "Chelsea",
  "Upper West Side",
  "Murray Hill",
  "Harlem",
  "Tribeca",
  "Inwood",
  "Yorkville",
  "SoHo",
  "Gramercy",
  "Midtown East",
  "Washington Heights",
  "Lower East Side",
  "Hell's Kitchen",
  "Battery Park",
];

/**
 * Clinics and their staff. Even clinics: PT, PTA, OT, SLP; odd clinics: PT, PTA, OT, OTA
 * (two clinics → eight therapists). Larger practices get one clinic per ~150 patients.
 */
export function buildClinics(rng: Random, patients: number): { clinics: Clinic[]; therapists: Therapist[] } {
  const count = Math.max(2, Math.round(patients / 150));
  const clinics: Clinic[] = [];
  const therapists: Therapist[] = [];
  const usedNpis = new Set<string>();
  const usedNames = new Set<string>();
  for (let i = 0; i < count; i++) {
    const hood = NEIGHBORHOODS[i % NEIGHBORHOODS.length] as string;
    const suffix = i >= NEIGHBORHOODS.length ? ` ${Math.floor(i / NEIGHBORHOODS.length) + 1}` : "";
    const id = `C${String(i + 1).padStart(3, "0")}`;
    clinics.push({
      id,
      name: `${PRACTICE.name} - ${hood}${suffix}`,
      address: `${rng.int(10, 980)} ${rng.pick(["W", "E"])} ${rng.int(14, 180)}th St, New York, NY`,
    });
    const staff: TherapistCredential[] = i % 2 === 0 ? ["PT", "PTA", "OT", "SLP"] : ["PT", "PTA", "OT", "OTA"];
    for (const credential of staff) {
      let npi = makeNpi(rng);
      while (usedNpis.has(npi)) npi = makeNpi(rng);
      usedNpis.add(npi);
      let name = `${rng.pick(THERAPIST_FIRST)} ${rng.pick(LAST_NAMES)}`;
      while (usedNames.has(name) && usedNames.size < THERAPIST_FIRST.length * LAST_NAMES.length) {
        name = `${rng.pick(THERAPIST_FIRST)} ${rng.pick(LAST_NAMES)}`;
      }
      usedNames.add(name);
      therapists.push({ npi, name, credential, clinicId: id });
    }
  }
  return { clinics, therapists };
}

/** A member id in the payer's usual shape (synthetic). */
export function makeMemberId(rng: Random, payer: PayerProfile): string {
  switch (payer.slug) {
    case "medicare":
      return makeMbi(rng);
    case "humana-ma":
      return `H${rng.digits(8)}`;
    case "bcbs":
      return `${letters(rng, 3)}${rng.digits(9)}`;
    case "uhc":
      return rng.digits(9);
    case "aetna":
      return `W${rng.digits(9)}`;
    default:
      return `${letters(rng, 2)}${rng.digits(5)}${letters(rng, 1)}`;
  }
}
