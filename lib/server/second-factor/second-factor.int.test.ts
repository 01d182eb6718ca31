// The second factor against PostgreSQL, through the real guard and the real routes. Codes
// come from the tests' own RFC 6238 implementation (e2e/totp.ts, checked against the RFC's
// vectors), never from the library the app uses.
import type { JWT } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetSecondFactorAction, updateSettingsAction } from "@/app/(app)/admin/actions";
import { POST as enrolRoute } from "@/app/api/second-factor/enrol/route";
import { POST as verifyRoute } from "@/app/api/second-factor/verify/route";
import { GET as exportRoute } from "@/app/api/exports/[kind]/route";
import { timeStep, totpCode, totpCodeAtStep } from "@/e2e/totp";
import { authOptions } from "../core/auth-options";
import { currentSession, runAsSession, runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { pageContext } from "../core/guard";
import { createTestPractice, db, type TestPractice } from "../testing";
import { enrolWithKey, MAX_CODE_ATTEMPTS, RECOVERY_CODE_COUNT, startEnrolment } from "./second-factor";

const T0 = new Date("2026-12-07T15:00:10.000Z"); // 10 s into a 30-second step

async function signIn(userId: number): Promise<string> {
  const jwt = authOptions.callbacks!.jwt!;
  const token = (await jwt({ token: { sub: String(userId) }, user: { id: String(userId) } } as Parameters<typeof jwt>[0])) as JWT;
  return token.sid as string;
}

async function post(route: (r: Request) => Promise<Response>, sid: string, body: unknown) {
  const res = await runAsSession(sid, () =>
    route(
      new Request("http://localhost/api/second-factor", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      }),
    ),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function exportStatus(sid: string): Promise<number> {
  const res = await runAsSession(sid, () =>
    exportRoute(new Request("http://localhost/api/exports/visits"), { params: Promise.resolve({ kind: "visits" }) }),
  );
  return res.status;
}

async function pageRedirect(sid: string): Promise<string> {
  try {
    await runAsSession(sid, () => pageContext("visits.read"));
    return "page";
  } catch (e) {
    return String((e as { digest?: string }).digest ?? e).split(";")[2] ?? String(e);
  }
}

async function auditActions(t: TestPractice, userId: number): Promise<string[]> {
  const rows = await db().auditEvent.findMany({
    where: { practiceId: t.practiceId, entityType: "User", entityId: String(userId) },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.action);
}

/** The key an enrolment shows, without its spaces. */
async function enrolmentKey(userId: number): Promise<string> {
  return (await startEnrolment(userId)).key.replace(/\s/g, "");
}

describe("second factor", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("second-factor");
  }, 180_000);
  afterEach(() => vi.useRealTimers());
  afterAll(() => disconnectDb());

  it("sends a manager and an admin without one to enrolment before anything else; an owner need not", async () => {
    for (const role of ["MANAGER", "ADMIN"] as const) {
      const sid = await signIn(t.users[role]);
      const state = await runAsSession(sid, () => currentSession());
      expect(state).toMatchObject({ status: "second-factor", step: "enrol" });
      expect(await exportStatus(sid)).toBe(401);
      expect(await pageRedirect(sid)).toBe("/second-factor");
      // the code check itself is not the way around enrolment
      expect((await post(verifyRoute, sid, { code: "123456" })).status).toBe(409);
    }
    const owner = await signIn(t.users.OWNER);
    expect((await runAsSession(owner, () => currentSession())).status).toBe("signed-in");
    expect(await exportStatus(owner)).toBe(200);
  });

  it("enrols with a first code: a wrong one refused, the secret encrypted, ten single-use recovery codes stored hashed, audited", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0);
    const sid = await signIn(t.users.MANAGER);
    const key = await enrolmentKey(t.users.MANAGER);
    expect(key).toMatch(/^[A-Z2-7]{32}$/); // 20 random bytes = 160 bits = 32 base32 characters
    expect((await startEnrolment(t.users.MANAGER)).otpauthUrl).toContain(`secret=${key}`);
    // the same key until it is confirmed (a reload of the page does not change it)
    expect(await enrolmentKey(t.users.MANAGER)).toBe(key);
    const stored = await db().user.findUniqueOrThrow({ where: { id: t.users.MANAGER }, omit: { totpSecret: false } });
    expect(stored.totpSecret).toMatch(/^v1\./);
    expect(stored.totpSecret).not.toContain(key);

    const right = totpCode(key, T0.getTime());
    const wrong = right === "000000" ? "111111" : "000000";
    const refused = await post(enrolRoute, sid, { code: wrong });
    expect(refused.status).toBe(400);
    expect(await exportStatus(sid)).toBe(401);

    const done = await post(enrolRoute, sid, { code: right });
    expect(done.status).toBe(200);
    const codes = done.body.recoveryCodes as string[];
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const hashes = await db().recoveryCode.findMany({ where: { userId: t.users.MANAGER } });
    expect(hashes).toHaveLength(10);
    for (const h of hashes) {
      expect(h.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(codes.map((c) => c.replace(/-/g, ""))).not.toContain(h.codeHash);
    }
    // this session now counts as checked: the export answers
    expect(await exportStatus(sid)).toBe(200);
    expect(await auditActions(t, t.users.MANAGER)).toEqual(
      expect.arrayContaining(["auth.second_factor_failed", "auth.second_factor_enrolled"]),
    );
  });

  it("asks for the code at the next sign-in: a wrong code refused, the right one accepted once", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    await enrolWithKey(t.users.ADMIN, key);
    vi.setSystemTime(T0);
    const sid = await signIn(t.users.ADMIN);
    expect(await runAsSession(sid, () => currentSession())).toMatchObject({ status: "second-factor", step: "verify" });
    expect(await exportStatus(sid)).toBe(401);
    expect((await post(verifyRoute, sid, { code: "12345" })).status).toBe(400); // not six digits

    const step = timeStep(T0.getTime());
    // a code from five minutes ago (10 steps) is outside the one-step window
    const stale = totpCodeAtStep(key, step - 10);
    const staleAnswer = await post(verifyRoute, sid, { code: stale });
    expect(staleAnswer.status).toBe(400);
    expect(staleAnswer.body.error).toMatch(/not right/);

    const ok = await post(verifyRoute, sid, { code: totpCodeAtStep(key, step) });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, next: "/admin" } });
    expect(await exportStatus(sid)).toBe(200);

    // the same code again, in another session 10 seconds later: refused (a code works once)
    vi.setSystemTime(new Date(T0.getTime() + 10_000));
    const other = await signIn(t.users.ADMIN);
    const replay = await post(verifyRoute, other, { code: totpCodeAtStep(key, step) });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toMatch(/already used/);
    // the next step's code (the app shows it 20 s later; one step early is accepted) works
    expect((await post(verifyRoute, other, { code: totpCodeAtStep(key, step + 1) })).status).toBe(200);
  });

  it("refuses even the right code after five wrong ones in 15 minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    await enrolWithKey(t.users.OWNER, key); // an owner who chose a second factor
    vi.setSystemTime(new Date(T0.getTime() + 3_600_000));
    const sid = await signIn(t.users.OWNER);
    expect(await runAsSession(sid, () => currentSession())).toMatchObject({ status: "second-factor", step: "verify" });
    const right = totpCode(key, Date.now());
    const wrong = right === "999999" ? "888888" : "999999";
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) expect((await post(verifyRoute, sid, { code: wrong })).status).toBe(400);
    expect((await post(verifyRoute, sid, { code: right })).status).toBe(429);
    await db().signInThrottle.deleteMany({ where: { key: `totp:${t.users.OWNER}` } });
    expect((await post(verifyRoute, sid, { code: right })).status).toBe(200);
  });

  it("accepts a recovery code once instead of the app's code, and audits its use", async () => {
    // recovery codes are shown once, at enrolment: a biller who chooses a second factor enrols here to hold them
    const biller = t.users.BILLER;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(T0.getTime() + 7_200_000));
    const billerSid = await signIn(biller);
    const key = await enrolmentKey(biller);
    const enrolled = await post(enrolRoute, billerSid, { code: totpCode(key, Date.now()) });
    expect(enrolled.status).toBe(200);
    const [first, second] = enrolled.body.recoveryCodes as string[];

    const next = await signIn(biller);
    const used = await post(verifyRoute, next, { recoveryCode: first!.toUpperCase() }); // case and dashes do not matter
    expect(used).toMatchObject({ status: 200, body: { ok: true, recoveryCodesLeft: 9 } });
    expect(await exportStatus(next)).toBe(200);

    const again = await signIn(biller);
    expect((await post(verifyRoute, again, { recoveryCode: first })).status).toBe(400);
    expect(await exportStatus(again)).toBe(401);
    expect((await post(verifyRoute, again, { recoveryCode: second!.replace(/-/g, "") })).body).toMatchObject({ recoveryCodesLeft: 8 });
    const audit = await db().auditEvent.findMany({
      where: { practiceId: t.practiceId, action: "auth.recovery_code_used", entityId: String(biller) },
    });
    expect(audit.map((a) => (a.details as { remaining: number }).remaining)).toEqual([9, 8]);
  });

  it("an admin's reset clears the second factor, ends the user's sessions, is audited, and the user enrols again", async () => {
    const manager = await db().user.findUniqueOrThrow({ where: { id: t.users.MANAGER } });
    expect(manager.totpEnabledAt).not.toBeNull();
    // a session of the manager with both factors
    const key = "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK";
    await enrolWithKey(t.users.MANAGER, key);
    const sid = await signIn(t.users.MANAGER);
    expect((await post(verifyRoute, sid, { code: totpCode(key, Date.now()) })).status).toBe(200);
    expect(await exportStatus(sid)).toBe(200);

    const membership = await db().membership.findFirstOrThrow({ where: { practiceId: t.practiceId, userId: t.users.MANAGER } });
    // the admin's own session is checked too: an admin is one with both factors (runAsUser stands for that)
    expect(await runAsUser(t.users.ADMIN, () => resetSecondFactorAction({ membershipId: membership.id }))).toMatchObject({ ok: true });

    expect(await exportStatus(sid)).toBe(401);
    const after = await db().user.findUniqueOrThrow({ where: { id: t.users.MANAGER }, omit: { totpSecret: false } });
    expect(after).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    expect(await db().recoveryCode.count({ where: { userId: t.users.MANAGER } })).toBe(0);
    const reset = await db().auditEvent.findFirst({
      where: { practiceId: t.practiceId, action: "user.reset_second_factor", entityId: String(t.users.MANAGER) },
    });
    expect(reset?.userId).toBe(t.users.ADMIN);
    const fresh = await signIn(t.users.MANAGER);
    expect(await runAsSession(fresh, () => currentSession())).toMatchObject({ status: "second-factor", step: "enrol" });
  });

  it("a practice can require the second factor of every role", async () => {
    const other = await createTestPractice("second-factor-all");
    const practice = await db().practice.findUniqueOrThrow({ where: { id: other.practiceId } });
    const before = await signIn(other.users.BILLER);
    expect((await runAsSession(before, () => currentSession())).status).toBe("signed-in");
    const saved = await runAsUser(other.users.ADMIN, () =>
      updateSettingsAction({
        name: practice.name,
        medicareLocality: practice.medicareLocality,
        timeZone: practice.timeZone,
        secondFactorFor: "everyone",
      }),
    );
    expect(saved.ok).toBe(true);
    // on their next request the biller, already signed in, is sent to enrolment
    expect(await runAsSession(before, () => currentSession())).toMatchObject({ status: "second-factor", step: "enrol" });
    expect(await exportStatus(before)).toBe(401);
  });

  it("the second factor's routes answer 401 without a session", async () => {
    for (const route of [verifyRoute, enrolRoute]) {
      const res = await runAsUser(0, () => route(new Request("http://localhost/x", { method: "POST", body: "{}" })));
      expect(res.status).toBe(401);
    }
    expect((await post(verifyRoute, "never-issued", { code: "123456" })).status).toBe(401);
  });
});
