-- The denied remit lines matched to ours, by service line: the denials page's lines (lib/server/denials/query.ts)
-- look up each service line of a week for its denied remit lines. Through the index of every
-- matched remit line ("RemitLine_practiceId_serviceLineId_idx") each lookup also read the paid
-- ones (19,936 lookups, 70,847 pages for a week at a million visits); denied lines are about a
-- tenth of them.
CREATE INDEX "RemitLine_denied_line_idx" ON "RemitLine" ("serviceLineId")
  WHERE "denialCause" IS NOT NULL AND "serviceLineId" IS NOT NULL;
