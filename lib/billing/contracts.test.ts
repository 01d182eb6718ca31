import { describe, expect, it } from "vitest";
import { feeSchedule2026, gpcis2026 } from "./cms-data.test-helper";
import {
  type Contract,
  type ContractLineInput,
  type ContractRate,
  type ContractRow,
  contractInForce,
  contractRateFor,
  contractsFromRows,
  describeContractRate,
  type MultipleProcedureRule,
  priceContractVisit,
} from "./contracts";

const rate = (cpt: string, terms: Partial<ContractRate> = {}): ContractRate => ({
  cpt,
  modifier: null,
  ratePerUnitCents: null,
  percentOfMedicare: null,
  medicareYear: null,
  locality: null,
  maxUnitsPerVisit: null,
  lesserOfCharge: true,
  ...terms,
});
const contract = (rule: MultipleProcedureRule, rates: ContractRate[], extra: Partial<Contract> = {}): Contract => ({
  payer: "Example Payer",
  effectiveFrom: "2026-01-01",
  effectiveTo: null,
  unitMethod: "cms",
  multipleProcedureRule: rule,
  rates,
  ...extra,
});
const line = (cpt: string, unitsBilled: number, chargeCents = 100000, modifiers: string[] = ["GP"]): ContractLineInput => ({
  cpt,
  unitsBilled,
  chargeCents,
  modifiers,
});
function price(c: Contract, lines: ContractLineInput[], practiceLocality: string | null = "NY-01") {
  return priceContractVisit({
    contract: c,
    dateOfService: "2026-03-10",
    lines,
    feeSchedule: feeSchedule2026,
    gpcis: gpcis2026,
    practiceLocality,
  });
}
const expectedOf = (c: Contract, lines: ContractLineInput[], locality: string | null = "NY-01") =>
  price(c, lines, locality).lines.map((l) => (l.kind === "priced" ? l.expectedAllowedCents : l.kind));

describe("contractInForce", () => {
  const periods = [
    contract("none", [], { effectiveFrom: "2025-01-01", effectiveTo: "2025-12-31" }),
    contract("none", [], { effectiveFrom: "2026-01-01", effectiveTo: null, unitMethod: "per_code" }),
  ];
  it("dates are inclusive at both ends", () => {
    expect(contractInForce(periods, "Example Payer", "2025-01-01")?.effectiveFrom).toBe("2025-01-01");
    expect(contractInForce(periods, "Example Payer", "2025-12-31")?.effectiveFrom).toBe("2025-01-01");
    expect(contractInForce(periods, "example payer", "2026-01-01")?.effectiveFrom).toBe("2026-01-01");
    expect(contractInForce(periods, "Example Payer", "2030-06-30")?.unitMethod).toBe("per_code");
  });
  it("no contract before the first period or for another payer", () => {
    expect(contractInForce(periods, "Example Payer", "2024-12-31")).toBeNull();
    expect(contractInForce(periods, "Other", "2026-02-01")).toBeNull();
  });
});

describe("contractRateFor", () => {
  const c = contract("none", [rate("97110", { ratePerUnitCents: 3800 }), rate("97110", { modifier: "CQ", ratePerUnitCents: 3200 })]);
  it("a row with a matching modifier beats the any row", () => {
    expect(contractRateFor(c, "97110", ["GP", "CQ"])?.ratePerUnitCents).toBe(3200);
    expect(contractRateFor(c, "97110", ["GP"])?.ratePerUnitCents).toBe(3800);
    expect(contractRateFor(c, "97530", ["GP"])).toBeNull();
  });
});

