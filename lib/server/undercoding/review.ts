// Confirming or dismissing an undercoding candidate, and undoing that (DOMAIN.md §4). A review
// records a person's judgement with the reason; it never changes the billed code. Each write and
// its audit entry are one transaction. A review changes its week's undercoding figures: it calls
// the derived-figures pipeline, whose last stage brings the revenue rollup up to date once the
// review has committed; otherwise the next reader of /revenue or /underpayments would recompute
// the week while answering, with every other reader of the practice waiting on that refresh
// (docs/performance.md, "The paced p99, two steps").
import type { ReviewCandidateInput, UndoReviewInput } from "@/lib/schemas/undercoding";
import { audit } from "../core/audit";
import { db } from "../core/db";
import { NotFound } from "../core/errors";
import { recomputeDerived } from "../derived";

export interface ReviewActor {
  practiceId: number;
  userId: number;
}

export interface ReviewResult {
  lineId: number;
  decision: "CONFIRMED" | "DISMISSED" | null;
}

export async function reviewCandidate(actor: ReviewActor, input: ReviewCandidateInput): Promise<ReviewResult> {
  return db().$transaction(async (tx) => {
    // another practice's line must look exactly like a missing one
    const line = await tx.serviceLine.findFirst({
      where: { id: input.lineId, practiceId: actor.practiceId, undercodingDirection: { not: null } },
      select: {
        id: true,
        cpt: true,
        undercodingDirection: true,
        undercodingGainCents: true,
        visit: { select: { patientId: true, externalId: true } },
      },
    });
    if (!line) throw new NotFound("No such undercoding candidate");
    const previous = await tx.undercodingReview.findUnique({ where: { serviceLineId: line.id } });
    await tx.undercodingReview.upsert({
      where: { serviceLineId: line.id },
      create: {
        practiceId: actor.practiceId,
        serviceLineId: line.id,
        decision: input.decision,
        reason: input.reason,
        userId: actor.userId,
      },
      update: { decision: input.decision, reason: input.reason, userId: actor.userId, createdAt: new Date() },
    });
    await audit(tx, actor, {
      action: input.decision === "CONFIRMED" ? "undercoding.confirm" : "undercoding.dismiss",
      entityType: "ServiceLine",
      entityId: line.id,
      patientId: line.visit.patientId,
      details: {
        visit: line.visit.externalId,
        cpt: line.cpt,
        direction: line.undercodingDirection,
        potentialGainCents: line.undercodingGainCents,
        reason: input.reason,
        ...(previous ? { replaced: { decision: previous.decision, reason: previous.reason, userId: previous.userId } } : {}),
      },
    });
    // the week's undercoding figures: the revenue rollup once the review has committed (stage 7)
    await recomputeDerived(tx, actor.practiceId, {});
    return { lineId: line.id, decision: input.decision };
  });
}

export async function undoReview(actor: ReviewActor, input: UndoReviewInput): Promise<ReviewResult> {
  return db().$transaction(async (tx) => {
    const review = await tx.undercodingReview.findFirst({
      where: { serviceLineId: input.lineId, practiceId: actor.practiceId },
      include: { serviceLine: { select: { cpt: true, visit: { select: { patientId: true, externalId: true } } } } },
    });
    if (!review) throw new NotFound("This line has no review to undo");
    await tx.undercodingReview.delete({ where: { id: review.id } });
    await audit(tx, actor, {
      action: "undercoding.review.undo",
      entityType: "ServiceLine",
      entityId: review.serviceLineId,
      patientId: review.serviceLine.visit.patientId,
      details: {
        visit: review.serviceLine.visit.externalId,
        cpt: review.serviceLine.cpt,
        undone: { decision: review.decision, reason: review.reason, userId: review.userId, at: review.createdAt.toISOString() },
      },
    });
    await recomputeDerived(tx, actor.practiceId, {});
    return { lineId: review.serviceLineId, decision: null };
  });
}
