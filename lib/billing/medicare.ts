// What Medicare allows for a therapy visit: the Physician Fee Schedule amount, the
// multiple procedure payment reduction (MPPR) across the whole visit, and the CQ/CO
// assistant reduction (DOMAIN.md §3; 42 CFR 414.22; CMS Pub. 100-04 ch. 5 §10.7 for MPPR;
// Bipartisan Budget Act of 2018 §53107 and the CY2020 PFS final rule for CQ/CO at 85%).
import { isAssistantLine, normalizeCode } from "./codes";
import { isListedTherapyCode, type TherapyCodeList } from "./therapy-codes";
import { addExact, compareExact, dollarsToCentsHalfUp, type ExactDecimal, exactDecimal, multiplyExact, percentOfCents } from "./money";

/** One row of the CMS fee schedule (PPRRVU file) for a code and year, global (no -26/-TC) row. */
export interface FeeScheduleRow {
  year: number;
  hcpcs: string;
  modifier?: string | null;
  /** CMS status indicator: A, R, T are paid under the fee schedule; B bundled; I not valid for Medicare; C carrier priced; N not covered. */
  status: string;
  workRvu: number | string;
  nonFacilityPeRvu: number | string;
  facilityPeRvu?: number | string | null;
  mpRvu: number | string;
  /** Multiple procedure indicator: 5 = therapy MPPR applies. */
  multProcIndicator: number | string;
  conversionFactor: number | string;
}

/** Fee schedule lookup keyed by {@link feeScheduleKey} (`${year}|${code}`). */
export type FeeScheduleLookup = ReadonlyMap<string, FeeScheduleRow>;

/** Geographic practice cost indices of one payment locality (e.g. "NY-01") and year. */
export interface Gpci {
  year: number;
  /** "STATE-NN", e.g. "NY-01". */
  locality: string;
  workGpci: number | string;
  peGpci: number | string;
  mpGpci: number | string;
}

/** GPCI lookup keyed by {@link gpciKey} (`${year}|${locality}`). */
export type GpciLookup = ReadonlyMap<string, Gpci>;

/** Key of a fee schedule row: `${year}|${code}`. */
export function feeScheduleKey(year: number, hcpcs: string): string {
  return `${year}|${normalizeCode(hcpcs)}`;
}

/** Key of a GPCI record: `${year}|${locality}`, locality as "STATE-NN". */
export function gpciKey(year: number, locality: string): string {
  return `${year}|${locality.trim().toUpperCase()}`;
}

/** Builds the fee schedule lookup from CMS rows; rows with a modifier (-26, -TC, -53) are left out. */
export function buildFeeSchedule(rows: readonly FeeScheduleRow[]): Map<string, FeeScheduleRow> {
  const lookup = new Map<string, FeeScheduleRow>();
  for (const row of rows) {
    if (row.modifier != null && row.modifier.trim() !== "") continue;
    lookup.set(feeScheduleKey(row.year, row.hcpcs), row);
  }
  return lookup;
}

/** Builds the GPCI lookup from records. */
export function buildGpciLookup(rows: readonly Gpci[]): Map<string, Gpci> {
  return new Map(rows.map((row) => [gpciKey(row.year, row.locality), row]));
}

/** Status indicators paid under the fee schedule. */
const PAYABLE_STATUSES = new Set(["A", "R", "T"]);
/** Status indicators with no separate Medicare payment: the allowed amount is zero. */
const NOT_PAYABLE_STATUSES: Readonly<Record<string, string>> = {
  B: "bundled: Medicare makes no separate payment for this code (status B)",
  I: "not valid for Medicare (status I); bill the Medicare code instead (e.g. G0283 for 97014)",
  N: "not covered by Medicare (status N)",
  X: "statutory exclusion: not a Medicare benefit (status X)",
  E: "excluded from the fee schedule by regulation (status E)",
  P: "bundled or excluded (status P)",
  M: "measurement code, no payment (status M)",
  D: "deleted code (status D)",
};

