// npm run import -- 835 <file> and the 835 upload: one database transaction per file
// (runImport). The file is streamed through the reader transaction by transaction and
// written in batches; a reader error rejects the whole file (the transaction rolls back).
// A file already imported (same SHA-256) is a duplicate; so is a transaction whose payer and
// trace number (TRN02) were already imported, and a file made only of such transactions.
import type { Prisma } from "@/lib/generated/prisma/client";
import { read835, type Remit835Header, type Remit835Transaction, type X12Issue } from "@/lib/x12";
import { openSideConnection, type Tx } from "../core/db";
import { type ImportResult, runImport, storableFileName } from "../imports/run";
import { bufferSource, IMPORT_PIECE_BYTES, type ImportSource, isImportSource } from "../imports/source";
import { claimFromX12, payerKeyOf } from "./model";
import { payeeInWords, payeeIsAnotherProvider, practiceIdsInWords } from "./payee";
import { type PendingPayment, RemitWriter, type WriterHooks } from "./write";

export interface Import835Options {
  practiceId: number;
  userId: number | null;
  fileName: string;
  /** the file's bytes, or a streamed file (fileSource): the reader never holds the whole file */
  content: Buffer | ImportSource;
  dryRun?: boolean;
  /** for tests: fail on purpose after a batch was written */
  hooks?: WriterHooks;
  /** called as the file is read (after each slice of it): the upload shows it as a progress bar */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Ask before writing a file that looks like another provider's: a payee whose NPI or tax id is
   * not the practice's, or claims none of which is ours. Such a file is then rolled back and
   * answered "unconfirmed" with the reasons; the upload asks the person and sends it again
   * without this flag. The command line imports as told (it only warns).
   */
  askBeforeForeignFile?: boolean;
}

/** Why a file waits for a person's confirmation before it is written. */
export interface ForeignFileCheck {
  /** the payees of the file's payments that are not the practice (in words) */
  otherPayees: string[];
  /** the practice's own identifiers, in words; null when its settings have none */
  practiceIds: string | null;
  /** claims in the file, and how many were matched to ours */
  claims: number;
  matchedClaims: number;
}

export interface ImportProgress {
  /** bytes of the file read so far, of totalBytes */
  readBytes: number;
  totalBytes: number;
  /** claims and service lines written so far */
  claims: number;
  serviceLines: number;
}

const MAX_ISSUES = 1000;
/** Warnings stored on one payment (RemitPayment.warnings). */
const MAX_PAYMENT_WARNINGS = 200;

/**
 * A copy that shares no memory with the file's text: strings the reader hands out can be
 * slices of a whole chunk of the file, which stays in memory for as long as they do. What the
 * import keeps until the end of the file (warnings, provider adjustments, payment keys) is
 * copied, so memory stays at a batch whatever the file's size.
 */
function own<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Every transaction of the file was imported before (same payer and trace number). */
class NeedsConfirmation extends Error {
  constructor(
    readonly counts: Record<string, number>,
    readonly warnings: X12Issue[],
    readonly check: ForeignFileCheck,
  ) {
    super("the file looks like another provider's: it waits for confirmation");
  }
}

class AllTransactionsDuplicate extends Error {
  constructor(
    readonly counts: Record<string, number>,
    readonly warnings: X12Issue[],
  ) {
    super("every transaction of the file was imported before");
  }
}

interface ProviderAdjustmentRow {
  providerId: string;
  fiscalPeriodDate: string | null;
  reasonCode: string;
  reference: string | null;
  amountCents: number;
}

interface TransactionState {
  /** null when the transaction repeats one seen earlier in this file */
  payment: PendingPayment | null;
  payerId: number | null;
}

export type Import835Result = ImportResult & { foreign?: ForeignFileCheck };

export async function import835(input: Import835Options): Promise<Import835Result> {
  const source = isImportSource(input.content) ? input.content : bufferSource(input.content);
  const options = { ...input, fileName: storableFileName(input.fileName), source };
  try {
    return await runImport({
      practiceId: options.practiceId,
      userId: options.userId,
      kind: "REMIT_835",
      fileName: options.fileName,
      content: source,
      dryRun: options.dryRun,
      timeoutMs: 30 * 60_000,
      execute: (tx, importJobId) => execute(tx, importJobId, options),
    });
  } catch (error) {
    if (error instanceof AllTransactionsDuplicate) {
      return { status: "duplicate", file: options.fileName, counts: error.counts, warnings: error.warnings, errors: [] };
    }
    if (error instanceof NeedsConfirmation) {
      return {
        status: "unconfirmed",
        file: options.fileName,
        counts: error.counts,
        warnings: error.warnings,
        errors: [],
        foreign: error.check,
      };
    }
    throw error;
  }
}

