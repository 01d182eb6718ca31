// What sign-in does around the password check: throttling (lib/server/rate-limit.ts) and
// an audit row for every failure and every refusal. The audit row names the email tried
// (never the password) and the address; it belongs to each practice the account is a
// member of, or to no practice when there is no such account.
import { waitInWords } from "@/lib/schemas/sign-in";
import { db } from "./db";
import { HttpError } from "./errors";
import { attemptSucceeded, takeAttempt } from "./rate-limit";

export class TooManyAttempts extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, `Too many sign-in attempts. Wait ${waitInWords(retryAfterSeconds)} and try again.`);
  }
}

export type FailureReason = "wrong_password" | "unknown_account" | "inactive_account" | "invalid_input";

async function auditSignIn(email: string, action: string, details: Record<string, string | number>): Promise<void> {
  const user = email ? await db().user.findUnique({ where: { email }, include: { memberships: { select: { practiceId: true } } } }) : null;
  const practices = user?.memberships.map((m) => m.practiceId) ?? [];
  const row = { userId: null, action, entityType: "User", entityId: user ? String(user.id) : null, details: { email, ...details } };
  await db().auditEvent.createMany({
    data: practices.length ? practices.map((practiceId) => ({ ...row, practiceId })) : [{ ...row, practiceId: null }],
  });
}

/** Counts the attempt; throws TooManyAttempts (audited) when the account-and-address or the address must wait. */
export async function beforePasswordCheck(email: string, address: string): Promise<void> {
  const t = await takeAttempt(email, address);
  if (t.ok) return;
  await auditSignIn(email, "auth.sign_in_throttled", { address, limit: t.limit, retryAfterSeconds: t.retryAfterSeconds });
  throw new TooManyAttempts(t.retryAfterSeconds);
}

export async function signInFailed(email: string, address: string, reason: FailureReason): Promise<void> {
  await auditSignIn(email, "auth.sign_in_failed", { address, reason });
}

export async function signInSucceeded(email: string, address: string): Promise<void> {
  await attemptSucceeded(email, address);
}
