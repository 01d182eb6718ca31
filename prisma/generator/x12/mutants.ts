/**
 * Damaged copies of an 835, for the tests that a damaged file is refused or loses nothing
 * (lib/x12/mutants.test.ts). Test material: the app never imports it.
 *
 * Segments are located with the tokenizer (where a segment starts and ends in the text; the
 * outcome of reading a mutant is what the tests assert, not this).
 */
import { X12Tokenizer } from "@/lib/x12/tokenizer";
import type { Parsed835 } from "@/lib/x12/types";

export interface Span {
  id: string;
  /** Offset of the segment's first character in the text. */
  start: number;
  /** Offset just after its last element (before the terminator and line breaks). */
  end: number;
  /** Offset just after its terminator (or `end` when it has none). */
  termEnd: number;
  /** Element separator and terminator of the segment's interchange. */
  sep: string;
  term: string;
}

/** Where each segment of `text` is. */
export function segmentSpans(text: string): Span[] {
  const spans: Span[] = [];
  // The tokenizer drops a byte-order mark and counts from the character after it.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tokenizer: X12Tokenizer = new X12Tokenizer({
    segment(seg) {
      const d = tokenizer.currentDelimiters ?? seg.delimiters;
      const start = seg.start + shift;
      const end = seg.end + shift;
      let termEnd = end;
      while (termEnd < text.length && (text[termEnd] === "\r" || text[termEnd] === "\n") && text[termEnd] !== d.segment) termEnd++;
      if (text[termEnd] === d.segment) termEnd++;
      else termEnd = end;
      spans.push({ id: seg.id, start, end, termEnd, sep: d.element, term: d.segment });
    },
    warning() {},
    error() {},
  });
  tokenizer.push(text);
  tokenizer.end();
  return spans;
}

export type MutantKind = "cut" | "boundary-cut" | "delete" | "segment-id" | "count" | "control-number" | "transaction-set";

export interface Mutant {
  kind: MutantKind;
  /** What was done, for a failing assertion's message. */
  label: string;
  text: string;
  /**
   * For "boundary-cut": the file cut right after a complete interchange trailer is itself a
   * complete file; `rest` is what was cut off (read separately, the two must add up to the
   * original).
   */
  rest?: string;
}

/** A different upper-case letter for position i of a segment id. */
function changedChar(c: string): string {
  return c === "X" ? "Q" : "X";
}

function replaceElement(text: string, span: Span, k: number, value: (old: string) => string): string | null {
  const elements = text.slice(span.start, span.end).split(span.sep);
  if (elements.length <= k) return null;
  elements[k] = value(elements[k]);
  return text.slice(0, span.start) + elements.join(span.sep) + text.slice(span.end);
}

export interface MutantOptions {
  /**
   * At most this many segments get their id corrupted (the first of each envelope and money
   * segment id, then of each other id, then evenly spread ones); every segment when absent.
   */
  maxIdSegments?: number;
}

/**
 * Every mutant of `text`:
 * - cut inside each interchange trailer (IEA) and header (ISA), and right after the `I`,
 *   `IS`, `ISA`, `ISA*` of the next header; a cut right after a complete IEA is a
 *   "boundary-cut";
 * - each envelope segment (ISA, GS, ST, SE, GE, IEA) deleted;
 * - each segment id in lower case and with each of its characters changed;
 * - each envelope count (SE01, GE01, IEA01) one more and one less;
 * - each trailer control number (SE02, GE02, IEA02) changed;
 * - each 835 transaction set identifier (ST01) with a changed character (`8X5`) and as `836`.
 *
 * The label of a "count", "control-number" or "transaction-set" mutant starts with
 * `segment N (ID)`, the segment that was changed.
 */
