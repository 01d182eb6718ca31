// Sign-in throttling in PostgreSQL, so it holds across several app servers. Two limits,
// neither of which lets one person lock out another (figures in docs/operations.md):
//  - per account *and* address ("pair"): the first PAIR_FREE_FAILURES failures in a row cost
//    nothing; each further one makes that pair wait twice as long as the last, from
//    PAIR_FIRST_DELAY_S up to PAIR_MAX_DELAY_S (after failure 4: 5 s, 5: 10 s, 6: 20 s, …, 12 and on: 15 min). A colleague signing in to the same account
//    from another address is not slowed by it. A success clears the pair.
//  - per address: more than MAX_FAILURES_PER_ADDRESS failures within ADDRESS_WINDOW_MS
//    (over every account) and that address waits for the window to end; successes do not count.
// Every check and count is one statement, so parallel requests cannot slip past a limit.
// It runs before anyone is signed in, so outside any practice scope: SignInThrottle is shared.
import { unscopedDb as db } from "./db-client";

export const PAIR_FREE_FAILURES = 3;
export const PAIR_FIRST_DELAY_S = 5;
export const PAIR_MAX_DELAY_S = 15 * 60;
/** a pair with no failure for this long starts again from nothing */
export const PAIR_FORGET_MS = 24 * 60 * 60 * 1000;
export const ADDRESS_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ADDRESS = 100;

export type Throttle = { ok: true } | { ok: false; limit: "account_address" | "address"; retryAfterSeconds: number };

const pairKey = (email: string, address: string) => `pair:${email} ${address}`;
const addressKey = (address: string) => `addr:${address}`;

/**
 * Counts one attempt of `email` from `address`, before the password is checked (a success
 * gives it back through `attemptSucceeded`). Refused attempts are not counted.
 */
export async function takeAttempt(email: string, address: string, now = new Date()): Promise<Throttle> {
  // the address first: a refused address must not grow the pair's delay
  const windowStart = new Date(now.getTime() - ADDRESS_WINDOW_MS);
  const addr = await db().$queryRaw<{ attempts: number; windowStart: Date }[]>`
    insert into "SignInThrottle" (key, "windowStart", attempts) values (${addressKey(address)}, ${now}, 1)
    on conflict (key) do update set
      attempts = case when "SignInThrottle"."windowStart" < ${windowStart} then 1 else "SignInThrottle".attempts + 1 end,
      "windowStart" = case when "SignInThrottle"."windowStart" < ${windowStart} then ${now} else "SignInThrottle"."windowStart" end
    where "SignInThrottle"."windowStart" < ${windowStart} or "SignInThrottle".attempts < ${MAX_FAILURES_PER_ADDRESS}
    returning attempts, "windowStart"`;
  if (addr.length === 0) {
    const row = await db().signInThrottle.findUnique({ where: { key: addressKey(address) } });
    const ends = (row?.windowStart.getTime() ?? now.getTime()) + ADDRESS_WINDOW_MS;
    return { ok: false, limit: "address", retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
  }
  const forgetBefore = new Date(now.getTime() - PAIR_FORGET_MS);
  // the count and the wait it earns are written in one statement (rows of one key are
  // updated one at a time), so parallel attempts cannot all pass before the wait is set;
  // the wait runs from this attempt, and a success clears the row
  const nowMs = now.getTime();
  const pair = await db().$queryRaw<{ attempts: number }[]>`
    insert into "SignInThrottle" as t (key, "windowStart", attempts, "blockedUntil")
    values (${pairKey(email, address)}, ${now}, 1, ${now})
    on conflict (key) do update set
      attempts = case when t."windowStart" < ${forgetBefore} then 1 else t.attempts + 1 end,
      "windowStart" = ${now},
      "blockedUntil" = (to_timestamp(${nowMs}::float8 / 1000) at time zone 'UTC') + make_interval(secs =>
        case when (case when t."windowStart" < ${forgetBefore} then 1 else t.attempts + 1 end) <= ${PAIR_FREE_FAILURES} then 0
        else least(${PAIR_MAX_DELAY_S}::float8, ${PAIR_FIRST_DELAY_S}::float8 * power(2, (case when t."windowStart" < ${forgetBefore} then 1 else t.attempts + 1 end) - ${PAIR_FREE_FAILURES} - 1)) end)
    where t."blockedUntil" is null or t."blockedUntil" <= ${now}
    returning attempts`;
  if (pair.length === 0) {
    await giveBack(addressKey(address));
    const row = await db().signInThrottle.findUnique({ where: { key: pairKey(email, address) } });
    const until = row?.blockedUntil?.getTime() ?? now.getTime();
    return { ok: false, limit: "account_address", retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
  }
  return { ok: true };
}

/** The password was right: the pair starts from nothing and the address gets its attempt back. */
export async function attemptSucceeded(email: string, address: string): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: pairKey(email, address) } });
  await giveBack(addressKey(address));
}

async function giveBack(key: string): Promise<void> {
  await db().$executeRaw`update "SignInThrottle" set attempts = greatest(attempts - 1, 0) where key = ${key}`;
}
