/**
 * Exact readers for X12 values: decimal amounts to integer cents (no floating point on
 * the way) and CCYYMMDD dates to `YYYY-MM-DD`.
 */

/** Set by centsInRange: true when the last amount had non-zero digits beyond cents. */
let lastAmountWasRounded = false;

/** Whether the last amount read by centsInRange had non-zero digits beyond cents. */
export function lastAmountRounded(): boolean {
  return lastAmountWasRounded;
}

/** Largest whole-dollar part accepted (keeps cents a safe integer). */
const MAX_WHOLE_DIGITS = 13;

/**
 * Reads the X12 decimal (type R) in `s[from, to)` as integer cents, or NaN when it is not
 * a plain decimal (`-`? digits `.`? digits). More than two decimals are rounded half away
 * from zero (half-up on the magnitude) and flagged through `lastAmountRounded()`.
 * Examples: "123.45" → 12345, "-5" → -500, "1.5" → 150, ".5" → 50, "1.005" → 101.
 */
export function centsInRange(s: string, from: number, to: number): number {
  lastAmountWasRounded = false;
  if (from >= to) return Number.NaN;
  let i = from;
  let negative = false;
  let c = s.charCodeAt(i);
  if (c === 45) {
    negative = true;
    i++;
  }
  let whole = 0;
  let wholeDigits = 0;
  for (; i < to; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (wholeDigits > 0 || c !== 48) wholeDigits++;
    whole = whole * 10 + (c - 48);
  }
  let fraction = 0;
  let fractionDigits = 0;
  let roundUp = false;
  let sawDigit = i > from + (negative ? 1 : 0);
  if (i < to && c === 46) {
    i++;
    for (; i < to; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return Number.NaN;
      const d = c - 48;
      sawDigit = true;
      if (fractionDigits < 2) fraction = fraction * 10 + d;
      else {
        if (fractionDigits === 2) roundUp = d >= 5;
        if (d !== 0) lastAmountWasRounded = true;
      }
      fractionDigits++;
    }
  }
  if (i < to || !sawDigit || wholeDigits > MAX_WHOLE_DIGITS) return Number.NaN;
  if (fractionDigits === 1) fraction *= 10;
  const cents = whole * 100 + fraction + (roundUp ? 1 : 0);
  return negative && cents !== 0 ? -cents : cents;
}

/** Integer cents from a decimal string, or null when it is not an X12 decimal. */
export function parseAmountCents(text: string): number | null {
  const cents = centsInRange(text, 0, text.length);
  return Number.isNaN(cents) ? null : cents;
}

/** `12345` → `"123.45"`, `-5` → `"-0.05"`. For messages and for writing X12. */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${negative ? "-" : ""}${whole}.${rest < 10 ? "0" : ""}${rest}`;
}

/** Dollars with thousands separators for messages: `1234567` → `$12,345.67`. */
export function dollars(cents: number): string {
  const text = formatCents(Math.abs(cents));
  const dot = text.indexOf(".");
  const whole = text.slice(0, dot).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${cents < 0 ? "-" : ""}$${whole}${text.slice(dot)}`;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** CCYYMMDD → `CCYY-MM-DD`, or null when it is not a calendar date. */
export function parseX12Date(text: string): string | null {
  if (text.length !== 8) return null;
  for (let i = 0; i < 8; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return null;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
    return null;
  }
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

const dateCache = new Map<number, string | null>();

/**
 * CCYYMMDD in `s[from, to)` → `CCYY-MM-DD`, or null when it is not a calendar date.
 * Remits repeat the same few dates thousands of times: they are cached by value.
 */
export function dateInRange(s: string, from: number, to: number): string | null {
  if (to - from !== 8) return null;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  let date = dateCache.get(value);
  if (date === undefined) {
    date = parseX12Date(s.slice(from, to));
    if (dateCache.size > 20_000) dateCache.clear();
    dateCache.set(value, date);
  }
  return date;
}

/** A quantity (units, CAS quantity): a plain decimal number, or NaN. */
export function parseQuantity(text: string): number {
  if (text.length === 0) return Number.NaN;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || (c === 45 && i === 0))) return Number.NaN;
  }
  return Number(text);
}

/** Open-addressing table of interned strings, keyed by their packed characters. */
const INTERN_BITS = 14;
const INTERN_SIZE = 1 << INTERN_BITS;
const INTERN_MASK = INTERN_SIZE - 1;
const internLow = new Int32Array(INTERN_SIZE);
const internHigh = new Int32Array(INTERN_SIZE);
const internValues: (string | undefined)[] = new Array<string | undefined>(INTERN_SIZE).fill(undefined);
let internCount = 0;

/**
 * `s.slice(from, to)`, but one shared instance per distinct short ASCII value (codes such
 * as CO, 45, HC, 97110, GP): a remit repeats a few hundred codes millions of times, and
 * sharing them keeps a fully read file several times smaller in memory.
 */
export function internInRange(s: string, from: number, to: number): string {
  const length = to - from;
  if (length === 0) return "";
  if (length > 7) return s.slice(from, to);
  // 7 bits per character: the first four in `low`, the length and the rest in `high`.
  let low = 0;
  let high = length;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(from + i);
    if (c >= 128) return s.slice(from, to);
    if (i < 4) low = (low << 7) | c;
    else high = (high << 7) | c;
  }
  let h = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high + 0x7f4a7c15, 0x85ebca77)) >>> (32 - INTERN_BITS);
  for (;;) {
    const value = internValues[h];
    if (value === undefined) break;
    if (internLow[h] === low && internHigh[h] === high) return value;
    h = (h + 1) & INTERN_MASK;
  }
  const value = s.slice(from, to);
  if (internCount >= INTERN_SIZE >> 1) {
    // Full (a file with endless distinct short values): start over rather than grow.
    internValues.fill(undefined);
    internCount = 0;
    h = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high + 0x7f4a7c15, 0x85ebca77)) >>> (32 - INTERN_BITS);
  }
  internLow[h] = low;
  internHigh[h] = high;
  internValues[h] = value;
  internCount++;
  return value;
}

/**
 * A small hash table keyed by a range of characters of some text, so that looking a value
 * up does not first cut the range out as a string. Clears itself when half full.
 */
export class RangeTable<V> {
  private readonly mask: number;
  private keys: (string | undefined)[];
  private values: (V | undefined)[];
  private count = 0;

  constructor(bits = 12) {
    this.mask = (1 << bits) - 1;
    this.keys = new Array<string | undefined>(1 << bits).fill(undefined);
    this.values = new Array<V | undefined>(1 << bits).fill(undefined);
  }

  private slot(text: string, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    let slot = (h >>> 0) & this.mask;
    const length = to - from;
    for (;;) {
      const key = this.keys[slot];
      if (key === undefined || (key.length === length && text.startsWith(key, from))) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  get(text: string, from: number, to: number): V | undefined {
    return this.values[this.slot(text, from, to)];
  }

  set(text: string, from: number, to: number, value: V): void {
    if (this.count >= (this.mask + 1) >> 1) this.clear();
    const slot = this.slot(text, from, to);
    if (this.keys[slot] === undefined) this.count++;
    this.keys[slot] = text.slice(from, to);
    this.values[slot] = value;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.count = 0;
  }
}
