-- The patient search reads each patient once, with the words a search compares already worked
-- out. Under forced row-level security no index can serve it (LIKE, ILIKE, lower() and
-- regexp_replace() are not leakproof, so PostgreSQL applies them row by row after the policy), and
-- it evaluated per row, per search: ILIKE on the id, first and last name, and three regular
-- expressions for the patient id in any spelling (780 ms of the 1 s a search of a common name took
-- at 62,500 patients). Stored generated columns, written by PostgreSQL with the row:
--   "searchText": patient id, first and last name, lowercased, one per line (a search word has no
--     line break, so it is contained in the text exactly when it is contained in one of them);
--   "idNumber" / "idLetters": the patient id's digits without leading zeros and its letters,
--     uppercased ("P-00012" → "12", "P"), the two halves a spelling of the id is compared with.
-- They are not in schema.prisma: the app reads them in SQL only and never writes them.
ALTER TABLE "Patient"
  ADD COLUMN "searchText" text GENERATED ALWAYS AS (lower("externalId" || E'\n' || "firstName" || E'\n' || "lastName")) STORED,
  ADD COLUMN "idNumber" text GENERATED ALWAYS AS (
    CASE WHEN regexp_replace("externalId", '[^0-9]', '', 'g') <> ''
         THEN coalesce(nullif(ltrim(regexp_replace("externalId", '[^0-9]', '', 'g'), '0'), ''), '0') END) STORED,
  ADD COLUMN "idLetters" text GENERATED ALWAYS AS (upper(regexp_replace("externalId", '[^A-Za-z]', '', 'g'))) STORED;
-- an id spelled out finds its patient by key (text equality is leakproof)
CREATE INDEX "Patient_practiceId_idNumber_idx" ON "Patient" ("practiceId", "idNumber");
