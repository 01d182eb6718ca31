// Commercial contracts: which contract is in force, which rate applies to a line, and what
// a visit should be allowed under it (DOMAIN.md §3 "Commercial contracts"; FORMATS.md
// contracts.csv and "How a contract prices a visit").
import type { TherapyCodeList } from "./therapy-codes";
import { hasModifier, normalizeCode } from "./codes";
import {
  ASSISTANT_PAYMENT_PERCENT,
  type FeeScheduleLookup,
  type GpciLookup,
  gpciKey,
  type MedicareUnitPriceResult,
  medicareUnitPrice,
  priceMedicareLines,
} from "./medicare";
import { divideRoundHalfUp, exactDecimal, formatDollars, percentOfCents } from "./money";
import type { UnitMethod } from "./units";

/** The payer's multiple-procedure rule: Medicare's MPPR, later codes at 50% of rate, or none. */
export type MultipleProcedureRule = "medicare_pe_50" | "whole_50" | "none";

/** The terms of one code (optionally one modifier) in a contract. */
export interface ContractRate {
  cpt: string;
  /** Modifier the row applies to; null = any modifier. A matching-modifier row beats the any row. */
  modifier: string | null;
  /** Fixed fee per unit, in cents; null when the row is a percentage of Medicare. */
  ratePerUnitCents: number | null;
  /** e.g. 120 for "120% of Medicare"; used when ratePerUnitCents is null. */
  percentOfMedicare: number | string | null;
  /** Medicare year the percentage is pinned to; null = the year of the date of service. */
  medicareYear: number | null;
  /** "STATE-NN" locality of the Medicare amounts; null = the practice's Medicare locality. */
  locality: string | null;
  maxUnitsPerVisit: number | null;
  /** Expected = lesser of the billed charge and the contract amount (default true). */
  lesserOfCharge: boolean;
}

/** One contract period of a payer: the rows of contracts.csv sharing payer and effective dates. */
export interface Contract {
  payer: string;
  /** YYYY-MM-DD, inclusive. */
  effectiveFrom: string;
  /** YYYY-MM-DD, inclusive; null = open-ended. */
  effectiveTo: string | null;
  unitMethod: UnitMethod;
  multipleProcedureRule: MultipleProcedureRule;
  rates: ContractRate[];
}

/** One parsed row of contracts.csv (FORMATS.md). */
export interface ContractRow extends ContractRate {
  payer: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  unitMethod: UnitMethod;
  multipleProcedureRule: MultipleProcedureRule;
}

export interface ContractRowError {
  /** 0-based index of the row in the input. */
  rowIndex: number;
  message: string;
}

/**
 * Groups contracts.csv rows into contract periods (payer + effective dates) and reports rows
 * that contradict their period, repeat a code/modifier, lack a rate, or overlap another period (FORMATS.md).
 */
