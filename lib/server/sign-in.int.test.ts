// Sign-in throttling and its audit trail, against PostgreSQL through the real code:
// authenticate() is what next-auth's authorize() calls; takeAttempt() is given explicit
// clock readings so the back-off can be checked without waiting for it.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, TooManyAttempts } from "./core/auth-options";
import { disconnectDb } from "./core/db";
import { MAX_FAILURES_PER_ADDRESS, takeAttempt } from "./core/rate-limit";
import { createTestPractice, type TestPractice, db } from "./testing";

const unique = () => crypto.randomBytes(4).toString("hex");

async function attempt(email: string, password: string, address: string): Promise<"ok" | "wrong" | "throttled"> {
  try {
    return (await authenticate({ email, password }, address)) ? "ok" : "wrong";
  } catch (e) {
    if (e instanceof TooManyAttempts) return "throttled";
    throw e;
  }
}

describe("sign-in throttling", () => {
  let t: TestPractice;
  let victim: { id: number; email: string };
  beforeAll(async () => {
    t = await createTestPractice("signin");
    victim = await db().user.findUniqueOrThrow({ where: { id: t.users.MANAGER }, select: { id: true, email: true } });
  }, 120_000);
  afterAll(() => disconnectDb());

  it("lets a colleague sign in from their own address while someone else keeps failing on their account", async () => {
    const attacker = `203.0.113.${Math.floor(Math.random() * 200)}-${unique()}`;
    const colleague = `198.51.100.7-${unique()}`;
    // before: the sixth wrong password locked the account for everyone for 15 minutes
    const results: string[] = [];
    for (let i = 0; i < 8; i++) results.push(await attempt(victim.email, "not-the-password", attacker));
    // 3 free failures, the 4th makes the pair wait 5 s: the rest are refused without counting
    expect(results).toEqual(["wrong", "wrong", "wrong", "wrong", "throttled", "throttled", "throttled", "throttled"]);
    expect(await attempt(victim.email, t.password, colleague)).toBe("ok");
    // and the attacker's pair is still waiting, even with the right password
    expect(await attempt(victim.email, t.password, attacker)).toBe("throttled");
  });

  it("makes one account-and-address pair wait twice as long after each further failure, up to 15 minutes", async () => {
    const email = `pair-${unique()}@example.test`;
    const address = `192.0.2.1-${unique()}`;
    const t0 = Date.UTC(2026, 11, 4, 12, 0, 0);
    let now = t0;
    const waits: number[] = [];
    for (let n = 1; n <= 14; n++) {
      // each attempt as early as the pair may make it (nothing here signs in, so each one
      // counts as a failure): a refusal says how long to wait, and after that wait it passes
      let wait = 0;
      const first = await takeAttempt(email, address, new Date(now));
      if (!first.ok) {
        expect(first.limit).toBe("account_address");
        wait = first.retryAfterSeconds;
        now += wait * 1000;
        expect(await takeAttempt(email, address, new Date(now))).toEqual({ ok: true });
      }
      waits.push(wait);
    }
    // the wait before attempt n follows failure n−1: failures 1–3 cost nothing, the 4th
    // 5 s, then 5·2^(n−4): 10, 20, 40, 80, 160, 320, 640, then 5·2^8 = 1280 s is held at 900 s
    expect(waits).toEqual([0, 0, 0, 0, 5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
    // the 14th failure: one second before its 900 s are up is still refused, with 1 s left
    now += 900 * 1000;
    // one second early is still refused, with the second left to wait
    expect(await takeAttempt(email, address, new Date(now - 1000))).toEqual({ ok: false, limit: "account_address", retryAfterSeconds: 1 });
  });

  it("limits one address over every account to 100 failures in 15 minutes, without slowing other addresses", async () => {
    const address = `192.0.2.200-${unique()}`;
    const now = new Date();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++)
      expect((await takeAttempt(`spray-${i}-${unique()}@example.test`, address, now)).ok).toBe(true);
    const refused = await takeAttempt(`spray-last-${unique()}@example.test`, address, now);
    expect(refused).toEqual({ ok: false, limit: "address", retryAfterSeconds: 15 * 60 });
    expect(await takeAttempt(`spray-last-${unique()}@example.test`, `192.0.2.201-${unique()}`, now)).toEqual({ ok: true });
    // 15 minutes later the address starts again
    expect(await takeAttempt(`spray-next-${unique()}@example.test`, address, new Date(now.getTime() + 15 * 60_000 + 1))).toEqual({
      ok: true,
    });
  });

  it("does not count successful sign-ins against the address, and a success clears the pair", async () => {
    const address = `office-${unique()}`;
    // a wrong password twice, then right: the pair starts again from nothing
    expect(await attempt(victim.email, "not-the-password", address)).toBe("wrong");
    expect(await attempt(victim.email, "not-the-password", address)).toBe("wrong");
    expect(await attempt(victim.email, t.password, address)).toBe("ok");
    for (let i = 0; i < 3; i++) expect(await attempt(victim.email, "not-the-password", address)).toBe("wrong");
    const row = await db().signInThrottle.findUniqueOrThrow({ where: { key: `addr:${address}` } });
    // 5 failures and 1 success: the address counts the 5 failures only
    expect(row.attempts).toBe(5);
  });
});

describe("sign-in audit", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("signin-audit");
  }, 120_000);
  afterAll(() => disconnectDb());

  it("audits every failed sign-in and every refusal, with the email tried and never the password", async () => {
    const user = await db().user.findUniqueOrThrow({ where: { id: t.users.BILLER } });
    const address = `audit-${unique()}`;
    const since = new Date(Date.now() - 1000);
    const password = `wrong-${unique()}-secret`;
    for (let i = 0; i < 5; i++) await attempt(user.email, password, address); // 4 failures, 1 refusal
    const unknown = `nobody-${unique()}@example.test`;
    await attempt(unknown, password, address);

    const rows = await db().auditEvent.findMany({
      where: { createdAt: { gte: since }, action: { startsWith: "auth.sign_in_" }, details: { path: ["address"], equals: address } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.action, r.practiceId, r.entityId, (r.details as { email: string }).email])).toEqual([
      ["auth.sign_in_failed", t.practiceId, String(user.id), user.email],
      ["auth.sign_in_failed", t.practiceId, String(user.id), user.email],
      ["auth.sign_in_failed", t.practiceId, String(user.id), user.email],
      ["auth.sign_in_failed", t.practiceId, String(user.id), user.email],
      ["auth.sign_in_throttled", t.practiceId, String(user.id), user.email],
      // no such account: no practice, no user
      ["auth.sign_in_failed", null, null, unknown],
    ]);
    expect(rows.map((r) => (r.details as { reason?: string; limit?: string }).reason ?? (r.details as { limit: string }).limit)).toEqual([
      "wrong_password",
      "wrong_password",
      "wrong_password",
      "wrong_password",
      "account_address",
      "unknown_account",
    ]);
    expect((rows[4]!.details as { retryAfterSeconds: number }).retryAfterSeconds).toBe(5);
    expect(JSON.stringify(rows.map((r) => [r.action, r.entityType, r.entityId, r.details]))).not.toContain(password);
  });
});
