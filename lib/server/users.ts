// Users of a practice with a password set here (the operator's command line, the seed, tests),
// and the one check of a new password. Kept apart from practices.ts: the password rule loads
// zxcvbn's dictionaries (about 30 MB of memory), which a process that only looks a practice up
// (the command-line import of an 835, the exports) has no use for.
import type { z } from "zod";
import type { createUserSchema } from "@/lib/schemas/admin";
import { passwordProblem } from "@/lib/schemas/password";
import { audit } from "./core/audit";
import { db } from "./core/db";
import { InvalidInput } from "./core/errors";
import { hashPassword } from "./core/password";

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
