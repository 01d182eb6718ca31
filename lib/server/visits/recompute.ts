// After any write to a visit (or its payer's contract, or the fee schedule), its lines'
// computed columns are brought up to date in the same transaction.
import { poolOfLine } from "@/lib/billing";
import type { Tx } from "../db";
import { isoDate } from "../dates";
import { type PracticePricing, priceVisit } from "../pricing";
import { undercodingOfVisit } from "../undercoding/candidates";

type VisitWithLines = {
  id: number;
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

/** The computed columns of each line of a visit (units supported, flag, expected allowed, pool, undercoding). */
export function computeLines(pricing: PracticePricing, visit: VisitWithLines) {
  const lines = [...visit.lines].sort((a, b) => a.lineOrder - b.lineOrder);
  const visitLines = lines.map((l) => ({
    cpt: l.cpt,
    modifiers: l.modifiers,
    minutes: l.minutes,
    unitsBilled: l.unitsBilled,
    chargeCents: l.chargeCents,
  }));
  const dateOfService = isoDate(visit.dateOfService);
  const priced = priceVisit(pricing, { payerId: visit.payerId, dateOfService, lines: visitLines });
  const undercoding = undercodingOfVisit(
    pricing,
    { payerId: visit.payerId, dateOfService, lines: visitLines.map((l, i) => ({ ...l, note: lines[i]!.note })) },
    priced,
  );
  return lines.map((l, i) => {
    const p = priced.lines[i];
    const u = undercoding[i];
    return {
      id: l.id,
      unitsSupported: p?.unitsSupported ?? null,
      unitsFlag: p?.unitsFlag ?? null,
      expectedAllowedCents: p?.expectedAllowedCents ?? null,
      expectedNote: p?.note ?? null,
      pool: poolOfLine(l.modifiers),
      undercodingDirection: u?.direction ?? null,
      undercodingTerms: u?.terms ?? [],
      undercodingGainCents: u?.gainCents ?? null,
    };
  });
}

export async function recomputeVisits(tx: Tx, pricing: PracticePricing, practiceId: number, visitIds: number[]): Promise<void> {
  if (visitIds.length === 0) return;
  const visits = await tx.visit.findMany({
    where: { practiceId, id: { in: visitIds } },
    select: {
      id: true,
      payerId: true,
      dateOfService: true,
      lines: {
        select: { id: true, lineOrder: true, cpt: true, modifiers: true, minutes: true, unitsBilled: true, chargeCents: true, note: true },
      },
    },
  });
  const updates = visits.flatMap((v) => computeLines(pricing, v));
  if (updates.length === 0) return;
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
       "undercodingGainCents" = u.uc_gain
     from jsonb_to_recordset($1::jsonb) as u(id int, units_supported int, units_flag text, expected int, note text, pool text,
       uc_direction text, uc_terms jsonb, uc_gain int)
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
      })),
    ),
    practiceId,
  );
}
