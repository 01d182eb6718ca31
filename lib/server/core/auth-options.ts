// next-auth (v4) with email + password. The session cookie is a JWT carrying the user id
// and the id of a server-side session (lib/server/core/sessions.ts): the guard checks that
// session, the role and the practice in the database on every request, so signing out,
// an idle or absolute limit, deactivating a user or changing a role takes effect on their
// next request. The second factor is asked for after the password (lib/server/core/context.ts).
import type { NextAuthOptions } from "next-auth";
import { decode as decodeJwt, encode as encodeJwt, type JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { audit } from "./audit";
import { safeReturnPath } from "@/lib/schemas/sign-in";
import { addressFromHeaders } from "./client-address";
import { db } from "./db";
import { unscopedDb } from "./db-client";
import { decoyHash, verifyPassword } from "./password";
import { ABSOLUTE_LIFETIME_MS, checkSession, createSession, revokeSession } from "./sessions";
import { beforePasswordCheck, signInFailed, signInSucceeded, TooManyAttempts } from "./sign-in-throttle";

import { withPracticeScope } from "./scope";

export { TooManyAttempts };

const credentialsSchema = z.object({
  email: z
    .email()
    .max(200)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(200),
});

/** Checks an email and password; null when they do not match an active user. */
export async function authenticate(input: unknown, address = "local"): Promise<{ id: string; email: string; name: string } | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) {
    const tried = String((input as { email?: unknown } | null)?.email ?? "")
      .slice(0, 200)
      .toLowerCase();
    await beforePasswordCheck(tried, address);
    await signInFailed(tried, address, "invalid_input");
    return null;
  }
  const { email, password } = parsed.data;
  await beforePasswordCheck(email, address);
  const user = await unscopedDb().user.findUnique({
    where: { email },
    omit: { passwordHash: false },
    include: { memberships: { where: { active: true }, select: { practiceId: true } } },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !ok || !user.active || user.memberships.length === 0) {
    await signInFailed(email, address, !user ? "unknown_account" : !ok ? "wrong_password" : "inactive_account");
    return null;
  }
  await signInSucceeded(email, address);
  const practiceId = user.memberships[0]?.practiceId;
  // signing in opens the scope of the user's first practice, in which the event is written
  if (practiceId)
    await withPracticeScope(practiceId, () =>
      audit(db(), { practiceId, userId: user.id }, { action: "auth.sign_in", entityType: "User", entityId: user.id }),
    );
  return { id: String(user.id), email: user.email, name: user.name };
}

/** Thrown by the jwt callback for a cookie whose server session has ended: next-auth then answers no session and clears the cookie. */
class SessionEnded extends Error {
  constructor() {
    super("session ended");
  }
}

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  // the cookie's own lifetime; the server session's idle and absolute limits are what count
  session: { strategy: "jwt", maxAge: ABSOLUTE_LIFETIME_MS / 1000 },
  jwt: {
    // the JWT itself expires no later than the session's absolute end, however often it is re-issued
    async encode(params) {
      const end = Number((params.token as JWT | undefined)?.absoluteEnd);
      const left = Number.isFinite(end) ? Math.floor((end - Date.now()) / 1000) : undefined;
      const maxAge = left === undefined ? params.maxAge : Math.max(1, Math.min(params.maxAge ?? left, left));
      return encodeJwt({ ...params, maxAge });
    },
    decode: decodeJwt,
  },
  logger: {
    error(code, metadata) {
      // a replayed or expired cookie is an expected answer, not a server error
      if (code === "JWT_SESSION_ERROR" && metadata instanceof SessionEnded) return;
      console.error(`[next-auth][error][${code}]`, metadata instanceof Error ? metadata.message : metadata);
    },
    warn(code) {
      console.warn(`[next-auth][warn][${code}]`);
    },
    debug() {},
  },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          return await authenticate(credentials, addressFromHeaders(req?.headers as Record<string, unknown>));
        } catch (error) {
          if (error instanceof TooManyAttempts) throw new Error(`rate_limited:${error.retryAfterSeconds}`);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    // only a path on this site is followed after sign-in or sign-out; anything else goes home ("/", the role's page)
    redirect({ url, baseUrl }) {
      let path: string | null = null;
      try {
        const target = new URL(url, baseUrl);
        path = target.origin === new URL(baseUrl).origin ? safeReturnPath(`${target.pathname}${target.search}${target.hash}`) : null;
      } catch {
        path = null;
      }
      return `${baseUrl}${path ?? "/"}`;
    },
    async jwt({ token, user }) {
      if (user) {
        const session = await createSession(Number(user.id));
        return {
          ...token,
          sub: user.id,
          sid: session.id,
          absoluteEnd: session.createdAt.getTime() + ABSOLUTE_LIFETIME_MS,
          endsAt: session.endsAt.getTime(),
        };
      }
      // /api/auth/session: answers only while the server session lives, and does not count as
      // activity (the browser may poll it), so it never moves the idle or absolute end
      const session = typeof token.sid === "string" ? await checkSession(token.sid, { touch: false }) : null;
      if (!session) throw new SessionEnded();
      return { ...token, endsAt: session.endsAt.getTime() };
    },
    session({ session, token }) {
      if (session.user) (session.user as { id?: string }).id = token.sub;
      // the real end of the session (idle or absolute limit), not the cookie's lifetime
      const endsAt = Number(token.endsAt);
      return Number.isFinite(endsAt) ? { ...session, expires: new Date(endsAt).toISOString() } : session;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(token.sid);
    },
  },
};
