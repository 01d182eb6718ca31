import { describe, expect, it } from "vitest";
import { parse835, parse835Text, read835 } from "./read835";
import { streamOf } from "@/prisma/generator/x12/chunks";
import { header, interchange } from "@/prisma/generator/x12/hand-written";
import type { Remit835Event } from "./types";

const patient = "NM1*QC*1*DOE*JANE*Q***MI*M100001";

describe("the 835 model", () => {
  const text = interchange([
    header("118.73", ["REF*TJ*123456789"]).concat([
      "LX*1",
      "CLP*CLM001*1*245*118.73*30.27*MB*ICN0001*11*1",
      patient,
      "NM1*IL*1*DOE*JOHN****MI*M100000",
      "NM1*82*1*SMITH*PAT****XX*1234567893",
      "DTM*232*20260105",
      "DTM*233*20260106",
      "AMT*AU*151.35",
      "SVC*HC:97110:GP:KX:59:XU:99*120*58.80**2*HC:97112",
      "DTM*472*20260105",
      "CAS*CO*45*44.80**253*1.20",
      "CAS*PR*2*15.20",
      "REF*6R*LINE-1",
      "AMT*B6*75.20",
      "LQ*HE*N640",
      "LQ*HE*M80",
      "SVC*HC:97140:GP*125*59.93",
      "DTM*150*20260105",
      "DTM*151*20260106",
      "CAS*CO*45*48.78**253*1.22",
      "CAS*PR*2*15.07",
    ]),
  ]);
  const result = parse835Text(text);
  const t = result.transactions[0];
  const claim = t.claims[0];

  it("reads it without issues", () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.counts).toEqual({ transactions: 1, claims: 1, serviceLines: 2, paidCents: 11873 });
  });

  it("reads the header", () => {
    expect(t).toMatchObject({
      segment: 3,
      controlNumber: "0001",
      implementation: "005010X221A1",
      interchangeControlNumber: "000000001",
      groupControlNumber: "7",
      senderId: "PAYERSENDER",
      receiverId: "PRACTICERECV",
      handlingCode: "I",
      totalPaymentCents: 11873,
      creditDebit: "C",
      paymentMethod: "ACH",
      paymentDate: "2026-01-15",
      traceNumber: "EFT12345",
      originatorId: "1999999999",
      productionDate: "2026-01-14",
      payer: { name: "EXAMPLE PAYER", idQualifier: null, id: null, payerId: "PAYER01" },
      payee: {
        name: "EXAMPLE PRACTICE",
        idQualifier: "XX",
        id: "1999999998",
        npi: "1999999998",
        taxId: "123456789",
      },
      complete: true,
      totals: { claims: 1, serviceLines: 2, paidCents: 11873, providerAdjustmentCents: 0 },
    });
  });

  it("reads the claim", () => {
    expect(claim).toMatchObject({
      headerNumber: "1",
      patientControlNumber: "CLM001",
      status: "1",
      isReversal: false,
      chargeCents: 24500,
      paidCents: 11873,
      patientResponsibilityCents: 3027,
      filingIndicator: "MB",
      payerClaimControlNumber: "ICN0001",
      facilityCode: "11",
      frequencyCode: "1",
      adjustments: [],
      patient: { lastName: "DOE", firstName: "JANE", middleName: "Q", idQualifier: "MI", id: "M100001" },
      insured: { lastName: "DOE", firstName: "JOHN", id: "M100000" },
      renderingProvider: { lastName: "SMITH", idQualifier: "XX", id: "1234567893" },
      statementFrom: "2026-01-05",
      statementTo: "2026-01-06",
      amounts: { AU: 15135 },
    });
  });

  it("reads service lines, their dates, adjustments, remarks and allowed", () => {
    const [first, second] = claim.serviceLines;
    expect(first).toMatchObject({
      procedure: { qualifier: "HC", code: "97110", modifiers: ["GP", "KX", "59", "XU"] },
      originalProcedure: { qualifier: "HC", code: "97112", modifiers: [] },
      chargeCents: 12000,
      paidCents: 5880,
      units: 2,
      serviceDate: "2026-01-05",
      serviceDateEnd: "2026-01-05",
      lineItemControlNumber: "LINE-1",
      reportedAllowedCents: 7520,
      remarkCodes: ["N640", "M80"],
    });
    expect(first.adjustments.map((a) => [a.group, a.reason, a.amountCents])).toEqual([
      ["CO", "45", 4480],
      ["CO", "253", 120],
      ["PR", "2", 1520],
    ]);
    // No AMT*B6: the reader reports none (lib/billing rebuilds allowed from the payment).
    expect(second).toMatchObject({
      units: 1,
      serviceDate: "2026-01-05",
      serviceDateEnd: "2026-01-06",
      reportedAllowedCents: null,
    });
  });
});

