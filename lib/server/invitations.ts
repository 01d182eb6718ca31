// Joining a practice is by invitation: an admin names an email and a role, and gets a link
// to pass on (there is no mail server); whoever opens it chooses their name and password,
// or, when that email already has an account (in another practice), proves it is theirs
// with that account's password. The link's token is random (256 bits), single-use, expires
// after INVITATION_DAYS, and only its SHA-256 is stored. Inviting answers the same whether
// or not the email has an account anywhere, and the name this practice shows is the one
// entered here, never another practice's record (docs/operations.md, "Users and invitations").
import crypto from "node:crypto";
import type { z } from "zod";
import type { acceptInvitationSchema, inviteUserSchema } from "@/lib/schemas/admin";
import { audit } from "./core/audit";
import type { PracticeContext } from "./core/context";
import { db } from "./core/db";
import { unscopedDb } from "./core/db-client";
import { InvalidInput, NotFound } from "./core/errors";
import { decoyHash, verifyPassword } from "./core/password";
import { hashNewPassword } from "./users";
import { withPracticeScope } from "./core/scope";
import { beforePasswordCheck, signInFailed, signInSucceeded } from "./core/sign-in-throttle";

export const INVITATION_DAYS = 7;

const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export interface NewInvitation {
  token: string;
  expiresAt: Date;
}

export async function inviteUser(ctx: PracticeContext, input: z.output<typeof inviteUserSchema>): Promise<NewInvitation> {
  const member = await db().membership.findFirst({ where: { practiceId: ctx.practiceId, user: { email: input.email } } });
  if (member) throw new InvalidInput(`${input.email} is already a user of this practice`, { email: ["already a user of this practice"] });
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
  await db().$transaction(async (tx) => {
    // a new invitation for the same email replaces the one before
    await tx.invitation.updateMany({
      where: { practiceId: ctx.practiceId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const inv = await tx.invitation.create({
      data: {
        practiceId: ctx.practiceId,
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        tokenHash: hashToken(token),
        expiresAt,
        createdById: ctx.userId,
      },
    });
    await audit(tx, ctx, {
      action: "user.invite",
      entityType: "Invitation",
      entityId: inv.id,
      details: { email: input.email, role: input.role },
    });
  });
  return { token, expiresAt };
}

/** Invitations not yet accepted, for the admin page (revoked and expired ones say so). */
export async function listInvitations(practiceId: number) {
  return db().invitation.findMany({
    where: { practiceId, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, name: true, role: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeInvitation(ctx: PracticeContext, invitationId: number): Promise<void> {
  await db().$transaction(async (tx) => {
    const updated = await tx.invitation.updateMany({
      where: { id: invitationId, practiceId: ctx.practiceId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (updated.count === 0) throw new NotFound("No such open invitation in this practice");
    await audit(tx, ctx, { action: "user.revoke_invitation", entityType: "Invitation", entityId: invitationId });
  });
}

const unusable = () =>
  new NotFound("This invitation link is not valid: it was used already, withdrawn, or has expired. Ask your administrator for a new one.");

/**
 * The invitation of a link, before anyone is signed in: the token (a secret only the invitee
 * holds) is what names the practice, so this lookup is unscoped (Invitation, like Membership,
 * has no row-level security); accepting then runs in that practice's scope.
 */
async function openInvitation(token: string) {
  const inv = await unscopedDb().invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { practice: { select: { name: true } } },
  });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) return null;
  return inv;
}

/** What the invitation page shows: the practice, the role, the email and the admin's name for the person. */
export async function invitationForToken(token: string) {
  const inv = await openInvitation(token);
  if (!inv) return null;
  return { practiceName: inv.practice.name, role: inv.role, email: inv.email, name: inv.name, expiresAt: inv.expiresAt };
}

/**
 * Accepts: a new account with the name and password given, or, for an email that has an
 * account already, that account after its password is checked (throttled and audited as a
 * sign-in from `address`). Either way a membership named as entered here.
 */
export async function acceptInvitation(input: z.output<typeof acceptInvitationSchema>, address: string): Promise<{ email: string }> {
  const inv = await openInvitation(input.token);
  if (!inv) throw unusable();
  const existing = await unscopedDb().user.findUnique({ where: { email: inv.email }, omit: { passwordHash: false } });
  let passwordHash: string | null = null;
  if (existing) {
    await beforePasswordCheck(inv.email, address);
    const ok = existing.active && (await verifyPassword(existing.passwordHash, input.password));
    if (!ok) {
      await signInFailed(inv.email, address, existing.active ? "wrong_password" : "inactive_account");
      const message = `${inv.email} already has an account: enter that account's password to join ${inv.practice.name} with it.`;
      throw new InvalidInput(message, { password: [message] });
    }
    await signInSucceeded(inv.email, address);
  } else {
    await decoyHash(); // costs what checking a password costs
    passwordHash = await hashNewPassword(input.password, [inv.email, input.name, inv.practice.name]);
  }
  await withPracticeScope(inv.practiceId, () => acceptInScope(inv, existing, input, passwordHash));
  return { email: inv.email };
}

async function acceptInScope(
  inv: NonNullable<Awaited<ReturnType<typeof openInvitation>>>,
  existing: { id: number } | null,
  input: z.output<typeof acceptInvitationSchema>,
  passwordHash: string | null,
): Promise<void> {
  await db().$transaction(async (tx) => {
    // single use even when two people submit the link at the same moment
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw unusable();
    const user = existing ?? (await tx.user.create({ data: { email: inv.email, name: input.name, passwordHash: passwordHash! } }));
    const member = await tx.membership.findUnique({ where: { practiceId_userId: { practiceId: inv.practiceId, userId: user.id } } });
    if (member) throw new InvalidInput(`${inv.email} is already a user of ${inv.practice.name}: sign in instead`);
    await tx.membership.create({ data: { practiceId: inv.practiceId, userId: user.id, role: inv.role, name: input.name } });
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedUserId: user.id } });
    await audit(
      tx,
      { practiceId: inv.practiceId, userId: user.id },
      { action: "user.accept_invitation", entityType: "Invitation", entityId: inv.id, details: { role: inv.role, newAccount: !existing } },
    );
  });
}
