"use server";
import { z } from "zod";
import { inviteUserSchema, practiceSettingsSchema, ROLE_VALUES } from "@/lib/schemas/admin";
import { changeRole, endSessions, resetSecondFactor, setActive, updateSettings } from "@/lib/server/admin";
import { guardedAction } from "@/lib/server/core/guard";
import { inviteUser, revokeInvitation } from "@/lib/server/invitations";

/** Answers the path of the invitation link (the page adds its own origin): the same answer whether or not the email has an account elsewhere. */
export const inviteUserAction = guardedAction("users.manage", inviteUserSchema, async (ctx, input) => {
  const { token, expiresAt } = await inviteUser(ctx, input);
  return { path: `/invite/${token}`, expiresAt: expiresAt.toISOString() };
});

export const revokeInvitationAction = guardedAction(
  "users.manage",
  z.object({ invitationId: z.coerce.number().int().positive() }),
  async (ctx, input) => revokeInvitation(ctx, input.invitationId),
);

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
