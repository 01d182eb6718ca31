-- MueCap (migration reference_mue_ncci) holds a practice's rows like NcciPair: the same
-- row-level security as every other tenant table (migration tenant_row_level_security).
ALTER TABLE "MueCap" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MueCap" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "MueCap"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);
