// Every public 835 of e2e/fixtures/835 through import835: each is imported with the counts
// written in its file (transactions, CLP, SVC, Σ CLP04; checked against a plain segment count),
// or rejected with the reader's message naming the segment, and then nothing is written.
// Each file is imported into an empty practice (the fixtures share payers and trace numbers).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, type TestPractice, db } from "../testing";
import { import835 } from "./import";

const dir = path.resolve("e2e/fixtures/835");

type Expected =
  | { status: "imported"; transactions: number; claims: number; serviceLines: number; paidCents: number; duplicateTransactions?: number }
  | { status: "rejected"; where: RegExp; message: RegExp };

const ok = (transactions: number, claims: number, serviceLines: number, paidCents: number, duplicateTransactions = 0): Expected => ({
  status: "imported",
  transactions,
  claims,
  serviceLines,
  paidCents,
  duplicateTransactions,
});

const EXPECTED: Record<string, Expected> = {
  // SE01 is off and the claim does not balance: a segment may be missing
  "CHS-CDS-AIML__edi-835-parser__tests_test_edi_835_files_test.835": {
    status: "rejected",
    where: /^segment 18 \(SE\), element 1$/,
    message: /do not balance: segments may have been lost or added/,
  },
  "LinuxForHealth__x12__demo-file_demo.835": ok(1, 2, 0, 14999873),
  // 'CAS_CO' is no segment id: its adjustment would be lost
  "LinuxForHealth__x12__demo-file_demo__b251b2f.835": {
    status: "rejected",
    where: /^segment 27 \(CAS_CO\)$/,
    message: /not a valid segment identifier/,
  },
  "LinuxForHealth__x12__src_tests_resources_835_005010X221A1_cob-contractural-adjustment.835": ok(1, 1, 1, 3400),
  // SVC01 is "HC" with no procedure code: the line's money cannot be placed
  "LinuxForHealth__x12__src_tests_resources_835_005010X221A1_tertiary-payment.835": {
    status: "rejected",
    where: /^segment 20 \(SVC\), element 1$/,
    message: /no procedure code/,
  },
  // a JSON rendering, not X12
  "affect-therapeutics__edi-835-parser__tests_test_edi_835_files_exhaustive_sample.835": {
    status: "rejected",
    where: /^file$/,
    message: /interchange header \(ISA\)/,
  },
  "azoner__pyx12__pyx12_tests_835_mult_loops.835": ok(1, 1, 3, 0),
  // a payment and two reversals (CLP02 = 22)
  "azoner__pyx12__test_files_835_simple.835": ok(1, 3, 3, -51025),
  "azoner__pyx12__test_files_mult_isa.835": ok(4, 0, 0, 0),
  // 837 and 278 transaction sets are skipped
  "azoner__pyx12__test_files_mult_trn.835": ok(1, 0, 0, 0),
  "keironstoddart__edi-835-parser__tests_test_edi_835_files_emedny_sample.835": ok(1, 3, 10, 4575),
  "keironstoddart__edi-835-parser__tests_test_edi_835_files_united_healthcare_legacy_sample.835": ok(1, 2, 5, 34999),
  // 'LXXXX' is no segment id
  "kputnam__stupidedi__notes_recover.835": {
    status: "rejected",
    where: /^segment 15 \(LXXXX\)$/,
    message: /not a valid segment identifier/,
  },
  "kputnam__stupidedi__samples_835_3a.835": ok(1, 2, 2, 122200),
  "kputnam__stupidedi__samples_835_3b.835": ok(1, 1, 1, 18750),
  "kputnam__stupidedi__samples_835_3c.835": ok(1, 1, 1, 3400),
  "kputnam__stupidedi__spec_fixtures_004010_X091A1_HP835_Health_Care_Claim_Payment_Advice_case_1.835": ok(1, 1, 0, 2061),
  "kputnam__stupidedi__spec_fixtures_004010_X091A1_HP835_Health_Care_Claim_Payment_case_1.835": ok(1, 1, 0, 2061),
  // SE01 says 28, ST…SE hold 30: refused, as any count that is off
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-1.835": {
    status: "rejected",
    where: /^segment 32 \(SE\), element 1$/,
    message: /segments may have been lost or added, so the file was not read/,
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-1__e40444d.835": ok(1, 2, 0, 14999873),
  // SE01 says 25, ST…SE hold 28: refused, as any count that is off
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-2.835": {
    status: "rejected",
    where: /^segment 30 \(SE\), element 1$/,
    message: /segments may have been lost or added, so the file was not read/,
  },
  // SE01 says 38, ST…SE hold 39: refused, as any count that is off
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3a.835": {
    status: "rejected",
    where: /^segment 41 \(SE\), element 1$/,
    message: /segments may have been lost or added, so the file was not read/,
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3a__fbc5b6f.835": ok(1, 2, 2, 122200),
  // SE01 says 38, ST…SE hold 26: refused, as any count that is off
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3c.835": {
    status: "rejected",
    where: /^segment 28 \(SE\), element 1$/,
    message: /segments may have been lost or added, so the file was not read/,
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221A1-HP835_fail_3b.835": {
    status: "rejected",
    where: /^segment 20 \(SVC\), element 1$/,
    message: /no procedure code/,
  },
  // PLBs not in BPR02 and SE01 off: the payment does not reconcile
  "kputnam__stupidedi__spec_fixtures_005010_X221A1-HP835_pass_3a.835": {
    status: "rejected",
    where: /^segment 44 \(SE\), element 1$/,
    message: /do not balance/,
  },
  // SVC02/SVC03 shifted (a line paid 1,766.50 on a claim paid 187.50) and SE01 off
  "kputnam__stupidedi__spec_fixtures_005010_X221A1-HP835_pass_3b.835": {
    status: "rejected",
    where: /^segment 27 \(SE\), element 1$/,
    message: /do not balance/,
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_dollars-and-data-sent-separate.835": ok(
    1,
    2,
    2,
    94500,
  ),
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_multiple-claims-single-check.835": ok(
    1,
    9,
    33,
    81080,
  ),
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_secondary-payments.835": ok(1, 2, 2, 122200),
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_tertiary-payments.835": ok(1, 1, 1, 18750),
  "kputnam__stupidedi__spec_fixtures_005010_X221_HP835_Health_Care_Claim_Payment_Advice_case_2.835": ok(1, 2, 2, 94500),
  "kputnam__stupidedi__spec_fixtures_005010_X221_HP835_Health_Care_Claim_Payment_Advice_case_3a.835": {
    status: "rejected",
    where: /^segment 43 \(SE\), element 1$/,
    message: /do not balance/,
  },
  "kputnam__stupidedi__spec_fixtures_X221-HP835_1-bad.835": ok(1, 2, 0, 14999873),
  "kputnam__stupidedi__spec_fixtures_X221-HP835_1-good.835": ok(1, 2, 0, 14999873),
  // SE01 says 25, ST…SE hold 26: refused, as any count that is off
  "kputnam__stupidedi__spec_fixtures_X221-HP835_2-bad.835": {
    status: "rejected",
    where: /^segment 28 \(SE\), element 1$/,
    message: /segments may have been lost or added, so the file was not read/,
  },
  "kputnam__stupidedi__spec_fixtures_X221-HP835_3b-bad.835": {
    status: "rejected",
    where: /^segment 20 \(SVC\), element 1$/,
    message: /no procedure code/,
  },
  "tastypackets__x12-parser__test_test-files_835_multi-line-not-delimited.835": ok(1, 3, 10, 4575),
  // SE01 says 31, ST…SE hold 28,951: refused, as any count that is off
  "tastypackets__x12-parser__test_testFiles_835_multiLineNotDelimited.835": {
    status: "rejected",
    where: /^segment 28953 \(SE\), element 1$/,
    message: /segments may have been lost or added, so the file was not read/,
  },
  // IEA02 is not the ISA13 of its interchange
  "tastypackets__x12-parser__test_testFiles_errorISA.835": {
    status: "rejected",
    where: /^segment 35 \(IEA\), element 2$/,
    message: /control number/,
  },
  // the same interchange twice: the second transaction repeats the first's payer and trace number
  "tastypackets__x12-parser__test_testFiles_oneLine.835": ok(2, 4, 0, 296398, 1),
};

