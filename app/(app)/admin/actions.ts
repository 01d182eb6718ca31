"use server";
import { z } from "zod";
import { createUserSchema, practiceSettingsSchema, ROLE_VALUES } from "@/lib/schemas/admin";
import { changeRole, endSessions, resetSecondFactor, setActive, updateSettings } from "@/lib/server/admin";
import { guardedAction } from "@/lib/server/guard";
import { createUser } from "@/lib/server/practices";

export const addUserAction = guardedAction("users.manage", createUserSchema, async (ctx, input) => {
  const user = await createUser(ctx.practiceId, input, ctx.userId);
  return { id: user.id };
});

export const changeRoleAction = guardedAction(
  "users.manage",
  z.object({ membershipId: z.coerce.number().int().positive(), role: z.enum(ROLE_VALUES) }),
  async (ctx, input) => changeRole(ctx, input.membershipId, input.role),
);

export const setActiveAction = guardedAction(
  "users.manage",
  z.object({ membershipId: z.coerce.number().int().positive(), active: z.boolean() }),
  async (ctx, input) => setActive(ctx, input.membershipId, input.active),
);

export const updateSettingsAction = guardedAction("settings.manage", practiceSettingsSchema, (ctx, input) => updateSettings(ctx, input));

export const endSessionsAction = guardedAction(
  "users.manage",
  z.object({ membershipId: z.coerce.number().int().positive() }),
  async (ctx, input) => endSessions(ctx, input.membershipId),
);

export const resetSecondFactorAction = guardedAction(
  "users.manage",
  z.object({ membershipId: z.coerce.number().int().positive() }),
  async (ctx, input) => resetSecondFactor(ctx, input.membershipId),
);
