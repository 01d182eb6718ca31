/**
 * Small hand-written 835 files for the reader's tests (lib/x12/*.test.ts): an ISA, a header,
 * a whole interchange with its counts. Segments are written with `*`, `:` and `~`;
 * `withDelimiters` rewrites them for other delimiter sets. Test material: the app never
 * imports it (random and given claims are written by synthetic.ts).
 */

export interface EnvelopeOptions {
  element?: string;
  component?: string;
  /** Written after each segment: "~", "~\n", "\n", "~\r\n", ... Default "~\n". */
  terminator?: string;
  /** ISA11: "^" (5010 repetition separator) or "U" (4010). */
  repetition?: string;
  controlNumber?: string;
  /** Leave ISA16 empty. */
  emptyComponent?: boolean;
}

/** A standard 106-character ISA (without its terminator). */
export function isa(options: EnvelopeOptions = {}): string {
  const element = options.element ?? "*";
  const component = options.emptyComponent ? "" : (options.component ?? ":");
  const control = options.controlNumber ?? "000000001";
  return [
    "ISA",
    "00",
    "          ",
    "00",
    "          ",
    "ZZ",
    "PAYERSENDER    ",
    "ZZ",
    "PRACTICERECV   ",
    "260101",
    "1200",
    options.repetition ?? "^",
    "00501",
    control,
    "0",
    "P",
    component,
  ].join(element);
}

/**
 * A complete interchange: one GS with the given transactions (each a list of segments in
 * `*`/`:` notation, without ST/SE), with correct SE/GE/IEA counts.
 */
export function interchange(transactions: string[][], options: EnvelopeOptions = {}): string {
  const term = options.terminator ?? "~\n";
  const element = options.element ?? "*";
  const component = options.component ?? ":";
  const convert = (segment: string) => withDelimiters(segment, element, component);
  const out: string[] = [isa(options) + term];
  out.push(convert("GS*HP*PAYERSENDER*PRACTICERECV*20260101*1200*7*X*005010X221A1") + term);
  transactions.forEach((segments, index) => {
    const control = String(index + 1).padStart(4, "0");
    const type = segments[0]?.startsWith("ST*") ? null : "835";
    const body = type === null ? segments.slice(1) : segments;
    out.push(convert(type === null ? segments[0] : `ST*835*${control}`) + term);
    for (const line of body) out.push(convert(line) + term);
    const stControl = (type === null ? segments[0] : `ST*835*${control}`).split("*")[2];
    out.push(convert(`SE*${body.length + 2}*${stControl}`) + term);
  });
  out.push(convert(`GE*${transactions.length}*7`) + term);
  out.push(convert(`IEA*1*${options.controlNumber ?? "000000001"}`) + term);
  return out.join("");
}

/** Rewrites a segment written with `*` and `:` for other element/component separators. */
export function withDelimiters(segment: string, element: string, component: string): string {
  let out = "";
  for (const ch of segment) out += ch === "*" ? element : ch === ":" ? component : ch;
  return out;
}

/** A header (BPR … N1*PE) paying `totalDollars`. */
export function header(totalDollars: string, extra: string[] = []): string[] {
  return [
    `BPR*I*${totalDollars}*C*ACH*CCP*01*999999999*DA*123456*1999999999**01*888888888*DA*654321*20260115`,
    "TRN*1*EFT12345*1999999999",
    "DTM*405*20260114",
    "N1*PR*EXAMPLE PAYER",
    "REF*2U*PAYER01",
    "N1*PE*EXAMPLE PRACTICE*XX*1999999998",
    ...extra,
  ];
}
