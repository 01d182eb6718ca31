-- A large 835 writes a million remit lines and a third as many remit claims in one transaction.
-- Two per-row costs were more than half of that write (docs/performance.md "Remits (835)"):
--   * the foreign-key checks RemitLine → RemitClaim and RemitClaim → RemitPayment: PostgreSQL
--     looks up and locks the parent row once per inserted row;
--   * the insert triggers' transition tables: every inserted row copied once more, for the few
--     that are matched to our claims.
-- Remit claims and lines are written by RemitWriter (lib/server/remits/write.ts), which inserts
-- a payment, then its claims with ids it reserved, then their lines, in one transaction: the
-- parents exist by construction, and it keeps the summaries itself, per batch, with the
-- functions below. Its transaction says so (SET LOCAL therapy.remit_writer = 'on'). So the two
-- keys go, and:
--   * their cascade on delete is done by statement triggers;
--   * for any other writer (a fix by hand, a later feature), row triggers that the writer's
--     transaction skips check that the parent exists and keep the summaries, as the keys and the
--     insert triggers did;
--   * the update and delete triggers stay as they were.

ALTER TABLE "RemitLine" DROP CONSTRAINT "RemitLine_remitClaimId_fkey";
ALTER TABLE "RemitClaim" DROP CONSTRAINT "RemitClaim_paymentId_fkey";

-- Deleting a payment deletes its claims; deleting a claim deletes its lines (as ON DELETE
-- CASCADE did). The lines' own delete trigger then refreshes the service-line summaries.
CREATE FUNCTION remit_delete_claims_of_payments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RemitClaim" c USING (SELECT DISTINCT id FROM old_rows) o WHERE c."paymentId" = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER remit_payment_delete_claims AFTER DELETE ON "RemitPayment"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION remit_delete_claims_of_payments();

CREATE FUNCTION remit_delete_lines_of_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RemitLine" l USING (SELECT DISTINCT id FROM old_rows) o WHERE l."remitClaimId" = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER remit_claim_delete_lines AFTER DELETE ON "RemitClaim"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION remit_delete_lines_of_claims();

-- What the insert triggers did, called by the writer for each batch's matched rows:
-- the service lines' remit summaries (revenue_refresh_line_remits, unchanged) and the weeks
-- of the matched claims' visits, marked stale for the revenue rollup.
DROP TRIGGER revenue_line_remits_insert ON "RemitLine";
DROP TRIGGER revenue_remit_claim_insert ON "RemitClaim";

CREATE FUNCTION revenue_mark_claims(claim_ids int[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
    SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
    FROM (SELECT DISTINCT unnest(claim_ids) AS id) n
    JOIN "Visit" v ON v."claimId" = n.id
$$;

-- Matching a remitted claim falls back to the patient's member id or name (lib/server/remits/match.ts),
-- compared without case: indexes on those expressions (the schema language has none).
-- Other writers: the parent must exist (an AFTER trigger: a BEFORE row trigger would stop COPY
-- from inserting rows in groups), and the summaries are kept row by row.
CREATE FUNCTION remit_check_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'RemitClaim' THEN
    IF NOT EXISTS (SELECT 1 FROM "RemitPayment" WHERE id = NEW."paymentId") THEN
      RAISE EXCEPTION 'RemitClaim % names payment %, which does not exist', NEW.id, NEW."paymentId"
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM "RemitClaim" WHERE id = NEW."remitClaimId") THEN
    RAISE EXCEPTION 'RemitLine % names remit claim %, which does not exist', NEW.id, NEW."remitClaimId"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER remit_claim_payment_exists AFTER INSERT OR UPDATE OF "paymentId" ON "RemitClaim"
  FOR EACH ROW WHEN (current_setting('therapy.remit_writer', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION remit_check_parent();
CREATE TRIGGER remit_line_claim_exists AFTER INSERT OR UPDATE OF "remitClaimId" ON "RemitLine"
  FOR EACH ROW WHEN (current_setting('therapy.remit_writer', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION remit_check_parent();

CREATE FUNCTION revenue_line_remits_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM revenue_refresh_line_remits(ARRAY[NEW."serviceLineId"]);
  RETURN NULL;
END $$;
CREATE TRIGGER revenue_line_remits_insert_row AFTER INSERT ON "RemitLine"
  FOR EACH ROW WHEN (NEW."serviceLineId" IS NOT NULL AND current_setting('therapy.remit_writer', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION revenue_line_remits_of_row();

CREATE FUNCTION revenue_mark_claim_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM revenue_mark_claims(ARRAY[NEW."claimId"]);
  RETURN NULL;
END $$;
CREATE TRIGGER revenue_remit_claim_insert_row AFTER INSERT ON "RemitClaim"
  FOR EACH ROW WHEN (NEW."claimId" IS NOT NULL AND current_setting('therapy.remit_writer', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION revenue_mark_claim_of_row();

CREATE INDEX "Patient_practiceId_lower_name_idx" ON "Patient" ("practiceId", lower("lastName"), lower("firstName"));
CREATE INDEX "Coverage_practiceId_lower_memberId_idx" ON "Coverage" ("practiceId", lower("memberId"));

-- A line's adjustments are written once and read whole (the remit page, denials, underpayments):
-- json keeps the text as written and only checks it, where jsonb parsed every line of an import
-- into its binary form (about a tenth of a large import's database time).
ALTER TABLE "RemitLine" ALTER COLUMN "adjustments" DROP DEFAULT;
ALTER TABLE "RemitLine" ALTER COLUMN "adjustments" TYPE JSON USING "adjustments"::json;
ALTER TABLE "RemitLine" ALTER COLUMN "adjustments" SET DEFAULT '[]';

-- An update refreshes the summaries of the service lines whose figures it changes: confirming an
-- import sets each matched line's expected amount and variance, which no summary reads, and
-- refreshed every line of the file a second time.
CREATE OR REPLACE FUNCTION revenue_line_remits_from_remit_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT "serviceLineId") INTO ids FROM new_rows WHERE "serviceLineId" IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT x) INTO ids
    FROM (
      SELECT unnest(ARRAY[n."serviceLineId", o."serviceLineId"]) AS x
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n."serviceLineId", n."remitClaimId", n."paidCents", n."allowedCents", n."patientRespCents", n."denialCause")
            IS DISTINCT FROM (o."serviceLineId", o."remitClaimId", o."paidCents", o."allowedCents", o."patientRespCents", o."denialCause")
    ) u WHERE x IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT "serviceLineId") INTO ids FROM old_rows WHERE "serviceLineId" IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN PERFORM revenue_refresh_line_remits(ids); END IF;
  RETURN NULL;
END $$;
