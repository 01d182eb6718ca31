// Writing X12 835 (005010X221A1) remittance advice: claim loops (CLP/NM1/SVC/DTM/CAS/AMT/LQ)
// and the envelope (ISA/GS/ST/BPR/TRN/DTM/N1 … PLB/SE/GE/IEA). Separators follow the example
// practice's files: element "*", component ":", repetition "^", segment "~" plus a newline.
// Balancing holds by construction: line charge − Σ CAS = line paid; CLP03 = Σ SVC02,
// CLP04 = Σ SVC03; BPR02 = Σ CLP04 − Σ PLB (DOMAIN.md §5). Segments are written by segments.ts,
// as the tests' synthetic files are.
import { adjustmentSegments, formatCents, STANDARD_DELIMITERS, segment } from "./segments";

export const SEGMENT_TERMINATOR = STANDARD_DELIMITERS.terminator;

export type CasGroup = "CO" | "PR" | "OA" | "PI" | "CR";

export interface Adjustment {
  group: CasGroup;
  reason: string;
  amountCents: number;
}

export interface RemitServiceLine {
  cpt: string;
  modifiers: readonly string[];
  chargeCents: number;
  paidCents: number;
  units: number;
  dateOfService: string;
  adjustments: Adjustment[];
  /** AMT*B6; null leaves the segment out (denied lines). */
  allowedCents: number | null;
  remarks: string[];
}

export interface RemitClaim {
  claimId: string;
  /** CLP02: 1 processed as primary, 4 denied, 22 reversal of previous payment. */
  status: "1" | "4" | "22";
  filingCode: string;
  payerClaimNumber: string;
  patient: { lastName: string; firstName: string; memberId: string };
  lines: RemitServiceLine[];
}

function ymd(date: string): string {
  return date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10);
}

/** X12 text may not contain the separators; names are upper-cased like most payers send them. */
function x12Text(text: string): string {
  return text.toUpperCase().replace(/[*:^~\n\r]/g, " ");
}

/** The sum of the line's paid amount and Σ of its adjustments must equal its charge. */
export function lineBalances(line: RemitServiceLine): boolean {
  return line.chargeCents - line.adjustments.reduce((s, a) => s + a.amountCents, 0) === line.paidCents;
}

export function claimTotals(claim: RemitClaim): { chargeCents: number; paidCents: number; patientResponsibilityCents: number } {
  let chargeCents = 0;
  let paidCents = 0;
  let patientResponsibilityCents = 0;
  for (const line of claim.lines) {
    chargeCents += line.chargeCents;
    paidCents += line.paidCents;
    for (const adjustment of line.adjustments) if (adjustment.group === "PR") patientResponsibilityCents += adjustment.amountCents;
  }
  return { chargeCents, paidCents, patientResponsibilityCents };
}

/**
 * The 2100 claim loop and its 2110 service lines as 835 text (segments with terminators) and
 * the number of segments. Throws when a line does not balance or has more than 4 modifiers.
 */
export function claimText(claim: RemitClaim): { text: string; segmentCount: number } {
  const totals = claimTotals(claim);
  const d = STANDARD_DELIMITERS;
  const segments = [
    segment(
      d,
      "CLP",
      claim.claimId,
      claim.status,
      formatCents(totals.chargeCents),
      formatCents(totals.paidCents),
      formatCents(totals.patientResponsibilityCents),
      claim.filingCode,
      claim.payerClaimNumber,
    ),
    segment(
      d,
      "NM1",
      "QC",
      "1",
      x12Text(claim.patient.lastName),
      x12Text(claim.patient.firstName),
      "",
      "",
      "",
      "MI",
      claim.patient.memberId,
    ),
  ];
  for (const line of claim.lines) {
    if (!lineBalances(line)) throw new Error(`835 line of ${claim.claimId} ${line.cpt} does not balance`);
    if (line.modifiers.length > 4) throw new Error(`${claim.claimId} ${line.cpt}: SVC01 takes at most 4 modifiers`);
    const procedure = ["HC", line.cpt, ...line.modifiers].join(d.component);
    segments.push(
      segment(d, "SVC", procedure, formatCents(line.chargeCents), formatCents(line.paidCents), "", String(line.units)),
      segment(d, "DTM", "472", ymd(line.dateOfService)),
      ...adjustmentSegments(d, line.adjustments),
    );
    if (line.allowedCents !== null) segments.push(segment(d, "AMT", "B6", formatCents(line.allowedCents)));
    for (const remark of line.remarks) segments.push(segment(d, "LQ", "HE", remark));
  }
  return { text: segments.join(""), segmentCount: segments.length };
}

