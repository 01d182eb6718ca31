// The one entry point the visits export, the KX queue and the underpayment worklist use to
// say what a visit's lines should be allowed (FORMATS.md "Exports: visits"; DOMAIN.md §2, §3).
import type { TherapyCodeList } from "./therapy-codes";
import { normalizeCode } from "./codes";
import { type Contract, priceContractVisit } from "./contracts";
import { type FeeScheduleLookup, type GpciLookup, gpciKey, priceMedicareVisit } from "./medicare";
import { compareVisitIds } from "./thresholds";
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

/** One visit of a patient's day, as {@link expectedAllowedForDay} prices it. */
export interface DayVisit {
  /** The practice's visit id: orders the visits of the day ("earlier line", byte by byte). */
  visitId: string;
  payerKind: PayerKind;
  /** Lines in line order. */
  lines: readonly VisitLine[];
  /** The payer's contract in force on the date of service (see contractInForce); ignored for Medicare. */
  contract: Contract | null;
  /** Unit method for a payer with no contract (default: CMS). */
  defaultUnitMethod?: UnitMethod;
}

/**
 * Units supported, units flag and expected allowed amount of every line of one patient's visits
 * on one date at the practice (DOMAIN.md §3 MPPR and "Precise cases"). Units are counted per visit
 * by the payer's unit method, before any contract unit cap. The multiple-procedure rule runs over
 * the whole day: all Medicare visits of the day form one group, and all visits priced by the same
 * contract another, their lines ordered by visit id (byte by byte) then line order. Returns one
 * result per visit, in the order given.
 */
