-- AlterTable
ALTER TABLE "RemitPayment" ADD COLUMN     "claimCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimsPaidCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lineCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "matchedClaimCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "providerAdjustmentCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "unmatchedLineCount" INTEGER NOT NULL DEFAULT 0;

-- The counts of the payments on file, counted once here (set-based: one pass over each table);
-- from now on the derived-figures pipeline keeps them (lib/server/derived/payment-counts.ts).
UPDATE "RemitPayment" rp
SET "claimCount" = c.claims, "matchedClaimCount" = c.matched, "claimsPaidCents" = c.paid
FROM (
  SELECT rc."paymentId", count(*)::int AS claims, (count(*) FILTER (WHERE rc."matchStatus" = 'MATCHED'))::int AS matched,
         coalesce(sum(rc."paidCents"), 0)::int AS paid
  FROM "RemitClaim" rc GROUP BY rc."paymentId"
) c
WHERE c."paymentId" = rp.id;

UPDATE "RemitPayment" rp
SET "lineCount" = l.lines, "unmatchedLineCount" = l.unmatched
FROM (
  SELECT rc."paymentId", count(*)::int AS lines, (count(*) FILTER (WHERE rl."matchStatus" = 'UNMATCHED'))::int AS unmatched
  FROM "RemitLine" rl JOIN "RemitClaim" rc ON rc.id = rl."remitClaimId" GROUP BY rc."paymentId"
) l
WHERE l."paymentId" = rp.id;

UPDATE "RemitPayment" rp
SET "providerAdjustmentCents" = a.cents
FROM (SELECT pa."paymentId", coalesce(sum(pa."amountCents"), 0)::int AS cents FROM "ProviderAdjustment" pa GROUP BY pa."paymentId") a
WHERE a."paymentId" = rp.id;
