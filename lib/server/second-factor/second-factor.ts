// The second factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) through the
// otpauth library, single-use recovery codes, and the admin's reset. Who must have one:
// ./policy.ts.
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { audit, type Actor } from "../core/audit";
import { db, type Tx } from "../core/db";
import { Conflict, HttpError, InvalidInput } from "../core/errors";
import { markSecondFactor, revokeUserSessions } from "../core/sessions";
import { clearCodeAttempts, MAX_CODE_ATTEMPTS, takeCodeAttempt } from "./code-throttle";
import { openSecret, sealSecret } from "./secret-box";

export { MAX_CODE_ATTEMPTS };

const ISSUER = "Therapy Revenue";
const PERIOD_SECONDS = 30;
/** a code of the step before or after is accepted too (clock drift, typing time) */
const WINDOW_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

export class TooManyCodes extends HttpError {
  constructor() {
    super(429, "Too many wrong codes. Wait 15 minutes and try again.");
  }
}

function totpFor(email: string, secretBase32: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: email,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The 30-second step a valid code belongs to, or null. */
function matchingStep(totp: TOTP, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp.validate({ token, timestamp: now.getTime(), window: WINDOW_STEPS });
  if (delta == null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

async function userWithSecret(userId: number) {
  return db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, totpSecret: true, totpEnabledAt: true, totpLastStep: true },
  });
}

export interface Enrolment {
  /** the key to type into an authenticator app, in groups of four */
  key: string;
  otpauthUrl: string;
  /** the otpauth:// link as a QR code (SVG data URL, drawn here: no network) */
  qrCode: string;
}

/** Starts (or resumes) enrolment: a new secret, kept encrypted until a first code confirms it. */
export async function startEnrolment(userId: number): Promise<Enrolment> {
  const user = await userWithSecret(userId);
  if (user.totpEnabledAt) throw new Conflict("A second factor is already set up for this account");
  let secretBase32 = user.totpSecret ? openSecret(userId, user.totpSecret) : null;
  if (!secretBase32) {
    secretBase32 = new Secret({ size: 20 }).base32;
    await db().user.update({ where: { id: userId }, data: { totpSecret: sealSecret(userId, secretBase32), totpLastStep: null } });
  }
  const otpauthUrl = totpFor(user.email, secretBase32).toString();
  const svg = await QRCode.toString(otpauthUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return {
    key: secretBase32.match(/.{1,4}/g)?.join(" ") ?? secretBase32,
    otpauthUrl,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
  };
}

async function throttled(userId: number): Promise<void> {
  if (!(await takeCodeAttempt(userId))) throw new TooManyCodes();
}

/** Records the step as used; false when it (or a later one) was used already: a code works once. */
async function claimStep(userId: number, step: number): Promise<boolean> {
  const updated = await db().$executeRaw`
    update "User" set "totpLastStep" = ${step}
    where id = ${userId} and ("totpLastStep" is null or "totpLastStep" < ${step})`;
  return updated === 1;
}

async function checkCode(actor: Actor & { userId: number }, code: string, now: Date, enrolled: boolean): Promise<void> {
  await throttled(actor.userId);
  const user = await userWithSecret(actor.userId);
  if (!user.totpSecret || Boolean(user.totpEnabledAt) !== enrolled) throw new Conflict("Start setting up the second factor again");
  const step = matchingStep(totpFor(user.email, openSecret(user.id, user.totpSecret)), code, now);
  if (step == null || !(await claimStep(user.id, step))) {
    await audit(db(), actor, { action: "auth.second_factor_failed", entityType: "User", entityId: actor.userId });
    throw new InvalidInput(
      step == null
        ? "That code is not right. Check the time on your phone and try the newest code."
        : "That code was already used. Wait for the next one.",
      {
        code: ["not accepted"],
      },
    );
  }
  await clearCodeAttempts(actor.userId);
}

function newRecoveryCode(): string {
  // 80 random bits, as 16 base32 characters in groups of four
  const b32 = new Secret({ size: 10 }).base32.toLowerCase();
  return b32.match(/.{4}/g)?.join("-") ?? b32;
}

function hashRecoveryCode(code: string): string {
  const normal = code.toLowerCase().replace(/[^a-z2-7]/g, "");
  return crypto.createHash("sha256").update(normal).digest("hex");
}

/**
 * Confirms enrolment with a first code: the second factor is on, the session counts as
 * checked, and the recovery codes are returned (the only time they are shown).
 */
export async function confirmEnrolment(
  actor: Actor & { userId: number },
  sessionId: string | null,
  code: string,
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  await checkCode(actor, code, now, false);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { totpEnabledAt: now } });
    await tx.recoveryCode.deleteMany({ where: { userId: actor.userId } });
    await tx.recoveryCode.createMany({ data: recoveryCodes.map((c) => ({ userId: actor.userId, codeHash: hashRecoveryCode(c) })) });
    await audit(tx, actor, { action: "auth.second_factor_enrolled", entityType: "User", entityId: actor.userId });
  });
  if (sessionId) await markSecondFactor(sessionId, now);
  return { recoveryCodes };
}

/** The code from the authenticator at sign-in. */
export async function verifySignInCode(
  actor: Actor & { userId: number },
  sessionId: string,
  code: string,
  now = new Date(),
): Promise<void> {
  await checkCode(actor, code, now, true);
  await markSecondFactor(sessionId, now);
}

/** A recovery code instead of the authenticator: accepted once, then spent. */
export async function redeemRecoveryCode(
  actor: Actor & { userId: number },
  sessionId: string,
  code: string,
  now = new Date(),
): Promise<{ remaining: number }> {
  await throttled(actor.userId);
  const remaining = await db().$transaction(async (tx) => {
    const { count } = await tx.recoveryCode.updateMany({
      where: { userId: actor.userId, codeHash: hashRecoveryCode(code), usedAt: null },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    const left = await tx.recoveryCode.count({ where: { userId: actor.userId, usedAt: null } });
    await audit(tx, actor, { action: "auth.recovery_code_used", entityType: "User", entityId: actor.userId, details: { remaining: left } });
    return left;
  });
  if (remaining == null) {
    await audit(db(), actor, {
      action: "auth.second_factor_failed",
      entityType: "User",
      entityId: actor.userId,
      details: { recoveryCode: true },
    });
    throw new InvalidInput("That recovery code is not right or was used already", { recoveryCode: ["not accepted"] });
  }
  await clearCodeAttempts(actor.userId);
  await markSecondFactor(sessionId, now);
  return { remaining };
}

/** The admin's reset: the secret and recovery codes are gone and every session of the user ends. */
export async function resetSecondFactor(tx: Tx, userId: number): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await revokeUserSessions(tx, userId);
}

/** Demo and tests only: the second factor on, with a given key (prisma/seed.ts prints it). */
export async function enrolWithKey(userId: number, secretBase32: string, now = new Date()): Promise<void> {
  Secret.fromBase32(secretBase32); // refuses a malformed key
  await db().user.update({
    where: { id: userId },
    data: { totpSecret: sealSecret(userId, secretBase32), totpEnabledAt: now, totpLastStep: null },
  });
}
