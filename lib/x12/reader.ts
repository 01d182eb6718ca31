/**
 * The 835 model builder: consumes the segment stream of X12Tokenizer and builds typed
 * transactions, claims and service lines, checking envelopes and balances on the way. This file
 * reads the envelopes (ISA/GS/ST … SE/GE/IEA: delimiters, control numbers, counts, what is
 * skipped) and dispatches every segment; the payment, claims and lines between a transaction's
 * ST and SE are read by TransactionBodyReader (transaction-body.ts).
 *
 * What is an error (the file must be rejected) and what is a warning is decided here:
 * errors are what cannot be read unambiguously (an amount that is not a number, a line or
 * adjustment with no claim to belong to, data outside any transaction, a transaction cut
 * off before its SE) and every sign that segments were lost or added (an envelope count or
 * control number that does not check out, a segment id that is not one of the 835's);
 * everything else that reads but does not add up is a warning naming the segment. See
 * docs/x12-835.md.
 */
import { segmentIdCode, type X12Segment, type X12SegmentSink, X12Tokenizer } from "./tokenizer";
import type { Remit835Counts, Remit835Header, Remit835Transaction, RemitClaim, X12Issue } from "./types";
import { headerOf, TransactionBodyReader } from "./transaction-body";
import { newTransactionState, type TransactionState } from "./transaction-state";
import { dollars } from "./values";

/*
 * Segments are dispatched by kind: a small number looked up from the id's numeric code
 * (see segmentIdCode and segmentKind). The kinds are dense and the case labels literals,
 * so that the switches compile to jump tables; the id is in a comment on each label.
 */

/** Kind of each segment id the reader knows, in the order of the dispatch switches (0: unknown). */
const SEGMENT_KINDS: readonly (readonly [string, number])[] = [
  ["ISA", 1],
  ["IEA", 2],
  ["GS", 3],
  ["GE", 4],
  ["ST", 5],
  ["SE", 6],
  ["CLP", 7],
  ["SVC", 8],
  ["CAS", 9],
  ["DTM", 10],
  ["AMT", 11],
  ["REF", 12],
  ["NM1", 13],
  ["LQ", 14],
  ["MOA", 15],
  ["LX", 16],
  ["PLB", 17],
  ["BPR", 18],
  ["TRN", 19],
  ["N1", 20],
  // Read past without effect.
  ["CUR", 21],
  ["N2", 21],
  ["N3", 21],
  ["N4", 21],
  ["PER", 21],
  ["RDM", 21],
  ["TS3", 21],
  ["TS2", 21],
  ["MIA", 21],
  ["QTY", 21],
  ["NTE", 21],
];
/** First kind of a segment inside a transaction body. */
const FIRST_BODY_KIND = 7;

/**
 * Kind by segment id: an open-addressing table keyed by the id's code (X12Segment.idCode),
 * sparse enough that a known id is almost always found at its first slot.
 */
const KIND_SLOTS = 1024;
const kindCodes = new Int32Array(KIND_SLOTS);
const kindOfSlot = new Uint8Array(KIND_SLOTS);

function kindHash(code: number): number {
  return Math.imul(code, 0x9e3779b1) >>> 22;
}

for (const [id, kind] of SEGMENT_KINDS) {
  const code = segmentIdCode(id);
  let slot = kindHash(code);
  while (kindCodes[slot] !== 0) slot = (slot + 1) & (KIND_SLOTS - 1);
  kindCodes[slot] = code;
  kindOfSlot[slot] = kind;
}

/** The kind of a segment from its id code (X12Segment.idCode); 0 for ids the reader does not know. */
function segmentKind(code: number): number {
  // No id has code 0 (a free slot), and -1 (not a valid id) is never stored.
  let slot = kindHash(code);
  for (;;) {
    const stored = kindCodes[slot];
    if (stored === code) return kindOfSlot[slot];
    if (stored === 0) return 0;
    slot = (slot + 1) & (KIND_SLOTS - 1);
  }
}

