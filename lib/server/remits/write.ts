// The COPY remit writer (the contract and the plain writer: writer.ts, plain-write.ts): remits
// written inside the caller's transaction, on the connection it is handed, in batches of 8,000 lines
// (a 100 MB 835 has about a million): payments, claims and lines, matched to our claims on the
// way; each batch's touched service lines are confirmed (net allowed, variance, KX totals) once
// it is written, in the same transaction.
//
// A batch goes through two queues while the caller goes on reading the file: the reads
// (duplicate payments, matching, id reservations, building the COPY rows), on a connection
// beside the transaction when there is one, then the "lane" of writes on the transaction
// (payments, COPY of the claims and lines, summaries, confirmation), in the order the batches
// were given. The first error stops both and is thrown by drain() and finish(). A claim is
// turned into COPY text as soon as it is added, so a batch waiting for the database is a few
// buffers, not a graph of objects for the garbage collector to copy.
//
// RemitClaim and RemitLine have no foreign key to their parents and no statement insert trigger
// (migration remit_bulk_writes, for the speed of a large file): this writer inserts parents
// first by construction and keeps the service-line summaries itself; its transaction is marked
// (therapy.remit_writer) so that the row triggers which do both for any other writer skip it.
import { claimLinesKey, isPrimaryAdjudication, type RemitAdjustmentFact } from "@/lib/billing";
import type { RawQueryable, TransactionConnection, Tx } from "../core/db";
import { denialCauseOf } from "@/lib/billing/denialCauses";
import { denialReadsAdjustments, type NettedAtWrite, nettedAlone, recomputeDerived, remitSumsOfLineAlone } from "../derived";
import { CopyRows, copyIn, copyInt, copyText, copyTextArray } from "./copy";
import { type CandidateLine, type MatchClaimInput, matchClaims } from "./match";
import type { RemitAdjustmentInput, RemitClaimInput, RemitPaymentInput } from "./model";
import { intArrayLiteral as ints, intList, textArrayLiteral as texts } from "../core/sql";
import { AnalyzeMarks, analyzeAfterGrowth, analyzeTables } from "../core/statistics";
import {
  type CreatePaymentOptions,
  LINES_PER_BATCH,
  PayerTally,
  PendingPayment,
  patientResponsibility,
  type RemitWriter,
  remitPatientName,
  type WriterHooks,
} from "./writer";
/**
 * Batches read ahead of the one being written. The database writes a batch while the file goes
 * on being read; beyond this many, reading waits (memory stays at a few batches).
 */
const BATCHES_AHEAD = 1;
/** Statistics are refreshed when the lines written in this transaction pass these marks (×4 each time). */
const FIRST_ANALYZE_AT_LINES = 16_000;

/**
 * A line's adjustments as stored in RemitLine.adjustments: [{"g","r","a"} and "q" when the
 * CAS gives a quantity], in file order.
 */
export function lineAdjustmentsJson(adjustments: readonly RemitAdjustmentInput[]): string {
  if (adjustments.length === 0) return "[]";
  let out = "[";
  for (let i = 0; i < adjustments.length; i++) {
    const adjustment = adjustments[i]!;
    if (i > 0) out += ",";
    out += `{"g":${jsonString(adjustment.group)},"r":${jsonString(adjustment.reason)},"a":${adjustment.amountCents}`;
    out += adjustment.quantity === null ? "}" : `,"q":${adjustment.quantity}}`;
  }
  return `${out}]`;
}

const PLAIN_JSON_STRING = /^[A-Za-z0-9 ]*$/;

/** A JSON string: group and reason codes are letters and digits, which need no escaping. */
function jsonString(value: string): string {
  return PLAIN_JSON_STRING.test(value) ? `"${value}"` : JSON.stringify(value);
}

export interface RemitWriterOptions {
  hooks?: WriterHooks;
  /**
   * A connection beside the transaction (openSideConnection) for the reads: duplicate checks,
   * matching and id reservations. The next batch is then matched and built while the transaction
   * writes the previous one. Without it every step runs on the transaction, one after another
   * (enough for a paper EOB). What the side connection reads (our claims, visits, patients,
   * earlier payments) is not written by the import, so it sees what the transaction would.
   */
  side?: RawQueryable;
}

