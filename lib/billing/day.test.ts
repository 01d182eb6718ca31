// MPPR and whole_50 over a patient's whole day (DOMAIN.md §3 and "Precise cases"): two visits of
// one patient on one date, PT and OT, priced together. Every expected figure is worked by hand
// below from the CY2026 files in the shared CMS data (pfs-rvu-2026-therapy.csv, gpci-2026.csv).
//
// NY-01 (Manhattan) GPCIs: work 1.063, PE 1.318, MP 1.285; CF 33.4009.
//   97110 / 97116 (work 0.45, PE 0.41, MP 0.01):
//     full    = (0.45×1.063 + 0.41×1.318 + 0.01×1.285) × 33.4009 = 1.03158 × 33.4009 = 34.4557 → $34.46
//     reduced = (0.47835 + 0.27019 + 0.01285) × 33.4009 = 25.4311 → $25.43
//     PE payment = 0.54038 × 33.4009 = 18.0492
//   97530 (work 0.44, PE 0.60, MP 0.01):
//     full    = (0.46772 + 0.79080 + 0.01285) × 33.4009 = 42.4649 → $42.46
//     reduced = (0.46772 + 0.39540 + 0.01285) × 33.4009 = 29.2582 → $29.26
//     PE payment = 0.79080 × 33.4009 = 26.4134 (higher than 97110's: 97530 holds the full unit)
import { describe, expect, it } from "vitest";
import { feeSchedule2026, gpcis2026 } from "./cms-data.test-helper";
import type { Contract, ContractRate } from "./contracts";
import { type DayVisit, expectedAllowedForDay, expectedAllowedForVisit, type VisitLine } from "./expected";
import { compareVisitIds } from "./thresholds";

const DATE = "2026-03-10";
const line = (cpt: string, modifiers: string[], minutes: number, unitsBilled: number, chargeCents = 20000): VisitLine => ({
  cpt,
  modifiers,
  minutes,
  unitsBilled,
  chargeCents,
});
// PT visit: 97110 × 2 (30 minutes); OT visit: 97530 × 1 (15 minutes)
const ptLines = [line("97110", ["GP"], 30, 2)];
const otLines = [line("97530", ["GO"], 15, 1)];

function day(visits: DayVisit[], date = DATE) {
  return expectedAllowedForDay({ dateOfService: date, visits, feeSchedule: feeSchedule2026, gpcis: gpcis2026, practiceLocality: "NY-01" });
}
const amounts = (visits: ReturnType<typeof day>) => visits.map((v) => v.lines.map((l) => l.expectedAllowedCents));

function rate(cpt: string, over: Partial<ContractRate>): ContractRate {
  return {
    cpt,
    modifier: null,
    ratePerUnitCents: null,
    percentOfMedicare: null,
    medicareYear: null,
    locality: null,
    maxUnitsPerVisit: null,
    lesserOfCharge: true,
    ...over,
  };
}
function contract(rule: Contract["multipleProcedureRule"], rates: ContractRate[]): Contract {
  return { payer: "Day Payer", effectiveFrom: "2026-01-01", effectiveTo: null, unitMethod: "cms", multipleProcedureRule: rule, rates };
}

describe("Medicare MPPR over the patient's day", () => {
  it("a PT visit and an OT visit on one date share one full-priced unit", () => {
    const result = day([
      { visitId: "D-PT", payerKind: "medicare", lines: ptLines, contract: null },
      { visitId: "D-OT", payerKind: "medicare", lines: otLines, contract: null },
    ]);
    // 97530 (OT) holds the day's full unit: $42.46. 97110 (PT) × 2 both reduced: 2 × $25.43 = $50.86.
    expect(amounts(result)).toEqual([[5086], [4246]]);
    // The day: $93.32. Priced visit by visit it would be $59.89 ($34.46 + $25.43) + $42.46 = $102.35,
    // $9.03 too much: the figure the old per-visit rule gave.
    const alone = expectedAllowedForVisit({
      dateOfService: DATE,
      payerKind: "medicare",
      lines: ptLines,
      contract: null,
      feeSchedule: feeSchedule2026,
      gpcis: gpcis2026,
      practiceLocality: "NY-01",
    });
    expect(alone.lines[0]?.expectedAllowedCents).toBe(5989);
  });

  it("the full unit is chosen on PE payment before CQ/CO: the assistant's 97530 still holds it", () => {
    // 97112 (work 0.50, PE 0.47, MP 0.01) at NY-01: full (0.5315 + 0.61946 + 0.01285) × 33.4009 = 38.8663 → $38.87,
    // reduced (0.5315 + 0.30973 + 0.01285) × 33.4009 = 28.5212 → $28.53, PE payment 0.61946 × 33.4009 = 20.69.
    // 97530 with CO: PE payment 26.41 > 20.69, so it holds the full unit although after the 85% it pays
    // less ($42.46 × 85% = 36.091 → $36.09) than 97112 would in full ($38.87). 97112 is reduced: $28.53.
    // (Choosing after the 85% would give 97112 $38.87 and 97530 $29.26 × 85% = $24.87 instead.)
    const result = day([
      { visitId: "D-PT", payerKind: "medicare", lines: [line("97112", ["GP"], 15, 1)], contract: null },
      { visitId: "D-OT", payerKind: "medicare", lines: [line("97530", ["GO", "CO"], 15, 1)], contract: null },
    ]);
    expect(amounts(result)).toEqual([[2853], [3609]]);
  });

  it("a tie (same PE and full price) goes to the earlier visit id, compared byte by byte", () => {
    // 97116 and 97110 have identical RVUs. "V10" < "V9" byte by byte ("1" 0x31 < "9" 0x39),
    // although 10 > 9 as numbers: V10's 97116 holds the full unit ($34.46), V9's 97110 is reduced ($25.43).
    const result = day([
      { visitId: "V9", payerKind: "medicare", lines: [line("97110", ["GP"], 15, 1)], contract: null },
      { visitId: "V10", payerKind: "medicare", lines: [line("97116", ["GO"], 15, 1)], contract: null },
    ]);
    expect(amounts(result)).toEqual([[2543], [3446]]);
    // Upper case sorts before lower case byte by byte ("Z" 0x5A < "a" 0x61), whatever the locale.
    expect(compareVisitIds("Z1", "a1")).toBe(-1);
    expect(compareVisitIds("V10", "V9")).toBe(-1);
    expect(compareVisitIds("V9", "V9")).toBe(0);
    const caseTie = day([
      { visitId: "a-visit", payerKind: "medicare", lines: [line("97110", ["GP"], 15, 1)], contract: null },
      { visitId: "Z-visit", payerKind: "medicare", lines: [line("97116", ["GO"], 15, 1)], contract: null },
    ]);
    expect(amounts(caseTie)).toEqual([[2543], [3446]]);
  });

  it("visits of another date, or billed to another payer, are not in the group", () => {
    const blue = contract("none", [rate("97530", { ratePerUnitCents: 4200 })]);
    const result = day([
      { visitId: "D-PT", payerKind: "medicare", lines: ptLines, contract: null },
      { visitId: "D-OT", payerKind: "commercial", lines: otLines, contract: blue },
    ]);
    // Medicare's group is the PT visit alone: 97110 $34.46 + $25.43 = $59.89; the commercial visit $42.00 × 1.
    expect(amounts(result)).toEqual([[5989], [4200]]);
  });
});

