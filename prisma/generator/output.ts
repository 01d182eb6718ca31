// Writing the generator's files: CSV fields and lines, buffered files, the metadata files.
import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { CONTRACT_COLUMNS } from "./practice";
import { type PracticeMetadata, USAGE_COLUMNS } from "./context";

/** One CSV field, quoted per RFC 4180 when needed. */
export function csvField(value: string): string {
  if (NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvLine(columns: readonly string[], row: Readonly<Record<string, string>>): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ",";
    line += csvField(row[columns[i] as string] ?? "");
  }
  return `${line}\n`;
}

function csvText<T extends Readonly<Record<string, string>>>(columns: readonly string[], rows: readonly T[]): string {
  return columns.join(",") + "\n" + rows.map((row) => csvLine(columns, row)).join("");
}

/** A buffered synchronous file writer (fast for millions of small writes). */
export class BufferedFile {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;

  constructor(file: string, size = 1 << 18) {
    this.fd = openSync(file, "w");
    this.buffer = Buffer.allocUnsafe(size);
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function writeMetadataFiles(dir: string, meta: PracticeMetadata): void {
  const usage = new BufferedFile(path.join(dir, "usage.csv"));
  usage.write(csvText(USAGE_COLUMNS, meta.usageRows));
  usage.close();
  const contracts = new BufferedFile(path.join(dir, "contracts.csv"));
  contracts.write(csvText(CONTRACT_COLUMNS, meta.contractsCsvRows as unknown as Record<string, string>[]));
  contracts.close();
}