/** Claims and payments given since the last batch, their fixed fields already COPY text. */
class Batch {
  readonly payments: PendingPayment[] = [];
  readonly claimPayments: PendingPayment[] = [];
  readonly claimMatch: MatchClaimInput[] = [];
  /** COPY text of each claim's and line's fields known before matching (CLAIM_COPY / LINE_COPY order) */
  readonly claimText = new CopyRows(64 * 1024);
  readonly claimEnds: number[] = [];
  readonly lineText = new CopyRows(512 * 1024);
  readonly lineEnds: number[] = [];
  /** the claim's first line (an index into lineEnds); one more entry at the end */
  readonly claimLineStarts: number[] = [0];
  /** claim-level adjustments (a line's own are on the line): the claim's index in the batch */
  readonly adjustments: { claim: number; adjustment: RemitAdjustmentInput }[] = [];
  /** what netting reads of each claim and line (nettedAlone), by index in the batch */
  readonly claimFacts: { statusCode: string; chargeCents: number; paidCents: number; linesKey: string }[] = [];
  readonly lineAmounts: number[] = [];
  /** a line's adjustments, kept only when netting's work test reads them (denialReadsAdjustments) */
  readonly lineAdjustments = new Map<number, RemitAdjustmentFact[]>();
  readonly linePaidCodes: (string | null)[] = [];
  /** what a line's remit sums read besides its amounts (remitSumsOfLineAlone) */
  readonly linePatientResp: number[] = [];
  readonly lineDenials: (string | null)[] = [];
  lines = 0;
  /** lines, and claims without lines, counted toward LINES_PER_BATCH */
  weight = 0;
}

/** A batch matched and turned into COPY rows, ready to be written. */
interface PreparedBatch {
  payments: PendingPayment[];
  claimRows: Buffer | null;
  lineRows: Buffer | null;
  lines: number;
  adjustments: { remitClaimId: number[]; group: string[]; reason: string[]; amount: number[]; quantity: (number | null)[] };
  /** what the insert triggers did before migration remit_bulk_writes, for the batch's matched rows */
  matchedClaimIds: number[];
  matchedLineIds: number[];
  /** matched lines written with what netting gives a line alone (their service lines' figures to confirm) */
  nettedAtWrite: NettedAtWrite[];
}

// The fields known when a claim is read come first, those known once it is matched last.
const CLAIM_COLUMNS = `"practiceId", "patientControlNumber", "statusCode", "chargeCents", "paidCents", "patientRespCents",
  "payerClaimNumber", "patientName", "memberId", "remarkCodes", "linesKey", id, "paymentId", "claimId", "patientId", "matchStatus"`;
const LINE_COLUMNS = `"practiceId", "lineOrder", cpt, modifiers, "chargeCents", "paidCents", "allowedCents", units, "serviceDate",
  "remarkCodes", "denialCause", adjustments, "patientRespCents", "paidCpt", "remitClaimId", "serviceLineId", "matchStatus", "expectedAllowedCents", "netRole", "varianceCents"`;
// PostgreSQL refuses COPY FROM into a table under row-level security (migration
// tenant_row_level_security), so a batch is copied into a temporary table of the transaction
// (no policy, no index, not logged) and moved from there with one INSERT … SELECT, which the
// policy checks row by row: a row of another practice fails the batch, and the transaction.
// The staging tables are emptied with TRUNCATE after each move, not with the move's own
// `delete … returning`: a delete leaves its dead rows in the table until the transaction ends
// (no vacuum inside it), so each batch's COPY, and the next delete's scan, went over every
// batch before it, and a million-line file spent 12.7 s moving lines (5.6 s with TRUNCATE,
// docs/performance.md, "The mixed 835 import's write lane and memory").
const STAGING_TABLES = `create temp table if not exists remit_claim_copy on commit drop as select ${CLAIM_COLUMNS} from "RemitClaim" with no data;
  create temp table if not exists remit_line_copy on commit drop as select ${LINE_COLUMNS} from "RemitLine" with no data`;
