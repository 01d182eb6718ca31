import { describe, expect, it } from "vitest";
import { ImportKind, ImportStatus, KxItemStatus } from "@/lib/generated/prisma/enums";
import { KX_ITEM_STATUS_WORDS } from "./kx-queue-words";
import { UPLOAD_ANSWER_STATUS_WORDS } from "./import-summary";
import {
  countsInWords,
  IMPORT_JOB_STATUS_WORDS,
  IMPORT_KIND_WORDS,
  importJobStatusInWords,
  importKindInWords,
  nameInOwnCase,
  roleInWords,
  sentenceCase,
} from "./words";

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

describe("an import's status and kind in words", () => {
  it("has a word for every status and kind the database stores, so no history shows the code", () => {
    expect(Object.values(ImportStatus).filter((status) => !(status in IMPORT_JOB_STATUS_WORDS))).toEqual([]);
    expect(Object.values(ImportKind).filter((kind) => !(kind in IMPORT_KIND_WORDS))).toEqual([]);
    expect(importJobStatusInWords("IMPORTED")).toBe("Imported");
    expect(importJobStatusInWords("DUPLICATE")).toBe("Already imported");
    expect(importJobStatusInWords("REJECTED")).toBe("Refused");
    expect(importKindInWords("REMIT_835")).toBe("835 remit");
    expect(importKindInWords("NCCI_PTP")).toBe("NCCI edits");
    // a code added later without its word is still not shouted
    expect(importJobStatusInWords("HALF_DONE")).toBe("Half done");
  });

  it("keeps the upload's answers apart: their statuses are the answer's, not the stored job's", () => {
    // the answer's statuses (lib/server/imports/run.ts ImportResult.status, and the form's own)
    const answers = ["imported", "duplicate", "rejected", "dry-run", "unconfirmed", "not-imported"];
    expect(Object.keys(UPLOAD_ANSWER_STATUS_WORDS).sort()).toEqual([...answers].sort());
    expect(UPLOAD_ANSWER_STATUS_WORDS["dry-run"]).toBe("checked: nothing written");
    expect(Object.keys(IMPORT_JOB_STATUS_WORDS).some((status) => status in UPLOAD_ANSWER_STATUS_WORDS)).toBe(false);
  });
});

describe("a KX queue item's status in words", () => {
  it("has a word for every status the database stores (the threshold page shows it)", () => {
    expect(Object.values(KxItemStatus).map((status) => KX_ITEM_STATUS_WORDS[status])).toEqual(["Open", "Snoozed", "Resolved"]);
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