describe("contractsFromRows", () => {
  const row = (terms: Partial<ContractRow>): ContractRow => ({
    payer: "Blue",
    effectiveFrom: "2026-01-01",
    effectiveTo: null,
    unitMethod: "per_code",
    multipleProcedureRule: "none",
    ...rate("97110", { ratePerUnitCents: 3800 }),
    ...terms,
  });
  it("groups rows of one payer and period", () => {
    const { contracts, errors } = contractsFromRows([
      row({ effectiveTo: "2026-12-31" }),
      row({ effectiveTo: "2026-12-31", cpt: "97530", ratePerUnitCents: 4200, maxUnitsPerVisit: 4 }),
      row({ effectiveFrom: "2027-01-01" }),
    ]);
    expect(errors).toEqual([]);
    expect(contracts.map((c) => [c.effectiveFrom, c.rates.length])).toEqual([
      ["2026-01-01", 2],
      ["2027-01-01", 1],
    ]);
  });
  it("reports contradictions, duplicates, missing or double rates and overlaps", () => {
    const { errors } = contractsFromRows([
      row({}),
      row({ cpt: "97530", unitMethod: "cms" }),
      row({}),
      row({ cpt: "97112", ratePerUnitCents: null }),
      row({ cpt: "97116", percentOfMedicare: 110 }),
      row({ payer: "blue", effectiveFrom: "2026-06-01", effectiveTo: "2026-12-31" }),
    ]);
    expect(errors.map((e) => e.rowIndex)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("priceContractVisit: fixed rates", () => {
  const blue = contract(
    "none",
    [rate("97110", { ratePerUnitCents: 3800 }), rate("97530", { ratePerUnitCents: 4200, maxUnitsPerVisit: 4 })],
    { unitMethod: "per_code" },
  );
  it("rate × units, per line", () => {
    expect(expectedOf(blue, [line("97110", 2), line("97530", 3)])).toEqual([7600, 12600]);
  });
  it("units priced are the units billed capped by max_units_per_visit", () => {
    const visit = price(blue, [line("97530", 6)]);
    expect(visit.lines[0]).toMatchObject({ kind: "priced", unitsPriced: 4, unitsCapped: true, expectedAllowedCents: 16800 });
  });
  it("lesser of the billed charge and the contract amount", () => {
    expect(expectedOf(blue, [line("97110", 2, 7000)])).toEqual([7000]);
    const notLesser = contract("none", [rate("97110", { ratePerUnitCents: 3800, lesserOfCharge: false })]);
    expect(expectedOf(notLesser, [line("97110", 2, 7000)])).toEqual([7600]);
  });
  it("a code with no contract row is 'no contract rate'", () => {
    const visit = price(blue, [line("97140", 1)]);
    expect(visit.lines[0]).toMatchObject({ kind: "no_contract_rate" });
    expect(visit.totalCents).toBe(0);
  });
  it("CQ/CO does not cut a fixed rate", () => {
    expect(expectedOf(blue, [line("97110", 1, 100000, ["GP", "CQ"])])).toEqual([3800]);
  });
  it("whole_50: the code with the highest amount per unit is paid in full for all its units, the others at 50%", () => {
    const c = contract("whole_50", blue.rates);
    expect(expectedOf(c, [line("97110", 2), line("97530", 2)])).toEqual([3800, 8400]);
    // 50% of 1 × $38.25 = 19.125 → 19.13 (half-up per line)
    const odd = contract("whole_50", [rate("97110", { ratePerUnitCents: 3825 }), rate("97530", { ratePerUnitCents: 4200 })]);
    expect(expectedOf(odd, [line("97530", 1), line("97110", 1)])).toEqual([4200, 1913]);
  });
  it("whole_50 tie on amount per unit: the earlier line's code is paid in full", () => {
    const c = contract("whole_50", [rate("97110", { ratePerUnitCents: 4000 }), rate("97112", { ratePerUnitCents: 4000 })]);
    expect(expectedOf(c, [line("97112", 1), line("97110", 1)])).toEqual([4000, 2000]);
  });
  it("medicare_pe_50 with a fixed rate: Medicare's PE decides the full unit, the rate is cut by Medicare's reduced/full ratio", () => {
    const c = contract("medicare_pe_50", blue.rates);
    // National: 97530 PE 0.60 > 97110 PE 0.41 → 97530 full. 97110 reduced/full = 22.21/29.06.
    // Reduced rate, rounded per unit (DOMAIN.md "Precise cases"): 38.00 × 2221 / 2906 = 29.0427 → 29.04;
    // 2 units × 29.04 = 58.08 (rounding the line once would give 58.0853 → 58.09: not the rule)
    expect(expectedOf(c, [line("97110", 2), line("97530", 1)], "US-00")).toEqual([5808, 4200]);
    // One 97110 unit keeps the full rate when it holds the full unit.
    // 38.00 + 29.04 = 67.04
    expect(expectedOf(c, [line("97110", 2)], "US-00")).toEqual([6704]);
  });
  it("medicare_pe_50 with a fixed rate needs the Medicare fee schedule", () => {
    const c = contract("medicare_pe_50", blue.rates);
    expect(expectedOf(c, [line("97110", 1)], null)).toEqual(["no_fee_schedule"]);
  });
});

describe("priceContractVisit: percent of Medicare", () => {
  const united = contract(
    "medicare_pe_50",
    ["97110", "97116", "97530"].map((cpt) => rate(cpt, { percentOfMedicare: 110, medicareYear: 2026, locality: "NY-01" })),
  );
  it("110% of the Medicare line amount after MPPR and CQ, rounded per line (example practice CLM00469)", () => {
    // 97110 full NY-01 34.46 × 0.85 = 29.29 → × 1.10 = 32.22; 97116 reduced 25.43 × 0.85 = 21.62 → × 1.10 = 23.78
    const lines = [line("97110", 1, 6000, ["GP", "CQ"]), line("97116", 1, 6000, ["GP", "CQ"])];
    expect(expectedOf(united, lines)).toEqual([3222, 2378]);
    expect(price(united, lines).lines[0]).toMatchObject({ medicareAmountCents: 2929 });
  });
  it("no MPPR under 'none': every unit at the full Medicare price", () => {
    const c = contract("none", united.rates);
    // 97110 ×2 at NY-01: 2 × 34.46 = 68.92 × 1.1 = 75.812 → 75.81
    expect(expectedOf(c, [line("97110", 2)])).toEqual([7581]);
  });
  it("whole_50 with percentages: the highest per-unit amount is full, other codes at 50%", () => {
    const c = contract("whole_50", united.rates);
    // 97530 NY-01 full: (0.44×1.063 + 0.60×1.318 + 0.01×1.285) × 33.4009 = 42.4553 → 42.46 × 1.1 = 46.71
    // 97110 ×2, each unit at 50% rounded half-up (DOMAIN.md "Precise cases"): 34.46 × 1.1 × 0.5 = 18.953 → 18.95;
    // 2 × 18.95 = 37.90 (one rounding per line would give 68.92 × 1.1 × 0.5 = 37.906 → 37.91: not the rule)
    expect(expectedOf(c, [line("97110", 2), line("97530", 1)])).toEqual([3790, 4671]);
  });
  it("a percentage pinned to a year not loaded says so", () => {
    const c = contract("none", [rate("97110", { percentOfMedicare: 120, medicareYear: 2023, locality: "NY-01" })]);
    expect(expectedOf(c, [line("97110", 1)])).toEqual(["no_fee_schedule"]);
  });
  it("no locality on the row falls back to the practice's Medicare locality", () => {
    const c = contract("none", [rate("97110", { percentOfMedicare: 100 })]);
    expect(expectedOf(c, [line("97110", 1)], "NY-01")).toEqual([3446]);
    expect(expectedOf(c, [line("97110", 1)], null)).toEqual(["no_fee_schedule"]);
  });
  it("describes a contract term in words", () => {
    expect(describeContractRate(united.rates[0] as ContractRate, united)).toContain("110% of 2026 Medicare, NY locality 01");
  });
});

describe("a contract term in a biller's words (contract page, worklist, appeal letter)", () => {
  it("says the percentage, year, locality, unit method and multiple-procedure rule in words", () => {
    const contract = {
      payer: "Acme Health",
      effectiveFrom: "2026-01-01",
      effectiveTo: null,
      unitMethod: "cms" as const,
      multipleProcedureRule: "medicare_pe_50" as const,
      rates: [],
    };
    const rate = {
      cpt: "97530",
      modifier: null,
      ratePerUnitCents: null,
      percentOfMedicare: "110",
      medicareYear: 2026,
      locality: "NY-01",
      maxUnitsPerVisit: 4,
      lesserOfCharge: true,
    };
    expect(describeContractRate(rate, contract)).toBe(
      "Acme Health from Jan 1, 2026: 97530 110% of 2026 Medicare, NY locality 01, at most 4 units a visit, or the billed charge if lower, units by Medicare's 8-minute rule, Medicare's multiple-procedure reduction",
    );
  });
});
