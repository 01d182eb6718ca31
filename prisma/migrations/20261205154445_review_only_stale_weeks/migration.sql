-- AlterTable
ALTER TABLE "RevenueDirtyWeek" ADD COLUMN     "reviewOnly" BOOLEAN NOT NULL DEFAULT false;

-- Undercoding reviews: the week of the reviewed line's visit, marked "review only". Of the
-- rollup's tables only RevenueWeek reads UndercodingReview (its undercoding figures); receivables,
-- denials and underpayments do not, so a week whose only marks are reviews' rebuilds RevenueWeek
-- alone (lib/server/derived/rollup.ts). Any other mark of the same week (default false) still
-- rebuilds everything. Replaces revenue_mark_service_lines on this table (which stays for
-- ServiceLine and RemitLine).
CREATE FUNCTION revenue_mark_review_weeks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart", "reviewOnly")
      SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService"), true
      FROM (SELECT DISTINCT "serviceLineId" FROM new_rows) n
      JOIN "ServiceLine" s ON s.id = n."serviceLineId" JOIN "Visit" v ON v.id = s."visitId";
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart", "reviewOnly")
      SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService"), true
      FROM (SELECT DISTINCT "serviceLineId" FROM old_rows) o
      JOIN "ServiceLine" s ON s.id = o."serviceLineId" JOIN "Visit" v ON v.id = s."visitId";
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER revenue_undercoding_review_insert ON "UndercodingReview";
DROP TRIGGER revenue_undercoding_review_update ON "UndercodingReview";
DROP TRIGGER revenue_undercoding_review_delete ON "UndercodingReview";
CREATE TRIGGER revenue_undercoding_review_insert AFTER INSERT ON "UndercodingReview"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_review_weeks();
CREATE TRIGGER revenue_undercoding_review_update AFTER UPDATE ON "UndercodingReview"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_review_weeks();
CREATE TRIGGER revenue_undercoding_review_delete AFTER DELETE ON "UndercodingReview"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_review_weeks();
