// What sign-in does around the password check: throttling (lib/server/core/rate-limit.ts) and
// an audit row for every failure and every refusal. The audit row names the email tried
// (never the password) and the address; it belongs to each practice the account is a
// member of, or to no practice when there is no such account.
import { waitInWords } from "@/lib/schemas/sign-in";
import { db } from "./db";
import { unscopedDb } from "./db-client";
import { HttpError } from "./errors";
import { attemptSucceeded, takeAttempt } from "./rate-limit";
import { withPracticeScope } from "./scope";

export class TooManyAttempts extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, `Too many sign-in attempts. Wait ${waitInWords(retryAfterSeconds)} and try again.`);
  }
}

export type FailureReason = "wrong_password" | "unknown_account" | "inactive_account" | "invalid_input";

async function auditSignIn(email: string, action: string, details: Record<string, string | number>): Promise<void> {
  // before anyone is signed in: the account's practices come from the unscoped sign-in lookup,
  // and each practice's row is written in that practice's scope (row-level security)
  const user = email
    ? await unscopedDb().user.findUnique({ where: { email }, include: { memberships: { select: { practiceId: true } } } })
    : null;
  const practices = user?.memberships.map((m) => m.practiceId) ?? [];
  const row = { userId: null, action, entityType: "User", entityId: user ? String(user.id) : null, details: { email, ...details } };
  if (practices.length === 0) {
    // no such account: a row of no practice, which the policy lets anyone append but no one of
    // the app read back; createMany, since create's INSERT … RETURNING would have to read it
    await unscopedDb().auditEvent.createMany({ data: [{ ...row, practiceId: null }] });
    return;
  }
  for (const practiceId of practices) await withPracticeScope(practiceId, () => db().auditEvent.create({ data: { ...row, practiceId } }));
}

/** Counts the attempt; throws TooManyAttempts (audited) when the account-and-address or the address must wait. */
export async function beforePasswordCheck(email: string, address: string): Promise<void> {
  const attempt = await takeAttempt(email, address);
  if (attempt.ok) return;
  await auditSignIn(email, "auth.sign_in_throttled", { address, limit: attempt.limit, retryAfterSeconds: attempt.retryAfterSeconds });
  throw new TooManyAttempts(attempt.retryAfterSeconds);
}

export async function signInFailed(email: string, address: string, reason: FailureReason): Promise<void> {
  await auditSignIn(email, "auth.sign_in_failed", { address, reason });
}

export async function signInSucceeded(email: string, address: string): Promise<void> {
  await attemptSucceeded(email, address);
}
