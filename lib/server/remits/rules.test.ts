// The pure parts of the remit capability: denial causes, reversal netting, line matching,
// the export's adjustment text, array literals, the EOB and contract form schemas, weeks.
import { describe, expect, it } from "vitest";
import { contractSchema } from "@/lib/schemas/contract";
import { eobSchema, fieldErrorsByPath } from "@/lib/schemas/eob";
import { denialCauseOf } from "@/lib/billing/denialCauses";
import { pivotWeekly, weekOf, weeksBetween } from "../underpayments/weeks";
import { type CandidateLine, matchLines } from "./match";
import { adjustmentsText, type RemitLineInput } from "./model";
import { intArrayLiteral, intList, textArrayLiteral } from "../core/sql";

const adj = (group: string, reason: string, amountCents: number) => ({ group, reason, amountCents });

describe("denial root cause (DOMAIN.md §5)", () => {
  it("maps the denial CARCs to their causes", () => {
    const cases: [string, string][] = [
      ["119", "missing_kx"],
      ["4", "modifier"],
      ["97", "bundled"],
      ["151", "units"],
      ["50", "necessity"],
      ["29", "timely"],
      ["18", "duplicate"],
    ];
    for (const [carc, cause] of cases)
      expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, adjustments: [adj("CO", carc, 5000)] })).toBe(cause);
  });
  it("puts PR-119 on a line billed with GA (an ABN on file: the patient is liable) under its own cause", () => {
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, modifiers: ["GP", "GA"], adjustments: [adj("PR", "119", 5000)] })).toBe(
      "patient_liable",
    );
    // without GA no ABN is on file: the patient cannot be billed, the line is rebilled with KX
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, modifiers: ["GP"], adjustments: [adj("PR", "119", 5000)] })).toBe("missing_kx");
    // CO-119 with GA: the payer holds the practice liable, a KX rebill as the work test says
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, modifiers: ["GP", "GA"], adjustments: [adj("CO", "119", 5000)] })).toBe(
      "missing_kx",
    );
    // KX on the line and CO-119: still the KX rebill
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, modifiers: ["GP", "KX"], adjustments: [adj("CO", "119", 5000)] })).toBe(
      "missing_kx",
    );
  });
  it("calls an unpaid line with another reason 'other', but not one whose allowed amount went to the patient", () => {
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, adjustments: [adj("CO", "16", 5000)] })).toBe("other");
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 0, adjustments: [adj("CO", "45", 2000), adj("PR", "1", 3000)] })).toBeNull();
    expect(denialCauseOf({ chargeCents: 5000, paidCents: 2400, adjustments: [adj("CO", "45", 2000), adj("PR", "2", 600)] })).toBeNull();
  });
  it("does not call a reversal a denial", () => {
    expect(denialCauseOf({ chargeCents: -5000, paidCents: -2400, adjustments: [adj("CO", "45", -2000)] })).toBeNull();
  });
});

describe("matching remit lines to ours", () => {
  const ours = (id: number, cpt: string, modifiers: string[], date = "2026-03-02", lineOrder = id): CandidateLine => ({
    id,
    visitId: 1,
    claimId: 1,
    patientId: 1,
    payerId: 1,
    dateOfService: date,
    lineOrder,
    cpt,
    modifiers,
    expectedAllowedCents: 1000,
  });
  const remit = (cpt: string, modifiers: string[], serviceDate: string | null = "2026-03-02"): RemitLineInput => ({
    cpt,
    paidCpt: null,
    modifiers,
    chargeCents: 100,
    paidCents: 50,
    allowedCents: 60,
    units: 1,
    serviceDate,
    remarkCodes: [],
    adjustments: [],
  });
  it("pairs by code and date, preferring equal modifiers, each of ours used once", () => {
    const candidates = [ours(1, "97110", ["GP"]), ours(2, "97110", ["GP", "59"]), ours(3, "97140", ["GP"])];
    const got = matchLines(
      [remit("97110", ["GP", "59"]), remit("97110", ["GP"]), remit("97140", ["GP"]), remit("97140", ["GP"])],
      candidates,
    );
    expect(got.map((g) => g?.id ?? null)).toEqual([2, 1, 3, null]);
  });
  it("does not pair across dates, and breaks ties by line order", () => {
    const candidates = [ours(1, "97110", ["GP"]), ours(2, "97110", ["GP"])];
    expect(matchLines([remit("97110", ["GP"], "2026-03-03")], candidates)).toEqual([null]);
    expect(matchLines([remit("97110", ["GP"]), remit("97110", ["GP"])], candidates).map((g) => g?.id)).toEqual([1, 2]);
    expect(matchLines([remit("97110", ["GP"], null)], [ours(5, "97110", ["GP"], "2026-01-01")])[0]?.id).toBe(5);
  });
});

