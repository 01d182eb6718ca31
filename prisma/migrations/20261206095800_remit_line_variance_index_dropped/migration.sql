-- RemitLine_practiceId_varianceCents_idx held every remit line with an expected amount (every
-- matched line of a practice's own 835). No read needs it: the underpayments' reads ask for
-- "varianceCents" > 0 on lines not denied, which RemitLine_underpaid_idx holds in their order,
-- and at a million visits every page left it unread (pg_stat_user_indexes: 0 scans after the
-- pages benchmark). Writing it cost a practice's own million-line 835 about 5 s: 12,120 and
-- 12,734 lines/s with it, 13,526 and 13,582 without (runs alternated, docs/performance.md).
DROP INDEX IF EXISTS "RemitLine_practiceId_varianceCents_idx";
