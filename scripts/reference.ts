// Loads a newer CMS file into a practice, as the Fee schedule page does:
//   tsx scripts/with-db.ts --quiet -- tsx scripts/reference.ts fee-schedule|gpci|mue|ncci|therapy-codes <file> [--practice <slug>] [--dry-run] [--year YYYY]
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
  tsx scripts/reference.ts fee-schedule|gpci|mue|ncci|therapy-codes <file> [--practice <slug>] [--dry-run] [--year YYYY]
    fee-schedule  CMS's PPRRVU CSV or fixed-width TXT from the RVU zip as downloaded, or the columns
                  of prisma/data/cms/pfs-rvu-2026-therapy.csv (--year when the title or, for the
                  TXT, the file name, PPRRVU26_JAN.txt, names none)
    gpci          CMS's GPCI file as downloaded, or the columns of prisma/data/cms/gpci-2026.csv
    mue           CMS's practitioner MUE table (CSV)
    ncci          CMS's practitioner NCCI PTP edits (the tab-separated TXT, or CSV)
    therapy-codes CMS's therapy code list (Annual Therapy Update): code, descriptor and
                  "Always Therapy"/"Sometimes Therapy", as CSV or tab/pipe-separated TXT;
                  the whole list: it replaces the practice's list (or the shipped default)
  --dry-run lists what would be added, changed and removed, and changes nothing.`;

async function main(): Promise<number> {
  const [kind, ...rest] = process.argv.slice(2);
  const { positional, values } = parseArgs(rest, { practice: "string", "dry-run": "boolean", year: "string" });
  if (!kind || !(REFERENCE_KINDS as readonly string[]).includes(kind))
    throw new UsageError(
      kind ? `unknown reference file kind "${kind}"` : "name the kind of file: fee-schedule, gpci, mue, ncci or therapy-codes",
    );
  if (positional.length !== 1) throw new UsageError("name one file");
  const year = str(values, "year");
  if (year !== undefined && !/^20\d\d$/.test(year)) throw new UsageError(`--year must be a year such as 2026 (got "${year}")`);
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
      year: year === undefined ? undefined : Number(year),
    }),
  );
  const { importJobId: _, ...printed } = result;
  process.stdout.write(`${JSON.stringify(printed)}\n`);
  return result.status === "rejected" ? 1 : 0;
}

runCli(main, USAGE);
