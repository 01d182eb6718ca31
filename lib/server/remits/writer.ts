// The remit write path: what an 835 import or a paper EOB hands to a remit writer, whichever
// writer it is. Two writers keep this contract and pass the same tests (remits.int.test.ts,
// bulk-write.int.test.ts run over both):
//   - PlainRemitWriter (plain-write.ts): Prisma inserts on the transaction it is handed, batch
//     by batch; the database's row triggers keep the service-line summaries. Easy to read; a
//     paper EOB uses it.
//   - CopyRemitWriter (write.ts): the same rows through COPY on the transaction's connection,
//     reads beside the transaction on a side connection, writes of one batch overlapping the
//     reading of the next. The 835 import uses it (a million lines in about 15 s).
// Both match each claim to ours (match.ts), write payment, claims, lines and claim-level
// adjustments, and confirm the touched service lines (confirm.ts: net allowed, variance, KX
// totals) in the same transaction, batch after batch.
import type { RemitAdjustmentInput, RemitClaimInput, RemitPaymentInput } from "./model";

/** Lines per batch: large enough for set-based writes to pay off, small enough for memory. */
export const LINES_PER_BATCH = 8000;

export interface WriterHooks {
  /** Called after each batch is written (tests use it to fail half-way). */
  afterBatch?: (written: { claims: number; lines: number }) => void | Promise<void>;
  /** Called once everything is written, with the time spent per phase (ms). */
  onFinish?: (timings: Record<string, number>) => void;
}

export interface CreatePaymentOptions {
  /**
   * When a payment with the same payer and trace number was imported before: mark this one a
   * duplicate (nothing of it is written) and call this, instead of failing on the unique key.
   */
  onAlreadyImported?: () => void;
}

/** A payment given to a writer: its id once written (or reserved). */
export class PendingPayment {
  id: number | null = null;
  /** already imported (same payer and trace number): nothing of it is written */
  duplicate = false;

  constructor(
    readonly input: RemitPaymentInput,
    readonly remitFileId: number | null,
    readonly payerId: number | null,
    readonly options: CreatePaymentOptions,
  ) {}

  /** The payment's id (after the batch that holds it was written). */
  get writtenId(): number {
    if (this.id === null) throw new Error("the payment was not written");
    return this.id;
  }
}

/** What an importer sees of a remit writer. */
export interface RemitWriter {
  /** claims and lines given to the writer (those of duplicate payments included) */
  readonly claims: number;
  readonly lines: number;
  readonly matchedClaims: number;
  readonly unmatchedClaims: number;
  readonly unmatchedLines: number;
  /** remit lines found to be duplicate payments / reversals without their original (confirmServiceLines) */
  readonly duplicateLines: number;
  readonly unmatchedReversalLines: number;
  /** milliseconds spent per phase */
  readonly timings: Record<string, number>;
  /** Gives a payment; its claims can be added at once (they are written after it). */
  createPayment(
    input: RemitPaymentInput,
    remitFileId: number | null,
    payerId: number | null,
    options?: CreatePaymentOptions,
  ): PendingPayment;
  /** Adds a claim of `payment`; may write a batch (or wait for one) before it returns. */
  add(payment: PendingPayment, claim: RemitClaimInput): Promise<void>;
  /**
   * Writes (and confirms) what is pending, then has the pipeline store each written payment's
   * counts (claims, lines, matched, unmatched, paid: `payments` in DerivedChanges) once; throws
   * the first error of any batch.
   */
  finish(): Promise<void>;
  /** Waits until nothing of the writer runs any more, without throwing (for the caller's cleanup). */
  settle(): Promise<void>;
  /** The payer most of a payment's matched claims belong to. */
  payerOfPayment(payment: PendingPayment): number | null;
}

/** Which writer an import uses: the COPY pipeline unless told otherwise (tests run both). */
export type RemitWriterKind = "copy" | "plain";
export const REMIT_WRITERS: readonly RemitWriterKind[] = ["copy", "plain"];

/** A line's adjustments as stored in RemitLine.adjustments, in file order. */
export interface StoredAdjustment {
  g: string;
  r: string;
  a: number;
  q?: number;
}

export function storedAdjustments(adjustments: readonly RemitAdjustmentInput[]): StoredAdjustment[] {
  return adjustments.map((adjustment) => ({
    g: adjustment.group,
    r: adjustment.reason,
    a: adjustment.amountCents,
    ...(adjustment.quantity === null ? {} : { q: adjustment.quantity }),
  }));
}

/** Σ of the PR (patient responsibility) adjustments. */
export function patientResponsibility(adjustments: readonly RemitAdjustmentInput[]): number {
  let sum = 0;
  for (const adjustment of adjustments) if (adjustment.group === "PR") sum += adjustment.amountCents;
  return sum;
}

/** The patient's name as a remit claim keeps it: "Last, First". */
export function remitPatientName(claim: Pick<RemitClaimInput, "patientLastName" | "patientFirstName">): string | null {
  return [claim.patientLastName, claim.patientFirstName].filter(Boolean).join(", ") || null;
}

/** Counts, per payment, the payers of its matched claims (payerOfPayment picks the most frequent). */
export class PayerTally {
  private readonly counts = new Map<PendingPayment, Map<number, number>>();

  add(payment: PendingPayment, payerId: number): void {
    const counts = this.counts.get(payment) ?? new Map<number, number>();
    counts.set(payerId, (counts.get(payerId) ?? 0) + 1);
    this.counts.set(payment, counts);
  }

  mostFrequent(payment: PendingPayment): number | null {
    const counts = this.counts.get(payment);
    if (!counts) return null;
    let best: number | null = null;
    let most = 0;
    for (const [payerId, count] of counts) if (count > most) [best, most] = [payerId, count];
    return best;
  }
}
