// Upload of visits.csv, usage.csv or contracts.csv: the same importer as the command line.
import { guardedRoute } from "@/lib/server/guard";
import { type CsvImportKind, importCsv } from "@/lib/server/imports";

const KINDS: CsvImportKind[] = ["visits", "usage", "contracts"];
const MAX_BYTES = 50 * 1024 * 1024;

export const POST = guardedRoute("data.import", async (ctx, request, params) => {
  const kind = String(params.kind) as CsvImportKind;
  if (!KINDS.includes(kind)) return Response.json({ error: `unknown import "${params.kind}"` }, { status: 404 });
  const form = await request.formData().catch(() => null);
  const file = form?.get("file");
  if (!(file instanceof File))
    return Response.json({ error: "Choose a CSV file to upload", fieldErrors: { file: ["required"] } }, { status: 400 });
  if (file.size > MAX_BYTES) return Response.json({ error: "The file is larger than 50 MB" }, { status: 413 });
  const dryRun = form?.get("dryRun") === "true";
  const result = await importCsv({
    kind,
    practiceId: ctx.practiceId,
    userId: ctx.userId,
    fileName: file.name,
    content: Buffer.from(await file.arrayBuffer()),
    dryRun,
  });
  return Response.json(result, { status: result.status === "rejected" ? 422 : 200 });
});
