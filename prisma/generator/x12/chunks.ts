// A file's bytes in chunks, as a file stream or an upload delivers them: the reader's tests
// cut an 835 at every size to show a segment or a character split between chunks reads the same.
// Test material: the app never imports it.

/** Splits text into chunks of the given sizes (cycled), as bytes. */
export function byteChunks(text: string, sizes: readonly number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (let chunk = 0; at < bytes.length; chunk++) {
    const size = Math.max(1, sizes[chunk % sizes.length]!);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** An async stream of the chunks (like fs.createReadStream). */
export async function* streamOf<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}
