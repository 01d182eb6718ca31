// npm run export -- visits|kx-queue|underpayments|undercoding [--practice <slug>] [--from D] [--to D] [--year Y] [--format csv|json]
import { z } from "zod";
import { isoDateString } from "@/lib/schemas/common";
import { exportSourceFor, EXPORT_KINDS, type ExportKind } from "@/lib/server/exports";
import { serialize } from "@/lib/server/lists/format";
import { practiceBySlugOrOnly } from "@/lib/server/practices";
import { withPracticeScope } from "@/lib/server/core/scope";
import { parseArgs, str, UsageError } from "./lib/args";
import { runCli } from "./lib/cli";

const USAGE = `usage: npm run export -- ${EXPORT_KINDS.join("|")} [--practice <slug>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--year YYYY] [--format csv|json]`;

async function main(): Promise<number> {
  const [kind, ...rest] = process.argv.slice(2);
  if (!kind || !EXPORT_KINDS.includes(kind as ExportKind)) throw new UsageError(kind ? `unknown export "${kind}"` : "name what to export");
  const { positional, values } = parseArgs(rest, { practice: "string", from: "string", to: "string", year: "string", format: "string" });
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const format = str(values, "format") ?? "csv";
  if (format !== "csv" && format !== "json") throw new UsageError("--format is csv or json");
  for (const f of ["from", "to"]) {
    const v = str(values, f);
    if (v && !isoDateString.safeParse(v).success) throw new UsageError(`--${f} must be a date YYYY-MM-DD`);
  }
  const yearText = str(values, "year");
  const year = yearText === undefined ? undefined : z.coerce.number().int().min(2000).max(2100).safeParse(yearText);
  if (year && !year.success) throw new UsageError("--year must be a year such as 2026");
  const practice = await practiceBySlugOrOnly(str(values, "practice"));
  await withPracticeScope(practice.id, async () => {
    const source = exportSourceFor(kind as ExportKind, practice.id, { from: str(values, "from"), to: str(values, "to"), year: year?.data });
    for await (const chunk of serialize(source, format)) {
      if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
    }
  });
  return 0;
}

runCli(main, USAGE);