/** A code's unit prices at one locality and year, full-PE and reduced-PE, each rounded half-up once. */
export interface MedicareUnitPrice {
  hcpcs: string;
  year: number;
  locality: string;
  /** Unit price with the full practice-expense part. */
  fullCents: number;
  /** Unit price with the practice-expense part cut 50% (MPPR). */
  reducedCents: number;
  /** PE RVU × PE GPCI × CF, exact: decides which unit is paid in full. */
  pePayment: ExactDecimal;
  /** True for multiple procedure indicator 5 (therapy MPPR). */
  mppr: boolean;
}

export type MedicareUnitPriceResult =
  | { kind: "priced"; price: MedicareUnitPrice }
  | { kind: "not_payable"; status: string; reason: string }
  | { kind: "no_fee_schedule"; reason: string };

/**
 * Unit price of a code: (work RVU × work GPCI + PE RVU × PE GPCI + MP RVU × MP GPCI) × CF with
 * non-facility PE, rounded half-up to cents, and its MPPR variant with PE × 50% (DOMAIN.md §3; 42 CFR 414.22).
 */
export function medicareUnitPrice(input: {
  hcpcs: string;
  year: number;
  locality: string;
  feeSchedule: FeeScheduleLookup;
  gpci: Gpci | null | undefined;
  /** the practice's therapy code list: MPPR only for codes on it (absent: MULT PROC 5 alone decides) */
  therapyCodes?: TherapyCodeList;
}): MedicareUnitPriceResult {
  const code = normalizeCode(input.hcpcs);
  const row = input.feeSchedule.get(feeScheduleKey(input.year, code));
  if (!row) {
    return {
      kind: "no_fee_schedule",
      reason: `No Medicare price for ${code}: load the CMS ${input.year} Physician Fee Schedule RVU file. The line is not priced with another year's figures.`,
    };
  }
  if (!input.gpci) {
    return {
      kind: "no_fee_schedule",
      reason: `No ${input.year} GPCIs for locality ${input.locality}: load the CMS ${input.year} GPCI file or fix the practice's Medicare locality.`,
    };
  }
  const status = row.status.trim().toUpperCase();
  if (!PAYABLE_STATUSES.has(status)) {
    const reason = NOT_PAYABLE_STATUSES[status];
    if (reason) return { kind: "not_payable", status, reason: `${code}: ${reason}` };
    return {
      kind: "no_fee_schedule",
      reason: `${code} has status ${status} in the ${input.year} fee schedule (e.g. carrier priced): there is no national amount to compute from.`,
    };
  }

  const cf = exactDecimal(row.conversionFactor);
  const work = multiplyExact(exactDecimal(row.workRvu), exactDecimal(input.gpci.workGpci));
  const pe = multiplyExact(exactDecimal(row.nonFacilityPeRvu), exactDecimal(input.gpci.peGpci));
  const mp = multiplyExact(exactDecimal(row.mpRvu), exactDecimal(input.gpci.mpGpci));
  const half = exactDecimal("0.5");
  const full = multiplyExact(addExact(work, pe, mp), cf);
  const reduced = multiplyExact(addExact(work, multiplyExact(pe, half), mp), cf);
  return {
    kind: "priced",
    price: {
      hcpcs: code,
      year: input.year,
      locality: input.locality,
      fullCents: dollarsToCentsHalfUp(full),
      reducedCents: dollarsToCentsHalfUp(reduced),
      pePayment: multiplyExact(pe, cf),
      // the therapy MPPR: MULT PROC 5 in the fee schedule, for a code on the therapy list
      mppr:
        String(row.multProcIndicator).trim() === "5" && (input.therapyCodes === undefined || isListedTherapyCode(input.therapyCodes, code)),
    },
  };
}