/**
 * Functional groups of other health-care documents (X12 479 functional identifier codes) and
 * the transaction sets each carries. A transaction of one of these in its own group is another
 * document sent along with the remits (a 278 in an HI group, an acknowledgement in FA) and is
 * skipped; any other ST01 that is not 835 (in an HP group, unknown, or damaged like `8X5`)
 * may be a payment whose header was damaged, and the file is refused.
 */
const OTHER_DOCUMENT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  HC: ["837"],
  HI: ["278"],
  HN: ["277"],
  HR: ["276"],
  HS: ["270"],
  HB: ["271"],
  BE: ["834"],
  RA: ["820"],
  FA: ["997", "999"],
};

function isOtherDocumentGroup(functionalId: string, transactionSet: string): boolean {
  return Object.hasOwn(OTHER_DOCUMENT_GROUPS, functionalId) && OTHER_DOCUMENT_GROUPS[functionalId].includes(transactionSet);
}

export interface Remit835Handlers {
  /** A complete claim (its lines included), with the header of its transaction. */
  claim?(header: Remit835Header, claim: RemitClaim): void;
  /** A transaction at its SE (or cut off); claims are inside only when keepClaims is set. */
  transaction?(transaction: Remit835Transaction): void;
  warning(issue: X12Issue): void;
  error(issue: X12Issue): void;
}

export interface Remit835ReaderOptions {
  /** Keep each transaction's claims in Remit835Transaction.claims (default false: stream them). */
  keepClaims?: boolean;
}

interface InterchangeState {
  segment: number;
  controlNumber: string;
  senderId: string;
  receiverId: string;
  groups: number;
}

interface GroupState {
  segment: number;
  controlNumber: string;
  functionalId: string;
  implementation: string;
  transactions: number;
  warnedFunctionalId: boolean;
}

interface SkippedTransaction {
  segment: number;
  type: string;
  /** ST02, to check SE02 against. */
  controlNumber: string;
  /** Segments from its ST on, to check SE01 against. */
  segments: number;
}

/**
 * Push-driven 835 reader: feed text chunks, get claims/transactions/issues through the
 * handlers. read835, parse835 and parse835Text are thin wrappers around it.
 */
export class Remit835Reader implements X12SegmentSink {
  readonly counts: Remit835Counts = { transactions: 0, claims: 0, serviceLines: 0, paidCents: 0 };
  private readonly tokenizer: X12Tokenizer;
  private readonly keepClaims: boolean;
  private interchange: InterchangeState | null = null;
  private group: GroupState | null = null;
  private tx: TransactionState | null = null;
  private skipped: SkippedTransaction | null = null;
  /** Reads the segments between a transaction's header and its trailer. */
  private readonly body: TransactionBodyReader;
  private ended = false;

  constructor(
    private readonly handlers: Remit835Handlers,
    options: Remit835ReaderOptions = {},
  ) {
    this.keepClaims = options.keepClaims ?? false;
    this.tokenizer = new X12Tokenizer(this);
    this.body = new TransactionBodyReader(handlers, this.counts, this.keepClaims);
  }

  push(text: string): void {
    this.tokenizer.push(text);
  }

  /** Pushes the next bytes of a UTF-8 file (see X12Tokenizer.pushBytes); the faster way to read bytes. */
  pushBytes(bytes: Uint8Array): void {
    this.tokenizer.pushBytes(bytes);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.tokenizer.end();
    const at = `end of file (after segment ${this.tokenizer.segmentsRead})`;
    if (this.tx !== null) {
      this.error(
        at,
        `The file ends inside transaction ${this.tx.transaction.controlNumber} (ST at segment ${this.tx.transaction.segment}) before its trailer (SE): the file appears truncated.`,
      );
      this.finishTransaction();
    }
    if (this.skipped !== null) {
      this.warning(at, `The file ends inside a skipped ${this.skipped.type} transaction (ST at segment ${this.skipped.segment}).`);
      this.skipped = null;
    }
    if (this.tokenizer.foundInterchange && this.counts.transactions === 0) {
      this.warning("file", "The file contains no remittance advice (835) transaction.");
    }
    if (this.interchange !== null) {
      this.error(
        at,
        `The file ends before the interchange trailer (IEA) of the interchange started at segment ${this.interchange.segment}: the file appears truncated.`,
      );
      this.interchange = null;
      this.group = null;
    }
  }