describe("lines with many adjustments", () => {
  // 18 CAS triplets on one line (three CAS segments of six), and a claim-level CAS.
  const triplets = Array.from(
    { length: 18 },
    (_, n) => `${n % 3 === 0 ? "253" : String(n + 1)}*0.${String(n + 10)}*${n % 4 === 0 ? "" : String(n)}`,
  );
  const cas = (group: string, from: number) => `CAS*${group}*${triplets.slice(from, from + 6).join("*")}`;
  const lineAdjusted = triplets.reduce((sum, t) => sum + Number(t.split("*")[1].slice(2)), 0);
  const paid = 10_000 - lineAdjusted;
  const text = interchange([
    header(`${(paid / 100).toFixed(2)}`).concat([
      "LX*1",
      `CLP*CLM009*1*105.00*${(paid / 100).toFixed(2)}**MB*ICN0009`,
      patient,
      "CAS*OA*23*5.00*2",
      "SVC*HC:97110:GP*100.00*" + (paid / 100).toFixed(2) + "**4",
      "DTM*472*20260105",
      cas("CO", 0),
      cas("PR", 6),
      cas("OA", 12),
      // Enough text that bytes are read as bytes (short inputs are gathered as text first).
      ...Array.from({ length: 120 }, () => "QTY*ZK*12345678901234567890123456789012345678901234567890"),
    ]),
  ]);

  it("keeps every adjustment in order, with its quantity, from text and from bytes alike", async () => {
    const fromText = parse835Text(text);
    expect(fromText.errors).toEqual([]);
    const claim = fromText.transactions[0].claims[0];
    expect(claim.adjustments).toEqual([{ group: "OA", reason: "23", amountCents: 500, quantity: 2, segment: 13 }]);
    const line = claim.serviceLines[0];
    expect(line.units).toBe(4);
    expect(line.adjustments).toHaveLength(18);
    line.adjustments.forEach((a, n) => {
      expect(a).toEqual({
        group: n < 6 ? "CO" : n < 12 ? "PR" : "OA",
        reason: n % 3 === 0 ? "253" : String(n + 1),
        amountCents: n + 10,
        quantity: n % 4 === 0 ? null : n,
        segment: 16 + Math.floor(n / 6),
      });
    });
    expect(line.reportedAllowedCents).toBeNull();
    expect(await parse835(new TextEncoder().encode(text))).toEqual(fromText);
  });
});

