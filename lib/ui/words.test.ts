import { describe, expect, it } from "vitest";
import { countsInWords, nameInOwnCase, roleInWords, sentenceCase } from "./words";

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
    // Medicare locality names as CMS's GPCI file spells them
    expect(nameInOwnCase("SAN JOSE-SUNNYVALE-SANTA CLARA (SANTA CLARA CNTY)")).toBe("San Jose-Sunnyvale-Santa Clara (Santa Clara Cnty)");
    expect(nameInOwnCase("POUGHKEEPSIE/N NYC SUBURBS")).toBe("Poughkeepsie/N NYC Suburbs");
    expect(nameInOwnCase("METROPOLITAN ST. LOUIS")).toBe("Metropolitan St. Louis");
    expect(nameInOwnCase("MEDICARE PART B")).toBe("Medicare Part B");
    expect(nameInOwnCase("AETNA-PPO")).toBe("Aetna-PPO");
    expect(nameInOwnCase("UnitedHealthcare")).toBe("UnitedHealthcare");
    expect(nameInOwnCase("BCBS")).toBe("BCBS");
  });
});

describe("an import's counts in words", () => {
  it("shows money kept in cents as dollars and names each count", () => {
    // 149,998 cents = $1,499.98
    expect(countsInWords({ transactions: 1, claims: 2, serviceLines: 0, paidCents: 149998, matchedClaims: 0 })).toBe(
      "1 payment, 2 claims, 0 service lines, $1,499.98 paid, 0 claims matched to ours",
    );
    expect(countsInWords({ visits: 1200, newThings: 3 })).toBe("1,200 visits, 3 new things");
    expect(countsInWords(null)).toBe("");
  });
});
