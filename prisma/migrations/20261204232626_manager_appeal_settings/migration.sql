-- AlterTable
ALTER TABLE "Practice" ADD COLUMN     "address" TEXT,
ADD COLUMN     "npi" TEXT,
ADD COLUMN     "taxId" TEXT;

-- AlterTable
ALTER TABLE "Payer" ADD COLUMN     "appealAddress" TEXT;

-- AlterTable
ALTER TABLE "RemitLine" ADD COLUMN     "recoveredCents" INTEGER;

-- PR-119 on a line billed with GA (an ABN is on file: the patient is liable) is its own denial
-- cause, "patient_liable" (bill the patient), not "missing_kx" (add KX and rebill):
-- lib/server/denials/causes.ts. The remit lines' update trigger refreshes their service lines'
-- summaries (remitDenialCause).
UPDATE "RemitLine" rl SET "denialCause" = 'patient_liable'
WHERE rl."denialCause" = 'missing_kx'
  AND 'GA' = ANY(rl.modifiers)
  AND EXISTS (SELECT 1 FROM json_array_elements(rl.adjustments) a
              WHERE a->>'g' = 'PR' AND a->>'r' = '119' AND (a->>'a')::int > 0);
