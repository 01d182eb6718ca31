// next-auth (v4) with email + password. Sessions are JWTs carrying only the user id: the
// role and practice are read from the database on every request, so deactivating a user
// or changing a role takes effect on their next request.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { audit } from "./audit";
import { unscopedDb } from "./db-client";
import { withPracticeScope } from "./scope";
import { decoyHash, verifyPassword } from "./password";
import { db } from "./db";
import { allowAttempt, clearAttempts, MAX_ATTEMPTS_PER_ACCOUNT, MAX_ATTEMPTS_PER_ADDRESS, refundAttempt } from "./rate-limit";

const credentialsSchema = z.object({
  email: z
    .email()
    .max(200)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(200),
});

export class TooManyAttempts extends Error {
  constructor() {
    super("Too many sign-in attempts. Wait 15 minutes and try again.");
  }
}

function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  return first || "local";
}

/** Checks an email and password; null when they do not match an active user. */
export async function authenticate(input: unknown, address = "local"): Promise<{ id: string; email: string; name: string } | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const [accountOk, addressOk] = await Promise.all([
    allowAttempt(`email:${email}`, MAX_ATTEMPTS_PER_ACCOUNT),
    allowAttempt(`addr:${address}`, MAX_ATTEMPTS_PER_ADDRESS),
  ]);
  if (!accountOk || !addressOk) throw new TooManyAttempts();
  const user = await unscopedDb().user.findUnique({
    where: { email },
    omit: { passwordHash: false },
    include: { memberships: { where: { active: true }, select: { practiceId: true } } },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !ok || !user.active || user.memberships.length === 0) return null;
  await clearAttempts(`email:${email}`);
  await refundAttempt(`addr:${address}`);
  const practiceId = user.memberships[0]?.practiceId;
  // signing in opens the scope of the user's first practice, in which the event is written
  if (practiceId)
    await withPracticeScope(practiceId, () =>
      audit(db(), { practiceId, userId: user.id }, { action: "auth.sign_in", entityType: "User", entityId: user.id }),
    );
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
          return await authenticate(credentials, clientAddress(req?.headers as Record<string, unknown>));
        } catch (error) {
          if (error instanceof TooManyAttempts) throw new Error("rate_limited");
          throw error;
        }
      },
    }),
  ],
  callbacks: {
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
