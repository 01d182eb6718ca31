// One shape for a remitted claim, whether it came from an 835 (lib/x12) or was typed in
// from a paper EOB: the writer, the matching and the KX update only see this.
import { formatDollars } from "@/lib/billing/money";
import { billedAndPaidCode, remitAllowedCentsOf } from "@/lib/billing";
import type { RemitClaim as X12Claim, Remit835Header } from "@/lib/x12";

export interface RemitAdjustmentInput {
  group: string;
  reason: string;
  amountCents: number;
  quantity: number | null;
}

export interface RemitLineInput {
  /** the code as billed (SVC06 when the payer sent it, else SVC01): what matching compares */
  cpt: string;
  /** the code the payer paid (SVC01) when it recoded the line, else null */
  paidCpt: string | null;
  modifiers: readonly string[];
  chargeCents: number;
  paidCents: number;
  allowedCents: number;
  units: number;
  /** YYYY-MM-DD */
  serviceDate: string | null;
  remarkCodes: readonly string[];
  adjustments: RemitAdjustmentInput[];
}

export interface RemitClaimInput {
  patientControlNumber: string;
  statusCode: string;
  chargeCents: number;
  paidCents: number;
  patientRespCents: number;
  payerClaimNumber: string | null;
  patientLastName: string | null;
  patientFirstName: string | null;
  memberId: string | null;
  /** DTM*232, else the first line date: used to find the visit when CLP01 is unknown */
  statementDate: string | null;
  /** claim-level remark codes (MOA) */
  remarkCodes: readonly string[];
  adjustments: RemitAdjustmentInput[];
  lines: RemitLineInput[];
}

export interface RemitPaymentInput {
  source: "X12_835" | "PAPER_EOB";
  payerName: string;
  payerKey: string;
  traceNumber: string;
  paymentCents: number;
  method: string | null;
  paymentDate: string | null;
  payeeName: string | null;
  payeeNpi: string | null;
}

export function payerKeyOf(header: Pick<Remit835Header, "payer">): string {
  const payer = header.payer;
  const key = payer?.payerId ?? payer?.id ?? payer?.name ?? "";
  return key.trim().toLowerCase() || "unknown payer";
}

export function claimFromX12(claim: X12Claim): RemitClaimInput {
  const firstDate = claim.serviceLines.find((l) => l.serviceDate !== null)?.serviceDate ?? null;
  return {
    patientControlNumber: claim.patientControlNumber,
    statusCode: claim.status,
    chargeCents: claim.chargeCents,
    paidCents: claim.paidCents,
    patientRespCents: claim.patientResponsibilityCents,
    payerClaimNumber: claim.payerClaimControlNumber || null,
    patientLastName: claim.patient?.lastName || null,
    patientFirstName: claim.patient?.firstName ?? null,
    memberId: claim.patient?.id ?? claim.insured?.id ?? null,
    statementDate: claim.statementFrom ?? firstDate,
    remarkCodes: claim.remarkCodes,
    adjustments: claim.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents, quantity: a.quantity })),
    lines: claim.serviceLines.map((line) => {
      const code = billedAndPaidCode(line.procedure, line.originalProcedure);
      return {
        cpt: code.code,
        paidCpt: code.paidCode,
        modifiers: code.modifiers,
        chargeCents: line.chargeCents,
        paidCents: line.paidCents,
        allowedCents: remitAllowedCentsOf(line.reportedAllowedCents, line.paidCents, line.adjustments),
        units: Number.isFinite(line.units) ? Math.round(line.units) : 1,
        serviceDate: line.serviceDate ?? claim.statementFrom ?? null,
        remarkCodes: line.remarkCodes,
        adjustments: line.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents, quantity: a.quantity })),
      };
    }),
  };
}

/** "CO-45:12.30;PR-2:6.10" (FORMATS.md underpayments export). */
export function adjustmentsText(adjustments: readonly { groupCode: string; reasonCode: string; amountCents: number }[]): string {
  return adjustments.map((a) => `${a.groupCode}-${a.reasonCode}:${formatDollars(a.amountCents)}`).join(";");
}

/** A line adjustment as read back from RemitLine.adjustments. */
// kept with the remit netting of the derived-figures pipeline, which reads them too
export { type StoredLineAdjustment, storedLineAdjustments } from "../derived/remits";
