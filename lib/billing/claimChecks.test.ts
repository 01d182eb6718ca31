import { describe, expect, it } from "vitest";
import {
  credentialWithArticle,
  type ClaimCheckLine,
  checkAssistantModifiers,
  checkClaim,
  checkDisciplineModifiers,
  checkKxModifiers,
  checkMueCaps,
  checkNcciPairs,
  checkTelehealth,
  checkUnits,
  DEFAULT_NCCI_PAIRS,
} from "./claimChecks";

const line = (cpt: string, modifiers: string[], terms: Partial<ClaimCheckLine> = {}): ClaimCheckLine => ({
  cpt,
  modifiers,
  minutes: 15,
  unitsBilled: 1,
  placeOfService: "11",
  therapistCredential: "PT",
  ...terms,
});
const codes = (issues: { code: string }[]) => issues.map((issue) => issue.code);

describe("discipline modifiers GP/GO/GN", () => {
  it("flags a missing modifier and says which to add", () => {
    const issues = checkDisciplineModifiers([line("97110", [])]);
    expect(codes(issues)).toEqual(["missing_discipline_modifier"]);
    expect(issues[0]?.message).toMatch(/Add GP/);
  });
  it("flags a modifier that does not match the credential", () => {
    const issues = checkDisciplineModifiers([line("97110", ["GO"], { therapistCredential: "PTA" })]);
    expect(codes(issues)).toEqual(["wrong_discipline_modifier"]);
    expect(issues[0]?.message).toMatch(/Replace GO with GP/);
    expect(codes(checkDisciplineModifiers([line("97110", ["GP", "GO"])]))).toEqual(["wrong_discipline_modifier"]);
  });
  it("passes matching modifiers for every credential", () => {
    expect(
      checkDisciplineModifiers([
        line("97110", ["GP"]),
        line("97110", ["GP", "CQ"], { therapistCredential: "PTA" }),
        line("97535", ["GO"], { therapistCredential: "OT" }),
        line("97535", ["GO", "CO"], { therapistCredential: "OTA" }),
        line("92507", ["GN"], { therapistCredential: "SLP", minutes: null }),
      ]),
    ).toEqual([]);
  });
});

describe("the clinician's credential in a message", () => {
  it("reads as a biller says it: a PT, a PTA, an OT, an OTA, an SLP", () => {
    expect((["PT", "PTA", "OT", "OTA", "SLP"] as const).map(credentialWithArticle)).toEqual(["a PT", "a PTA", "an OT", "an OTA", "an SLP"]);
    const wrongModifier = checkDisciplineModifiers([line("97530", ["GP"], { therapistCredential: "OT" })]);
    expect(wrongModifier[0]?.message).toContain("was furnished by an OT;");
    const missingModifier = checkDisciplineModifiers([line("92507", [], { therapistCredential: "SLP", minutes: null })]);
    expect(missingModifier[0]?.message).toContain("furnished by an SLP.");
    const assistant = checkAssistantModifiers([line("97530", ["GO", "CQ"], { therapistCredential: "OTA" })]);
    expect(assistant[0]?.message).toContain("the assistant modifier for an OTA is CO");
    const notAssistant = checkAssistantModifiers([line("92507", ["GN", "CO"], { therapistCredential: "SLP", minutes: null })]);
    expect(notAssistant[0]?.message).toContain("the clinician is an SLP, not an assistant");
    const pta = checkAssistantModifiers([line("97110", ["GP"], { therapistCredential: "PTA" })]);
    expect(pta[0]?.message).toContain("was furnished by a PTA but has no CQ");
  });
});

describe("assistant modifiers CQ/CO", () => {
  it("flags a PTA line without CQ", () => {
    const issues = checkAssistantModifiers([line("97110", ["GP"], { therapistCredential: "PTA" })]);
    expect(codes(issues)).toEqual(["missing_assistant_modifier"]);
    expect(issues[0]?.message).toMatch(/Add CQ/);
  });
  it("flags CO on a PTA line", () => {
    expect(codes(checkAssistantModifiers([line("97110", ["GP", "CO"], { therapistCredential: "PTA" })]))).toEqual([
      "wrong_assistant_modifier",
    ]);
  });
  it("warns about CQ on a therapist's line", () => {
    const issues = checkAssistantModifiers([line("97110", ["GP", "CQ"])]);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["assistant_modifier_without_assistant", "warning"]]);
  });
  it("passes CQ on a PTA, CO on an OTA, none on a therapist", () => {
    expect(
      checkAssistantModifiers([
        line("97110", ["GP", "CQ"], { therapistCredential: "PTA" }),
        line("97530", ["GO", "CO"], { therapistCredential: "OTA" }),
        line("97530", ["GO"], { therapistCredential: "OT" }),
      ]),
    ).toEqual([]);
  });
});

