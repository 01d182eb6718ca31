// Upload of an 835 file (one per request; the upload form sends several one after another):
// the same importer as `npm run import -- 835`.
import { guardedRoute } from "@/lib/server/guard";
import { import835 } from "@/lib/server/remits/import";

const MAX_BYTES = 200 * 1024 * 1024;

export const POST = guardedRoute("remits.import", async (ctx, request) => {
  const form = await request.formData().catch(() => null);
  if (form === null) {
    // a body cut short (e.g. by the proxy's buffering limit) does not parse as multipart
    return Response.json(
      { status: "rejected", error: "The upload could not be read completely. Try again; for very large files use npm run import -- 835." },
      { status: 400 },
    );
  }
  const file = form.get("file");
  if (!(file instanceof File))
    return Response.json({ error: "Choose an 835 file to upload", fieldErrors: { file: ["required"] } }, { status: 400 });
  if (file.size > MAX_BYTES) return Response.json({ error: "The file is larger than 200 MB" }, { status: 413 });
  const dryRun = form.get("dryRun") === "true";
  const result = await import835({
    practiceId: ctx.practiceId,
    userId: ctx.userId,
    fileName: file.name,
    content: Buffer.from(await file.arrayBuffer()),
    dryRun,
  });
  const { importJobId: _, ...summary } = result;
  return Response.json(summary, { status: result.status === "rejected" ? 422 : 200 });
});
