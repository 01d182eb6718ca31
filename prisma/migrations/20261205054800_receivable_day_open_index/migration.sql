-- The open receivables drill-down (lib/server/revenue/lines.ts, openReceivableLines) reads the
-- ReceivableDay rows still open at the end of a day: openUntil null (still open) or after it.
-- Most rows of a practice's history closed long ago; by (practiceId, dateOfService) alone every
-- row served before the day was read to find the few still open. The expression below is the
-- one the query names (coalesce(openUntil, 'infinity') > day).
CREATE INDEX "ReceivableDay_open_idx" ON "ReceivableDay" ("practiceId", (coalesce("openUntil", 'infinity'::date)), "dateOfService");
