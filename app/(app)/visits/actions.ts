"use server";
// The visit form's server actions: thin wrappers over lib/server/visits/commands.ts.
// The input is parsed here with the form's own schema so field errors keep their full
// path ("lines.2.minutes") and the form can show each next to its field.
import { z } from "zod";
import { guardedAction } from "@/lib/server/core/guard";
import { IMPORT_WRITE_PERMISSION } from "@/lib/server/core/permissions";
import { InvalidInput } from "@/lib/server/core/errors";
import { createVisit, deleteVisit, restoreVisit, updateVisit } from "@/lib/server/visits/commands";
import {
  type VisitFormInput,
  type VisitUpdateInput,
  visitDeleteSchema,
  visitFieldErrors,
  visitFormSchema,
  visitRestoreSchema,
  visitUpdateSchema,
} from "@/lib/schemas/visit";

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInput("Some fields need attention", visitFieldErrors(parsed.error));
  return parsed.data;
}

/** Lets any input through to the action, where the form's schema reports errors by full path. */
const formInput = <T>() => z.custom<T>(() => true);

export const createVisitAction = guardedAction(IMPORT_WRITE_PERMISSION.visits, formInput<VisitFormInput>(), async (ctx, input) =>
  createVisit(ctx, parse(visitFormSchema, input)),
);

export const updateVisitAction = guardedAction(IMPORT_WRITE_PERMISSION.visits, formInput<VisitUpdateInput>(), async (ctx, input) => {
  const { id, version, visit } = parse(visitUpdateSchema, input);
  return updateVisit(ctx, id, version, visit);
});

export const deleteVisitAction = guardedAction("visits.write", visitDeleteSchema, async (ctx, input) =>
  deleteVisit(ctx, input.id, input.version),
);

export const restoreVisitAction = guardedAction("visits.write", visitRestoreSchema, async (ctx, input) =>
  restoreVisit(ctx, input.deleteEventId),
);
