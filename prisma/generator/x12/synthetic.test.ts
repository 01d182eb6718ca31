import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generate835, generate835Chunks, randomRemitClaims, type SyntheticClaim } from "./synthetic";
import { parse835, parse835Text } from "@/lib/x12/read835";
import { streamOf } from "./chunks";

describe("generate835 → parse835 round trip", () => {
  it("random files read back with the generator's totals and no issues", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 25 }),
        (seed, claimCount, claimsPerTransaction) => {
          const { text, totals } = generate835({ seed, claimCount, claimsPerTransaction });
          const result = parse835Text(text);
          expect(result.errors).toEqual([]);
          expect(result.warnings).toEqual([]);
          expect(result.counts).toEqual({
            transactions: totals.transactions,
            claims: totals.claims,
            serviceLines: totals.serviceLines,
            paidCents: totals.paidCents,
          });
          const plb = result.transactions.reduce((s, t) => s + t.totals.providerAdjustmentCents, 0);
          expect(plb).toBe(totals.providerAdjustmentCents);
          expect(totals.bytes).toBe(text.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is deterministic for a seed", () => {
    expect(generate835({ seed: 5, claimCount: 30 }).text).toBe(generate835({ seed: 5, claimCount: 30 }).text);
    expect(randomRemitClaims(9, 10)).toEqual(randomRemitClaims(9, 10));
  });

  it("writes reversals (negative amounts) each followed by its correction of the same claim", () => {
    const { text } = generate835({ seed: 3, claimCount: 400 });
    const claims = parse835Text(text).transactions.flatMap((t) => t.claims);
    const reversals = claims.filter((c) => c.isReversal);
    expect(reversals.length).toBeGreaterThan(0);
    claims.forEach((c, i) => {
      if (!c.isReversal) return;
      expect(c.chargeCents).toBeLessThan(0);
      const next = claims[i + 1];
      expect(next?.isReversal).toBe(false);
      expect(next?.patientControlNumber).toBe(c.patientControlNumber);
    });
  });

  it("writes given claims exactly", () => {
    const claims: SyntheticClaim[] = [
      {
        patientControlNumber: "CLM00469",
        payerClaimControlNumber: "EXCLM00469",
        patient: { lastName: "EXAMPLE6", firstName: "TEST6", memberId: "M100006" },
        serviceLines: [
          {
            procedureCode: "97110",
            modifiers: ["GP", "CQ"],
            chargeCents: 7000,
            paidCents: 2191,
            serviceDate: "2026-01-24",
            adjustments: [
              { group: "CO", reason: "45", amountCents: 4261 },
              { group: "PR", reason: "2", amountCents: 548 },
            ],
            allowedCents: 2739,
          },
          {
            procedureCode: "97530",
            modifiers: ["GP"],
            units: 2,
            chargeCents: 12000,
            paidCents: 0,
            serviceDate: "2026-01-24",
            adjustments: [{ group: "CO", reason: "119", amountCents: 12000 }],
            remarkCodes: ["N640"],
          },
        ],
      },
    ];
    const { text } = generate835({
      claims,
      payerName: "UNITED EXAMPLE",
      providerAdjustments: [{ reasonCode: "WO", reference: "X1", amountCents: 100 }],
    });
    const result = parse835Text(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const t = result.transactions[0];
    expect(t.payer?.name).toBe("UNITED EXAMPLE");
    expect(t.totalPaymentCents).toBe(2091);
    const claim = t.claims[0];
    expect(claim).toMatchObject({
      patientControlNumber: "CLM00469",
      chargeCents: 19000,
      paidCents: 2191,
      patientResponsibilityCents: 548,
      patient: { lastName: "EXAMPLE6", firstName: "TEST6", id: "M100006" },
    });
    expect(
      claim.serviceLines.map((l) => [l.procedure.code, l.procedure.modifiers, l.units, l.reportedAllowedCents, l.remarkCodes]),
    ).toEqual([
      ["97110", ["GP", "CQ"], 1, 2739, []],
      ["97530", ["GP"], 2, null, ["N640"]], // written without AMT*B6
    ]);
  });

  it("streams a large file in chunks that read back like the whole", async () => {
    const chunks: string[] = [];
    const it = generate835Chunks({ seed: 11, targetBytes: 300_000 });
    let next = it.next();
    while (!next.done) {
      chunks.push(next.value);
      next = it.next();
    }
    const totals = next.value;
    expect(totals.bytes).toBeGreaterThanOrEqual(300_000);
    const result = await parse835(streamOf(chunks));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.counts.paidCents).toBe(totals.paidCents);
    expect(result.counts.claims).toBe(totals.claims);
    expect(result.counts.transactions).toBeGreaterThan(1);
  });

  it("stops at a number of service lines when asked", () => {
    const { totals } = generate835({ seed: 4, targetServiceLines: 5_000 });
    expect(totals.serviceLines).toBeGreaterThanOrEqual(5_000);
    // whole transactions of 500 claims: at most one transaction's lines past the target
    expect(totals.serviceLines).toBeLessThan(5_000 + 500 * 5);
    expect(totals.claims).toBeGreaterThan(1_000);
  });

  it.each([
    [{ element: "|", component: "^", segment: "~" }],
    [{ element: "*", component: ">", segment: "\n" }],
    [{ element: "*", component: ":", segment: "~", lineBreaks: false }],
  ])("writes other delimiters: %j", (delimiters) => {
    const { text, totals } = generate835({ seed: 2, claimCount: 20, delimiters });
    const result = parse835Text(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.counts.paidCents).toBe(totals.paidCents);
  });
});
