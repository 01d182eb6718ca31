/**
 * Streaming X12 tokenizer: text in (in chunks of any size), segments out, one at a time.
 *
 * Delimiters are read from each ISA itself: the element separator is the character right
 * after "ISA"; the 16th element separator is followed by ISA16 (component separator, may
 * be empty) and then the segment terminator, so an ISA of the wrong width still reads.
 * Newlines after terminators (or as terminators) are fine. Text before the first ISA is
 * skipped with a warning. Memory stays at one chunk plus one unfinished segment.
 *
 * Segments are handed to the sink as a reused view (X12Segment) over the chunk text: no
 * array of elements is built; element strings and amounts are read on demand.
 *
 * Bytes (pushBytes) are decoded as UTF-8; a slice that is all ASCII is also scanned as bytes,
 * which is faster than reading the characters of its text one at a time.
 */
import { BYTES_PER_TEXT, ChunkDecoder } from "./decode";
import type { X12Delimiters, X12Issue } from "./types";
import { centsInAsciiRange, centsInRange, internInAsciiRange, internInRange, parseQuantity, quantityInAsciiRange } from "./values";

/** A segment longer than this means the terminator is not what the ISA declared. */
export const MAX_SEGMENT_CHARS = 1_000_000;
/** Chunks shorter than this are gathered before being scanned. */
const MIN_CHUNK = 4096;
/** Characters of a new chunk joined to an unfinished segment to complete it. */
const STRADDLE_HEAD = 4096;
/** An ISA with 16 separators spread wider than this is not an interchange header. */
const MAX_ISA_CHARS = 512;
/** How far past the ISA we look to tell an empty ISA16 from a newline terminator. */
const MAX_ISA_LOOKAHEAD = 1024;

export interface X12SegmentSink {
  segment(segment: X12Segment): void;
  warning(issue: X12Issue): void;
  error(issue: X12Issue): void;
}

/** Numeric code of a 2-3 character segment id; lets the reader switch without strings. */
export function segmentIdCode(id: string): number {
  return (id.charCodeAt(0) << 16) | (id.charCodeAt(1) << 8) | (id.length > 2 ? id.charCodeAt(2) : 0);
}

const ID_ISA = 0x495341; // segmentIdCode("ISA")

/** A 1-3 character code packed as X12Segment.packed() packs an element; -1 for other lengths. */
export function packedCode(code: string): number {
  if (code.length < 1 || code.length > 3) return -1;
  let value = code.length;
  for (let i = 0; i < code.length; i++) {
    const charCode = code.charCodeAt(i);
    if (charCode > 255) return -1;
    value = (value << 8) | charCode;
  }
  return value;
}

function isAlnum(charCode: number): boolean {
  return (charCode >= 48 && charCode <= 57) || (charCode >= 65 && charCode <= 90) || (charCode >= 97 && charCode <= 122);
}

/** Characters that can serve as a delimiter: not a letter, digit, space or line break. */
function isDelimiterCode(charCode: number): boolean {
  return !Number.isNaN(charCode) && !isAlnum(charCode) && charCode !== 32 && charCode !== 10 && charCode !== 13 && charCode !== 0xfeff;
}

/** Upper-case letter or digit: the characters of a segment id. */
function isIdChar(charCode: number): boolean {
  return (charCode >= 48 && charCode <= 57) || (charCode >= 65 && charCode <= 90);
}

/** segmentIdCode of the id c0 c1 (c2: 0 for a two-character id), or -1 when it is not a valid id. */
function idCodeOf(c0: number, c1: number, c2: number): number {
  return c0 >= 65 && c0 <= 90 && isIdChar(c1) && (c2 === 0 || isIdChar(c2)) ? (c0 << 16) | (c1 << 8) | c2 : -1;
}

function isLineBreak(charCode: number): boolean {
  return charCode === 10 || charCode === 13;
}

function show(char: string): string {
  if (char === "\n") return "a line break (LF)";
  if (char === "\r") return "a line break (CR)";
  return `'${char}'`;
}

/**
 * A view of one segment inside the tokenizer's current text. Valid only during the
 * sink call: copy out what you keep (element() returns fresh strings).
 */
export class X12Segment {
  text = "";
  /**
   * The characters of text as bytes when they are ASCII bytes given to pushBytes (the same
   * positions), else null: numbers and codes are then read from the bytes.
   */
  bytes: Uint8Array | null = null;
  /** 1-based number of the segment across the whole file. */
  number = 0;
  start = 0;
  end = 0;
  /** Elements including the id (element 0). */
  count = 0;
  /** seps[k] is the index of the separator before element k; seps[count] is the end. */
  seps: Int32Array = new Int32Array(40);
  /** segmentIdCode of the id, or -1 when the id is not 2-3 letters/digits. */
  idCode = -1;
  delimiters: X12Delimiters = { element: "*", component: null, repetition: null, segment: "~" };