  // ------------------------------------------------------------- issue helpers

  warning(where: string | X12Issue, message?: string): void {
    this.handlers.warning(typeof where === "string" ? { where, message: message ?? "" } : where);
  }

  error(where: string | X12Issue, message?: string): void {
    this.handlers.error(typeof where === "string" ? { where, message: message ?? "" } : where);
  }

  // ------------------------------------------------------------- dispatch

  segment(seg: X12Segment): void {
    const code = seg.idCode;
    const kind = segmentKind(code);
    const tx = this.tx;
    if (tx !== null) tx.segments++;
    else if (this.skipped !== null) this.skipped.segments++;
    // Every segment goes through this switch (body kinds pass it), so it is never new to the compiler.
    switch (kind) {
      case 1: // ISA
        this.onIsa(seg);
        return;
      case 2: // IEA
        this.onIea(seg);
        return;
      case 3: // GS
        this.onGs(seg);
        return;
      case 4: // GE
        this.onGe(seg);
        return;
      case 5: // ST
        this.onSt(seg);
        return;
      case 6: // SE
        this.onSe(seg);
        return;
    }
    if (tx !== null) {
      if (kind >= FIRST_BODY_KIND) this.body.read(seg, kind, tx);
      else this.unknownSegment(seg, code);
      return;
    }
    if (this.skipped !== null) return;
    if (code === 0x544131 /* TA1 */ && this.interchange !== null && this.group === null) return;
    this.error(
      seg.where(),
      code === -1
        ? `'${seg.id}' is not a segment, and it stands outside any transaction; it cannot be placed.`
        : `The ${seg.id} segment stands outside any transaction (no ST before it); its data cannot be placed.`,
    );
  }

  // ------------------------------------------------------------- envelopes

  private cutOffTransaction(seg: X12Segment): void {
    if (this.tx !== null) {
      this.error(
        seg.where(),
        `Transaction ${this.tx.transaction.controlNumber} (ST at segment ${this.tx.transaction.segment}) has no trailer (SE) before this ${seg.id}: it appears truncated.`,
      );
      this.tx.segments--;
      this.finishTransaction();
    }
    if (this.skipped !== null) {
      this.error(
        seg.where(),
        `The skipped ${this.skipped.type} transaction (ST at segment ${this.skipped.segment}) has no trailer (SE) before this ${seg.id}: segments may have been lost.`,
      );
      this.skipped = null;
    }
  }

  private onIsa(seg: X12Segment): void {
    this.cutOffTransaction(seg);
    const component = seg.delimiters.component;
    this.body.startInterchange(component === null ? -1 : component.charCodeAt(0));
    if (this.group !== null) {
      this.error(
        seg.where(),
        `The functional group started at segment ${this.group.segment} has no trailer (GE): segments may have been lost.`,
      );
      this.group = null;
    }
    if (this.interchange !== null) {
      this.error(
        seg.where(),
        `The interchange started at segment ${this.interchange.segment} has no trailer (IEA): segments may have been lost.`,
      );
    }
    this.interchange = {
      segment: seg.number,
      controlNumber: seg.element(13),
      senderId: seg.element(6).trim(),
      receiverId: seg.element(8).trim(),
      groups: 0,
    };
  }

  private onIea(seg: X12Segment): void {
    this.cutOffTransaction(seg);
    if (this.group !== null) {
      this.error(
        seg.where(),
        `The functional group started at segment ${this.group.segment} has no trailer (GE): segments may have been lost.`,
      );
      this.group = null;
    }
    const ic = this.interchange;
    if (ic === null) {
      this.error(seg.where(), "Interchange trailer (IEA) without an interchange header (ISA): the header may be damaged.");
      return;
    }
    const declared = seg.element(1);
    if (Number(declared) !== ic.groups || declared === "") {
      this.error(
        seg.where(1),
        `The interchange trailer (IEA) says ${declared || "nothing"} functional group(s) but the interchange has ${ic.groups}: groups may have been lost or added.`,
      );
    }
    if (seg.element(2) !== ic.controlNumber) {
      this.error(
        seg.where(2),
        `The interchange trailer control number '${seg.element(2)}' does not match the header's (ISA13) '${ic.controlNumber}': the interchange may have been cut or joined.`,
      );
    }
    this.interchange = null;
  }

