-- The KX queue's lines to rebill of a year (lib/server/kx/rebill.ts) were found through every
-- line of the practice with work (ServiceLineRemit_remitWork_idx on "practiceId"), each then
-- looked up with its visit to keep the year's: at a million visits 26,410 lines of three years
-- for 4,569 of the year, 660-700 ms a page. A line with work now carries its visit's date of
-- service, and the index is by practice and date.
ALTER TABLE "ServiceLineRemit" ADD COLUMN "dateOfService" DATE;

-- Filled from the visit on a row with work: when it is written with work, given work, or moved
-- to another visit (the copy of the line's visit, service_line_remit_follow_lines). The WHEN
-- clauses keep the trigger's function off every other row (an 835's paid lines).
CREATE FUNCTION service_line_remit_work_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."dateOfService" := (SELECT v."dateOfService" FROM "Visit" v WHERE v.id = NEW."visitId");
  RETURN NEW;
END $$;
CREATE TRIGGER service_line_remit_work_date_insert BEFORE INSERT ON "ServiceLineRemit"
  FOR EACH ROW WHEN (NEW."remitWork" IS NOT NULL) EXECUTE FUNCTION service_line_remit_work_date();
CREATE TRIGGER service_line_remit_work_date_update BEFORE UPDATE ON "ServiceLineRemit"
  FOR EACH ROW WHEN (NEW."remitWork" IS NOT NULL
    AND (OLD."remitWork" IS NULL OR NEW."visitId" IS DISTINCT FROM OLD."visitId" OR NEW."dateOfService" IS NULL))
  EXECUTE FUNCTION service_line_remit_work_date();

-- A visit moved to another date takes its lines with work along (once per statement, for the
-- visits whose date changed; "UPDATE OF" is not allowed with transition tables).
CREATE FUNCTION service_line_remit_follow_visit_dates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ServiceLineRemit" r SET "dateOfService" = n."dateOfService"
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE r."visitId" = n.id AND r."remitWork" IS NOT NULL AND n."dateOfService" IS DISTINCT FROM o."dateOfService";
  RETURN NULL;
END $$;
CREATE TRIGGER service_line_remit_follow_visit_dates AFTER UPDATE ON "Visit"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION service_line_remit_follow_visit_dates();

UPDATE "ServiceLineRemit" r SET "dateOfService" = v."dateOfService"
FROM "Visit" v WHERE v.id = r."visitId" AND r."remitWork" IS NOT NULL;

DROP INDEX IF EXISTS "ServiceLineRemit_remitWork_idx";
CREATE INDEX "ServiceLineRemit_remitWork_idx" ON "ServiceLineRemit" ("practiceId", "dateOfService") WHERE "remitWork" IS NOT NULL;
-- the visits' date trigger finds a visit's lines with work by it
CREATE INDEX "ServiceLineRemit_remitWork_visit_idx" ON "ServiceLineRemit" ("visitId") WHERE "remitWork" IS NOT NULL;
