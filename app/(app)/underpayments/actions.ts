"use server";
// The underpayment worklist's server action: a manager marks a line appealed, recovered or
// written off (with a note), or reopens it (undo). Audited in lib/server/underpayments.
import { z } from "zod";
import { guardedAction } from "@/lib/server/core/guard";
import { setUnderpaymentStatus, UNDERPAYMENT_STATUSES } from "@/lib/server/underpayments/worklist";
import { setPayerAppealAddress } from "@/lib/server/underpayments/payer-address";

const statusSchema = z.object({
  remitLineId: z.coerce.number({ error: "is required" }).int().positive({ error: "is required" }),
  status: z.enum(UNDERPAYMENT_STATUSES, { error: "choose appealed, recovered, written off or open" }),
  from: z.enum(UNDERPAYMENT_STATUSES, { error: "is required" }),
  note: z.string().trim().max(500, { error: "at most 500 characters" }).default(""),
});

export const markUnderpayment = guardedAction("underpayments.work", statusSchema, async (ctx, input) =>
  setUnderpaymentStatus({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);

const appealAddressSchema = z.object({
  payerId: z.coerce.number({ error: "is required" }).int().positive({ error: "is required" }).max(2_147_483_647),
  appealAddress: z
    .string()
    .trim()
    .max(300, { error: "At most 300 characters" })
    .transform((v) => v.replace(/\r\n?/g, "\n") || null),
});

/** The payer's appeals address (payer settings), printed on its appeal letters. */
export const savePayerAppealAddress = guardedAction("underpayments.work", appealAddressSchema, async (ctx, input) =>
  setPayerAppealAddress({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);