describe("contracts over the patient's day", () => {
  it("medicare_pe_50, 110% of Medicare: the percentage of the day's MPPR amounts", () => {
    const united = contract(
      "medicare_pe_50",
      ["97110", "97530"].map((cpt) => rate(cpt, { percentOfMedicare: 110, medicareYear: 2026, locality: "NY-01" })),
    );
    const result = day([
      { visitId: "D-PT", payerKind: "commercial", lines: ptLines, contract: united },
      { visitId: "D-OT", payerKind: "commercial", lines: otLines, contract: united },
    ]);
    // 97110 × 2 reduced: $50.86 × 110% = 55.946 → $55.95; 97530 full: $42.46 × 110% = 46.706 → $46.71
    expect(amounts(result)).toEqual([[5595], [4671]]);
  });

  it("medicare_pe_50 with fixed rates: reduced rate = rate × reduced ÷ full Medicare unit price, per unit", () => {
    const fixed = contract("medicare_pe_50", [rate("97110", { ratePerUnitCents: 3800 }), rate("97530", { ratePerUnitCents: 4200 })]);
    const result = day([
      { visitId: "D-PT", payerKind: "commercial", lines: ptLines, contract: fixed },
      { visitId: "D-OT", payerKind: "commercial", lines: otLines, contract: fixed },
    ]);
    // 97530 holds the day's full unit: $42.00. 97110 reduced rate: $38.00 × 25.43 / 34.46 = 28.0424 → $28.04
    // per unit; 2 units = $56.08.
    expect(amounts(result)).toEqual([[5608], [4200]]);
  });

  it("whole_50 over the day: the code with the highest amount per unit is full, the others at 50% per unit", () => {
    const whole = contract("whole_50", [rate("97110", { ratePerUnitCents: 3825 }), rate("97530", { ratePerUnitCents: 4200 })]);
    const result = day([
      { visitId: "D-PT", payerKind: "commercial", lines: ptLines, contract: whole },
      { visitId: "D-OT", payerKind: "commercial", lines: otLines, contract: whole },
    ]);
    // 97530 $42.00 per unit > 97110 $38.25: 97530 full ($42.00); 97110 each unit $38.25 × 50% = 19.125 → $19.13,
    // × 2 = $38.26 (one rounding per line would give $38.25). The PT visit alone would be paid $76.50.
    expect(amounts(result)).toEqual([[3826], [4200]]);
  });

  it("whole_50 tie on amount per unit: the earlier line of the day (visit id, then line order) is full", () => {
    const whole = contract("whole_50", [rate("97110", { ratePerUnitCents: 4000 }), rate("97112", { ratePerUnitCents: 4000 })]);
    const result = day([
      { visitId: "B", payerKind: "commercial", lines: [line("97110", ["GP"], 15, 1)], contract: whole },
      { visitId: "A", payerKind: "commercial", lines: [line("97112", ["GO"], 15, 1)], contract: whole },
    ]);
    // "A" < "B": 97112 (visit A) is full $40.00; 97110 (visit B) $40.00 × 50% = $20.00
    expect(amounts(result)).toEqual([[2000], [4000]]);
  });
});

describe("a year whose fee schedule is not loaded", () => {
  it("is unpriced, names the year's CMS file, and is never priced with 2026 figures", () => {
    const [visit] = day([{ visitId: "Y", payerKind: "medicare", lines: ptLines, contract: null }], "2027-01-05");
    expect(visit?.lines[0]).toMatchObject({ expectedAllowedCents: null, notComputed: "no_fee_schedule" });
    expect(visit?.lines[0]?.note).toContain("CMS 2027 Physician Fee Schedule");
    expect(visit?.expectedAllowedCents).toBe(0);
    expect(visit?.complete).toBe(false);
  });
});
