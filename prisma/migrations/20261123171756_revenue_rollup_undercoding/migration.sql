-- CreateEnum
CREATE TYPE "UndercodingDirection" AS ENUM ('could_be_97530', 'reads_as_exercise');

-- AlterTable
ALTER TABLE "ServiceLine" ADD COLUMN     "undercodingDirection" "UndercodingDirection",
ADD COLUMN     "undercodingGainCents" INTEGER,
ADD COLUMN     "undercodingTerms" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "RevenueWeek" (
    "practiceId" INTEGER NOT NULL,
    "weekStart" DATE NOT NULL,
    "payerId" INTEGER NOT NULL,
    "therapistId" INTEGER NOT NULL,
    "visits" INTEGER NOT NULL,
    "lines" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "chargeCents" BIGINT NOT NULL,
    "expectedCents" BIGINT NOT NULL,
    "unpricedLines" INTEGER NOT NULL,
    "adjudicatedLines" INTEGER NOT NULL,
    "deniedLines" INTEGER NOT NULL,
    "paidCents" BIGINT NOT NULL,
    "patientRespCents" BIGINT NOT NULL,
    "remitAllowedCents" BIGINT NOT NULL,
    "ncrNumeratorCents" BIGINT NOT NULL,
    "ncrDenominatorCents" BIGINT NOT NULL,
    "underpaymentCents" BIGINT NOT NULL,
    "underpaidLines" INTEGER NOT NULL,
    "undercodingGainCents" BIGINT NOT NULL,
    "undercodingLines" INTEGER NOT NULL,
    "exerciseRiskLines" INTEGER NOT NULL,
    "units97530" INTEGER NOT NULL,
    "units97110" INTEGER NOT NULL,

    CONSTRAINT "RevenueWeek_pkey" PRIMARY KEY ("practiceId","weekStart","payerId","therapistId")
);

-- CreateTable
CREATE TABLE "ReceivableWeek" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "weekStart" DATE NOT NULL,
    "settledWeek" DATE,
    "expectedCents" BIGINT NOT NULL,
    "lines" INTEGER NOT NULL,

    CONSTRAINT "ReceivableWeek_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RevenueDirtyWeek" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "weekStart" DATE NOT NULL,

    CONSTRAINT "RevenueDirtyWeek_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReceivableWeek_practiceId_weekStart_idx" ON "ReceivableWeek"("practiceId", "weekStart");

-- CreateIndex
CREATE INDEX "RevenueDirtyWeek_practiceId_idx" ON "RevenueDirtyWeek"("practiceId");

-- CreateIndex
CREATE INDEX "Visit_claimId_idx" ON "Visit"("claimId");

-- AddForeignKey
ALTER TABLE "RevenueWeek" ADD CONSTRAINT "RevenueWeek_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceivableWeek" ADD CONSTRAINT "ReceivableWeek_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Undercoding candidates are few among all lines: a partial index finds them from a visit.
CREATE INDEX "ServiceLine_undercoding_candidate_idx" ON "ServiceLine" ("visitId") WHERE "undercodingDirection" IS NOT NULL;

