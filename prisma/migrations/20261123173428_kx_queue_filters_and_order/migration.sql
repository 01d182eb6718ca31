-- DropIndex
DROP INDEX "KxQueueItem_practiceId_year_urgency_totalCents_idx";

-- AlterTable
ALTER TABLE "KxQueueItem" ADD COLUMN     "clinicIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "firstVisitOn" DATE,
ADD COLUMN     "therapistIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateIndex
CREATE INDEX "KxQueueItem_practiceId_year_urgency_totalCents_idx" ON "KxQueueItem"("practiceId", "year", "urgency", "totalCents" DESC);

-- Backfill the new columns of existing items from their Medicare pool lines (the same
-- figures recomputeKx and recomputeAllKx write from now on).
UPDATE "KxQueueItem" i
SET "firstVisitOn" = x.first_visit, "therapistIds" = x.therapists, "clinicIds" = x.clinics
FROM (
  SELECT v."practiceId", v."patientId", extract(year FROM v."dateOfService")::int AS year, s.pool,
         min(v."dateOfService") AS first_visit,
         array_agg(DISTINCT v."therapistId" ORDER BY v."therapistId") AS therapists,
         coalesce(array_agg(DISTINCT coalesce(v."clinicId", t."clinicId") ORDER BY coalesce(v."clinicId", t."clinicId"))
                    FILTER (WHERE coalesce(v."clinicId", t."clinicId") IS NOT NULL), ARRAY[]::INTEGER[]) AS clinics
  FROM "ServiceLine" s
  JOIN "Visit" v ON v.id = s."visitId"
  JOIN "Payer" p ON p.id = v."payerId"
  JOIN "Therapist" t ON t.id = v."therapistId"
  WHERE p.kind = 'medicare' AND s.pool IS NOT NULL
  GROUP BY v."practiceId", v."patientId", extract(year FROM v."dateOfService")::int, s.pool
) x
WHERE i."practiceId" = x."practiceId" AND i."patientId" = x."patientId" AND i.year = x.year AND i.pool = x.pool;
