-- Row-level security on every table of a practice's rows: a query sees and writes only the rows
-- of the practice its transaction named with SET LOCAL app.practice_id (set_config(…, true);
-- lib/server/scope.ts does it for every query of the app). A forgotten filter then returns
-- nothing rather than another practice's rows, for Prisma, raw SQL and COPY alike.
--
-- FORCE: the owner of the tables is held to the policies too (unless it has BYPASSRLS, as the
-- owner role the project's scripts create does, so that a migration can rewrite every practice's
-- rows). Outside any practice (app.practice_id unset, or '' once a SET LOCAL of an earlier
-- transaction on the connection ended) no row matches.
--
-- Not here: Practice, User and Membership (read by the sign-in lookup before a practice is
-- chosen; the app's queries of them are scoped in lib/server/scope.ts), Invitation (read by its
-- link's token before anyone is signed in; likewise scoped in the app), SignInThrottle and
-- CodeListEntry (shared by every practice).

ALTER TABLE "Clinic" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Clinic" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Clinic"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Therapist" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Therapist" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Therapist"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Patient" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Patient" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Patient"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Payer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Payer" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Payer"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Coverage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Coverage" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Coverage"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Claim" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Claim" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Claim"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Visit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Visit" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Visit"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ServiceLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ServiceLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ServiceLine"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ThresholdUsage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ThresholdUsage" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ThresholdUsage"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "KxQueueItem" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "KxQueueItem" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "KxQueueItem"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "KxQueueAction" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "KxQueueAction" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "KxQueueAction"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Contract" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Contract" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Contract"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ContractRate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ContractRate" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ContractRate"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "FeeScheduleRow" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "FeeScheduleRow" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "FeeScheduleRow"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "Gpci" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Gpci" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "Gpci"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "NcciPair" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "NcciPair" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "NcciPair"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ImportJob" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ImportJob" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ImportJob"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RemitFile" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RemitFile" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RemitFile"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RemitPayment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RemitPayment" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RemitPayment"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RemitClaim" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RemitClaim" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RemitClaim"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RemitLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RemitLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RemitLine"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RemitAdjustment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RemitAdjustment" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RemitAdjustment"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ProviderAdjustment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ProviderAdjustment" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ProviderAdjustment"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "UndercodingReview" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "UndercodingReview" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "UndercodingReview"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RevenueWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RevenueWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RevenueWeek"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "ReceivableWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ReceivableWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "ReceivableWeek"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "RevenueDirtyWeek" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RevenueDirtyWeek" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "RevenueDirtyWeek"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

ALTER TABLE "AuditEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AuditEvent" FORCE ROW LEVEL SECURITY;
CREATE POLICY practice_isolation ON "AuditEvent"
  USING ("practiceId" = NULLIF(current_setting('app.practice_id', true), '')::int);

-- A failed sign-in of an unknown address is recorded before any practice is known.
CREATE POLICY audit_without_practice ON "AuditEvent" FOR INSERT WITH CHECK ("practiceId" IS NULL);