const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".835"))
  .sort();

/** A plain count of the segments, independent of the reader: ST*835, CLP, SVC and Σ CLP04. */
function plainCounts(bytes: Buffer) {
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const isa = text.indexOf("ISA");
  if (isa < 0) return null;
  const e = text[isa + 3]!;
  // ISA16 (one character, maybe empty) is followed by the segment terminator
  const isa16 = text.slice(isa).split(e)[16] ?? "";
  const terminator = isa16.length > 1 && !/[\r\n]/.test(isa16[1]!) && !/[\r\n]/.test(isa16[0]!) ? isa16[1]! : "\n";
  const segments = text.split(terminator === "\n" ? /\r?\n/ : terminator).map((s) => s.trim());
  const clp = segments.filter((s) => s.startsWith(`CLP${e}`));
  return {
    transactions: segments.filter((s) => s.startsWith(`ST${e}835${e}`)).length,
    claims: clp.length,
    serviceLines: segments.filter((s) => s.startsWith(`SVC${e}`)).length,
    paidCents: clp.reduce((sum, s) => sum + Math.round(Number(s.split(e)[4]) * 100), 0),
  };
}

describe("every public 835 fixture through import835", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("fixtures-835");
  });
  afterAll(() => disconnectDb());

  it("has an expected outcome written for every file", () => {
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const file of files) {
    it(`${file}`, async () => {
      const expected = EXPECTED[file]!;
      const content = fs.readFileSync(path.join(dir, file));
      // each file on its own: the fixtures repeat payers and trace numbers
      await db().importJob.deleteMany({ where: { practiceId: t.practiceId, kind: "REMIT_835" } });
      const result = await asPractice(t.practiceId, () =>
        import835({ practiceId: t.practiceId, userId: t.users.MANAGER, fileName: file, content }),
      );
      if (expected.status === "imported") {
        expect(result.status, JSON.stringify(result.errors.slice(0, 3))).toBe("imported");
        const { duplicateTransactions, status: _, ...counts } = expected;
        expect(result.counts).toEqual({ ...counts, matchedClaims: 0 });
        const plain = plainCounts(content);
        expect(plain, "the expected counts are what the file says").toEqual(counts);
        // what was written: every claim and line of the transactions that were not duplicates
        const payments = await db().remitPayment.findMany({
          where: { practiceId: t.practiceId },
          include: { claims: { include: { lines: true } } },
        });
        expect(payments).toHaveLength(counts.transactions - (duplicateTransactions ?? 0));
        if (!duplicateTransactions) {
          expect(payments.reduce((s, p) => s + p.claims.length, 0)).toBe(counts.claims);
          expect(payments.reduce((s, p) => s + p.claims.reduce((t2, c) => t2 + c.lines.length, 0), 0)).toBe(counts.serviceLines);
          expect(payments.reduce((s, p) => s + p.claims.reduce((t2, c) => t2 + c.paidCents, 0), 0)).toBe(counts.paidCents);
        } else {
          expect(result.warnings.filter((w) => /already imported/.test(w.message))).toHaveLength(duplicateTransactions);
        }
      } else {
        expect(result.status).toBe("rejected");
        expect(result.errors[0]?.where).toMatch(expected.where);
        expect(result.errors[0]?.message).toMatch(expected.message);
        expect(await db().remitPayment.count({ where: { practiceId: t.practiceId } })).toBe(0);
        const job = await db().importJob.findFirstOrThrow({ where: { practiceId: t.practiceId, fileName: file } });
        expect(job.status).toBe("REJECTED");
      }
    });
  }
});
