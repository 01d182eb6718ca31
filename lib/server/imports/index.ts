// The importers by kind, shared by the command line and the upload routes.
import type { ImportKind } from "@/lib/generated/prisma/client";
import { db, type Tx } from "../db";
import { importContractsCsv } from "./contracts";
import { type ImportResult, type ImportOutcome, runImport } from "./run";
import { importUsageCsv } from "./usage";
import { importVisitsCsv } from "./visits";
import { LIST_PAGE_SIZE, pageCount, pageOffset } from "@/lib/ui/paging";

export type CsvImportKind = "visits" | "usage" | "contracts";

const CSV_IMPORTERS: Record<
  CsvImportKind,
  { kind: ImportKind; run: (tx: Tx, practiceId: number, userId: number | null, text: string) => Promise<ImportOutcome> }
> = {
  visits: { kind: "VISITS", run: importVisitsCsv },
  usage: { kind: "USAGE", run: importUsageCsv },
  contracts: { kind: "CONTRACTS", run: importContractsCsv },
};

export function importCsv(options: {
  kind: CsvImportKind;
  practiceId: number;
  userId: number | null;
  fileName: string;
  content: Buffer;
  dryRun?: boolean;
}): Promise<ImportResult> {
  const importer = CSV_IMPORTERS[options.kind];
  return runImport({
    practiceId: options.practiceId,
    userId: options.userId,
    kind: importer.kind,
    fileName: options.fileName,
    content: options.content,
    dryRun: options.dryRun,
    execute: (tx) => {
      const text = options.content.toString("utf8");
      if (text.includes("\uFFFD")) {
        return Promise.resolve({ counts: {}, warnings: [], errors: [{ where: "file", message: "the file is not UTF-8 text" }] });
      }
      return importer.run(tx, options.practiceId, options.userId, text);
    },
  });
}

export type { ImportResult };

/** The practice's latest imports, newest first (the import page's history). */
/** One page of the practice's imports of every kind, newest first, with the count of all of them. */
export async function recentImportJobs(practiceId: number, page = 1) {
  const total = await db().importJob.count({ where: { practiceId } });
  const rows = await db().importJob.findMany({
    where: { practiceId },
    orderBy: { id: "desc" },
    skip: pageOffset(page),
    take: LIST_PAGE_SIZE,
  });
  return { rows, total, page, pages: pageCount(total) };
}