/** The same claim with every amount negated and CLP02 = 22: the reversal of an earlier payment. */
export function reversalOf(claim: RemitClaim): RemitClaim {
  return {
    ...claim,
    status: "22",
    lines: claim.lines.map((line) => ({
      ...line,
      chargeCents: -line.chargeCents,
      paidCents: -line.paidCents,
      allowedCents: line.allowedCents === null ? null : -line.allowedCents,
      adjustments: line.adjustments.map((a) => ({ ...a, amountCents: -a.amountCents })),
    })),
  };
}

export interface ProviderAdjustment {
  /** PLB03-1 reason: L6 interest, WO overpayment recovery, 72 authorized return, FB forwarding balance … */
  reason: string;
  reference?: string;
  /** Positive reduces the payment; negative (e.g. interest owed to the provider) increases it. */
  amountCents: number;
}

export interface RemitEnvelope {
  payerName: string;
  payerId: string;
  payeeName: string;
  payeeNpi: string;
  /** Payment / production date, YYYY-MM-DD. */
  paymentDate: string;
  controlNumber: number;
  traceNumber: string;
  payerTaxId: string;
  providerAdjustments: ProviderAdjustment[];
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + " ".repeat(width - text.length);
}

/**
 * Header (ISA … LX) and trailer (PLB, SE, GE, IEA) around a body of claim segments, given
 * how many segments the body holds and Σ CLP04 of its claims.
 */
export function envelopeSegments(
  env: RemitEnvelope,
  body: { segmentCount: number; paidCents: number },
): { head: string[]; tail: string[] } {
  const date = ymd(env.paymentDate);
  const plbTotal = env.providerAdjustments.reduce((s, a) => s + a.amountCents, 0);
  const payment = body.paidCents - plbTotal;
  if (payment < 0) throw new Error(`835 for ${env.payerName} ${env.paymentDate} would pay a negative amount`);
  const isa13 = String(env.controlNumber).padStart(9, "0");
  const receiver = "HUDSONSTREETRHB";
  const payerTin = `1${env.payerTaxId}`;
  const bpr =
    payment > 0
      ? `BPR*I*${formatCents(payment)}*C*ACH*CCP*01*021000021*DA*${env.payerTaxId}01*${payerTin}**01*026009593*DA*4417720019*${date}`
      : `BPR*H*0.00*C*NON************${date}`;
  const head = [
    `ISA*00*${pad("", 10)}*00*${pad("", 10)}*ZZ*${pad(env.payerId, 15)}*ZZ*${pad(receiver, 15)}*${date.slice(2)}*0800*^*00501*${isa13}*0*P*:`,
    `GS*HP*${env.payerId}*${receiver}*${date}*0800*${env.controlNumber}*X*005010X221A1`,
    "ST*835*0001",
    bpr,
    `TRN*1*${env.traceNumber}*${payerTin}`,
    `DTM*405*${date}`,
    `N1*PR*${x12Text(env.payerName)}`,
    `N1*PE*${x12Text(env.payeeName)}*XX*${env.payeeNpi}`,
    "LX*1",
  ];
  const plb =
    env.providerAdjustments.length > 0
      ? [
          `PLB*${env.payeeNpi}*${date.slice(0, 4)}1231*${env.providerAdjustments
            .map((a) => `${a.reference ? `${a.reason}:${a.reference}` : a.reason}*${formatCents(a.amountCents)}`)
            .join("*")}`,
        ]
      : [];
  // SE01 counts ST through SE: head from ST (7 segments), body, PLB, SE.
  const seCount = head.length - 2 + body.segmentCount + plb.length + 1;
  const tail = [...plb, `SE*${seCount}*0001`, `GE*1*${env.controlNumber}`, `IEA*1*${isa13}`];
  return { head, tail };
}

export function joinSegments(segments: readonly string[]): string {
  return segments.length === 0 ? "" : segments.join(SEGMENT_TERMINATOR) + SEGMENT_TERMINATOR;
}
