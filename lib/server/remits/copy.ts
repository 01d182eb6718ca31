// COPY … FROM STDIN for the remit writer: a batch of rows as one text in COPY's text format
// (tab-separated fields, one row a line), sent on the transaction's own connection. The server
// reads it an order of magnitude faster than the same rows as parameters of an INSERT, and the
// client builds one string instead of a dozen array literals.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { textArrayLiteral } from "../core/sql";

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const NULL = "\\N";

/** A text field: \N for null; backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
}

/** An integer field (\N for null). */
export function copyInt(value: number | null | undefined): string {
  return value === null || value === undefined ? NULL : String(value);
}

/** Elements an array literal takes as they are: letters and digits, not the word NULL. */
const PLAIN_ELEMENT = /^[A-Za-z0-9]+$/;

/**
 * A text[] field: the usual modifiers and remark codes as they are ({GP,KX}), any other array
 * with every element quoted (textArrayLiteral), so commas, braces and spaces stay inside it.
 */
export function copyTextArray(values: readonly string[]): string {
  if (values.length === 0) return "{}";
  let plain = true;
  for (let i = 0; i < values.length && plain; i++) {
    const value = values[i]!;
    plain = PLAIN_ELEMENT.test(value) && value.toUpperCase() !== "NULL";
  }
  return plain ? `{${values.join(",")}}` : copyText(textArrayLiteral(values));
}

/** Sent instead of a COPY whose connection is no longer inside a transaction. */
export const OUTSIDE_TRANSACTION = "a COPY of remit rows was refused: its connection is no longer inside the import's transaction";

/**
 * Sends rows (COPY text format, each ending in a newline) with `statement` (COPY … FROM STDIN)
 * on `client`, after whatever was sent on it before; resolves with the number of rows written.
 * A bad row fails the statement, and with it the transaction.
 *
 * The rows are only ever written inside a transaction: when the statement's turn comes and the
 * connection is not in one (the transaction ended, and the connection went back to the pool), a
 * statement that fails is sent instead, so nothing is written outside it.
 */
export function copyIn(client: pg.ClientBase, statement: string, rows: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = copyFrom(statement);
    const submit = stream.submit.bind(stream);
    stream.submit = (connection) => {
      if (client.getTransactionStatus() === "T") return submit(connection);
      connection.query(`DO $$BEGIN RAISE EXCEPTION '${OUTSIDE_TRANSACTION.replaceAll("'", "''")}'; END$$`);
    };
    stream.on("error", reject);
    stream.on("finish", () => resolve(stream.rowCount));
    client.query(stream);
    stream.end(rows);
  });
}

/**
 * Rows of COPY text kept as bytes: a batch of a large file is held as a few buffers instead of
 * hundreds of thousands of small objects, which the garbage collector would copy again and
 * again while the batch waits for the database. A row is written in two parts: the fields known
 * when its claim is read (start…end), then those known once it is matched (finishRow).
 */
export class CopyRows {
  private buffer: Buffer;
  length = 0;

  constructor(initialBytes = 256 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** Appends text (already in COPY form); returns the offset where it starts. */
  append(text: string): number {
    const at = this.length;
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, at, "utf8");
    return at;
  }

  /** Appends bytes start…end of another CopyRows. */
  appendFrom(other: CopyRows, start: number, end: number): void {
    this.reserve(end - start);
    other.buffer.copy(this.buffer, this.length, start, end);
    this.length += end - start;
  }

  /** The rows written, as one buffer (a view, valid until the next append). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
