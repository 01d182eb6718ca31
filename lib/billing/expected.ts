// The one entry point the visits export, the KX queue and the underpayment worklist use to
// say what a visit's lines should be allowed (FORMATS.md "Exports: visits"; DOMAIN.md §2, §3).
import { normalizeCode } from "./codes";
import { type Contract, contractRateFor, priceContractVisit } from "./contracts";
import { type FeeScheduleLookup, type GpciLookup, gpciKey, priceMedicareVisit } from "./medicare";
import { type UnitMethod, type UnitsFlag, unitsByEightMinuteRule } from "./units";

export type PayerKind = "medicare" | "medicare_advantage" | "commercial" | "medicaid" | "workers_comp" | "self_pay";

export const PAYER_KINDS: readonly PayerKind[] = ["medicare", "medicare_advantage", "commercial", "medicaid", "workers_comp", "self_pay"];

/** One service line of a visit, in line order. */
export interface VisitLine {
  cpt: string;
  modifiers: readonly string[];
  /** Direct one-on-one minutes for timed codes; null for untimed codes. */
  minutes: number | null;
  unitsBilled: number;
  chargeCents: number;
}

/** Why an expected allowed amount cannot be given for a line. */
export type NotComputedReason = "no_contract" | "no_contract_rate" | "no_fee_schedule";

export interface ExpectedLine {
  /** 0-based line order in the visit. */
  line: number;
  cpt: string;
  unitsBilled: number;
  unitsSupported: number;
  unitsFlag: UnitsFlag;
  /** True when the 8-minute rule gave this line's unit by breaking a tie (earlier line wins). */
  tieBroken: boolean;
  /** Units priced: units billed, capped by the contract's per-visit limit. */
  unitsPriced: number;
  /** What the payer should allow, in cents; null when it cannot be computed (see reason). */
  expectedAllowedCents: number | null;
  notComputed: NotComputedReason | null;
  /** Plain-words explanation when not computed, or a note (e.g. "bundled: no separate payment"). */
  note: string | null;
}

export interface ExpectedVisit {
  /** What priced the visit. */
  basis: "medicare_fee_schedule" | "contract" | "none";
  unitMethod: UnitMethod;
  lines: ExpectedLine[];
  /** Sum of the lines that could be computed. */
  expectedAllowedCents: number;
  /** True when every line has an expected allowed amount. */
  complete: boolean;
}

/**
 * Units supported, units flag and expected allowed amount of every line of a visit: Medicare
 * (payer_kind medicare) from the fee schedule at the practice's locality with CMS units; any
 * other payer from its contract in force, else "no contract" (FORMATS.md "Exports: visits").
 */
