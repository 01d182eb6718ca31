-- AlterTable
ALTER TABLE "RevenueWeek" ADD COLUMN     "remittedLines" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "DenialDay" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "weekStart" DATE NOT NULL,
    "day" DATE NOT NULL,
    "cause" TEXT NOT NULL,
    "payerId" INTEGER NOT NULL,
    "lines" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    CONSTRAINT "DenialDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnderpaymentDay" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "dateOfService" DATE NOT NULL,
    "payerId" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "status" "UnderpaymentStatus" NOT NULL,
    "lines" INTEGER NOT NULL,
    "varianceCents" BIGINT NOT NULL,

    CONSTRAINT "UnderpaymentDay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DenialDay_practiceId_day_idx" ON "DenialDay"("practiceId", "day");

-- CreateIndex
CREATE INDEX "DenialDay_practiceId_weekStart_idx" ON "DenialDay"("practiceId", "weekStart");

-- CreateIndex
CREATE INDEX "UnderpaymentDay_practiceId_dateOfService_idx" ON "UnderpaymentDay"("practiceId", "dateOfService");

-- AddForeignKey
ALTER TABLE "DenialDay" ADD CONSTRAINT "DenialDay_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnderpaymentDay" ADD CONSTRAINT "UnderpaymentDay_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- A practice's rows only (row-level security, as the other rollup tables).
ALTER TABLE "DenialDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "DenialDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "DenialDay"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);
ALTER TABLE "UnderpaymentDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "UnderpaymentDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "UnderpaymentDay"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

-- A remit line's figures that the denial and underpayment sums read (status, recovered dollars,
-- variance, cause, role, charge, paid, dates, code, match) mark the week of its line's visit, old
-- and new, in the writer's transaction: a manager's status change is seen by the next read. The
-- summaries' own trigger (revenue_line_remits_update) reacts only to the service lines' figures.
CREATE FUNCTION remit_sums_mark_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
    SELECT DISTINCT v."practiceId", revenue_week_start(v."dateOfService")
    FROM (
      SELECT unnest(ARRAY[n."serviceLineId", o."serviceLineId"]) AS id
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n."underpaymentStatus", n."recoveredCents", n."varianceCents", n."denialCause", n."netRole", n."chargeCents",
             n."paidCents", n."serviceDate", n.cpt, n."serviceLineId")
            IS DISTINCT FROM (o."underpaymentStatus", o."recoveredCents", o."varianceCents", o."denialCause", o."netRole",
             o."chargeCents", o."paidCents", o."serviceDate", o.cpt, o."serviceLineId")
    ) c
    JOIN "ServiceLine" s ON s.id = c.id JOIN "Visit" v ON v.id = s."visitId";
  RETURN NULL;
END $$;
CREATE TRIGGER remit_sums_line_update AFTER UPDATE ON "RemitLine"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION remit_sums_mark_lines();

-- Denied lines matched to none of our lines have no visit week: the denials page sums them from
-- the rows, which this index keeps few to read.
CREATE INDEX "RemitLine_denied_unmatched_idx" ON "RemitLine" ("practiceId")
  WHERE "denialCause" IS NOT NULL AND "serviceLineId" IS NULL;

-- Recovered underpayments by the day they were recorded (the worklist's and the owner's figure).
-- The dollars are set when a line is marked recovered, and only then; the condition is on them
-- because under row-level security a condition on the status (an enum comparison, not leakproof)
-- cannot choose a partial index, and the figure read all 2.8 million remit lines (650 ms).
CREATE INDEX "RemitLine_recovered_idx" ON "RemitLine" ("practiceId", "statusChangedAt")
  WHERE "recoveredCents" IS NOT NULL;

-- Filled by the rollup's next refresh of each practice: every week with visits is marked stale.
INSERT INTO "RevenueDirtyWeek" ("practiceId", "weekStart")
  SELECT DISTINCT "practiceId", revenue_week_start("dateOfService") FROM "Visit";

-- The drill-downs of a period's lines are ordered by date of service, visit and line order, so
-- that a page stops after its rows: visits in that order from the index, lines by ServiceLine's
-- (visitId, lineOrder) key.
CREATE INDEX "Visit_practiceId_dateOfService_id_idx" ON "Visit" ("practiceId", "dateOfService", "id");

-- The underpayment worklist's page, by difference: the matched, not denied lines with a
-- difference in the list's order. The index of every variance met the denied lines first (their
-- difference is the whole expected amount) and read 110,000 of them to find a page.
CREATE INDEX "RemitLine_underpaid_idx" ON "RemitLine" ("practiceId", "varianceCents" DESC, id)
  WHERE "varianceCents" > 0 AND "denialCause" IS NULL;
