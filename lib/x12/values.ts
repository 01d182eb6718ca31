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

/** NaN, read from a module constant in the hot paths. */
const NOT_A_NUMBER = Number.NaN;

/** Largest whole-dollar part accepted (keeps cents a safe integer). */
const MAX_WHOLE_DIGITS = 13;

/**
 * Reads the X12 decimal (type R) in `text[from, to)` as integer cents, or NaN when it is not
 * a plain decimal (`-`? digits `.`? digits). More than two decimals are rounded half away
 * from zero (half-up on the magnitude) and flagged through `lastAmountRounded()`.
 * Examples: "123.45" → 12345, "-5" → -500, "1.5" → 150, ".5" → 50, "1.005" → 101.
 */
export function centsInRange(text: string, from: number, to: number): number {
  lastAmountWasRounded = false;
  if (from >= to) return NOT_A_NUMBER;
  let charCode = text.charCodeAt(from);
  const negative = charCode === 45;
  const digitsFrom = from + (negative ? 1 : 0);
  let position = digitsFrom;
  let whole = 0;
  for (; position < to; position++) {
    charCode = text.charCodeAt(position);
    if (charCode < 48 || charCode > 57) break;
    whole = whole * 10 + (charCode - 48);
  }
  let sawDigit = position > digitsFrom;
  let fraction = 0;
  if (position < to) {
    if (charCode !== 46) return NOT_A_NUMBER;
    position++;
    if (to - position === 2) {
      // The usual form: exactly two decimals.
      const d1 = text.charCodeAt(position) - 48;
      const d2 = text.charCodeAt(position + 1) - 48;
      if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NOT_A_NUMBER;
      fraction = d1 * 10 + d2;
      sawDigit = true;
    } else if (position < to) {
      fraction = fractionCents(text, position, to);
      if (fraction < 0) return NOT_A_NUMBER;
      sawDigit = true;
    }
  }
  // More than MAX_WHOLE_DIGITS digits (leading zeros aside) is more than WHOLE_LIMIT.
  if (!sawDigit || whole > WHOLE_LIMIT) return NOT_A_NUMBER;
  const cents = whole * 100 + fraction;
  // The same operations for both signs (no -0 for "-0.00").
  return cents === 0 ? 0 : cents * (negative ? -1 : 1);
}

/** Largest whole-dollar value accepted: MAX_WHOLE_DIGITS nines. */
const WHOLE_LIMIT = 10 ** MAX_WHOLE_DIGITS - 1;

/**
 * Cents of the decimals in text[from, to) (one, or three and more), rounded half up on the
 * third; -1 when a character is not a digit. Sets lastAmountWasRounded.
 */
function fractionCents(text: string, from: number, to: number): number {
  let fraction = 0;
  let roundUp = false;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    const place = i - from;
    if (place < 2) fraction = fraction * 10 + digit;
    else {
      if (place === 2) roundUp = digit >= 5;
      if (digit !== 0) lastAmountWasRounded = true;
    }
  }
  if (to - from === 1) fraction *= 10;
  return fraction + (roundUp ? 1 : 0);
}

/**
 * centsInRange for text whose characters are the ASCII `bytes` at the same positions: the
 * usual form (digits, a point, two decimals) is read from the bytes, anything else by
 * centsInRange.
 */
