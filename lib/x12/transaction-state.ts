import { packedCode } from "./tokenizer";
import type { Remit835Header, Remit835Transaction, RemitAdjustment, RemitClaim, RemitServiceLine } from "./types";

/** Where in the transaction we are; decides what REF/DTM/AMT/CAS attach to. */
export const AT_HEADER = 0;
export const AT_PAYER = 1;
export const AT_PAYEE = 2;
export const AT_OTHER_PARTY = 3;
export const AT_HEADER_NUMBER = 4;
export const AT_CLAIM = 5;
export const AT_LINE = 6;
export const AT_ORPHAN_LINE = 7;
export const AT_PROVIDER_ADJUSTMENTS = 8;

/** Qualifiers compared as packed numbers (X12Segment.packed). */
export const Q_472 = packedCode("472");
export const Q_150 = packedCode("150");
export const Q_151 = packedCode("151");
export const Q_232 = packedCode("232");
export const Q_233 = packedCode("233");
export const Q_050 = packedCode("050");
export const Q_405 = packedCode("405");
export const Q_B6 = packedCode("B6");
export const Q_6R = packedCode("6R");
export const Q_QC = packedCode("QC");
export const Q_IL = packedCode("IL");
export const Q_82 = packedCode("82");

/** CAS group codes of the 835 (CR only in 4010). */
export function isGroupCode(group: string): boolean {
  return group === "CO" || group === "PR" || group === "OA" || group === "PI" || group === "CR";
}

/** Shared empties: most lines have no modifiers, remarks or extra amounts. Never mutated. */
export const NO_MODIFIERS: readonly string[] = Object.freeze([]);
export const NO_CODES: readonly string[] = NO_MODIFIERS;
export const NO_ADJUSTMENTS: readonly RemitAdjustment[] = Object.freeze([]);
export const NO_LINES: readonly RemitServiceLine[] = Object.freeze([]);
export const NO_AMOUNTS: Readonly<Record<string, number>> = Object.freeze({});

/** A list being built for the current claim (its service lines), handed out at exact size. */
export class Scratch<T> {
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
export class AdjustmentScratch {
  private groups: string[] = [];
  private reasons: string[] = [];
  private cents = new Float64Array(16);
  /** NaN for an adjustment without a quantity. */
  private quantities = new Float64Array(16);
  private segments = new Float64Array(16);
  size = 0;

  add(group: string, reason: string, amountCents: number, quantity: number, segment: number): void {
    const index = this.size;
    if (index === this.cents.length) this.grow();
    this.groups[index] = group;
    this.reasons[index] = reason;
    this.cents[index] = amountCents;
    this.quantities[index] = quantity;
    this.segments[index] = segment;
    this.size = index + 1;
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

  private item(index: number): RemitAdjustment {
    const quantity = this.quantities[index];
    return {
      group: this.groups[index],
      reason: this.reasons[index],
      amountCents: this.cents[index],
      quantity: Number.isNaN(quantity) ? null : quantity,
      segment: this.segments[index],
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
    for (let index = 0; index < size; index++) items[index] = this.item(index);
    return items;
  }
}

export function withCode(codes: readonly string[], code: string): readonly string[] {
  if (codes === NO_CODES) return [code];
  (codes as string[]).push(code);
  return codes;
}

export function withAmount(amounts: Readonly<Record<string, number>>, qualifier: string, cents: number): Readonly<Record<string, number>> {
  if (amounts === NO_AMOUNTS) return { [qualifier]: cents };
  (amounts as Record<string, number>)[qualifier] = cents;
  return amounts;
}

export function indexOfCode(text: string, code: number, from: number, to: number): number {
  for (let index = from; index < to; index++) if (text.charCodeAt(index) === code) return index;
  return -1;
}

export function isDelimiterChar(code: number): boolean {
  return !((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code <= 32);
}

/** Splits a composite, detecting the separator when it is not the one the ISA declared. */
export function splitComposite(text: string, declared: string | null): { parts: string[]; detected: string | null } {
  if (declared !== null && text.includes(declared)) return { parts: text.split(declared), detected: null };
  // Qualifiers are two characters (HC, AD, NU; WO, 72, L6 in PLB): a punctuation mark
  // right after them is the separator actually used.
  if (text.length > 2 && isDelimiterChar(text.charCodeAt(2))) {
    const sep = text[2];
    return { parts: text.split(sep), detected: sep };
  }
  return { parts: [text], detected: null };
}

export interface TransactionState {
  transaction: Remit835Transaction;
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

/** The state of a transaction whose ST was just read. */
export function newTransactionState(transaction: Remit835Transaction): TransactionState {
  return {
    transaction,
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
