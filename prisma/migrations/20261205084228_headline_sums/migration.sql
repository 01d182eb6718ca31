-- The owner's headline (lib/server/revenue/owner.ts) reads its year of missing-KX denials and
-- recovered underpayments from the daily sums instead of the remit lines: the sums carry the
-- figures it values them at.

-- What the payer would have allowed on the denied lines (the remit line's expected allowed, else
-- the service line's).
ALTER TABLE "DenialDay" ADD COLUMN "expectedCents" BIGINT NOT NULL DEFAULT 0;

-- Of the recovered lines: the dollars recorded when marked recovered, else their difference.
ALTER TABLE "UnderpaymentDay" ADD COLUMN "recoveredCents" BIGINT NOT NULL DEFAULT 0;

-- Existing rows filled with the rules of the rollup's rebuild (recomputeRemitLineSums), so that no
-- week has to be rebuilt for them.
UPDATE "DenialDay" d SET "expectedCents" = a.expected
FROM (
  SELECT v."practiceId", revenue_week_start(v."dateOfService") AS week, coalesce(rl."serviceDate", v."dateOfService") AS day,
         rl."denialCause" AS cause, v."payerId", sum(coalesce(rl."expectedAllowedCents", s."expectedAllowedCents", 0)) AS expected
  FROM "Visit" v
  JOIN "ServiceLine" s ON s."visitId" = v.id
  JOIN "RemitLine" rl ON rl."serviceLineId" = s.id AND rl."practiceId" = v."practiceId"
  WHERE rl."denialCause" IS NOT NULL AND rl."netRole" NOT IN ('duplicate', 'duplicate_reversed')
  GROUP BY 1, 2, 3, 4, 5
) a
WHERE d."practiceId" = a."practiceId" AND d."weekStart" = a.week AND d.day = a.day AND d.cause = a.cause AND d."payerId" = a."payerId";

UPDATE "UnderpaymentDay" u SET "recoveredCents" = a.recovered
FROM (
  SELECT v."practiceId", v."dateOfService", v."payerId", rl.cpt, sum(coalesce(rl."recoveredCents", rl."varianceCents")) AS recovered
  FROM "Visit" v
  JOIN "ServiceLine" s ON s."visitId" = v.id
  JOIN "RemitLine" rl ON rl."serviceLineId" = s.id AND rl."practiceId" = v."practiceId"
  WHERE rl."varianceCents" > 0 AND rl."denialCause" IS NULL AND rl."underpaymentStatus" = 'RECOVERED'
  GROUP BY 1, 2, 3, 4
) a
WHERE u."practiceId" = a."practiceId" AND u."dateOfService" = a."dateOfService" AND u."payerId" = a."payerId" AND u.cpt = a.cpt
  AND u.status = 'RECOVERED';
