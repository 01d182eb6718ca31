-- The revenue drill-down "underpaid lines" of a quarter and one payer probed every visit of the
-- quarter in the underpaid lines' index by visit (ServiceLineRemit_underpaid_idx): at a million
-- visits 33,876 Medicare visits for 3,610 underpaid lines, 65 ms of a 95 ms page. An underpaid
-- line now carries its visit's date of service and payer, as a line with work carries its date,
-- and the underpaid lines of a period (of a payer) are read by them.
ALTER TABLE "ServiceLineRemit" ADD COLUMN "payerId" INTEGER;

-- Existing rows with work or underpaid (the conditions of ServiceLineRemit_remitWork_idx and
-- ServiceLineRemit_underpaid_idx), before the triggers below exist. The copy changes no figure,
-- so the revenue rollup's update trigger is kept off it (it would mark every week stale).
ALTER TABLE "ServiceLineRemit" DISABLE TRIGGER revenue_service_line_remit_update;
UPDATE "ServiceLineRemit" r SET "dateOfService" = v."dateOfService", "payerId" = v."payerId"
FROM "Visit" v
WHERE v.id = r."visitId"
  AND (r."remitWork" IS NOT NULL
       OR (r."remitNetCount" > 0 AND r."remitDenialCause" IS NULL AND r."expectedAllowedCents" > r."remitAllowedNetCents"));
ALTER TABLE "ServiceLineRemit" ENABLE TRIGGER revenue_service_line_remit_update;

-- Filled from the visit on a row with work or underpaid: when it is written so, becomes so, or
-- moves to another visit. The WHEN clauses keep the function off every other row (an 835's lines
-- paid as expected), and off a row written with both already (the 835 writer's lines netted at
-- write read them with the visit: most of a practice's own file is underpaid lines, 664,539 of
-- 971,205 in the benchmark's). A row that stops being either keeps its copy, which no reader
-- uses; a row that becomes either again is filled anew (the old row's condition is false).
DROP TRIGGER service_line_remit_work_date_insert ON "ServiceLineRemit";
DROP TRIGGER service_line_remit_work_date_update ON "ServiceLineRemit";
DROP FUNCTION service_line_remit_work_date();
CREATE FUNCTION service_line_remit_visit_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT v."dateOfService", v."payerId" INTO NEW."dateOfService", NEW."payerId" FROM "Visit" v WHERE v.id = NEW."visitId";
  RETURN NEW;
END $$;
CREATE TRIGGER service_line_remit_visit_copy_insert BEFORE INSERT ON "ServiceLineRemit"
  FOR EACH ROW WHEN ((NEW."remitWork" IS NOT NULL
    OR (NEW."remitNetCount" > 0 AND NEW."remitDenialCause" IS NULL AND NEW."expectedAllowedCents" > NEW."remitAllowedNetCents"))
    AND (NEW."dateOfService" IS NULL OR NEW."payerId" IS NULL))
  EXECUTE FUNCTION service_line_remit_visit_copy();
CREATE TRIGGER service_line_remit_visit_copy_update BEFORE UPDATE ON "ServiceLineRemit"
  FOR EACH ROW WHEN (
    (NEW."remitWork" IS NOT NULL
     OR (NEW."remitNetCount" > 0 AND NEW."remitDenialCause" IS NULL AND NEW."expectedAllowedCents" > NEW."remitAllowedNetCents"))
    AND (NEW."dateOfService" IS NULL OR NEW."visitId" IS DISTINCT FROM OLD."visitId"
         OR NOT (OLD."remitWork" IS NOT NULL
                 OR (OLD."remitNetCount" > 0 AND OLD."remitDenialCause" IS NULL
                     AND coalesce(OLD."expectedAllowedCents" > OLD."remitAllowedNetCents", false)))))
  EXECUTE FUNCTION service_line_remit_visit_copy();

-- A visit moved to another date or payer takes its lines with work and underpaid lines along
-- (once per statement, for the visits whose date or payer changed; found through the two
-- partial indexes by visit).
CREATE OR REPLACE FUNCTION service_line_remit_follow_visit_dates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ServiceLineRemit" r SET "dateOfService" = n."dateOfService", "payerId" = n."payerId"
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE r."visitId" = n.id
    AND (r."remitWork" IS NOT NULL
         OR (r."remitNetCount" > 0 AND r."remitDenialCause" IS NULL AND r."expectedAllowedCents" > r."remitAllowedNetCents"))
    AND (n."dateOfService" IS DISTINCT FROM o."dateOfService" OR n."payerId" IS DISTINCT FROM o."payerId");
  RETURN NULL;
END $$;

-- the underpaid lines of a period, of one payer or all (lib/server/revenue/lines.ts)
CREATE INDEX "ServiceLineRemit_underpaid_date_idx" ON "ServiceLineRemit" ("practiceId", "dateOfService", "payerId")
  WHERE "remitNetCount" > 0 AND "remitDenialCause" IS NULL AND "expectedAllowedCents" > "remitAllowedNetCents";
