import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feeSchedule2026, gpci2026, NATIONAL_2026 } from "./cms-data.test-helper";
import {
  buildFeeSchedule,
  type FeeScheduleRow,
  type MedicareLineInput,
  medicarePaymentSplit,
  medicareUnitPrice,
  PART_B_DEDUCTIBLE_BY_YEAR,
  priceMedicareVisit,
} from "./medicare";

const line = (cpt: string, units: number, modifiers: string[] = ["GP"]): MedicareLineInput => ({
  cpt,
  units,
  modifiers,
});
const national = (lines: MedicareLineInput[]) =>
  priceMedicareVisit({ year: 2026, locality: "US-00", lines, feeSchedule: feeSchedule2026, gpci: NATIONAL_2026 });
const amounts = (lines: MedicareLineInput[]) =>
  national(lines).lines.map((priced) => (priced.kind === "no_fee_schedule" ? null : priced.amountCents));

function unitPrice(hcpcs: string, locality = "US-00") {
  const result = medicareUnitPrice({
    hcpcs,
    year: 2026,
    locality,
    feeSchedule: feeSchedule2026,
    gpci: locality === "US-00" ? NATIONAL_2026 : gpci2026(locality),
  });
  if (result.kind !== "priced") throw new Error(`${hcpcs} not priced`);
  return result.price;
}

describe("fee schedule amount (DOMAIN.md §3)", () => {
  it("2026 national: 97530 full unit $35.07, 97110 full unit $29.06", () => {
    expect(unitPrice("97530").fullCents).toBe(3507);
    expect(unitPrice("97110").fullCents).toBe(2906);
    expect(unitPrice("97112").fullCents).toBe(3273);
  });

  it("reduced-PE unit: PE part cut 50%, work and MP whole", () => {
    // 97110: (0.45 + 0.41 × 0.5 + 0.01) × 33.4009 = 22.2116 → $22.21
    expect(unitPrice("97110").reducedCents).toBe(2221);
    // 97530: (0.44 + 0.30 + 0.01) × 33.4009 = 25.0507 → $25.05
    expect(unitPrice("97530").reducedCents).toBe(2505);
  });

  it("applies the locality's GPCIs (NY-01 Manhattan)", () => {
    // 97110: (0.45 × 1.063 + 0.41 × 1.318 + 0.01 × 1.285) × 33.4009 = 34.4557 → $34.46
    expect(unitPrice("97110", "NY-01").fullCents).toBe(3446);
    expect(unitPrice("97110", "NY-01").reducedCents).toBe(2543);
  });
});

