-- The claim checks' messages named the clinician as "a OT", "a OTA" or "a SLP" ("furnished by a
-- OT", "the assistant modifier for a OTA", "the clinician is a SLP"); they now read "an OT", "an
-- OTA", "an SLP" as billers say them (lib/billing/claimChecks.ts, credentialWithArticle). The
-- checks stored per visit keep their message until the visit is checked again: the stored ones
-- are corrected here, so that "Claims to fix" reads the same for old and new checks.
UPDATE "VisitClaimCheck"
SET issues = regexp_replace(issues::text, '\m(by|for|is) a (OTA|OT|SLP)\M', '\1 an \2', 'g')::jsonb
WHERE issues::text ~ '\m(by|for|is) a (OTA|OT|SLP)\M';