export function expectedAllowedForDay(input: {
  dateOfService: string;
  visits: readonly DayVisit[];
  feeSchedule: FeeScheduleLookup;
  /** the practice's therapy code list (lib/billing/therapy-codes.ts): which codes get therapy MPPR */
  therapyCodes?: TherapyCodeList;
  gpcis: GpciLookup;
  /** The practice's Medicare locality, "STATE-NN". */
  practiceLocality: string | null;
}): ExpectedVisit[] {
  const year = Number(input.dateOfService.slice(0, 4));
  const results: (ExpectedVisit | undefined)[] = input.visits.map(() => undefined);

  // visits of the day in visit order, grouped by what prices them
  const order = input.visits.map((_, i) => i).sort((a, b) => compareVisitIds(input.visits[a]!.visitId, input.visits[b]!.visitId) || a - b);
  const groups = new Map<string, number[]>();
  for (const visitIndex of order) {
    const visit = input.visits[visitIndex]!;
    const key =
      visit.payerKind === "medicare"
        ? "medicare"
        : visit.contract
          ? `contract|${visit.contract.payer.trim().toLowerCase()}|${visit.contract.effectiveFrom}`
          : `none|${visitIndex}`;
    const members = groups.get(key) ?? [];
    members.push(visitIndex);
    groups.set(key, members);
  }

  for (const [key, members] of groups) {
    const visits = members.map((i) => input.visits[i]!);
    const dayLines = visits.flatMap((visit) => visit.lines);
    // where each visit's lines start in dayLines
    const starts: number[] = [];
    visits.reduce((at, visit) => {
      starts.push(at);
      return at + visit.lines.length;
    }, 0);

    if (key === "medicare") {
      const gpci = input.practiceLocality === null ? undefined : input.gpcis.get(gpciKey(year, input.practiceLocality));
      const priced = priceMedicareVisit({
        year,
        locality: input.practiceLocality ?? "(not set)",
        lines: dayLines.map((line) => ({ cpt: line.cpt, modifiers: line.modifiers, units: line.unitsBilled })),
        feeSchedule: input.feeSchedule,
        therapyCodes: input.therapyCodes,
        gpci,
      });
      members.forEach((visitIndex, memberIndex) => {
        const visit = visits[memberIndex]!;
        const units = unitsOf(visit.lines, "cms");
        const lines = visit.lines.map((line, lineIndex): ExpectedLine => {
          const price = priced.lines[starts[memberIndex]! + lineIndex];
          const base = { ...lineUnits(line, lineIndex, units), unitsPriced: line.unitsBilled };
          if (!price || price.kind === "no_fee_schedule") {
            return { ...base, expectedAllowedCents: null, notComputed: "no_fee_schedule", note: price?.reason ?? "No fee schedule." };
          }
          return {
            ...base,
            expectedAllowedCents: price.amountCents,
            notComputed: null,
            note: price.kind === "not_payable" ? price.reason : null,
          };
        });
        results[visitIndex] = finish("medicare_fee_schedule", "cms", lines);
      });
      continue;
    }

    const contract = visits[0]!.contract;
    if (!contract) {
      members.forEach((visitIndex, memberIndex) => {
        const visit = visits[memberIndex]!;
        const method = visit.defaultUnitMethod ?? "cms";
        const units = unitsOf(visit.lines, method);
        const lines = visit.lines.map(
          (line, i): ExpectedLine => ({
            ...lineUnits(line, i, units),
            unitsPriced: line.unitsBilled,
            expectedAllowedCents: null,
            notComputed: "no_contract",
            note: "No contract is in force for this payer on the date of service; load the payer's contract to compute what it should allow.",
          }),
        );
        results[visitIndex] = finish("none", method, lines);
      });
      continue;
    }

    const priced = priceContractVisit({
      contract,
      dateOfService: input.dateOfService,
      lines: dayLines,
      feeSchedule: input.feeSchedule,
      therapyCodes: input.therapyCodes,
      gpcis: input.gpcis,
      practiceLocality: input.practiceLocality,
    });
    members.forEach((visitIndex, memberIndex) => {
      const visit = visits[memberIndex]!;
      // units supported by the payer's unit method, before any contract unit cap (the cap limits
      // only what expected allowed pays for; a line billed over it is a claim check)
      const units = unitsOf(visit.lines, contract.unitMethod);
      const lines = visit.lines.map((line, lineIndex): ExpectedLine => {
        const price = priced.lines[starts[memberIndex]! + lineIndex];
        const base = lineUnits(line, lineIndex, units);
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
      results[visitIndex] = finish("contract", contract.unitMethod, lines);
    });
  }
  return results as ExpectedVisit[];
}

/**
 * One visit priced as the only visit of its patient's day: see {@link expectedAllowedForDay},
 * which the app uses so that the multiple-procedure rule covers every visit of the day.
 */
export function expectedAllowedForVisit(input: {
  dateOfService: string;
  payerKind: PayerKind;
  lines: readonly VisitLine[];
  /** The payer's contract in force on the date of service (see contractInForce); ignored for Medicare. */
  contract: Contract | null;
  feeSchedule: FeeScheduleLookup;
  /** the practice's therapy code list (lib/billing/therapy-codes.ts): which codes get therapy MPPR */
  therapyCodes?: TherapyCodeList;
  gpcis: GpciLookup;
  /** The practice's Medicare locality, "STATE-NN". */
  practiceLocality: string | null;
  /** Unit method for a payer with no contract (default: CMS). */
  defaultUnitMethod?: UnitMethod;
}): ExpectedVisit {
  const [visit] = expectedAllowedForDay({
    dateOfService: input.dateOfService,
    visits: [
      {
        visitId: "",
        payerKind: input.payerKind,
        lines: input.lines,
        contract: input.contract,
        ...(input.defaultUnitMethod ? { defaultUnitMethod: input.defaultUnitMethod } : {}),
      },
    ],
    feeSchedule: input.feeSchedule,
    therapyCodes: input.therapyCodes,
    gpcis: input.gpcis,
    practiceLocality: input.practiceLocality,
  });
  return visit as ExpectedVisit;
}

function unitsOf(lines: readonly VisitLine[], method: UnitMethod) {
  return unitsByEightMinuteRule(
    lines.map((line) => ({ cpt: line.cpt, minutes: line.minutes, unitsBilled: line.unitsBilled })),
    method,
  );
}

/** The fields of an expected line that come from the line itself and the units it supports. */
function lineUnits(line: VisitLine, index: number, units: ReturnType<typeof unitsOf>) {
  const unitLine = units.lines[index];
  return {
    line: index,
    cpt: normalizeCode(line.cpt),
    unitsBilled: line.unitsBilled,
    unitsSupported: unitLine?.unitsSupported ?? 0,
    unitsFlag: unitLine?.flag ?? "ok",
    tieBroken: unitLine?.tieBroken ?? false,
  };
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
