"use server";
import { z } from "zod";
import { guardedAction } from "@/lib/server/core/guard";
import { addDefaultNcciPairs, addNcciPair, removeNcciPair } from "@/lib/server/reference/ncci";
import { ncciPairIdSchema, ncciPairSchema } from "@/lib/schemas/reference";

export const addNcciPairAction = guardedAction("reference.manage", ncciPairSchema, async (ctx, input) => {
  const pair = await addNcciPair(ctx, input);
  return { id: pair.id };
});

export const removeNcciPairAction = guardedAction("reference.manage", ncciPairIdSchema, async (ctx, input) =>
  removeNcciPair(ctx, input.id),
);

export const addDefaultNcciPairsAction = guardedAction("reference.manage", z.object({}), async (ctx) => addDefaultNcciPairs(ctx));