describe("MPPR across the whole visit", () => {
  it("97530 ×1 + 97110 ×2 = $79.49 allowed: 97530 full, both 97110 units reduced", () => {
    const visit = national([line("97530", 1), line("97110", 2)]);
    expect(visit.lines.map((l) => (l.kind === "priced" ? l.amountCents : null))).toEqual([3507, 4442]);
    expect(visit.totalCents).toBe(7949);
    expect(visit.mpprFullUnitLine).toBe(0);
  });

  it("the full unit goes to the highest PE payment wherever it is billed", () => {
    expect(amounts([line("97110", 2), line("97530", 1)])).toEqual([4442, 3507]);
  });

  it("equal PE payment and full price: the earlier line keeps the full unit", () => {
    // 97110 and 97116 have identical RVUs.
    const visit = national([line("97116", 1), line("97110", 1)]);
    expect(visit.mpprFullUnitLine).toBe(0);
    expect(amounts([line("97116", 1), line("97110", 1)])).toEqual([2906, 2221]);
  });

  it("equal PE payment, different full price: the higher full price keeps the full unit", () => {
    const rows: FeeScheduleRow[] = [
      {
        year: 2026,
        hcpcs: "97110",
        status: "A",
        workRvu: 0.45,
        nonFacilityPeRvu: 0.41,
        mpRvu: 0.01,
        multProcIndicator: 5,
        conversionFactor: 33.4009,
      },
      {
        year: 2026,
        hcpcs: "97112",
        status: "A",
        workRvu: 0.5,
        nonFacilityPeRvu: 0.41,
        mpRvu: 0.01,
        multProcIndicator: 5,
        conversionFactor: 33.4009,
      },
    ];
    const visit = priceMedicareVisit({
      year: 2026,
      locality: "US-00",
      lines: [line("97110", 1), line("97112", 1)],
      feeSchedule: buildFeeSchedule(rows),
      gpci: NATIONAL_2026,
    });
    expect(visit.mpprFullUnitLine).toBe(1);
  });

  it("codes without indicator 5 are always paid in full and never take the full unit", () => {
    // 97129 has multiple procedure indicator 0.
    const visit = national([line("97129", 1), line("97110", 2)]);
    expect(visit.lines.map((l) => (l.kind === "priced" ? [l.fullUnits, l.reducedUnits] : null))).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});

describe("CQ / CO", () => {
  it("pays 85% of the line amount, rounded half-up once", () => {
    // 97110 ×2 at national: 29.06 + 22.21 = 51.27; × 0.85 = 43.5795 → 43.58
    expect(amounts([line("97110", 2, ["GP", "CQ"])])).toEqual([4358]);
    // 97530 ×1 CO: 35.07 × 0.85 = 29.8095 → 29.81
    expect(amounts([line("97530", 1, ["GO", "CO"])])).toEqual([2981]);
  });

  it("MPPR is decided before the 85% (the CQ line may keep the full unit)", () => {
    expect(amounts([line("97530", 1, ["GP", "CQ"]), line("97110", 1)])).toEqual([2981, 2221]);
  });
});

describe("missing data is said, never guessed", () => {
  it("a code not in the fee schedule", () => {
    const [priced] = national([line("99999", 1)]).lines;
    expect(priced?.kind).toBe("no_fee_schedule");
  });

  it("a speech therapy code: the shipped CY2026 table has no 925xx rows, and the line says so (never $0)", () => {
    const [priced] = national([line("92507", 1)]).lines;
    expect(priced).toEqual({
      kind: "no_fee_schedule",
      reason:
        "No Medicare price for 92507: load the CMS 2026 Physician Fee Schedule RVU file. The line is not priced with another year's figures.",
    });
  });

  it("a year not loaded", () => {
    const visit = priceMedicareVisit({
      year: 2031,
      locality: "US-00",
      lines: [line("97110", 1)],
      feeSchedule: feeSchedule2026,
      gpci: NATIONAL_2026,
    });
    expect(visit.lines[0]?.kind).toBe("no_fee_schedule");
  });

  it("a locality with no GPCIs", () => {
    const visit = priceMedicareVisit({
      year: 2026,
      locality: "ZZ-99",
      lines: [line("97110", 1)],
      feeSchedule: feeSchedule2026,
      gpci: undefined,
    });
    expect(visit.lines[0]).toMatchObject({ kind: "no_fee_schedule" });
    expect(visit.totalCents).toBe(0);
  });

  it("a bundled (status B) code is allowed nothing, with the reason", () => {
    const [priced] = national([line("97010", 1)]).lines;
    expect(priced).toMatchObject({ kind: "not_payable", amountCents: 0, status: "B" });
  });

  it("a carrier-priced (status C) code has no amount to compute", () => {
    expect(national([line("97039", 1)]).lines[0]?.kind).toBe("no_fee_schedule");
  });
});

describe("payment split", () => {
  it("coinsurance 20%, sequestration 2% of Medicare's share, allowed unchanged", () => {
    // From the example practice's Medicare remit: allowed 119.38 → PR-2 23.88, CO-253 1.91, paid 93.59.
    expect(medicarePaymentSplit({ allowedCents: 11938, remainingDeductibleCents: 0 })).toEqual({
      allowedCents: 11938,
      deductibleCents: 0,
      coinsuranceCents: 2388,
      patientOwesCents: 2388,
      medicareShareCents: 9550,
      sequestrationCents: 191,
      medicarePaysCents: 9359,
    });
  });

  it("the deductible comes first and is capped by the allowed amount", () => {
    const split = medicarePaymentSplit({ allowedCents: 10000, remainingDeductibleCents: 4000 });
    expect(split).toMatchObject({ deductibleCents: 4000, coinsuranceCents: 1200, medicareShareCents: 4800, sequestrationCents: 96 });
    const small = medicarePaymentSplit({ allowedCents: 3000, remainingDeductibleCents: PART_B_DEDUCTIBLE_BY_YEAR[2026] ?? 0 });
    expect(small).toMatchObject({ deductibleCents: 3000, coinsuranceCents: 0, medicarePaysCents: 0, allowedCents: 3000 });
  });

  it("patient share + Medicare payment + sequestration = allowed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500000 }), fc.integer({ min: 0, max: 30000 }), (allowed, deductible) => {
        const split = medicarePaymentSplit({ allowedCents: allowed, remainingDeductibleCents: deductible });
        return split.patientOwesCents + split.medicarePaysCents + split.sequestrationCents === allowed;
      }),
    );
  });
});

