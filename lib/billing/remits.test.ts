import { describe, expect, it } from "vitest";
import {
  billedAndPaidCode,
  claimLinesKey,
  derivedAllowedCents,
  isDuplicateClaimPayment,
  isPrimaryAdjudication,
  netAdjustments,
  netServiceLineRemits,
  type RemitAdjustmentFact,
  type RemitLineFact,
  remitAllowedCentsOf,
  remitWorkOf,
} from "./remits";

const adj = (group: string, reason: string, amountCents: number): RemitAdjustmentFact => ({ group, reason, amountCents });

describe("allowed amount of a remitted line (DOMAIN.md §5)", () => {
  it("is AMT*B6 when sent, else paid + patient share + sequestration", () => {
    // paid 93.59 + PR-2 23.88 + CO-253 1.91 = 119.38 (CO-45 60.62 is the contractual write-off)
    expect(derivedAllowedCents(9359, [adj("CO", "45", 6062), adj("CO", "253", 191), adj("PR", "2", 2388)])).toBe(11938);
    // paid 10.00 + PR-1 deductible 5.00 + PR-3 copay 0.25 = 15.25 (OA-23 is another payer's share)
    expect(derivedAllowedCents(1000, [adj("PR", "1", 500), adj("PR", "3", 25), adj("OA", "23", 70)])).toBe(1525);
    // AMT*B6 wins over what the adjustments say
    expect(remitAllowedCentsOf(7520, 5880, [adj("CO", "45", 4480), adj("PR", "2", 1520)])).toBe(7520);
    expect(remitAllowedCentsOf(null, 5993, [adj("PR", "2", 1507), adj("CO", "253", 122)])).toBe(7622);
  });
  it("is 0 for a denial, whether the payer writes it off (CO-119) or the patient owes it (PR-119 with an ABN)", () => {
    expect(derivedAllowedCents(0, [adj("CO", "119", 5500)])).toBe(0);
    expect(derivedAllowedCents(0, [adj("PR", "119", 5500)])).toBe(0);
    expect(derivedAllowedCents(0, [adj("PR", "204", 5500)])).toBe(0);
  });
});

describe("which payer's adjudication counts", () => {
  it("is the primary payer's: not CLP02 2, 3, 20 or 21, and not another payer of ours", () => {
    expect(isPrimaryAdjudication("1", 7, 7)).toBe(true);
    expect(isPrimaryAdjudication("22", 7, 7)).toBe(true);
    expect(isPrimaryAdjudication("1", null, 7)).toBe(true);
    for (const status of ["2", "3", "20", "21"]) expect(isPrimaryAdjudication(status, 7, 7)).toBe(false);
    expect(isPrimaryAdjudication("1", 8, 7)).toBe(false);
    expect(isPrimaryAdjudication("22", 8, 7)).toBe(false);
  });
});

describe("payer recodes (SVC06)", () => {
  it("matches on the code as billed and says what the payer paid", () => {
    expect(billedAndPaidCode({ code: "97110", modifiers: ["GP"] }, { code: "97530", modifiers: [] })).toEqual({
      code: "97530",
      modifiers: ["GP"],
      paidCode: "97110",
    });
    expect(billedAndPaidCode({ code: "97110", modifiers: ["GP"] }, null)).toEqual({ code: "97110", modifiers: ["GP"], paidCode: null });
    expect(billedAndPaidCode({ code: "97110", modifiers: ["GP"] }, { code: "97110", modifiers: ["GP", "KX"] }).paidCode).toBeNull();
  });
});

describe("duplicate claim payments", () => {
  const lines = [{ cpt: "97110", modifiers: ["GP"], chargeCents: 6000, paidCents: 1902, units: 1 }];
  const base = {
    payerKey: "united",
    paymentId: 1,
    patientControlNumber: "C1",
    statusCode: "1",
    chargeCents: 6000,
    paidCents: 1902,
    linesKey: claimLinesKey(lines),
  };
  it("are the same payer, CLP01, CLP02, charge, paid and lines in another payment", () => {
    expect(isDuplicateClaimPayment({ ...base, paymentId: 2 }, base)).toBe(true);
    expect(isDuplicateClaimPayment(base, base)).toBe(false); // the same payment
    expect(isDuplicateClaimPayment({ ...base, paymentId: 2, paidCents: 1901 }, base)).toBe(false);
    expect(isDuplicateClaimPayment({ ...base, paymentId: 2, payerKey: "aetna" }, base)).toBe(false);
    expect(isDuplicateClaimPayment({ ...base, paymentId: 2, statusCode: "2" }, base)).toBe(false);
    const otherLines = claimLinesKey([{ ...lines[0]!, units: 2 }]);
    expect(isDuplicateClaimPayment({ ...base, paymentId: 2, linesKey: otherLines }, base)).toBe(false);
  });
});