const CLAIM_COPY = `COPY remit_claim_copy (${CLAIM_COLUMNS}) FROM STDIN`;
const LINE_COPY = `COPY remit_line_copy (${LINE_COLUMNS}) FROM STDIN`;
const CLAIM_MOVE = `insert into "RemitClaim" (${CLAIM_COLUMNS}) select ${CLAIM_COLUMNS} from remit_claim_copy; truncate remit_claim_copy`;
const LINE_MOVE = `insert into "RemitLine" (${LINE_COLUMNS}) select ${LINE_COLUMNS} from remit_line_copy; truncate remit_line_copy`;

export class CopyRemitWriter implements RemitWriter {
  /** claims and lines given to the writer (those of duplicate payments included) */
  claims = 0;
  lines = 0;
  matchedClaims = 0;
  /** remit lines found to be duplicate payments / reversals without their original (confirmServiceLines) */
  duplicateLines = 0;
  unmatchedReversalLines = 0;
  unmatchedClaims = 0;
  unmatchedLines = 0;
  /** milliseconds spent per phase (the benchmark prints them; reads and writes overlap) */
  readonly timings = { text: 0, match: 0, ids: 0, build: 0, write: 0, confirm: 0 };
  /** payer ids of matched claims, per payment (to name the payment's payer) */
  private readonly payers = new PayerTally();
  private batch = new Batch();
  /** the end of the lane (writes on the transaction) and of the reads beside it */
  private lane: Promise<void> = Promise.resolve();
  private reads: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** batches given and not yet written, oldest first (settled when written or failed) */
  private readonly batches: Promise<void>[] = [];
  private written = 0;
  /** ids of the payments written (not those found already imported) */
  private readonly writtenPayments = new Set<number>();
  /** lines written, and matched lines confirmed, in this transaction: when statistics are refreshed */
  private readonly writtenMarks = new AnalyzeMarks(FIRST_ANALYZE_AT_LINES);
  private readonly confirmedMarks = new AnalyzeMarks(FIRST_ANALYZE_AT_LINES);
  /** whether the remit tables were analyzed at a mark of the lines written (a large file) */
  private analyzedAtMark = false;
  /** set up for COPY (staging tables, the writer's mark) before the first batch is sent */
  private connectionReady = false;
  private readonly hooks: WriterHooks;
  private readonly side: RawQueryable | null;

  /**
   * `tx` and `connection` are one transaction: the Prisma transaction and the pg connection it
   * runs on (transactionWithConnection), on which the COPY statements are sent.
   */
  constructor(
    private readonly tx: Tx,
    private readonly connection: TransactionConnection,
    private readonly practiceId: number,
    options: RemitWriterOptions = {},
  ) {
    this.hooks = options.hooks ?? {};
    this.side = options.side ?? null;
  }

  /**
   * Readies the transaction's connection for COPY; the transaction is marked as the remit
   * writer's, so the row triggers meant for other writers (parent checks, summaries) leave its
   * rows alone (migration remit_bulk_writes).
   */
  private async readyConnection(): Promise<TransactionConnection> {
    if (!this.connectionReady) {
      await this.connection.query("select set_config('therapy.remit_writer', 'on', true)");
      // Each batch's statements, and the triggers they fire, join a batch of ids (8,000 lines)
      // to tables as large as the practice (its lines, visits, remits). At the default page
      // cost the planner reads the whole table into a hash for them once the practice is
      // large: a practice's own million-line file then spent most of its time scanning
      // ServiceLine once per batch and trigger (docs/performance.md, "A practice's own 835").
      // The tables are in memory while they are written batch after batch: an index probe
      // per id is the cheap plan, and the import's transaction costs it as such.
      await this.connection.query("set local random_page_cost = 1.1");
      await this.connection.query(STAGING_TABLES);
      this.connectionReady = true;
    }
    return this.connection;
  }