export function contractsFromRows(rows: readonly ContractRow[]): {
  contracts: Contract[];
  errors: ContractRowError[];
} {
  const errors: ContractRowError[] = [];
  const byPeriod = new Map<string, Contract>();
  rows.forEach((row, rowIndex) => {
    if (row.effectiveTo !== null && row.effectiveTo < row.effectiveFrom) {
      errors.push({ rowIndex, message: `effective_to ${row.effectiveTo} is before effective_from ${row.effectiveFrom}.` });
      return;
    }
    if (row.ratePerUnitCents === null && (row.percentOfMedicare === null || row.percentOfMedicare === "")) {
      errors.push({ rowIndex, message: `${row.cpt}: give either rate_per_unit or percent_of_medicare.` });
      return;
    }
    if (row.ratePerUnitCents !== null && row.percentOfMedicare !== null && row.percentOfMedicare !== "") {
      errors.push({ rowIndex, message: `${row.cpt}: give rate_per_unit or percent_of_medicare, not both.` });
      return;
    }
    const key = `${row.payer.trim().toLowerCase()}|${row.effectiveFrom}|${row.effectiveTo ?? ""}`;
    let contract = byPeriod.get(key);
    if (!contract) {
      contract = {
        payer: row.payer.trim(),
        effectiveFrom: row.effectiveFrom,
        effectiveTo: row.effectiveTo,
        unitMethod: row.unitMethod,
        multipleProcedureRule: row.multipleProcedureRule,
        rates: [],
      };
      byPeriod.set(key, contract);
    } else if (contract.unitMethod !== row.unitMethod || contract.multipleProcedureRule !== row.multipleProcedureRule) {
      errors.push({
        rowIndex,
        message: `unit_method and multiple_procedure_rule must be the same on every row of ${contract.payer} from ${contract.effectiveFrom}.`,
      });
      return;
    }
    const modifier = normalizeModifier(row.modifier);
    const cpt = normalizeCode(row.cpt);
    if (contract.rates.some((rate) => rate.cpt === cpt && rate.modifier === modifier)) {
      errors.push({
        rowIndex,
        message: `${cpt}${modifier ? ` with ${modifier}` : ""} appears twice in ${contract.payer} from ${contract.effectiveFrom}.`,
      });
      return;
    }
    contract.rates.push({
      cpt,
      modifier,
      ratePerUnitCents: row.ratePerUnitCents,
      percentOfMedicare: row.percentOfMedicare === "" ? null : row.percentOfMedicare,
      medicareYear: row.medicareYear,
      locality: row.locality === null || row.locality.trim() === "" ? null : row.locality.trim().toUpperCase(),
      maxUnitsPerVisit: row.maxUnitsPerVisit,
      lesserOfCharge: row.lesserOfCharge,
    });
  });

  const contracts = [...byPeriod.values()];
  for (let i = 0; i < contracts.length; i++) {
    for (let j = i + 1; j < contracts.length; j++) {
      const earlier = contracts[i];
      const later = contracts[j];
      if (!earlier || !later || earlier.payer.toLowerCase() !== later.payer.toLowerCase()) continue;
      if (periodsOverlap(earlier, later)) {
        errors.push({
          rowIndex: rows.findIndex(
            (row) => row.payer.trim().toLowerCase() === later.payer.toLowerCase() && row.effectiveFrom === later.effectiveFrom,
          ),
          message: `${later.payer}: the period from ${later.effectiveFrom} overlaps the period from ${earlier.effectiveFrom}; only one contract may be in force on a date.`,
        });
      }
    }
  }
  return { contracts, errors };
}

function periodsOverlap(first: Contract, second: Contract): boolean {
  const aEnd = first.effectiveTo ?? "9999-12-31";
  const bEnd = second.effectiveTo ?? "9999-12-31";
  return first.effectiveFrom <= bEnd && second.effectiveFrom <= aEnd;
}

function normalizeModifier(modifier: string | null): string | null {
  if (modifier === null) return null;
  const trimmed = modifier.trim().toUpperCase();
  return trimmed === "" ? null : trimmed;
}

/** The payer's contract in force on a date of service: effective_from ≤ date ≤ effective_to, both inclusive (DOMAIN.md §3). */
export function contractInForce(contracts: readonly Contract[], payer: string, dateOfService: string): Contract | null {
  const wanted = payer.trim().toLowerCase();
  const inForce = contracts.filter(
    (contract) =>
      contract.payer.trim().toLowerCase() === wanted &&
      contract.effectiveFrom <= dateOfService &&
      (contract.effectiveTo === null || dateOfService <= contract.effectiveTo),
  );
  // Overlaps are rejected at import; should one slip through, the most recent period wins.
  inForce.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0));
  return inForce[0] ?? null;
}

/** The contract row for a line: a row naming one of the line's modifiers beats the any-modifier row (FORMATS.md). */
export function contractRateFor(contract: Contract, cpt: string, modifiers: readonly string[]): ContractRate | null {
  const code = normalizeCode(cpt);
  const rows = contract.rates.filter((rate) => rate.cpt === code);
  return (
    rows.find((rate) => rate.modifier !== null && hasModifier(modifiers, rate.modifier)) ??
    rows.find((rate) => rate.modifier === null) ??
    null
  );
}

export interface ContractLineInput {
  cpt: string;
  modifiers: readonly string[];
  unitsBilled: number;
  chargeCents: number;
}

