// Wrong authenticator codes per user, counted in PostgreSQL (so the limit holds across app
// servers): MAX_CODE_ATTEMPTS per 15 minutes, then even a right code waits. A guess matches
// one of the three accepted steps with odds 3 in 10^6; at 5 × 4 × 24 = 480 guesses a day,
// someone who already has the password needs about 231,000 guesses (16 months) for even odds, and
// every wrong code is an audit event (auth.second_factor_failed) long before that.
// The key ("totp:<user id>") sits beside the password throttle's keys in SignInThrottle.
import { db } from "../core/db";

const WINDOW_MS = 15 * 60 * 1000;
/** wrong codes per user per 15 minutes before the check refuses even a right one */
export const MAX_CODE_ATTEMPTS = 5;

const keyOf = (userId: number) => `totp:${userId}`;

/** Counts one attempt; true while the user is within the limit. */
export async function takeCodeAttempt(userId: number, now = new Date()): Promise<boolean> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const rows = await db().$queryRaw<{ attempts: number }[]>`
    insert into "SignInThrottle" (key, "windowStart", attempts) values (${keyOf(userId)}, ${now}, 1)
    on conflict (key) do update set
      attempts = case when "SignInThrottle"."windowStart" < ${windowStart} then 1 else "SignInThrottle".attempts + 1 end,
      "windowStart" = case when "SignInThrottle"."windowStart" < ${windowStart} then ${now} else "SignInThrottle"."windowStart" end
    returning attempts`;
  return (rows[0]?.attempts ?? 0) <= MAX_CODE_ATTEMPTS;
}

/** A right code: the count starts again. */
export async function clearCodeAttempts(userId: number): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: keyOf(userId) } });
}
