// Upload of visits.csv, usage.csv or contracts.csv: the same importer as the command line.
// Besides "data.import", each kind needs the permission of its own form (IMPORT_WRITE_PERMISSION).
import { Forbidden, guardedRoute } from "@/lib/server/core/guard";
import { type CsvImportKind, importCsv } from "@/lib/server/imports";
import { can, IMPORT_WRITE_PERMISSION, type Permission } from "@/lib/server/core/permissions";

const MAX_BYTES = 50 * 1024 * 1024;

function isKind(kind: string): kind is CsvImportKind {
  return Object.hasOwn(IMPORT_WRITE_PERMISSION, kind);
}

export const POST = Object.assign(
  guardedRoute("data.import", async (ctx, request, params) => {
    const kind = String(params.kind);
    if (!isKind(kind)) return Response.json({ error: `unknown import "${params.kind}"` }, { status: 404 });
    // a dry run shows what the file would change: it needs the same right as the import itself
    if (!can(ctx.role, IMPORT_WRITE_PERMISSION[kind])) throw new Forbidden(`Your role may not import ${kind}.csv`);
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
  }),
  // for the role matrix test: the second permission, by the route's [kind]
  { permissionByKind: IMPORT_WRITE_PERMISSION as Record<string, Permission> },
);
