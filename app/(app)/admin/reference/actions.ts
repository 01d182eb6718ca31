"use server";
import { guardedAction } from "@/lib/server/core/guard";
import { applyReferenceFile, previewReference } from "@/lib/server/reference/upload";
import { referenceUploadSchema } from "@/lib/schemas/reference";

/** What the file would change; nothing is written. */
export const previewReferenceAction = guardedAction("reference.manage", referenceUploadSchema, async (ctx, input) =>
  previewReference(ctx.practiceId, input),
);

/** Applies the file in one transaction and re-prices every visit. */
export const applyReferenceAction = guardedAction("reference.manage", referenceUploadSchema, async (ctx, input) => {
  const { importJobId: _, ...result } = await applyReferenceFile({
    practiceId: ctx.practiceId,
    userId: ctx.userId,
    kind: input.kind,
    fileName: input.fileName,
    content: Buffer.from(input.content, "utf8"),
  });
  return result;
});