  /** The segment id as written (up to 12 characters of it when it is not a valid id). */
  get id(): string {
    const idEnd = this.count > 1 ? this.seps[1] : this.end;
    return this.text.slice(this.start, Math.min(idEnd, this.start + 12));
  }

  /** Element index (1-based as in X12: CLP01 is element(1)); "" when absent. */
  element(index: number): string {
    if (index >= this.count) return "";
    return this.text.slice(this.seps[index] + 1, this.seps[index + 1]);
  }

  /** Element index as a shared string instance (for short codes); "" when absent. */
  code(index: number): string {
    if (index >= this.count) return "";
    const bytes = this.bytes;
    if (bytes !== null) return internInAsciiRange(bytes, this.text, this.seps[index] + 1, this.seps[index + 1]);
    return internInRange(this.text, this.seps[index] + 1, this.seps[index + 1]);
  }

  /**
   * Element index packed into a number (see packedCode) when it is 1 to 3 characters below
   * U+0100, else -1: qualifiers compared without making a string.
   */
  packed(index: number): number {
    if (index >= this.count) return -1;
    const from = this.seps[index] + 1;
    const length = this.seps[index + 1] - from;
    if (length < 1 || length > 3) return -1;
    const text = this.text;
    let value = length;
    for (let i = from; i < from + length; i++) {
      const charCode = text.charCodeAt(i);
      if (charCode > 255) return -1;
      value = (value << 8) | charCode;
    }
    return value;
  }

  isEmpty(index: number): boolean {
    return index >= this.count || this.seps[index + 1] === this.seps[index] + 1;
  }

  /** Element index as integer cents; NaN when not a number (and when empty). */
  cents(index: number): number {
    if (index >= this.count) return Number.NaN;
    const bytes = this.bytes;
    if (bytes !== null) return centsInAsciiRange(bytes, this.text, this.seps[index] + 1, this.seps[index + 1]);
    return centsInRange(this.text, this.seps[index] + 1, this.seps[index + 1]);
  }

  /** Element index as a quantity (see parseQuantity): NaN when empty or not a number. */
  quantity(index: number): number {
    if (index >= this.count) return Number.NaN;
    const bytes = this.bytes;
    if (bytes !== null) return quantityInAsciiRange(bytes, this.text, this.seps[index] + 1, this.seps[index + 1]);
    return parseQuantity(this.element(index));
  }

  /** True when element index is exactly `value` (no allocation). */
  is(index: number, value: string): boolean {
    if (index >= this.count) return value.length === 0;
    const from = this.seps[index] + 1;
    if (this.seps[index + 1] - from !== value.length) return false;
    return this.text.startsWith(value, from);
  }

  /** The whole segment text (for messages and tests). */
  raw(): string {
    return this.text.slice(this.start, this.end);
  }

  where(index?: number): string {
    return index === undefined ? `segment ${this.number} (${this.id})` : `segment ${this.number} (${this.id}), element ${index}`;
  }

  /** Doubles the separator table (segments with very many elements). */
  grow(): Int32Array {
    const grown = new Int32Array(this.seps.length * 2);
    grown.set(this.seps);
    this.seps = grown;
    return grown;
  }

  /** Sets idCode from the characters before the first separator. */
  identify(): void {
    const text = this.text;
    const start = this.start;
    const idLength = this.seps[1] - start;
    if (idLength === 2 || idLength === 3) {
      const c0 = text.charCodeAt(start);
      const c1 = text.charCodeAt(start + 1);
      const c2 = idLength === 3 ? text.charCodeAt(start + 2) : 0;
      this.idCode = idCodeOf(c0, c1, c2);
    } else {
      this.idCode = -1;
    }
  }

  /** Points the view at text[start, end) and finds its element separators. */
  load(text: string, start: number, end: number, sep: string): void {
    this.text = text;
    this.bytes = null;
    this.start = start;
    this.end = end;
    let seps: Int32Array = this.seps;
    seps[0] = start - 1;
    let found = 0;
    let sepAt = text.indexOf(sep, start);
    while (sepAt !== -1 && sepAt < end) {
      found++;
      if (found + 1 >= seps.length) seps = this.grow();
      seps[found] = sepAt;
      sepAt = text.indexOf(sep, sepAt + 1);
    }
    seps[found + 1] = end;
    this.count = found + 1;
    this.identify();
  }
}

