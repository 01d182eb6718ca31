// Sessions end on the server: sign-out, the idle limit (a practice setting, 30 minutes by
// default), the absolute lifetime and an admin ending them refuse the session's cookie on
// every page, action and route. Time is moved with a fake clock rather than waited for.
import type { JWT } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setActiveAction, endSessionsAction } from "@/app/(app)/admin/actions";
import { GET as exportRoute } from "@/app/api/exports/[kind]/route";
import { saveUsedElsewhereAction } from "@/app/(app)/kx/actions";
import { authOptions } from "./auth-options";
import { runAsSession, runAsUser } from "./context";
import { disconnectDb } from "./db";
import { pageContext } from "./guard";
import { ABSOLUTE_LIFETIME_MS } from "./sessions";
import { createTestPractice, db, type TestPractice } from "../testing";

const MINUTE = 60_000;
const T0 = new Date("2026-12-07T14:00:00.000Z");

function at(ms: number) {
  vi.setSystemTime(new Date(T0.getTime() + ms));
}

/** What next-auth does at sign-in: the jwt callback with the signed-in user. */
async function signIn(userId: number): Promise<JWT> {
  const jwt = authOptions.callbacks!.jwt!;
  return (await jwt({ token: { sub: String(userId) }, user: { id: String(userId) } } as Parameters<typeof jwt>[0])) as JWT;
}

/** What /api/auth/session answers for the cookie: the session's end, or no session (the callback throws). */
async function sessionEndpoint(token: JWT): Promise<string | null> {
  const jwt = authOptions.callbacks!.jwt!;
  const session = authOptions.callbacks!.session!;
  try {
    const refreshed = (await jwt({ token } as Parameters<typeof jwt>[0])) as JWT;
    const body = await session({ session: { user: {}, expires: "" }, token: refreshed } as unknown as Parameters<typeof session>[0]);
    return (body as { expires: string }).expires;
  } catch {
    return null;
  }
}

/** The export route, as the holder of the session's cookie. */
async function exportStatus(sid: string): Promise<number> {
  const res = await runAsSession(sid, () =>
    exportRoute(new Request("http://localhost/api/exports/visits"), { params: Promise.resolve({ kind: "visits" }) }),
  );
  return res.status;
}

/** A page: its context, or where it redirects. */
async function pageAnswer(sid: string): Promise<string> {
  try {
    const ctx = await runAsSession(sid, () => pageContext("kx.read"));
    return `page for user ${ctx.userId}`;
  } catch (e) {
    const digest = String((e as { digest?: string }).digest ?? e);
    return digest.includes("/signin") ? "redirect to /signin" : digest;
  }
}

