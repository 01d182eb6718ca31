/**
 * The 835 model builder: consumes the segment stream of X12Tokenizer and builds typed
 * transactions, claims and service lines, checking envelopes and balances on the way.
 *
 * What is an error (the file must be rejected) and what is a warning is decided here:
 * errors are what cannot be read unambiguously (an amount that is not a number, a line or
 * adjustment with no claim to belong to, data outside any transaction, a transaction cut
 * off before its SE) and every sign that segments were lost or added (an envelope count or
 * control number that does not check out, a segment id that is not one of the 835's);
 * everything else that reads but does not add up is a warning naming the segment. See
 * docs/x12-835.md.
 */
import { packedCode, segmentIdCode, type X12Segment, type X12SegmentSink, X12Tokenizer } from "./tokenizer";
import type {
  ProviderAdjustment,
  Remit835Counts,
  Remit835Header,
  Remit835Transaction,
  RemitAdjustment,
  RemitClaim,
  RemitPayee,
  RemitPayer,
  RemitPerson,
  RemitProcedure,
  RemitServiceLine,
  X12Issue,
} from "./types";
import { dateInAsciiRange, dateInRange, dollars, internInRange, lastAmountRounded, parseX12Date, RangeTable } from "./values";

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
  let h = kindHash(code);
  while (kindCodes[h] !== 0) h = (h + 1) & (KIND_SLOTS - 1);
  kindCodes[h] = code;
  kindOfSlot[h] = kind;
}

/** The kind of a segment from its id code (X12Segment.idCode); 0 for ids the reader does not know. */
function segmentKind(code: number): number {
  // No id has code 0 (a free slot), and -1 (not a valid id) is never stored.
  let h = kindHash(code);
  for (;;) {
    const stored = kindCodes[h];
    if (stored === code) return kindOfSlot[h];
    if (stored === 0) return 0;
    h = (h + 1) & (KIND_SLOTS - 1);
  }
}

/** Where in the transaction we are; decides what REF/DTM/AMT/CAS attach to. */
const AT_HEADER = 0;
const AT_PAYER = 1;
const AT_PAYEE = 2;
const AT_OTHER_PARTY = 3;
const AT_HEADER_NUMBER = 4;
const AT_CLAIM = 5;
const AT_LINE = 6;
const AT_ORPHAN_LINE = 7;
const AT_PROVIDER_ADJUSTMENTS = 8;

/** Qualifiers compared as packed numbers (X12Segment.packed). */
const Q_472 = packedCode("472");
const Q_150 = packedCode("150");
const Q_151 = packedCode("151");
const Q_232 = packedCode("232");
const Q_233 = packedCode("233");
const Q_050 = packedCode("050");
const Q_405 = packedCode("405");
const Q_B6 = packedCode("B6");
const Q_6R = packedCode("6R");
const Q_QC = packedCode("QC");
const Q_IL = packedCode("IL");
const Q_82 = packedCode("82");

