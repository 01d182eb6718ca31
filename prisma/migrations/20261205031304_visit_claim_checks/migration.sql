-- The claim checks of each visit with an issue, stored by the derived-figures pipeline
-- (lib/server/derived/claim-checks.ts) so that "Claims to fix" reads rows instead of checking
-- every visit of the practice on each load; and per day of service the number of visits, of
-- visits with an issue and of visits with each check type, so that its counts sum one row per
-- day. Filled for existing visits by `npm run admin -- recheck-claims --practice <slug>` (and by
-- every import, the seed and the demo).
-- CreateTable
CREATE TABLE "VisitClaimCheck" (
    "visitId" INTEGER NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "dateOfService" DATE NOT NULL,
    "codes" TEXT[],
    "issues" JSONB NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VisitClaimCheck_pkey" PRIMARY KEY ("visitId")
);

-- CreateTable
CREATE TABLE "ClaimCheckDay" (
    "practiceId" INTEGER NOT NULL,
    "dateOfService" DATE NOT NULL,
    "visits" INTEGER NOT NULL,
    "withIssues" INTEGER NOT NULL,
    "codes" JSONB NOT NULL,

    CONSTRAINT "ClaimCheckDay_pkey" PRIMARY KEY ("practiceId","dateOfService")
);

-- CreateIndex
CREATE INDEX "VisitClaimCheck_practiceId_dateOfService_visitId_idx" ON "VisitClaimCheck"("practiceId", "dateOfService" DESC, "visitId" DESC);

-- AddForeignKey
ALTER TABLE "VisitClaimCheck" ADD CONSTRAINT "VisitClaimCheck_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VisitClaimCheck" ADD CONSTRAINT "VisitClaimCheck_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimCheckDay" ADD CONSTRAINT "ClaimCheckDay_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security as on every table of a practice's rows (migration tenant_row_level_security).
ALTER TABLE "VisitClaimCheck" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "VisitClaimCheck" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "VisitClaimCheck"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ClaimCheckDay" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ClaimCheckDay" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ClaimCheckDay"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);
