import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse835, parse835Sync, parse835Text } from "./read835";
import { byteChunks, streamOf } from "@/prisma/generator/x12/chunks";

const FIXTURES = path.resolve(import.meta.dirname, "../../e2e/fixtures/835");
const PRACTICE = path.resolve(import.meta.dirname, "../../e2e/fixtures/example-practice");

type Expected =
  | { transactions: number; claims: number; serviceLines: number; paidCents: number; warnings: string[] }
  | { rejected: string; warnings: string[] };

/**
 * Every public fixture and what reading it must give. Counts and Σ CLP04 were taken from
 * the files independently of this reader (segments split on the terminator declared by the
 * ISA, CLP04 summed as decimals, only inside ST*835). `warnings` lists where each warning
 * points; `rejected` names the segment the error must point at.
 */
const EXPECTED: Record<string, Expected> = {
  // SE says 17 segments, there are 16, and the claim does not balance (charge 2,000.00 minus
  // 999.00 of adjustments is 1,001.00, paid 1,500.50; CLP05 499.50 ≠ Σ PR 899.50): refused
  "CHS-CDS-AIML__edi-835-parser__tests_test_edi_835_files_test.835": {
    rejected: "segment 18 (SE), element 1",
    warnings: ["segment 8 (CLP)", "segment 8 (CLP), element 5"],
  },
  "LinuxForHealth__x12__demo-file_demo.835": { transactions: 1, claims: 2, serviceLines: 0, paidCents: 14999873, warnings: [] },
  // 'CAS_CO' is no segment: its $50 adjustment would be lost (line and claim do not balance)
  "LinuxForHealth__x12__demo-file_demo__b251b2f.835": {
    rejected: "segment 27 (CAS_CO)",
    warnings: ["segment 23 (SVC)", "segment 20 (CLP)"],
  },
  // SVC uses '>' although ISA16 is ':'
  "LinuxForHealth__x12__src_tests_resources_835_005010X221A1_cob-contractural-adjustment.835": {
    transactions: 1,
    claims: 1,
    serviceLines: 1,
    paidCents: 3400,
    warnings: ["segment 21 (SVC), element 1"],
  },
  // SVC*HC*24599.00*…: no procedure code, amounts shifted
  "LinuxForHealth__x12__src_tests_resources_835_005010X221A1_tertiary-payment.835": {
    rejected: "segment 20 (SVC), element 1",
    warnings: [],
  },
  // no ISA at all (masked fragment)
  "affect-therapeutics__edi-835-parser__tests_test_edi_835_files_exhaustive_sample.835": { rejected: "file", warnings: [] },
  "azoner__pyx12__pyx12_tests_835_mult_loops.835": { transactions: 1, claims: 1, serviceLines: 3, paidCents: 0, warnings: [] },
  // reversals (CLP02=22); BPR02 does not equal Σ CLP04 − Σ PLB
  "azoner__pyx12__test_files_835_simple.835": {
    transactions: 1,
    claims: 3,
    serviceLines: 3,
    paidCents: -51025,
    warnings: ["segment 4 (BPR), element 2"],
  },
  // 837/278 transactions skipped; empty 835s have no BPR
  "azoner__pyx12__test_files_mult_isa.835": {
    transactions: 4,
    claims: 0,
    serviceLines: 0,
    paidCents: 0,
    warnings: [
      "segment 3 (ST), element 1",
      "segment 6 (ST), element 1",
      "segment 9 (ST), element 1",
      "segment 14 (ST), element 1",
      "segment 19 (ST)",
      "segment 23 (ST)",
      "segment 27 (ST)",
      "segment 33 (ST), element 1",
      "segment 36 (ST), element 1",
      "segment 39 (ST), element 1",
      "segment 44 (ST), element 1",
      "segment 49 (ST)",
    ],
  },
  // 837/278 transactions skipped; empty 835 has no BPR
  "azoner__pyx12__test_files_mult_trn.835": {
    transactions: 1,
    claims: 0,
    serviceLines: 0,
    paidCents: 0,
    warnings: [
      "segment 3 (ST), element 1",
      "segment 6 (ST), element 1",
      "segment 9 (ST), element 1",
      "segment 14 (ST), element 1",
      "segment 19 (ST)",
    ],
  },
  "keironstoddart__edi-835-parser__tests_test_edi_835_files_emedny_sample.835": {
    transactions: 1,
    claims: 3,
    serviceLines: 10,
    paidCents: 4575,
    warnings: [],
  },
  "keironstoddart__edi-835-parser__tests_test_edi_835_files_united_healthcare_legacy_sample.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 5,
    paidCents: 34999,
    warnings: [],
  },
  // prose before ISA, '.'-padded ISA, SVC charge 24599 vs paid 1766.50; 'LXXXX' is no segment
  // id (a damaged id may be a claim or line): refused
  "kputnam__stupidedi__notes_recover.835": {
    rejected: "segment 15 (LXXXX)",
    warnings: ["segment 1 (ISA)", "segment 22 (SVC)"],
  },
  "kputnam__stupidedi__samples_835_3a.835": { transactions: 1, claims: 2, serviceLines: 2, paidCents: 122200, warnings: [] },
  // SVC charge 24599 vs paid 1766.50 (sample defect)
  "kputnam__stupidedi__samples_835_3b.835": {
    transactions: 1,
    claims: 1,
    serviceLines: 1,
    paidCents: 18750,
    warnings: ["segment 22 (SVC)"],
  },
  "kputnam__stupidedi__samples_835_3c.835": { transactions: 1, claims: 1, serviceLines: 1, paidCents: 3400, warnings: [] },
  // '|' elements, '^' components, 122-character ISA
  "kputnam__stupidedi__spec_fixtures_004010_X091A1_HP835_Health_Care_Claim_Payment_Advice_case_1.835": {
    transactions: 1,
    claims: 1,
    serviceLines: 0,
    paidCents: 2061,
    warnings: ["segment 1 (ISA)"],
  },
  "kputnam__stupidedi__spec_fixtures_004010_X091A1_HP835_Health_Care_Claim_Payment_case_1.835": {
    transactions: 1,
    claims: 1,
    serviceLines: 0,
    paidCents: 2061,
    warnings: [],
  },
  // prose before ISA; SE says 28 segments where ST…SE hold 30 (the published sample was
  // edited without updating SE01): refused, as any count that is off
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-1.835": {
    rejected: "segment 32 (SE), element 1",
    warnings: ["segment 1 (ISA)"],
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-1__e40444d.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 0,
    paidCents: 14999873,
    warnings: ["segment 1 (ISA)"],
  },
  // SE says 25 segments, ST…SE hold 28: refused
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-2.835": {
    rejected: "segment 30 (SE), element 1",
    warnings: ["segment 1 (ISA)"],
  },
  // SE says 38 segments, ST…SE hold 39: refused
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3a.835": {
    rejected: "segment 41 (SE), element 1",
    warnings: ["segment 1 (ISA)"],
  },
  // prose before ISA; SVC uses '>' although ISA16 is ':'
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3a__fbc5b6f.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 2,
    paidCents: 122200,
    warnings: ["segment 1 (ISA)", "segment 29 (SVC), element 1"],
  },
  // SE says 38 segments, ST…SE hold 26: refused
  "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3c.835": {
    rejected: "segment 28 (SE), element 1",
    warnings: ["segment 1 (ISA)"],
  },
  // SVC*HC*24599*…: no procedure code
  "kputnam__stupidedi__spec_fixtures_005010_X221A1-HP835_fail_3b.835": {
    rejected: "segment 20 (SVC), element 1",
    warnings: ["segment 1 (ISA)", "segment 2 (GS), element 1"],
  },
  // two PLBs of -1.27 not reflected in BPR02, and SE says 39 segments where there are 42: the
  // PLBs were added after the trailer was written; the payment does not reconcile: refused
  "kputnam__stupidedi__spec_fixtures_005010_X221A1-HP835_pass_3a.835": {
    rejected: "segment 44 (SE), element 1",
    warnings: ["segment 1 (ISA)", "segment 4 (BPR), element 2"],
  },
  // SVC*HC:11040*24599*1766.5: the line would be recorded as paid 1,766.50 on a claim that paid
  // 187.50, and SE says 24 segments where there are 25: refused
  "kputnam__stupidedi__spec_fixtures_005010_X221A1-HP835_pass_3b.835": {
    rejected: "segment 27 (SE), element 1",
    warnings: ["segment 1 (ISA)", "segment 23 (SVC)"],
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_dollars-and-data-sent-separate.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 2,
    paidCents: 94500,
    warnings: [],
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_multiple-claims-single-check.835": {
    transactions: 1,
    claims: 9,
    serviceLines: 33,
    paidCents: 81080,
    warnings: [],
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_secondary-payments.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 2,
    paidCents: 122200,
    warnings: [],
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_tertiary-payments.835": {
    transactions: 1,
    claims: 1,
    serviceLines: 1,
    paidCents: 18750,
    warnings: [],
  },
  "kputnam__stupidedi__spec_fixtures_005010_X221_HP835_Health_Care_Claim_Payment_Advice_case_2.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 2,
    paidCents: 94500,
    warnings: ["segment 1 (ISA)"],
  },
  // PLB of -2.54 not reflected in BPR02, SE says 39 segments where there are 41: refused
  "kputnam__stupidedi__spec_fixtures_005010_X221_HP835_Health_Care_Claim_Payment_Advice_case_3a.835": {
    rejected: "segment 43 (SE), element 1",
    warnings: ["segment 1 (ISA)", "segment 4 (BPR), element 2"],
  },
  // GS01 'XX'
  "kputnam__stupidedi__spec_fixtures_X221-HP835_1-bad.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 0,
    paidCents: 14999873,
    warnings: ["segment 1 (ISA)", "segment 2 (GS), element 1"],
  },
  "kputnam__stupidedi__spec_fixtures_X221-HP835_1-good.835": {
    transactions: 1,
    claims: 2,
    serviceLines: 0,
    paidCents: 14999873,
    warnings: ["segment 1 (ISA)"],
  },
  // GS01 'XX'; SE says 25 segments, ST…SE hold 26: refused
  "kputnam__stupidedi__spec_fixtures_X221-HP835_2-bad.835": {
    rejected: "segment 28 (SE), element 1",
    warnings: ["segment 1 (ISA)", "segment 2 (GS), element 1"],
  },
  // SVC*HC*24599*…: no procedure code
  "kputnam__stupidedi__spec_fixtures_X221-HP835_3b-bad.835": {
    rejected: "segment 20 (SVC), element 1",
    warnings: ["segment 1 (ISA)", "segment 2 (GS), element 1"],
  },
  "tastypackets__x12-parser__test_test-files_835_multi-line-not-delimited.835": {
    transactions: 1,
    claims: 3,
    serviceLines: 10,
    paidCents: 4575,
    warnings: [],
  },
  // newline terminators, 3,617 claims; SE says 31 segments where ST…SE hold 28,951 (the
  // claims were multiplied without updating SE01): refused
  "tastypackets__x12-parser__test_testFiles_835_multiLineNotDelimited.835": {
    rejected: "segment 28953 (SE), element 1",
    warnings: [],
  },
  // ISA13 ≠ IEA02: the trailer is not this interchange's (cut or joined): refused
  "tastypackets__x12-parser__test_testFiles_errorISA.835": {
    rejected: "segment 35 (IEA), element 2",
    warnings: [],
  },
  // two interchanges; last IEA has no terminator
  "tastypackets__x12-parser__test_testFiles_oneLine.835": {
    transactions: 2,
    claims: 4,
    serviceLines: 0,
    paidCents: 296398,
    warnings: ["segment 70 (IEA)"],
  },
};

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