/**
 * MPPR across the lines given (the patient's whole day, in visit then line order): the index of the line holding the one unit paid in full — the
 * highest PE payment, then the higher full price, then the earlier line — among lines with MPPR
 * units; null when none (DOMAIN.md §3; CMS Pub. 100-04 ch. 5 §10.7).
 */
export function mpprFullUnitLine(lines: readonly { price: MedicareUnitPrice | null; units: number }[]): number | null {
  let best: number | null = null;
  lines.forEach((line, index) => {
    if (!line.price?.mppr || line.units <= 0) return;
    if (best === null) {
      best = index;
      return;
    }
    const current = lines[best]?.price;
    if (!current) return;
    const byPe = compareExact(line.price.pePayment, current.pePayment);
    if (byPe > 0 || (byPe === 0 && line.price.fullCents > current.fullCents)) best = index;
  });
  return best;
}

/** How many of a line's units are paid in full and how many with the PE part cut, given the MPPR full-unit line. */
export function mpprUnitSplit(
  price: MedicareUnitPrice,
  units: number,
  lineIndex: number,
  fullUnitLine: number | null,
): { fullUnits: number; reducedUnits: number } {
  if (units <= 0) return { fullUnits: 0, reducedUnits: 0 };
  if (!price.mppr) return { fullUnits: units, reducedUnits: 0 };
  const fullUnits = lineIndex === fullUnitLine ? 1 : 0;
  return { fullUnits, reducedUnits: units - fullUnits };
}

/** The percentage CQ/CO lines are paid at (DOMAIN.md §3: 85%, not 88%). */
export const ASSISTANT_PAYMENT_PERCENT = 85;

export interface MedicareLineInput {
  cpt: string;
  modifiers: readonly string[];
  /** Units priced (units billed, capped by any limit). */
  units: number;
}

export type MedicareLinePrice =
  | {
      kind: "priced";
      amountCents: number;
      /** Line amount before the CQ/CO reduction (sum of unit prices). */
      beforeAssistantReductionCents: number;
      assistantReduction: boolean;
      fullUnits: number;
      reducedUnits: number;
      unitPrice: MedicareUnitPrice;
    }
  | { kind: "not_payable"; amountCents: 0; status: string; reason: string }
  | { kind: "no_fee_schedule"; reason: string };

export interface MedicareVisitPrice {
  lines: MedicareLinePrice[];
  /** Sum of the priced and not-payable lines. */
  totalCents: number;
  /** Index of the line holding the one full-priced MPPR unit, if any. */
  mpprFullUnitLine: number | null;
}

/**
 * Medicare allowed amount of each line of a visit: fee schedule unit prices, MPPR across the
 * whole visit, line = sum of unit prices, CQ/CO at 85% of the line rounded half-up (DOMAIN.md §3).
 */
export function priceMedicareVisit(input: {
  year: number;
  locality: string;
  lines: readonly MedicareLineInput[];
  feeSchedule: FeeScheduleLookup;
  gpci: Gpci | null | undefined;
  therapyCodes?: TherapyCodeList;
}): MedicareVisitPrice {
  const unitPrices = input.lines.map((line) =>
    medicareUnitPrice({
      hcpcs: line.cpt,
      year: input.year,
      locality: input.locality,
      feeSchedule: input.feeSchedule,
      gpci: input.gpci,
      therapyCodes: input.therapyCodes,
    }),
  );
  return priceMedicareLines(input.lines.map((line, i) => ({ ...line, unitPrice: unitPrices[i] as MedicareUnitPriceResult })));
}