  private onGs(seg: X12Segment): void {
    this.cutOffTransaction(seg);
    if (this.group !== null) {
      this.error(
        seg.where(),
        `The functional group started at segment ${this.group.segment} has no trailer (GE): segments may have been lost.`,
      );
    }
    if (this.interchange !== null) this.interchange.groups++;
    this.group = {
      segment: seg.number,
      controlNumber: seg.element(6),
      functionalId: seg.element(1),
      implementation: seg.element(8),
      transactions: 0,
      warnedFunctionalId: false,
    };
  }

  private onGe(seg: X12Segment): void {
    this.cutOffTransaction(seg);
    const group = this.group;
    if (group === null) {
      this.error(seg.where(), "Functional group trailer (GE) without a group header (GS): the header may be damaged.");
      return;
    }
    const declared = seg.element(1);
    if (Number(declared) !== group.transactions || declared === "") {
      this.error(
        seg.where(1),
        `The functional group trailer (GE) says ${declared || "nothing"} transaction(s) but the group has ${group.transactions}: payments may have been lost or added.`,
      );
    }
    if (seg.element(2) !== group.controlNumber) {
      this.error(
        seg.where(2),
        `The group trailer control number '${seg.element(2)}' does not match the group header's (GS06) '${group.controlNumber}': the group may have been cut or joined.`,
      );
    }
    this.group = null;
  }

  private onSt(seg: X12Segment): void {
    this.cutOffTransaction(seg);
    const group = this.group;
    if (group !== null) group.transactions++;
    else this.error(seg.where(), "This transaction is not inside a functional group (no GS before it): the group header may be damaged.");
    const type = seg.element(1);
    if (type !== "835") {
      this.skipped = { segment: seg.number, type: type || "unnamed", controlNumber: seg.element(2), segments: 1 };
      if (group !== null && isOtherDocumentGroup(group.functionalId, type)) {
        this.warning(seg.where(1), `Transaction set ${type} is not a remittance advice (835); it was skipped.`);
      } else {
        // Inside a payment group (HP), or not a transaction set its group can carry: a
        // damaged 835 header, whose whole payment would be skipped.
        this.error(
          seg.where(1),
          `The transaction set identifier (ST01) '${type}' is not 835` +
            (group === null ? "" : ` and the functional group (GS01 '${group.functionalId}') does not carry that transaction set`) +
            ": the header of a payment may be damaged, so the file was not read.",
        );
      }
      return;
    }
    if (group !== null && group.functionalId !== "HP" && !group.warnedFunctionalId) {
      group.warnedFunctionalId = true;
      this.warning(
        `segment ${group.segment} (GS), element 1`,
        `The functional group is marked '${group.functionalId}' but carries an 835; 'HP' was expected.`,
      );
    }
    this.counts.transactions++;
    const ic = this.interchange;
    const transaction: Remit835Transaction = {
      segment: seg.number,
      controlNumber: seg.element(2),
      implementation: group?.implementation || seg.element(3) || null,
      interchangeControlNumber: ic?.controlNumber ?? null,
      groupControlNumber: group?.controlNumber ?? null,
      senderId: ic?.senderId ?? null,
      receiverId: ic?.receiverId ?? null,
      handlingCode: null,
      totalPaymentCents: 0,
      creditDebit: null,
      paymentMethod: null,
      paymentDate: null,
      traceNumber: null,
      originatorId: null,
      productionDate: null,
      payer: null,
      payee: null,
      claims: [],
      providerAdjustments: [],
      totals: { claims: 0, serviceLines: 0, paidCents: 0, providerAdjustmentCents: 0 },
      complete: false,
    };
    this.tx = newTransactionState(transaction);
  }