export type ContractLinePrice =
  | {
      kind: "priced";
      expectedAllowedCents: number;
      /** Contract amount before lesser-of-charge. */
      contractAmountCents: number;
      /** True when the billed charge was lower than the contract amount and is what is expected. */
      lesserOfChargeApplied: boolean;
      /** Units priced: units billed, capped by max_units_per_visit. */
      unitsPriced: number;
      unitsCapped: boolean;
      /** How the multiple-procedure rule treated the line. */
      multipleProcedure: "full" | "reduced" | "partly_reduced";
      rate: ContractRate;
      /** Medicare line amount the percentage applied to, when the row is a percentage of Medicare. */
      medicareAmountCents: number | null;
    }
  | { kind: "no_contract_rate"; reason: string }
  | { kind: "no_fee_schedule"; reason: string };

export interface ContractVisitPrice {
  contract: Contract;
  lines: ContractLinePrice[];
  /** Sum of the priced lines' expected allowed amounts. */
  totalCents: number;
}

/**
 * Expected allowed amount of each line of a visit under a contract: rate × units or percent of the
 * Medicare line amount, the contract's multiple-procedure rule across all the lines given (the
 * patient's day under this contract: see expectedAllowedForDay), unit caps and
 * lesser-of-charge, rounded half-up per line (FORMATS.md "How a contract prices a visit"; DOMAIN.md §3).
 */
