/**
 * Entry points of the 835 reader.
 *
 * - read835: async generator of events (claims one at a time, then each transaction at its
 *   SE, issues as they are found, a final summary) with memory bounded by one chunk.
 * - parse835: everything collected into one Parsed835.
 * - parse835Text: the same, synchronously, for text already in memory.
 *
 * A file is to be rejected when `errors` is not empty. read835 yields claims before it can
 * know whether a later part of the file is broken: an importer writes them inside one
 * database transaction and rolls back when an error event arrives.
 */
import { BYTES_PER_SLICE, ChunkDecoder } from "./decode";
import { Remit835Reader } from "./reader";
import type { Parsed835, Remit835Event, Remit835Transaction, X12Issue, X12Source } from "./types";

export interface Read835Options {
  /** Also keep every claim inside its transaction event (default false). */
  keepClaims?: boolean;
}

export interface Parse835Options {
  /** At most this many warnings (and errors) are kept; one more line says how many were left out. Default 1000. */
  maxIssues?: number;
}

/** Turns any accepted source into text chunks (UTF-8, byte-order mark kept for the tokenizer to report). */
export async function* textChunks(source: X12Source): AsyncGenerator<string, void, undefined> {
  if (typeof source === "string") {
    yield source;
    return;
  }
  const decoder = new ChunkDecoder();
  if (source instanceof Uint8Array) {
    yield* decoder.slices(source);
    const rest = decoder.flush();
    if (rest.length > 0) yield rest;
    return;
  }
  const iterable = source as AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
  for await (const chunk of iterable) {
    if (typeof chunk === "string") {
      const rest = decoder.flush();
      if (rest.length > 0) yield rest;
      if (chunk.length > 0) yield chunk;
    } else if (chunk instanceof Uint8Array) {
      yield* decoder.slices(chunk);
    } else {
      throw new TypeError("read835: stream chunks must be strings or bytes (Buffer/Uint8Array).");
    }
  }
  const rest = decoder.flush();
  if (rest.length > 0) yield rest;
}

/**
 * The source in pieces for Remit835Reader: text as it comes, bytes in slices of at most
 * BYTES_PER_SLICE (so that events can be handed on between slices). Bytes go to pushBytes,
 * which reads ASCII faster than decoded text.
 */
async function* pieces(source: X12Source): AsyncGenerator<string | Uint8Array, void, undefined> {
  if (typeof source === "string" || source instanceof Uint8Array) {
    yield* syncPieces(source);
    return;
  }
  for await (const chunk of source as AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) {
    if (typeof chunk === "string") {
      // Even an empty one: text ends a character left unfinished by the bytes before it.
      yield chunk;
    } else if (chunk instanceof Uint8Array) {
      yield* byteSlices(chunk);
    } else {
      throw new TypeError("read835: stream chunks must be strings or bytes (Buffer/Uint8Array).");
    }
  }
}

function* syncPieces(source: string | Uint8Array | Iterable<string | Uint8Array>): Generator<string | Uint8Array, void, undefined> {
  if (typeof source === "string") {
    yield source;
    return;
  }
  if (source instanceof Uint8Array) {
    yield* byteSlices(source);
    return;
  }
  for (const chunk of source) {
    if (typeof chunk === "string") yield chunk;
    else yield* byteSlices(chunk);
  }
}

function* byteSlices(bytes: Uint8Array): Generator<Uint8Array, void, undefined> {
  for (let at = 0; at < bytes.length; at += BYTES_PER_SLICE) yield bytes.subarray(at, at + BYTES_PER_SLICE);
}

/** Hands one piece (text, or bytes of a UTF-8 file) to the reader. */
function push835(reader: Remit835Reader, piece: string | Uint8Array): void {
  if (typeof piece === "string") reader.push(piece);
  else reader.pushBytes(piece);
}

/**
 * Streams an 835 file: yields each claim (with its transaction's header) as soon as it is
 * complete, each transaction at its SE (claims left out unless keepClaims), every warning
 * and error in file order, and a final `end` event with the counts.
 */
export async function* read835(source: X12Source, options: Read835Options = {}): AsyncGenerator<Remit835Event, void, undefined> {
  const queue: Remit835Event[] = [];
  let warningCount = 0;
  let errorCount = 0;
  const reader = new Remit835Reader(
    {
      claim: (transaction, claim) => queue.push({ type: "claim", transaction, claim }),
      transaction: (transaction) => queue.push({ type: "transaction", transaction }),
      warning: (issue) => {
        warningCount++;
        queue.push({ type: "warning", issue });
      },
      error: (issue) => {
        errorCount++;
        queue.push({ type: "error", issue });
      },
    },
    { keepClaims: options.keepClaims ?? false },
  );
  for await (const piece of pieces(source)) {
    push835(reader, piece);
    if (queue.length > 0) {
      const ready = queue.splice(0, queue.length);
      for (const event of ready) yield event;
    }
  }
  reader.end();
  for (const event of queue.splice(0, queue.length)) yield event;
  yield { type: "end", counts: { ...reader.counts }, warningCount, errorCount };
}

class Collector {
  readonly transactions: Remit835Transaction[] = [];
  readonly warnings: X12Issue[] = [];
  readonly errors: X12Issue[] = [];
  private droppedWarnings = 0;
  private droppedErrors = 0;
  readonly reader: Remit835Reader;

  constructor(private readonly maxIssues: number) {
    this.reader = new Remit835Reader(
      {
        transaction: (t) => this.transactions.push(t),
        warning: (issue) => {
          if (this.warnings.length < this.maxIssues) this.warnings.push(issue);
          else this.droppedWarnings++;
        },
        error: (issue) => {
          if (this.errors.length < this.maxIssues) this.errors.push(issue);
          else this.droppedErrors++;
        },
      },
      { keepClaims: true },
    );
  }

  result(): Parsed835 {
    this.reader.end();
    if (this.droppedWarnings > 0) {
      this.warnings.push({
        where: "file",
        message: `${this.droppedWarnings.toLocaleString("en-US")} more warnings are not listed.`,
      });
    }
    if (this.droppedErrors > 0) {
      this.errors.push({
        where: "file",
        message: `${this.droppedErrors.toLocaleString("en-US")} more errors are not listed.`,
      });
    }
    return {
      transactions: this.transactions,
      warnings: this.warnings,
      errors: this.errors,
      counts: { ...this.reader.counts },
    };
  }
}

/** Reads a whole 835 (text, bytes or a stream) into transactions, warnings, errors and counts. */
export async function parse835(source: X12Source, options: Parse835Options = {}): Promise<Parsed835> {
  const collector = new Collector(options.maxIssues ?? 1000);
  if (typeof source === "string" || source instanceof Uint8Array) {
    for (const piece of syncPieces(source)) push835(collector.reader, piece);
  } else {
    for await (const piece of pieces(source)) push835(collector.reader, piece);
  }
  return collector.result();
}

/** parse835 for text already in memory, synchronously. */
export function parse835Text(text: string, options: Parse835Options = {}): Parsed835 {
  const collector = new Collector(options.maxIssues ?? 1000);
  collector.reader.push(text);
  return collector.result();
}

/** parse835 for bytes or chunks already in memory, synchronously. */
export function parse835Sync(source: string | Uint8Array | Iterable<string | Uint8Array>, options: Parse835Options = {}): Parsed835 {
  const collector = new Collector(options.maxIssues ?? 1000);
  for (const piece of syncPieces(source)) push835(collector.reader, piece);
  return collector.result();
}
