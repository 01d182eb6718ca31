// npm run import -- visits|usage|contracts <file.csv> [--practice <slug>] [--dry-run]
// npm run import -- 835 <file> [...] [--practice <slug>] [--dry-run]
// Prints one JSON object per file; exit 0 imported/duplicate/dry-run, 1 rejected, 2 usage.
import fs from "node:fs";
import path from "node:path";
import { type CsvImportKind, importCsv, type ImportResult } from "@/lib/server/imports";
import { practiceBySlugOrOnly } from "@/lib/server/practices";
import { withPracticeScope } from "@/lib/server/core/scope";
import { parseArgs, str, UsageError } from "./lib/args";
import { runCli } from "./lib/cli";

const USAGE = `usage:
  npm run import -- visits|usage|contracts <file.csv> [--practice <slug>] [--dry-run]
  npm run import -- 835 <file> [<file> ...] [--practice <slug>] [--dry-run]`;

async function main(): Promise<number> {
  const [kind, ...rest] = process.argv.slice(2);
  const { positional, values } = parseArgs(rest, { practice: "string", "dry-run": "boolean" });
  if (!kind || !["visits", "usage", "contracts", "835"].includes(kind))
    throw new UsageError(kind ? `unknown import "${kind}"` : "name what to import");
  if (positional.length === 0) throw new UsageError("name the file(s) to import");
  if (kind !== "835" && positional.length > 1) throw new UsageError(`import ${kind} takes one file`);
  for (const file of positional) if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const practice = await practiceBySlugOrOnly(str(values, "practice"));
  const dryRun = values["dry-run"] === true;
  let worst = 0;
  // the import runs in the practice's scope, as the upload does behind the guard
  await withPracticeScope(practice.id, async () => {
    for (const file of positional) {
      let result: ImportResult;
      if (kind === "835") {
        // streamed from disk: an 835 can be hundreds of megabytes
        const { import835 } = await import("@/lib/server/remits/import");
        const { fileSource } = await import("@/lib/server/imports/source");
        const content = await fileSource(file);
        result = await import835({ practiceId: practice.id, userId: null, fileName: path.basename(file), content, dryRun });
      } else {
        const content = fs.readFileSync(file);
        result = await importCsv({
          kind: kind as CsvImportKind,
          practiceId: practice.id,
          userId: null,
          fileName: path.basename(file),
          content,
          dryRun,
        });
      }
      const { importJobId: _, ...printed } = result;
      process.stdout.write(`${JSON.stringify(printed)}\n`);
      if (result.status === "rejected") worst = 1;
    }
  });
  return worst;
}

runCli(main, USAGE);
