// Who is asking, in which practice, with which role: resolved from the database on
// every request (never from client input alone).
import { AsyncLocalStorage } from "node:async_hooks";
import { cache } from "react";
import type { Role } from "@/lib/generated/prisma/client";
import { unscopedDb } from "./db-client";
import type { RoleName } from "./permissions";
import { setRequestScope } from "./scope";
import { mustHaveSecondFactor } from "./second-factor-policy";
import { decodeSessionToken } from "./session-token";
import { checkSession } from "./sessions";

export interface PracticeContext {
  userId: number;
  userName: string;
  userEmail: string;
  role: RoleName;
  practiceId: number;
  practice: { id: number; slug: string; name: string; timeZone: string; medicareLocality: string; alertLevelCents: number };
  memberships: { practiceId: number; slug: string; name: string; role: Role }[];
  /** enrolled: the user has a second factor; required: their role or practice demands one */
  secondFactor: { enrolled: boolean; required: boolean };
}

/**
 * For the command line and for tests: run code as a given user, as one signed in with both
 * factors (the role, membership and permission checks apply; there is no session to check).
 */
const asUser = new AsyncLocalStorage<
  { userId: number; practiceSlug?: string; context?: Promise<PracticeContext | null> } | { sessionId: string; practiceSlug?: string }
>();
export function runAsUser<T>(userId: number, fn: () => Promise<T>, practiceSlug?: string): Promise<T> {
  return asUser.run({ userId, practiceSlug }, async () => await fn());
}
/** For tests: run code as the holder of a session cookie with this session id (the session checks apply too). */
export function runAsSession<T>(sessionId: string, fn: () => Promise<T>, practiceSlug?: string): Promise<T> {
  return asUser.run({ sessionId, practiceSlug }, async () => await fn());
}

/** The session id and user id in the request's next-auth cookie, or null (no cookie, forged, expired). */
async function sessionCookie(): Promise<{ sessionId: string; userId: number | null; practiceSlug?: string } | null> {
  const { cookies } = await import("next/headers");
  const jar = await cookies();
  const raw = jar.get("__Secure-next-auth.session-token")?.value ?? jar.get("next-auth.session-token")?.value;
  const secret = process.env.NEXTAUTH_SECRET;
  if (!raw || !secret) return null;
  const token = await decodeSessionToken(raw, secret);
  if (typeof token?.sid !== "string") return null;
  const userId = Number(token.sub);
  return {
    sessionId: token.sid,
    userId: Number.isInteger(userId) && userId > 0 ? userId : null,
    practiceSlug: jar.get("practice")?.value,
  };
}

type ContextRow = {
  userId: number;
  email: string;
  userName: string;
  active: boolean;
  totpEnabled: boolean;
  practiceId: number | null;
  membershipName: string | null;
  role: Role | null;
  slug: string | null;
  practiceName: string | null;
  timeZone: string | null;
  medicareLocality: string | null;
  alertLevelCents: number | null;
  requireSecondFactor: boolean | null;
};

/**
 * The sign-in lookup: a user's memberships in every practice, before any practice scope. One
 * statement (the user with each active membership and its practice, oldest membership first):
 * every request runs it.
 */
export async function loadContext(userId: number, practiceSlug?: string): Promise<PracticeContext | null> {
  const rows = await unscopedDb().$queryRaw<ContextRow[]>`
    select u.id as "userId", u.email, u.name as "userName", u.active, u."totpEnabledAt" is not null as "totpEnabled",
           m."practiceId", m.name as "membershipName", m.role::text as role,
           p.slug, p.name as "practiceName", p."timeZone", p."medicareLocality", p."alertLevelCents", p."requireSecondFactor"
    from "User" u
    left join "Membership" m on m."userId" = u.id and m.active
    left join "Practice" p on p.id = m."practiceId"
    where u.id = ${userId}
    order by m.id`;
  const user = rows[0];
  const memberships = rows.filter((r) => r.practiceId !== null);
  if (!user?.active || memberships.length === 0) return null;
  const membership = memberships.find((m) => m.slug === practiceSlug) ?? memberships[0];
  if (!membership) return null;
  return {
    userId: user.userId,
    // the name this practice knows (a person in two practices may be named differently in each)
    userName: membership.membershipName ?? user.userName,
    userEmail: user.email,
    role: membership.role as Role,
    practiceId: membership.practiceId as number,
    practice: {
      id: membership.practiceId as number,
      slug: membership.slug as string,
      name: membership.practiceName as string,
      timeZone: membership.timeZone as string,
      medicareLocality: membership.medicareLocality as string,
      alertLevelCents: membership.alertLevelCents as number,
    },
    memberships: memberships.map((m) => ({
      practiceId: m.practiceId as number,
      slug: m.slug as string,
      name: m.practiceName as string,
      role: m.role as Role,
    })),
    secondFactor: {
      enrolled: user.totpEnabled,
      required: mustHaveSecondFactor(membership.role as Role, { requireSecondFactor: membership.requireSecondFactor === true }),
    },
  };
}

/**
 * Where the request stands: signed out; signed in with the password but still owing the
 * second factor (its code, or enrolment when the user must have one and has none); or
 * signed in.
 */
export type SessionState =
  | { status: "signed-out" }
  | { status: "second-factor"; step: "verify" | "enrol"; ctx: PracticeContext; sessionId: string }
  | { status: "signed-in"; ctx: PracticeContext; sessionId: string | null };

const SIGNED_OUT: SessionState = { status: "signed-out" };

/** The request's session state, once per request. */
export const currentSession = cache(async (): Promise<SessionState> => {
  const override = asUser.getStore();
  if (override && "userId" in override) {
    // once per runAsUser: outside a request React's cache() keeps nothing, and every query of a
    // server component asks for its scope (setRequestScope below)
    override.context ??= loadContext(override.userId, override.practiceSlug);
    const ctx = await override.context;
    return ctx ? { status: "signed-in", ctx, sessionId: null } : SIGNED_OUT;
  }
  const cookie = override ? { sessionId: override.sessionId, userId: null, practiceSlug: override.practiceSlug } : await sessionCookie();
  if (!cookie) return SIGNED_OUT;
  // The session check (one lookup on its primary key: revoked, idle or too old sessions end
  // here) and the user's context run side by side, as the cookie names the user too; the
  // context counts only when the session turns out to be that user's.
  const [session, named] = await Promise.all([
    checkSession(cookie.sessionId, { touch: true }),
    cookie.userId ? loadContext(cookie.userId, cookie.practiceSlug) : null,
  ]);
  if (!session) return SIGNED_OUT;
  const ctx = named && named.userId === session.userId ? named : await loadContext(session.userId, cookie.practiceSlug);
  if (!ctx) return SIGNED_OUT;
  if (!session.secondFactorAt && (ctx.secondFactor.enrolled || ctx.secondFactor.required)) {
    return { status: "second-factor", step: ctx.secondFactor.enrolled ? "verify" : "enrol", ctx, sessionId: session.id };
  }
  return { status: "signed-in", ctx, sessionId: session.id };
});

/** The signed-in user's context, once per request (null until both factors are in). */
export const currentContext = cache(async (): Promise<PracticeContext | null> => {
  const state = await currentSession();
  return state.status === "signed-in" ? state.ctx : null;
});

// A server component's queries run in the scope of its request's session: the practice of the
// same context (cached once per request) that pageContext checks.
setRequestScope(async () => (await currentContext())?.practiceId ?? null);
