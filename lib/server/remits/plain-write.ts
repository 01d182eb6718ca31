// The plain remit writer: Prisma inserts on the transaction it is handed, one batch of claims
// at a time. For each batch: skip the payments already imported, write the new ones, match the
// claims to ours, write claims, lines and claim-level adjustments, and confirm the service lines
// they touched. The database's row triggers (migration remit_bulk_writes) check the parents and
// keep the service-line summaries and the revenue weeks, as for any writer but the COPY one.
// Same contract and same tests as the COPY pipeline (writer.ts).
import { claimLinesKey } from "@/lib/billing";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "../core/db";
import { denialCauseOf } from "@/lib/billing/denialCauses";
import { recomputeDerived } from "../derived";
import { matchClaims } from "./match";
import type { RemitClaimInput, RemitPaymentInput } from "./model";
import {
  type CreatePaymentOptions,
  LINES_PER_BATCH,
  PayerTally,
  PendingPayment,
  patientResponsibility,
  type RemitWriter,
  remitPatientName,
  storedAdjustments,
  type WriterHooks,
} from "./writer";

interface GivenClaim {
  payment: PendingPayment;
  claim: RemitClaimInput;
}

function dateOrNull(isoDate: string | null): Date | null {
  return isoDate === null ? null : new Date(`${isoDate}T00:00:00.000Z`);
}

export class PlainRemitWriter implements RemitWriter {
  claims = 0;
  lines = 0;
  matchedClaims = 0;
  unmatchedClaims = 0;
  unmatchedLines = 0;
  duplicateLines = 0;
  unmatchedReversalLines = 0;
  readonly timings = { write: 0, confirm: 0 };
  private payments: PendingPayment[] = [];
  private given: GivenClaim[] = [];
  private givenLines = 0;
  private writtenLines = 0;
  /** ids of the payments written (not those found already imported) */
  private readonly writtenPayments = new Set<number>();
  private readonly payers = new PayerTally();

  constructor(
    private readonly tx: Tx,
    private readonly practiceId: number,
    private readonly hooks: WriterHooks = {},
  ) {}

  createPayment(input: RemitPaymentInput, remitFileId: number | null, payerId: number | null, options: CreatePaymentOptions = {}) {
    const payment = new PendingPayment(input, remitFileId, payerId, options);
    this.payments.push(payment);
    return payment;
  }

  async add(payment: PendingPayment, claim: RemitClaimInput): Promise<void> {
    this.given.push({ payment, claim });
    this.claims++;
    this.lines += claim.lines.length;
    this.givenLines += Math.max(1, claim.lines.length);
    if (this.givenLines >= LINES_PER_BATCH) await this.writeBatch();
  }

  async finish(): Promise<void> {
    await this.writeBatch();
    // the counts the remit list shows, once per payment after its last batch
    const started = performance.now();
    await recomputeDerived(this.tx, this.practiceId, { payments: this.writtenPayments });
    this.timings.confirm += performance.now() - started;
    this.hooks.onFinish?.({ ...this.timings });
  }

  /** Every write is awaited where it is made: nothing runs once a call has returned. */
  async settle(): Promise<void> {}

  payerOfPayment(payment: PendingPayment): number | null {
    return this.payers.mostFrequent(payment);
  }

