/**
 * UTF-8 decoding of 835 bytes, a slice at a time, with a fast path for ASCII: a slice that
 * is all ASCII reads the same in UTF-8 as in Latin-1, and is turned into text directly,
 * several times faster than decoding it. The byte-order mark is kept (the tokenizer reports
 * it), and invalid bytes become U+FFFD exactly as TextDecoder makes them.
 */
import { Buffer, isAscii } from "node:buffer";

/** Bytes decoded at a time. */
export const BYTES_PER_SLICE = 1 << 20;

/**
 * Bytes turned into text at a time by X12Tokenizer.pushBytes. Text of 128 KB up to about
 * 1 MB is allocated piece by piece outside V8's young generation, several times slower to
 * make than shorter text: 96 KB pieces are made at memory speed.
 */
export const BYTES_PER_TEXT = 96 * 1024;

/** True when every byte of `bytes` is below 0x80 (ASCII). */
export function isAsciiBytes(bytes: Uint8Array): boolean {
  return isAscii(bytes);
}

/** Streaming UTF-8 decoder (byte-order mark kept) with the ASCII fast path. */
export class ChunkDecoder {
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** False while the decoder may hold the first bytes of a character cut by a slice end. */
  private clean = true;
  /** True when the text last returned by decode() has exactly the characters of its bytes (ASCII). */
  lastWasAscii = false;

  /** The text of `bytes`, in slices of at most BYTES_PER_SLICE bytes (empty ones left out). */
  *slices(bytes: Uint8Array): Generator<string, void, undefined> {
    for (let at = 0; at < bytes.length; at += BYTES_PER_SLICE) {
      const text = this.decode(bytes.subarray(at, at + BYTES_PER_SLICE));
      if (text.length > 0) yield text;
    }
  }

  /** The text of the next bytes of the stream (a character cut at the end is completed by the next call). */
  decode(slice: Uint8Array): string {
    this.lastWasAscii = false;
    if (slice.length === 0) return "";
    if (this.clean && isAsciiBytes(slice)) {
      this.lastWasAscii = true;
      return Buffer.from(slice.buffer, slice.byteOffset, slice.length).toString("latin1");
    }
    const text = this.decoder.decode(slice, { stream: true });
    // A slice ending in an ASCII byte leaves no character unfinished.
    this.clean = slice[slice.length - 1] < 0x80;
    return text;
  }

  /** Ends the current byte stream: what an unfinished character decodes to (U+FFFD), or "". */
  flush(): string {
    this.clean = true;
    this.lastWasAscii = false;
    return this.decoder.decode();
  }
}
