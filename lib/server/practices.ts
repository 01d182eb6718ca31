// Creating practices and users (command line and admin pages share this code). A practice is
// created before any scope of it exists, so by the unscoped client, whose transaction then sets
// the new practice for row-level security; users are added inside the practice's scope.
import type { z } from "zod";
import type { createPracticeSchema, createUserSchema } from "@/lib/schemas/admin";
import { audit } from "./core/audit";
import { db } from "./core/db";
import { unscopedDb } from "./core/db-client";
import { InvalidInput } from "./core/errors";
import { passwordProblem } from "@/lib/schemas/password";
import { hashPassword } from "./core/password";
import { loadShippedReferenceData } from "./reference/load";
import { setTransactionPractice } from "./core/scope";

export async function createPractice(input: z.output<typeof createPracticeSchema>) {
  const exists = await unscopedDb().practice.findUnique({ where: { slug: input.slug } });
  if (exists) throw new InvalidInput(`a practice with slug "${input.slug}" already exists`, { slug: ["already taken"] });
  return unscopedDb().$transaction(
    async (tx) => {
      const practice = await tx.practice.create({
        data: {
          slug: input.slug,
          name: input.name,
          medicareLocality: input.medicareLocality,
          timeZone: input.timeZone,
          alertLevelCents: input.alertLevelDollars == null ? 200000 : Math.round(input.alertLevelDollars * 100),
        },
      });
      await setTransactionPractice(tx, practice.id);
      await loadShippedReferenceData(tx, practice.id);
      await audit(
        tx,
        { practiceId: practice.id, userId: null },
        { action: "practice.create", entityType: "Practice", entityId: practice.id },
      );
      return practice;
    },
    { timeout: 60_000 },
  );
}

/** Checks a new password against the one rule (lib/schemas/password.ts), then hashes it. */
export async function hashNewPassword(password: string, context: string[]): Promise<string> {
  const problem = passwordProblem(password, context);
  if (problem) throw new InvalidInput(problem, { password: [problem] });
  return hashPassword(password);
}

/** A user and their membership at once: the operator's command line, the seed and tests (an admin invites instead). */
export async function createUser(practiceId: number, input: z.output<typeof createUserSchema>, actorUserId: number | null = null) {
  const passwordHash = await hashNewPassword(input.password, [input.email, input.name ?? ""]);
  return db().$transaction(async (tx) => {
    const user = await tx.user.upsert({
      where: { email: input.email },
      create: { email: input.email, name: input.name ?? input.email.split("@")[0] ?? input.email, passwordHash },
      update: {},
    });
    const existing = await tx.membership.findUnique({ where: { practiceId_userId: { practiceId, userId: user.id } } });
    if (existing) throw new InvalidInput(`${input.email} is already a member of this practice`, { email: ["already a member"] });
    await tx.membership.create({ data: { practiceId, userId: user.id, role: input.role } });
    await audit(
      tx,
      { practiceId, userId: actorUserId },
      { action: "user.create", entityType: "User", entityId: user.id, details: { role: input.role } },
    );
    return user;
  });
}

/** A practice by its slug (the demo seed's "already there?"), before its scope is entered. */
export function findPracticeBySlug(slug: string) {
  return unscopedDb().practice.findUnique({ where: { slug } });
}

/** The command line's practice (--practice, or the only one), before its scope is entered. */
export async function practiceBySlugOrOnly(slug: string | undefined) {
  if (slug) {
    const practice = await unscopedDb().practice.findUnique({ where: { slug } });
    if (!practice) throw new InvalidInput(`no practice with slug "${slug}"`);
    return practice;
  }
  const all = await unscopedDb().practice.findMany({ take: 2, orderBy: { id: "asc" } });
  if (all.length === 0) throw new InvalidInput("there is no practice yet: run admin create-practice first");
  if (all.length > 1) throw new InvalidInput("there are several practices: name one with --practice <slug>");
  return all[0]!;
}
