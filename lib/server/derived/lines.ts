// After any write to a visit (or its payer's contract, or the fee schedule), its lines'
// computed columns are brought up to date in the same transaction.
import { therapyPoolOfLine } from "@/lib/billing";
import type { Tx } from "../core/db";
import { isoDate } from "../core/dates";
import { type PracticePricing, priceDay, therapyCodesOf } from "./pricing";
import { undercodingOfDay } from "./undercoding";

type VisitWithLines = {
  id: number;
  /** the practice's visit id: orders the visits of a day */
  externalId: string;
  patientId: number;
  payerId: number;
  dateOfService: Date;
  lines: {
    id: number;
    lineOrder: number;
    cpt: string;
    modifiers: string[];
    minutes: number | null;
    unitsBilled: number;
    chargeCents: number;
    /** the documentation text: feeds the undercoding candidate columns */
    note?: string | null;
  }[];
};

/** A patient's date of service: the group the multiple-procedure rule runs over (DOMAIN.md §3). */
export interface PatientDay {
  patientId: number;
  /** "YYYY-MM-DD" */
  dateOfService: string;
}

/**
 * The computed columns of each line of one patient's visits on one date (units supported, flag,
 * expected allowed, pool, undercoding), the visits priced together.
 */
export function computeDayLines(pricing: PracticePricing, visits: VisitWithLines[]) {
  if (visits.length === 0) return [];
  const dateOfService = isoDate(visits[0]!.dateOfService);
  const sorted = visits.map((v) => ({ visit: v, lines: [...v.lines].sort((a, b) => a.lineOrder - b.lineOrder) }));
  const day = {
    dateOfService,
    visits: sorted.map(({ visit, lines }) => ({
      visitId: visit.externalId,
      payerId: visit.payerId,
      lines: lines.map((l) => ({
        cpt: l.cpt,
        modifiers: l.modifiers,
        minutes: l.minutes,
        unitsBilled: l.unitsBilled,
        chargeCents: l.chargeCents,
        note: l.note,
      })),
    })),
  };
  const priced = priceDay(pricing, day);
  const therapyCodes = therapyCodesOf(pricing);
  const undercoding = undercodingOfDay(pricing, day, priced);
  return sorted.flatMap(({ lines }, v) =>
    lines.map((line, lineIndex) => {
      const price = priced[v]?.lines[lineIndex];
      const undercodingResult = undercoding[v]?.[lineIndex];
      return {
        id: line.id,
        unitsSupported: price?.unitsSupported ?? null,
        unitsFlag: price?.unitsFlag ?? null,
        expectedAllowedCents: price?.expectedAllowedCents ?? null,
        expectedNote: price?.note ?? null,
        // the KX pool: lines of codes on the practice's therapy list only (DOMAIN.md §1)
        pool: therapyPoolOfLine(therapyCodes, line.cpt, line.modifiers),
        undercodingDirection: undercodingResult?.direction ?? null,
        undercodingTerms: undercodingResult?.terms ?? [],
        undercodingGainCents: undercodingResult?.gainCents ?? null,
        undercodingPossible: undercodingResult?.possible ?? null,
        undercodingPossibleReason: undercodingResult?.possibleReason ?? null,
      };
    }),
  );
}

/** The patient-days of some visits. */
export async function daysOfVisits(tx: Tx, practiceId: number, visitIds: number[]): Promise<PatientDay[]> {
  if (visitIds.length === 0) return [];
  const rows = await tx.visit.findMany({
    where: { practiceId, id: { in: visitIds } },
    select: { patientId: true, dateOfService: true },
    distinct: ["patientId", "dateOfService"],
  });
  return rows.map((r) => ({ patientId: r.patientId, dateOfService: isoDate(r.dateOfService) }));
}

/**
 * Brings the computed columns of the given visits up to date, together with every other visit of
 * the same patient on the same date (and of the extra patient-days given: where a visit was before
 * it moved or was deleted), since the multiple-procedure rule prices the patient's whole day.
 * Returns the ids of all visits recomputed.
 */
export async function recomputeVisits(
  tx: Tx,
  pricing: PracticePricing,
  practiceId: number,
  visitIds: number[],
  extraDays: PatientDay[] = [],
): Promise<number[]> {
  const days = [...(await daysOfVisits(tx, practiceId, visitIds)), ...extraDays];
  if (days.length === 0) return [];
  const dayRows = await tx.$queryRaw<{ id: number }[]>`
    select v.id from "Visit" v
    join unnest(${days.map((d) => d.patientId)}::int[], ${days.map((d) => d.dateOfService)}::date[]) as d(patient, dos)
      on v."patientId" = d.patient and v."dateOfService" = d.dos
    where v."practiceId" = ${practiceId}`;
  const allIds = [...new Set(dayRows.map((r) => r.id))];
  if (allIds.length === 0) return [];
  const visits = await tx.visit.findMany({
    where: { practiceId, id: { in: allIds } },
    select: {
      id: true,
      externalId: true,
      patientId: true,
      payerId: true,
      dateOfService: true,
      lines: {
        select: { id: true, lineOrder: true, cpt: true, modifiers: true, minutes: true, unitsBilled: true, chargeCents: true, note: true },
      },
    },
  });
  const byDay = new Map<string, VisitWithLines[]>();
  for (const visit of visits) {
    const key = `${visit.patientId}|${isoDate(visit.dateOfService)}`;
    byDay.set(key, [...(byDay.get(key) ?? []), visit]);
  }
  const updates = [...byDay.values()].flatMap((dayVisits) => computeDayLines(pricing, dayVisits));
  if (updates.length === 0) return allIds;
  // one statement for all lines: fast for imports of thousands of visits
  await tx.$executeRawUnsafe(
    `update "ServiceLine" s set
       "unitsSupported" = u.units_supported,
       "unitsFlag" = u.units_flag,
       "expectedAllowedCents" = u.expected,
       "expectedNote" = u.note,
       "pool" = u.pool::"Pool",
       "undercodingDirection" = u.uc_direction::"UndercodingDirection",
       "undercodingTerms" = array(select jsonb_array_elements_text(u.uc_terms)),
       "undercodingGainCents" = u.uc_gain,
       "undercodingPossible" = u.uc_possible::"UndercodingDirection",
       "undercodingPossibleReason" = u.uc_possible_reason
     from jsonb_to_recordset($1::jsonb) as u(id int, units_supported int, units_flag text, expected int, note text, pool text,
       uc_direction text, uc_terms jsonb, uc_gain int, uc_possible text, uc_possible_reason text)
     where s.id = u.id and s."practiceId" = $2`,
    JSON.stringify(
      updates.map((u) => ({
        id: u.id,
        units_supported: u.unitsSupported,
        units_flag: u.unitsFlag,
        expected: u.expectedAllowedCents,
        note: u.expectedNote,
        pool: u.pool,
        uc_direction: u.undercodingDirection,
        uc_terms: u.undercodingTerms,
        uc_gain: u.undercodingGainCents,
        uc_possible: u.undercodingPossible,
        uc_possible_reason: u.undercodingPossibleReason,
      })),
    ),
    practiceId,
  );
  return allIds;
}