describe("balancing checks", () => {
  const claimLines = ["CLP*C1*1*100*70*10*12*ICN1", patient, "SVC*HC:97110*100*70", "CAS*CO*45*20", "CAS*PR*2*10"];

  it("is silent when everything balances", () => {
    const r = parse835Text(interchange([[...header("70"), ...claimLines]]));
    expect(r.warnings).toEqual([]);
  });

  it("takes lines without CAS as sent when the claim carries the adjustments (claim-level CAS)", () => {
    // claim 150.00 − CO-45 70.00 = 80.00 = 50.00 + 30.00; the lines have no CAS of their own
    const lines = ["CLP*C1*1*150*80**12*ICN1", patient, "CAS*CO*45*70", "SVC*HC:97110*100*50", "SVC*HC:97140*50*30"];
    const r = parse835Text(interchange([[...header("80"), ...lines]]));
    expect(r.warnings).toEqual([]);
    const claim = r.transactions[0].claims[0];
    expect(claim.serviceLines.map((l) => [l.paidCents, l.adjustments.length])).toEqual([
      [5000, 0],
      [3000, 0],
    ]);
    // a claim that does not balance is still named
    const off = parse835Text(interchange([[...header("80"), ...lines.map((x) => (x === "CAS*CO*45*70" ? "CAS*CO*45*60" : x))]]));
    expect(off.warnings.map((w) => w.where)).toEqual(["segment 10 (CLP)"]);
  });

  it("names the service line that does not balance", () => {
    const lines = claimLines.map((s) => (s === "SVC*HC:97110*100*70" ? "SVC*HC:97110*100*75" : s));
    const r = parse835Text(interchange([[...header("70"), ...lines]]));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      {
        where: "segment 12 (SVC)",
        message:
          "Service line 97110 does not balance: charge $100.00 minus adjustments $30.00 is $70.00, but the line paid $75.00 (difference -$5.00).",
      },
    ]);
  });

  it("names the claim that does not balance and a wrong patient responsibility", () => {
    const lines = claimLines.map((s) => (s.startsWith("CLP") ? "CLP*C1*1*100*70*12*12*ICN1" : s));
    lines.push("CLP*C2*1*50*45**12*ICN2", "CAS*CO*45*4");
    const r = parse835Text(interchange([[...header("115"), ...lines]]));
    expect(r.warnings).toEqual([
      {
        where: "segment 10 (CLP), element 5",
        message: "Claim C1: patient responsibility (CLP05) is $12.00 but its patient-responsibility (PR) adjustments add up to $10.00.",
      },
      {
        where: "segment 15 (CLP)",
        message:
          "Claim C2 does not balance: charge $50.00 minus adjustments $4.00 is $46.00, but the claim paid $45.00 (difference $1.00).",
      },
    ]);
  });

  it("accepts claim interest (AMT*I) folded into the claim payment", () => {
    const r = parse835Text(interchange([[...header("71.25"), "CLP*C1*1*100*71.25**12*ICN1", "CAS*CO*45*30", "AMT*I*1.25"]]));
    expect(r.warnings).toEqual([]);
    expect(r.transactions[0].claims[0].amounts).toEqual({ I: 125 });
  });

  it("checks BPR02 against Σ CLP04 − Σ PLB", () => {
    const r = parse835Text(interchange([[...header("75"), ...claimLines, "PLB*1999999998*20261231*WO:ICN9*-5"]]));
    expect(r.warnings).toEqual([]);
    const wrong = parse835Text(interchange([[...header("80"), ...claimLines, "PLB*1999999998*20261231*WO:ICN9*-5"]]));
    expect(wrong.warnings).toEqual([
      {
        where: "segment 4 (BPR), element 2",
        message:
          "The total payment (BPR02) is $80.00 but the claims paid $70.00 minus provider adjustments (PLB) of -$5.00 make $75.00 (difference $5.00).",
      },
    ]);
  });

  it("reads a debit (BPR03 = D) as money the provider owes", () => {
    const reversalOnly = ["CLP*C1*22*-100*-70*-10*12*ICN1", "CAS*CO*45*-20", "CAS*PR*2*-10"];
    const r = parse835Text(interchange([[...header("70").map((s) => s.replace("BPR*I*70*C", "BPR*I*70*D")), ...reversalOnly]]));
    expect(r.warnings).toEqual([]);
  });

  it("refuses a file whose GE or IEA count or any trailer control number does not check out", () => {
    const text = interchange([[...header("70"), ...claimLines]])
      .replace(/SE\*\d+\*0001/, "SE*13*0002")
      .replace("GE*1*7", "GE*2*7")
      .replace("IEA*1*000000001", "IEA*3*000000009");
    const r = parse835Text(text);
    expect(r.warnings).toEqual([]);
    expect(r.errors).toEqual([
      {
        where: "segment 15 (SE), element 2",
        message:
          "The transaction trailer control number '0002' does not match the header's (ST02) '0001': the transaction may have been cut or joined.",
      },
      {
        where: "segment 16 (GE), element 1",
        message: "The functional group trailer (GE) says 2 transaction(s) but the group has 1: payments may have been lost or added.",
      },
      {
        where: "segment 17 (IEA), element 1",
        message: "The interchange trailer (IEA) says 3 functional group(s) but the interchange has 1: groups may have been lost or added.",
      },
      {
        where: "segment 17 (IEA), element 2",
        message:
          "The interchange trailer control number '000000009' does not match the header's (ISA13) '000000001': the interchange may have been cut or joined.",
      },
    ]);
  });

  it("refuses an SE count that is off, whether or not the amounts balance", () => {
    // ST, BPR, TRN, DTM, N1, REF, N1, then CLP, NM1, SVC, CAS, CAS, SE: 13 segments.
    expect(parse835Text(interchange([[...header("70"), ...claimLines]])).errors).toEqual([]);
    for (const declared of ["12", "14", ""]) {
      const balanced = parse835Text(interchange([[...header("70"), ...claimLines]]).replace(/SE\*13\*/, `SE*${declared}*`));
      expect(balanced.errors).toEqual([
        {
          where: "segment 15 (SE), element 1",
          message: `The transaction trailer (SE) says ${declared || "nothing"} segments but transaction 0001 has 13: segments may have been lost or added, so the file was not read.`,
        },
      ]);
      expect(balanced.warnings).toEqual([]);
    }
    // A whole claim paid 0.00 deleted (CLP, NM1, SVC, CAS: 4 segments) leaves every amount
    // balanced (BPR02 70.00 = 70.00 + 0.00 − 0.00 of the other claim): only SE01 tells.
    const zeroClaim = ["CLP*C2*4*50*0**12*ICN2", "NM1*QC*1*DOE*JANE", "SVC*HC:97110*50*0**1", "CAS*CO*97*50"];
    const whole = interchange([[...header("70"), ...claimLines, ...zeroClaim]]);
    expect(parse835Text(whole).errors).toEqual([]);
    expect(parse835Text(whole).counts.claims).toBe(2);
    const cut = whole.replace(zeroClaim.map((l) => `${l}~\n`).join(""), "");
    expect(parse835Text(cut).errors.map((e) => e.where)).toEqual(["segment 15 (SE), element 1"]);
    // The same count with the payment total 80.00 where the claim paid 70.00: a segment may be missing.
    const unbalanced = parse835Text(interchange([[...header("80"), ...claimLines]]).replace(/SE\*13\*/, "SE*14*"));
    expect(unbalanced.errors).toEqual([
      {
        where: "segment 15 (SE), element 1",
        message:
          "The transaction trailer (SE) says 14 segments but transaction 0001 has 13, and its amounts do not balance: segments may have been lost or added.",
      },
    ]);
  });
});

