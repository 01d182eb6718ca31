/**
 * A damaged 835 is refused, never read with a warning while claims or dollars go missing.
 *
 * Every public fixture 835 and both 835s of the example practice are mutated (see
 * mutantsOf: cuts inside and right after each interchange trailer and header, envelope
 * segments deleted, every segment id in lower case and with each character changed, every
 * envelope count one off, every trailer control number changed, every ST01 damaged). A
 * changed count (SE01, GE01, IEA01), control number or ST01 in a file that reads cleanly
 * must be refused at the segment that was changed, whatever the amounts say. Any other
 * mutant must be refused with an error naming a segment, or read without error and with every claim and
 * every dollar of the file as it was: claim count, Σ CLP04, Σ SVC03, Σ BPR02 (signed by
 * BPR03) and the number of 835 transactions. A cut right after a complete interchange
 * trailer is a complete, shorter file: its reading plus the reading of what was cut off must
 * give the whole file's figures.
 *
 * The unmutated files' own figures are pinned independently in fixtures.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse835Sync, parse835Text } from "./read835";
import { addFigures, type MoneyFigures, moneyFigures, mutantsOf, segmentSpans } from "@/prisma/generator/x12/mutants";
import type { Parsed835 } from "./types";

const FIXTURES = path.resolve(import.meta.dirname, "../../e2e/fixtures");

const FILES: string[] = [
  ...readdirSync(path.join(FIXTURES, "835"))
    .filter((f) => f.endsWith(".835"))
    .sort()
    .map((f) => `835/${f}`),
  "example-practice/remit-medicare.835",
  "example-practice/remit-united.835",
];

/**
 * Segments whose id is corrupted, per file: all of them in the public fixtures (at most 43
 * segments each, except one of 28,953 in 836 KB); a deterministic sample in larger files (48
 * of the example practice's remits of about 470 and 390 segments; 6 of the 836 KB one, whose
 * 3,617 claims are alike) to keep the run to a few seconds.
 */
function maxIdSegments(length: number): number {
  return length > 100_000 ? 6 : 48;
}

/** Damage that must always be refused in a file that reads cleanly, at the changed segment. */
const STRICT = new Set(["count", "control-number", "transaction-set"]);

const NONE: MoneyFigures = { transactions: 0, claims: 0, paidCents: 0, linePaidCents: 0, paymentCents: 0 };

function read(text: string): Parsed835 {
  return parse835Text(text);
}

/** A refusal names a segment (or, when there is no ISA at all, the file and the ISA). */
function namesASegment(parsed: Parsed835): boolean {
  return parsed.errors.some((e) => /\bsegment \d+/.test(e.where) || (e.where === "file" && /\(ISA\)/.test(e.message)));
}

function text(file: string): string {
  return readFileSync(path.join(FIXTURES, file), "utf8");
}

