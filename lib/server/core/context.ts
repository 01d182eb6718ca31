// Who is asking, in which practice, with which role: resolved from the database on
// every request (never from client input alone).
import { AsyncLocalStorage } from "node:async_hooks";
import { cache } from "react";
import { Prisma, type Role } from "@/lib/generated/prisma/client";
import { unscopedDb } from "./db-client";
import type { RoleName } from "./permissions";
import { setRequestScope } from "./scope";
import { mustHaveSecondFactor } from "./second-factor-policy";
import { decodeSessionToken } from "./session-token";
import { type LiveSession, liveSessionOf, liveSessionSql } from "./sessions";

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

/** The session id in the request's next-auth cookie, or null (no cookie, forged, expired). */
async function sessionCookie(): Promise<{ sessionId: string; practiceSlug?: string } | null> {
  const { cookies } = await import("next/headers");
  const jar = await cookies();
  const raw = jar.get("__Secure-next-auth.session-token")?.value ?? jar.get("next-auth.session-token")?.value;
  const secret = process.env.NEXTAUTH_SECRET;
  if (!raw || !secret) return null;
  const token = await decodeSessionToken(raw, secret);
  if (typeof token?.sid !== "string") return null;
  return { sessionId: token.sid, practiceSlug: jar.get("practice")?.value };
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

// The user with each active membership and its practice (oldest membership first): the sign-in
// lookup alone (loadContext), or with the session check in one statement (every request).
const CONTEXT_COLUMNS = Prisma.sql`u.id as "userId", u.email, u.name as "userName", u.active, u."totpEnabledAt" is not null as "totpEnabled",
           m."practiceId", m.name as "membershipName", m.role::text as role,
           p.slug, p.name as "practiceName", p."timeZone", p."medicareLocality", p."alertLevelCents", p."requireSecondFactor"`;
const CONTEXT_JOINS = Prisma.sql`left join "Membership" m on m."userId" = u.id and m.active
    left join "Practice" p on p.id = m."practiceId"`;

/**
 * The sign-in lookup: a user's memberships in every practice, before any practice scope. One
 * statement (the user with each active membership and its practice, oldest membership first).
 */
export async function loadContext(userId: number, practiceSlug?: string): Promise<PracticeContext | null> {
  const rows = await unscopedDb().$queryRaw<ContextRow[]>`
    select ${CONTEXT_COLUMNS}
    from "User" u
    ${CONTEXT_JOINS}
    where u.id = ${userId}
    order by m.id`;
  return contextOf(rows, practiceSlug);
}

type SessionContextRow = ContextRow & {
  sessionId: string;
  sessionUserId: number;
  sessionCreatedAt: Date;
  sessionLastSeenAt: Date;
  sessionSecondFactorAt: Date | null;
  sessionIdleMinutes: number;
};

/**
 * The session check (sessions.ts: revoked, idle or too old sessions end here; the request counts
 * as activity) and the context of the session's user, in one statement: every request runs it.
 * Null session: no live session. Null context: the user is inactive or in no practice.
 */
async function loadSessionContext(
  sessionId: string,
  practiceSlug?: string,
): Promise<{ session: LiveSession | null; ctx: PracticeContext | null }> {
  if (!sessionId || sessionId.length > 100) return { session: null, ctx: null };
  const now = new Date();
  const rows = await unscopedDb().$queryRaw<SessionContextRow[]>`
    ${liveSessionSql(sessionId, { touch: true, now })}
    select valid.id as "sessionId", valid."userId" as "sessionUserId", valid."createdAt" as "sessionCreatedAt",
           valid."lastSeenAt" as "sessionLastSeenAt", valid."secondFactorAt" as "sessionSecondFactorAt",
           valid."idleMinutes" as "sessionIdleMinutes", ${CONTEXT_COLUMNS}
    from valid
    join "User" u on u.id = valid."userId"
    ${CONTEXT_JOINS}
    order by m.id`;
  const first = rows[0];
  if (!first) return { session: null, ctx: null };
  const session = liveSessionOf(
    {
      id: first.sessionId,
      userId: first.sessionUserId,
      createdAt: first.sessionCreatedAt,
      lastSeenAt: first.sessionLastSeenAt,
      secondFactorAt: first.sessionSecondFactorAt,
      idleMinutes: first.sessionIdleMinutes,
    },
    { touch: true, now },
  );
  return { session, ctx: contextOf(rows, practiceSlug) };
}

/** A user's context from their rows (the user with each active membership), or null. */
function contextOf(rows: ContextRow[], practiceSlug?: string): PracticeContext | null {
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
  const cookie = override ? { sessionId: override.sessionId, practiceSlug: override.practiceSlug } : await sessionCookie();
  if (!cookie) return SIGNED_OUT;
  const { session, ctx } = await loadSessionContext(cookie.sessionId, cookie.practiceSlug);
  if (!session || !ctx) return SIGNED_OUT;
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
