// Upload of an 835 file (one per request; the upload form sends several one after another):
// the same importer as `npm run import -- 835`. The file is the request body itself
// (Content-Type application/octet-stream, its name in X-File-Name, ?dryRun=true for a check):
// it is streamed to a temporary file and imported from there, so an upload of any size up to
// the limit takes the memory of a batch, not of the file. This path bypasses proxy.ts, which
// would buffer the body (next.config.js gives it its own security headers).
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { guardedRoute } from "@/lib/server/guard";
import { fileSource } from "@/lib/server/imports/source";
import { import835 } from "@/lib/server/remits/import";

const MAX_BYTES = 200 * 1024 * 1024;

class TooLarge extends Error {}

export const POST = guardedRoute("remits.import", async (ctx, request) => {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/octet-stream")) {
    return Response.json(
      { status: "rejected", error: "Send the 835 file itself as the request body (Content-Type application/octet-stream)." },
      { status: 415 },
    );
  }
  let fileName = "";
  try {
    fileName = decodeURIComponent(request.headers.get("x-file-name") ?? "").trim();
  } catch {
    fileName = "";
  }
  if (!fileName || !request.body)
    return Response.json({ error: "Choose an 835 file to upload", fieldErrors: { file: ["required"] } }, { status: 400 });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BYTES) return Response.json({ error: "The file is larger than 200 MB" }, { status: 413 });
  const dryRun = new URL(request.url).searchParams.get("dryRun") === "true";

  const dir = await mkdtemp(path.join(os.tmpdir(), "remit-upload-"));
  try {
    const file = path.join(dir, "upload.835");
    let received = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > MAX_BYTES ? new TooLarge() : null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(request.body as import("node:stream/web").ReadableStream), limit, fs.createWriteStream(file));
    } catch (error) {
      if (error instanceof TooLarge) return Response.json({ error: "The file is larger than 200 MB" }, { status: 413 });
      // a body cut short (the connection dropped) is not a file to import
      return Response.json(
        {
          status: "rejected",
          error: "The upload could not be read completely. Try again; for very large files use npm run import -- 835.",
        },
        { status: 400 },
      );
    }
    const result = await import835({
      practiceId: ctx.practiceId,
      userId: ctx.userId,
      fileName,
      content: await fileSource(file),
      dryRun,
    });
    const { importJobId: _, ...summary } = result;
    return Response.json(summary, { status: result.status === "rejected" ? 422 : 200 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
