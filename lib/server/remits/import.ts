// npm run import -- 835 <file> and the 835 upload: one database transaction per file
// (runImport). The file is streamed through the reader transaction by transaction and
// written in batches; a reader error rejects the whole file (the transaction rolls back).
// A file already imported (same SHA-256) is a duplicate; so is a transaction whose payer and
// trace number (TRN02) were already imported, and a file made only of such transactions.
import { read835, type Remit835Header, type Remit835Transaction, type X12Issue } from "@/lib/x12";
import { openSideConnection, type TransactionConnection, type Tx } from "../core/db";
import { recomputeDerived } from "../derived";
import { type ImportOutcome, type ImportResult, runImport, storableFileName } from "../imports/run";
import { bufferSource, IMPORT_PIECE_BYTES, type ImportSource, isImportSource } from "../imports/source";
import { claimFromX12, payerKeyOf } from "./model";
import { payeeInWords, payeeIsAnotherProvider, practiceIdsInWords } from "./payee";
import { PlainRemitWriter } from "./plain-write";
import { CopyRemitWriter } from "./write";
import type { PendingPayment, RemitWriter, RemitWriterKind, WriterHooks } from "./writer";

export interface Import835Options {
  practiceId: number;
  userId: number | null;
  fileName: string;
  /** the file's bytes, or a streamed file (fileSource): the reader never holds the whole file */
  content: Buffer | ImportSource;
  dryRun?: boolean;
  /** for tests: fail on purpose after a batch was written */
  hooks?: WriterHooks;
  /** the remit writer: the COPY pipeline (default), or the plain one (the tests run both) */
  writer?: RemitWriterKind;
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
      execute: (tx, importJobId, connection) => execute(tx, connection, importJobId, options),
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

/** The remit writer of an import, and what to close once the transaction is over. */
async function openWriter(
  tx: Tx,
  connection: TransactionConnection,
  options: Import835Options,
): Promise<{ writer: RemitWriter; close: () => Promise<void> }> {
  const { practiceId, hooks } = options;
  if (options.writer === "plain") return { writer: new PlainRemitWriter(tx, practiceId, hooks), close: async () => {} };
  // the next batch is matched on a connection of its own while the transaction writes the last
  const side = await openSideConnection();
  const writer = new CopyRemitWriter(tx, connection, practiceId, { hooks, side });
  return { writer, close: () => side.end().catch(() => {}) };
}

/** The file's warnings (at most MAX_ISSUES, then a count) and those of the transaction being read. */
class Warnings {
  readonly list: X12Issue[] = [];
  private dropped = 0;
  /** the current transaction's, stored on its payment */
  ofTransaction: X12Issue[] = [];

  add(issue: X12Issue): void {
    if (this.list.length < MAX_ISSUES) this.list.push(own(issue));
    else this.dropped++;
  }

  /** A warning the reader gave: the file's and the current transaction's. */
  fromReader(issue: X12Issue): void {
    this.add(issue);
    if (this.ofTransaction.length < MAX_PAYMENT_WARNINGS) this.ofTransaction.push(own(issue));
  }

  /** The current transaction's warnings, and a fresh list for the next. */
  takeTransaction(): X12Issue[] {
    const taken = this.ofTransaction;
    this.ofTransaction = [];
    return taken;
  }

  /** Says how many were left out, once the file is read. */
  close(): void {
    if (this.dropped > 0)
      this.list.push({ where: "file", message: `${this.dropped.toLocaleString("en-US")} more warnings are not listed.` });
  }
}

/** What the import knows of the practice before it reads the file. */
interface PracticeFacts {
  practiceId: number;
  payerByName: Map<string, number>;
  ids: { npi: string | null; taxId: string | null };
}

/**
 * The payment of each 835 transaction. A transaction's payment goes to the writer with the batch
 * its claims start; the writer checks there (on the side connection, without stopping the
 * reading) whether the payer and trace number were imported before. A repeat within the file is
 * known at once. A payee that is not the practice is warned about once.
 */
class TransactionPayments {
  transactions = 0;
  duplicates = 0;
  readonly otherPayees = new Set<string>();
  private readonly states = new Map<number, TransactionState>();
  private readonly seenKeys = new Set<string>();

  constructor(
    private readonly writer: RemitWriter,
    private readonly practice: PracticeFacts,
    private readonly fileId: number,
    private readonly fileHash: string,
    private readonly warnings: Warnings,
  ) {}

