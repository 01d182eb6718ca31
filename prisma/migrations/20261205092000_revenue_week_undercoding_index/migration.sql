-- The undercoding page sums a year of the weekly rollup three times (by therapist, by payer, and
-- week by week for the candidate list's count: lib/server/revenue/undercoding-spans.ts): 25,000
-- rows at a million visits, of a table whose rows carry every revenue figure (25 MB for 72,000
-- rows). PostgreSQL read the whole table each time (60 ms). This index holds the few columns
-- those sums read, so they are index-only scans of the year's entries (4 ms).
CREATE INDEX "RevenueWeek_undercoding_idx" ON "RevenueWeek" ("practiceId", "weekStart")
  INCLUDE ("therapistId", "payerId", "units97530", "units97110", "undercodingLines", "exerciseRiskLines", "undercodingGainCents");
