import { describe, expect, it } from "vitest";
import { nameInOwnCase, roleInWords, sentenceCase } from "./words";

describe("the users' words for stored codes", () => {
  it("names each role in words", () => {
    expect(roleInWords("ADMIN")).toBe("Administrator");
    expect(roleInWords("BILLER")).toBe("Biller");
    expect(roleInWords("SUPERVISOR")).toBe("Supervisor");
  });

  it("turns a code into sentence case", () => {
    expect(sentenceCase("REMIT_835")).toBe("Remit 835");
    expect(sentenceCase("needs_review")).toBe("Needs review");
  });

  it("shows payer names that arrived in capitals in their own case, and leaves mixed case alone", () => {
    expect(nameInOwnCase("UNITEDHEALTHCARE")).toBe("Unitedhealthcare");
    expect(nameInOwnCase("BLUE CROSS OF NY")).toBe("Blue Cross of NY");
    expect(nameInOwnCase("MEDICARE PART B")).toBe("Medicare Part B");
    expect(nameInOwnCase("AETNA-PPO")).toBe("Aetna-PPO");
    expect(nameInOwnCase("UnitedHealthcare")).toBe("UnitedHealthcare");
    expect(nameInOwnCase("BCBS")).toBe("BCBS");
  });
});