export function centsInAsciiRange(bytes: Uint8Array, text: string, from: number, to: number): number {
  const point = to - 3;
  const negative = bytes[from] === 45;
  let position = from + (negative ? 1 : 0);
  if (position >= point || point - position > MAX_WHOLE_DIGITS || bytes[point] !== 46) return centsInRange(text, from, to);
  let whole = 0;
  for (; position < point; position++) {
    const digit = bytes[position] - 48;
    if (digit < 0 || digit > 9) return centsInRange(text, from, to);
    whole = whole * 10 + digit;
  }
  const d1 = bytes[point + 1] - 48;
  const d2 = bytes[point + 2] - 48;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return centsInRange(text, from, to);
  lastAmountWasRounded = false;
  const cents = whole * 100 + d1 * 10 + d2;
  return cents === 0 ? 0 : cents * (negative ? -1 : 1);
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
    const charCode = text.charCodeAt(i);
    if (charCode < 48 || charCode > 57) return null;
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

/** Dates already read, by their CCYYMMDD value, in a direct-mapped table. */
const DATE_SLOTS = 4096;
const dateKeys = new Int32Array(DATE_SLOTS).fill(-1);
const dateValues: (string | null)[] = new Array<string | null>(DATE_SLOTS).fill(null);

/**
 * CCYYMMDD in `text[from, to)` → `CCYY-MM-DD`, or null when it is not a calendar date.
 * Remits repeat the same few dates thousands of times: they are cached by value.
 */
export function dateInRange(text: string, from: number, to: number): string | null {
  if (to - from !== 8) return null;
  let value = 0;
  for (let i = from; i < to; i++) {
    const charCode = text.charCodeAt(i);
    if (charCode < 48 || charCode > 57) return null;
    value = value * 10 + (charCode - 48);
  }
  const slot = Math.imul(value, 0x9e3779b1) >>> 20;
  if (dateKeys[slot] === value) return dateValues[slot];
  const date = parseX12Date(text.slice(from, to));
  dateKeys[slot] = value;
  dateValues[slot] = date;
  return date;
}

/** dateInRange for text whose characters are the ASCII `bytes` at the same positions. */
export function dateInAsciiRange(bytes: Uint8Array, text: string, from: number, to: number): string | null {
  if (to - from !== 8) return null;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = bytes[i] - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  const slot = Math.imul(value, 0x9e3779b1) >>> 20;
  if (dateKeys[slot] === value) return dateValues[slot];
  return dateInRange(text, from, to);
}

/** A quantity (units, CAS quantity): a plain decimal number, or NaN. */
export function parseQuantity(text: string): number {
  if (text.length === 0) return Number.NaN;
  for (let i = 0; i < text.length; i++) {
    const charCode = text.charCodeAt(i);
    if (!((charCode >= 48 && charCode <= 57) || charCode === 46 || (charCode === 45 && i === 0))) return Number.NaN;
  }
  return Number(text);
}

/**
 * parseQuantity of `text[from, to)` for text whose characters are the ASCII `bytes` at the same
 * positions: whole numbers of up to nine digits are read from the bytes, anything else by
 * parseQuantity.
 */
export function quantityInAsciiRange(bytes: Uint8Array, text: string, from: number, to: number): number {
  if (from >= to || to - from > 9) return parseQuantity(text.slice(from, to));
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = bytes[i] - 48;
    if (digit < 0 || digit > 9) return parseQuantity(text.slice(from, to));
    value = value * 10 + digit;
  }
  return value;
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
 * `text.slice(from, to)`, but one shared instance per distinct short ASCII value (codes such
 * as CO, 45, HC, 97110, GP): a remit repeats a few hundred codes millions of times, and
 * sharing them keeps a fully read file several times smaller in memory.
 */
export function internInRange(text: string, from: number, to: number): string {
  const length = to - from;
  if (length === 0) return "";
  if (length > 7) return text.slice(from, to);
  // 7 bits per character: the first four in `low`, the length and the rest in `high`.
  let low = 0;
  let high = length;
  for (let i = 0; i < length; i++) {
    const charCode = text.charCodeAt(from + i);
    if (charCode >= 128) return text.slice(from, to);
    if (i < 4) low = (low << 7) | charCode;
    else high = (high << 7) | charCode;
  }
  const slot = internSlot(low, high);
  const known = internValues[slot];
  if (known !== undefined) return known;
  const value = from === 0 && to === text.length ? text : text.slice(from, to);
  if (internCount >= INTERN_SIZE >> 1) {
    // Full (a file with endless distinct short values): start over rather than grow.
    internValues.fill(undefined);
    internCount = 0;
    seedInterned();
    const free = internSlot(low, high);
    storeInterned(free, low, high, value);
    return value;
  }
  storeInterned(slot, low, high, value);
  return value;
}

/**
 * internInRange for text whose characters are the ASCII `bytes` at the same positions:
 * known codes are found from the bytes, new ones are added by internInRange.
 */
export function internInAsciiRange(bytes: Uint8Array, text: string, from: number, to: number): string {
  const length = to - from;
  if (length === 0) return "";
  if (length > 7) return text.slice(from, to);
  let low = 0;
  let high = length;
  for (let i = 0; i < length; i++) {
    const charCode = bytes[from + i];
    if (i < 4) low = (low << 7) | charCode;
    else high = (high << 7) | charCode;
  }
  const known = internValues[internSlot(low, high)];
  return known !== undefined ? known : internInRange(text, from, to);
}

/** The slot of the packed key (low, high): where it is, or the free slot where it goes. */
function internSlot(low: number, high: number): number {
  let slot = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high + 0x7f4a7c15, 0x85ebca77)) >>> (32 - INTERN_BITS);
  for (;;) {
    if (internValues[slot] === undefined || (internLow[slot] === low && internHigh[slot] === high)) return slot;
    slot = (slot + 1) & INTERN_MASK;
  }
}

function storeInterned(slot: number, low: number, high: number, value: string): void {
  internLow[slot] = low;
  internHigh[slot] = high;
  internValues[slot] = value;
  internCount++;
}

/**
 * Codes the reader compares with string literals (adjustment groups, the reversal status,
 * the sequestration reason 253) are shared as those same
 * literals, so that comparing them is comparing references.
 */
const SEEDED_CODES = ["CO", "PR", "OA", "PI", "CR", "22", "253"];

function seedInterned(): void {
  for (const code of SEEDED_CODES) internInRange(code, 0, code.length);
}

seedInterned();

/** Whether text[from, from + key.length) is `key` (the caller has checked the length). */
function sameChars(key: string, text: string, from: number): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}

/** Keys up to this many ASCII characters are stored packed, four to a number. */
const PACKED_KEY_CHARS = 24;
const KEY_WORDS = PACKED_KEY_CHARS / 4;
/** Added to the stored length of a key kept as a string (longer, or not ASCII). */
const STRING_KEY = 0x40000000;

