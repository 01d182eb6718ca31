"use server";
// The remit pages' server actions: thin wrappers through the guard (session, permission,
// input schema) around the use cases in lib/server/remits.
import { z } from "zod";
import { eobSchema, fieldErrorsByPath } from "@/lib/schemas/eob";
import { guardedAction, InvalidInput } from "@/lib/server/core/guard";
import { savePaperEob } from "@/lib/server/remits/eob";
import { matchRemitClaimToClaim, matchRemitLineToLine, unmatchRemitLine } from "@/lib/server/remits/unmatched";

const id = z.coerce.number({ error: "is required" }).int().positive({ error: "is required" });

/** A paper EOB: the nested form is checked with the shared schema, errors keyed by their full path. */
export const saveEob = guardedAction("remits.import", z.unknown(), async (ctx, raw) => {
  const parsed = eobSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInput("Some fields need attention", fieldErrorsByPath(parsed.error));
  return savePaperEob({ practiceId: ctx.practiceId, userId: ctx.userId }, parsed.data);
});

export const matchRemitClaim = guardedAction(
  "remits.match",
  z.object({ remitClaimId: id, claimNumber: z.string().trim().min(1, { error: "enter our claim number" }).max(64) }),
  async (ctx, input) => matchRemitClaimToClaim({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);

export const matchRemitLine = guardedAction("remits.match", z.object({ remitLineId: id, serviceLineId: id }), async (ctx, input) =>
  matchRemitLineToLine({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);

export const unmatchLine = guardedAction("remits.match", z.object({ remitLineId: id }), async (ctx, input) =>
  unmatchRemitLine({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);