describe("public 835 fixtures", () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".835"));

  it("has an expected outcome for every file", () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of files) {
    const expected = EXPECTED[name];
    it(`${name.slice(0, 90)}`, { timeout: 20_000 }, async () => {
      const result = await parse835(fixture(name));
      expect(result.warnings.map((w) => w.where)).toEqual(expected?.warnings);
      if (expected !== undefined && "rejected" in expected) {
        expect(result.errors.map((e) => e.where)).toContain(expected.rejected);
        if (expected.rejected === "file") expect(result.errors[0].message).toMatch(/\(ISA\)/);
      } else if (expected !== undefined) {
        expect(result.errors).toEqual([]);
        expect(result.counts).toEqual({
          transactions: expected.transactions,
          claims: expected.claims,
          serviceLines: expected.serviceLines,
          paidCents: expected.paidCents,
        });
      }
      for (const issue of [...result.warnings, ...result.errors]) {
        expect(issue.where).toMatch(
          /^(segment \d+( \([^)]+\))?(, element \d+)?|file|start of file|end of file.*|(after|before) segment .*)$/,
        );
        expect(issue.message.length).toBeGreaterThan(10);
      }
    });
  }

  /**
   * The published samples refused only for their SE01: with the count set to the number of
   * segments from ST to SE (counted independently: the file's segments between ST*835 and SE,
   * both included), they read whole, with the figures pinned before the count became strict.
   */
  const SE01_ONLY: Record<string, { declared: number; actual: number; claims: number; serviceLines: number; paidCents: number }> = {
    "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-1.835": {
      declared: 28,
      actual: 30,
      claims: 2,
      serviceLines: 0,
      paidCents: 14999873,
    },
    "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-2.835": {
      declared: 25,
      actual: 28,
      claims: 2,
      serviceLines: 2,
      paidCents: 94500,
    },
    "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3a.835": {
      declared: 38,
      actual: 39,
      claims: 2,
      serviceLines: 2,
      paidCents: 122200,
    },
    "kputnam__stupidedi__spec_fixtures_005010_X221-HP835_pass_business-scenario-3c.835": {
      declared: 38,
      actual: 26,
      claims: 1,
      serviceLines: 1,
      paidCents: 3400,
    },
    "kputnam__stupidedi__spec_fixtures_X221-HP835_2-bad.835": { declared: 25, actual: 26, claims: 2, serviceLines: 2, paidCents: 94500 },
    "tastypackets__x12-parser__test_testFiles_835_multiLineNotDelimited.835": {
      declared: 31,
      actual: 28951,
      claims: 3617,
      serviceLines: 0,
      paidCents: 148199,
    },
  };

  for (const [name, fix] of Object.entries(SE01_ONLY)) {
    it(`reads ${name.slice(0, 60)}… whole once its SE01 says ${fix.actual}`, () => {
      const text = fixture(name).toString("utf8");
      // Segments from ST*835 to SE, both included, split on the terminator ('~' or a line break).
      const term = text.includes("~") ? "~" : "\n";
      const segments = text
        .split(term)
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const st = segments.findIndex((s) => s.startsWith("ST*835"));
      const se = segments.findIndex((s, i) => i > st && s.startsWith("SE*"));
      expect(se - st + 1).toBe(fix.actual);
      expect(segments[se].split("*")[1]).toBe(String(fix.declared));
      const fixed = text.replace(segments[se], segments[se].replace(`SE*${fix.declared}*`, `SE*${fix.actual}*`));
      const r = parse835Text(fixed);
      expect(r.errors).toEqual([]);
      expect(r.counts).toEqual({ transactions: 1, claims: fix.claims, serviceLines: fix.serviceLines, paidCents: fix.paidCents });
    });
  }

  it("gives the same result from bytes as from the decoded text", () => {
    for (const name of files) {
      const bytes = fixture(name);
      expect(parse835Sync(bytes), name).toEqual(parse835Text(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)));
    }
  });

  it("gives the same result fed 1 byte at a time and in random-size chunks", { timeout: 60_000 }, async () => {
    for (const name of files) {
      const bytes = fixture(name);
      const whole = parse835Sync(bytes);
      const text = bytes.toString("utf8");
      if (bytes.length < 10_000) expect(parse835Sync(byteChunks(text, [1])), name).toEqual(whole);
      const sizes = Array.from({ length: 17 }, (_, i) => ((i * 7919 + name.length * 31) % 997) + 1);
      expect(await parse835(streamOf(byteChunks(text, sizes))), name).toEqual(whole);
    }
  });
});

