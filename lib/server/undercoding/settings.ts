// The practice's undercoding option (docs/undercoding.md "Ambiguous notes"): with it on, the notes the
// reader finds ambiguous are set apart as possible loss and never counted in the loss figure.
import { audit } from "../core/audit";
import type { PracticeContext } from "../core/context";
import { allowLongStatements, db } from "../core/db";
import { recomputeDerived } from "../derived";

/**
 * Turns the option on or off (audited). Every line's candidate columns are computed with it, so all the
 * practice's visits are recomputed in the same transaction (as a change of Medicare locality does); the
 * weekly figures follow from the lines.
 */
export async function setReviewAmbiguousNotes(ctx: PracticeContext, on: boolean): Promise<{ changed: boolean; recomputed: number }> {
  return db().$transaction(
    async (tx) => {
      const practice = await tx.practice.findUniqueOrThrow({ where: { id: ctx.practiceId }, select: { reviewAmbiguousNotes: true } });
      if (practice.reviewAmbiguousNotes === on) return { changed: false, recomputed: 0 };
      await allowLongStatements(tx);
      await tx.practice.update({ where: { id: ctx.practiceId }, data: { reviewAmbiguousNotes: on } });
      const recomputed = (await recomputeDerived(tx, ctx.practiceId, { payers: "all" })).visitsOfPayers;
      await audit(tx, ctx, {
        action: "practice.update_undercoding_option",
        entityType: "Practice",
        entityId: ctx.practiceId,
        details: { from: { reviewAmbiguousNotes: practice.reviewAmbiguousNotes }, to: { reviewAmbiguousNotes: on }, recomputed },
      });
      return { changed: true, recomputed };
    },
    { timeout: 5 * 60_000 },
  );
}
