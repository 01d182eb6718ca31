-- Matching a remitted claim without our control number looks its patient up by member id, else
-- by name, case-insensitively (lib/server/remits/match.ts). Under forced row-level security the
-- expression indexes on lower(...) served neither lookup: lower() is not leakproof, so PostgreSQL
-- applies it row by row after the policy, and each name read every patient of the practice (14 s
-- of a 100,000-line 835 of the practice's own, at 28,000 patients; docs/performance.md, "A
-- practice's own 835 of a million lines"). Stored generated keys, compared with text equality
-- (leakproof), are found by index. Not in schema.prisma: the app reads them in SQL only and never
-- writes them (as "searchText", migration patient_search_keys).
ALTER TABLE "Patient"
  ADD COLUMN "lastNameKey" text GENERATED ALWAYS AS (lower("lastName")) STORED,
  ADD COLUMN "firstNameKey" text GENERATED ALWAYS AS (lower("firstName")) STORED;
CREATE INDEX "Patient_practiceId_nameKey_idx" ON "Patient" ("practiceId", "lastNameKey", "firstNameKey");
DROP INDEX "Patient_practiceId_lower_name_idx";

ALTER TABLE "Coverage" ADD COLUMN "memberKey" text GENERATED ALWAYS AS (lower("memberId")) STORED;
CREATE INDEX "Coverage_practiceId_memberKey_idx" ON "Coverage" ("practiceId", "memberKey");
DROP INDEX "Coverage_practiceId_lower_memberId_idx";
