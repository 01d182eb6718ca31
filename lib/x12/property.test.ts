/**
 * Property tests: damaged files never make the reader throw or hang, and never yield
 * wrong totals silently. The invariant: a base file that reads without any issue, once
 * mutated, either reports an issue (an error, or a warning such as a balance or segment
 * count that no longer adds up) or still has the base's Σ CLP04. And a change to any
 * amount that enters a balance is always reported by a balancing check.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generate835 } from "@/prisma/generator/x12";
import { parse835, parse835Sync, parse835Text } from "./read835";
import { byteChunks, streamOf } from "@/prisma/generator/x12/chunks";
import type { Parsed835 } from "./types";

const FIXTURES = path.resolve(import.meta.dirname, "../../e2e/fixtures");

const generated = generate835({
  seed: 20260101,
  claimCount: 40,
  claimsPerTransaction: 15,
  providerAdjustments: [
    { reasonCode: "WO", reference: "ICN77", amountCents: 1234 },
    { reasonCode: "L6", amountCents: -56 },
  ],
}).text;

const BASES: Record<string, string> = {
  generated,
  "with separators |^ and newline terminators": generate835({
    seed: 7,
    claimCount: 12,
    delimiters: { element: "|", component: "^", segment: "\n" },
  }).text,
  "remit-united.835": readFileSync(path.join(FIXTURES, "example-practice/remit-united.835"), "utf8"),
  "united healthcare sample": readFileSync(
    path.join(FIXTURES, "835/keironstoddart__edi-835-parser__tests_test_edi_835_files_united_healthcare_legacy_sample.835"),
    "utf8",
  ),
  "secondary payments": readFileSync(
    path.join(
      FIXTURES,
      "835/kputnam__stupidedi__spec_fixtures_005010_X221A1_HP835_Health_Care_Claim_Payment_Advice_pass_secondary-payments.835",
    ),
    "utf8",
  ),
};

type Mutation =
  | { kind: "drop"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "replace"; at: number; char: string }
  | { kind: "truncate"; at: number }
  | { kind: "swap-one"; at: number; char: string }
  | { kind: "swap-all"; a: string; b: string }
  | { kind: "digit"; at: number; shift: number };

const DELIMITERS = ["*", ":", "~", "|", "^", ">", "\n"];

function mutation(length: number): fc.Arbitrary<Mutation> {
  const at = fc.integer({ min: 0, max: Math.max(0, length - 1) });
  return fc.oneof(
    fc.record({ kind: fc.constant("drop" as const), at, length: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant("duplicate" as const), at, length: fc.integer({ min: 1, max: 60 }) }),
    fc.record({
      kind: fc.constant("replace" as const),
      at,
      char: fc.constantFrom(...DELIMITERS, "0", "9", "A", ".", "-", " ", "\r"),
    }),
    fc.record({ kind: fc.constant("truncate" as const), at }),
    fc.record({ kind: fc.constant("swap-one" as const), at, char: fc.constantFrom(...DELIMITERS) }),
    fc.record({ kind: fc.constant("digit" as const), at, shift: fc.integer({ min: 1, max: 9 }) }),
    fc.record({
      kind: fc.constant("swap-all" as const),
      a: fc.constantFrom(...DELIMITERS),
      b: fc.constantFrom(...DELIMITERS),
    }),
  );
}

function apply(text: string, m: Mutation): string {
  switch (m.kind) {
    case "drop":
      return text.slice(0, m.at) + text.slice(m.at + m.length);
    case "duplicate":
      return text.slice(0, m.at + m.length) + text.slice(m.at, m.at + m.length) + text.slice(m.at + m.length);
    case "replace":
      return text.slice(0, m.at) + m.char + text.slice(m.at + 1);
    case "truncate":
      return text.slice(0, m.at);
    case "swap-one": {
      // Replace the delimiter nearest to `at` with another delimiter.
      let i = m.at;
      while (i < text.length && !DELIMITERS.includes(text[i])) i++;
      if (i >= text.length) return text;
      return text.slice(0, i) + m.char + text.slice(i + 1);
    }
    case "digit": {
      // Change the digit nearest to `at` (amounts, counts, dates, ids alike).
      let i = m.at;
      while (i < text.length && !/\d/.test(text[i])) i++;
      if (i >= text.length) return text;
      return text.slice(0, i) + String((Number(text[i]) + m.shift) % 10) + text.slice(i + 1);
    }
    case "swap-all": {
      let out = "";
      for (const ch of text) out += ch === m.a ? m.b : ch === m.b ? m.a : ch;
      return out;
    }
  }
}

function silentlyWrong(base: Parsed835, mutated: Parsed835): boolean {
  return mutated.errors.length === 0 && mutated.warnings.length === 0 && mutated.counts.paidCents !== base.counts.paidCents;
}

describe("mutated files", () => {
  for (const [name, text] of Object.entries(BASES)) {
    const base = parse835Text(text);

    it(`${name}: the base reads cleanly`, () => {
      expect(base.errors).toEqual([]);
      expect(base.warnings).toEqual([]);
      expect(base.counts.claims).toBeGreaterThan(0);
    });

    it(`${name}: never throws, never silently returns other totals`, { timeout: 60_000 }, () => {
      fc.assert(
        fc.property(fc.array(mutation(text.length), { minLength: 1, maxLength: 2 }), (mutations) => {
          const damaged = mutations.reduce(apply, text);
          const result = parse835Text(damaged);
          expect(Array.isArray(result.errors)).toBe(true);
          expect(silentlyWrong(base, result)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("streaming in random chunks gives the same result as the whole text, damaged or not", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        mutation(generated.length),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
        async (m, sizes) => {
          const damaged = apply(generated, m);
          const whole = parse835Text(damaged);
          expect(parse835Sync(byteChunks(damaged, sizes))).toEqual(whole);
          expect(await parse835(streamOf(byteChunks(damaged, sizes)))).toEqual(whole);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Where every amount that enters a balance check sits in the text: [start, end) offsets. */
