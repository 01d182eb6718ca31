// Creating and finding practices (command line and admin pages share this code). A practice is
// created before any scope of it exists, so by the unscoped client, whose transaction then sets
// the new practice for row-level security. Users are added in users.ts: the password rule's
// dictionaries (tens of MB) stay out of every process that only looks a practice up, such as
// the command-line import of a large 835.
import type { z } from "zod";
import type { createPracticeSchema } from "@/lib/schemas/admin";
import { audit } from "./core/audit";
import { unscopedDb } from "./core/db-client";
import { InvalidInput } from "./core/errors";
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