  stateOf(header: Remit835Header): TransactionState {
    const known = this.states.get(header.segment);
    if (known) return known;
    this.transactions++;
    const payerKey = payerKeyOf(header);
    const traceNumber = header.traceNumber?.trim() || `${this.fileHash.slice(0, 16)}:ST${header.segment}`;
    const key = `${payerKey}\u0000${traceNumber}`;
    const payerName = header.payer?.name?.trim() || "(payer not named)";
    const duplicateWarning = () => {
      this.duplicates++;
      this.warnings.add({
        where: `segment ${header.segment} (ST)`,
        message: `Payment ${traceNumber} from ${payerName} was already imported; this transaction was skipped as a duplicate.`,
      });
    };
    this.checkPayee(header, traceNumber);
    if (this.seenKeys.has(key)) {
      duplicateWarning();
      return this.remember(header, { payment: null, payerId: null });
    }
    this.seenKeys.add(own(key));
    const signed = header.creditDebit === "D" ? -header.totalPaymentCents : header.totalPaymentCents;
    const payerId = this.practice.payerByName.get(payerName.toLowerCase()) ?? null;
    const payment = this.writer.createPayment(
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
      this.fileId,
      payerId,
      { onAlreadyImported: duplicateWarning },
    );
    return this.remember(header, { payment, payerId });
  }

  /** Every transaction of the file was a duplicate. */
  get allDuplicates(): boolean {
    return this.transactions > 0 && this.duplicates === this.transactions;
  }

  private remember(header: Remit835Header, state: TransactionState): TransactionState {
    this.states.set(header.segment, state);
    return state;
  }

