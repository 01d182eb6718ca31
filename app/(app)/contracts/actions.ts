"use server";
// Creating and editing payer contracts: the nested form is checked with the shared schema
// (the same checks as contracts.csv), errors keyed by their full path ("rates.2.cpt").
import { z } from "zod";
import { contractSchema } from "@/lib/schemas/contract";
import { fieldErrorsByPath } from "@/lib/schemas/eob";
import { saveContract } from "@/lib/server/contracts";
import { guardedAction, InvalidInput } from "@/lib/server/core/guard";
import { IMPORT_WRITE_PERMISSION } from "@/lib/server/core/permissions";

export const saveContractAction = guardedAction(IMPORT_WRITE_PERMISSION.contracts, z.unknown(), async (ctx, raw) => {
  const parsed = contractSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInput("Some fields need attention", fieldErrorsByPath(parsed.error));
  return saveContract({ practiceId: ctx.practiceId, userId: ctx.userId }, parsed.data);
});