async function execute(tx: Tx, importJobId: number, options: Import835Options & { source: ImportSource }) {
  const { practiceId, source } = options;
  const hash = source.sha256;
  const file = await tx.remitFile.create({
    data: { practiceId, importJobId, fileName: options.fileName, sha256: hash, sizeBytes: source.sizeBytes },
    select: { id: true },
  });
  const payers = await tx.payer.findMany({ where: { practiceId }, select: { id: true, nameKey: true } });
  const practiceIds = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { npi: true, taxId: true } });
  const otherPayees = new Set<string>();
  const payerByName = new Map(payers.map((p) => [p.nameKey, p.id]));
  // the next batch is matched on a connection of its own while the transaction writes the last
  const side = await openSideConnection();
  const writer = new RemitWriter(tx, practiceId, { hooks: options.hooks, side });

  const errors: X12Issue[] = [];
  const warnings: X12Issue[] = [];
  let droppedWarnings = 0;
  let txWarnings: X12Issue[] = [];
  const states = new Map<number, TransactionState>();
  const seenKeys = new Set<string>();
  let transactions = 0;
  let duplicates = 0;
  let counts = { transactions: 0, claims: 0, serviceLines: 0, paidCents: 0 };

  const warn = (issue: X12Issue) => {
    if (warnings.length < MAX_ISSUES) warnings.push(own(issue));
    else droppedWarnings++;
  };

  // A transaction's payment goes to the writer with the batch its claims start; the writer
  // checks there (on the side connection, without stopping the reading) whether the payer and
  // trace number were imported before. A repeat within the file is known at once.
  const stateOf = (header: Remit835Header): TransactionState => {
    const known = states.get(header.segment);
    if (known) return known;
    transactions++;
    const payerKey = payerKeyOf(header);
    const traceNumber = header.traceNumber?.trim() || `${hash.slice(0, 16)}:ST${header.segment}`;
    const key = `${payerKey}\u0000${traceNumber}`;
    const payerName = header.payer?.name?.trim() || "(payer not named)";
    const duplicateWarning = () => {
      duplicates++;
      warn({
        where: `segment ${header.segment} (ST)`,
        message: `Payment ${traceNumber} from ${payerName} was already imported; this transaction was skipped as a duplicate.`,
      });
    };
    const payee = header.payee ? { name: header.payee.name, npi: header.payee.npi, taxId: header.payee.taxId } : null;
    if (payee && payeeIsAnotherProvider(payee, practiceIds)) {
      const words = payeeInWords(payee);
      if (!otherPayees.has(words)) {
        otherPayees.add(own(words));
        warn({
          where: `segment ${header.segment} (ST)`,
          message: `Payment ${traceNumber} is paid to ${words}, not to this practice (${practiceIdsInWords(practiceIds)}): check the payee.`,
        });
      }
    }
    if (seenKeys.has(key)) {
      duplicateWarning();
      const state = { payment: null, payerId: null };
      states.set(header.segment, state);
      return state;
    }
    seenKeys.add(own(key));
    const signed = header.creditDebit === "D" ? -header.totalPaymentCents : header.totalPaymentCents;
    const payerId = payerByName.get(payerName.toLowerCase()) ?? null;
    const payment = writer.createPayment(
      {
        source: "X12_835",
        payerName,
        payerKey,
        traceNumber: own(traceNumber),
        paymentCents: signed,
        method: header.paymentMethod,
        paymentDate: header.paymentDate,
        payeeName: header.payee?.name ?? null,
        payeeNpi: header.payee?.npi ?? null,
      },
      file.id,
      payerId,
      { onAlreadyImported: duplicateWarning },
    );
    const state = { payment, payerId };
    states.set(header.segment, state);
    return state;
  };

  // each transaction's provider adjustments and warnings, written at the end of the file
  const finished: { state: TransactionState; plb: ProviderAdjustmentRow[]; warnings: X12Issue[] }[] = [];
  const providerAdjustmentsOf = (t: Remit835Transaction, state: TransactionState): ProviderAdjustmentRow[] =>
    state.payment === null
      ? []
      : own(
          t.providerAdjustments.map((p) => ({
            providerId: p.providerId,
            fiscalPeriodDate: p.fiscalPeriodDate,
            reasonCode: p.reasonCode,
            reference: p.reference,
            amountCents: p.amountCents,
          })),
        );
  const finalizePayments = async () => {
    const plb = finished.flatMap(({ state, plb }) =>
      !state.payment || state.payment.duplicate
        ? []
        : plb.map((p) => ({
            practiceId,
            paymentId: state.payment!.writtenId,
            providerId: p.providerId,
            fiscalDate: p.fiscalPeriodDate ? new Date(`${p.fiscalPeriodDate}T00:00:00.000Z`) : null,
            reasonCode: p.reasonCode,
            reference: p.reference,
            amountCents: p.amountCents,
          })),
    );
    if (plb.length) await tx.providerAdjustment.createMany({ data: plb });
    for (const { state, warnings: issues } of finished) {
      const payment = state.payment;
      if (!payment || payment.duplicate) continue;
      // the payment's payer: by name when it names one of ours, else the payer of its matched claims
      const data: Prisma.RemitPaymentUncheckedUpdateInput = {};
      if (issues.length) data.warnings = issues as unknown as Prisma.InputJsonValue;
      const payerId = writer.payerOfPayment(payment);
      if (state.payerId === null && payerId !== null) data.payerId = payerId;
      if (Object.keys(data).length) await tx.remitPayment.update({ where: { id: payment.writtenId }, data });
    }
  };

  let readBytes = 0;
  const progress = options.onProgress;
  async function* counted(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.length; at += IMPORT_PIECE_BYTES) {
        const piece = chunk.subarray(at, at + IMPORT_PIECE_BYTES);
        readBytes += piece.length;
        progress?.({ readBytes, totalBytes: source.sizeBytes, claims: writer.claims, serviceLines: writer.lines });
        yield piece;
        if (at + IMPORT_PIECE_BYTES < chunk.length) await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  try {
    return await readAndWrite();
  } finally {
    // nothing of the writer's may run once the transaction ends (its COPY would find the
    // connection back in the pool): every job queued is waited for, whatever happened
    await writer.settle();
    await side.end().catch(() => {});
  }

  async function readAndWrite() {
    for await (const event of read835(counted(source.chunks()))) {
      switch (event.type) {
        case "error":
          if (errors.length < MAX_ISSUES) errors.push(event.issue);
          break;
        case "warning":
          warn(event.issue);
          if (txWarnings.length < MAX_PAYMENT_WARNINGS) txWarnings.push(own(event.issue));
          break;
        case "claim": {
          if (errors.length) break; // the file will be rejected: stop writing
          const state = stateOf(event.transaction);
          if (state.payment) await writer.add(state.payment, claimFromX12(event.claim));
          break;
        }
        case "transaction": {
          if (errors.length) break;
          const state = stateOf(event.transaction);
          finished.push({ state, plb: providerAdjustmentsOf(event.transaction, state), warnings: txWarnings });
          txWarnings = [];
          break;
        }
        case "end":
          counts = event.counts;
          break;
      }
    }
    if (droppedWarnings > 0)
      warnings.push({ where: "file", message: `${droppedWarnings.toLocaleString("en-US")} more warnings are not listed.` });
    if (errors.length) return { counts: { ...counts }, warnings, errors };

    await writer.finish();
    await finalizePayments();
    const result = { ...counts, matchedClaims: writer.matchedClaims };
    if (transactions > 0 && duplicates === transactions) throw new AllTransactionsDuplicate(result, warnings);
    if (writer.duplicateLines) {
      warnings.push({
        where: "file",
        message: `${writer.duplicateLines} line(s) repeat a claim payment already on file under another trace number: kept as possible duplicate payments (money to refund), counted once. They are listed on the unmatched remits page.`,
      });
    }
    if (writer.unmatchedReversalLines) {
      warnings.push({
        where: "file",
        message: `${writer.unmatchedReversalLines} line(s) reverse a payment that is not on file: kept as reversals without their original, changing no figure. They are listed on the unmatched remits page.`,
      });
    }
    const foreign =
      otherPayees.size > 0 || (result.claims > 0 && result.matchedClaims === 0)
        ? {
            otherPayees: [...otherPayees],
            practiceIds: practiceIdsInWords(practiceIds),
            claims: result.claims,
            matchedClaims: result.matchedClaims,
          }
        : null;
    if (foreign && options.askBeforeForeignFile && !options.dryRun) throw new NeedsConfirmation(result, warnings, foreign);
    if (writer.unmatchedClaims || writer.unmatchedLines) {
      warnings.push({
        where: "file",
        message: `${writer.unmatchedClaims} claim(s) and ${writer.unmatchedLines} line(s) could not be matched to ours; they wait in the unmatched worklist.`,
      });
    }
    return { counts: result, warnings, errors: [] };
  }
}