describe("provider adjustments (PLB)", () => {
  it("reads each adjustment identifier, reference and amount", () => {
    const text = interchange([
      [
        ...header("131.23"),
        "CLP*C1*1*200*150**12*ICN1",
        "CAS*CO*45*50",
        "PLB*1999999998*20261231*WO:ICN0000123*25*72*-10*FB:REF9*5*L6*-1.23",
      ],
    ]);
    const r = parse835Text(text);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const t = r.transactions[0];
    expect(t.providerAdjustments).toEqual([
      {
        segment: 12,
        providerId: "1999999998",
        fiscalPeriodDate: "2026-12-31",
        reasonCode: "WO",
        reference: "ICN0000123",
        amountCents: 2500,
      },
      { segment: 12, providerId: "1999999998", fiscalPeriodDate: "2026-12-31", reasonCode: "72", reference: null, amountCents: -1000 },
      { segment: 12, providerId: "1999999998", fiscalPeriodDate: "2026-12-31", reasonCode: "FB", reference: "REF9", amountCents: 500 },
      { segment: 12, providerId: "1999999998", fiscalPeriodDate: "2026-12-31", reasonCode: "L6", reference: null, amountCents: -123 },
    ]);
    expect(t.totals.providerAdjustmentCents).toBe(1877);
  });

  it("rejects a PLB amount that is not a number", () => {
    const r = parse835Text(interchange([[...header("0"), "PLB*1999999998*20261231*WO*ABC"]]));
    expect(r.errors).toEqual([{ where: "segment 10 (PLB), element 4", message: "The provider adjustment amount 'ABC' is not an amount." }]);
  });
});

