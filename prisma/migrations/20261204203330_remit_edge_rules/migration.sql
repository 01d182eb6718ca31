-- AlterTable
ALTER TABLE "ServiceLine" ADD COLUMN     "remitWork" TEXT;

-- AlterTable
ALTER TABLE "KxQueueItem" ADD COLUMN     "linesToRebill" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "RemitClaim" ADD COLUMN     "linesKey" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "RemitLine" ADD COLUMN     "netRole" TEXT NOT NULL DEFAULT 'paid',
ADD COLUMN     "paidCpt" TEXT;

-- The service lines' remit summaries follow what netting decided of each remit line
-- (RemitLine."netRole", set by lib/server/remits/confirm.ts with lib/billing/remits.ts):
-- cash counts the primary and secondary payers' payments, never a duplicate payment or a
-- reversal whose original is not on file; allowed, patient share and adjudication count the
-- primary payer's alone (DOMAIN.md §5, edge rules).
CREATE OR REPLACE FUNCTION revenue_refresh_line_remits(line_ids int[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "ServiceLine" s SET
    "remitLineCount" = a.line_count,
    "remitNetCount" = a.net_count,
    "remitPaidCents" = a.paid,
    "remitAllowedNetCents" = a.allowed,
    "remitPatientRespCents" = a.pr,
    "remitDenialCause" = a.denial_cause
  FROM (
    SELECT r.id,
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
      SELECT t.id, rl.id AS rl_id, rl."paidCents" AS paid, rl."allowedCents" AS allowed, rl."patientRespCents" AS pr,
             rl."denialCause" AS denial_cause,
             CASE WHEN rl."netRole" = 'paid' AND rc."statusCode" = '22' THEN 'reversal' ELSE rl."netRole" END AS role
      FROM (SELECT sl.id, sl."practiceId" FROM "ServiceLine" sl WHERE sl.id = ANY(line_ids)) t
      LEFT JOIN "RemitLine" rl ON rl."practiceId" = t."practiceId" AND rl."serviceLineId" = t.id
      LEFT JOIN "RemitClaim" rc ON rc.id = rl."remitClaimId"
    ) r
    GROUP BY r.id
  ) a
  WHERE s.id = a.id
    AND (s."remitLineCount", s."remitNetCount", s."remitPaidCents", s."remitAllowedNetCents", s."remitPatientRespCents", s."remitDenialCause")
        IS DISTINCT FROM (a.line_count, a.net_count, a.paid, a.allowed, a.pr, a.denial_cause)
$$;

-- A change of a remit line's role refreshes its service line's summaries too.
CREATE OR REPLACE FUNCTION revenue_line_remits_from_remit_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT "serviceLineId") INTO ids FROM new_rows WHERE "serviceLineId" IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT x) INTO ids
    FROM (
      SELECT unnest(ARRAY[n."serviceLineId", o."serviceLineId"]) AS x
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n."serviceLineId", n."remitClaimId", n."paidCents", n."allowedCents", n."patientRespCents", n."denialCause", n."netRole")
            IS DISTINCT FROM (o."serviceLineId", o."remitClaimId", o."paidCents", o."allowedCents", o."patientRespCents", o."denialCause", o."netRole")
    ) u WHERE x IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT "serviceLineId") INTO ids FROM old_rows WHERE "serviceLineId" IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN PERFORM revenue_refresh_line_remits(ids); END IF;
  RETURN NULL;
END $$;
