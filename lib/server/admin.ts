// Users and practice settings (admin role).
import type { z } from "zod";
import type { practiceSettingsSchema } from "@/lib/schemas/admin";
import { audit } from "./core/audit";
import type { PracticeContext } from "./core/context";
import { allowLongStatements, db } from "./core/db";
import { InvalidInput, NotFound } from "./core/errors";
import type { RoleName } from "./core/permissions";
import { resetSecondFactor as clearSecondFactor } from "./second-factor/second-factor";
import { revokeUserSessions } from "./core/sessions";
import { recomputeDerived } from "./derived";

export async function listMembers(practiceId: number) {
  return db().membership.findMany({
    where: { practiceId },
    include: { user: { select: { id: true, email: true, name: true, active: true, totpEnabledAt: true } } },
    orderBy: [{ active: "desc" }, { role: "asc" }, { id: "asc" }],
  });
}

async function membershipOf(ctx: PracticeContext, membershipId: number) {
  const membership = await db().membership.findFirst({ where: { id: membershipId, practiceId: ctx.practiceId } });
  if (!membership) throw new NotFound("No such user in this practice");
  if (membership.userId === ctx.userId) throw new InvalidInput("You cannot change your own access: ask another administrator");
  return membership;
}

export async function changeRole(ctx: PracticeContext, membershipId: number, role: RoleName) {
  const membership = await membershipOf(ctx, membershipId);
  await db().$transaction(async (tx) => {
    await tx.membership.update({ where: { id: membership.id }, data: { role } });
    await audit(tx, ctx, {
      action: "user.change_role",
      entityType: "Membership",
      entityId: membership.id,
      details: { from: membership.role, to: role },
    });
  });
}

export async function setActive(ctx: PracticeContext, membershipId: number, active: boolean) {
  const membership = await membershipOf(ctx, membershipId);
  await db().$transaction(async (tx) => {
    await tx.membership.update({ where: { id: membership.id }, data: { active } });
    // a deactivated user is out at once, not only when their next request finds no membership
    const ended = active ? 0 : await revokeUserSessions(tx, membership.userId);
    await audit(tx, ctx, {
      action: active ? "user.reactivate" : "user.deactivate",
      entityType: "Membership",
      entityId: membership.id,
      details: active ? undefined : { sessionsEnded: ended },
    });
  });
}

/** Ends every session of the user (a lost laptop, a shared computer): they sign in again. */
export async function endSessions(ctx: PracticeContext, membershipId: number) {
  const membership = await membershipOf(ctx, membershipId);
  return db().$transaction(async (tx) => {
    const ended = await revokeUserSessions(tx, membership.userId);
    await audit(tx, ctx, {
      action: "user.end_sessions",
      entityType: "User",
      entityId: membership.userId,
      details: { sessionsEnded: ended },
    });
    return { ended };
  });
}

/** A lost phone: the user's second factor and recovery codes are cleared and their sessions end; they enrol again at next sign-in. */
export async function resetSecondFactor(ctx: PracticeContext, membershipId: number) {
  const membership = await membershipOf(ctx, membershipId);
  await db().$transaction(async (tx) => {
    await clearSecondFactor(tx, membership.userId);
    await audit(tx, ctx, { action: "user.reset_second_factor", entityType: "User", entityId: membership.userId });
  });
}

export async function updateSettings(ctx: PracticeContext, input: z.output<typeof practiceSettingsSchema>) {
  const practice = await db().practice.findUniqueOrThrow({ where: { id: ctx.practiceId } });
  const gpci = await db().gpci.findFirst({ where: { practiceId: ctx.practiceId, locality: input.medicareLocality } });
  if (!gpci)
    throw new InvalidInput("Unknown Medicare locality", {
      medicareLocality: [`${input.medicareLocality} is not in the loaded GPCI table`],
    });
  const alertLevelCents = input.alertLevelDollars == null ? practice.alertLevelCents : Math.round(input.alertLevelDollars * 100);
  return db().$transaction(
    async (tx) => {
      // a new locality or alert level recomputes every patient: no statement timeout (db.ts)
      await allowLongStatements(tx);
      await tx.practice.update({
        where: { id: ctx.practiceId },
        data: {
          name: input.name,
          medicareLocality: input.medicareLocality,
          timeZone: input.timeZone,
          alertLevelCents,
          sessionIdleMinutes: input.sessionIdleMinutes ?? practice.sessionIdleMinutes,
          requireSecondFactor: input.secondFactorFor == null ? practice.requireSecondFactor : input.secondFactorFor === "everyone",
          npi: input.npi === undefined ? practice.npi : input.npi,
          taxId: input.taxId === undefined ? practice.taxId : input.taxId,
          address: input.address === undefined ? practice.address : input.address,
        },
      });
      let repriced = 0;
      if (practice.medicareLocality !== input.medicareLocality)
        repriced = (await recomputeDerived(tx, ctx.practiceId, { payers: "all" })).visitsOfPayers;
      // a new alert level moves every item's level and crossing: one set-based statement
      else if (practice.alertLevelCents !== alertLevelCents) await recomputeDerived(tx, ctx.practiceId, { alertLevel: true });
      await audit(tx, ctx, {
        action: "practice.update_settings",
        entityType: "Practice",
        entityId: ctx.practiceId,
        details: {
          from: {
            medicareLocality: practice.medicareLocality,
            alertLevelCents: practice.alertLevelCents,
            timeZone: practice.timeZone,
            sessionIdleMinutes: practice.sessionIdleMinutes,
            requireSecondFactor: practice.requireSecondFactor,
            npi: practice.npi,
            taxId: practice.taxId,
            address: practice.address,
          },
          to: {
            medicareLocality: input.medicareLocality,
            alertLevelCents,
            timeZone: input.timeZone,
            sessionIdleMinutes: input.sessionIdleMinutes ?? practice.sessionIdleMinutes,
            requireSecondFactor: input.secondFactorFor == null ? practice.requireSecondFactor : input.secondFactorFor === "everyone",
            npi: input.npi === undefined ? practice.npi : input.npi,
            taxId: input.taxId === undefined ? practice.taxId : input.taxId,
            address: input.address === undefined ? practice.address : input.address,
          },
        },
      });
      return { repriced };
    },
    { timeout: 5 * 60_000 },
  );
}

/** The practice's settings and the Medicare localities its GPCI file offers (the admin page). */
export async function practiceSettingsPage(practiceId: number) {
  const [practice, localities] = [
    await db().practice.findUniqueOrThrow({ where: { id: practiceId } }),
    await db().gpci.findMany({
      where: { practiceId },
      distinct: ["locality"],
      orderBy: { locality: "asc" },
      select: { locality: true, localityName: true },
    }),
  ];
  return { practice, localities };
}