describe("what is rejected", () => {
  it("a CLP amount that is not a number, naming the element", () => {
    const r = parse835Text(interchange([[...header("10"), "CLP*C1*1*100*1O.00**12*ICN1"]]));
    expect(r.errors).toEqual([
      { where: "segment 10 (CLP), element 4", message: "The claim paid amount (CLP04) '1O.00' is not an amount." },
    ]);
  });

  it("a missing claim charge", () => {
    const r = parse835Text(interchange([[...header("10"), "CLP*C1*1**10**12*ICN1"]]));
    expect(r.errors).toEqual([{ where: "segment 10 (CLP), element 3", message: "The claim charge (CLP03) is missing." }]);
  });

  it("a service line before any claim", () => {
    const r = parse835Text(interchange([[...header("0"), "LX*1", "SVC*HC:97110*10*0", "CAS*CO*45*10"]]));
    expect(r.errors).toEqual([
      {
        where: "segment 11 (SVC)",
        message: "A service line (SVC) appears before any claim (CLP); it cannot be attributed to a claim.",
      },
    ]);
  });

  it("an adjustment before any claim", () => {
    const r = parse835Text(interchange([[...header("0"), "CAS*CO*45*10"]]));
    expect(r.errors[0]).toEqual({
      where: "segment 10 (CAS)",
      message: "An adjustment (CAS) appears outside any claim; it cannot be attributed.",
    });
  });

  it("a segment outside any transaction", () => {
    const text = interchange([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]).replace("GE*1*7", "CLP*STRAY*1*10*10**12*X~\nGE*1*7");
    const r = parse835Text(text);
    expect(r.errors).toEqual([
      {
        where: "segment 12 (CLP)",
        message: "The CLP segment stands outside any transaction (no ST before it); its data cannot be placed.",
      },
    ]);
  });

  it("a truncated file: the transaction has no SE", () => {
    const text = interchange([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]);
    const cut = text.slice(0, text.indexOf("SE*"));
    const r = parse835Text(cut);
    expect(r.errors).toEqual([
      {
        where: "end of file (after segment 10)",
        message: "The file ends inside transaction 0001 (ST at segment 3) before its trailer (SE): the file appears truncated.",
      },
      {
        where: "end of file (after segment 10)",
        message: "The file ends before the interchange trailer (IEA) of the interchange started at segment 1: the file appears truncated.",
      },
    ]);
    // What was read is still there, marked incomplete.
    expect(r.transactions[0].complete).toBe(false);
    expect(r.counts.claims).toBe(1);
  });

  it("a transaction cut off by the next one", () => {
    const a = [...header("10"), "CLP*C1*1*10*10**12*ICN1"];
    const text = interchange([a, a]).replace(/SE\*\d+\*0001~\n/, "");
    const r = parse835Text(text);
    expect(r.errors).toEqual([
      {
        where: "segment 11 (ST)",
        message: "Transaction 0001 (ST at segment 3) has no trailer (SE) before this ST: it appears truncated.",
      },
    ]);
  });

  it("a service line without a procedure code (its amounts would be shifted)", () => {
    const r = parse835Text(
      interchange([[...header("187.5"), "CLP*C1*3*1766.5*187.5**12*ICN1", "SVC*HC*24599*1766.5*187.5**1", "CAS*OA*23*1579"]]),
    );
    expect(r.errors).toEqual([
      {
        where: "segment 11 (SVC), element 1",
        message: "The service line names the code type 'HC' but no procedure code, so its charge and payment cannot be placed reliably.",
      },
    ]);
  });

  it("refuses an ST01 that is not 835 inside the payment group, instead of skipping that payment", () => {
    // Two payments of 10.00 and 25.00; the second's ST01 damaged (8X5, 836, empty) or an 837
    // sent inside the HP group: skipping it would lose 25.00 and one claim.
    const two = [
      [...header("10"), "CLP*C1*1*10*10**12*ICN1"],
      [...header("25"), "CLP*C2*1*25*25**12*ICN2"],
    ];
    const whole = parse835Text(interchange(two));
    expect(whole.errors).toEqual([]);
    expect(whole.counts).toMatchObject({ transactions: 2, claims: 2, paidCents: 3500 });
    for (const damaged of ["8X5", "836", "837", ""]) {
      const r = parse835Text(interchange(two).replace("ST*835*0002", `ST*${damaged}*0002`));
      expect(r.errors, damaged).toEqual([
        {
          // ISA, GS, then the first payment's ST, six header segments, CLP and SE (segments
          // 3 to 11): the second ST is segment 12.
          where: "segment 12 (ST), element 1",
          message: `The transaction set identifier (ST01) '${damaged}' is not 835 and the functional group (GS01 'HP') does not carry that transaction set: the header of a payment may be damaged, so the file was not read.`,
        },
      ]);
    }
    // In a group of another document, an ST01 that group does not carry is refused too.
    const claimGroup = withClaimGroup([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]).replace("ST*837*0001", "ST*8X7*0001");
    expect(parse835Text(claimGroup).errors.map((e) => e.where)).toEqual(["segment 3 (ST), element 1"]);
    // The skipped 837's own trailer must check out too (ST, BHT, SE: 3 segments, ST02 0001).
    const skippedCount = withClaimGroup([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]).replace("SE*3*0001", "SE*4*0001");
    expect(parse835Text(skippedCount).errors).toEqual([
      {
        where: "segment 5 (SE), element 1",
        message:
          "The trailer (SE) of the skipped 837 transaction says 4 segments but it has 3: segments may have been lost or added, so the file was not read.",
      },
    ]);
    const skippedControl = withClaimGroup([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]).replace("SE*3*0001", "SE*3*0009");
    expect(parse835Text(skippedControl).errors.map((e) => e.where)).toEqual(["segment 5 (SE), element 2"]);
  });
});

