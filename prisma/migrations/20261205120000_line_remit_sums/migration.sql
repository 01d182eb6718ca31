-- The service lines' remit summaries as a query of their own (revenue_line_remit_sums), with the
-- count of every remit line of each (whatever its role): revenue_refresh_line_remits stores them,
-- and the derived-figures pipeline stores them in the same update as the confirmed allowed amount
-- of lines whose one remit line was netted as it was written (lib/server/derived/remits.ts), so
-- that a practice's own 835 updates each service line once per batch instead of twice
-- (docs/performance.md, "A practice's own 835 of a million lines"). The sums are those of
-- migration remit_edge_rules, unchanged.
CREATE FUNCTION revenue_line_remit_sums(line_ids int[])
RETURNS TABLE (id int, remit_lines int, line_count int, net_count int, paid int, allowed int, pr int, denial_cause text)
LANGUAGE sql STABLE AS $$
  SELECT r.id,
         count(r.rl_id)::int AS remit_lines,
         count(r.rl_id) FILTER (WHERE r.role IN ('paid', 'reversed', 'reversal', 'secondary'))::int AS line_count,
         coalesce(sum(CASE WHEN r.role = 'reversal' THEN -1 ELSE 1 END)
                  FILTER (WHERE r.role IN ('paid', 'reversed', 'reversal')), 0)::int AS net_count,
         coalesce(sum(r.paid) FILTER (WHERE r.role IN ('paid', 'reversed', 'reversal', 'secondary')), 0)::int AS paid,
         coalesce(sum(r.allowed) FILTER (WHERE r.role IN ('paid', 'reversed', 'reversal')), 0)::int AS allowed,
         coalesce(sum(r.pr) FILTER (WHERE r.role IN ('paid', 'reversed', 'reversal')), 0)::int AS pr,
         (array_agg(r.denial_cause ORDER BY r.rl_id DESC) FILTER (WHERE r.role = 'paid'))[1] AS denial_cause
  FROM (
    -- a line not netted yet (written by hand, or its claim restated) whose claim is a
    -- reversal counts as one, as netting would have it
    SELECT t.id, l.rl_id, l.paid, l.allowed, l.pr, l.denial_cause, l.role
    FROM (SELECT sl.id, sl."practiceId" FROM "ServiceLine" sl WHERE sl.id = ANY(line_ids)) t
    -- each line's remit lines read by its key ("OFFSET 0" keeps the planner from flattening the
    -- join): a plan for the function's parameter read every remit line of the practice in
    -- service-line order instead (seconds per call inside a large import)
    LEFT JOIN LATERAL (
      SELECT rl.id AS rl_id, rl."paidCents" AS paid, rl."allowedCents" AS allowed, rl."patientRespCents" AS pr,
             rl."denialCause" AS denial_cause,
             CASE WHEN rl."netRole" = 'paid' AND rc."statusCode" = '22' THEN 'reversal' ELSE rl."netRole" END AS role
      FROM "RemitLine" rl
      LEFT JOIN "RemitClaim" rc ON rc.id = rl."remitClaimId"
      WHERE rl."practiceId" = t."practiceId" AND rl."serviceLineId" = t.id
      OFFSET 0
    ) l ON true
  ) r
  GROUP BY r.id
$$;

CREATE OR REPLACE FUNCTION revenue_refresh_line_remits(line_ids int[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "ServiceLine" s SET
    "remitLineCount" = a.line_count,
    "remitNetCount" = a.net_count,
    "remitPaidCents" = a.paid,
    "remitAllowedNetCents" = a.allowed,
    "remitPatientRespCents" = a.pr,
    "remitDenialCause" = a.denial_cause
  FROM revenue_line_remit_sums(line_ids) a
  WHERE s.id = a.id
    AND (s."remitLineCount", s."remitNetCount", s."remitPaidCents", s."remitAllowedNetCents", s."remitPatientRespCents", s."remitDenialCause")
        IS DISTINCT FROM (a.line_count, a.net_count, a.paid, a.allowed, a.pr, a.denial_cause)
$$;