export function priceContractVisit(input: {
  contract: Contract;
  dateOfService: string;
  lines: readonly ContractLineInput[];
  feeSchedule: FeeScheduleLookup;
  /** the practice's therapy code list (lib/billing/therapy-codes.ts): which codes get therapy MPPR */
  therapyCodes?: TherapyCodeList;
  gpcis: GpciLookup;
  /** The practice's Medicare locality, used when a row does not pin one. */
  practiceLocality: string | null;
}): ContractVisitPrice {
  const { contract } = input;
  const rule = contract.multipleProcedureRule;
  const serviceYear = Number(input.dateOfService.slice(0, 4));

  type Prepared = {
    line: ContractLineInput;
    rate: ContractRate;
    unitsPriced: number;
    unitsCapped: boolean;
    isPercent: boolean;
    medicare: MedicareUnitPriceResult | null;
  };
  const prepared: (Prepared | { kind: "no_contract_rate"; reason: string })[] = input.lines.map((line) => {
    const rate = contractRateFor(contract, line.cpt, line.modifiers);
    if (!rate) {
      return {
        kind: "no_contract_rate",
        reason: `${contract.payer} contract from ${contract.effectiveFrom} has no rate for ${normalizeCode(line.cpt)}; add the code to the contract to compute what it should allow.`,
      };
    }
    const billed = Math.max(0, line.unitsBilled);
    const unitsCapped = rate.maxUnitsPerVisit !== null && billed > rate.maxUnitsPerVisit;
    const unitsPriced = unitsCapped ? (rate.maxUnitsPerVisit as number) : billed;
    const isPercent = rate.ratePerUnitCents === null;
    // Medicare amounts are needed for a percentage row, and for any row under Medicare's MPPR.
    const needsMedicare = isPercent || rule === "medicare_pe_50";
    let medicare: MedicareUnitPriceResult | null = null;
    if (needsMedicare) {
      const year = rate.medicareYear ?? serviceYear;
      const locality = rate.locality ?? input.practiceLocality;
      medicare =
        locality === null
          ? {
              kind: "no_fee_schedule",
              reason: `No Medicare locality for ${normalizeCode(line.cpt)}: set the contract row's locality or the practice's Medicare locality.`,
            }
          : medicareUnitPrice({
              hcpcs: line.cpt,
              year,
              locality,
              feeSchedule: input.feeSchedule,
              therapyCodes: input.therapyCodes,
              gpci: input.gpcis.get(gpciKey(year, locality)),
            });
    }
    return { line, rate, unitsPriced, unitsCapped, isPercent, medicare };
  });

  const isPrepared = (entry: (typeof prepared)[number]): entry is Prepared => !("kind" in entry);

  // Medicare line amounts (MPPR across the contract-priced lines when the rule is medicare_pe_50).
  const medicareIndex: number[] = [];
  const medicareInput = prepared.flatMap((entry, index) => {
    if (!isPrepared(entry) || !entry.medicare || entry.medicare.kind === "no_fee_schedule") return [];
    medicareIndex.push(index);
    const unitPrice: MedicareUnitPriceResult =
      rule === "medicare_pe_50" || entry.medicare.kind !== "priced"
        ? entry.medicare
        : { kind: "priced", price: { ...entry.medicare.price, mppr: false } };
    return [{ cpt: entry.line.cpt, modifiers: entry.line.modifiers, units: entry.unitsPriced, unitPrice }];
  });
  const medicareVisit = priceMedicareLines(medicareInput);
  const medicareByLine = new Map(medicareIndex.map((lineIndex, k) => [lineIndex, medicareVisit.lines[k]]));

  // whole_50: the code with the highest amount per unit is paid in full; every other code at 50%.
  let wholeFullCode: string | null = null;
  if (rule === "whole_50") {
    let best = -1;
    prepared.forEach((entry) => {
      if (!isPrepared(entry) || entry.unitsPriced <= 0) return;
      const perUnit = contractAmountPerUnit(entry);
      if (perUnit !== null && perUnit > best) {
        best = perUnit;
        wholeFullCode = normalizeCode(entry.line.cpt);
      }
    });
  }

  const lines: ContractLinePrice[] = prepared.map((entry, index) => {
    if (!isPrepared(entry)) return entry;
    const { line, rate, unitsPriced, unitsCapped } = entry;
    const medicareLine = medicareByLine.get(index);
    if (entry.medicare?.kind === "no_fee_schedule") {
      return { kind: "no_fee_schedule", reason: entry.medicare.reason };
    }

    let amount: number;
    let multipleProcedure: "full" | "reduced" | "partly_reduced" = "full";
    let medicareAmountCents: number | null = null;

    if (entry.isPercent) {
      if (!medicareLine || medicareLine.kind === "no_fee_schedule") {
        return { kind: "no_fee_schedule", reason: "No Medicare amount to take the percentage of." };
      }
      medicareAmountCents = medicareLine.amountCents;
      const percent = rate.percentOfMedicare as number | string;
      if (medicareLine.kind === "priced" && medicareLine.reducedUnits > 0) {
        multipleProcedure = medicareLine.fullUnits > 0 ? "partly_reduced" : "reduced";
      }
      if (rule === "whole_50" && wholeFullCode !== normalizeCode(line.cpt)) {
        // every unit at 50% of the contract amount of one full unit, each unit rounded half-up
        multipleProcedure = "reduced";
        const unitMedicare =
          medicareLine.kind === "priced" && unitsPriced > 0
            ? medicareLine.assistantReduction
              ? percentOfCents(medicareLine.unitPrice.fullCents, ASSISTANT_PAYMENT_PERCENT)
              : medicareLine.unitPrice.fullCents
            : 0;
        amount = unitsPriced * percentOfCentsTimesHalf(unitMedicare, percent);
      } else {
        amount = percentOfCents(medicareLine.amountCents, percent);
      }
    } else {
      const rateCents = rate.ratePerUnitCents as number;
      if (rule === "medicare_pe_50" && medicareLine?.kind === "priced" && medicareLine.reducedUnits > 0) {
        // A reduced unit is paid rate × (reduced ÷ full Medicare unit price), rounded half-up per unit.
        const { fullCents, reducedCents } = medicareLine.unitPrice;
        multipleProcedure = medicareLine.fullUnits > 0 ? "partly_reduced" : "reduced";
        const reducedRate =
          fullCents > 0 ? Number(divideRoundHalfUp(BigInt(rateCents) * BigInt(reducedCents), BigInt(fullCents))) : rateCents;
        amount = medicareLine.fullUnits * rateCents + medicareLine.reducedUnits * reducedRate;
      } else if (rule === "whole_50" && wholeFullCode !== normalizeCode(line.cpt)) {
        // every unit at 50% of the rate, each unit rounded half-up
        multipleProcedure = "reduced";
        amount = unitsPriced * Number(divideRoundHalfUp(BigInt(rateCents), 2n));
      } else {
        amount = rateCents * unitsPriced;
      }
    }
    if (unitsPriced === 0) multipleProcedure = "full";

    const lesserOfChargeApplied = rate.lesserOfCharge && line.chargeCents < amount;
    return {
      kind: "priced",
      expectedAllowedCents: lesserOfChargeApplied ? line.chargeCents : amount,
      contractAmountCents: amount,
      lesserOfChargeApplied,
      unitsPriced,
      unitsCapped,
      multipleProcedure,
      rate,
      medicareAmountCents,
    };
  });

  const totalCents = lines.reduce((sum, line) => sum + (line.kind === "priced" ? line.expectedAllowedCents : 0), 0);
  return { contract, lines, totalCents };
}