describe("denials that are work (CO-119, CARC 4)", () => {
  it("asks for a rebill unless an ABN (GA) makes the patient liable", () => {
    expect(remitWorkOf({ paidCents: 0, adjustments: [adj("CO", "119", 5500)] }, ["GP"])).toBe("rebill_kx");
    expect(remitWorkOf({ paidCents: 0, adjustments: [adj("CO", "4", 5500)] }, [])).toBe("rebill_modifier");
    expect(remitWorkOf({ paidCents: 0, adjustments: [adj("PR", "119", 5500)] }, ["GP", "GA"])).toBeNull();
    expect(remitWorkOf({ paidCents: 0, adjustments: [adj("CO", "50", 5500)] }, ["GP"])).toBeNull();
    expect(remitWorkOf({ paidCents: 1902, adjustments: [adj("CO", "45", 4098)] }, ["GP"])).toBeNull();
  });
});

describe("netting a service line's remits (DOMAIN.md §5)", () => {
  let next = 1;
  const fact = (
    over: Partial<Omit<RemitLineFact, "claim">> & { payerKey?: string; paymentId?: number; status?: string; pcn?: string },
  ): RemitLineFact => {
    const paid = over.paidCents ?? 5000;
    const charge = over.chargeCents ?? 10000;
    return {
      id: over.id ?? next++,
      claim: {
        payerKey: over.payerKey ?? "united",
        paymentId: over.paymentId ?? 1,
        patientControlNumber: over.pcn ?? "C1",
        statusCode: over.status ?? "1",
        chargeCents: charge,
        paidCents: paid,
        linesKey: `${charge}/${paid}`,
      },
      primary: over.primary ?? true,
      chargeCents: charge,
      paidCents: paid,
      allowedCents: over.allowedCents ?? 6000,
      paidCode: over.paidCode ?? null,
      adjustments: over.adjustments ?? [],
    };
  };
  const context = { expectedAllowedCents: 6500, lineModifiers: ["GP"] };

  it("lets the correction stand after a reversal of its original, with the variance on it alone", () => {
    const original = fact({ id: 1, paidCents: 5000, allowedCents: 6000, adjustments: [adj("CO", "45", 4000), adj("PR", "2", 1000)] });
    const reversal = fact({
      id: 2,
      paymentId: 2,
      status: "22",
      chargeCents: -10000,
      paidCents: -5000,
      allowedCents: -6000,
      adjustments: [adj("CO", "45", -4000), adj("PR", "2", -1000)],
    });
    const correction = fact({
      id: 3,
      paymentId: 2,
      paidCents: 5200,
      allowedCents: 6250,
      adjustments: [adj("PR", "2", 1050), adj("CO", "45", 3750)],
    });
    const r = netServiceLineRemits([original, reversal, correction], context);
    expect([...r.roles]).toEqual([
      [1, "reversed"],
      [2, "reversal"],
      [3, "paid"],
    ]);
    // allowed 60.00 − 60.00 + 62.50 = 62.50; variance 65.00 − 62.50 = 2.50; cash 50.00 − 50.00 + 52.00 = 52.00
    expect(r.remitAllowedCents).toBe(6250);
    expect(r.varianceCents).toBe(250);
    expect(r.standingId).toBe(3);
    expect(r.cashCents).toBe(5200);
    // CO-45 40.00 − 40.00 + 37.50, PR-2 10.00 − 10.00 + 10.50, in the correction's order
    expect(r.adjustments).toEqual([adj("PR", "2", 1050), adj("CO", "45", 3750)]);
  });

  it("keeps a reversal whose original is not on file out of every figure; the correction stands alone", () => {
    const reversal = fact({ id: 1, status: "22", chargeCents: -10000, paidCents: -5000, allowedCents: -6000 });
    const correction = fact({ id: 2, paidCents: 5200, allowedCents: 6250 });
    const r = netServiceLineRemits([reversal, correction], context);
    expect(r.roles.get(1)).toBe("unmatched_reversal");
    // not −60.00 + 62.50 = 2.50: the correction's 62.50 alone
    expect(r.remitAllowedCents).toBe(6250);
    expect(r.varianceCents).toBe(250);
    expect(r.cashCents).toBe(5200);
    // alone, it changes nothing: no primary adjudication at all
    const alone = netServiceLineRemits(
      [fact({ id: 9, status: "22", chargeCents: -10000, paidCents: -5000, allowedCents: -6000 })],
      context,
    );
    expect(alone.remitAllowedCents).toBeNull();
    expect(alone.cashCents).toBe(0);
  });

  it("takes back the payment a reversal mirrors when several stand", () => {
    const a = fact({ id: 1, chargeCents: 10000, paidCents: 6000 });
    const b = fact({ id: 2, paymentId: 2, chargeCents: 8000, paidCents: 5000, allowedCents: 5500 });
    const reversal = fact({ id: 3, paymentId: 3, status: "22", chargeCents: -10000, paidCents: -6000, allowedCents: -6000 });
    const r = netServiceLineRemits([a, b, reversal], context);
    expect(r.roles.get(1)).toBe("reversed");
    expect(r.roles.get(2)).toBe("paid");
    // 60.00 + 55.00 − 60.00 = 55.00
    expect(r.remitAllowedCents).toBe(5500);
  });

  it("counts a secondary payer's cash but never its allowed; its reversal cancels only its own payment", () => {
    const primary = fact({ id: 1, paidCents: 4800, allowedCents: 6000 });
    const secondary = fact({ id: 2, payerKey: "medigap", paymentId: 2, status: "2", primary: false, paidCents: 1200, allowedCents: 1200 });
    const secondaryReversal = fact({
      id: 3,
      payerKey: "medigap",
      paymentId: 3,
      status: "22",
      primary: false,
      chargeCents: -10000,
      paidCents: -1200,
      allowedCents: -1200,
    });
    const r = netServiceLineRemits([primary, secondary, secondaryReversal], context);
    expect([...r.roles.values()]).toEqual(["paid", "secondary", "secondary"]);
    // allowed: the primary's 60.00 alone; variance 65.00 − 60.00 = 5.00; cash 48.00 + 12.00 − 12.00 = 48.00
    expect(r.remitAllowedCents).toBe(6000);
    expect(r.varianceCents).toBe(500);
    expect(r.cashCents).toBe(4800);
    // a secondary payment alone: cash 12.00, nothing confirmed
    const alone = netServiceLineRemits([fact({ id: 4, payerKey: "medigap", status: "2", primary: false, paidCents: 1200 })], context);
    expect(alone.remitAllowedCents).toBeNull();
    expect(alone.cashCents).toBe(1200);
  });

  it("keeps a duplicate payment out of every figure, and a reversal of it changes nothing either", () => {
    const original = fact({ id: 1, paidCents: 5000, allowedCents: 6000 });
    const duplicate = fact({ id: 2, paymentId: 2, paidCents: 5000, allowedCents: 6000 });
    const r = netServiceLineRemits([original, duplicate], context);
    expect(r.roles.get(2)).toBe("duplicate");
    // once: allowed 60.00, cash 50.00
    expect(r.remitAllowedCents).toBe(6000);
    expect(r.cashCents).toBe(5000);
    const recouped = netServiceLineRemits(
      [original, duplicate, fact({ id: 3, paymentId: 3, status: "22", chargeCents: -10000, paidCents: -5000, allowedCents: -6000 })],
      context,
    );
    expect([...recouped.roles.values()]).toEqual(["paid", "duplicate_reversed", "duplicate_reversal"]);
    expect(recouped.remitAllowedCents).toBe(6000);
    expect(recouped.cashCents).toBe(5000);
  });

  it("keeps a CO-119 denial as work until a later payment, and a PR-119 with GA at allowed 0", () => {
    const denial = fact({ id: 1, paidCents: 0, allowedCents: 0, adjustments: [adj("CO", "119", 10000)] });
    const work = netServiceLineRemits([denial], context);
    expect(work.work).toBe("rebill_kx");
    expect(work.remitAllowedCents).toBeNull();
    expect(work.varianceCents).toBeNull();
    const paidLater = netServiceLineRemits(
      [denial, fact({ id: 2, pcn: "C1-R", paymentId: 2, paidCents: 4800, allowedCents: 6000 })],
      context,
    );
    expect(paidLater.work).toBeNull();
    // 0.00 + 60.00
    expect(paidLater.remitAllowedCents).toBe(6000);
    const abn = netServiceLineRemits([fact({ id: 3, paidCents: 0, allowedCents: 0, adjustments: [adj("PR", "119", 10000)] })], {
      ...context,
      lineModifiers: ["GP", "GA"],
    });
    expect(abn.work).toBeNull();
    expect(abn.remitAllowedCents).toBe(0);
  });

  it("reports the code the payer paid on the payment that stands", () => {
    const r = netServiceLineRemits([fact({ id: 1, paidCode: "97110", allowedCents: 5200 })], context);
    expect(r.paidCode).toBe("97110");
    // against the billed code's contract: 65.00 − 52.00 = 13.00
    expect(r.varianceCents).toBe(1300);
  });

  it("nets adjustments per group-CARC, dropping zeros, in the order of the latest remit", () => {
    const first = fact({ id: 1, adjustments: [adj("CO", "45", 4000), adj("PR", "1", 500)] });
    const latest = fact({ id: 2, adjustments: [adj("PR", "2", 1000), adj("CO", "45", -4000), adj("CO", "253", 100)] });
    // CO-45 40.00 − 40.00 = 0 (dropped); PR-2, CO-253 in the latest's order, then PR-1
    expect(netAdjustments([first, latest], latest)).toEqual([adj("PR", "2", 1000), adj("CO", "253", 100), adj("PR", "1", 500)]);
  });
});
