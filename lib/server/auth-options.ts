// next-auth (v4) with email + password. Sessions are JWTs carrying only the user id: the
// role and practice are read from the database on every request, so deactivating a user
// or changing a role takes effect on their next request.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { audit } from "./audit";
import { safeReturnPath } from "@/lib/schemas/sign-in";
import { addressFromHeaders } from "./client-address";
import { db } from "./db";
import { decoyHash, verifyPassword } from "./password";
import { beforePasswordCheck, signInFailed, signInSucceeded, TooManyAttempts } from "./sign-in-throttle";

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
  const user = await db().user.findUnique({
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
  if (practiceId) await audit(db(), { practiceId, userId: user.id }, { action: "auth.sign_in", entityType: "User", entityId: user.id });
  return { id: String(user.id), email: user.email, name: user.name };
}

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
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
        const u = new URL(url, baseUrl);
        path = u.origin === new URL(baseUrl).origin ? safeReturnPath(`${u.pathname}${u.search}${u.hash}`) : null;
      } catch {
        path = null;
      }
      return `${baseUrl}${path ?? "/"}`;
    },
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
