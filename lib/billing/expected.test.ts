import { describe, expect, it } from "vitest";
import { feeSchedule2026, gpcis2026 } from "./cms-data.test-helper";
import type { Contract } from "./contracts";
import { expectedAllowedForVisit, type PayerKind, type VisitLine } from "./expected";

const visit: VisitLine[] = [
  { cpt: "97530", modifiers: ["GP"], minutes: 24, unitsBilled: 2, chargeCents: 12000 },
  { cpt: "97110", modifiers: ["GP"], minutes: 23, unitsBilled: 2, chargeCents: 12000 },
];
const blue: Contract = {
  payer: "Blue Cross Example",
  effectiveFrom: "2026-01-01",
  effectiveTo: null,
  unitMethod: "per_code",
  multipleProcedureRule: "none",
  rates: [
    {
      cpt: "97530",
      modifier: null,
      ratePerUnitCents: 4200,
      percentOfMedicare: null,
      medicareYear: null,
      locality: null,
      maxUnitsPerVisit: 4,
      lesserOfCharge: true,
    },
    {
      cpt: "97110",
      modifier: null,
      ratePerUnitCents: 3800,
      percentOfMedicare: null,
      medicareYear: null,
      locality: null,
      maxUnitsPerVisit: null,
      lesserOfCharge: true,
    },
  ],
};
function run(payerKind: PayerKind, contract: Contract | null, lines = visit, practiceLocality: string | null = "US-00") {
  return expectedAllowedForVisit({
    dateOfService: "2026-04-01",
    payerKind,
    lines,
    contract,
    feeSchedule: feeSchedule2026,
    gpcis: gpcis2026,
    practiceLocality,
  });
}

describe("expectedAllowedForVisit", () => {
  it("Medicare: CMS units, fee schedule at the practice locality, MPPR, units billed priced", () => {
    const result = run("medicare", blue);
    expect(result.basis).toBe("medicare_fee_schedule");
    expect(result.lines.map((l) => [l.unitsSupported, l.unitsFlag, l.expectedAllowedCents])).toEqual([
      [2, "ok", 3507 + 2505],
      [1, "over", 4442],
    ]);
    expect(result.complete).toBe(true);
  });

  it("Medicare without GPCIs for the practice locality: no fee schedule, never a guess", () => {
    const result = run("medicare", null, visit, "ZZ-01");
    expect(result.lines.map((l) => l.notComputed)).toEqual(["no_fee_schedule", "no_fee_schedule"]);
    expect(result.complete).toBe(false);
  });

  it("a commercial payer with a contract: the contract's unit method and rates", () => {
    const result = run("commercial", blue);
    expect(result.basis).toBe("contract");
    expect(result.lines.map((l) => [l.unitsSupported, l.unitsFlag, l.expectedAllowedCents])).toEqual([
      [2, "ok", 8400],
      [2, "ok", 7600],
    ]);
  });

  it("Medicare Advantage is priced by its own contract when there is one", () => {
    expect(run("medicare_advantage", blue).basis).toBe("contract");
  });

  it.each(["commercial", "medicare_advantage", "medicaid", "workers_comp", "self_pay"] as const)(
    "%s without a contract: units still checked (CMS method), expected allowed 'no contract'",
    (kind) => {
      const result = run(kind, null);
      expect(result.basis).toBe("none");
      expect(result.lines.map((l) => [l.unitsSupported, l.expectedAllowedCents, l.notComputed])).toEqual([
        [2, null, "no_contract"],
        [1, null, "no_contract"],
      ]);
    },
  );

  it("the contract's unit cap limits the units priced, not the units supported", () => {
    // 75 minutes, per-code method: floor((75 + 7) / 15) = 5 units supported, billed 5 → ok.
    // The cap of 4 limits what is paid for: 4 × $42.00 = $168.00 (DOMAIN.md "Precise cases").
    const result = run("commercial", blue, [{ cpt: "97530", modifiers: ["GP"], minutes: 75, unitsBilled: 5, chargeCents: 50000 }]);
    expect(result.lines[0]).toMatchObject({ unitsSupported: 5, unitsFlag: "ok", unitsPriced: 4, expectedAllowedCents: 16800 });
  });

  it("a line with no contract row says so and the rest are still priced", () => {
    const result = run("commercial", blue, [...visit, { cpt: "97140", modifiers: ["GP"], minutes: 10, unitsBilled: 1, chargeCents: 5000 }]);
    expect(result.lines.map((l) => l.notComputed)).toEqual([null, null, "no_contract_rate"]);
    expect(result.expectedAllowedCents).toBe(8400 + 7600);
  });
});
