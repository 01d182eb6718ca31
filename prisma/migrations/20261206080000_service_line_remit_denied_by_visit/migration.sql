-- The denials page's lines of a cause (lib/server/denials/query.ts, MATCHED_FROM) probed every
-- service line of the page's service weeks for a denied remit line: two weeks of a million-visit
-- practice are about 38,000 probes, for the 50 lines of a page of missing-KX denials (85 ms).
-- A service line with a denied remit line has a remit row whose last word is a denial, or more
-- than one remit line (a denial since paid, reversed or repeated), or a lone reversal (a
-- reversal without its original, netted to less than one adjudication): this index holds those
-- rows by visit, about one line in twenty, and the page probes only their lines.
CREATE INDEX "ServiceLineRemit_denied_visit_idx" ON "ServiceLineRemit" ("visitId")
  WHERE "remitDenialCause" IS NOT NULL OR "remitLineCount" > 1 OR "remitNetCount" < 1;
