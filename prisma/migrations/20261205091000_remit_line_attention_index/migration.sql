-- The remit lines that need a person (lib/server/remits/attention.ts: a reversal of a payment we
-- never received, a claim paid twice) are read on every open of /remits/unmatched. They are a
-- handful, but without an index PostgreSQL read every remit line of the practice to find none
-- (830 ms at 2.8 million remit lines). "netRole" is text, and text equality is leakproof, so under
-- row-level security this partial index serves the query's own condition.
CREATE INDEX "RemitLine_attention_idx" ON "RemitLine" ("practiceId", "remitClaimId")
  WHERE "netRole" IN ('unmatched_reversal', 'duplicate');