  private onSe(seg: X12Segment): void {
    const skipped = this.skipped;
    if (skipped !== null) {
      // A skipped document's envelope is checked as strictly as a payment's: a count or
      // control number that is off means segments (perhaps a payment's header) were lost or
      // joined into it.
      this.skipped = null;
      const declared = seg.element(1);
      if (Number(declared) !== skipped.segments || declared === "") {
        this.error(
          seg.where(1),
          `The trailer (SE) of the skipped ${skipped.type} transaction says ${declared || "nothing"} segments but it has ${skipped.segments}: segments may have been lost or added, so the file was not read.`,
        );
      }
      if (seg.element(2) !== skipped.controlNumber) {
        this.error(
          seg.where(2),
          `The transaction trailer control number '${seg.element(2)}' does not match the header's (ST02) '${skipped.controlNumber}': the transaction may have been cut or joined.`,
        );
      }
      return;
    }
    const tx = this.tx;
    if (tx === null) {
      this.error(seg.where(), "Transaction trailer (SE) without a transaction header (ST): the header may be damaged.");
      return;
    }
    if (seg.element(2) !== tx.transaction.controlNumber) {
      this.error(
        seg.where(2),
        `The transaction trailer control number '${seg.element(2)}' does not match the header's (ST02) '${tx.transaction.controlNumber}': the transaction may have been cut or joined.`,
      );
    }
    tx.transaction.complete = true;
    const declared = seg.element(1);
    this.finishTransaction(Number(declared) !== tx.segments || declared === "" ? { declared, where: seg.where(1) } : null);
  }

  /**
   * Closes the transaction: its last claim, the payment total, then (when SE01 is off) the
   * segment count, before the transaction is handed on.
   */
  private finishTransaction(countOff: { declared: string; where: string } | null = null): void {
    const tx = this.tx;
    if (tx === null) return;
    this.body.flushClaim(tx);
    const transaction = tx.transaction;
    if (tx.bprSegment === 0) {
      this.warning(
        `segment ${transaction.segment} (ST)`,
        `Transaction ${transaction.controlNumber} has no payment segment (BPR), so its total cannot be checked.`,
      );
    } else if (!tx.unreadable) {
      // BPR02 = Σ CLP04 − Σ PLB (a PLB amount is what the payer takes back: positive reduces).
      const expected = transaction.totals.paidCents - transaction.totals.providerAdjustmentCents;
      const stated = transaction.creditDebit === "D" ? -transaction.totalPaymentCents : transaction.totalPaymentCents;
      if (expected !== stated) {
        tx.unbalanced = true;
        this.warning(
          `segment ${tx.bprSegment} (BPR), element 2`,
          `The total payment (BPR02) is ${dollars(stated)} but the claims paid ${dollars(transaction.totals.paidCents)}` +
            (transaction.totals.providerAdjustmentCents !== 0
              ? ` minus provider adjustments (PLB) of ${dollars(transaction.totals.providerAdjustmentCents)} make ${dollars(expected)}`
              : "") +
            ` (difference ${dollars(stated - expected)}).`,
        );
      }
    }
    if (countOff !== null) {
      // A count that is off means segments were lost or added, even where the amounts that are
      // left still balance (a whole claim whose CLP04 was 0.00, a dropped DTM or REF): refused.
      const says = `The transaction trailer (SE) says ${countOff.declared || "nothing"} segments but transaction ${transaction.controlNumber} has ${tx.segments}`;
      this.error(
        countOff.where,
        tx.unreadable || tx.unbalanced || tx.bprSegment === 0
          ? `${says}, and its amounts do not balance: segments may have been lost or added.`
          : `${says}: segments may have been lost or added, so the file was not read.`,
      );
    }
    this.tx = null;
    this.handlers.transaction?.(transaction);
  }

  /**
   * A segment inside a transaction that the 835 does not have: a damaged id (`clp`, `CXP`,
   * `CLM`) may be a claim, line or payment that would otherwise be dropped unseen.
   */
  private unknownSegment(seg: X12Segment, code: number): void {
    if (this.tx !== null) this.tx.unreadable = true;
    this.error(
      seg.where(),
      code === -1
        ? `'${seg.id}' is not a valid segment identifier: the segment may be a damaged claim, service line or payment, so the file cannot be read safely.`
        : `${seg.id} is not a segment of the 835: it may be a damaged claim, service line or payment, so the file cannot be read safely.`,
    );
  }
}

export { headerOf };
