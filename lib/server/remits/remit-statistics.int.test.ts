// An 835 refreshes the remit tables' statistics inside its own transaction (CopyRemitWriter):
// - a large file as its lines pass 16,000, then ×4, the payments' too. Planned from the payments'
//   statistics as they were before the file, confirming a batch's reversed lines joined their
//   remit lines to the payments in payment order, walking every remit claim of the practice for a
//   few hundred lines (130 ms a batch of a practice's own million-line 835, docs/performance.md);
// - a smaller file at its end when it at least doubled the practice's remit lines: statistics that
//   have never seen a practice put it at about one row of each table, and its statements were
//   planned as nested loops over its whole index ranges (docs/testing.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim } from "@/prisma/generator/x12";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, plannedRowsOfPractice, rowsAndEstimate, type TestPractice } from "../testing";
import { import835 } from "./import";
import { LINES_PER_BATCH } from "./writer";

const line = (serviceDate: string) => ({
  procedureCode: "97110",
  modifiers: ["GP"],
  serviceDate,
  units: 2,
  chargeCents: 10000,
  paidCents: 4000,
  allowedCents: 5000,
  adjustments: [
    { group: "CO", reason: "45", amountCents: 5000 },
    { group: "PR", reason: "2", amountCents: 1000 },
  ],
});

describe("statistics of the remit tables after an 835", () => {
  let t: TestPractice;
  let first: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("remit-statistics");
    first = await createTestPractice("remit-statistics-first");
  }, 60_000);
  afterAll(() => disconnectDb());

  it("are refreshed inside the import once its lines pass the first mark, counting its own payments", async () => {
    // 8,500 claims of two lines each (17,000 lines), ten claims to a payment: 850 payments
    const claims: SyntheticClaim[] = Array.from({ length: 8500 }, (_, i) => ({
      patientControlNumber: `STAT-${i}`,
      payerClaimControlNumber: `ICN-STAT-${i}`,
      serviceLines: [line("2026-03-02"), line("2026-03-09")],
    }));
    const { text, totals } = generate835({ claims, claimsPerTransaction: 10, payerName: "ACME HEALTH" });
    expect(totals.transactions).toBe(850);
    const before = await rowsAndEstimate("RemitPayment");
    const r = await asPractice(t, () =>
      import835({ practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "statistics.835", content: Buffer.from(text) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    const after = await rowsAndEstimate("RemitPayment");
    // A batch closes at LINES_PER_BATCH (8,000) lines: 4,000 claims, 400 payments. The second
    // batch brings the lines written to 16,000, the first mark, and the tables are analyzed
    // there, inside the import's transaction: 2 × 400 = 800 of its payments counted as live rows
    // besides those committed before (ANALYZE of a table this small reads every row), less any
    // another test file deleted meanwhile (a few: 100 are allowed for). Without the payments in
    // that refresh, the estimate stays the last analyze's, taken before the file.
    expect(LINES_PER_BATCH).toBe(8000);
    expect(after.reltuples).toBeGreaterThanOrEqual(before.committed + 800 - 100);
  }, 180_000);

  it("after a practice's first small file know the practice's size: its claims and lines planned within a factor of two of the counts", async () => {
    // 600 claims of two lines each: 1,200 lines, below the first mark (16,000)
    const claims: SyntheticClaim[] = Array.from({ length: 600 }, (_, i) => ({
      patientControlNumber: `FIRST-${i}`,
      payerClaimControlNumber: `ICN-FIRST-${i}`,
      serviceLines: [line("2026-04-06"), line("2026-04-13")],
    }));
    const { text } = generate835({ claims, claimsPerTransaction: 100, payerName: "ACME HEALTH" });
    const r = await asPractice(first, () =>
      import835({ practiceId: first.practiceId, userId: first.users.MANAGER, fileName: "first.835", content: Buffer.from(text) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    for (const [table, count] of [
      ["RemitClaim", 600],
      ["RemitLine", 1200],
    ] as const) {
      const [{ n }] = await db().$queryRawUnsafe<{ n: number }[]>(
        `select count(*)::int as n from "${table}" where "practiceId" = ${first.practiceId}`,
      );
      expect(n).toBe(count);
      const planned = await plannedRowsOfPractice(table, first.practiceId);
      // unseen, the practice would be planned at a row or a few (1 against hundreds)
      expect(planned, `${table}: ${planned} planned, ${n} there`).toBeGreaterThanOrEqual(n / 2);
      expect(planned, `${table}: ${planned} planned, ${n} there`).toBeLessThanOrEqual(n * 2);
    }
  }, 120_000);
});
