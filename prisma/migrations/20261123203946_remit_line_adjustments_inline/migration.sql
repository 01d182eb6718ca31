-- A service line's CAS adjustments move onto the line itself (RemitLine.adjustments, with the
-- PR total beside them); RemitAdjustment keeps claim-level adjustments only. A large 835 has
-- two or three adjustments per line: as rows of their own, with their keys, indexes and
-- foreign-key checks, they were most of an import's time (docs/performance.md).

ALTER TABLE "RemitLine" ADD COLUMN "adjustments" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "patientRespCents" INTEGER NOT NULL DEFAULT 0;

-- The line summaries read the PR total from the line.
CREATE OR REPLACE FUNCTION revenue_refresh_line_remits(line_ids int[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "ServiceLine" s SET
    "remitLineCount" = a.line_count,
    "remitNetCount" = a.net_count,
    "remitPaidCents" = a.paid,
    "remitAllowedNetCents" = a.allowed,
    "remitPatientRespCents" = a.pr,
    "remitDenialCause" = a.denial_cause
  FROM (
    SELECT t.id,
           count(rl.id)::int AS line_count,
           coalesce(sum(CASE WHEN rc."statusCode" = '22' THEN -1 ELSE 1 END) FILTER (WHERE rl.id IS NOT NULL), 0)::int AS net_count,
           coalesce(sum(rl."paidCents"), 0)::int AS paid,
           coalesce(sum(rl."allowedCents"), 0)::int AS allowed,
           coalesce(sum(rl."patientRespCents"), 0)::int AS pr,
           (array_agg(rl."denialCause" ORDER BY rl.id DESC) FILTER (WHERE rl.id IS NOT NULL AND rc."statusCode" <> '22'))[1] AS denial_cause
    FROM (SELECT sl.id, sl."practiceId" FROM "ServiceLine" sl WHERE sl.id = ANY(line_ids)) t
    LEFT JOIN "RemitLine" rl ON rl."practiceId" = t."practiceId" AND rl."serviceLineId" = t.id
    LEFT JOIN "RemitClaim" rc ON rc.id = rl."remitClaimId"
    GROUP BY t.id
  ) a
  WHERE s.id = a.id
    AND (s."remitLineCount", s."remitNetCount", s."remitPaidCents", s."remitAllowedNetCents", s."remitPatientRespCents", s."remitDenialCause")
        IS DISTINCT FROM (a.line_count, a.net_count, a.paid, a.allowed, a.pr, a.denial_cause)
$$;

DROP TRIGGER revenue_line_remits_adjustment_insert ON "RemitAdjustment";
DROP TRIGGER revenue_line_remits_adjustment_update ON "RemitAdjustment";
DROP TRIGGER revenue_line_remits_adjustment_delete ON "RemitAdjustment";
DROP FUNCTION revenue_line_remits_from_adjustments();

-- Existing line adjustments onto their lines, in their order ("q" only when there is a quantity).
UPDATE "RemitLine" rl SET "adjustments" = a.list, "patientRespCents" = a.pr
FROM (
  SELECT "remitLineId",
         jsonb_agg(jsonb_strip_nulls(jsonb_build_object('g', "groupCode", 'r', "reasonCode", 'a', "amountCents", 'q', quantity)) ORDER BY id) AS list,
         coalesce(sum("amountCents") FILTER (WHERE "groupCode" = 'PR'), 0)::int AS pr
  FROM "RemitAdjustment" WHERE "remitLineId" IS NOT NULL GROUP BY "remitLineId"
) a
WHERE rl.id = a."remitLineId";
DELETE FROM "RemitAdjustment" WHERE "remitLineId" IS NOT NULL;

ALTER TABLE "RemitAdjustment" DROP CONSTRAINT "RemitAdjustment_remitLineId_fkey";
DROP INDEX "RemitAdjustment_remitLineId_idx";
ALTER TABLE "RemitAdjustment" DROP COLUMN "level", DROP COLUMN "remitLineId";
DROP TYPE "AdjustmentLevel";

-- Indexes hold only the rows their queries look for: matched lines (by service line), lines
-- with a contract variance (the underpayment worklist), denied lines (the denial reports),
-- matched claims (by our claim). An index on every line's service date served no query (the
-- denial reports date a line by coalesce(service date, visit date, payment date)) and was a
-- third of the cost of writing a line.
DROP INDEX "RemitLine_practiceId_serviceLineId_idx";
DROP INDEX "RemitLine_practiceId_varianceCents_idx";
DROP INDEX "RemitLine_practiceId_serviceDate_idx";
DROP INDEX "RemitClaim_practiceId_claimId_idx";
CREATE INDEX "RemitLine_practiceId_serviceLineId_idx" ON "RemitLine"("practiceId", "serviceLineId") WHERE "serviceLineId" IS NOT NULL;
CREATE INDEX "RemitLine_practiceId_varianceCents_idx" ON "RemitLine"("practiceId", "varianceCents") WHERE "varianceCents" IS NOT NULL;
CREATE INDEX "RemitLine_practiceId_denialCause_idx" ON "RemitLine"("practiceId", "denialCause") WHERE "denialCause" IS NOT NULL;
CREATE INDEX "RemitClaim_practiceId_claimId_idx" ON "RemitClaim"("practiceId", "claimId") WHERE "claimId" IS NOT NULL;
