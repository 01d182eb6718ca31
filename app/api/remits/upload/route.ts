// Upload of an 835 file (one per request; the upload form sends several one after another):
// the same importer as `npm run import -- 835`. The file is the request body itself
// (Content-Type application/octet-stream, its name in X-File-Name, ?dryRun=true for a check):
// it is streamed to a temporary file and imported from there, so an upload of any size up to
// the limit takes the memory of a batch, not of the file. This path bypasses proxy.ts, which
// would buffer the body (next.config.js gives it its own security headers).
// With ?progress=1 the answer is NDJSON: {"progress": {readBytes, totalBytes, claims,
// serviceLines}} lines while the file is imported (at most every 200 ms), then the summary.
// A file whose payee is not the practice, or none of whose claims is ours, is read and rolled
// back ("unconfirmed", with the reasons) until it is sent again with ?confirmed=true.
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { guardedRoute, toFailure } from "@/lib/server/core/guard";
import { fileSource } from "@/lib/server/imports/source";
import { type ImportProgress, import835 } from "@/lib/server/remits/import";

const MAX_BYTES = 200 * 1024 * 1024;
const PROGRESS_EVERY_MS = 200;

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
  const query = new URL(request.url).searchParams;
  const dryRun = query.get("dryRun") === "true";
  // a file paid to another provider, or with none of our claims, waits for the person's yes
  // (?confirmed=true, sent when they confirm it)
  const confirmed = query.get("confirmed") === "true";

  const dir = await mkdtemp(path.join(os.tmpdir(), "remit-upload-"));
  let handedOver = false;
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
    const run = async (onProgress?: (progress: ImportProgress) => void) => {
      const result = await import835({
        practiceId: ctx.practiceId,
        userId: ctx.userId,
        fileName,
        content: await fileSource(file),
        dryRun,
        askBeforeForeignFile: !confirmed,
        onProgress,
      });
      const { importJobId: _, ...summary } = result;
      return summary;
    };
    if (query.get("progress") !== "1") {
      const summary = await run();
      return Response.json(summary, { status: summary.status === "rejected" ? 422 : 200 });
    }
    handedOver = true;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        // a client that left does not stop the import: it finishes, and is in the history
        let open = true;
        const send = (value: unknown) => {
          if (!open) return;
          try {
            controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
          } catch {
            open = false;
          }
        };
        let last = 0;
        try {
          const summary = await run((progress) => {
            const now = Date.now();
            if (now - last < PROGRESS_EVERY_MS && progress.readBytes < progress.totalBytes) return;
            last = now;
            send({ progress });
          });
          send(summary);
        } catch (error) {
          // the answer has started (200): a failure is the summary's own status
          const failure = toFailure(error);
          send({ status: "rejected", error: failure.ok ? "The import failed." : failure.error });
        } finally {
          if (open) {
            try {
              controller.close();
            } catch {
              // already closed by the client's leaving
            }
          }
          await rm(dir, { recursive: true, force: true });
        }
      },
    });
    return new Response(body, { headers: { "Content-Type": "application/x-ndjson", "Cache-Control": "no-store" } });
  } finally {
    if (!handedOver) await rm(dir, { recursive: true, force: true });
  }
});
