import { describe, expect, it } from "vitest";
import { importCountsInWords, remitImportInWords } from "./import-summary";

describe("an import's summary in words", () => {
  it("says an 835's dollars and whose claims they are", () => {
    // a file of 2 claims paying 1,499.98 in all (Σ CLP04 = 149998 cents), none of them ours
    expect(remitImportInWords({ claims: 2, serviceLines: 0, paidCents: 149998, matchedClaims: 0 })).toBe(
      "$1,499.98 paid on 2 claims; 2 claims are not ours: check the payee",
    );
    // the example practice's Medicare file: 40 claims, $2,106.01, all matched
    expect(remitImportInWords({ claims: 40, serviceLines: 80, paidCents: 210601, matchedClaims: 40 })).toBe(
      "$2,106.01 paid on 40 claims, all matched to ours",
    );
    // 3 of 4 matched: one waits in the unmatched remits
    expect(remitImportInWords({ claims: 4, paidCents: 10000, matchedClaims: 3 })).toBe(
      "$100.00 paid on 4 claims; 1 claim is not matched to ours: they wait in the unmatched remits",
    );
    expect(remitImportInWords({ claims: 1, paidCents: 5, matchedClaims: 0 })).toBe(
      "$0.05 paid on 1 claim; 1 claim is not ours: check the payee",
    );
  });
  it("names a CSV import's counts in words, never a field name", () => {
    expect(importCountsInWords({ rows: 12, patients: 3 })).toBe("12 rows · 3 patients");
    expect(importCountsInWords({ rows: 1, payersCreated: 2, visitsRepriced: 1 })).toBe("1 row · 2 payers created · 1 visit re-priced");
    expect(importCountsInWords({ somethingNew: 4 })).toBe("something new: 4");
    expect(importCountsInWords({ transactions: 1, claims: 2, serviceLines: 0, paidCents: 149998, matchedClaims: 0 })).toBe(
      "$1,499.98 paid on 2 claims; 2 claims are not ours: check the payee",
    );
  });
});