describe("formats", () => {
  it("writes adjustments as in FORMATS.md", () => {
    expect(
      adjustmentsText([
        { groupCode: "CO", reasonCode: "45", amountCents: 1230 },
        { groupCode: "PR", reasonCode: "2", amountCents: 610 },
      ]),
    ).toBe("CO-45:12.30;PR-2:6.10");
    expect(adjustmentsText([{ groupCode: "CO", reasonCode: "45", amountCents: -5 }])).toBe("CO-45:-0.05");
  });
  it("writes PostgreSQL array literals with quoting and NULLs", () => {
    expect(intArrayLiteral([1, null, -3])).toBe("{1,NULL,-3}");
    expect(textArrayLiteral(["a", null, 'say "hi"', "back\\slash", "x,y"])).toBe('{"a",NULL,"say \\"hi\\"","back\\\\slash","x,y"}');
    expect(intList("3,1,2")).toEqual([3, 1, 2]);
    expect(intList(null)).toEqual([]);
  });
  it("buckets weeks from Monday and fills empty weeks", () => {
    expect(weekOf("2026-06-10")).toBe("2026-06-08");
    expect(weekOf("2026-06-08")).toBe("2026-06-08");
    expect(weekOf("2026-06-14")).toBe("2026-06-08");
    expect(weeksBetween("2026-06-10", "2026-06-24")).toEqual(["2026-06-08", "2026-06-15", "2026-06-22"]);
    const { data, series } = pivotWeekly(["2026-06-08", "2026-06-15"], [{ week: "2026-06-15", series: "Acme", value: 1.5 }]);
    expect(series).toEqual([{ key: "s0", name: "Acme" }]);
    expect(data).toEqual([
      { week: "2026-06-08", s0: 0 },
      { week: "2026-06-15", s0: 1.5 },
    ]);
  });
});

describe("the paper EOB schema", () => {
  const eob = (paid: string, amount = paid) => ({
    payerId: "3",
    checkNumber: "1001",
    paymentDate: "2026-06-15",
    amount,
    claims: [
      {
        claimNumber: "C1",
        status: "1",
        payerClaimNumber: "",
        patientName: "",
        memberId: "",
        lines: [
          {
            serviceDate: "2026-05-04",
            cpt: "97110",
            modifiers: "GP;KX",
            units: "2",
            charge: "100.00",
            allowed: "",
            paid,
            remarks: "N640",
            adjustments: [
              { group: "CO", reason: "45", amount: "40" },
              { group: "PR", reason: "2", amount: "12.00" },
            ],
          },
        ],
      },
    ],
  });
  it("accepts a balanced EOB", () => {
    const r = eobSchema.safeParse(eob("48.00"));
    expect(r.success).toBe(true);
    expect(r.data?.claims[0]?.lines[0]).toMatchObject({
      charge: 10000,
      paid: 4800,
      allowed: null,
      modifiers: ["GP", "KX"],
      units: 2,
      remarks: ["N640"],
    });
  });
  it("names the unbalanced line's paid field and the check amount", () => {
    const r = eobSchema.safeParse(eob("50.00", "48.00"));
    expect(r.success).toBe(false);
    const errors = fieldErrorsByPath(r.error!);
    expect(errors["claims.0.lines.0.paid"]?.[0]).toMatch(/charge \$100\.00 minus adjustments \$52\.00 is \$48\.00, but paid is \$50\.00/);
    expect(errors.amount?.[0]).toMatch(/lines paid \$50\.00/);
  });
});

describe("the contract form schema (the contracts.csv rules)", () => {
  const rate = {
    cpt: "97110",
    modifier: "",
    rate_per_unit: "35.00",
    percent_of_medicare: "",
    medicare_year: "",
    locality: "",
    max_units_per_visit: "",
    lesser_of_charge: "true",
  };
  const base = { payerId: "2", effective_from: "2026-01-01", effective_to: "", unit_method: "per_code", multiple_procedure_rule: "none" };
  it("accepts a fee per unit and a percentage of Medicare", () => {
    expect(
      contractSchema.safeParse({
        ...base,
        rates: [rate, { ...rate, cpt: "97140", rate_per_unit: "", percent_of_medicare: "110", medicare_year: "2026", locality: "ny-01" }],
      }).success,
    ).toBe(true);
  });
  it("refuses what contracts.csv refuses, naming the field", () => {
    const errors = (input: unknown) => {
      const r = contractSchema.safeParse(input);
      return r.success ? {} : fieldErrorsByPath(r.error);
    };
    expect(errors({ ...base, rates: [{ ...rate, rate_per_unit: "" }] })["rates.0.rate_per_unit"]?.[0]).toMatch(
      /give either a rate per unit or a percent of Medicare/,
    );
    expect(errors({ ...base, rates: [rate, rate] })["rates.1.cpt"]?.[0]).toMatch(/appears twice/);
    expect(errors({ ...base, effective_to: "2025-12-31", rates: [rate] }).effective_to?.[0]).toMatch(/is before Effective from/);
    expect(errors({ ...base, rates: [{ ...rate, locality: "New York" }] })["rates.0.locality"]?.[0]).toMatch(/STATE-NN/);
    expect(errors({ ...base, rates: [] }).rates?.[0]).toMatch(/at least one code/);
  });
});