const Mode = { SeekIsa: 0, Segments: 1 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** Why we are looking for an ISA: decides how skipped text is reported. */
const SeekReason = { StartOfFile: 0, AfterTrailer: 1, AfterUnreadable: 2 } as const;
type SeekReason = (typeof SeekReason)[keyof typeof SeekReason];

const IsaResult = { Ok: 0, NeedMore: 1, Bad: 2 } as const;
type IsaResult = (typeof IsaResult)[keyof typeof IsaResult];

export class X12Tokenizer {
  private buf = "";
  private pos = 0;
  /** Absolute offset (in characters) of buf[0] in the whole input. */
  private base = 0;
  private mode: Mode = Mode.SeekIsa;
  private term = "~";
  private sep = "*";
  private termCode = 126;
  private delimiters: X12Delimiters | null = null;
  private segmentCount = 0;
  private readonly view = new X12Segment();
  private started = false;
  private sawIsa = false;
  private seekReason: SeekReason = SeekReason.StartOfFile;
  private seekFrom = 0;
  private seekHasText = false;
  private seekHasSeparator = false;
  /** Non-blank characters skipped since the search started (counted up to 4), and the first 3. */
  private seekNonBlank = 0;
  private seekHead = "";
  /** The last characters skipped before the first ISA (a segment id may straddle two calls). */
  private seekTail = "\n";
  /** X12 data found in the text before the first ISA, and its offset; null when none. */
  private leadingX12: { text: string; at: number } | null = null;
  private prevCode = 0;
  private lastTrailerNumber = 0;
  private finished = false;
  private pending: string[] = [];
  private pendingLength = 0;
  /** The characters of buf as bytes, while buf is an ASCII slice given to pushBytes; else null. */
  private bytes: Uint8Array | null = null;
  private decoder: ChunkDecoder | null = null;
  /**
   * An unfinished segment longer than STRADDLE_HEAD, kept as the pieces it arrived in (not
   * joined, not rescanned) until its terminator comes; null when there is none. The pieces
   * are outside buf: base is the offset of the text that follows them.
   */
  private long: string[] | null = null;
  private longLength = 0;
  /**
   * Characters the segment scanner has looked at, rescans included: about the input's length
   * (twice it for segments longer than STRADDLE_HEAD), whatever the chunk sizes.
   */
  charsScanned = 0;

  constructor(private readonly sink: X12SegmentSink) {}

  /** Number of segments read so far. */
  get segmentsRead(): number {
    return this.segmentCount;
  }

  push(chunk: string): void {
    if (this.finished) return;
    this.flushDecoder();
    this.pushText(chunk, null);
  }

  /**
   * Pushes the next bytes of a UTF-8 file; a character cut at the end of `bytes` is completed
   * by the next call. Text and bytes can be mixed: text ends any unfinished character.
   */
  pushBytes(bytes: Uint8Array): void {
    if (this.finished) return;
    if (this.decoder === null) this.decoder = new ChunkDecoder();
    const decoder = this.decoder;
    for (let at = 0; at < bytes.length; at += BYTES_PER_TEXT) {
      // A plain Uint8Array view, whether a Buffer or not was given: the bytes are then always
      // read through the same kind of array.
      const slice = new Uint8Array(bytes.buffer, bytes.byteOffset + at, Math.min(BYTES_PER_TEXT, bytes.length - at));
      const text = decoder.decode(slice);
      this.pushText(text, decoder.lastWasAscii ? slice : null);
    }
  }

  /** What an unfinished character at the end of the bytes pushed so far decodes to. */
  private flushDecoder(): void {
    if (this.decoder === null) return;
    const rest = this.decoder.flush();
    if (rest.length > 0) this.pushText(rest, null);
  }

  /** `ascii`, when given, holds the characters of `chunk` as bytes (it is all ASCII). */
  private pushText(chunk: string, ascii: Uint8Array | null): void {
    if (chunk.length === 0) return;
    // Tiny chunks (a slow network, a test feeding bytes) are gathered first, so that an
    // unfinished segment is not rescanned once per byte.
    if (chunk.length < MIN_CHUNK || this.pendingLength > 0) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      if (this.pendingLength < MIN_CHUNK) return;
      chunk = this.pending.join("");
      this.pending = [];
      this.pendingLength = 0;
      ascii = null;
    }
    this.feed(chunk, ascii);
  }

  private feed(chunk: string, ascii: Uint8Array | null): void {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        this.sink.warning({
          where: "start of file",
          message: "The file starts with a byte-order mark (BOM); it was skipped.",
        });
        chunk = chunk.slice(1);
        this.base = 1;
        this.seekFrom = 1;
        if (chunk.length === 0) return;
      }
    }
    if (this.long !== null) this.feedLong(chunk, ascii);
    else this.feedChunk(chunk, ascii);
    this.keepLong();
  }

  private feedChunk(chunk: string, ascii: Uint8Array | null): void {
    const leftover = this.buf.length - this.pos;
    if (leftover <= 0) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      this.runOn(ascii, false);
      return;
    }
    // A segment straddles the chunks. Joining the whole chunk to it would make the text a
    // cons string, slower to scan; finish it on a short joined head, then scan the chunk.
    const rest = this.buf.slice(this.pos);
    this.base += this.pos;
    if (chunk.length > STRADDLE_HEAD) {
      this.buf = rest + chunk.slice(0, STRADDLE_HEAD);
      this.pos = 0;
      // ASCII on both sides: the joined head is read as bytes too, like the chunks around it.
      this.runOn(ascii !== null && rest.length <= STRADDLE_HEAD ? joinAscii(rest, ascii, STRADDLE_HEAD) : null, false);
      if (this.pos >= rest.length) {
        this.base += rest.length;
        this.pos -= rest.length;
        this.buf = chunk;
        this.runOn(ascii, false);
        return;
      }
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos, rest.length) + chunk;
    } else {
      this.buf = rest + chunk;
    }
    this.pos = 0;
    this.run(false);
  }

  /**
   * When the text ends inside a segment longer than STRADDLE_HEAD, sets it aside as a piece
   * of its own: the chunks that follow are searched for its terminator alone (feedLong)
   * instead of the whole segment being joined and rescanned for every chunk.
   */
  private keepLong(): void {
    if (this.mode !== Mode.Segments || this.long !== null) return;
    const left = this.buf.length - this.pos;
    if (left <= STRADDLE_HEAD) return;
    this.long = [this.buf.slice(this.pos)];
    this.longLength = left;
    this.base += this.buf.length;
    this.buf = "";
    this.pos = 0;
  }

  /** The next chunk while a long segment is unfinished (see keepLong). */
  private feedLong(chunk: string, ascii: Uint8Array | null): void {
    const long = this.long as string[];
    const termAt = ascii !== null ? ascii.indexOf(this.termCode) : chunk.indexOf(this.term);
    if (termAt === -1) {
      this.charsScanned += chunk.length;
      long.push(chunk);
      this.longLength += chunk.length;
      this.base += chunk.length;
      if (this.longLength > MAX_SEGMENT_CHARS) {
        // As run() does for a segment that long within one text: reported, and the search
        // for the next ISA goes on after this chunk.
        this.long = null;
        this.longLength = 0;
        this.segmentCount++;
        this.sink.error({
          where: `segment ${this.segmentCount}`,
          message: `No segment terminator ${show(this.term)} within ${MAX_SEGMENT_CHARS.toLocaleString("en-US")} characters; the rest of the interchange cannot be read.`,
        });
        this.startSeek(SeekReason.AfterUnreadable, 0);
      }
      return;
    }
    this.charsScanned += termAt + 1;
    // The segment ends in this chunk: its pieces are joined once and read as one text.
    const start = this.base - this.longLength;
    const joined = long.join("") + chunk.slice(0, termAt + 1);
    this.long = null;
    this.longLength = 0;
    this.base = start;
    this.buf = joined;
    this.pos = 0;
    this.run(false);
    if (this.pos === joined.length) {
      // The rest of the chunk is read as the chunk it is (as bytes, when it is ASCII).
      this.base = start + joined.length - (termAt + 1);
      this.buf = chunk;
      this.pos = termAt + 1;
      this.runOn(ascii, false);
    } else {
      const rest = joined.slice(this.pos);
      this.base = start + this.pos;
      this.buf = rest + chunk.slice(termAt + 1);
      this.pos = 0;
      this.run(false);
    }
  }

  /** Call once after the last chunk. */
  end(): void {
    if (this.finished) return;
    this.flushDecoder();
    if (this.pendingLength > 0) {
      const rest = this.pending.join("");
      this.pending = [];
      this.pendingLength = 0;
      this.feed(rest, null);
    }
    if (this.long !== null) {
      // The file ends inside a long segment: it is read as the last one.
      this.base -= this.longLength;
      this.buf = this.long.join("");
      this.pos = 0;
      this.long = null;
      this.longLength = 0;
    }
    this.run(true);
    this.finished = true;
    this.buf = "";
    this.pos = 0;
  }

  /** run() with `ascii` as the bytes of buf; they are not kept past the call. */
  private runOn(ascii: Uint8Array | null, final: boolean): void {
    this.bytes = ascii;
    try {
      this.run(final);
    } finally {
      this.bytes = null;
    }
  }

  private run(final: boolean): void {
    for (;;) {
      if (this.mode === Mode.SeekIsa) {
        if (this.seek(final)) continue;
        return;
      }
      const buf = this.buf;
      const len = buf.length;
      const stop = this.segments(final);
      // -1: an ISA or IEA switched to searching for the next header.
      if (stop === -1) continue;
      if (!final && len - stop > MAX_SEGMENT_CHARS) {
        this.segmentCount++;
        this.sink.error({
          where: `segment ${this.segmentCount}`,
          message: `No segment terminator ${show(this.term)} within ${MAX_SEGMENT_CHARS.toLocaleString("en-US")} characters; the rest of the interchange cannot be read.`,
        });
        this.pos = len;
        this.startSeek(SeekReason.AfterUnreadable, len);
        continue;
      }
      this.pos = stop;
      return;
    }
  }

  // ---------------------------------------------------------------- segments

  /**
   * Reads the terminated segments of buf from pos on. Returns where reading stopped for want
   * of text (an unfinished segment, or the end), or -1 when an ISA or IEA switched to ISA
   * search; what follows the loop is the caller's.
   */
  private segments(final: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    const term = this.term;
    const sep = this.sep;
    const termCode = this.termCode;
    const sepCode = sep.charCodeAt(0);
    const bytes = this.bytes;
    const view = this.view;
    const entry = this.pos;
    let pos = entry;
    view.text = buf;
    view.bytes = bytes;
    /** Index of the next element separator at or after pos (-1: none left, -2: not searched). */
    let nextSep = -2;
    for (;;) {
      let charCode = pos < len ? (bytes !== null ? bytes[pos] : buf.charCodeAt(pos)) : 0;
      while (charCode <= 32 && charCode !== termCode && pos < len) {
        pos++;
        charCode = pos < len ? (bytes !== null ? bytes[pos] : buf.charCodeAt(pos)) : 0;
      }
      if (pos < len && charCode === termCode) {
        // An empty segment (a terminator right after another): nothing to read.
        pos++;
        continue;
      }
      if (pos >= len) break;
      if (charCode === 73 /* I */) {
        if (pos + 3 >= len && !final) break;
        if (buf.charCodeAt(pos + 1) === 83 && buf.charCodeAt(pos + 2) === 65 && isDelimiterCode(buf.charCodeAt(pos + 3))) {
          // A new interchange re-declares its delimiters: read it as a header.
          this.pos = pos;
          this.charsScanned += pos - entry;
          this.startSeek(SeekReason.AfterTrailer, pos);
          return -1;
        }
      }
      let seps: Int32Array = view.seps;
      seps[0] = pos - 1;
      let found = 0;
      let termAt: number;
      if (bytes !== null) {
        // One pass over the bytes: the element separators, up to the terminator. (bytes has
        // the length of buf; bounding the loop by its own length spares a check per byte.)
        const byteCount = bytes.length;
        for (termAt = pos; termAt < byteCount; termAt++) {
          const byte = bytes[termAt];
          if (byte === sepCode) {
            found++;
            if (found + 1 >= seps.length) seps = view.grow();
            seps[found] = termAt;
          } else if (byte === termCode) {
            break;
          }
        }
      } else {
        // indexOf runs natively over the flat chunk: the terminator, then the separators before it.
        termAt = buf.indexOf(term, pos);
        if (termAt === -1) termAt = len;
        // The first separator past the previous segment is remembered, so text without
        // separators is not searched again for every segment.
        let sepAt = nextSep === -2 || (nextSep !== -1 && nextSep < pos) ? buf.indexOf(sep, pos) : nextSep;
        while (sepAt !== -1 && sepAt < termAt) {
          found++;
          if (found + 1 >= seps.length) seps = view.grow();
          seps[found] = sepAt;
          sepAt = buf.indexOf(sep, sepAt + 1);
        }
        nextSep = sepAt;
      }
      const unterminated = termAt >= len;
      // An unfinished segment waits for more text (run() reports one too long to be a segment).
      if (unterminated && !final) break;
      let end = termAt;
      if (bytes !== null) {
        while (end > pos && isLineBreak(bytes[end - 1])) end--;
      } else {
        while (end > pos && isLineBreak(buf.charCodeAt(end - 1))) end--;
      }
      while (found > 0 && seps[found] >= end) found--;
      seps[found + 1] = end;
      view.start = pos;
      view.end = end;
      view.count = found + 1;
      if (bytes !== null) {
        const idLength = seps[1] - pos;
        view.idCode = idLength === 2 || idLength === 3 ? idCodeOf(charCode, bytes[pos + 1], idLength === 3 ? bytes[pos + 2] : 0) : -1;
      } else {
        view.identify();
      }
      this.segmentCount++;
      view.number = this.segmentCount;
      if (unterminated && !isLineBreak(termCode)) {
        this.sink.warning({
          where: view.where(),
          message: `The last segment of the file has no terminator (expected ${show(this.term)}).`,
        });
      }
      this.sink.segment(view);
      pos = termAt + 1;
      if (view.idCode === 0x494541 /* IEA */) {
        this.lastTrailerNumber = view.number;
        this.pos = pos;
        this.charsScanned += pos - entry;
        this.startSeek(SeekReason.AfterTrailer, pos);
        return -1;
      }
    }
    // Everything up to the end of the text was looked at (an unfinished segment included).
    this.charsScanned += len - entry;
    return pos;
  }

  // ---------------------------------------------------------------- ISA search

  private startSeek(reason: SeekReason, pos: number): void {
    this.mode = Mode.SeekIsa;
    this.seekReason = reason;
    this.seekFrom = this.base + pos;
    this.seekHasText = false;
    this.seekHasSeparator = false;
    this.seekNonBlank = 0;
    this.seekHead = "";
    this.prevCode = 0;
  }

  /** Records skipped text in buf[from, to). */
  private skip(from: number, to: number): void {
    if (to <= from) return;
    if (this.seekReason === SeekReason.StartOfFile && this.leadingX12 === null) this.findLeadingX12(from, to);
    if (!(this.seekHasSeparator && this.seekNonBlank > 3)) {
      const sepCode = this.sep.charCodeAt(0);
      const buf = this.buf;
      for (let i = from; i < to; i++) {
        const charCode = buf.charCodeAt(i);
        if (charCode > 32) {
          this.seekHasText = true;
          if (this.seekNonBlank < 4) {
            if (this.seekNonBlank < 3) this.seekHead += buf[i];
            this.seekNonBlank++;
          }
          if (charCode === sepCode) this.seekHasSeparator = true;
          if (this.seekHasSeparator && this.seekNonBlank > 3) break;
        }
      }
    }
    this.prevCode = this.buf.charCodeAt(to - 1);
  }

  /**
   * Looks for X12 segments in text skipped before the first ISA: an envelope or money segment
   * id (GS, ST, BPR, CLP, …) at the start of a line or after a delimiter, followed by a
   * delimiter and data. Prose (a mail header, a validator's report with "* W10009:" bullets)
   * has none; a damaged first ISA leaves its whole interchange here.
   */
  private findLeadingX12(from: number, to: number): void {
    const tail = this.seekTail;
    const text = tail + this.buf.slice(from, to);
    LEADING_X12.lastIndex = 0;
    const match = LEADING_X12.exec(text);
    if (match !== null) {
      const start = match.index + 1;
      this.leadingX12 = {
        text: text.slice(start, start + 24).replace(/[\r\n].*$/s, ""),
        at: this.base + from + start - tail.length,
      };
    }
    this.seekTail = text.slice(-6);
  }

  /** Looks for the next ISA; returns true when one was read (mode is then Segments). */
  private seek(final: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    for (;;) {
      const isaAt = buf.indexOf("ISA", pos);
      if (isaAt === -1) {
        const keep = final ? len : Math.max(pos, len - 3);
        this.skip(pos, keep);
        this.pos = keep;
        if (final) this.closeSeek(null);
        return false;
      }
      this.skip(pos, isaAt);
      if (isAlnum(this.prevCode)) {
        // "VISA", "THISA": part of a word, not a header.
        this.skip(isaAt, isaAt + 3);
        pos = isaAt + 3;
        continue;
      }
      if (isaAt + 3 >= len) {
        if (!final) {
          this.pos = isaAt;
          return false;
        }
        this.skip(isaAt, len);
        this.pos = len;
        this.closeSeek(null);
        return false;
      }
      if (!isDelimiterCode(buf.charCodeAt(isaAt + 3))) {
        this.skip(isaAt, isaAt + 3);
        pos = isaAt + 3;
        continue;
      }
      const result = this.readIsa(isaAt, final);
      if (result === IsaResult.NeedMore) {
        this.pos = isaAt;
        return false;
      }
      if (result === IsaResult.Bad) {
        pos = isaAt + 3;
        this.startSeek(SeekReason.AfterUnreadable, pos);
        this.prevCode = 65;
        continue;
      }
      this.mode = Mode.Segments;
      return true;
    }
  }

  /** Reports what was skipped since the search started; isaAt is absolute, or null at EOF. */
  private closeSeek(isaAt: number | null): void {
    const end = isaAt ?? this.base + this.buf.length;
    const skipped = end - this.seekFrom;
    if (this.seekReason === SeekReason.StartOfFile) {
      if (isaAt === null) {
        this.sink.error({
          where: "file",
          message: this.started
            ? "No interchange header (ISA) found: this is not an X12 835 file, or its beginning is missing."
            : "The file is empty.",
        });
      } else if (this.leadingX12 !== null) {
        const found = this.leadingX12;
        this.sink.error({
          where: `before segment ${this.segmentCount + 1} (ISA)`,
          message: `The text before the interchange header (ISA) contains X12 data ('${found.text}…' at character ${(found.at + 1).toLocaleString("en-US")}): an earlier interchange header is missing or damaged, so its payments cannot be read.`,
        });
      } else if (this.seekHasText) {
        this.sink.warning({
          where: `segment ${this.segmentCount + 1} (ISA)`,
          message: `Skipped ${skipped.toLocaleString("en-US")} characters of text before the interchange header (ISA).`,
        });
      }
    } else if (this.seekReason === SeekReason.AfterTrailer && this.seekHasText) {
      if (this.seekHasSeparator) {
        this.sink.error({
          where: `after segment ${this.lastTrailerNumber} (IEA)`,
          message:
            "Data follows the interchange trailer (IEA) outside any interchange; it was not read. The file may have been joined or damaged.",
        });
      } else if (this.seekNonBlank <= 3 && "ISA".startsWith(this.seekHead)) {
        // "I", "IS" or "ISA" and nothing more: the file was cut at the start of the next
        // interchange, whose payments are missing.
        this.sink.error({
          where: `after segment ${this.lastTrailerNumber} (IEA)`,
          message: `The file ends with '${this.seekHead}' after the interchange trailer (IEA): it was cut at the start of the next interchange header (ISA), whose payments are missing.`,
        });
      } else {
        this.sink.warning({
          where: `after segment ${this.lastTrailerNumber} (IEA)`,
          message: `Skipped ${skipped.toLocaleString("en-US")} characters of text after the interchange trailer (IEA).`,
        });
      }
    }
    this.seekHasText = false;
    this.seekHasSeparator = false;
    this.seekNonBlank = 0;
    this.seekHead = "";
    this.seekFrom = end;
  }

  /** Reads the ISA at buf[isaAt]; on success emits it and leaves pos after its terminator. */
  private readIsa(isaAt: number, final: boolean): IsaResult {
    const buf = this.buf;
    const len = buf.length;
    const sep = buf[isaAt + 3];
    const number = this.segmentCount + 1;
    const bad = (message: string): IsaResult => {
      this.closeSeek(this.base + isaAt);
      this.segmentCount = number;
      this.sink.error({ where: `segment ${number} (ISA)`, message });
      return IsaResult.Bad;
    };
    const seps: number[] = [isaAt + 3];
    let lastSep = isaAt + 3;
    for (let k = 2; k <= 16; k++) {
      const sepAt = buf.indexOf(sep, lastSep + 1);
      const lineBreak = indexOfLineBreak(buf, lastSep + 1, sepAt === -1 ? Math.min(len, isaAt + MAX_ISA_CHARS) : sepAt);
      if (lineBreak !== -1 || (sepAt !== -1 && sepAt - isaAt > MAX_ISA_CHARS)) {
        return bad(
          `The interchange header (ISA) has only ${k - 1} elements where 16 are required, so its delimiters cannot be determined.`,
        );
      }
      if (sepAt === -1) {
        if (!final && len - isaAt <= MAX_ISA_CHARS) return IsaResult.NeedMore;
        return bad(
          `The interchange header (ISA) has only ${k - 1} elements where 16 are required, so its delimiters cannot be determined.`,
        );
      }
      seps.push(sepAt);
      lastSep = sepAt;
    }
    const s16 = lastSep;
    if (s16 + 1 >= len) {
      if (!final) return IsaResult.NeedMore;
      return bad("The file ends inside the interchange header (ISA).");
    }
    const c1 = buf.charCodeAt(s16 + 1);
    let component: string | null;
    let termAt: number;
    if (isLineBreak(c1)) {
      component = null;
      termAt = s16 + 1;
    } else if (!isDelimiterCode(c1)) {
      return bad(
        `The interchange header (ISA) ends with '${buf[s16 + 1]}' where a component separator and a segment terminator are expected.`,
      );
    } else if (s16 + 2 >= len) {
      if (!final) return IsaResult.NeedMore;
      component = null;
      termAt = s16 + 1;
    } else {
      const c2 = buf.charCodeAt(s16 + 2);
      if (isAlnum(c2) || c2 === 32) {
        // "*~GS": ISA16 is empty and c1 ends the segment.
        component = null;
        termAt = s16 + 1;
      } else if (isLineBreak(c2)) {
        // ":\n" (component ':' and newline terminator) or "~\n" (empty ISA16, '~' then a
        // line break): the next segment tells, by whether it ends with c1.
        const answer = this.nextLineEndsWith(s16 + 2, c1, final);
        if (answer === null) return IsaResult.NeedMore;
        if (answer) {
          component = null;
          termAt = s16 + 1;
        } else {
          component = buf[s16 + 1];
          termAt = s16 + 2;
        }
      } else {
        component = buf[s16 + 1];
        termAt = s16 + 2;
      }
    }
    const term = buf[termAt];
    if (term === sep || component === sep || (component !== null && component === term)) {
      return bad(
        `The interchange header (ISA) declares the same character for two delimiters (element ${show(sep)}, component ${component === null ? "none" : show(component)}, segment ${show(term)}).`,
      );
    }
    const repetitionText = buf.slice(seps[10] + 1, seps[11]);
    const repetition =
      repetitionText.length === 1 && isDelimiterCode(repetitionText.charCodeAt(0)) && repetitionText !== sep ? repetitionText : null;
    this.delimiters = { element: sep, component, repetition, segment: term };
    this.sep = sep;
    this.term = term;
    this.termCode = term.charCodeAt(0);
    this.sawIsa = true;

    this.closeSeek(this.base + isaAt);
    let end = termAt;
    while (end > isaAt && isLineBreak(buf.charCodeAt(end - 1))) end--;
    const view = this.view;
    this.segmentCount = number;
    view.number = number;
    view.delimiters = this.delimiters;
    view.load(buf, isaAt, end, sep);
    view.idCode = ID_ISA;
    const width = termAt + 1 - isaAt;
    if (component === null) {
      this.sink.warning({
        where: `segment ${number} (ISA), element 16`,
        message: "The interchange header leaves the component separator (ISA16) empty; it will be detected where codes are read.",
      });
    } else if (width !== 106) {
      this.sink.warning({
        where: `segment ${number} (ISA)`,
        message: `The interchange header (ISA) is ${width} characters long instead of the standard 106; its delimiters were read from its content.`,
      });
    }
    this.sink.segment(view);
    this.pos = termAt + 1;
    return IsaResult.Ok;
  }

  /**
   * Whether the next non-blank line after `from` ends with the character code `charCode`;
   * null when more text is needed to tell.
   */
  private nextLineEndsWith(from: number, charCode: number, final: boolean): boolean | null {
    const buf = this.buf;
    let lineStart = from;
    while (lineStart < buf.length && buf.charCodeAt(lineStart) <= 32) lineStart++;
    let lineEnd = indexOfLineBreak(buf, lineStart, Math.min(buf.length, lineStart + MAX_ISA_LOOKAHEAD));
    if (lineEnd === -1) {
      if (!final && buf.length - lineStart < MAX_ISA_LOOKAHEAD) return null;
      lineEnd = Math.min(buf.length, lineStart + MAX_ISA_LOOKAHEAD);
    }
    let lineStop = lineEnd;
    while (lineStop > lineStart && buf.charCodeAt(lineStop - 1) <= 32) lineStop--;
    return lineStop > lineStart && buf.charCodeAt(lineStop - 1) === charCode;
  }

  /** Delimiters of the interchange being read (null before the first ISA). */
  get currentDelimiters(): X12Delimiters | null {
    return this.delimiters;
  }

  get foundInterchange(): boolean {
    return this.sawIsa;
  }
}

/**
 * An X12 segment in text before the first ISA: after a line break or a delimiter, an id of an
 * envelope or money-carrying segment, a delimiter, then data (not a space).
 */
const LEADING_X12 = /[^A-Za-z0-9 \t](GS|GE|ST|SE|IEA|BPR|TRN|CLP|SVC|CAS|PLB)([^A-Za-z0-9\s])\S/g;

/** The bytes of `text` followed by bytes[0, count), or null when `text` is not all ASCII. */
function joinAscii(text: string, bytes: Uint8Array, count: number): Uint8Array | null {
  const joined = new Uint8Array(text.length + count);
  for (let i = 0; i < text.length; i++) {
    const charCode = text.charCodeAt(i);
    if (charCode >= 128) return null;
    joined[i] = charCode;
  }
  joined.set(bytes.subarray(0, count), text.length);
  return joined;
}

function indexOfLineBreak(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const charCode = text.charCodeAt(i);
    if (charCode === 10 || charCode === 13) return i;
  }
  return -1;
}
