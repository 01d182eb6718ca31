// The practice's NCCI pair table (DOMAIN.md §6: the pair table is data). A change re-checks the
// claims of the visits that bill either code (the derived-figures pipeline), in its transaction.
import type { z } from "zod";
import type { ncciPairSchema } from "@/lib/schemas/reference";
import { type Actor, audit } from "../core/audit";
import { db } from "../core/db";
import { recomputeDerived } from "../derived";
import { InvalidInput, NotFound } from "../core/errors";
import { DEFAULT_NCCI_PAIR_ROWS } from "./load";

export function listNcciPairs(practiceId: number) {
  return db().ncciPair.findMany({ where: { practiceId }, orderBy: [{ column1: "asc" }, { column2: "asc" }] });
}

export async function addNcciPair(actor: Actor, input: z.output<typeof ncciPairSchema>) {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const exists = await tx.ncciPair.findUnique({
      where: { practiceId_column1_column2: { practiceId, column1: input.column1, column2: input.column2 } },
    });
    if (exists)
      throw new InvalidInput("That pair is already in the table", {
        column2: [`${input.column1} with ${input.column2} is already in the table`],
      });
    const pair = await tx.ncciPair.create({ data: { practiceId, ...input } });
    await recomputeDerived(tx, practiceId, { checkCodes: [pair.column1, pair.column2] });
    await audit(tx, actor, {
      action: "ncci.add",
      entityType: "NcciPair",
      entityId: pair.id,
      details: { column1: pair.column1, column2: pair.column2 },
    });
    return pair;
  });
}

export async function removeNcciPair(actor: Actor, id: number) {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const pair = await tx.ncciPair.findFirst({ where: { id, practiceId } });
    if (!pair) throw new NotFound("No such pair");
    await tx.ncciPair.delete({ where: { id } });
    await recomputeDerived(tx, practiceId, { checkCodes: [pair.column1, pair.column2] });
    await audit(tx, actor, {
      action: "ncci.remove",
      entityType: "NcciPair",
      entityId: id,
      details: { column1: pair.column1, column2: pair.column2, note: pair.note },
    });
    return { id };
  });
}

/** Adds back the pairs the rule book names (those already present are kept as they are). */
export async function addDefaultNcciPairs(actor: Actor): Promise<{ added: number }> {
  const { practiceId } = actor;
  return db().$transaction(async (tx) => {
    const { count } = await tx.ncciPair.createMany({
      data: DEFAULT_NCCI_PAIR_ROWS.map((p) => ({ practiceId, ...p })),
      skipDuplicates: true,
    });
    if (count > 0)
      await recomputeDerived(tx, practiceId, { checkCodes: [...new Set(DEFAULT_NCCI_PAIR_ROWS.flatMap((p) => [p.column1, p.column2]))] });
    await audit(tx, actor, { action: "ncci.add_defaults", entityType: "NcciPair", details: { added: count } });
    return { added: count };
  });
}