function balancedAmountRanges(text: string): Array<[number, number, string]> {
  const ranges: Array<[number, number, string]> = [];
  const isAmount = (id: string, k: number): boolean => {
    switch (id) {
      case "BPR":
        return k === 2;
      case "CLP":
        return k === 3 || k === 4 || k === 5;
      case "SVC":
        return k === 2 || k === 3;
      case "CAS":
        return k >= 3 && k % 3 === 0;
      case "PLB":
        return k >= 4 && k % 2 === 0;
      default:
        return false;
    }
  };
  let at = 0;
  for (const segment of text.split("~\n")) {
    const elements = segment.split("*");
    if (["BPR", "CLP", "SVC", "CAS", "PLB"].includes(elements[0])) {
      let offset = at + elements[0].length + 1;
      for (let k = 1; k < elements.length; k++) {
        if (isAmount(elements[0], k) && /\d/.test(elements[k])) ranges.push([offset, offset + elements[k].length, `${elements[0]}${k}`]);
        offset += elements[k].length + 1;
      }
    }
    at += segment.length + 2;
  }
  return ranges;
}

describe("a changed amount is always reported", () => {
  const base = parse835Text(generated);
  const ranges = balancedAmountRanges(generated);

  it("finds the amounts of every kind in the generated file", () => {
    const kinds = new Set(ranges.map((r) => r[2]));
    for (const kind of ["BPR2", "CLP3", "CLP4", "CLP5", "SVC2", "SVC3", "CAS3", "CAS6", "PLB4"]) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it("by a balancing warning naming the mismatch", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ranges.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (which, digitPick, shift) => {
        const [start, end] = ranges[which];
        const digits: number[] = [];
        for (let i = start; i < end; i++) if (/\d/.test(generated[i])) digits.push(i);
        const i = digits[digitPick % digits.length];
        const changed = String((Number(generated[i]) + shift) % 10);
        const damaged = generated.slice(0, i) + changed + generated.slice(i + 1);
        const result = parse835Text(damaged);
        const reported =
          result.errors.length > 0 ||
          result.warnings.some((w) => /does not balance|total payment \(BPR02\)|patient responsibility \(CLP05\)/.test(w.message));
        expect(reported).toBe(true);
        // The reader reports the changed data as it is; nothing is silently corrected.
        if (result.errors.length === 0) expect(result.counts.claims).toBe(base.counts.claims);
      }),
      { numRuns: 400 },
    );
  });
});
