-- The claim checks of each visit with an issue, stored by the derived-figures pipeline
-- (lib/server/derived/claim-checks.ts) so that "Claims to fix" reads rows instead of checking
-- every visit of the practice on each load. Filled for existing visits by `npm run admin --
-- recheck-claims` (and by every import, the seed and the demo).
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

-- CreateIndex
CREATE INDEX "VisitClaimCheck_practiceId_dateOfService_visitId_idx" ON "VisitClaimCheck"("practiceId", "dateOfService" DESC, "visitId" DESC);

-- AddForeignKey
ALTER TABLE "VisitClaimCheck" ADD CONSTRAINT "VisitClaimCheck_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VisitClaimCheck" ADD CONSTRAINT "VisitClaimCheck_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security as on every table of a practice's rows (migration tenant_row_level_security).
ALTER TABLE "VisitClaimCheck" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "VisitClaimCheck" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "VisitClaimCheck"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);
