-- CreateEnum
CREATE TYPE "TherapyStatus" AS ENUM ('ALWAYS', 'SOMETIMES');

-- AlterEnum
ALTER TYPE "ImportKind" ADD VALUE 'THERAPY_CODES';

-- CreateTable
CREATE TABLE "TherapyCode" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "status" "TherapyStatus" NOT NULL,

    CONSTRAINT "TherapyCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TherapyCode_practiceId_cpt_key" ON "TherapyCode"("practiceId", "cpt");

-- A practice's rows, isolated like every other tenant table (migration tenant_row_level_security).
ALTER TABLE "TherapyCode" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TherapyCode" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "TherapyCode"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

-- The list decides which lines count toward the KX threshold and which get therapy MPPR: a
-- change of it is a change of the practice's pricing (migration pricing_version).
CREATE TRIGGER therapy_code_pricing_version AFTER INSERT OR UPDATE OR DELETE ON "TherapyCode" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version();
