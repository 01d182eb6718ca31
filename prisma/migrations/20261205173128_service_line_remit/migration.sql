-- The service lines' remit figures (the sums of their matched remit lines, the confirmed allowed
-- amount and the work) move out of ServiceLine into a narrow table of their own, one row per
-- line with a remit. Confirming a practice's own 835 updated every matched ServiceLine row: a
-- new version of a wide row on another page and an entry in each of its six indexes, never a HOT
-- update since two partial indexes read the remit columns (about 55 s of a million-line import,
-- docs/performance.md). Now a line's first remit inserts a narrow row, and only a later remit of
-- the same line updates it. A line without a row reads as no remit (counts and sums 0, the
-- allowed amount, denial cause and work null), as the old columns' defaults said.

-- CreateTable
CREATE TABLE "ServiceLineRemit" (
    "serviceLineId" INTEGER NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "visitId" INTEGER NOT NULL,
    "expectedAllowedCents" INTEGER,
    "remitAllowedCents" INTEGER,
    "remitLineCount" INTEGER NOT NULL DEFAULT 0,
    "remitNetCount" INTEGER NOT NULL DEFAULT 0,
    "remitPaidCents" INTEGER NOT NULL DEFAULT 0,
    "remitAllowedNetCents" INTEGER NOT NULL DEFAULT 0,
    "remitPatientRespCents" INTEGER NOT NULL DEFAULT 0,
    "remitDenialCause" TEXT,
    "remitWork" TEXT,

    CONSTRAINT "ServiceLineRemit_pkey" PRIMARY KEY ("serviceLineId")
);

-- the figures as they are, for every line that has any
INSERT INTO "ServiceLineRemit" ("serviceLineId", "practiceId", "visitId", "expectedAllowedCents", "remitAllowedCents",
    "remitLineCount", "remitNetCount", "remitPaidCents", "remitAllowedNetCents", "remitPatientRespCents",
    "remitDenialCause", "remitWork")
  SELECT id, "practiceId", "visitId", "expectedAllowedCents", "remitAllowedCents",
         "remitLineCount", "remitNetCount", "remitPaidCents", "remitAllowedNetCents", "remitPatientRespCents",
         "remitDenialCause", "remitWork"
  FROM "ServiceLine"
  WHERE "remitLineCount" <> 0 OR "remitNetCount" <> 0 OR "remitPaidCents" <> 0 OR "remitAllowedNetCents" <> 0
     OR "remitPatientRespCents" <> 0 OR "remitDenialCause" IS NOT NULL OR "remitAllowedCents" IS NOT NULL OR "remitWork" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "ServiceLineRemit" ADD CONSTRAINT "ServiceLineRemit_serviceLineId_fkey" FOREIGN KEY ("serviceLineId") REFERENCES "ServiceLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The partial indexes that read the remit columns go with them, and are made again on the new
-- table. The underpaid lines (the revenue drill-down, lib/server/revenue/lines.ts): the condition
-- compares the contract's expected allowed amount with the netted allowed amount, so the row
-- carries a copy of the line's expected allowed amount (and its visit, the key each visit of a
-- period is probed by), kept by the trigger below whenever ServiceLine's change.
DROP INDEX IF EXISTS "ServiceLine_underpaid_idx";
DROP INDEX IF EXISTS "ServiceLine_remitWork_idx";
CREATE INDEX "ServiceLineRemit_underpaid_idx" ON "ServiceLineRemit" ("visitId")
  WHERE "remitNetCount" > 0 AND "remitDenialCause" IS NULL AND "expectedAllowedCents" > "remitAllowedNetCents";
-- the KX queue's "rebill with KX" list (lib/server/kx/rebill.ts): the few lines of a practice whose
-- last word from the payer is a denial to correct
CREATE INDEX "ServiceLineRemit_remitWork_idx" ON "ServiceLineRemit" ("practiceId") WHERE "remitWork" IS NOT NULL;

