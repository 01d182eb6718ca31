-- AlterTable
ALTER TABLE "ServiceLine" ADD COLUMN     "remitAllowedNetCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "remitDenialCause" TEXT,
ADD COLUMN     "remitLineCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "remitNetCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "remitPaidCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "remitPatientRespCents" INTEGER NOT NULL DEFAULT 0;

-- ─── Each service line's remit figures, kept current by the remit tables' own triggers ───
-- so the weekly rollup and the drill-downs read one row per line instead of joining millions of
-- remit lines and adjustments. Reversals (CLP02 22) carry negated amounts and count -1.
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
           coalesce(sum(pr.amount), 0)::int AS pr,
           (array_agg(rl."denialCause" ORDER BY rl.id DESC) FILTER (WHERE rl.id IS NOT NULL AND rc."statusCode" <> '22'))[1] AS denial_cause
    FROM (SELECT sl.id, sl."practiceId" FROM "ServiceLine" sl WHERE sl.id = ANY(line_ids)) t
    LEFT JOIN "RemitLine" rl ON rl."practiceId" = t."practiceId" AND rl."serviceLineId" = t.id
    LEFT JOIN "RemitClaim" rc ON rc.id = rl."remitClaimId"
    LEFT JOIN LATERAL (
      SELECT sum(adj."amountCents") AS amount FROM "RemitAdjustment" adj WHERE adj."remitLineId" = rl.id AND adj."groupCode" = 'PR'
    ) pr ON true
    GROUP BY t.id
  ) a
  WHERE s.id = a.id
    AND (s."remitLineCount", s."remitNetCount", s."remitPaidCents", s."remitAllowedNetCents", s."remitPatientRespCents", s."remitDenialCause")
        IS DISTINCT FROM (a.line_count, a.net_count, a.paid, a.allowed, a.pr, a.denial_cause)
$$;

CREATE OR REPLACE FUNCTION revenue_line_remits_from_remit_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT "serviceLineId") INTO ids FROM new_rows WHERE "serviceLineId" IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT x) INTO ids
    FROM (SELECT "serviceLineId" AS x FROM new_rows UNION SELECT "serviceLineId" FROM old_rows) u WHERE x IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT "serviceLineId") INTO ids FROM old_rows WHERE "serviceLineId" IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN PERFORM revenue_refresh_line_remits(ids); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION revenue_line_remits_from_adjustments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
    FROM (SELECT DISTINCT "remitLineId" FROM new_rows WHERE "remitLineId" IS NOT NULL) n JOIN "RemitLine" rl ON rl.id = n."remitLineId"
    WHERE rl."serviceLineId" IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
    FROM (SELECT "remitLineId" FROM new_rows UNION SELECT "remitLineId" FROM old_rows) n JOIN "RemitLine" rl ON rl.id = n."remitLineId"
    WHERE rl."serviceLineId" IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
    FROM (SELECT DISTINCT "remitLineId" FROM old_rows WHERE "remitLineId" IS NOT NULL) o JOIN "RemitLine" rl ON rl.id = o."remitLineId"
    WHERE rl."serviceLineId" IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN PERFORM revenue_refresh_line_remits(ids); END IF;
  RETURN NULL;
END $$;

-- a claim's status decides whether its lines count as reversals
CREATE OR REPLACE FUNCTION revenue_line_remits_from_remit_claims() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids int[];
BEGIN
  SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
  FROM (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n."statusCode" IS DISTINCT FROM o."statusCode") c
  JOIN "RemitLine" rl ON rl."remitClaimId" = c.id
  WHERE rl."serviceLineId" IS NOT NULL;
  IF ids IS NOT NULL THEN PERFORM revenue_refresh_line_remits(ids); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER revenue_line_remits_insert AFTER INSERT ON "RemitLine"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_remit_lines();
CREATE TRIGGER revenue_line_remits_update AFTER UPDATE ON "RemitLine"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_remit_lines();
CREATE TRIGGER revenue_line_remits_delete AFTER DELETE ON "RemitLine"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_remit_lines();

CREATE TRIGGER revenue_line_remits_adjustment_insert AFTER INSERT ON "RemitAdjustment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_adjustments();
CREATE TRIGGER revenue_line_remits_adjustment_update AFTER UPDATE ON "RemitAdjustment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_adjustments();
CREATE TRIGGER revenue_line_remits_adjustment_delete AFTER DELETE ON "RemitAdjustment"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_adjustments();

CREATE TRIGGER revenue_line_remits_claim_update AFTER UPDATE ON "RemitClaim"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_line_remits_from_remit_claims();

-- The line summaries now carry every remit-line and adjustment change to ServiceLine, whose own
-- trigger marks the week stale; these marks would only repeat that (or mark weeks stale for
-- changes that touch no figure, such as an underpayment's appeal status).
DROP TRIGGER revenue_remit_line_insert ON "RemitLine";
DROP TRIGGER revenue_remit_line_update ON "RemitLine";
DROP TRIGGER revenue_remit_line_delete ON "RemitLine";
DROP TRIGGER revenue_remit_adjustment_insert ON "RemitAdjustment";
DROP TRIGGER revenue_remit_adjustment_update ON "RemitAdjustment";
DROP TRIGGER revenue_remit_adjustment_delete ON "RemitAdjustment";
DROP FUNCTION revenue_mark_remit_adjustments();

-- Existing remits: summarise every matched line once.
SELECT revenue_refresh_line_remits(array_agg(DISTINCT "serviceLineId")) FROM "RemitLine" WHERE "serviceLineId" IS NOT NULL;
INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
  SELECT DISTINCT "practiceId", revenue_week_start("dateOfService") FROM "Visit";
