// Every KX running total of a practice recomputed in one set-based statement: the same
// results as recomputeKx (lib/server/derived/kx.ts) for every patient × year × pool, for
// a practice loading years of history at once, after a change of the alert level, or to
// repair totals. Window functions give each line its running total in threshold order
// (date of service, visit, line order; DOMAIN.md §1 "Which line crosses").
import { THERAPY_THRESHOLDS_BY_YEAR } from "@/lib/billing";
import { allowLongStatements, db, type Tx } from "../core/db";
import { REBILL_SENT_TEXT } from "./kx";

export interface RecomputeAllResult {
  /** queue items created (patient-year-pools seen for the first time) */
  created: number;
  /** queue items whose figures changed */
  updated: number;
}

/**
 * Recomputes every KxQueueItem of a practice. Rows whose figures are unchanged are left
 * untouched. Runs inside the given transaction, or its own; the practice's items stay
 * locked until that transaction ends.
 */
export async function recomputeAllKx(practiceId: number, tx?: Tx): Promise<RecomputeAllResult> {
  if (!tx) return db().$transaction((t) => recomputeAllKx(practiceId, t), { timeout: 15 * 60_000, maxWait: 30_000 });
  // a recompute of every patient runs as long as the practice needs: no statement timeout (db.ts)
  await allowLongStatements(tx);
  // the window sort of a large practice fits in memory instead of spilling to disk
  await tx.$executeRawUnsafe(`set local work_mem = '512MB'`);
  // a visit saved meanwhile waits for this recompute to finish (it then writes its own,
  // newer figures) instead of having its figures overwritten by an older snapshot
  await tx.$queryRaw`with locked as (select 1 from "KxQueueItem" where "practiceId" = ${practiceId} for update) select count(*) from locked`;
  const thresholds = JSON.stringify(
    Object.entries(THERAPY_THRESHOLDS_BY_YEAR).map(([year, t]) => ({
      year: Number(year),
      kx: t.kxThresholdCents,
      review: t.reviewThresholdCents,
    })),
  );
  const rows = await tx.$queryRawUnsafe<{ created: bigint; updated: bigint }[]>(RECOMPUTE_ALL_SQL, practiceId, thresholds);
  return { created: Number(rows[0]?.created ?? 0), updated: Number(rows[0]?.updated ?? 0) };
}

// $1 practice id, $2 the thresholds by year as JSON. A year missing from the table gives
// "below" with no crossings, as thresholdsFor's "unknown year" does in recomputeKx.
// Modifiers are compared case-insensitively like hasModifier (two-character codes).
const KX_OR_GA = `array['KX','Kx','kX','kx','GA','Ga','gA','ga']::text[]`;

