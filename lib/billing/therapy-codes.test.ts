import { describe, expect, it } from "vitest";
import { checkClaim, type ClaimCheckLine } from "./claimChecks";
import { buildFeeSchedule, medicareUnitPrice } from "./medicare";
import { defaultTherapyCodeList, loadedTherapyCodeList, therapyPoolOfLine, therapyStatusOf } from "./therapy-codes";

const line = (cpt: string, modifiers: string[]): ClaimCheckLine => ({
  cpt,
  modifiers,
  minutes: null,
  unitsBilled: 1,
  placeOfService: "11",
  therapistCredential: "PT",
});

describe("the therapy code list", () => {
  it("ships a default of the built-in codes, the SLP 925xx codes and the fee schedule's MULT PROC 5 codes", () => {
    const list = defaultTherapyCodeList(["97799"]);
    expect(list.source).toBe("default");
    expect(["97110", "97161", "92507", "92526", "92597", "97799"].map((c) => therapyStatusOf(list, c))).toEqual([
      "always",
      "always",
      "always",
      "always",
      "always",
      "always",
    ]);
    expect(therapyStatusOf(list, "97597")).toBe("sometimes");
    expect(therapyStatusOf(list, "99213")).toBeNull();
  });

  it("puts a line in a KX pool only when its code is on the list", () => {
    const list = loadedTherapyCodeList([{ cpt: "97550", status: "sometimes" }]);
    expect(therapyPoolOfLine(list, "97550", ["GP"])).toBe("PT_SLP");
    expect(therapyPoolOfLine(list, "97550", ["GO"])).toBe("OT");
    // 97110 is off this list: not therapy, whatever its modifier
    expect(therapyPoolOfLine(list, "97110", ["GP"])).toBeNull();
  });

  it("asks for GP/GO/GN on the list's codes only", () => {
    const list = loadedTherapyCodeList([{ cpt: "97550", status: "sometimes" }]);
    const issues = checkClaim({
      lines: [line("97550", []), line("97110", [])],
      unitMethod: "cms",
      payerAllowsTelehealth: false,
      therapyCodes: list,
    });
    expect(issues.filter((i) => i.code === "missing_discipline_modifier").map((i) => i.lineIndex)).toEqual([0]);
    // the shipped default: 97110 needs one, 97550 (not on it) does not
    const byDefault = checkClaim({ lines: [line("97550", []), line("97110", [])], unitMethod: "cms", payerAllowsTelehealth: false });
    expect(byDefault.filter((i) => i.code === "missing_discipline_modifier").map((i) => i.lineIndex)).toEqual([1]);
    // a sometimes-therapy code furnished by someone who is not a known therapist is not flagged
    const unknown = { ...line("97550", []), therapistCredential: null };
    expect(checkClaim({ lines: [unknown], unitMethod: "cms", payerAllowsTelehealth: false, therapyCodes: list })).toEqual([]);
  });

  it("gives the therapy MPPR to a MULT PROC 5 code on the list only", () => {
    const feeSchedule = buildFeeSchedule([
      {
        year: 2026,
        hcpcs: "97110",
        status: "A",
        workRvu: "0.45",
        nonFacilityPeRvu: "0.41",
        mpRvu: "0.01",
        multProcIndicator: "5",
        conversionFactor: "33.4009",
      },
    ]);
    const gpci = { year: 2026, locality: "CO-01", workGpci: "1", peGpci: "1", mpGpci: "1" };
    const price = (therapyCodes?: ReturnType<typeof loadedTherapyCodeList>) =>
      medicareUnitPrice({ hcpcs: "97110", year: 2026, locality: "CO-01", feeSchedule, gpci, therapyCodes });
    const mppr = (r: ReturnType<typeof price>) => (r.kind === "priced" ? r.price.mppr : null);
    expect(mppr(price())).toBe(true);
    expect(mppr(price(loadedTherapyCodeList([{ cpt: "97110", status: "always" }])))).toBe(true);
    expect(mppr(price(loadedTherapyCodeList([{ cpt: "97530", status: "always" }])))).toBe(false);
  });
});