describe("KX", () => {
  it("flags a line from the crossing line on without KX or GA", () => {
    const issues = checkKxModifiers([line("97110", ["GP"]), line("97140", ["GP"])], [false, true]);
    expect(issues.map((i) => [i.code, i.lineIndex])).toEqual([["missing_kx", 1]]);
    expect(issues[0]?.message).toMatch(/CO-119/);
  });
  it("passes KX, or GA with an ABN, where needed, and lines before the crossing", () => {
    expect(
      checkKxModifiers([line("97110", ["GP"]), line("97140", ["GP", "KX"]), line("97112", ["GP", "GA"])], [false, true, true]),
    ).toEqual([]);
  });
  it("flags KX together with GA", () => {
    expect(codes(checkKxModifiers([line("97110", ["GP", "KX", "GA"])], [true]))).toEqual(["kx_with_ga"]);
  });
});

describe("NCCI pairs", () => {
  it("seeds the pairs named in DOMAIN.md", () => {
    const has = (a: string, b: string) => DEFAULT_NCCI_PAIRS.some((p) => p.column1 === a && p.column2 === b);
    expect(has("97161", "97140") && has("97162", "97140") && has("97163", "97140")).toBe(true);
    expect(has("97164", "97530") && has("97164", "97150")).toBe(true);
    expect(has("97150", "97110") && has("97150", "97530")).toBe(true);
  });
  it("flags an evaluation billed with 97140 without 59/X", () => {
    const issues = checkNcciPairs([line("97161", ["GP"], { minutes: null }), line("97140", ["GP"])]);
    expect(issues.map((i) => [i.code, i.lineIndex, i.relatedLineIndex])).toEqual([["ncci_pair_without_modifier", 1, 0]]);
    expect(issues[0]?.message).toMatch(/add 59/);
  });
  it.each(["59", "XU", "XS", "XE", "XP"])("passes the pair with %s", (modifier) => {
    expect(checkNcciPairs([line("97161", ["GP"], { minutes: null }), line("97140", ["GP", modifier])])).toEqual([]);
  });
  it("flags group 97150 with a one-on-one code and re-evaluation with 97530; uses a given table", () => {
    expect(codes(checkNcciPairs([line("97150", ["GP"], { minutes: null }), line("97110", ["GP"])]))).toEqual([
      "ncci_pair_without_modifier",
    ]);
    expect(codes(checkNcciPairs([line("97164", ["GP"], { minutes: null }), line("97530", ["GP"])]))).toEqual([
      "ncci_pair_without_modifier",
    ]);
    expect(checkNcciPairs([line("97161", ["GP"], { minutes: null }), line("97140", ["GP"])], [])).toEqual([]);
  });
  it("passes codes that are not a pair", () => {
    expect(checkNcciPairs([line("97110", ["GP"]), line("97140", ["GP"])])).toEqual([]);
  });
});

