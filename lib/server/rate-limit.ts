// Sign-in rate limiting in PostgreSQL, so it holds across several app servers. It runs before
// anyone is signed in, so outside any practice scope: SignInThrottle is shared.
import { unscopedDb as db } from "./db-client";

const WINDOW_MS = 15 * 60 * 1000;
export const MAX_ATTEMPTS_PER_ACCOUNT = 5;
export const MAX_ATTEMPTS_PER_ADDRESS = 30;

/** Counts one attempt for the key; true while the key is within its limit. */
export async function allowAttempt(key: string, limit: number): Promise<boolean> {
  const now = new Date();
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const rows = await db().$queryRaw<{ attempts: number }[]>`
    insert into "SignInThrottle" (key, "windowStart", attempts) values (${key}, ${now}, 1)
    on conflict (key) do update set
      attempts = case when "SignInThrottle"."windowStart" < ${windowStart} then 1 else "SignInThrottle".attempts + 1 end,
      "windowStart" = case when "SignInThrottle"."windowStart" < ${windowStart} then ${now} else "SignInThrottle"."windowStart" end
    returning attempts`;
  return (rows[0]?.attempts ?? 0) <= limit;
}

export async function clearAttempts(key: string): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key } });
}

/**
 * Takes one attempt back: a successful sign-in must not count against its address, or
 * everyone behind one office router (or one proxy) would be locked out by the 31st
 * colleague signing in within the window. Only failures add up.
 */
export async function refundAttempt(key: string): Promise<void> {
  await db().$executeRaw`update "SignInThrottle" set attempts = greatest(attempts - 1, 0) where key = ${key}`;
}
