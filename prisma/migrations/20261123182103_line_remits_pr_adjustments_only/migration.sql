-- Only patient-responsibility (PR) adjustments feed a line's remit figures: skip the others
-- (most of a remit's adjustment rows are CO-45 and the like), so a large 835 import pays the
-- line summaries' refresh once per line batch instead of twice.
CREATE OR REPLACE FUNCTION revenue_line_remits_from_adjustments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
    FROM (SELECT DISTINCT "remitLineId" FROM new_rows WHERE "remitLineId" IS NOT NULL AND "groupCode" = 'PR') n
    JOIN "RemitLine" rl ON rl.id = n."remitLineId"
    WHERE rl."serviceLineId" IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
    FROM (SELECT "remitLineId" FROM new_rows WHERE "groupCode" = 'PR' UNION SELECT "remitLineId" FROM old_rows WHERE "groupCode" = 'PR') n
    JOIN "RemitLine" rl ON rl.id = n."remitLineId"
    WHERE rl."serviceLineId" IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT rl."serviceLineId") INTO ids
    FROM (SELECT DISTINCT "remitLineId" FROM old_rows WHERE "remitLineId" IS NOT NULL AND "groupCode" = 'PR') o
    JOIN "RemitLine" rl ON rl.id = o."remitLineId"
    WHERE rl."serviceLineId" IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN PERFORM revenue_refresh_line_remits(ids); END IF;
  RETURN NULL;
END $$;
