// What an import reads: the file's hash, size and whether it holds NUL bytes (decided before
// anything is written), and its bytes as a stream. A file on disk is read twice, in chunks:
// once for the hash, once by the importer, so memory does not grow with the file
// (a 100 MB 835 is imported in about the memory of one batch, docs/performance.md).
import crypto from "node:crypto";
import fs from "node:fs";

export function sha256(content: Buffer | string): string {
  return crypto.createHash("sha256").update(content).digest("hex");
}

export interface ImportSource {
  sha256: string;
  sizeBytes: number;
  /** neither CSV nor X12 text holds NUL bytes */
  holdsNul: boolean;
  /** the file's bytes, in order; may be called more than once */
  chunks(): AsyncIterable<Uint8Array>;
}

/** Bytes of a whole file already in memory (an upload, a test). */
export function bufferSource(content: Buffer): ImportSource {
  return {
    sha256: sha256(content),
    sizeBytes: content.length,
    holdsNul: content.includes(0),
    chunks: async function* () {
      yield content;
    },
  };
}

/** The hash pass reads 1 MB at a time. */
const HASH_CHUNK_BYTES = 1 << 20;
/** The importer reads 256 KB at a time (a read costs this process about 80 µs, whatever its size). */
export const IMPORT_CHUNK_BYTES = 1 << 18;
/**
 * ... and hands the 835 reader 16 KB at a time, with a turn of the event loop between two
 * pieces: a large 835 is read while its previous batch is written, and the writer's next
 * statement leaves only when this process reads the database's last answer. A 256 KB stretch of
 * reading kept the database idle 8 ms at a time (docs/performance.md, "Remits (835)").
 */
export const IMPORT_PIECE_BYTES = 1 << 14;

/** A file on disk, streamed: one pass now for the hash, one per chunks() call. */
export async function fileSource(path: string): Promise<ImportSource> {
  const hash = crypto.createHash("sha256");
  let sizeBytes = 0;
  let holdsNul = false;
  for await (const chunk of fs.createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    sizeBytes += bytes.length;
    if (!holdsNul && bytes.includes(0)) holdsNul = true;
  }
  return {
    sha256: hash.digest("hex"),
    sizeBytes,
    holdsNul,
    chunks: () => fs.createReadStream(path, { highWaterMark: IMPORT_CHUNK_BYTES }) as AsyncIterable<Uint8Array>,
  };
}

export function isImportSource(value: Buffer | ImportSource): value is ImportSource {
  return !Buffer.isBuffer(value);
}