const RECOMPUTE_ALL_SQL = `
with practice as (
  select "alertLevelCents" as alert from "Practice" where id = $1
),
thresholds as (
  select t.year, t.kx, t.review from jsonb_to_recordset($2::jsonb) as t(year int, kx int, review int)
),
lines as (
  select v."patientId" as patient_id,
         extract(year from v."dateOfService")::int as year,
         s.pool,
         v."dateOfService" as dos,
         v."externalId" as visit_ext,
         s."lineOrder" as line_order,
         s."visitId" as visit_id,
         v."therapistId" as therapist_id,
         coalesce(v."clinicId", t."clinicId") as clinic_id,
         coalesce(r."remitAllowedCents", s."expectedAllowedCents", 0)::bigint as allowed,
         r."remitAllowedCents" is null as unconfirmed,
         (r."remitWork" is not null and not ${REBILL_SENT_TEXT}) as rebill,
         (r."remitWork" is not null and ${REBILL_SENT_TEXT}) as rebill_sent,
         s.modifiers && ${KX_OR_GA} as has_kx_or_ga
  from "ServiceLine" s
  left join "ServiceLineRemit" r on r."serviceLineId" = s.id
  join "Visit" v on v.id = s."visitId"
  join "Payer" p on p.id = v."payerId"
  join "Therapist" t on t.id = v."therapistId"
  where s."practiceId" = $1 and v."practiceId" = $1 and p.kind = 'medicare' and s.pool is not null
),
running as (
  -- running total after each line, amounts used elsewhere added first
  select l.*,
         coalesce(u."amountCents", 0) + sum(l.allowed) over w as running
  from lines l
  left join "ThresholdUsage" u
    on u."practiceId" = $1 and u."patientId" = l.patient_id and u.year = l.year and u.pool = l.pool
  window w as (partition by l.patient_id, l.year, l.pool
               order by l.dos, l.visit_ext collate "C", l.line_order
               rows between unbounded preceding and current row)
),
reached as (
  -- the highest running total so far: a line is at or after a level's crossing line
  -- exactly when it is past that level
  select r.*,
         max(r.running) over (partition by r.patient_id, r.year, r.pool
                              order by r.dos, r.visit_ext collate "C", r.line_order
                              rows between unbounded preceding and current row) as reached
  from running r
),
per_pool as (
  select r.patient_id, r.year, r.pool,
         sum(r.allowed) as allowed_here,
         count(distinct r.visit_id) as visit_count,
         min(r.dos) as first_visit_on,
         max(r.dos) as last_visit_on,
         array_agg(distinct r.therapist_id order by r.therapist_id) as therapist_ids,
         array_agg(distinct r.clinic_id order by r.clinic_id) filter (where r.clinic_id is not null) as clinic_ids,
         bool_or(r.unconfirmed) as estimated,
         min(r.dos) filter (where r.reached > pr.alert and t.year is not null) as alert_on,
         min(r.dos) filter (where r.reached > t.kx) as kx_on,
         min(r.dos) filter (where r.reached > t.review) as review_on,
         count(*) filter (where r.reached > t.kx and not r.has_kx_or_ga) as missing,
         count(*) filter (where r.rebill) as rebill,
         count(*) filter (where r.rebill_sent) as rebill_sent
  from reached r
  cross join practice pr
  left join thresholds t on t.year = r.year
  group by r.patient_id, r.year, r.pool
),
keys as (
  select patient_id, year, pool from per_pool
  union
  select "patientId", year, pool from "KxQueueItem" where "practiceId" = $1
),
totals as (
  select k.patient_id, k.year, k.pool,
         coalesce(pp.allowed_here, 0) as allowed_here,
         coalesce(u."amountCents", 0) as used_elsewhere,
         coalesce(pp.allowed_here, 0) + coalesce(u."amountCents", 0) as total,
         pp.alert_on, pp.kx_on, pp.review_on,
         coalesce(pp.missing, 0) as missing,
         coalesce(pp.rebill, 0) as rebill,
         coalesce(pp.rebill_sent, 0) as rebill_sent,
         coalesce(pp.estimated, false) as estimated,
         coalesce(pp.visit_count, 0) as visit_count,
         pp.first_visit_on,
         pp.last_visit_on,
         coalesce(pp.therapist_ids, array[]::int[]) as therapist_ids,
         coalesce(pp.clinic_ids, array[]::int[]) as clinic_ids,
         t.year is not null as known_year,
         t.kx, t.review, pr.alert
  from keys k
  cross join practice pr
  left join per_pool pp on pp.patient_id = k.patient_id and pp.year = k.year and pp.pool = k.pool
  left join "ThresholdUsage" u on u."practiceId" = $1 and u."patientId" = k.patient_id and u.year = k.year and u.pool = k.pool
  left join thresholds t on t.year = k.year
),
leveled as (
  select x.*,
         case when not x.known_year then 'below'
              when x.total > x.review then 'review'
              when x.total > x.kx then 'kx'
              when x.total > x.alert then 'alert'
              else 'below' end as level
  from totals x
),
ranked as (
  select l.*, e.status as old_status, e."linesMissingKx" as old_missing, e.level::text as old_level,
         case when l.level in ('kx', 'review') and l.missing > 0 then 0
              when l.level = 'review' and e."docReviewedAt" is null then 1
              when l.level = 'alert' then 2
              when l.level = 'kx' then 3
              when l.level = 'review' then 4
              else 9 end as urgency
  from leveled l
  left join "KxQueueItem" e on e."practiceId" = $1 and e."patientId" = l.patient_id and e.year = l.year and e.pool = l.pool
),
upserted as (
  insert into "KxQueueItem" as i (
    "practiceId", "patientId", year, pool, "allowedHereCents", "usedElsewhereCents", "totalCents", level,
    "alertCrossedOn", "kxCrossedOn", "reviewCrossedOn", "linesMissingKx", "linesToRebill", "linesRebillSent", estimated, "visitCount", "firstVisitOn", "lastVisitOn",
    "therapistIds", "clinicIds", urgency, status, "updatedAt")
  select $1, r.patient_id, r.year, r.pool, r.allowed_here::int, r.used_elsewhere::int, r.total::int, r.level::"ThresholdLevel",
         r.alert_on, r.kx_on, r.review_on, r.missing::int, r.rebill::int, r.rebill_sent::int, r.estimated, r.visit_count::int, r.first_visit_on, r.last_visit_on,
         r.therapist_ids, r.clinic_ids, r.urgency,
         -- a resolved item comes back when the patient needs action again (as in recomputeKx)
         (case when r.old_status = 'RESOLVED' and r.urgency <= 1 and (r.old_missing < r.missing or r.old_level <> r.level)
               then 'OPEN' else coalesce(r.old_status::text, 'OPEN') end)::"KxItemStatus",
         now()
  from ranked r
  on conflict ("practiceId", "patientId", year, pool) do update set
    "allowedHereCents" = excluded."allowedHereCents",
    "usedElsewhereCents" = excluded."usedElsewhereCents",
    "totalCents" = excluded."totalCents",
    level = excluded.level,
    "alertCrossedOn" = excluded."alertCrossedOn",
    "kxCrossedOn" = excluded."kxCrossedOn",
    "reviewCrossedOn" = excluded."reviewCrossedOn",
    "linesMissingKx" = excluded."linesMissingKx",
    "linesToRebill" = excluded."linesToRebill",
    "linesRebillSent" = excluded."linesRebillSent",
    estimated = excluded.estimated,
    "visitCount" = excluded."visitCount",
    "firstVisitOn" = excluded."firstVisitOn",
    "lastVisitOn" = excluded."lastVisitOn",
    "therapistIds" = excluded."therapistIds",
    "clinicIds" = excluded."clinicIds",
    urgency = excluded.urgency,
    status = excluded.status,
    "updatedAt" = now()
  where (i."allowedHereCents", i."usedElsewhereCents", i."totalCents", i.level, i."alertCrossedOn", i."kxCrossedOn",
         i."reviewCrossedOn", i."linesMissingKx", i."linesToRebill", i."linesRebillSent", i.estimated, i."visitCount", i."firstVisitOn", i."lastVisitOn", i."therapistIds",
         i."clinicIds", i.urgency, i.status)
        is distinct from
        (excluded."allowedHereCents", excluded."usedElsewhereCents", excluded."totalCents", excluded.level,
         excluded."alertCrossedOn", excluded."kxCrossedOn", excluded."reviewCrossedOn", excluded."linesMissingKx",
         excluded."linesToRebill", excluded."linesRebillSent", excluded.estimated, excluded."visitCount", excluded."firstVisitOn", excluded."lastVisitOn", excluded."therapistIds",
         excluded."clinicIds", excluded.urgency, excluded.status)
  returning (xmax = 0) as created
)
select count(*) filter (where created) as created, count(*) filter (where not created) as updated from upserted`;
