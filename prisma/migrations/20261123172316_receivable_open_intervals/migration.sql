-- Open receivables as intervals of weeks (a claim reversed and not yet corrected opens again),
-- instead of the single week a claim was settled in. The table is a rollup: empty it and mark
-- every week stale so the next read rebuilds it.
DELETE FROM "ReceivableWeek";

-- AlterTable
ALTER TABLE "ReceivableWeek" DROP COLUMN "settledWeek",
ADD COLUMN     "openFrom" DATE NOT NULL,
ADD COLUMN     "openUntil" DATE;

INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
  SELECT DISTINCT "practiceId", revenue_week_start("dateOfService") FROM "Visit";
