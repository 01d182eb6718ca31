// Loads a newer CMS file into a practice, as the Fee schedule page does:
//   tsx scripts/with-db.ts --quiet -- tsx scripts/reference.ts fee-schedule|gpci <file.csv> [--practice <slug>] [--dry-run]
// Prints one JSON object like the imports (status, file, counts, warnings, errors);
// exit 0 imported/duplicate/dry-run, 1 rejected, 2 usage error.
import fs from "node:fs";
import path from "node:path";
import { practiceBySlugOrOnly } from "@/lib/server/practices";
import { withPracticeScope } from "@/lib/server/scope";
import { applyReferenceFile } from "@/lib/server/reference/upload";
import { REFERENCE_KINDS, type ReferenceKind } from "@/lib/schemas/reference";
import { parseArgs, str, UsageError } from "./lib/args";
import { runCli } from "./lib/cli";

const USAGE = `usage:
  tsx scripts/reference.ts fee-schedule|gpci <file.csv> [--practice <slug>] [--dry-run]
    fee-schedule  CMS relative values (columns of prisma/data/cms/pfs-rvu-2026-therapy.csv)
    gpci          CMS GPCIs (columns of prisma/data/cms/gpci-2026.csv)`;

async function main(): Promise<number> {
  const [kind, ...rest] = process.argv.slice(2);
  const { positional, values } = parseArgs(rest, { practice: "string", "dry-run": "boolean" });
  if (!kind || !(REFERENCE_KINDS as readonly string[]).includes(kind))
    throw new UsageError(kind ? `unknown reference file kind "${kind}"` : "name the kind of file: fee-schedule or gpci");
  if (positional.length !== 1) throw new UsageError("name one CSV file");
  const file = positional[0]!;
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const practice = await practiceBySlugOrOnly(str(values, "practice"));
  const result = await withPracticeScope(practice.id, () =>
    applyReferenceFile({
      practiceId: practice.id,
      userId: null,
      kind: kind as ReferenceKind,
      fileName: path.basename(file),
      content: fs.readFileSync(file),
      dryRun: values["dry-run"] === true,
    }),
  );
  const { importJobId: _, ...printed } = result;
  process.stdout.write(`${JSON.stringify(printed)}\n`);
  return result.status === "rejected" ? 1 : 0;
}

runCli(main, USAGE);
