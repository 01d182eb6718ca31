"use server";
import { reviewCandidateSchema, undercodingOptionSchema, undoReviewSchema } from "@/lib/schemas/undercoding";
import { guardedAction } from "@/lib/server/core/guard";
import { reviewCandidate, undoReview } from "@/lib/server/undercoding/review";
import { setReviewAmbiguousNotes } from "@/lib/server/undercoding/settings";

/** Confirm or dismiss an undercoding candidate with a reason (audited; the billed code is never changed). */
export const reviewCandidateAction = guardedAction("undercoding.review", reviewCandidateSchema, (ctx, input) =>
  reviewCandidate({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);

/** Undo a confirmation or dismissal (audited). */
export const undoReviewAction = guardedAction("undercoding.review", undoReviewSchema, (ctx, input) =>
  undoReview({ practiceId: ctx.practiceId, userId: ctx.userId }, input),
);

/** The practice's option to set ambiguous notes apart as possible loss (owner or admin; audited). */
export const setUndercodingOptionAction = guardedAction("undercoding.settings", undercodingOptionSchema, (ctx, input) =>
  setReviewAmbiguousNotes(ctx, input.reviewAmbiguousNotes),
);
