-- AlterTable
ALTER TABLE "ServiceLine" ADD COLUMN     "rebilledAt" TIMESTAMP(3),
ADD COLUMN     "rebilledById" INTEGER;