/** Prices lines whose unit prices are already known (each line may come from its own year/locality). */
export function priceMedicareLines(lines: readonly (MedicareLineInput & { unitPrice: MedicareUnitPriceResult })[]): MedicareVisitPrice {
  const fullUnitLine = mpprFullUnitLine(
    lines.map((line) => ({
      price: line.unitPrice.kind === "priced" ? line.unitPrice.price : null,
      units: line.units,
    })),
  );
  const priced: MedicareLinePrice[] = lines.map((line, index) => {
    const unitPrice = line.unitPrice;
    if (unitPrice.kind === "no_fee_schedule") return unitPrice;
    if (unitPrice.kind === "not_payable") {
      return { kind: "not_payable", amountCents: 0, status: unitPrice.status, reason: unitPrice.reason };
    }
    const units = Math.max(0, line.units);
    const { fullUnits, reducedUnits } = mpprUnitSplit(unitPrice.price, units, index, fullUnitLine);
    const before = fullUnits * unitPrice.price.fullCents + reducedUnits * unitPrice.price.reducedCents;
    const assistantReduction = isAssistantLine(line.modifiers);
    return {
      kind: "priced",
      amountCents: assistantReduction ? percentOfCents(before, ASSISTANT_PAYMENT_PERCENT) : before,
      beforeAssistantReductionCents: before,
      assistantReduction,
      fullUnits,
      reducedUnits,
      unitPrice: unitPrice.price,
    };
  });
  const totalCents = priced.reduce((sum, line) => sum + (line.kind === "no_fee_schedule" ? 0 : line.amountCents), 0);
  return { lines: priced, totalCents, mpprFullUnitLine: fullUnitLine };
}

/**
 * Medicare Part B deductible by calendar year, in cents (CMS annual Part B premium and
 * deductible announcements). Add a year when CMS announces it.
 */
export const PART_B_DEDUCTIBLE_BY_YEAR: Readonly<Record<number, number>> = {
  2018: 18300,
  2019: 18500,
  2020: 19800,
  2021: 20300,
  2022: 23300,
  2023: 22600,
  2024: 24000,
  2025: 25700,
  2026: 28300,
};

/** Medicare pays 80% after the deductible; the patient owes 20% coinsurance (42 CFR 410.152). */
export const MEDICARE_COINSURANCE_PERCENT = 20;
/** Sequestration cut of the Medicare payment, CARC 253 (Budget Control Act of 2011, 2% since July 2022). */
export const SEQUESTRATION_PERCENT = 2;

export interface MedicarePaymentSplit {
  /** Allowed amount: unchanged by the split. */
  allowedCents: number;
  /** PR-1: the part of the remaining Part B deductible met by this amount. */
  deductibleCents: number;
  /** PR-2: coinsurance on the allowed amount after the deductible. */
  coinsuranceCents: number;
  /** What the patient owes: deductible + coinsurance. */
  patientOwesCents: number;
  /** Medicare's share before sequestration. */
  medicareShareCents: number;
  /** CO-253: sequestration taken off Medicare's share. */
  sequestrationCents: number;
  /** What Medicare pays: its share less sequestration. */
  medicarePaysCents: number;
}

/**
 * How an allowed amount splits: deductible first, then 20% coinsurance, Medicare 80%, then 2%
 * sequestration off Medicare's payment (CO-253); the allowed amount is never reduced (DOMAIN.md §3).
 */
export function medicarePaymentSplit(input: {
  allowedCents: number;
  remainingDeductibleCents: number;
  coinsurancePercent?: number;
  sequestrationPercent?: number;
}): MedicarePaymentSplit {
  const allowed = input.allowedCents;
  const deductible = Math.max(0, Math.min(allowed, input.remainingDeductibleCents));
  const coinsurance = percentOfCents(allowed - deductible, input.coinsurancePercent ?? MEDICARE_COINSURANCE_PERCENT);
  const medicareShare = allowed - deductible - coinsurance;
  const sequestration = percentOfCents(medicareShare, input.sequestrationPercent ?? SEQUESTRATION_PERCENT);
  return {
    allowedCents: allowed,
    deductibleCents: deductible,
    coinsuranceCents: coinsurance,
    patientOwesCents: deductible + coinsurance,
    medicareShareCents: medicareShare,
    sequestrationCents: sequestration,
    medicarePaysCents: medicareShare - sequestration,
  };
}
