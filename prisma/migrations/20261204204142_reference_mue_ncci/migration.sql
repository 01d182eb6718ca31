-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ImportKind" ADD VALUE 'MUE';
ALTER TYPE "ImportKind" ADD VALUE 'NCCI_PTP';

-- AlterTable
ALTER TABLE "NcciPair" ADD COLUMN     "modifierIndicator" TEXT NOT NULL DEFAULT '1';

-- CreateTable
CREATE TABLE "MueCap" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "adjudicationIndicator" TEXT NOT NULL,
    "rationale" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "MueCap_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MueCap_practiceId_cpt_key" ON "MueCap"("practiceId", "cpt");
