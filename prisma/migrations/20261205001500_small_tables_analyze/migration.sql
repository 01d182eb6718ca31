-- Statistics for the small tables a list joins (a practice's payers, contracts, clinics,
-- therapists, its members and settings). Autovacuum analyzes a table after 50 changes plus 10%
-- of its rows, so a practice with 9 payers never had Payer analyzed. Under row-level security
-- (migration tenant_row_level_security) the planner then misjudged the joins through it: the
-- underpayment worklist read every visit of the practice (192 ms) instead of walking the
-- variance index (10 ms once Payer had statistics), and under 50 users such pages ran into the
-- statement timeout. A threshold of 5 changes keeps these tables analyzed from their first rows.
ALTER TABLE "Practice" SET (autovacuum_analyze_threshold = 5);
ALTER TABLE "Payer" SET (autovacuum_analyze_threshold = 5);
ALTER TABLE "Contract" SET (autovacuum_analyze_threshold = 5);
ALTER TABLE "Clinic" SET (autovacuum_analyze_threshold = 5);
ALTER TABLE "Therapist" SET (autovacuum_analyze_threshold = 5);
ALTER TABLE "Membership" SET (autovacuum_analyze_threshold = 5);
ALTER TABLE "User" SET (autovacuum_analyze_threshold = 5);
-- and now, for the tables as they stand
ANALYZE "Practice", "Payer", "Contract", "Clinic", "Therapist", "Membership", "User";