describe("properties", () => {
  const mpprCodes = ["97110", "97112", "97116", "97140", "97530", "97535", "97161", "97164", "97035", "G0283"];
  const visitArb = fc.array(
    fc.record({
      cpt: fc.constantFrom(...mpprCodes),
      units: fc.integer({ min: 0, max: 4 }),
      modifiers: fc.constantFrom(["GP"], ["GP", "CQ"], ["GO"], ["GO", "CO"]),
    }),
    { minLength: 1, maxLength: 5 },
  );
  const localityArb = fc.constantFrom("US-00", "NY-01", "CA-09", "AL-00", "AK-01");

  it("a visit with MPPR units has exactly one full-priced unit", () => {
    fc.assert(
      fc.property(visitArb, localityArb, (lines, locality) => {
        const visit = priceMedicareVisit({
          year: 2026,
          locality,
          lines,
          feeSchedule: feeSchedule2026,
          gpci: locality === "US-00" ? NATIONAL_2026 : gpci2026(locality),
        });
        const full = visit.lines.reduce((sum, l) => sum + (l.kind === "priced" ? l.fullUnits : 0), 0);
        const anyUnits = lines.some((l) => l.units > 0);
        return full === (anyUnits ? 1 : 0);
      }),
    );
  });

  // Not "the lines add up to the total" (the total is defined as that sum, so it could never fail):
  // the visit is priced against an oracle built from the unit prices alone. Without CQ/CO, MPPR
  // means every MPPR unit is paid its reduced price except one, which is paid in full, and that
  // one is the unit with the highest PE payment, i.e. the largest full − reduced step (the step is
  // PE × 50% × CF, rounded). So the total must be Σ units × (reduced, or full for non-MPPR codes)
  // plus the largest step among the MPPR lines with units. Choosing the wrong unit, paying two
  // units in full or none, or cutting a non-MPPR code all break it.
  it("the visit total is every unit at its reduced price plus the largest full − reduced step, once", () => {
    const plainVisitArb = fc.array(
      fc.record({ cpt: fc.constantFrom(...mpprCodes), units: fc.integer({ min: 0, max: 4 }), modifiers: fc.constantFrom(["GP"], ["GO"]) }),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(
      fc.property(plainVisitArb, localityArb, (lines, locality) => {
        const gpci = locality === "US-00" ? NATIONAL_2026 : gpci2026(locality);
        const visit = priceMedicareVisit({ year: 2026, locality, lines, feeSchedule: feeSchedule2026, gpci });
        let oracle = 0;
        let largestStep = 0;
        for (const l of lines) {
          const unit = medicareUnitPrice({ hcpcs: l.cpt, year: 2026, locality, feeSchedule: feeSchedule2026, gpci });
          if (unit.kind !== "priced") continue;
          if (!unit.price.mppr) {
            oracle += l.units * unit.price.fullCents;
            continue;
          }
          oracle += l.units * unit.price.reducedCents;
          if (l.units > 0) largestStep = Math.max(largestStep, unit.price.fullCents - unit.price.reducedCents);
        }
        return visit.totalCents === oracle + largestStep;
      }),
    );
  });

  it("no line pays more than its units at the full price", () => {
    fc.assert(
      fc.property(visitArb, (lines) =>
        national(lines).lines.every((l, i) => l.kind !== "priced" || l.amountCents <= (lines[i]?.units ?? 0) * l.unitPrice.fullCents),
      ),
    );
  });
});
