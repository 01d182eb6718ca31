// Who is asking, in which practice, with which role: resolved from the database on
// every request (never from client input alone).
import { AsyncLocalStorage } from "node:async_hooks";
import { cache } from "react";
import type { Role } from "@/lib/generated/prisma/client";
import { db } from "./db";
import type { RoleName } from "./permissions";

export interface PracticeContext {
  userId: number;
  userName: string;
  userEmail: string;
  role: RoleName;
  practiceId: number;
  practice: { id: number; slug: string; name: string; timeZone: string; medicareLocality: string; alertLevelCents: number };
  memberships: { practiceId: number; slug: string; name: string; role: Role }[];
}

/** For the command line and for tests: run code as a given user (the same checks apply). */
const asUser = new AsyncLocalStorage<{ userId: number; practiceSlug?: string }>();
export function runAsUser<T>(userId: number, fn: () => Promise<T>, practiceSlug?: string): Promise<T> {
  return asUser.run({ userId, practiceSlug }, fn);
}

async function sessionUser(): Promise<{ userId: number; practiceSlug?: string } | null> {
  const override = asUser.getStore();
  if (override) return override;
  const [{ getServerSession }, { authOptions }, { cookies }] = await Promise.all([
    import("next-auth"),
    import("./auth-options"),
    import("next/headers"),
  ]);
  const session = await getServerSession(authOptions);
  const id = Number((session?.user as { id?: string } | undefined)?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  const slug = (await cookies()).get("practice")?.value;
  return { userId: id, practiceSlug: slug };
}

export async function loadContext(userId: number, practiceSlug?: string): Promise<PracticeContext | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    include: { memberships: { where: { active: true }, include: { practice: true }, orderBy: { id: "asc" } } },
  });
  if (!user?.active || user.memberships.length === 0) return null;
  const membership = user.memberships.find((m) => m.practice.slug === practiceSlug) ?? user.memberships[0];
  if (!membership) return null;
  const p = membership.practice;
  return {
    userId: user.id,
    // the name this practice knows (a person in two practices may be named differently in each)
    userName: membership.name ?? user.name,
    userEmail: user.email,
    role: membership.role,
    practiceId: p.id,
    practice: {
      id: p.id,
      slug: p.slug,
      name: p.name,
      timeZone: p.timeZone,
      medicareLocality: p.medicareLocality,
      alertLevelCents: p.alertLevelCents,
    },
    memberships: user.memberships.map((m) => ({ practiceId: m.practiceId, slug: m.practice.slug, name: m.practice.name, role: m.role })),
  };
}

/** The signed-in user's context, once per request. */
export const currentContext = cache(async (): Promise<PracticeContext | null> => {
  const who = await sessionUser();
  if (!who) return null;
  return loadContext(who.userId, who.practiceSlug);
});