describe("example practice remits", () => {
  for (const payer of ["medicare", "united"]) {
    it(`remit-${payer}.835 matches expected-remit-${payer}-counts.json`, async () => {
      const expected = JSON.parse(readFileSync(path.join(PRACTICE, `expected-remit-${payer}-counts.json`), "utf8"));
      const result = await parse835(readFileSync(path.join(PRACTICE, `remit-${payer}.835`)));
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect({
        claims: result.counts.claims,
        paidCents: result.counts.paidCents,
        serviceLines: result.counts.serviceLines,
      }).toEqual(expected);
    });
  }

  it("gives AMT*B6 where the example's Medicare lines send it, and nothing paid on its CO-119 denials", async () => {
    const result = await parse835(readFileSync(path.join(PRACTICE, "remit-medicare.835")));
    const lines = result.transactions.flatMap((t) => t.claims.flatMap((c) => c.serviceLines));
    // the first line of CLM00001 (hand-read): AMT*B6*119.38
    expect(lines[0]?.reportedAllowedCents).toBe(11938);
    for (const line of lines) {
      if (line.adjustments.some((a) => a.reason === "119")) {
        expect(line.paidCents).toBe(0);
        expect(line.reportedAllowedCents).toBeNull();
      }
    }
    expect(lines.some((l) => l.adjustments.some((a) => a.reason === "253"))).toBe(true);
  });
});