-- ─── Revenue rollup: stale-week marks, written in the same transaction as every write ───
-- The service week of a date of service: the Monday on or before it. Dates of service are
-- calendar dates in the practice's own calendar, so no time-zone conversion is needed here.
CREATE OR REPLACE FUNCTION revenue_week_start(d date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT d - (extract(isodow FROM d)::int - 1) $$;

-- Visits: the old and the new week (a visit may move to another date, payer or therapist).
CREATE OR REPLACE FUNCTION revenue_mark_visit_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
      SELECT DISTINCT n."practiceId", revenue_week_start(n."dateOfService") FROM new_rows n;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
      SELECT DISTINCT o."practiceId", revenue_week_start(o."dateOfService") FROM old_rows o
      WHERE EXISTS (SELECT 1 FROM "Practice" p WHERE p.id = o."practiceId");
  END IF;
  RETURN NULL;
END $$;

-- Rows that point at a service line (ServiceLine itself via visitId; RemitLine and
-- UndercodingReview via serviceLineId): the week of the line's visit.
CREATE OR REPLACE FUNCTION revenue_mark_service_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'ServiceLine' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
        SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
        FROM (SELECT DISTINCT "visitId" FROM new_rows) n JOIN "Visit" v ON v.id = n."visitId";
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
        SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
        FROM (SELECT DISTINCT "visitId" FROM old_rows) o JOIN "Visit" v ON v.id = o."visitId";
    END IF;
  ELSE
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
        SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
        FROM (SELECT DISTINCT "serviceLineId" FROM new_rows WHERE "serviceLineId" IS NOT NULL) n
        JOIN "ServiceLine" s ON s.id = n."serviceLineId" JOIN "Visit" v ON v.id = s."visitId";
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
        SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
        FROM (SELECT DISTINCT "serviceLineId" FROM old_rows WHERE "serviceLineId" IS NOT NULL) o
        JOIN "ServiceLine" s ON s.id = o."serviceLineId" JOIN "Visit" v ON v.id = s."visitId";
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- Remit adjustments: the week of the service line their remit line is matched to.
CREATE OR REPLACE FUNCTION revenue_mark_remit_adjustments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
      SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
      FROM (SELECT DISTINCT "remitLineId" FROM new_rows WHERE "remitLineId" IS NOT NULL) n
      JOIN "RemitLine" rl ON rl.id = n."remitLineId"
      JOIN "ServiceLine" s ON s.id = rl."serviceLineId" JOIN "Visit" v ON v.id = s."visitId";
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
      SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
      FROM (SELECT DISTINCT "remitLineId" FROM old_rows WHERE "remitLineId" IS NOT NULL) o
      JOIN "RemitLine" rl ON rl.id = o."remitLineId"
      JOIN "ServiceLine" s ON s.id = rl."serviceLineId" JOIN "Visit" v ON v.id = s."visitId";
  END IF;
  RETURN NULL;
END $$;

-- Remit claims (status, matching): every visit of the matched claim (open receivables).
CREATE OR REPLACE FUNCTION revenue_mark_remit_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
      SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
      FROM (SELECT DISTINCT "claimId" FROM new_rows WHERE "claimId" IS NOT NULL) n
      JOIN "Visit" v ON v."claimId" = n."claimId";
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
      SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
      FROM (SELECT DISTINCT "claimId" FROM old_rows WHERE "claimId" IS NOT NULL) o
      JOIN "Visit" v ON v."claimId" = o."claimId";
  END IF;
  RETURN NULL;
END $$;

-- A payment's date decides when its claims were settled (open receivables).
CREATE OR REPLACE FUNCTION revenue_mark_remit_payments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
    SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
    FROM (SELECT DISTINCT id FROM new_rows) n
    JOIN "RemitClaim" rc ON rc."paymentId" = n.id
    JOIN "Visit" v ON v."claimId" = rc."claimId";
  RETURN NULL;
END $$;

CREATE TRIGGER revenue_visit_insert AFTER INSERT ON "Visit"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_visit_rows();
CREATE TRIGGER revenue_visit_update AFTER UPDATE ON "Visit"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_visit_rows();
CREATE TRIGGER revenue_visit_delete AFTER DELETE ON "Visit"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_visit_rows();

CREATE TRIGGER revenue_service_line_insert AFTER INSERT ON "ServiceLine"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();
CREATE TRIGGER revenue_service_line_update AFTER UPDATE ON "ServiceLine"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();
CREATE TRIGGER revenue_service_line_delete AFTER DELETE ON "ServiceLine"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();

CREATE TRIGGER revenue_remit_line_insert AFTER INSERT ON "RemitLine"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();
CREATE TRIGGER revenue_remit_line_update AFTER UPDATE ON "RemitLine"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();
CREATE TRIGGER revenue_remit_line_delete AFTER DELETE ON "RemitLine"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();

CREATE TRIGGER revenue_undercoding_review_insert AFTER INSERT ON "UndercodingReview"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();
CREATE TRIGGER revenue_undercoding_review_update AFTER UPDATE ON "UndercodingReview"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();
CREATE TRIGGER revenue_undercoding_review_delete AFTER DELETE ON "UndercodingReview"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_service_lines();

CREATE TRIGGER revenue_remit_adjustment_insert AFTER INSERT ON "RemitAdjustment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_adjustments();
CREATE TRIGGER revenue_remit_adjustment_update AFTER UPDATE ON "RemitAdjustment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_adjustments();
CREATE TRIGGER revenue_remit_adjustment_delete AFTER DELETE ON "RemitAdjustment"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_adjustments();

CREATE TRIGGER revenue_remit_claim_insert AFTER INSERT ON "RemitClaim"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_claims();
CREATE TRIGGER revenue_remit_claim_update AFTER UPDATE ON "RemitClaim"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_claims();
CREATE TRIGGER revenue_remit_claim_delete AFTER DELETE ON "RemitClaim"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_claims();

CREATE TRIGGER revenue_remit_payment_update AFTER UPDATE ON "RemitPayment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_remit_payments();

-- Weeks that already hold visits start stale, so the first read builds their rollup.
INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
  SELECT DISTINCT "practiceId", revenue_week_start("dateOfService") FROM "Visit";