  /** Runs `job` on the transaction after every job given before it; once one fails, none runs. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.lane.then(() => {
      if (this.failure) throw this.failure.error;
      return job();
    });
    this.lane = run.then(
      () => {},
      (error) => {
        this.failure ??= { error };
      },
    );
    return run;
  }

  /** Runs a read: beside the lane on the side connection, or in the lane without one. */
  private read<T>(step: (on: RawQueryable) => Promise<T>): Promise<T> {
    const side = this.side;
    if (!side) return this.enqueue(() => step(this.tx));
    const run = this.reads.then(() => {
      if (this.failure) throw this.failure.error;
      return step(side);
    });
    this.reads = run.then(
      () => {},
      (error) => {
        this.failure ??= { error };
      },
    );
    return run;
  }

  /** Waits until everything given so far is written; throws the first error. */
  async drain(): Promise<void> {
    await this.settle();
    if (this.failure) throw this.failure.error;
  }

  /** Waits until nothing runs any more, without throwing (for the caller's cleanup). */
  async settle(): Promise<void> {
    await this.reads;
    await this.lane;
  }

  /** Gives a payment; its claims can be added at once (they are written after it). */
  createPayment(
    input: RemitPaymentInput,
    remitFileId: number | null,
    payerId: number | null,
    options: CreatePaymentOptions = {},
  ): PendingPayment {
    const payment = new PendingPayment(input, remitFileId, payerId, options);
    this.batch.payments.push(payment);
    return payment;
  }