export function expectedAllowedForVisit(input: {
  dateOfService: string;
  payerKind: PayerKind;
  lines: readonly VisitLine[];
  /** The payer's contract in force on the date of service (see contractInForce); ignored for Medicare. */
  contract: Contract | null;
  feeSchedule: FeeScheduleLookup;
  gpcis: GpciLookup;
  /** The practice's Medicare locality, "STATE-NN". */
  practiceLocality: string | null;
  /** Unit method for a payer with no contract (default: CMS). */
  defaultUnitMethod?: UnitMethod;
}): ExpectedVisit {
  const year = Number(input.dateOfService.slice(0, 4));

  if (input.payerKind === "medicare") {
    const units = unitsByEightMinuteRule(
      input.lines.map((line) => ({ cpt: line.cpt, minutes: line.minutes, unitsBilled: line.unitsBilled })),
      "cms",
    );
    const gpci = input.practiceLocality === null ? undefined : input.gpcis.get(gpciKey(year, input.practiceLocality));
    const priced = priceMedicareVisit({
      year,
      locality: input.practiceLocality ?? "(not set)",
      lines: input.lines.map((line) => ({ cpt: line.cpt, modifiers: line.modifiers, units: line.unitsBilled })),
      feeSchedule: input.feeSchedule,
      gpci,
    });
    const lines = input.lines.map((line, i): ExpectedLine => {
      const unitLine = units.lines[i];
      const price = priced.lines[i];
      const base = {
        line: i,
        cpt: normalizeCode(line.cpt),
        unitsBilled: line.unitsBilled,
        unitsSupported: unitLine?.unitsSupported ?? 0,
        unitsFlag: unitLine?.flag ?? "ok",
        tieBroken: unitLine?.tieBroken ?? false,
        unitsPriced: line.unitsBilled,
      };
      if (!price || price.kind === "no_fee_schedule") {
        return {
          ...base,
          expectedAllowedCents: null,
          notComputed: "no_fee_schedule",
          note: price?.reason ?? "No fee schedule.",
        };
      }
      return {
        ...base,
        expectedAllowedCents: price.amountCents,
        notComputed: null,
        note: price.kind === "not_payable" ? price.reason : null,
      };
    });
    return finish("medicare_fee_schedule", "cms", lines);
  }

  const contract = input.contract;
  if (!contract) {
    const method = input.defaultUnitMethod ?? "cms";
    const units = unitsByEightMinuteRule(
      input.lines.map((line) => ({ cpt: line.cpt, minutes: line.minutes, unitsBilled: line.unitsBilled })),
      method,
    );
    const lines = input.lines.map(
      (line, i): ExpectedLine => ({
        line: i,
        cpt: normalizeCode(line.cpt),
        unitsBilled: line.unitsBilled,
        unitsSupported: units.lines[i]?.unitsSupported ?? 0,
        unitsFlag: units.lines[i]?.flag ?? "ok",
        tieBroken: units.lines[i]?.tieBroken ?? false,
        unitsPriced: line.unitsBilled,
        expectedAllowedCents: null,
        notComputed: "no_contract",
        note: "No contract is in force for this payer on the date of service; load the payer's contract to compute what it should allow.",
      }),
    );
    return finish("none", method, lines);
  }

  const units = unitsByEightMinuteRule(
    input.lines.map((line) => ({
      cpt: line.cpt,
      minutes: line.minutes,
      unitsBilled: line.unitsBilled,
      maxUnitsPerVisit: contractRateFor(contract, line.cpt, line.modifiers)?.maxUnitsPerVisit ?? null,
    })),
    contract.unitMethod,
  );
  const priced = priceContractVisit({
    contract,
    dateOfService: input.dateOfService,
    lines: input.lines,
    feeSchedule: input.feeSchedule,
    gpcis: input.gpcis,
    practiceLocality: input.practiceLocality,
  });
  const lines = input.lines.map((line, i): ExpectedLine => {
    const unitLine = units.lines[i];
    const price = priced.lines[i];
    const base = {
      line: i,
      cpt: normalizeCode(line.cpt),
      unitsBilled: line.unitsBilled,
      unitsSupported: unitLine?.unitsSupported ?? 0,
      unitsFlag: unitLine?.flag ?? "ok",
      tieBroken: unitLine?.tieBroken ?? false,
    };
    if (price?.kind !== "priced") {
      return {
        ...base,
        unitsPriced: line.unitsBilled,
        expectedAllowedCents: null,
        notComputed: price?.kind ?? "no_contract_rate",
        note: price ? price.reason : "No contract rate for this line.",
      };
    }
    return {
      ...base,
      unitsPriced: price.unitsPriced,
      expectedAllowedCents: price.expectedAllowedCents,
      notComputed: null,
      note: price.lesserOfChargeApplied ? "lesser of billed charge and contract amount" : null,
    };
  });
  return finish("contract", contract.unitMethod, lines);
}

function finish(basis: ExpectedVisit["basis"], unitMethod: UnitMethod, lines: ExpectedLine[]): ExpectedVisit {
  return {
    basis,
    unitMethod,
    lines,
    expectedAllowedCents: lines.reduce((sum, line) => sum + (line.expectedAllowedCents ?? 0), 0),
    complete: lines.every((line) => line.expectedAllowedCents !== null),
  };
}