describe("server-side sessions", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("sessions");
  }, 180_000);
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(() => disconnectDb());

  it("after sign-out a replayed session cookie is refused by a page, an action and the export route", async () => {
    const token = await signIn(t.users.BILLER);
    const sid = token.sid as string;
    expect(await exportStatus(sid)).toBe(200);
    expect(await pageAnswer(sid)).toBe(`page for user ${t.users.BILLER}`);
    // signed in, the action gets as far as checking its input (400), not 401
    expect((await runAsSession(sid, () => saveUsedElsewhereAction({} as never))) as { status?: number }).toMatchObject({ status: 400 });
    expect(await sessionEndpoint(token)).not.toBeNull();

    await authOptions.events!.signOut!({ token, session: undefined as never });

    expect(await exportStatus(sid)).toBe(401);
    expect(await pageAnswer(sid)).toBe("redirect to /signin");
    expect(await runAsSession(sid, () => saveUsedElsewhereAction({} as never))).toMatchObject({ ok: false, status: 401 });
    expect(await sessionEndpoint(token)).toBeNull();
    const row = await db().userSession.findUniqueOrThrow({ where: { id: sid } });
    expect(row.revokedAt).not.toBeNull();
  });

  it("ends a session after 30 idle minutes; each request restarts the count", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const sid = (await signIn(t.users.OWNER)).sid as string;
    at(29 * MINUTE);
    expect(await exportStatus(sid)).toBe(200); // 29 idle minutes: still on, and now active at 0:29
    at(58 * MINUTE);
    expect(await exportStatus(sid)).toBe(200); // 29 minutes after 0:29; active again at 0:58
    at(58 * MINUTE + 30 * MINUTE + 1_000);
    expect(await exportStatus(sid)).toBe(401); // 30 minutes and 1 second after 0:58
    // the failed request did not revive it
    at(58 * MINUTE + 30 * MINUTE + 2_000);
    expect(await exportStatus(sid)).toBe(401);
  });

  it("takes the idle limit from the practice's setting, which the admin edits", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const practice = await db().practice.findUniqueOrThrow({ where: { id: t.practiceId } });
    const { updateSettingsAction } = await import("@/app/(app)/admin/actions");
    const saved = await runAsUser(t.users.ADMIN, () =>
      updateSettingsAction({
        name: practice.name,
        medicareLocality: practice.medicareLocality,
        timeZone: practice.timeZone,
        sessionIdleMinutes: "10",
      }),
    );
    expect(saved.ok).toBe(true);
    try {
      const sid = (await signIn(t.users.OWNER)).sid as string;
      at(9 * MINUTE);
      expect(await exportStatus(sid)).toBe(200);
      at(9 * MINUTE + 10 * MINUTE + 1_000); // 10 minutes and 1 second after the request at 0:09
      expect(await exportStatus(sid)).toBe(401);
    } finally {
      await db().practice.update({ where: { id: t.practiceId }, data: { sessionIdleMinutes: 30 } });
    }
  });

  it("ends even a busy session 12 hours after sign-in", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const sid = (await signIn(t.users.OWNER)).sid as string;
    // a request every 20 minutes for 11 h 40 min: never idle for 30 minutes
    for (let m = 20; m <= 11 * 60 + 40; m += 20) {
      at(m * MINUTE);
      expect(await exportStatus(sid), `at ${m} minutes`).toBe(200);
    }
    at(12 * 60 * MINUTE - 1_000);
    expect(await exportStatus(sid)).toBe(200); // 11:59:59, 19 minutes after 11:40
    at(12 * 60 * MINUTE + 1_000);
    expect(await exportStatus(sid)).toBe(401); // 12:00:01, 1 minute after the last request
  });

  it("/api/auth/session does not extend the session past its idle or absolute end", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const token = await signIn(t.users.OWNER);
    const idleEnd = new Date(T0.getTime() + 30 * MINUTE).toISOString();
    // asked at 0:10 and 0:20 (no page, action or route in between): the end stays at 0:30
    at(10 * MINUTE);
    expect(await sessionEndpoint(token)).toBe(idleEnd);
    at(20 * MINUTE);
    expect(await sessionEndpoint(token)).toBe(idleEnd);
    at(30 * MINUTE + 1_000);
    expect(await sessionEndpoint(token)).toBeNull();
    expect(await exportStatus(token.sid as string)).toBe(401);

    // a busy session: the end follows activity but never passes sign-in + 12 h
    at(0);
    const busy = await signIn(t.users.OWNER);
    for (let m = 20; m <= 11 * 60 + 40; m += 20) {
      at(m * MINUTE);
      expect(await exportStatus(busy.sid as string)).toBe(200);
    }
    at(11 * 60 * MINUTE + 50 * MINUTE);
    // 11:40 + 30 min would be 12:10: capped at 12:00, sign-in + 12 h
    expect(await sessionEndpoint(busy)).toBe(new Date(T0.getTime() + ABSOLUTE_LIFETIME_MS).toISOString());
    expect(ABSOLUTE_LIFETIME_MS).toBe(12 * 60 * MINUTE);
    // the re-issued cookie's JWT expires then too, not 12 h after this call
    const encoded = await authOptions.jwt!.encode!({
      token: busy,
      secret: process.env.NEXTAUTH_SECRET ?? "test-secret",
      maxAge: 12 * 60 * 60,
    });
    const decoded = await authOptions.jwt!.decode!({ token: encoded, secret: process.env.NEXTAUTH_SECRET ?? "test-secret" });
    expect(Number(decoded?.exp) * 1000).toBe(T0.getTime() + ABSOLUTE_LIFETIME_MS); // 10 minutes left → exp = 12:00
    at(12 * 60 * MINUTE + 1_000);
    expect(await sessionEndpoint(busy)).toBeNull();
  });

  it("an admin ends a user's sessions, and deactivating a user ends them too; both audited", async () => {
    const first = (await signIn(t.users.BILLER)).sid as string;
    const second = (await signIn(t.users.BILLER)).sid as string;
    expect(await exportStatus(first)).toBe(200);
    const membership = await db().membership.findFirstOrThrow({ where: { practiceId: t.practiceId, userId: t.users.BILLER } });
    const ended = await runAsUser(t.users.ADMIN, () => endSessionsAction({ membershipId: membership.id }));
    expect(ended).toMatchObject({ ok: true });
    expect((ended as { data: { ended: number } }).data.ended).toBeGreaterThanOrEqual(2);
    expect(await exportStatus(first)).toBe(401);
    expect(await exportStatus(second)).toBe(401);
    const audited = await db().auditEvent.findFirst({
      where: { practiceId: t.practiceId, action: "user.end_sessions", entityId: String(t.users.BILLER) },
    });
    expect(audited?.userId).toBe(t.users.ADMIN);

    const third = (await signIn(t.users.BILLER)).sid as string;
    expect(await exportStatus(third)).toBe(200);
    expect(await runAsUser(t.users.ADMIN, () => setActiveAction({ membershipId: membership.id, active: false }))).toMatchObject({
      ok: true,
    });
    await db().membership.update({ where: { id: membership.id }, data: { active: true } });
    // reactivated, the old session stays ended: the user signs in again
    expect(await exportStatus(third)).toBe(401);
    expect((await db().userSession.findUniqueOrThrow({ where: { id: third } })).revokedAt).not.toBeNull();
  });

  it("refuses a session id that was never issued", async () => {
    expect(await exportStatus("not-a-session")).toBe(401);
    expect(await sessionEndpoint({ sub: String(t.users.OWNER) } as JWT)).toBeNull(); // a cookie from before server sessions
  });
});
