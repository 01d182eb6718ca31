/**
 * Writes valid synthetic 835 files: from given claims, or random therapy claims from a
 * seed (Medicare-like with coinsurance and sequestration, commercial, denials, reversals
 * with their corrections, provider adjustments). Every file balances: lines, claims, BPR,
 * SE/GE/IEA counts. Used by tests (generate → parse → same totals) and by the benchmark,
 * which streams a 100 MB file out of generate835Chunks without holding it in memory.
 */
import { adjustmentSegments as casSegments, type Delimiters, formatCents, segment as writeSegment, x12Date } from "./segments";

export interface SyntheticAdjustment {
  group: string;
  reason: string;
  amountCents: number;
  quantity?: number;
}

export interface SyntheticServiceLine {
  /** Defaults to HC. */
  qualifier?: string;
  procedureCode: string;
  modifiers?: string[];
  chargeCents: number;
  paidCents: number;
  units?: number;
  /** YYYY-MM-DD. */
  serviceDate: string;
  adjustments?: SyntheticAdjustment[];
  /** Written as AMT*B6 when set. */
  allowedCents?: number | null;
  remarkCodes?: string[];
  lineItemControlNumber?: string;
}

/**
 * A line paid as Medicare and most payers pay one: the charge above the allowed amount written off
 * (CO-45), 20% of the allowed the patient's coinsurance (PR-2, rounded to the cent), the rest paid.
 * Therapy modifier GP. For tests that need a remit of their own lines.
 */
export function paidServiceLine(code: string, date: string, chargeCents: number, allowedCents: number, units = 1): SyntheticServiceLine {
  const coinsurance = Math.round(allowedCents * 0.2);
  return {
    procedureCode: code,
    modifiers: ["GP"],
    serviceDate: date,
    units,
    chargeCents,
    paidCents: allowedCents - coinsurance,
    allowedCents,
    adjustments: [
      { group: "CO", reason: "45", amountCents: chargeCents - allowedCents },
      { group: "PR", reason: "2", amountCents: coinsurance },
    ],
  };
}

export interface SyntheticClaim {
  patientControlNumber: string;
  /** CLP02; default "1". "22" writes a reversal (give negative amounts). */
  status?: string;
  payerClaimControlNumber: string;
  /** Default: Σ line charges. */
  chargeCents?: number;
  /** Default: Σ line payments. */
  paidCents?: number;
  /** Default: Σ PR adjustments (claim and lines). */
  patientResponsibilityCents?: number;
  /** CLP06; default "12". */
  filingIndicator?: string;
  patient?: { lastName: string; firstName: string; memberId: string };
  /** Claim-level CAS. */
  adjustments?: SyntheticAdjustment[];
  serviceLines?: SyntheticServiceLine[];
}

export interface SyntheticProviderAdjustment {
  reasonCode: string;
  reference?: string;
  /** Positive takes money back from the provider; negative adds (e.g. interest). */
  amountCents: number;
}

export interface Generate835Options {
  /** Write exactly these claims; otherwise random claims from `seed`. */
  claims?: SyntheticClaim[];
  seed?: number;
  /** Random claims to write (default 20 when neither claims nor targetBytes is given). */
  claimCount?: number;
  /** Keep writing random claims until the file is at least this many characters. */
  targetBytes?: number;
  /** Keep writing random claims until the file holds at least this many service lines. */
  targetServiceLines?: number;
  /** Claims per ST/SE transaction (default: 500 random; all given claims in one). */
  claimsPerTransaction?: number;
  /** PLB adjustments added to the last transaction (given claims only). */
  providerAdjustments?: SyntheticProviderAdjustment[];
  /** Override BPR02 of every transaction (to write an unbalanced file on purpose). */
  totalPaymentCents?: number;
  payerName?: string;
  payeeName?: string;
  payeeNpi?: string;
  /** YYYY-MM-DD; default 2026-12-01. */
  paymentDate?: string;
  delimiters?: { element?: string; component?: string; segment?: string; lineBreaks?: boolean };
}