/** Contract amount of one unit, for whole_50's choice of the full-paid code (exact for ranking). */
function contractAmountPerUnit(entry: { rate: ContractRate; isPercent: boolean; medicare: MedicareUnitPriceResult | null }): number | null {
  if (!entry.isPercent) return entry.rate.ratePerUnitCents;
  if (entry.medicare?.kind !== "priced") return entry.medicare?.kind === "not_payable" ? 0 : null;
  const percent = exactDecimal(entry.rate.percentOfMedicare as number | string);
  return (entry.medicare.price.fullCents * Number(percent.units)) / 10 ** percent.scale / 100;
}

function percentOfCentsTimesHalf(amountCents: number, percent: number | string): number {
  const pct = exactDecimal(percent);
  return Number(divideRoundHalfUp(BigInt(amountCents) * pct.units, 200n * 10n ** BigInt(pct.scale)));
}

/** Human wording of a contract term for evidence on an underpayment (e.g. "$42.00 per unit, max 4"). */
export function describeContractRate(rate: ContractRate, contract: Contract): string {
  const terms: string[] = [];
  if (rate.ratePerUnitCents !== null) terms.push(`$${formatDollars(rate.ratePerUnitCents)} per unit`);
  else {
    terms.push(
      `${rate.percentOfMedicare}% of ${rate.medicareYear ?? "the year's"} Medicare${rate.locality ? `, ${localityInWords(rate.locality)}` : ""}`,
    );
  }
  if (rate.modifier) terms.push(`with modifier ${rate.modifier}`);
  if (rate.maxUnitsPerVisit !== null) terms.push(`at most ${rate.maxUnitsPerVisit} units a visit`);
  terms.push(rate.lesserOfCharge ? "or the billed charge if lower" : "even above the billed charge");
  terms.push(UNIT_METHOD_WORDS[contract.unitMethod], MULTIPLE_PROCEDURE_WORDS[contract.multipleProcedureRule]);
  const period = `from ${calendarDateInWords(contract.effectiveFrom)}${contract.effectiveTo ? ` to ${calendarDateInWords(contract.effectiveTo)}` : ""}`;
  return `${contract.payer} ${period}: ${normalizeCode(rate.cpt)} ${terms.join(", ")}`;
}

const CALENDAR_DATE = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "2026-01-01" → "Jan 1, 2026", the date format of every screen and letter. */
function calendarDateInWords(iso: string): string {
  return CALENDAR_DATE.format(new Date(`${iso}T00:00:00Z`));
}

/** A contract's unit method as a biller says it. */
export const UNIT_METHOD_WORDS: Record<Contract["unitMethod"], string> = {
  cms: "units by Medicare's 8-minute rule",
  per_code: "units counted code by code",
};

/** A contract's multiple-procedure rule as a biller says it. */
export const MULTIPLE_PROCEDURE_WORDS: Record<Contract["multipleProcedureRule"], string> = {
  medicare_pe_50: "Medicare's multiple-procedure reduction",
  whole_50: "later codes at 50%",
  none: "no multiple-procedure reduction",
};

/** "NY-01" → "NY locality 01" (the state and locality number of CMS's GPCI table). */
export function localityInWords(locality: string): string {
  const match = /^([A-Z]{2})-(\d{2})$/.exec(locality.trim().toUpperCase());
  return match ? `${match[1]} locality ${match[2]}` : `locality ${locality}`;
}
