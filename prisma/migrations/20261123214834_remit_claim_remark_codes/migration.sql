-- A remitted claim keeps its claim-level remark codes (MOA), shown with their RARC text on
-- the remit page like the lines' own.
-- AlterTable
ALTER TABLE "RemitClaim" ADD COLUMN     "remarkCodes" TEXT[] DEFAULT ARRAY[]::TEXT[];