-- AlterTable
ALTER TABLE "ServiceLine" DROP COLUMN "remitAllowedCents",
DROP COLUMN "remitAllowedNetCents",
DROP COLUMN "remitDenialCause",
DROP COLUMN "remitLineCount",
DROP COLUMN "remitNetCount",
DROP COLUMN "remitPaidCents",
DROP COLUMN "remitPatientRespCents",
DROP COLUMN "remitWork";

-- Row-level security as on every table of a practice's rows (migration tenant_row_level_security).
ALTER TABLE "ServiceLineRemit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ServiceLineRemit" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ServiceLineRemit"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

-- The copies of ServiceLine's visit and expected allowed amount follow the line (a re-priced line,
-- a line moved to another visit): once per statement, for the rows of the lines whose copy changed
-- (a row-level trigger would run a statement per re-priced line; the column list "UPDATE OF" is
-- not allowed with transition tables).
CREATE FUNCTION service_line_remit_follow_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ServiceLineRemit" r SET "visitId" = n."visitId", "expectedAllowedCents" = n."expectedAllowedCents"
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE r."serviceLineId" = n.id
    AND (n."visitId", n."expectedAllowedCents") IS DISTINCT FROM (o."visitId", o."expectedAllowedCents");
  RETURN NULL;
END $$;
CREATE TRIGGER service_line_remit_follow_lines AFTER UPDATE ON "ServiceLine"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION service_line_remit_follow_lines();

-- The revenue rollup reads these figures: a change of a row marks its line's week stale, as the
-- update of ServiceLine's own columns did (revenue_mark_service_lines), by the row's visit. A row
-- deleted with its line leaves that to the line's own delete trigger.
CREATE FUNCTION revenue_mark_line_remits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
  RETURN NULL;
END $$;
CREATE TRIGGER revenue_service_line_remit_insert AFTER INSERT ON "ServiceLineRemit"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_line_remits();
CREATE TRIGGER revenue_service_line_remit_update AFTER UPDATE ON "ServiceLineRemit"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_line_remits();
CREATE TRIGGER revenue_service_line_remit_delete AFTER DELETE ON "ServiceLineRemit"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION revenue_mark_line_remits();

-- The sums of the given lines' remit lines stored in their rows: a line's first remit inserts
-- its row, a later one updates it; a row whose sums are as computed is left alone, and a line
-- with no remit line and no row gets none.
CREATE OR REPLACE FUNCTION revenue_refresh_line_remits(line_ids int[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ServiceLineRemit" AS r ("serviceLineId", "practiceId", "visitId", "expectedAllowedCents",
      "remitLineCount", "remitNetCount", "remitPaidCents", "remitAllowedNetCents", "remitPatientRespCents", "remitDenialCause")
    SELECT a.id, s."practiceId", s."visitId", s."expectedAllowedCents",
           a.line_count, a.net_count, a.paid, a.allowed, a.pr, a.denial_cause
    FROM revenue_line_remit_sums(line_ids) a
    JOIN "ServiceLine" s ON s.id = a.id
    LEFT JOIN "ServiceLineRemit" o ON o."serviceLineId" = a.id
    WHERE (coalesce(o."remitLineCount", 0), coalesce(o."remitNetCount", 0), coalesce(o."remitPaidCents", 0),
           coalesce(o."remitAllowedNetCents", 0), coalesce(o."remitPatientRespCents", 0), o."remitDenialCause")
          IS DISTINCT FROM (a.line_count, a.net_count, a.paid, a.allowed, a.pr, a.denial_cause)
  ON CONFLICT ("serviceLineId") DO UPDATE SET
    "remitLineCount" = excluded."remitLineCount",
    "remitNetCount" = excluded."remitNetCount",
    "remitPaidCents" = excluded."remitPaidCents",
    "remitAllowedNetCents" = excluded."remitAllowedNetCents",
    "remitPatientRespCents" = excluded."remitPatientRespCents",
    "remitDenialCause" = excluded."remitDenialCause"
$$;