export function mutantsOf(text: string, options: MutantOptions = {}): Mutant[] {
  const spans = segmentSpans(text);
  const out: Mutant[] = [];
  const seen = new Set<string>([text]);
  const add = (m: Mutant) => {
    if (seen.has(m.text)) return;
    seen.add(m.text);
    out.push(m);
  };

  // Cuts.
  spans.forEach((span, index) => {
    if (span.id === "IEA") {
      for (let p = span.start + 1; p < span.end; p++)
        add({ kind: "cut", label: `cut inside segment ${index + 1} (IEA) at ${p}`, text: text.slice(0, p) });
      const next = spans.slice(index + 1).find((s) => s.id === "ISA");
      const restFrom = next?.start ?? text.length;
      for (const p of [span.end, span.termEnd]) {
        add({
          kind: "boundary-cut",
          label: `cut after segment ${index + 1} (IEA) at ${p}`,
          text: text.slice(0, p),
          rest: text.slice(restFrom),
        });
      }
      if (next !== undefined) {
        for (const n of [1, 2, 3, 4]) {
          add({
            kind: "cut",
            label: `cut ${n} characters into the ISA after segment ${index + 1} (IEA)`,
            text: text.slice(0, next.start + n),
          });
        }
      }
    } else if (span.id === "ISA") {
      const width = span.end - span.start;
      for (const n of [1, 2, 3, 4, 50, width - 1, width]) {
        if (n > 0 && n <= width)
          add({ kind: "cut", label: `cut ${n} characters into segment ${index + 1} (ISA)`, text: text.slice(0, span.start + n) });
      }
    }
  });

  // Envelope segments deleted.
  spans.forEach((span, index) => {
    if (!["ISA", "GS", "ST", "SE", "GE", "IEA"].includes(span.id)) return;
    add({ kind: "delete", label: `segment ${index + 1} (${span.id}) deleted`, text: text.slice(0, span.start) + text.slice(span.termEnd) });
  });

  // Segment ids corrupted.
  let chosen = spans.map((_, i) => i);
  const max = options.maxIdSegments;
  if (max !== undefined && spans.length > max) {
    // The first segment of each envelope and money-carrying id, then the first of each other
    // id, then segments spread evenly over the file, up to `max`.
    const picked = new Set<number>();
    const firstOf = (id: string) => spans.findIndex((s) => s.id === id);
    for (const id of ["ISA", "GS", "ST", "BPR", "CLP", "SVC", "CAS", "PLB", "SE", "GE", "IEA"]) {
      const i = firstOf(id);
      if (i >= 0 && picked.size < max) picked.add(i);
    }
    for (const id of new Set(spans.map((s) => s.id))) {
      if (picked.size < max) picked.add(firstOf(id));
    }
    const step = spans.length / max;
    for (let x = step / 2; picked.size < max && x < spans.length; x += step) picked.add(Math.floor(x));
    chosen = [...picked].sort((a, b) => a - b);
  }
  for (const index of chosen) {
    const span = spans[index];
    const id = span.id;
    if (id.length < 2 || id.length > 3) continue;
    const at = (replacement: string) => text.slice(0, span.start) + replacement + text.slice(span.start + id.length);
    add({ kind: "segment-id", label: `segment ${index + 1} (${id}) written '${id.toLowerCase()}'`, text: at(id.toLowerCase()) });
    for (let i = 0; i < id.length; i++) {
      const changed = id.slice(0, i) + changedChar(id[i]) + id.slice(i + 1);
      add({ kind: "segment-id", label: `segment ${index + 1} (${id}) written '${changed}'`, text: at(changed) });
    }
  }

  // Envelope counts and control numbers.
  spans.forEach((span, index) => {
    if (span.id !== "SE" && span.id !== "GE" && span.id !== "IEA") return;
    for (const delta of [1, -1]) {
      const mutated = replaceElement(text, span, 1, (old) => String(Number(old) + delta));
      if (mutated !== null)
        add({ kind: "count", label: `segment ${index + 1} (${span.id}) count ${delta > 0 ? "+1" : "-1"}`, text: mutated });
    }
    const mutated = replaceElement(text, span, 2, (old) => (old.length === 0 ? "1" : old.slice(0, -1) + (old.endsWith("7") ? "8" : "7")));
    if (mutated !== null) add({ kind: "control-number", label: `segment ${index + 1} (${span.id}) control number changed`, text: mutated });
  });

  // Transaction set identifiers.
  spans.forEach((span, index) => {
    if (span.id !== "ST") return;
    for (const value of ["8X5", "836"]) {
      const mutated = replaceElement(text, span, 1, (old) => (old === "835" ? value : old));
      if (mutated !== null) add({ kind: "transaction-set", label: `segment ${index + 1} (ST) transaction set '${value}'`, text: mutated });
    }
  });
  return out;
}

/** The figures that must survive: claims, Σ CLP04, Σ SVC03, Σ BPR02 (signed by BPR03), transactions. */
export interface MoneyFigures {
  transactions: number;
  claims: number;
  paidCents: number;
  linePaidCents: number;
  paymentCents: number;
}

export function moneyFigures(parsed: Parsed835): MoneyFigures {
  let linePaidCents = 0;
  let paymentCents = 0;
  for (const t of parsed.transactions) {
    paymentCents += t.creditDebit === "D" ? -t.totalPaymentCents : t.totalPaymentCents;
    for (const c of t.claims) for (const l of c.serviceLines) linePaidCents += l.paidCents;
  }
  return {
    transactions: parsed.counts.transactions,
    claims: parsed.counts.claims,
    paidCents: parsed.counts.paidCents,
    linePaidCents,
    paymentCents,
  };
}

/** The sum of two readings (a file read in two parts). */
export function addFigures(a: MoneyFigures, b: MoneyFigures): MoneyFigures {
  return {
    transactions: a.transactions + b.transactions,
    claims: a.claims + b.claims,
    paidCents: a.paidCents + b.paidCents,
    linePaidCents: a.linePaidCents + b.linePaidCents,
    paymentCents: a.paymentCents + b.paymentCents,
  };
}
