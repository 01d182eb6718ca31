"use server";
// The KX queue's server actions: thin wrappers that go through the guard (session,
// permission, zod input) and call the use cases in lib/server/kx/actions.ts.
import {
  addKxSchema,
  assignSchema,
  docReviewSchema,
  rebillSchema,
  recordAbnSchema,
  reopenSchema,
  resolveSchema,
  snoozeSchema,
  undoSchema,
  usedElsewhereSchema,
} from "@/lib/schemas/kx";
import { guardedAction, type PracticeContext } from "@/lib/server/core/guard";
import { IMPORT_WRITE_PERMISSION } from "@/lib/server/core/permissions";
import {
  addKxToMissingLines,
  assignKxItem,
  type KxActor,
  markDocumentationReviewed,
  markLinesRebilled,
  recordAbn,
  reopenKxItem,
  resolveKxItem,
  saveUsedElsewhere,
  snoozeKxItem,
  undoLastKxAction,
} from "@/lib/server/kx/actions";

const actor = (ctx: PracticeContext): KxActor => ({ practiceId: ctx.practiceId, userId: ctx.userId, timeZone: ctx.practice.timeZone });

export const assignItem = guardedAction("kx.work", assignSchema, async (ctx, input) => assignKxItem(actor(ctx), input));

export const addKx = guardedAction("kx.work", addKxSchema, async (ctx, input) => addKxToMissingLines(actor(ctx), input));

export const recordAbnAction = guardedAction("kx.work", recordAbnSchema, async (ctx, input) => recordAbn(actor(ctx), input));

export const markDocReviewed = guardedAction("kx.work", docReviewSchema, async (ctx, input) =>
  markDocumentationReviewed(actor(ctx), input),
);

export const markRebilled = guardedAction("kx.work", rebillSchema, async (ctx, input) => markLinesRebilled(actor(ctx), input));

export const snoozeItem = guardedAction("kx.work", snoozeSchema, async (ctx, input) => snoozeKxItem(actor(ctx), input));

export const resolveItem = guardedAction("kx.work", resolveSchema, async (ctx, input) => resolveKxItem(actor(ctx), input));

export const reopenItem = guardedAction("kx.work", reopenSchema, async (ctx, input) => reopenKxItem(actor(ctx), input));

export const undoLastAction = guardedAction("kx.work", undoSchema, async (ctx, input) => undoLastKxAction(actor(ctx), input));

export const saveUsedElsewhereAction = guardedAction(IMPORT_WRITE_PERMISSION.usage, usedElsewhereSchema, async (ctx, input) =>
  saveUsedElsewhere(actor(ctx), input),
);
