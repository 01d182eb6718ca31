// Every import (CSV or 835, command line or upload) goes through here: one transaction
// per file, so a rejected or interrupted file leaves nothing behind; the file's SHA-256
// makes a second import of the same file a "duplicate" that changes nothing.
import type { ImportKind, Prisma } from "@/lib/generated/prisma/client";
import { audit } from "../audit";
import { allowLongStatements, db, type TransactionConnection, transactionWithConnection, type Tx } from "../db";
import type { ImportIssue } from "./csv";
import { bufferSource, type ImportSource, isImportSource } from "./source";

/** "unconfirmed": an 835 upload that looks like another provider's file, read and rolled back until a person confirms it. */
export type ImportStatus = "imported" | "duplicate" | "rejected" | "dry-run" | "unconfirmed";

export interface ImportResult {
  status: ImportStatus;
  file: string;
  counts: Record<string, number>;
  warnings: ImportIssue[];
  errors: ImportIssue[];
  importJobId?: number;
  /** a dry run of a reference file: what would be added, changed and removed */
  changes?: Record<string, unknown>;
}

export interface ImportOutcome {
  counts: Record<string, number>;
  warnings: ImportIssue[];
  errors: ImportIssue[];
  changes?: Record<string, unknown>;
}

class RollBack extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super("rolled back");
  }
}

/** Thrown by an importer for an error that must reject the file. */
export class RejectFile extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super(issues[0]?.message ?? "rejected");
  }
}

export { sha256 } from "./source";

export interface RunImportOptions {
  practiceId: number;
  userId: number | null;
  kind: ImportKind;
  fileName: string;
  /** the file's bytes, or a streamed source (a large file on disk, see source.ts) */
  content: Buffer | ImportSource;
  dryRun?: boolean;
  /**
   * Reads the file and writes its rows in the import's transaction: `tx`, and the pg connection
   * it runs on (for COPY, the 835 import's remit writer).
   */
  execute: (tx: Tx, importJobId: number, connection: TransactionConnection) => Promise<ImportOutcome>;
  timeoutMs?: number;
}

/**
 * A file name as the uploader sent it, made storable: PostgreSQL text cannot hold a NUL
 * character, nor jsonb (the audit trail) half of a UTF-16 surrogate pair.
 */
export function storableFileName(name: string): string {
  const clean = name.replaceAll("\u0000", "").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  return clean.trim() === "" ? "file" : clean;
}

export async function runImport(input: RunImportOptions): Promise<ImportResult> {
  const options = { ...input, fileName: storableFileName(input.fileName) };
  const { practiceId, userId, kind, fileName } = options;
  const source = isImportSource(options.content) ? options.content : bufferSource(options.content);
  const hash = source.sha256;
  const base = { file: fileName, counts: {}, warnings: [], errors: [] };
  // neither CSV nor X12 text holds NUL bytes (and no text column could store one)
  if (source.holdsNul) {
    const outcome = { counts: {}, warnings: [], errors: [{ where: "file", message: "the file holds NUL bytes: it is not a text file" }] };
    if (!options.dryRun) await recordRejection(options, hash, outcome);
    return { status: "rejected", file: fileName, ...outcome };
  }
  const previous = await db().importJob.findFirst({ where: { practiceId, kind, sha256: hash, status: "IMPORTED" } });
  if (previous)
    return { ...base, status: "duplicate", counts: (previous.counts as Record<string, number>) ?? {}, importJobId: previous.id };

  try {
    const job = await transactionWithConnection(
      db(),
      async (tx, connection) => {
        // an import runs as long as its file needs: no statement timeout (db.ts)
        await allowLongStatements(tx);
        // one import per practice at a time: the duplicate check and the writes agree
        await tx.$executeRaw`select pg_advisory_xact_lock(${BigInt(practiceId)}, 17)`;
        const again = await tx.importJob.findFirst({ where: { practiceId, kind, sha256: hash, status: "IMPORTED" } });
        if (again) throw new RollBack({ counts: { duplicateOf: again.id }, warnings: [], errors: [] });
        const job = await tx.importJob.create({
          data: { practiceId, kind, fileName, sha256: hash, status: "RUNNING", createdById: userId },
        });
        const outcome = await options.execute(tx, job.id, connection);
        if (outcome.errors.length > 0 || options.dryRun) throw new RollBack(outcome);
        await tx.importJob.update({
          where: { id: job.id },
          data: {
            status: "IMPORTED",
            counts: outcome.counts as Prisma.InputJsonValue,
            warnings: outcome.warnings as unknown as Prisma.InputJsonValue,
          },
        });
        await audit(
          tx,
          { practiceId, userId },
          {
            action: `import.${kind.toLowerCase()}`,
            entityType: "ImportJob",
            entityId: job.id,
            details: { fileName, counts: outcome.counts } as Prisma.InputJsonValue,
          },
        );
        return { id: job.id, outcome };
      },
      { timeout: options.timeoutMs ?? 10 * 60_000, maxWait: 30_000 },
    );
    return {
      status: "imported",
      file: fileName,
      counts: job.outcome.counts,
      warnings: job.outcome.warnings,
      errors: [],
      importJobId: job.id,
    };
  } catch (error) {
    if (error instanceof RollBack) {
      if ("duplicateOf" in error.outcome.counts) {
        return { ...base, status: "duplicate", importJobId: error.outcome.counts.duplicateOf };
      }
      if (options.dryRun && error.outcome.errors.length === 0) {
        return { status: "dry-run", file: fileName, ...error.outcome };
      }
      // a dry run that finds errors says "rejected" (exit 1) but records nothing
      if (!options.dryRun) await recordRejection(options, hash, error.outcome);
      return { status: "rejected", file: fileName, ...error.outcome };
    }
    if (error instanceof RejectFile) {
      const outcome = { counts: {}, warnings: [], errors: error.issues };
      if (!options.dryRun) await recordRejection(options, hash, outcome);
      return { status: "rejected", file: fileName, ...outcome };
    }
    throw error;
  }
}

async function recordRejection(options: RunImportOptions, hash: string, outcome: ImportOutcome) {
  await db().importJob.create({
    data: {
      practiceId: options.practiceId,
      kind: options.kind,
      fileName: options.fileName,
      sha256: hash,
      status: "REJECTED",
      createdById: options.userId,
      counts: outcome.counts as Prisma.InputJsonValue,
      warnings: jsonSafe(outcome.warnings),
      errors: jsonSafe(outcome.errors.slice(0, 500)),
    },
  });
}

/** Messages quote the file's text: a NUL character there cannot be stored in jsonb. */
function jsonSafe(value: unknown): Prisma.InputJsonValue {
  const clean = (_key: string, v: unknown) => (typeof v === "string" ? v.replaceAll("\u0000", "\uFFFD") : v);
  return JSON.parse(JSON.stringify(value), clean) as Prisma.InputJsonValue;
}
