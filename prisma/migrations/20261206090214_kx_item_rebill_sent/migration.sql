-- The KX queue's lines to rebill of a year (lib/server/kx/rebill.ts) were counted, and their first
-- page found, by reading every line of the year with work, its visit and its line: 4,569 lines,
-- 65-90 ms of the queue's page at a million visits. A queue item already counts its pool's lines
-- to rebill ("linesToRebill", those whose corrected claim has not gone out); it now also counts
-- the ones whose corrected claim went out and no remit has answered ("linesRebillSent"). The two
-- together are the pool's lines on the list, so the list's counts are the items' sums and a page
-- is read from the few patients it spans.
ALTER TABLE "KxQueueItem" ADD COLUMN "linesRebillSent" INTEGER NOT NULL DEFAULT 0;

-- the pools with lines on the list, by patient (the list's order starts with the patient's name)
CREATE INDEX "KxQueueItem_rebill_idx" ON "KxQueueItem" ("practiceId", year, "patientId")
  WHERE "linesToRebill" > 0 OR "linesRebillSent" > 0;

-- Existing items: a line marked sent (ServiceLine."rebilledAt") that has work, a pool, and no
-- remit received since (REBILL_SENT_TEXT, lib/server/derived/kx.ts), on a Medicare visit.
UPDATE "KxQueueItem" i SET "linesRebillSent" = c.n
FROM (
  SELECT v."practiceId", v."patientId", extract(year FROM v."dateOfService")::int AS year, s.pool, count(*)::int AS n
  FROM "ServiceLine" s
  JOIN "ServiceLineRemit" r ON r."serviceLineId" = s.id AND r."remitWork" IS NOT NULL
  JOIN "Visit" v ON v.id = s."visitId"
  JOIN "Payer" p ON p.id = v."payerId" AND p.kind = 'medicare'
  WHERE s."rebilledAt" IS NOT NULL AND s.pool IS NOT NULL
    AND NOT EXISTS (
      SELECT 1 FROM "RemitLine" rl2
      JOIN "RemitClaim" rc2 ON rc2.id = rl2."remitClaimId"
      JOIN "RemitPayment" rp2 ON rp2.id = rc2."paymentId"
      WHERE rl2."serviceLineId" = s.id AND rp2."createdAt" > s."rebilledAt")
  GROUP BY 1, 2, 3, 4
) c
WHERE i."practiceId" = c."practiceId" AND i."patientId" = c."patientId" AND i.year = c.year AND i.pool = c.pool;