describe("mutated 835s are refused or keep every claim and dollar", () => {
  let total = 0;

  for (const file of FILES) {
    it(file.replace(/^835\//, "").slice(0, 90), { timeout: 30_000 }, () => {
      const original = text(file);
      const base = read(original);
      const expected = moneyFigures(base);
      const mutants = mutantsOf(original, { maxIdSegments: maxIdSegments(original.length) });
      total += mutants.length;
      const failures: string[] = [];
      mutants.forEach((m, n) => {
        const r = read(m.text);
        // Every 7th mutant also read as bytes (the importer's path): the same verdict and figures.
        if (n % 7 === 0) {
          const bytes = parse835Sync(Buffer.from(m.text, "utf8"));
          if (bytes.errors.length > 0 !== r.errors.length > 0 || JSON.stringify(moneyFigures(bytes)) !== JSON.stringify(moneyFigures(r))) {
            failures.push(`${m.label}: bytes and text read differently`);
          }
        }
        if (STRICT.has(m.kind) && base.errors.length === 0) {
          // "segment 31 (SE) count +1" → the refusal names segment 31 (SE).
          const at = /^segment \d+ \([A-Z]+\)/.exec(m.label)?.[0] ?? m.label;
          if (!r.errors.some((e) => e.where === at || e.where.startsWith(`${at},`))) {
            failures.push(`${m.label}: not refused at ${at}: ${JSON.stringify(r.errors.slice(0, 2))}`);
          }
          return;
        }
        if (r.errors.length > 0) {
          if (!namesASegment(r)) failures.push(`${m.label}: refused without naming a segment: ${JSON.stringify(r.errors[0])}`);
          return;
        }
        const got = moneyFigures(r);
        if (m.kind === "boundary-cut") {
          const rest = m.rest === undefined || m.rest.trim() === "" ? NONE : moneyFigures(read(m.rest));
          const sum = addFigures(got, rest);
          if (JSON.stringify(sum) !== JSON.stringify(expected)) {
            failures.push(`${m.label}: read ${JSON.stringify(got)} + cut off ${JSON.stringify(rest)} ≠ ${JSON.stringify(expected)}`);
          }
          return;
        }
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          failures.push(`${m.label}: accepted with ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
        }
      });
      expect(failures.slice(0, 20)).toEqual([]);
      // The file has segments (the one without an ISA has none to mutate).
      if (segmentSpans(original).length > 0) expect(mutants.length).toBeGreaterThan(40);
    });
  }

  it("ran every mutant", () => {
    // About 6,000 mutants over 42 files (the count is printed for the record).
    console.log(`835 mutants read: ${total}`);
    expect(total).toBeGreaterThan(5000);
  });
});

describe("the damage that used to be read with a warning", () => {
  // A $150,000.00 payment (BPR*C*150000, 2 claims) followed by a second interchange paying
  // $1,222.00 (2 claims): 4 claims, Σ BPR02 = 15,000,000 + 122,200 = 15,122,200 cents.
  const first = text("835/LinuxForHealth__x12__demo-file_demo.835");
  const second = text("835/kputnam__stupidedi__samples_835_3a.835");
  const joined = `${first.trimEnd()}\n${second}`;

  it("reads the two interchanges whole", () => {
    const r = read(joined);
    expect(r.errors).toEqual([]);
    expect(moneyFigures(r)).toMatchObject({ transactions: 2, claims: 4, paymentCents: 15_122_200 });
  });

  it("refuses the file when the first ISA is deleted or damaged, instead of skipping its interchange as prose", () => {
    const isaEnd = joined.indexOf("~", joined.indexOf("ISA*")) + 1;
    for (const damaged of [joined.slice(isaEnd).replace(/^\s+/, ""), `isa${joined.slice(3)}`, `IXA${joined.slice(3)}`]) {
      const r = read(damaged);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].where).toMatch(/^before segment 1 \(ISA\)$/);
      expect(r.errors[0].message).toMatch(/contains X12 data \('GS\*/);
    }
  });

  it("refuses the file cut inside the first IEA or right after the next I, IS or ISA", () => {
    const iea = joined.indexOf("IEA*1*000000907");
    // IEA*1*00000090 (one digit short): the control number is not the ISA's 000000907.
    expect(read(joined.slice(0, iea + "IEA*1*00000090".length)).errors.map((e) => e.where)).toEqual([
      expect.stringMatching(/^segment \d+ \(IEA\), element 2$/),
    ]);
    const next = joined.indexOf("ISA", iea);
    for (const n of [1, 2, 3]) {
      const r = read(joined.slice(0, next + n));
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].where).toMatch(/^after segment \d+ \(IEA\)$/);
      expect(r.errors[0].message).toContain(`ends with '${"ISA".slice(0, n)}'`);
    }
  });

  it("refuses a claim, line or payment whose segment id is in lower case or has a changed letter", () => {
    const base = text("835/kputnam__stupidedi__samples_835_3a.835");
    for (const [from, to] of [
      ["CLP*", "clp*"],
      ["CLP*", "CLX*"],
      ["SVC*", "svc*"],
      ["ST*835", "st*835"],
      ["ST*835", "SX*835"],
    ]) {
      const r = read(base.replace(from, to));
      expect(r.errors.length, `${from} → ${to}`).toBeGreaterThan(0);
      expect(r.errors[0].where, `${from} → ${to}`).toMatch(new RegExp(`^segment \\d+ \\(${to.slice(0, to.indexOf("*"))}\\)$`));
    }
  });

  it("refuses an SE01 one off in a transaction whose amounts all balance", () => {
    // 3a reads clean with SE*39 (39 segments from ST to SE); SE*38 and SE*40 must be refused.
    const base = text("835/kputnam__stupidedi__samples_835_3a.835");
    expect(read(base).errors).toEqual([]);
    const se = /SE\*(\d+)\*/.exec(base);
    expect(se).not.toBeNull();
    const declared = Number(se?.[1]);
    for (const off of [declared - 1, declared + 1]) {
      const r = read(base.replace(/SE\*\d+\*/, `SE*${off}*`));
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].where).toMatch(/^segment \d+ \(SE\), element 1$/);
      expect(r.errors[0].message).toContain(`says ${off} segments but transaction`);
    }
  });

  it("still reads prose before the first ISA and blank lines after the last IEA, with a warning for the prose", () => {
    const r = read(`From: payer@example.com\nSubject: ERA 2026-01-15 * weekly\n\n${joined}\n\n\r\n`);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.where)).toEqual(["segment 1 (ISA)"]);
    expect(moneyFigures(r)).toEqual(moneyFigures(read(joined)));
  });
});