  /** Adds a claim of `payment`; waits only when the database is BATCHES_AHEAD batches behind. */
  async add(payment: PendingPayment, claim: RemitClaimInput): Promise<void> {
    const started = performance.now();
    const batch = this.batch;
    const { practiceId } = this;
    const name = remitPatientName(claim);
    const linesKey = claimLinesKey(claim.lines);
    batch.claimText.append(
      `${practiceId}\t${copyText(claim.patientControlNumber)}\t${copyText(claim.statusCode)}\t${claim.chargeCents}\t${claim.paidCents}\t${claim.patientRespCents}\t${copyText(claim.payerClaimNumber)}\t${copyText(name)}\t${copyText(claim.memberId)}\t${copyTextArray(claim.remarkCodes)}\t${linesKey}`,
    );
    batch.claimFacts.push({ statusCode: claim.statusCode, chargeCents: claim.chargeCents, paidCents: claim.paidCents, linesKey });
    batch.claimEnds.push(batch.claimText.length);
    const index = batch.claimPayments.length;
    for (const adjustment of claim.adjustments) batch.adjustments.push({ claim: index, adjustment });
    for (let j = 0; j < claim.lines.length; j++) {
      const line = claim.lines[j]!;
      const denial = denialCauseOf(line);
      const patientResp = patientResponsibility(line.adjustments);
      batch.lineText.append(
        `${practiceId}\t${j}\t${copyText(line.cpt)}\t${copyTextArray(line.modifiers)}\t${line.chargeCents}\t${line.paidCents}\t${line.allowedCents}\t${line.units}\t${copyText(line.serviceDate)}\t${copyTextArray(line.remarkCodes)}\t${copyText(denial)}\t${copyText(lineAdjustmentsJson(line.adjustments))}\t${patientResp}\t${copyText(line.paidCpt)}`,
      );
      batch.linePatientResp.push(patientResp);
      batch.lineDenials.push(denial);
      batch.lineEnds.push(batch.lineText.length);
      batch.lineAmounts.push(line.chargeCents, line.paidCents, line.allowedCents);
      batch.linePaidCodes.push(line.paidCpt);
      if (denialReadsAdjustments(denial))
        batch.lineAdjustments.set(
          batch.lineEnds.length - 1,
          line.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents })),
        );
    }
    batch.claimLineStarts.push(batch.lineEnds.length);
    batch.claimPayments.push(payment);
    // what matching reads, and nothing else of the claim, waits with the batch
    batch.claimMatch.push({
      patientControlNumber: claim.patientControlNumber,
      memberId: claim.memberId,
      patientLastName: claim.patientLastName,
      patientFirstName: claim.patientFirstName,
      statementDate: claim.statementDate,
      lines: claim.lines.map((l) => ({ cpt: l.cpt, modifiers: l.modifiers, serviceDate: l.serviceDate })),
    });
    batch.lines += claim.lines.length;
    this.claims++;
    this.lines += claim.lines.length;
    this.timings.text += performance.now() - started;
    batch.weight += Math.max(1, claim.lines.length);
    if (batch.weight >= LINES_PER_BATCH) await this.flush();
  }

  /** The payer most of a payment's matched claims belong to. */
  payerOfPayment(payment: PendingPayment): number | null {
    return this.payers.mostFrequent(payment);
  }

  /** Gives what is pending as a batch; waits while more than BATCHES_AHEAD batches are unwritten. */
  async flush(): Promise<void> {
    const batch = this.batch;
    if (batch.payments.length > 0 || batch.claimPayments.length > 0) {
      this.batch = new Batch();
      const prepared = this.read((on) => this.prepare(on, batch));
      prepared.catch(() => {}); // kept as the writer's failure: drain() throws it
      const written = this.enqueue(async () => {
        const ready = await prepared;
        await this.send(await this.readyConnection(), ready);
        await this.confirm(ready.matchedLineIds, ready.nettedAtWrite);
      });
      const settled = written.then(
        () => {},
        () => {},
      );
      this.batches.push(settled);
      settled.then(() => this.batches.splice(this.batches.indexOf(settled), 1));
    }
    while (this.batches.length > BATCHES_AHEAD) await this.batches[0];
    if (this.failure) throw this.failure.error;
  }

  /**
   * Checks the batch's new payments for duplicates, matches its claims, reserves ids and builds
   * the COPY rows (nothing is written).
   */
  private async prepare(on: RawQueryable, batch: Batch): Promise<PreparedBatch> {
    const { practiceId } = this;
    let mark = performance.now();
    const lap = (phase: keyof CopyRemitWriter["timings"]) => {
      const now = performance.now();
      this.timings[phase] += now - mark;
      mark = now;
    };
    const checked = batch.payments.filter((p) => p.options.onAlreadyImported);
    if (checked.length) {
      const existing = await on.$queryRawUnsafe<{ payerKey: string; traceNumber: string }[]>(
        `select p."payerKey", p."traceNumber" from "RemitPayment" p
         join unnest($2::text[], $3::text[]) as k(payer, trace) on p."payerKey" = k.payer and p."traceNumber" = k.trace
         where p."practiceId" = $1`,
        practiceId,
        texts(checked.map((p) => p.input.payerKey)),
        texts(checked.map((p) => p.input.traceNumber)),
      );
      const seen = new Set(existing.map((e) => `${e.payerKey}\u0000${e.traceNumber}`));
      for (const pending of checked) {
        if (!seen.has(`${pending.input.payerKey}\u0000${pending.input.traceNumber}`)) continue;
        pending.duplicate = true;
        pending.options.onAlreadyImported?.();
      }
    }
    const payments = batch.payments.filter((p) => !p.duplicate);
    const live: number[] = [];
    for (let i = 0; i < batch.claimPayments.length; i++) if (!batch.claimPayments[i]!.duplicate) live.push(i);
    const matches = await matchClaims(
      on,
      practiceId,
      live.map((i) => batch.claimMatch[i]!),
    );
    lap("match");
    // ids reserved up front, so that claims name their payment and lines their claim without a round trip per row
    const [reserved] = await on.$queryRawUnsafe<{ payments: string | null; claims: string | null }[]>(
      `select (select string_agg(nextval('"RemitPayment_id_seq"')::text, ',') from generate_series(1, $1::int)) as payments,
              (select string_agg(nextval('"RemitClaim_id_seq"')::text, ',') from generate_series(1, $2::int)) as claims`,
      payments.length,
      live.length,
    );
    const paymentIds = intList(reserved?.payments ?? null);
    payments.forEach((p, i) => {
      p.id = paymentIds[i]!;
    });
    const claimIds = intList(reserved?.claims ?? null);
    lap("ids");

    const out: PreparedBatch = {
      payments,
      claimRows: null,
      lineRows: null,
      lines: 0,
      adjustments: { remitClaimId: [], group: [], reason: [], amount: [], quantity: [] },
      matchedClaimIds: [],
      matchedLineIds: [],
      nettedAtWrite: [],
    };
    if (live.length === 0) return out;
    const claimRows = new CopyRows(batch.claimText.length + live.length * 40);
    const lineRows = new CopyRows(batch.lineText.length + batch.lines * 32);
    const remitClaimIdOf = new Map<number, number>();
    // a service line remitted once in the batch is written as netting leaves a line alone; one
    // remitted twice (or more) is netted by the pipeline with all its lines
    const timesMatched = new Map<number, number>();
    for (const position of live.keys())
      for (const ours of matches[position]!.lines) if (ours) timesMatched.set(ours.id, (timesMatched.get(ours.id) ?? 0) + 1);
    live.forEach((index, position) => {
      const match = matches[position]!;
      const payment = batch.claimPayments[index]!;
      const remitClaimId = claimIds[position]!;
      remitClaimIdOf.set(index, remitClaimId);
      claimRows.appendFrom(batch.claimText, index === 0 ? 0 : batch.claimEnds[index - 1]!, batch.claimEnds[index]!);
      claimRows.append(
        `\t${remitClaimId}\t${payment.writtenId}\t${copyInt(match.claimId)}\t${copyInt(match.patientId)}\t${match.matched ? "MATCHED" : "UNMATCHED"}\n`,
      );
      if (match.matched) {
        this.matchedClaims++;
        if (match.claimId !== null) out.matchedClaimIds.push(match.claimId);
        if (match.payerId !== null) this.payers.add(payment, match.payerId);
      } else this.unmatchedClaims++;
      const first = batch.claimLineStarts[index]!;
      const end = batch.claimLineStarts[index + 1]!;
      for (let line = first; line < end; line++) {
        const ours = match.lines[line - first] ?? null;
        lineRows.appendFrom(batch.lineText, line === 0 ? 0 : batch.lineEnds[line - 1]!, batch.lineEnds[line]!);
        const alone = ours && timesMatched.get(ours.id) === 1 ? this.nettedAlone(batch, index, line, payment, ours) : null;
        if (ours && alone) {
          lineRows.append(
            `\t${remitClaimId}\t${ours.id}\tMATCHED\t${copyInt(alone.expected)}\t${alone.role}\t${copyInt(alone.variance)}\n`,
          );
          out.nettedAtWrite.push({
            serviceLineId: ours.id,
            allowed: alone.allowed,
            work: alone.work,
            expected: ours.expectedAllowedCents,
            modifiers: ours.modifiers,
            payerId: ours.payerId,
            sums: remitSumsOfLineAlone(alone.role, {
              paidCents: batch.lineAmounts[3 * line + 1]!,
              allowedCents: batch.lineAmounts[3 * line + 2]!,
              patientRespCents: batch.linePatientResp[line]!,
              denialCause: batch.lineDenials[line]!,
            }),
          });
        } else
          lineRows.append(
            ours
              ? `\t${remitClaimId}\t${ours.id}\tMATCHED\t${copyInt(ours.expectedAllowedCents)}\tpaid\t\\N\n`
              : `\t${remitClaimId}\t\\N\tUNMATCHED\t\\N\tpaid\t\\N\n`,
          );
        out.lines++;
        if (ours) {
          out.matchedLineIds.push(ours.id);
        } else this.unmatchedLines++;
      }
    });
    const adjustments = out.adjustments;
    for (const { claim, adjustment } of batch.adjustments) {
      const remitClaimId = remitClaimIdOf.get(claim);
      if (remitClaimId === undefined) continue; // adjustments duplicate payment's claim
      adjustments.remitClaimId.push(remitClaimId);
      adjustments.group.push(adjustment.group);
      adjustments.reason.push(adjustment.reason);
      adjustments.amount.push(adjustment.amountCents);
      adjustments.quantity.push(adjustment.quantity);
    }
    out.claimRows = claimRows.bytes();
    out.lineRows = out.lines > 0 ? lineRows.bytes() : null;
    lap("build");
    return out;
  }

  /**
   * What netting gives the batch's line `line` (of claim `claim`, paid by `payment`) if it is
   * its service line's only remit line, as the pipeline would read it once written: the
   * payment's payer as written, our line's visit payer, expected amount and modifiers.
   */
  private nettedAlone(batch: Batch, claim: number, line: number, payment: PendingPayment, ours: CandidateLine) {
    const facts = batch.claimFacts[claim]!;
    return nettedAlone(
      {
        id: 0,
        claim: {
          payerKey: payment.input.payerKey,
          paymentId: payment.writtenId,
          patientControlNumber: batch.claimMatch[claim]!.patientControlNumber,
          statusCode: facts.statusCode,
          chargeCents: facts.chargeCents,
          paidCents: facts.paidCents,
          linesKey: facts.linesKey,
        },
        primary: isPrimaryAdjudication(facts.statusCode, payment.payerId, ours.payerId),
        chargeCents: batch.lineAmounts[3 * line]!,
        paidCents: batch.lineAmounts[3 * line + 1]!,
        allowedCents: batch.lineAmounts[3 * line + 2]!,
        paidCode: batch.linePaidCodes[line]!,
        adjustments: batch.lineAdjustments.get(line) ?? [],
      },
      { expectedAllowedCents: ours.expectedAllowedCents, modifiers: ours.modifiers },
    );
  }

  /**
   * Writes a prepared batch (a job of the lane) on the transaction's connection, with pg itself:
   * Prisma has no COPY, and the few other statements of a batch need nothing of it.
   */
  private async send(client: TransactionConnection, batch: PreparedBatch): Promise<void> {
    const { practiceId } = this;
    const started = performance.now();
    if (batch.payments.length) {
      const rows = batch.payments.map(({ input, remitFileId, payerId, writtenId }) => ({
        id: writtenId,
        practiceId,
        remitFileId,
        source: input.source,
        payerName: input.payerName,
        payerKey: input.payerKey,
        payerId,
        traceNumber: input.traceNumber,
        paymentCents: input.paymentCents,
        method: input.method,
        paymentDate: input.paymentDate,
        payeeName: input.payeeName,
        payeeNpi: input.payeeNpi,
      }));
      await client.query(
        `insert into "RemitPayment" (id, "practiceId", "remitFileId", source, "payerName", "payerKey", "payerId", "traceNumber",
             "paymentCents", method, "paymentDate", "payeeName", "payeeNpi")
           select id, "practiceId", "remitFileId", source, "payerName", "payerKey", "payerId", "traceNumber",
             "paymentCents", method, "paymentDate", "payeeName", "payeeNpi"
           from jsonb_populate_recordset(null::"RemitPayment", $1::jsonb)`,
        [JSON.stringify(rows)],
      );
    }
    if (batch.claimRows) {
      await copyIn(client, CLAIM_COPY, batch.claimRows);
      await client.query(CLAIM_MOVE);
    }
    if (batch.lineRows) {
      await copyIn(client, LINE_COPY, batch.lineRows);
      await client.query(LINE_MOVE);
    }
    const adjustments = batch.adjustments;
    if (adjustments.remitClaimId.length) {
      await client.query(
        `insert into "RemitAdjustment" ("practiceId", "remitClaimId", "groupCode", "reasonCode", "amountCents", quantity)
           select $1, t.claim, t.grp, t.reason, t.amount, t.qty
           from unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::numeric[]) as t(claim, grp, reason, amount, qty)`,
        [
          practiceId,
          ints(adjustments.remitClaimId),
          texts(adjustments.group),
          texts(adjustments.reason),
          ints(adjustments.amount),
          texts(adjustments.quantity.map((q) => (q === null ? null : String(q)))),
        ],
      );
    }
    // the service lines' remit summaries and the matched claims' revenue weeks (the triggers
    // on update and delete keep them current after this)
    // (the lines netted at write get theirs from the pipeline, in the same row of ServiceLineRemit as their confirmed allowed)
    const netted = new Set(batch.nettedAtWrite.map((line) => line.serviceLineId));
    const toRefresh = netted.size ? batch.matchedLineIds.filter((id) => !netted.has(id)) : batch.matchedLineIds;
    if (toRefresh.length) await client.query(`select revenue_refresh_line_remits($1::int[])`, [ints(toRefresh)]);
    if (batch.matchedClaimIds.length) await client.query(`select revenue_mark_claims($1::int[])`, [ints(batch.matchedClaimIds)]);
    for (const payment of batch.payments) this.writtenPayments.add(payment.writtenId);
    this.written += batch.lines;
    // A large file grows these tables by orders of magnitude inside one transaction, where
    // autovacuum cannot see the rows: fresh statistics keep the planner (and the triggers'
    // joins on these tables) off plans made for "empty" tables. The payments too: planned from
    // their statistics as they were before the file, confirming a batch's reversed lines walked
    // every remit claim of the practice in payment order (docs/performance.md, "A new database's
    // first large 835").
    if (this.writtenMarks.add(batch.lines)) {
      await client.query(analyzeTables(["RemitPayment", "RemitClaim", "RemitLine"]));
      this.analyzedAtMark = true;
    }
    this.timings.write += performance.now() - started;
    await this.hooks.afterBatch?.({ claims: this.claims, lines: this.written });
  }

  /** Writes (and confirms) what is pending, and waits for every batch. */
  async finish(): Promise<void> {
    await this.flush();
    await this.drain();
    const started = performance.now();
    await this.refreshStatisticsOfSmallerFile();
    // the counts the remit list shows, once per payment after its last batch (a payment's
    // claims can span many batches: counting it after each one would count it again and again)
    await recomputeDerived(this.tx, this.practiceId, { payments: this.writtenPayments });
    this.timings.confirm += performance.now() - started;
    this.hooks.onFinish?.({ ...this.timings });
  }

  /**
   * The remit tables' statistics, refreshed at the end of a file too small to reach the first
   * mark (16,000 lines) when it at least doubled the practice's remit lines or grew the table by
   * a tenth (analyzeAfterGrowth), before the payments' counts below are planned.
   */
  private async refreshStatisticsOfSmallerFile(): Promise<void> {
    if (this.analyzedAtMark) return;
    await analyzeAfterGrowth(this.tx, {
      practiceId: this.practiceId,
      table: "RemitLine",
      added: this.written,
      tables: ["RemitPayment", "RemitClaim", "RemitLine", "ServiceLineRemit"],
    });
  }

  /**
   * Confirms the service lines a batch touched, once its rows are written (a job of the lane):
   * a line's net allowed and variance read all its remit lines written so far, and a line that
   * a later batch touches again is confirmed again then, so the last word is that of the whole
   * file. The KX totals of the lines' patient-years are recomputed the same way. Done batch by
   * batch, it runs while the file is still being read instead of after it.
   */
  private async confirm(serviceLineIds: readonly number[], nettedAtWrite: readonly NettedAtWrite[]): Promise<void> {
    if (serviceLineIds.length === 0) return;
    const started = performance.now();
    const found = (await recomputeDerived(this.tx, this.practiceId, { remitLines: serviceLineIds, nettedAtWrite })).remitFindings;
    this.duplicateLines += found.duplicates;
    this.unmatchedReversalLines += found.unmatchedReversals;
    // the lines' remit rows (ServiceLineRemit) grow with the file as the remit tables do: fresh
    // statistics once they are written, for the statements of the later batches and for the
    // rollup's refresh right after the commit. Statistics taken while the table held only dead
    // rows (say, every practice's remits deleted) say "empty" whatever it grows to, and the
    // rollup's join then compared every line of the practice with every row (90 s instead of 2 s
    // for a 100,000-line file, docs/performance.md).
    if (this.confirmedMarks.add(serviceLineIds.length)) {
      await this.tx.$executeRawUnsafe(analyzeTables(["ServiceLineRemit"]));
    }
    this.timings.confirm += performance.now() - started;
  }
}