describe("MUE caps (practitioner MUE table)", () => {
  const caps = [
    { cpt: "97530", units: 6, adjudicationIndicator: "3" },
    { cpt: "97035", units: 2, adjudicationIndicator: "1" },
  ];
  it("MAI 2/3: the code's units on the claim together against the day's cap", () => {
    // 4 + 3 = 7 units of 97530 on one date of service, cap 6
    const issues = checkMueCaps([line("97530", ["GP"], { unitsBilled: 4 }), line("97530", ["GP"], { unitsBilled: 3 })], caps);
    expect(issues.map((i) => [i.code, i.lineIndex, i.message.split(". ")[0]])).toEqual([
      ["units_over_mue", 0, "97530: 7 units billed, MUE 6"],
    ]);
    expect(checkMueCaps([line("97530", ["GP"], { unitsBilled: 6 })], caps)).toEqual([]);
  });
  it("MAI 1: each claim line against the cap", () => {
    const lines = [line("97035", ["GP"], { unitsBilled: 2 }), line("97035", ["GP"], { unitsBilled: 3 })];
    expect(checkMueCaps(lines, caps).map((i) => i.lineIndex)).toEqual([1]);
  });
  it("an NCCI pair with modifier indicator 0 is flagged even with 59", () => {
    const lines = [line("97161", ["GP"], { minutes: null }), line("97140", ["GP", "59"])];
    expect(checkNcciPairs(lines, [{ column1: "97161", column2: "97140", modifierIndicator: "1" }])).toEqual([]);
    expect(codes(checkNcciPairs(lines, [{ column1: "97161", column2: "97140", modifierIndicator: "0" }]))).toEqual([
      "ncci_pair_without_modifier",
    ]);
  });
});

describe("units", () => {
  it("flags units over what the minutes support, by the payer's method", () => {
    const lines = [line("97110", ["GP"], { minutes: 33, unitsBilled: 2 }), line("97140", ["GP"], { minutes: 7, unitsBilled: 1 })];
    expect(checkUnits(lines, "cms")).toEqual([]);
    const perCode = checkUnits(lines, "per_code");
    expect(perCode.map((i) => [i.code, i.lineIndex])).toEqual([["units_over", 1]]);
    expect(perCode[0]?.message).toMatch(/Bill 0 unit/);
  });
  it("warns about units under what the minutes support", () => {
    const issues = checkUnits([line("97112", ["GP"], { minutes: 38, unitsBilled: 2 })], "cms");
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["units_under", "warning"]]);
  });
  it("flags units over the payer's cap", () => {
    const issues = checkUnits([line("97530", ["GP"], { minutes: 75, unitsBilled: 5 })], "per_code", { "97530": 4 });
    expect(codes(issues)).toEqual(["units_over_cap"]);
    expect(issues[0]?.message).toMatch(/at most 4/);
    expect(checkUnits([line("97530", ["GP"], { minutes: 75, unitsBilled: 4 })], "per_code", { "97530": 4 })).toEqual([]);
  });
});

describe("telehealth", () => {
  it("flags POS 02/10 or modifier 95 where the payer does not allow telehealth", () => {
    expect(codes(checkTelehealth([line("97110", ["GP"], { placeOfService: "02" })], false))).toEqual(["telehealth_not_allowed"]);
    expect(codes(checkTelehealth([line("97110", ["GP"], { placeOfService: "10" })], false))).toEqual(["telehealth_not_allowed"]);
    expect(codes(checkTelehealth([line("97110", ["GP", "95"])], false))).toEqual(["telehealth_not_allowed"]);
  });
  it("passes in-person lines, and telehealth where allowed", () => {
    expect(checkTelehealth([line("97110", ["GP"])], false)).toEqual([]);
    expect(checkTelehealth([line("97110", ["GP", "95"], { placeOfService: "10" })], true)).toEqual([]);
  });
});

describe("checkClaim", () => {
  it("runs every check and orders issues by line", () => {
    const issues = checkClaim({
      lines: [
        line("97161", ["GP"], { minutes: null }),
        line("97140", [], { therapistCredential: "PTA", minutes: 20, unitsBilled: 2, placeOfService: "02" }),
      ],
      unitMethod: "cms",
      needsKx: [false, true],
      payerAllowsTelehealth: false,
    });
    expect(issues.every((i, k) => k === 0 || (issues[k - 1]?.lineIndex ?? 0) <= i.lineIndex)).toBe(true);
    expect(new Set(codes(issues))).toEqual(
      new Set([
        "missing_discipline_modifier",
        "missing_assistant_modifier",
        "missing_kx",
        "ncci_pair_without_modifier",
        "units_over",
        "telehealth_not_allowed",
      ]),
    );
  });
  it("a clean claim has no issues", () => {
    expect(
      checkClaim({
        lines: [line("97110", ["GP"], { minutes: 24, unitsBilled: 2 }), line("97530", ["GP"], { minutes: 23, unitsBilled: 1 })],
        unitMethod: "cms",
        payerAllowsTelehealth: false,
      }),
    ).toEqual([]);
  });
});