/** CAS group codes of the 835 (CR only in 4010). */
function isGroupCode(group: string): boolean {
  return group === "CO" || group === "PR" || group === "OA" || group === "PI" || group === "CR";
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

/** Shared empties: most lines have no modifiers, remarks or extra amounts. Never mutated. */
const NO_MODIFIERS: readonly string[] = Object.freeze([]);
const NO_CODES: readonly string[] = NO_MODIFIERS;
const NO_ADJUSTMENTS: readonly RemitAdjustment[] = Object.freeze([]);
const NO_LINES: readonly RemitServiceLine[] = Object.freeze([]);
const NO_AMOUNTS: Readonly<Record<string, number>> = Object.freeze({});

/** A list being built for the current claim (its service lines), handed out at exact size. */
class Scratch<T> {
  private items: T[] = [];
  private size = 0;

  add(item: T): void {
    this.items[this.size++] = item;
  }

  /** An exact-size copy (or the shared empty list); the scratch is then empty. */
  take(empty: readonly T[]): readonly T[] {
    const size = this.size;
    if (size === 0) return empty;
    this.size = 0;
    const items = this.items;
    // Literals for the usual short lists: cheaper than a slice.
    if (size === 1) return [items[0]];
    if (size === 2) return [items[0], items[1]];
    if (size === 3) return [items[0], items[1], items[2]];
    if (size === 4) return [items[0], items[1], items[2], items[3]];
    if (size === 5) return [items[0], items[1], items[2], items[3], items[4]];
    return items.slice(0, size);
  }
}

/**
 * The adjustments (CAS triplets) of the current claim or line, kept as columns until the
 * claim or line is complete, then handed out as objects in an exact-size list.
 */
class AdjustmentScratch {
  private groups: string[] = [];
  private reasons: string[] = [];
  private cents = new Float64Array(16);
  /** NaN for an adjustment without a quantity. */
  private quantities = new Float64Array(16);
  private segments = new Float64Array(16);
  size = 0;

  add(group: string, reason: string, amountCents: number, quantity: number, segment: number): void {
    const i = this.size;
    if (i === this.cents.length) this.grow();
    this.groups[i] = group;
    this.reasons[i] = reason;
    this.cents[i] = amountCents;
    this.quantities[i] = quantity;
    this.segments[i] = segment;
    this.size = i + 1;
  }

  private grow(): void {
    const size = this.cents.length * 2;
    const cents = new Float64Array(size);
    cents.set(this.cents);
    this.cents = cents;
    const quantities = new Float64Array(size);
    quantities.set(this.quantities);
    this.quantities = quantities;
    const segments = new Float64Array(size);
    segments.set(this.segments);
    this.segments = segments;
  }

  private item(i: number): RemitAdjustment {
    const quantity = this.quantities[i];
    return {
      group: this.groups[i],
      reason: this.reasons[i],
      amountCents: this.cents[i],
      quantity: Number.isNaN(quantity) ? null : quantity,
      segment: this.segments[i],
    };
  }

  /** The adjustments as an exact-size list (or the shared empty list); the scratch is then empty. */
  take(): readonly RemitAdjustment[] {
    const size = this.size;
    if (size === 0) return NO_ADJUSTMENTS;
    this.size = 0;
    if (size === 1) return [this.item(0)];
    if (size === 2) return [this.item(0), this.item(1)];
    if (size === 3) return [this.item(0), this.item(1), this.item(2)];
    const items = new Array<RemitAdjustment>(size);
    for (let i = 0; i < size; i++) items[i] = this.item(i);
    return items;
  }
}

function withCode(codes: readonly string[], code: string): readonly string[] {
  if (codes === NO_CODES) return [code];
  (codes as string[]).push(code);
  return codes;
}

function withAmount(amounts: Readonly<Record<string, number>>, qualifier: string, cents: number): Readonly<Record<string, number>> {
  if (amounts === NO_AMOUNTS) return { [qualifier]: cents };
  (amounts as Record<string, number>)[qualifier] = cents;
  return amounts;
}

function indexOfCode(text: string, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

function isDelimiterChar(c: number): boolean {
  return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c <= 32);
}

/** Splits a composite, detecting the separator when it is not the one the ISA declared. */
function splitComposite(text: string, declared: string | null): { parts: string[]; detected: string | null } {
  if (declared !== null && text.includes(declared)) return { parts: text.split(declared), detected: null };
  // Qualifiers are two characters (HC, AD, NU; WO, 72, L6 in PLB): a punctuation mark
  // right after them is the separator actually used.
  if (text.length > 2 && isDelimiterChar(text.charCodeAt(2))) {
    const sep = text[2];
    return { parts: text.split(sep), detected: sep };
  }
  return { parts: [text], detected: null };
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

interface TransactionState {
  t: Remit835Transaction;
  header: Remit835Header | null;
  segments: number;
  bprSegment: number;
  /** An amount in the transaction could not be read: totals checks would only add noise. */
  unreadable: boolean;
  /** A line, claim, patient share or the payment total did not balance (a warning was given). */
  unbalanced: boolean;
  at: number;
  headerNumber: string | null;
  claim: RemitClaim | null;
  claimUnreadable: boolean;
  line: RemitServiceLine | null;
  lineUnreadable: boolean;
  warnedComposite: boolean;
  /** Scratch lists of the claim and line being read, copied to exact size at flush. */
  claimAdjustments: AdjustmentScratch;
  lineAdjustments: AdjustmentScratch;
  lines: Scratch<RemitServiceLine>;
  /** Running sums of the adjustments read: of the current line, of the claim itself, of all its lines, and the PR ones of both. */
  lineAdjustedCents: number;
  claimAdjustedCents: number;
  claimLinesAdjustedCents: number;
  claimPatientShareCents: number;
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
  /** Procedures already read, by composite text (for the separator below); shared, frozen. */
  private readonly procedures = new RangeTable<RemitProcedure>(12);
  private proceduresSeparator = -1;
  /** The component separator the current interchange declares (ISA16), -1 when none. */
  private declaredSeparator = -1;
  private ended = false;

  constructor(
    private readonly handlers: Remit835Handlers,
    options: Remit835ReaderOptions = {},
  ) {
    this.keepClaims = options.keepClaims ?? false;
    this.tokenizer = new X12Tokenizer(this);
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
        `The file ends inside transaction ${this.tx.t.controlNumber} (ST at segment ${this.tx.t.segment}) before its trailer (SE): the file appears truncated.`,
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
      if (kind >= FIRST_BODY_KIND) this.onBodySegment(seg, kind, tx);
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
        `Transaction ${this.tx.t.controlNumber} (ST at segment ${this.tx.t.segment}) has no trailer (SE) before this ${seg.id}: it appears truncated.`,
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
    this.declaredSeparator = component === null ? -1 : component.charCodeAt(0);
    this.switchProcedureSeparator(this.declaredSeparator);
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
    const g = this.group;
    if (g === null) {
      this.error(seg.where(), "Functional group trailer (GE) without a group header (GS): the header may be damaged.");
      return;
    }
    const declared = seg.element(1);
    if (Number(declared) !== g.transactions || declared === "") {
      this.error(
        seg.where(1),
        `The functional group trailer (GE) says ${declared || "nothing"} transaction(s) but the group has ${g.transactions}: payments may have been lost or added.`,
      );
    }
    if (seg.element(2) !== g.controlNumber) {
      this.error(
        seg.where(2),
        `The group trailer control number '${seg.element(2)}' does not match the group header's (GS06) '${g.controlNumber}': the group may have been cut or joined.`,
      );
    }
    this.group = null;
  }

  private onSt(seg: X12Segment): void {
    this.cutOffTransaction(seg);
    const g = this.group;
    if (g !== null) g.transactions++;
    else this.error(seg.where(), "This transaction is not inside a functional group (no GS before it): the group header may be damaged.");
    const type = seg.element(1);
    if (type !== "835") {
      this.skipped = { segment: seg.number, type: type || "unnamed", controlNumber: seg.element(2), segments: 1 };
      if (g !== null && isOtherDocumentGroup(g.functionalId, type)) {
        this.warning(seg.where(1), `Transaction set ${type} is not a remittance advice (835); it was skipped.`);
      } else {
        // Inside a payment group (HP), or not a transaction set its group can carry: a
        // damaged 835 header, whose whole payment would be skipped.
        this.error(
          seg.where(1),
          `The transaction set identifier (ST01) '${type}' is not 835` +
            (g === null ? "" : ` and the functional group (GS01 '${g.functionalId}') does not carry that transaction set`) +
            ": the header of a payment may be damaged, so the file was not read.",
        );
      }
      return;
    }
    if (g !== null && g.functionalId !== "HP" && !g.warnedFunctionalId) {
      g.warnedFunctionalId = true;
      this.warning(
        `segment ${g.segment} (GS), element 1`,
        `The functional group is marked '${g.functionalId}' but carries an 835; 'HP' was expected.`,
      );
    }
    this.counts.transactions++;
    const ic = this.interchange;
    const t: Remit835Transaction = {
      segment: seg.number,
      controlNumber: seg.element(2),
      implementation: g?.implementation || seg.element(3) || null,
      interchangeControlNumber: ic?.controlNumber ?? null,
      groupControlNumber: g?.controlNumber ?? null,
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
    this.tx = {
      t,
      header: null,
      segments: 1,
      bprSegment: 0,
      unreadable: false,
      unbalanced: false,
      at: AT_HEADER,
      headerNumber: null,
      claim: null,
      claimUnreadable: false,
      line: null,
      lineUnreadable: false,
      warnedComposite: false,
      claimAdjustments: new AdjustmentScratch(),
      lineAdjustments: new AdjustmentScratch(),
      lines: new Scratch<RemitServiceLine>(),
      lineAdjustedCents: 0,
      claimAdjustedCents: 0,
      claimLinesAdjustedCents: 0,
      claimPatientShareCents: 0,
    };
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
    if (seg.element(2) !== tx.t.controlNumber) {
      this.error(
        seg.where(2),
        `The transaction trailer control number '${seg.element(2)}' does not match the header's (ST02) '${tx.t.controlNumber}': the transaction may have been cut or joined.`,
      );
    }
    tx.t.complete = true;
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
    this.flushClaim(tx);
    const t = tx.t;
    if (tx.bprSegment === 0) {
      this.warning(
        `segment ${t.segment} (ST)`,
        `Transaction ${t.controlNumber} has no payment segment (BPR), so its total cannot be checked.`,
      );
    } else if (!tx.unreadable) {
      // BPR02 = Σ CLP04 − Σ PLB (a PLB amount is what the payer takes back: positive reduces).
      const expected = t.totals.paidCents - t.totals.providerAdjustmentCents;
      const stated = t.creditDebit === "D" ? -t.totalPaymentCents : t.totalPaymentCents;
      if (expected !== stated) {
        tx.unbalanced = true;
        this.warning(
          `segment ${tx.bprSegment} (BPR), element 2`,
          `The total payment (BPR02) is ${dollars(stated)} but the claims paid ${dollars(t.totals.paidCents)}` +
            (t.totals.providerAdjustmentCents !== 0
              ? ` minus provider adjustments (PLB) of ${dollars(t.totals.providerAdjustmentCents)} make ${dollars(expected)}`
              : "") +
            ` (difference ${dollars(stated - expected)}).`,
        );
      }
    }
    if (countOff !== null) {
      // A count that is off means segments were lost or added, even where the amounts that are
      // left still balance (a whole claim whose CLP04 was 0.00, a dropped DTM or REF): refused.
      const says = `The transaction trailer (SE) says ${countOff.declared || "nothing"} segments but transaction ${t.controlNumber} has ${tx.segments}`;
      this.error(
        countOff.where,
        tx.unreadable || tx.unbalanced || tx.bprSegment === 0
          ? `${says}, and its amounts do not balance: segments may have been lost or added.`
          : `${says}: segments may have been lost or added, so the file was not read.`,
      );
    }
    this.tx = null;
    this.handlers.transaction?.(t);
  }

  // ------------------------------------------------------------- 835 body

  private onBodySegment(seg: X12Segment, kind: number, tx: TransactionState): void {
    switch (kind) {
      case 7: // CLP
        this.onClp(seg, tx);
        return;
      case 8: // SVC
        this.onSvc(seg, tx);
        return;
      case 9: // CAS
        this.onCas(seg, tx);
        return;
      case 10: // DTM
        this.onDtm(seg, tx);
        return;
      case 11: // AMT
        this.onAmt(seg, tx);
        return;
      case 12: // REF
        this.onRef(seg, tx);
        return;
      case 13: // NM1
        this.onNm1(seg, tx);
        return;
      case 14: // LQ
        if ((tx.at === AT_LINE || tx.at === AT_ORPHAN_LINE) && tx.line !== null && seg.is(1, "HE")) {
          tx.line.remarkCodes = withCode(tx.line.remarkCodes, seg.code(2));
        }
        return;
      case 15: // MOA
        if (tx.claim !== null) {
          for (let k = 3; k <= 7; k++) {
            if (!seg.isEmpty(k)) tx.claim.remarkCodes = withCode(tx.claim.remarkCodes, seg.code(k));
          }
        }
        return;
      case 16: // LX
        this.flushClaim(tx);
        tx.headerNumber = seg.element(1) || null;
        tx.at = AT_HEADER_NUMBER;
        return;
      case 17: // PLB
        this.onPlb(seg, tx);
        return;
      case 18: // BPR
        this.onBpr(seg, tx);
        return;
      case 19: // TRN
        if (tx.t.traceNumber === null && tx.claim === null) {
          tx.t.traceNumber = seg.element(2) || null;
          tx.t.originatorId = seg.element(3) || null;
        }
        return;
      case 20: // N1
        this.onN1(seg, tx);
        return;
      case 21: // CUR, N2, N3, N4, PER, RDM, TS3, TS2, MIA, QTY
        return;
    }
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

  /** Reads a money element into cents (0 when empty and optional); reports and returns NaN when it cannot be read. */
  private amount(seg: X12Segment, k: number, label: string, required: boolean, tx: TransactionState): number {
    const cents = seg.cents(k);
    // NaN (empty or not a number) and amounts with more than two decimals are the rare cases.
    if (Number.isNaN(cents) || lastAmountRounded()) return this.unusualAmount(seg, k, label, required, tx, cents);
    return cents;
  }

  private unusualAmount(seg: X12Segment, k: number, label: string, required: boolean, tx: TransactionState, cents: number): number {
    if (seg.isEmpty(k)) {
      if (required) {
        this.error(seg.where(k), `The ${label} is missing.`);
        tx.unreadable = true;
        return Number.NaN;
      }
      return 0;
    }
    if (Number.isNaN(cents)) {
      this.error(seg.where(k), `The ${label} '${seg.element(k)}' is not an amount.`);
      tx.unreadable = true;
      return Number.NaN;
    }
    this.warning(seg.where(k), `The ${label} '${seg.element(k)}' has more than two decimals; it was rounded to ${dollars(cents)}.`);
    return cents;
  }

  private date(seg: X12Segment, k: number): string | null {
    if (seg.isEmpty(k)) return null;
    const from = seg.seps[k] + 1;
    const to = seg.seps[k + 1];
    const date = seg.bytes !== null ? dateInAsciiRange(seg.bytes, seg.text, from, to) : dateInRange(seg.text, from, to);
    if (date === null) {
      this.warning(seg.where(k), `'${seg.element(k)}' is not a valid date (CCYYMMDD); it was ignored.`);
    }
    return date;
  }

  private onBpr(seg: X12Segment, tx: TransactionState): void {
    if (tx.bprSegment !== 0) {
      this.warning(seg.where(), "A second payment segment (BPR) in the same transaction was ignored.");
      return;
    }
    const t = tx.t;
    tx.bprSegment = seg.number;
    t.handlingCode = seg.element(1) || null;
    const total = this.amount(seg, 2, "total payment (BPR02)", true, tx);
    t.totalPaymentCents = Number.isNaN(total) ? 0 : total;
    t.creditDebit = seg.element(3) || null;
    t.paymentMethod = seg.element(4) || null;
    t.paymentDate = this.date(seg, 16);
  }

  private onN1(seg: X12Segment, tx: TransactionState): void {
    const t = tx.t;
    if (tx.claim !== null || tx.at >= AT_HEADER_NUMBER) {
      this.warning(seg.where(), "A party (N1) after the claims began was ignored.");
      return;
    }
    const entity = seg.element(1);
    const idQualifier = seg.element(3) || null;
    const id = seg.element(4) || null;
    if (entity === "PR") {
      const payer: RemitPayer = {
        name: seg.element(2),
        idQualifier,
        id,
        payerId: idQualifier === "XV" ? id : null,
      };
      t.payer = payer;
      tx.at = AT_PAYER;
    } else if (entity === "PE") {
      const payee: RemitPayee = {
        name: seg.element(2),
        idQualifier,
        id,
        npi: idQualifier === "XX" ? id : null,
        taxId: idQualifier === "FI" ? id : null,
      };
      t.payee = payee;
      tx.at = AT_PAYEE;
    } else {
      tx.at = AT_OTHER_PARTY;
    }
  }

  private onRef(seg: X12Segment, tx: TransactionState): void {
    switch (tx.at) {
      case AT_PAYER:
        if (seg.is(1, "2U") && tx.t.payer !== null) tx.t.payer.payerId = seg.element(2) || tx.t.payer.payerId;
        return;
      case AT_PAYEE:
        if (seg.is(1, "TJ") && tx.t.payee !== null && tx.t.payee.taxId === null) {
          tx.t.payee.taxId = seg.element(2) || null;
        }
        return;
      case AT_LINE:
        if (seg.packed(1) === Q_6R && tx.line !== null) tx.line.lineItemControlNumber = seg.element(2) || null;
        return;
    }
  }

  private onDtm(seg: X12Segment, tx: TransactionState): void {
    const q = seg.packed(1);
    if (tx.at === AT_LINE) {
      const line = tx.line;
      if (line === null) return;
      if (q === Q_472) {
        if (seg.isEmpty(2) && seg.is(5, "RD8")) {
          const range = seg.element(6);
          const dash = range.indexOf("-");
          line.serviceDate = dash > 0 ? parseX12Date(range.slice(0, dash)) : null;
          line.serviceDateEnd = dash > 0 ? parseX12Date(range.slice(dash + 1)) : null;
          if (line.serviceDate === null) this.warning(seg.where(6), `'${range}' is not a valid date range.`);
        } else {
          line.serviceDate = this.date(seg, 2);
          line.serviceDateEnd = line.serviceDate;
        }
      } else if (q === Q_150) {
        line.serviceDate = this.date(seg, 2);
        if (line.serviceDateEnd === null) line.serviceDateEnd = line.serviceDate;
      } else if (q === Q_151) {
        line.serviceDateEnd = this.date(seg, 2);
        if (line.serviceDate === null) line.serviceDate = line.serviceDateEnd;
      }
      return;
    }
    if (tx.at === AT_CLAIM) {
      const claim = tx.claim;
      if (claim === null) return;
      if (q === Q_232) claim.statementFrom = this.date(seg, 2);
      else if (q === Q_233) claim.statementTo = this.date(seg, 2);
      else if (q === Q_050) claim.receivedDate = this.date(seg, 2);
      return;
    }
    if (tx.at <= AT_HEADER && q === Q_405) tx.t.productionDate = this.date(seg, 2);
  }

  private onAmt(seg: X12Segment, tx: TransactionState): void {
    if (tx.at === AT_LINE && tx.line !== null) {
      if (seg.packed(1) === Q_B6) {
        const cents = this.amount(seg, 2, "allowed amount (AMT*B6)", true, tx);
        if (Number.isNaN(cents)) tx.lineUnreadable = true;
        else tx.line.reportedAllowedCents = cents;
        return;
      }
      const cents = seg.cents(2);
      if (Number.isNaN(cents)) this.warning(seg.where(2), `The amount '${seg.element(2)}' is not a number; ignored.`);
      else tx.line.amounts = withAmount(tx.line.amounts, seg.code(1), cents);
      return;
    }
    if (tx.at === AT_CLAIM && tx.claim !== null) {
      const cents = seg.cents(2);
      if (Number.isNaN(cents)) this.warning(seg.where(2), `The amount '${seg.element(2)}' is not a number; ignored.`);
      else tx.claim.amounts = withAmount(tx.claim.amounts, seg.code(1), cents);
    }
  }

  private onNm1(seg: X12Segment, tx: TransactionState): void {
    const claim = tx.claim;
    if (claim === null) return;
    const entity = seg.packed(1);
    if (entity !== Q_QC && entity !== Q_IL && entity !== Q_82) return;
    const person: RemitPerson = {
      lastName: seg.element(3),
      firstName: seg.element(4) || null,
      middleName: seg.element(5) || null,
      idQualifier: seg.element(8) || null,
      id: seg.element(9) || null,
    };
    if (entity === Q_QC) claim.patient = person;
    else if (entity === Q_IL) claim.insured = person;
    else claim.renderingProvider = person;
  }

  // ------------------------------------------------------------- claims and lines

  private onClp(seg: X12Segment, tx: TransactionState): void {
    this.flushClaim(tx);
    if (tx.at === AT_PROVIDER_ADJUSTMENTS) {
      this.warning(seg.where(), "A claim follows the provider adjustments (PLB), which should come last.");
    }
    if (tx.bprSegment === 0 && tx.t.totals.claims === 0) {
      this.warning(seg.where(), "Claims begin before any payment segment (BPR).");
    }
    const charge = this.amount(seg, 3, "claim charge (CLP03)", true, tx);
    const paid = this.amount(seg, 4, "claim paid amount (CLP04)", true, tx);
    const patientShare = this.amount(seg, 5, "patient responsibility (CLP05)", false, tx);
    const unreadable = Number.isNaN(charge) || Number.isNaN(paid) || Number.isNaN(patientShare);
    const status = seg.code(2);
    if (seg.isEmpty(1)) this.warning(seg.where(1), "The claim has no patient control number (CLP01).");
    const claim: RemitClaim = {
      segment: seg.number,
      headerNumber: tx.headerNumber,
      patientControlNumber: seg.element(1),
      status,
      isReversal: status === "22",
      chargeCents: Number.isNaN(charge) ? 0 : charge,
      paidCents: Number.isNaN(paid) ? 0 : paid,
      patientResponsibilityCents: Number.isNaN(patientShare) ? 0 : patientShare,
      filingIndicator: seg.code(6),
      payerClaimControlNumber: seg.element(7),
      facilityCode: seg.code(8) || null,
      frequencyCode: seg.code(9) || null,
      adjustments: NO_ADJUSTMENTS,
      patient: null,
      insured: null,
      renderingProvider: null,
      statementFrom: null,
      statementTo: null,
      receivedDate: null,
      amounts: NO_AMOUNTS,
      remarkCodes: NO_CODES,
      serviceLines: NO_LINES,
    };
    tx.claim = claim;
    tx.claimUnreadable = unreadable;
    tx.at = AT_CLAIM;
    const t = tx.t;
    t.totals.claims++;
    t.totals.paidCents += claim.paidCents;
    this.counts.claims++;
    this.counts.paidCents += claim.paidCents;
  }

  /**
   * Reads a procedure composite (SVC01 / SVC06) straight from the segment text:
   * qualifier, code, up to four modifiers. When the separator declared in ISA16 is not
   * there, a punctuation mark right after the two-character qualifier is taken instead.
   */
  private procedure(seg: X12Segment, k: number, tx: TransactionState): RemitProcedure | null {
    const bytes = seg.bytes;
    if (bytes !== null && this.proceduresSeparator === this.declaredSeparator && this.proceduresSeparator !== -1) {
      // Read before with the declared separator, so it holds that separator: no warning to give.
      const known = this.procedures.getAscii(bytes, seg.text, seg.seps[k] + 1, seg.seps[k + 1]);
      if (known !== undefined) return known;
    }
    return this.readProcedure(seg, k, tx);
  }

  private readProcedure(seg: X12Segment, k: number, tx: TransactionState): RemitProcedure | null {
    const text = seg.text;
    const from = seg.seps[k] + 1;
    const to = seg.seps[k + 1];
    const declared = seg.delimiters.component;
    let sepCode = declared === null ? -1 : declared.charCodeAt(0);
    if (sepCode === this.proceduresSeparator && sepCode !== -1) {
      // Read before with the declared separator, so it holds that separator: no warning to give.
      const known = seg.bytes !== null ? this.procedures.getAscii(seg.bytes, text, from, to) : this.procedures.get(text, from, to);
      if (known !== undefined) return known;
    }
    let first = sepCode === -1 ? -1 : indexOfCode(text, sepCode, from, to);
    if (first === -1 && to - from > 2 && isDelimiterChar(text.charCodeAt(from + 2))) {
      first = from + 2;
      sepCode = text.charCodeAt(first);
      if (!tx.warnedComposite) {
        tx.warnedComposite = true;
        const detected = text[first];
        this.warning(
          seg.where(k),
          declared === null
            ? `The interchange header declares no component separator (ISA16 is empty); '${detected}' was detected in the procedure code.`
            : `The procedure code is written with '${detected}' between its parts although the interchange header declares '${declared}'; '${detected}' was used.`,
        );
      }
    }
    if (first === -1) {
      const whole = text.slice(from, to);
      if (/^[A-Z][A-Z0-9]$/.test(whole)) {
        this.error(
          seg.where(k),
          `The service line names the code type '${whole}' but no procedure code, so its charge and payment cannot be placed reliably.`,
        );
        return null;
      }
      if (whole === "") {
        this.error(seg.where(k), "The service line has no procedure code.");
        return null;
      }
      this.warning(seg.where(k), `The procedure code '${whole}' has no qualifier (such as HC).`);
      return { qualifier: "", code: whole, modifiers: NO_MODIFIERS };
    }
    // The same few composites repeat across a remit: each is read once, then shared.
    if (sepCode !== this.proceduresSeparator) this.switchProcedureSeparator(sepCode);
    const known = this.procedures.get(text, from, to);
    if (known !== undefined) return known;
    let next = indexOfCode(text, sepCode, first + 1, to);
    const codeEnd = next === -1 ? to : next;
    if (codeEnd === first + 1) {
      this.error(seg.where(k), "The service line has a qualifier but an empty procedure code.");
      return null;
    }
    const modifiers: string[] = [];
    for (let m = 0; m < 4 && next !== -1; m++) {
      const start = next + 1;
      next = indexOfCode(text, sepCode, start, to);
      const end = next === -1 ? to : next;
      if (end > start) modifiers.push(internInRange(text, start, end));
    }
    const procedure: RemitProcedure = Object.freeze({
      qualifier: internInRange(text, from, first),
      code: internInRange(text, first + 1, codeEnd),
      modifiers: modifiers.length === 0 ? NO_MODIFIERS : Object.freeze(modifiers),
    });
    this.procedures.set(text, from, to, procedure);
    return procedure;
  }

  /** Procedures are remembered for one separator at a time (the declared one, usually). */
  private switchProcedureSeparator(sepCode: number): void {
    if (sepCode === this.proceduresSeparator) return;
    this.procedures.clear();
    this.proceduresSeparator = sepCode;
  }

  private onSvc(seg: X12Segment, tx: TransactionState): void {
    this.flushLine(tx);
    const claim = tx.claim;
    if (claim === null) {
      this.error(seg.where(), "A service line (SVC) appears before any claim (CLP); it cannot be attributed to a claim.");
      tx.unreadable = true;
      tx.at = AT_ORPHAN_LINE;
      return;
    }
    const procedure = this.procedure(seg, 1, tx);
    const charge = this.amount(seg, 2, "line charge (SVC02)", true, tx);
    const paid = this.amount(seg, 3, "line paid amount (SVC03)", true, tx);
    let units = 1;
    if (!seg.isEmpty(5)) {
      units = seg.quantity(5);
      if (Number.isNaN(units)) {
        this.warning(seg.where(5), `The units '${seg.element(5)}' are not a number; 1 was assumed.`);
        units = 1;
      }
    }
    const original = seg.isEmpty(6) || procedure === null ? null : this.procedure(seg, 6, tx);
    let originalUnits: number | null = null;
    if (!seg.isEmpty(7)) {
      originalUnits = seg.quantity(7);
      if (Number.isNaN(originalUnits)) originalUnits = null;
    }
    const unreadable = procedure === null || Number.isNaN(charge) || Number.isNaN(paid);
    if (procedure === null) tx.unreadable = true;
    const line: RemitServiceLine = {
      segment: seg.number,
      procedure: procedure ?? { qualifier: "", code: "", modifiers: [] },
      originalProcedure: original,
      chargeCents: Number.isNaN(charge) ? 0 : charge,
      paidCents: Number.isNaN(paid) ? 0 : paid,
      revenueCode: seg.code(4) || null,
      units,
      originalUnits,
      serviceDate: null,
      serviceDateEnd: null,
      adjustments: NO_ADJUSTMENTS,
      lineItemControlNumber: null,
      reportedAllowedCents: null,
      remarkCodes: NO_CODES,
      amounts: NO_AMOUNTS,
    };
    tx.lines.add(line);
    tx.line = line;
    tx.lineUnreadable = unreadable;
    if (unreadable) tx.claimUnreadable = true;
    tx.at = AT_LINE;
    tx.t.totals.serviceLines++;
    this.counts.serviceLines++;
  }

  private onCas(seg: X12Segment, tx: TransactionState): void {
    let target: AdjustmentScratch;
    let onLine = false;
    if (tx.at === AT_LINE && tx.line !== null) {
      target = tx.lineAdjustments;
      onLine = true;
    } else if (tx.at === AT_CLAIM && tx.claim !== null) target = tx.claimAdjustments;
    else if (tx.at === AT_ORPHAN_LINE) return;
    else {
      this.error(seg.where(), "An adjustment (CAS) appears outside any claim; it cannot be attributed.");
      tx.unreadable = true;
      return;
    }
    const group = seg.code(1);
    if (!isGroupCode(group)) {
      this.warning(seg.where(1), `'${group}' is not an adjustment group code (CO, PR, OA, PI, CR).`);
    }
    if (seg.count > 20) {
      this.warning(seg.where(20), "An adjustment segment carries more than six adjustments; the extra ones were ignored.");
    }
    let unreadable = false;
    for (let r = 2; r < seg.count && r <= 17; r += 3) {
      const reasonEmpty = seg.isEmpty(r);
      const amountEmpty = seg.isEmpty(r + 1);
      if (reasonEmpty && amountEmpty) {
        if (!seg.isEmpty(r + 2)) this.warning(seg.where(r + 2), "A quantity without an adjustment was ignored.");
        continue;
      }
      if (reasonEmpty) this.warning(seg.where(r), "An adjustment amount has no reason code.");
      const cents = this.amount(seg, r + 1, "adjustment amount", true, tx);
      if (Number.isNaN(cents)) {
        unreadable = true;
        continue;
      }
      let quantity = Number.NaN;
      if (!seg.isEmpty(r + 2)) {
        quantity = seg.quantity(r + 2);
        if (Number.isNaN(quantity)) {
          this.warning(seg.where(r + 2), `The adjustment quantity '${seg.element(r + 2)}' is not a number; ignored.`);
        }
      }
      const reason = seg.code(r);
      target.add(group, reason, cents, quantity, seg.number);
      if (onLine) {
        tx.lineAdjustedCents += cents;
        tx.claimLinesAdjustedCents += cents;
      } else {
        tx.claimAdjustedCents += cents;
      }
      if (group === "PR") tx.claimPatientShareCents += cents;
    }
    if (unreadable) {
      if (tx.at === AT_LINE) tx.lineUnreadable = true;
      tx.claimUnreadable = true;
    }
  }

  private onPlb(seg: X12Segment, tx: TransactionState): void {
    this.flushClaim(tx);
    tx.at = AT_PROVIDER_ADJUSTMENTS;
    const t = tx.t;
    const providerId = seg.element(1);
    const fiscalPeriodDate = this.date(seg, 2);
    for (let k = 3; k < seg.count && k <= 13; k += 2) {
      if (seg.isEmpty(k) && seg.isEmpty(k + 1)) continue;
      const cents = this.amount(seg, k + 1, "provider adjustment amount", true, tx);
      if (Number.isNaN(cents)) continue;
      const { parts, detected } = splitComposite(seg.element(k), seg.delimiters.component);
      if (detected !== null && !tx.warnedComposite) {
        tx.warnedComposite = true;
        this.warning(
          seg.where(k),
          `The adjustment identifier uses '${detected}' between its parts although the interchange header declares ${seg.delimiters.component === null ? "none" : `'${seg.delimiters.component}'`}; '${detected}' was used.`,
        );
      }
      if (parts[0] === "") this.warning(seg.where(k), "A provider adjustment has no reason code.");
      const adjustment: ProviderAdjustment = {
        segment: seg.number,
        providerId,
        fiscalPeriodDate,
        reasonCode: parts[0],
        reference: parts.length > 1 && parts[1] !== "" ? parts[1] : null,
        amountCents: cents,
      };
      t.providerAdjustments.push(adjustment);
      t.totals.providerAdjustmentCents += cents;
    }
    if (seg.count > 15) {
      this.warning(seg.where(15), "A PLB segment carries more than six adjustments; the extra ones were ignored.");
    }
  }

  private flushLine(tx: TransactionState): void {
    const line = tx.line;
    if (line === null) return;
    tx.line = null;
    line.adjustments = tx.lineAdjustments.take();
    const adjusted = tx.lineAdjustedCents;
    tx.lineAdjustedCents = 0;
    if (tx.lineUnreadable) return;
    // A payer that adjusts at the claim level only sends lines without CAS (DOMAIN.md "Precise
    // cases": each line's paid is its SVC03 as sent); the claim's own balance is checked instead.
    if (line.adjustments.length === 0 && tx.claimAdjustedCents !== 0) return;
    if (line.chargeCents - adjusted !== line.paidCents) {
      tx.unbalanced = true;
      this.warning(
        `segment ${line.segment} (SVC)`,
        `Service line ${line.procedure.code} does not balance: charge ${dollars(line.chargeCents)} minus adjustments ${dollars(adjusted)} is ${dollars(line.chargeCents - adjusted)}, but the line paid ${dollars(line.paidCents)} (difference ${dollars(line.chargeCents - adjusted - line.paidCents)}).`,
      );
    }
  }

  private flushClaim(tx: TransactionState): void {
    this.flushLine(tx);
    const claim = tx.claim;
    if (claim === null) return;
    tx.claim = null;
    claim.adjustments = tx.claimAdjustments.take();
    claim.serviceLines = tx.lines.take(NO_LINES);
    if (tx.at === AT_CLAIM || tx.at === AT_LINE || tx.at === AT_ORPHAN_LINE) tx.at = AT_HEADER_NUMBER;
    const claimAdjusted = tx.claimAdjustedCents;
    const lineAdjusted = tx.claimLinesAdjustedCents;
    const patientShare = tx.claimPatientShareCents;
    tx.claimAdjustedCents = 0;
    tx.claimLinesAdjustedCents = 0;
    tx.claimPatientShareCents = 0;
    if (!tx.claimUnreadable) {
      const net = claim.chargeCents - claimAdjusted - lineAdjusted;
      // Some payers fold claim interest (AMT*I) into CLP04, or take a prompt-payment
      // discount (AMT*D8) out of it, without a CAS: a claim balancing that way is accepted.
      const interest = claim.amounts.I ?? 0;
      const discount = claim.amounts.D8 ?? 0;
      const balancesWithAmounts = (interest !== 0 || discount !== 0) && net + interest - discount === claim.paidCents;
      if (net !== claim.paidCents && !balancesWithAmounts) {
        tx.unbalanced = true;
        this.warning(
          `segment ${claim.segment} (CLP)`,
          `Claim ${claim.patientControlNumber} does not balance: charge ${dollars(claim.chargeCents)} minus adjustments ${dollars(claimAdjusted + lineAdjusted)}` +
            (claim.serviceLines.length > 0 ? ` (${dollars(claimAdjusted)} on the claim, ${dollars(lineAdjusted)} on its lines)` : "") +
            ` is ${dollars(net)}, but the claim paid ${dollars(claim.paidCents)} (difference ${dollars(net - claim.paidCents)}).`,
        );
      }
      if (patientShare !== claim.patientResponsibilityCents) {
        tx.unbalanced = true;
        this.warning(
          `segment ${claim.segment} (CLP), element 5`,
          `Claim ${claim.patientControlNumber}: patient responsibility (CLP05) is ${dollars(claim.patientResponsibilityCents)} but its patient-responsibility (PR) adjustments add up to ${dollars(patientShare)}.`,
        );
      }
    }
    tx.claimUnreadable = false;
    if (this.keepClaims) tx.t.claims.push(claim);
    if (this.handlers.claim !== undefined) {
      if (tx.header === null) tx.header = headerOf(tx.t);
      this.handlers.claim(tx.header, claim);
    }
  }
}

/** A copy of the header fields of a transaction (what is known before its claims). */
export function headerOf(t: Remit835Transaction): Remit835Header {
  return {
    segment: t.segment,
    controlNumber: t.controlNumber,
    implementation: t.implementation,
    interchangeControlNumber: t.interchangeControlNumber,
    groupControlNumber: t.groupControlNumber,
    senderId: t.senderId,
    receiverId: t.receiverId,
    handlingCode: t.handlingCode,
    totalPaymentCents: t.totalPaymentCents,
    creditDebit: t.creditDebit,
    paymentMethod: t.paymentMethod,
    paymentDate: t.paymentDate,
    traceNumber: t.traceNumber,
    originatorId: t.originatorId,
    productionDate: t.productionDate,
    payer: t.payer === null ? null : { ...t.payer },
    payee: t.payee === null ? null : { ...t.payee },
  };
}
