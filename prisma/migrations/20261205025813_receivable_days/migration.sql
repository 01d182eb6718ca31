-- CreateTable
CREATE TABLE "ReceivableDay" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "dateOfService" DATE NOT NULL,
    "payerId" INTEGER NOT NULL,
    "openFrom" DATE,
    "openUntil" DATE,
    "expectedCents" BIGINT NOT NULL,
    "lines" INTEGER NOT NULL,

    CONSTRAINT "ReceivableDay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReceivableDay_practiceId_dateOfService_idx" ON "ReceivableDay"("practiceId", "dateOfService");

-- AddForeignKey
ALTER TABLE "ReceivableDay" ADD CONSTRAINT "ReceivableDay_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A practice's rows only (row-level security, as the other rollup tables).
ALTER TABLE "ReceivableDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ReceivableDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ReceivableDay"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

-- Filled by the rollup's next refresh of each practice: every week with visits is marked stale.
INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
  SELECT DISTINCT "practiceId", revenue_week_start("dateOfService") FROM "Visit";