/**
 * A small hash table keyed by a range of characters of some text, so that looking a value
 * up does not first cut the range out as a string. Short ASCII keys (procedure composites
 * such as HC:97110:GP) are packed four characters to a number, so a lookup reads each
 * character once and compares a few numbers. Clears itself when half full.
 */
export class RangeTable<V> {
  private readonly mask: number;
  /** Per slot: the key's length (plus STRING_KEY when kept as a string), -1 when free. */
  private readonly lengths: Int32Array;
  /** Per slot: KEY_WORDS numbers holding a packed key's characters. */
  private readonly words: Int32Array;
  private readonly keys: (string | undefined)[];
  private readonly values: (V | undefined)[];
  private count = 0;
  /** The packed key of the last slot() call. */
  private readonly key = new Int32Array(KEY_WORDS);

  constructor(bits = 12) {
    const size = 1 << bits;
    this.mask = size - 1;
    this.lengths = new Int32Array(size).fill(-1);
    this.words = new Int32Array(size * KEY_WORDS);
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<V | undefined>(size).fill(undefined);
  }

  /** The slot holding text[from, to), or the free slot where it would go. */
  private slot(text: string, from: number, to: number): number {
    const length = to - from;
    if (length > PACKED_KEY_CHARS) return this.stringSlot(text, from, to);
    const key = this.key;
    const used = (length + 3) >> 2;
    let all = 0;
    let hash = length;
    let position = from;
    for (let wordIndex = 0; wordIndex < used; wordIndex++) {
      let word = 0;
      for (const end = Math.min(to, position + 4); position < end; position++) {
        const charCode = text.charCodeAt(position);
        all |= charCode;
        word = (word << 8) | charCode;
      }
      key[wordIndex] = word;
      hash = Math.imul(hash ^ word, 0x9e3779b1);
      hash ^= hash >>> 15;
    }
    if (all >= 128) return this.stringSlot(text, from, to);
    return this.probe(hash, length, used);
  }

  /** The slot of the packed key in this.key (its hash, length and words used), or the free slot where it would go. */
  private probe(hash: number, length: number, used: number): number {
    const key = this.key;
    let slot = (hash ^ (hash >>> 13)) & this.mask;
    const lengths = this.lengths;
    const words = this.words;
    for (;;) {
      const stored = lengths[slot];
      if (stored === -1) return slot;
      if (stored === length) {
        const at = slot * KEY_WORDS;
        let wordIndex = 0;
        while (wordIndex < used && words[at + wordIndex] === key[wordIndex]) wordIndex++;
        if (wordIndex === used) return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** slot() for text whose characters are the ASCII `bytes` at the same positions. */
  private asciiSlot(bytes: Uint8Array, text: string, from: number, to: number): number {
    const length = to - from;
    if (length > PACKED_KEY_CHARS) return this.stringSlot(text, from, to);
    const key = this.key;
    const used = (length + 3) >> 2;
    let hash = length;
    let position = from;
    let wordIndex = 0;
    // Whole words of four characters, then the rest: packed as slot() packs them.
    for (; position + 4 <= to; position += 4) {
      const word = (bytes[position] << 24) | (bytes[position + 1] << 16) | (bytes[position + 2] << 8) | bytes[position + 3];
      key[wordIndex++] = word;
      hash = Math.imul(hash ^ word, 0x9e3779b1);
      hash ^= hash >>> 15;
    }
    if (position < to) {
      let word = 0;
      for (; position < to; position++) word = (word << 8) | bytes[position];
      key[wordIndex] = word;
      hash = Math.imul(hash ^ word, 0x9e3779b1);
      hash ^= hash >>> 15;
    }
    return this.probe(hash, length, used);
  }

  private stringSlot(text: string, from: number, to: number): number {
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    let slot = (hash >>> 0) & this.mask;
    const length = to - from;
    for (;;) {
      const stored = this.lengths[slot];
      if (stored === -1) return slot;
      if (stored === length + STRING_KEY && sameChars(this.keys[slot] as string, text, from)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  get(text: string, from: number, to: number): V | undefined {
    return this.values[this.slot(text, from, to)];
  }

  /** get() for text whose characters are the ASCII `bytes` at the same positions. */
  getAscii(bytes: Uint8Array, text: string, from: number, to: number): V | undefined {
    return this.values[this.asciiSlot(bytes, text, from, to)];
  }

  set(text: string, from: number, to: number, value: V): void {
    if (this.count >= (this.mask + 1) >> 1) this.clear();
    const slot = this.slot(text, from, to);
    if (this.lengths[slot] === -1) {
      this.count++;
      const length = to - from;
      if (length <= PACKED_KEY_CHARS && this.isPackable(text, from, to)) {
        this.words.set(this.key.subarray(0, (length + 3) >> 2), slot * KEY_WORDS);
        this.lengths[slot] = length;
      } else {
        this.keys[slot] = text.slice(from, to);
        this.lengths[slot] = length + STRING_KEY;
      }
    }
    this.values[slot] = value;
  }

  private isPackable(text: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (text.charCodeAt(i) >= 128) return false;
    return true;
  }

  clear(): void {
    this.lengths.fill(-1);
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.count = 0;
  }
}