/**
 * An interchange whose first group (control number 6) is a GS*HC group holding one 837, then
 * the usual GS*HP group (control number 7) with the given 835 transactions.
 */
function withClaimGroup(transactions: string[][]): string {
  const text = interchange(transactions);
  const gs = text.indexOf("GS*HP*");
  const claimGroup =
    "GS*HC*PAYERSENDER*PRACTICERECV*20260101*1200*6*X*005010X222A1~\nST*837*0001*005010X222A1~\nBHT*0019*00*1*20260101*1200*CH~\nSE*3*0001~\nGE*1*6~\n";
  return (text.slice(0, gs) + claimGroup + text.slice(gs)).replace(/IEA\*1\*/, "IEA*2*");
}

describe("what is accepted with a warning", () => {
  it("skips a transaction of another document in its own group (an 837 in a GS*HC group)", () => {
    const r = parse835Text(withClaimGroup([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]));
    expect(r.errors).toEqual([]);
    expect(r.counts).toEqual({ transactions: 1, claims: 1, serviceLines: 0, paidCents: 1000 });
    expect(r.warnings).toEqual([
      { where: "segment 3 (ST), element 1", message: "Transaction set 837 is not a remittance advice (835); it was skipped." },
    ]);
  });

  it("warns when a file holds no 835 at all", () => {
    const r = parse835Text(
      withClaimGroup([])
        .replace(/GS\*HP\*[^~]*~\nGE\*0\*7~\n/, "")
        .replace(/IEA\*2\*/, "IEA*1*"),
    );
    expect(r.errors).toEqual([]);
    expect(r.counts.transactions).toBe(0);
    expect(r.warnings.map((w) => w.message)).toEqual([
      "Transaction set 837 is not a remittance advice (835); it was skipped.",
      "The file contains no remittance advice (835) transaction.",
    ]);
  });

  it("detects a component separator that differs from ISA16", () => {
    const r = parse835Text(interchange([[...header("34"), "CLP*C1*2*541*34**12*ICN1", "SVC*HC>55669>GP*541*34**1", "CAS*OA*23*507"]]));
    expect(r.errors).toEqual([]);
    expect(r.transactions[0].claims[0].serviceLines[0].procedure).toEqual({
      qualifier: "HC",
      code: "55669",
      modifiers: ["GP"],
    });
    expect(r.warnings).toEqual([
      {
        where: "segment 11 (SVC), element 1",
        message: "The procedure code is written with '>' between its parts although the interchange header declares ':'; '>' was used.",
      },
    ]);
  });

  it("rounds amounts with more than two decimals half-up", () => {
    const r = parse835Text(interchange([[...header("10.01"), "CLP*C1*1*10.005*10.005**12*ICN1"]]));
    expect(r.errors).toEqual([]);
    expect(r.transactions[0].claims[0].paidCents).toBe(1001);
    expect(r.warnings.map((w) => w.message)).toEqual([
      "The claim charge (CLP03) '10.005' has more than two decimals; it was rounded to $10.01.",
      "The claim paid amount (CLP04) '10.005' has more than two decimals; it was rounded to $10.01.",
    ]);
  });

  it("reads past the segments of the 835 it does not use, and places each known one by its id", () => {
    const ignored = [
      "CUR*PR*USD",
      "N2*MORE",
      "N3*1 MAIN ST",
      "N4*TOWN*ST*12345",
      "PER*CX*DESK",
      "RDM*BM",
      "TS3*1",
      "TS2*1",
      "MIA*0",
      "QTY*CA*1",
      "NTE*ADD*NOTE",
    ];
    const r = parse835Text(
      interchange([[...header("10"), ...ignored, "CLP*C1*1*10*10**12*ICN1", "MOA***N1", "SVC*HC:97110*10*10", "LQ*HE*M1"]]),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const claim = r.transactions[0].claims[0];
    expect(claim.remarkCodes).toEqual(["N1"]);
    expect(claim.serviceLines[0].remarkCodes).toEqual(["M1"]);
    const outside = parse835Text(interchange([[...header("10"), "CLP*C1*1*10*10**12*ICN1"]]).replace(/GE\*/, "SVC*HC:97110*10*10~GE*"));
    expect(outside.errors.map((e) => e.message)).toEqual([
      "The SVC segment stands outside any transaction (no ST before it); its data cannot be placed.",
    ]);
  });

  it("refuses a segment inside a transaction whose id is not one of the 835's", () => {
    // Each could be a damaged CLP, SVC or BPR: read past, its claim, line or payment would be lost.
    const r = parse835Text(
      interchange([
        [...header("10"), "LXXXX*1", "CLP*C1*1*10*10**12*ICN1", "ZZZ*1", "clp*C2*1*5*5**12*ICN2", "CLM*C3*1*5*5**12*ICN3", "TA1*1"],
      ]),
    );
    expect(r.errors.map((e) => e.where)).toEqual([
      "segment 10 (LXXXX)",
      "segment 12 (ZZZ)",
      "segment 13 (clp)",
      "segment 14 (CLM)",
      "segment 15 (TA1)",
    ]);
    expect(r.errors[0].message).toBe(
      "'LXXXX' is not a valid segment identifier: the segment may be a damaged claim, service line or payment, so the file cannot be read safely.",
    );
    expect(r.errors[3].message).toBe(
      "CLM is not a segment of the 835: it may be a damaged claim, service line or payment, so the file cannot be read safely.",
    );
  });
});

describe("reversals and corrections", () => {
  const text = interchange([
    [
      ...header("81.00"),
      // Earlier payment of 100.00 taken back, paid again at 90.00; another claim paid 91.00.
      "CLP*ACC1*22*-150*-100*-20*12*ICN555",
      "CAS*CO*45*-30",
      "CAS*PR*2*-20",
      "CLP*ACC1*1*150*90*20*12*ICN556",
      "CAS*CO*45*40",
      "CAS*PR*2*20",
      "CLP*ACC2*1*120*91**12*ICN600",
      "CAS*CO*45*29",
    ],
  ]);
  const r = parse835Text(text);

  it("represents the reversal faithfully (negative amounts)", () => {
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const [reversal] = r.transactions[0].claims;
    expect(reversal).toMatchObject({ status: "22", isReversal: true, chargeCents: -15000, paidCents: -10000 });
    expect(r.counts.paidCents).toBe(8100);
  });
});

describe("read835 streaming", () => {
  it("yields each claim with its transaction header, then the transaction, then the end", async () => {
    const text = interchange([
      [...header("30"), "CLP*C1*1*10*10**12*ICN1", "CLP*C2*1*20*20**12*ICN2"],
      [...header("5"), "CLP*C3*1*5*5**12*ICN3"],
    ]);
    const events: Remit835Event[] = [];
    for await (const event of read835(streamOf([text.slice(0, 200), text.slice(200)]))) events.push(event);
    expect(
      events.map((e) => (e.type === "claim" ? `claim ${e.claim.patientControlNumber} of ${e.transaction.controlNumber}` : e.type)),
    ).toEqual(["claim C1 of 0001", "claim C2 of 0001", "transaction", "claim C3 of 0002", "transaction", "end"]);
    const first = events[0];
    expect(first.type === "claim" && first.transaction.totalPaymentCents).toBe(3000);
    const tx = events[2];
    expect(tx.type === "transaction" && tx.transaction.claims).toEqual([]);
    expect(tx.type === "transaction" && tx.transaction.totals.claims).toBe(2);
    expect(events.at(-1)).toEqual({
      type: "end",
      counts: { transactions: 2, claims: 3, serviceLines: 0, paidCents: 3500 },
      warningCount: 0,
      errorCount: 0,
    });
  });

  it("reports issues as events in file order", async () => {
    const text = interchange([[...header("10"), "CLP*C1*1*10*1O**12*ICN1"]]);
    const types: string[] = [];
    for await (const event of read835(text)) types.push(event.type);
    expect(types).toEqual(["error", "claim", "transaction", "end"]);
  });
});