  private async writeBatch(): Promise<void> {
    const payments = this.payments;
    const given = this.given;
    if (payments.length === 0 && given.length === 0) return;
    this.payments = [];
    this.given = [];
    this.givenLines = 0;
    const started = performance.now();
    for (const payment of payments) await this.writePayment(payment);
    const claims = given.filter(({ payment }) => !payment.duplicate);
    const matches = await matchClaims(
      this.tx,
      this.practiceId,
      claims.map(({ claim }) => claim),
    );
    const written = await this.tx.remitClaim.createManyAndReturn({
      data: claims.map(({ payment, claim }, index) => {
        const match = matches[index]!;
        return {
          practiceId: this.practiceId,
          paymentId: payment.writtenId,
          claimId: match.claimId,
          patientId: match.patientId,
          patientControlNumber: claim.patientControlNumber,
          statusCode: claim.statusCode,
          chargeCents: claim.chargeCents,
          paidCents: claim.paidCents,
          patientRespCents: claim.patientRespCents,
          payerClaimNumber: claim.payerClaimNumber,
          patientName: remitPatientName(claim),
          memberId: claim.memberId,
          remarkCodes: [...claim.remarkCodes],
          linesKey: claimLinesKey(claim.lines),
          matchStatus: match.matched ? "MATCHED" : "UNMATCHED",
        };
      }),
      select: { id: true, patientControlNumber: true },
    });
    const lines: Prisma.RemitLineCreateManyInput[] = [];
    const adjustments: Prisma.RemitAdjustmentCreateManyInput[] = [];
    const matchedLineIds: number[] = [];
    claims.forEach(({ payment, claim }, index) => {
      const remitClaim = written[index]!;
      // PostgreSQL returns the rows of one INSERT in the order they were given
      if (remitClaim.patientControlNumber !== claim.patientControlNumber) throw new Error("remit claims came back out of order");
      const match = matches[index]!;
      if (match.matched) {
        this.matchedClaims++;
        if (match.payerId !== null) this.payers.add(payment, match.payerId);
      } else this.unmatchedClaims++;
      claim.lines.forEach((line, lineOrder) => {
        const ours = match.lines[lineOrder] ?? null;
        if (ours) matchedLineIds.push(ours.id);
        else this.unmatchedLines++;
        lines.push({
          practiceId: this.practiceId,
          remitClaimId: remitClaim.id,
          serviceLineId: ours?.id ?? null,
          lineOrder,
          cpt: line.cpt,
          paidCpt: line.paidCpt,
          modifiers: [...line.modifiers],
          chargeCents: line.chargeCents,
          paidCents: line.paidCents,
          allowedCents: line.allowedCents,
          units: line.units,
          serviceDate: dateOrNull(line.serviceDate),
          remarkCodes: [...line.remarkCodes],
          denialCause: denialCauseOf(line),
          adjustments: storedAdjustments(line.adjustments) as unknown as Prisma.InputJsonValue,
          patientRespCents: patientResponsibility(line.adjustments),
          matchStatus: ours ? "MATCHED" : "UNMATCHED",
          expectedAllowedCents: ours?.expectedAllowedCents ?? null,
        });
      });
      for (const adjustment of claim.adjustments) {
        adjustments.push({
          practiceId: this.practiceId,
          remitClaimId: remitClaim.id,
          groupCode: adjustment.group,
          reasonCode: adjustment.reason,
          amountCents: adjustment.amountCents,
          quantity: adjustment.quantity,
        });
      }
    });
    if (lines.length) await this.tx.remitLine.createMany({ data: lines });
    if (adjustments.length) await this.tx.remitAdjustment.createMany({ data: adjustments });
    this.writtenLines += lines.length;
    this.timings.write += performance.now() - started;

    const confirmStarted = performance.now();
    if (matchedLineIds.length) {
      const found = (await recomputeDerived(this.tx, this.practiceId, { remitLines: matchedLineIds })).remitFindings;
      this.duplicateLines += found.duplicates;
      this.unmatchedReversalLines += found.unmatchedReversals;
    }
    this.timings.confirm += performance.now() - confirmStarted;
    await this.hooks.afterBatch?.({ claims: this.claims, lines: this.writtenLines });
  }

  /** Writes a payment, or marks it a duplicate when its payer and trace number are on file. */
  private async writePayment(payment: PendingPayment): Promise<void> {
    const { input } = payment;
    if (payment.options.onAlreadyImported) {
      const existing = await this.tx.remitPayment.findUnique({
        where: {
          practiceId_payerKey_traceNumber: { practiceId: this.practiceId, payerKey: input.payerKey, traceNumber: input.traceNumber },
        },
        select: { id: true },
      });
      if (existing) {
        payment.duplicate = true;
        payment.options.onAlreadyImported();
        return;
      }
    }
    const created = await this.tx.remitPayment.create({
      data: {
        practiceId: this.practiceId,
        remitFileId: payment.remitFileId,
        source: input.source,
        payerName: input.payerName,
        payerKey: input.payerKey,
        payerId: payment.payerId,
        traceNumber: input.traceNumber,
        paymentCents: input.paymentCents,
        method: input.method,
        paymentDate: dateOrNull(input.paymentDate),
        payeeName: input.payeeName,
        payeeNpi: input.payeeNpi,
      },
      select: { id: true },
    });
    payment.id = created.id;
    this.writtenPayments.add(created.id);
  }
}
