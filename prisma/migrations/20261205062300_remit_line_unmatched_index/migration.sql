-- The unmatched worklist (/remits/unmatched, lib/server/remits/unmatched.ts) lists and counts the
-- unmatched remit lines of a practice, newest first. No index led with them: the planner scanned
-- the whole (remitClaimId, matchStatus) index, every remit line of every practice (3 s a page at
-- a million visits). Unmatched lines are a few per cent of a practice's at most.
CREATE INDEX "RemitLine_unmatched_idx" ON "RemitLine" ("practiceId", id) WHERE "matchStatus" = 'UNMATCHED';