export interface Generated835Totals {
  transactions: number;
  claims: number;
  serviceLines: number;
  /** Σ CLP04. */
  paidCents: number;
  providerAdjustmentCents: number;
  /** Characters written (equal to bytes: the output is ASCII). */
  bytes: number;
}

/** Small, fast, seedable PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THERAPY_CODES = ["97110", "97112", "97116", "97140", "97530", "97535", "97161", "97162", "97165", "97750", "G0283"];
const LAST_NAMES = ["SMITH", "JOHNSON", "LEE", "GARCIA", "NGUYEN", "BROWN", "DAVIS", "MILLER", "WILSON", "MOORE"];
const FIRST_NAMES = ["ANA", "BEN", "CARL", "DANA", "ELI", "FAY", "GUS", "HANA", "IVAN", "JUNE"];

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Random therapy claims; the same seed gives the same claims. */
export function randomRemitClaims(seed: number, count: number, firstNumber = 1): SyntheticClaim[] {
  const random = prng(seed);
  const claims: SyntheticClaim[] = [];
  let n = firstNumber;
  while (claims.length < count) {
    for (const claim of randomClaimGroup(random, n)) {
      if (claims.length < count) claims.push(claim);
    }
    n++;
  }
  return claims;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomDate(random: () => number): string {
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `2026-${pad(month, 2)}-${pad(day, 2)}`;
}

/** One claim, or (sometimes) a reversal of an earlier payment followed by its correction. */
function randomClaimGroup(random: () => number, n: number): SyntheticClaim[] {
  const medicare = random() < 0.5;
  const patient = {
    lastName: pick(random, LAST_NAMES),
    firstName: pick(random, FIRST_NAMES),
    memberId: `M${pad(Math.floor(random() * 1e8), 8)}`,
  };
  const date = randomDate(random);
  // a therapy visit bills two to five codes (a few claims carry no lines, only claim-level adjustments)
  const lineCount = random() < 0.05 ? 0 : 2 + Math.floor(random() * 4);
  const lines: SyntheticServiceLine[] = [];
  const claimAdjustments: SyntheticAdjustment[] = [];
  for (let i = 0; i < lineCount; i++) {
    const units = 1 + Math.floor(random() * 3);
    const chargeCents = units * (4000 + 500 * Math.floor(random() * 10));
    const modifiers = ["GP"];
    if (random() < 0.2) modifiers.push("KX");
    if (random() < 0.1) modifiers.push("CQ");
    if (random() < 0.1) modifiers.push("59");
    const code = pick(random, THERAPY_CODES);
    if (random() < 0.08) {
      lines.push({
        procedureCode: code,
        modifiers,
        units,
        chargeCents,
        paidCents: 0,
        serviceDate: date,
        adjustments: [{ group: "CO", reason: random() < 0.5 ? "119" : "50", amountCents: chargeCents }],
        remarkCodes: ["N640"],
        lineItemControlNumber: `L${n}-${i + 1}`,
      });
      continue;
    }
    const allowed = Math.min(chargeCents, units * (2000 + Math.floor(random() * 2500)));
    const patientShare = Math.round(allowed * 0.2);
    const sequestration = medicare ? Math.round((allowed - patientShare) * 0.02) : 0;
    const paid = allowed - patientShare - sequestration;
    const adjustments: SyntheticAdjustment[] = [];
    if (chargeCents > allowed) adjustments.push({ group: "CO", reason: "45", amountCents: chargeCents - allowed });
    if (sequestration > 0) adjustments.push({ group: "CO", reason: "253", amountCents: sequestration });
    if (patientShare > 0) adjustments.push({ group: "PR", reason: random() < 0.1 ? "1" : "2", amountCents: patientShare });
    lines.push({
      procedureCode: code,
      modifiers,
      units,
      chargeCents,
      paidCents: paid,
      serviceDate: date,
      adjustments,
      allowedCents: random() < 0.7 ? allowed : null,
      lineItemControlNumber: `L${n}-${i + 1}`,
    });
  }
  let charge = sum(lines.map((l) => l.chargeCents));
  let paid = sum(lines.map((l) => l.paidCents));
  if (lineCount === 0) {
    charge = 10000 + 500 * Math.floor(random() * 20);
    const allowed = Math.round(charge * 0.6);
    const share = Math.round(allowed * 0.2);
    claimAdjustments.push({ group: "CO", reason: "45", amountCents: charge - allowed });
    claimAdjustments.push({ group: "PR", reason: "2", amountCents: share });
    paid = allowed - share;
  }
  const claim: SyntheticClaim = {
    patientControlNumber: `CLM${pad(n, 8)}`,
    payerClaimControlNumber: `ICN${pad(n, 10)}`,
    filingIndicator: medicare ? "MB" : "12",
    patient,
    chargeCents: charge,
    paidCents: paid,
    adjustments: claimAdjustments,
    serviceLines: lines,
  };
  if (random() >= 0.03 || lines.length === 0) return [claim];
  // The payer takes back an earlier payment of this claim and pays it again, differently.
  const earlierPaid = lines.map((l) => l.paidCents + (l.paidCents > 100 ? 100 : 0));
  const reversal: SyntheticClaim = {
    ...claim,
    status: "22",
    // A reversal carries the payer claim number of the payment it takes back.
    payerClaimControlNumber: claim.payerClaimControlNumber,
    chargeCents: -charge,
    paidCents: -sum(earlierPaid),
    serviceLines: lines.map((l, i) => {
      const extra = earlierPaid[i] - l.paidCents;
      return {
        ...l,
        chargeCents: -l.chargeCents,
        paidCents: -earlierPaid[i],
        allowedCents: l.allowedCents == null ? null : -(l.allowedCents + extra),
        adjustments: (l.adjustments ?? []).map((a, k) => ({
          ...a,
          amountCents: -(a.amountCents - (k === 0 ? extra : 0)),
        })),
      };
    }),
  };
  // Keep the reversal balanced: its first adjustment absorbs the difference in payment.
  for (const line of reversal.serviceLines ?? []) {
    const adjusted = sum((line.adjustments ?? []).map((a) => a.amountCents));
    if (line.chargeCents - adjusted !== line.paidCents) {
      line.adjustments = [
        ...(line.adjustments ?? []),
        { group: "CO", reason: "45", amountCents: line.chargeCents - adjusted - line.paidCents },
      ];
    }
  }
  return [reversal, { ...claim, payerClaimControlNumber: `ICN${pad(n, 10)}C` }];
}

/** The file's delimiters, as the rest of this file names them. */
interface Writer {
  e: string;
  c: string;
  t: string;
}

function delimitersOf(w: Writer): Delimiters {
  return { element: w.e, component: w.c, terminator: w.t };
}

function segment(w: Writer, ...elements: string[]): string {
  return writeSegment(delimitersOf(w), ...elements);
}

function adjustmentSegments(w: Writer, adjustments: readonly SyntheticAdjustment[]): string[] {
  return casSegments(delimitersOf(w), adjustments);
}

interface TransactionText {
  text: string;
  claims: number;
  serviceLines: number;
  paidCents: number;
  providerAdjustmentCents: number;
}

function transactionText(
  w: Writer,
  control: number,
  claims: readonly SyntheticClaim[],
  providerAdjustments: readonly SyntheticProviderAdjustment[],
  options: Generate835Options,
): TransactionText {
  const body: string[] = [];
  let paidTotal = 0;
  let lineCount = 0;
  let lx = 0;
  for (const claim of claims) {
    const lines = claim.serviceLines ?? [];
    const claimAdjustments = claim.adjustments ?? [];
    const charge = claim.chargeCents ?? sum(lines.map((l) => l.chargeCents));
    const paid = claim.paidCents ?? sum(lines.map((l) => l.paidCents));
    let patientShare = 0;
    for (const a of claimAdjustments) if (a.group === "PR") patientShare += a.amountCents;
    for (const l of lines) for (const a of l.adjustments ?? []) if (a.group === "PR") patientShare += a.amountCents;
    const share = claim.patientResponsibilityCents ?? patientShare;
    paidTotal += paid;
    lineCount += lines.length;
    if (lx === 0 || lines.length === 0) {
      lx++;
      body.push(segment(w, "LX", String(lx)));
    }
    body.push(
      segment(
        w,
        "CLP",
        claim.patientControlNumber,
        claim.status ?? "1",
        formatCents(charge),
        formatCents(paid),
        share === 0 ? "" : formatCents(share),
        claim.filingIndicator ?? "12",
        claim.payerClaimControlNumber,
      ),
    );
    body.push(...adjustmentSegments(w, claimAdjustments));
    if (claim.patient !== undefined) {
      body.push(segment(w, "NM1", "QC", "1", claim.patient.lastName, claim.patient.firstName, "", "", "", "MI", claim.patient.memberId));
    }
    if (lines.length > 0) body.push(segment(w, "DTM", "232", x12Date(lines[0].serviceDate)));
    for (const line of lines) {
      const composite = [line.qualifier ?? "HC", line.procedureCode, ...(line.modifiers ?? [])].join(w.c);
      body.push(
        segment(
          w,
          "SVC",
          composite,
          formatCents(line.chargeCents),
          formatCents(line.paidCents),
          "",
          line.units === undefined || line.units === 1 ? "" : String(line.units),
        ),
      );
      body.push(segment(w, "DTM", "472", x12Date(line.serviceDate)));
      body.push(...adjustmentSegments(w, line.adjustments ?? []));
      if (line.lineItemControlNumber !== undefined) body.push(segment(w, "REF", "6R", line.lineItemControlNumber));
      if (line.allowedCents != null) body.push(segment(w, "AMT", "B6", formatCents(line.allowedCents)));
      for (const remark of line.remarkCodes ?? []) body.push(segment(w, "LQ", "HE", remark));
    }
  }
  let plbTotal = 0;
  for (let i = 0; i < providerAdjustments.length; i += 6) {
    const elements = ["PLB", options.payeeNpi ?? "1999999998", "20261231"];
    for (const p of providerAdjustments.slice(i, i + 6)) {
      elements.push(p.reference === undefined ? p.reasonCode : `${p.reasonCode}${w.c}${p.reference}`);
      elements.push(formatCents(p.amountCents));
      plbTotal += p.amountCents;
    }
    body.push(segment(w, "PLB", ...elements.slice(1)));
  }
  const net = paidTotal - plbTotal;
  const total = options.totalPaymentCents ?? Math.abs(net);
  const paymentDate = x12Date(options.paymentDate ?? "2026-12-01");
  const controlText = pad(control, 4);
  const header = [
    segment(w, "ST", "835", controlText, "005010X221A1"),
    segment(
      w,
      "BPR",
      total === 0 ? "H" : "I",
      formatCents(total),
      net < 0 ? "D" : "C",
      total === 0 ? "NON" : "ACH",
      total === 0 ? "" : "CCP",
      total === 0 ? "" : "01",
      total === 0 ? "" : "999999999",
      total === 0 ? "" : "DA",
      total === 0 ? "" : "123456",
      total === 0 ? "" : "1999999999",
      "",
      total === 0 ? "" : "01",
      total === 0 ? "" : "888888888",
      total === 0 ? "" : "DA",
      total === 0 ? "" : "654321",
      paymentDate,
    ),
    segment(w, "TRN", "1", `SYN${pad(control, 9)}`, "1999999999"),
    segment(w, "DTM", "405", paymentDate),
    segment(w, "N1", "PR", options.payerName ?? "SYNTHETIC PAYER"),
    segment(w, "REF", "2U", "99999"),
    segment(w, "N1", "PE", options.payeeName ?? "SYNTHETIC THERAPY PRACTICE", "XX", options.payeeNpi ?? "1999999998"),
  ];
  const segmentCount = header.length + body.length + 1;
  const text = header.join("") + body.join("") + segment(w, "SE", String(segmentCount), controlText);
  return {
    text,
    claims: claims.length,
    serviceLines: lineCount,
    paidCents: paidTotal,
    providerAdjustmentCents: plbTotal,
  };
}

function writerOf(options: Generate835Options): Writer {
  const d = options.delimiters ?? {};
  const e = d.element ?? "*";
  const c = d.component ?? ":";
  const terminator = d.segment ?? "~";
  const t = terminator + (d.lineBreaks === false || terminator === "\n" || terminator === "\r\n" ? "" : "\n");
  return { e, c, t };
}

/**
 * Streams a synthetic 835 as text chunks (one per transaction, plus envelope); returns
 * the totals a reader must find. Memory stays at one transaction.
 */
export function* generate835Chunks(options: Generate835Options = {}): Generator<string, Generated835Totals, undefined> {
  const w = writerOf(options);
  const totals: Generated835Totals = {
    transactions: 0,
    claims: 0,
    serviceLines: 0,
    paidCents: 0,
    providerAdjustmentCents: 0,
    bytes: 0,
  };
  const emit = (text: string) => {
    totals.bytes += text.length;
    return text;
  };
  const isa =
    [
      "ISA",
      "00",
      "          ",
      "00",
      "          ",
      "ZZ",
      "SYNTHETICPAYER ",
      "ZZ",
      "SYNTHETICPRACT ",
      "261201",
      "1200",
      "^",
      "00501",
      "000000001",
      "0",
      "P",
      w.c,
    ].join(w.e) + w.t;
  yield emit(isa);
  yield emit(segment(w, "GS", "HP", "SYNTHETICPAYER", "SYNTHETICPRACT", "20261201", "1200", "1", "X", "005010X221A1"));

  const addTransaction = (t: TransactionText) => {
    totals.transactions++;
    totals.claims += t.claims;
    totals.serviceLines += t.serviceLines;
    totals.paidCents += t.paidCents;
    totals.providerAdjustmentCents += t.providerAdjustmentCents;
    return emit(t.text);
  };

  if (options.claims !== undefined) {
    const per = options.claimsPerTransaction ?? Math.max(1, options.claims.length);
    for (let i = 0; i < options.claims.length || i === 0; i += per) {
      const batch = options.claims.slice(i, i + per);
      const last = i + per >= options.claims.length;
      yield addTransaction(transactionText(w, totals.transactions + 1, batch, last ? (options.providerAdjustments ?? []) : [], options));
    }
  } else {
    const random = prng(options.seed ?? 1);
    const per = options.claimsPerTransaction ?? 500;
    const target = options.targetBytes;
    const targetLines = options.targetServiceLines;
    const count = options.claimCount ?? (target === undefined && targetLines === undefined ? 20 : Number.POSITIVE_INFINITY);
    let n = 1;
    let written = 0;
    while (
      written < count &&
      (target === undefined || totals.bytes < target) &&
      (targetLines === undefined || totals.serviceLines < targetLines)
    ) {
      const batch: SyntheticClaim[] = [];
      while (batch.length < per && written + batch.length < count) {
        for (const claim of randomClaimGroup(random, n)) batch.push(claim);
        n++;
      }
      written += batch.length;
      const paid = sum(batch.map((c) => c.paidCents ?? 0));
      const plb: SyntheticProviderAdjustment[] = [];
      if (random() < 0.3 && paid > 5000) {
        plb.push({ reasonCode: "WO", reference: `ICN${pad(n, 10)}`, amountCents: 1000 + Math.floor(random() * 3000) });
      }
      if (random() < 0.2) plb.push({ reasonCode: "L6", amountCents: -Math.floor(1 + random() * 500) });
      yield addTransaction(transactionText(w, totals.transactions + 1, batch, plb, options));
    }
  }
  yield emit(segment(w, "GE", String(totals.transactions), "1"));
  yield emit(segment(w, "IEA", "1", "000000001"));
  return totals;
}

/** The whole synthetic file as one string, with the totals a reader must find. */
export function generate835(options: Generate835Options = {}): { text: string; totals: Generated835Totals } {
  const parts: string[] = [];
  const it = generate835Chunks(options);
  for (;;) {
    const next = it.next();
    if (next.done) return { text: parts.join(""), totals: next.value };
    parts.push(next.value);
  }
}