  private checkPayee(header: Remit835Header, traceNumber: string): void {
    const payee = header.payee ? { name: header.payee.name, npi: header.payee.npi, taxId: header.payee.taxId } : null;
    if (!payee || !payeeIsAnotherProvider(payee, this.practice.ids)) return;
    const words = payeeInWords(payee);
    if (this.otherPayees.has(words)) return;
    this.otherPayees.add(own(words));
    this.warnings.add({
      where: `segment ${header.segment} (ST)`,
      message: `Payment ${traceNumber} is paid to ${words}, not to this practice (${practiceIdsInWords(this.practice.ids)}): check the payee.`,
    });
  }
}

/** A transaction read to its end: written with its payment once the whole file is. */
interface FinishedTransaction {
  state: TransactionState;
  plb: ProviderAdjustmentRow[];
  warnings: X12Issue[];
}

function finishedTransaction(transaction: Remit835Transaction, state: TransactionState, warnings: X12Issue[]): FinishedTransaction {
  const plb =
    state.payment === null
      ? []
      : own(
          transaction.providerAdjustments.map((adjustment) => ({
            providerId: adjustment.providerId,
            fiscalPeriodDate: adjustment.fiscalPeriodDate,
            reasonCode: adjustment.reasonCode,
            reference: adjustment.reference,
            amountCents: adjustment.amountCents,
          })),
        );
  return { state, plb, warnings };
}

/** Each written payment's provider adjustments (PLB), warnings, and payer when the file did not name one of ours. */
async function finalizePayments(tx: Tx, practiceId: number, writer: RemitWriter, finished: readonly FinishedTransaction[]) {
  const written = finished.filter(({ state }) => state.payment !== null && !state.payment.duplicate);
  const plb = written.flatMap(({ state, plb }) =>
    plb.map((adjustment) => ({
      practiceId,
      paymentId: state.payment!.writtenId,
      providerId: adjustment.providerId,
      fiscalDate: adjustment.fiscalPeriodDate ? new Date(`${adjustment.fiscalPeriodDate}T00:00:00.000Z`) : null,
      reasonCode: adjustment.reasonCode,
      reference: adjustment.reference,
      amountCents: adjustment.amountCents,
    })),
  );
  if (plb.length) {
    await tx.providerAdjustment.createMany({ data: plb });
    // the writer stored its payments' counts; their provider adjustments' sum comes with these rows
    await recomputeDerived(tx, practiceId, { payments: new Set(plb.map((adjustment) => adjustment.paymentId)) });
  }
  // the payment's payer: by name when it names one of ours, else the payer of its matched claims;
  // every payment in one statement (the update's trigger marks the weeks of the payment's claims:
  // once per payment, the 601 payments of a practice's own million-line 835 took a minute)
  const updates: { id: number; setPayer: boolean; payer: number | null; setWarnings: boolean; warnings: X12Issue[] | null }[] = [];
  for (const { state, warnings } of written) {
    const payment = state.payment!;
    const payerId = writer.payerOfPayment(payment);
    const setPayer = state.payerId === null && payerId !== null;
    if (!setPayer && warnings.length === 0) continue;
    updates.push({
      id: payment.writtenId,
      setPayer,
      payer: payerId,
      setWarnings: warnings.length > 0,
      warnings: warnings.length ? warnings : null,
    });
  }
  if (updates.length)
    await tx.$executeRawUnsafe(
      `update "RemitPayment" p
       set "payerId" = case when u."setPayer" then u.payer else p."payerId" end,
           warnings = case when u."setWarnings" then u.warnings else p.warnings end
       from jsonb_to_recordset($1::jsonb) as u(id int, "setPayer" boolean, payer int, "setWarnings" boolean, warnings jsonb)
       where p.id = u.id and p."practiceId" = $2`,
      JSON.stringify(updates),
      practiceId,
    );
}

/** The file in the import's pieces, telling `onProgress` after each one how far the import is. */
async function* piecesWithProgress(
  source: ImportSource,
  writer: RemitWriter,
  onProgress: ((progress: ImportProgress) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  let readBytes = 0;
  for await (const chunk of source.chunks()) {
    for (let at = 0; at < chunk.length; at += IMPORT_PIECE_BYTES) {
      const piece = chunk.subarray(at, at + IMPORT_PIECE_BYTES);
      readBytes += piece.length;
      onProgress?.({ readBytes, totalBytes: source.sizeBytes, claims: writer.claims, serviceLines: writer.lines });
      yield piece;
      if (at + IMPORT_PIECE_BYTES < chunk.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** The warnings about the file as a whole, once it is written. */
function duplicateAndReversalWarnings(writer: RemitWriter): X12Issue[] {
  const warnings: X12Issue[] = [];
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
  return warnings;
}

function unmatchedWarnings(writer: RemitWriter): X12Issue[] {
  if (!writer.unmatchedClaims && !writer.unmatchedLines) return [];
  return [
    {
      where: "file",
      message: `${writer.unmatchedClaims} claim(s) and ${writer.unmatchedLines} line(s) could not be matched to ours; they wait in the unmatched worklist.`,
    },
  ];
}

/** Why the file may be another provider's: payees that are not the practice, or no claim of ours. */
function foreignFileCheck(
  payments: TransactionPayments,
  practiceIds: PracticeFacts["ids"],
  counts: { claims: number; matchedClaims: number },
): ForeignFileCheck | null {
  if (payments.otherPayees.size === 0 && !(counts.claims > 0 && counts.matchedClaims === 0)) return null;
  return {
    otherPayees: [...payments.otherPayees],
    practiceIds: practiceIdsInWords(practiceIds),
    claims: counts.claims,
    matchedClaims: counts.matchedClaims,
  };
}

async function execute(
  tx: Tx,
  connection: TransactionConnection,
  importJobId: number,
  options: Import835Options & { source: ImportSource },
): Promise<ImportOutcome> {
  const { practiceId, source } = options;
  const file = await tx.remitFile.create({
    data: { practiceId, importJobId, fileName: options.fileName, sha256: source.sha256, sizeBytes: source.sizeBytes },
    select: { id: true },
  });
  const payers = await tx.payer.findMany({ where: { practiceId }, select: { id: true, nameKey: true } });
  const ids = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { npi: true, taxId: true } });
  const practice: PracticeFacts = { practiceId, payerByName: new Map(payers.map((payer) => [payer.nameKey, payer.id])), ids };
  const { writer, close } = await openWriter(tx, connection, options);
  try {
    return await readAndWrite(tx, writer, practice, file.id, options);
  } finally {
    // nothing of the writer's may run once the transaction ends (its COPY would find the
    // connection back in the pool): every job queued is waited for, whatever happened
    await writer.settle();
    await close();
  }
}

/** Reads the file event by event, writing its claims as they come; the outcome once it is read. */
async function readAndWrite(
  tx: Tx,
  writer: RemitWriter,
  practice: PracticeFacts,
  fileId: number,
  options: Import835Options & { source: ImportSource },
): Promise<ImportOutcome> {
  const errors: X12Issue[] = [];
  const warnings = new Warnings();
  const payments = new TransactionPayments(writer, practice, fileId, options.source.sha256, warnings);
  const finished: FinishedTransaction[] = [];
  let counts = { transactions: 0, claims: 0, serviceLines: 0, paidCents: 0 };

  for await (const event of read835(piecesWithProgress(options.source, writer, options.onProgress))) {
    switch (event.type) {
      case "error":
        if (errors.length < MAX_ISSUES) errors.push(event.issue);
        break;
      case "warning":
        warnings.fromReader(event.issue);
        break;
      case "claim":
        if (errors.length) break; // the file will be rejected: stop writing
        {
          const state = payments.stateOf(event.transaction);
          if (state.payment) await writer.add(state.payment, claimFromX12(event.claim));
        }
        break;
      case "transaction":
        if (errors.length) break;
        finished.push(finishedTransaction(event.transaction, payments.stateOf(event.transaction), warnings.takeTransaction()));
        break;
      case "end":
        counts = event.counts;
        break;
    }
  }
  warnings.close();
  if (errors.length) return { counts: { ...counts }, warnings: warnings.list, errors };

  await writer.finish();
  await finalizePayments(tx, practice.practiceId, writer, finished);
  const result = { ...counts, matchedClaims: writer.matchedClaims };
  if (payments.allDuplicates) throw new AllTransactionsDuplicate(result, warnings.list);
  const issues = [...warnings.list, ...duplicateAndReversalWarnings(writer)];
  const foreign = foreignFileCheck(payments, practice.ids, result);
  if (foreign && options.askBeforeForeignFile && !options.dryRun) throw new NeedsConfirmation(result, issues, foreign);
  return { counts: result, warnings: [...issues, ...unmatchedWarnings(writer)], errors: [] };
}
