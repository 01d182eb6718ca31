// Undercoding candidates of a visit (DOMAIN.md §4), computed with the other columns of its lines
// whenever the visit is saved, imported or re-priced (lib/server/visits/recompute.ts), so reads
// never run the classifier or the pricing over a date range.
import {
  classifyNote,
  type ExpectedVisit,
  THERAPEUTIC_ACTIVITIES_CODE,
  THERAPEUTIC_EXERCISE_CODE,
  type UndercodingDirection,
  type VisitLine,
} from "@/lib/billing";
import { type PracticePricing, priceVisit } from "../pricing";

export interface LineUndercoding {
  direction: UndercodingDirection | null;
  /** the classifier's matched terms, in order of appearance */
  terms: string[];
  /** see potentialGainCents; 0 for reads_as_exercise, null when not a candidate */
  gainCents: number | null;
}

const NOT_A_CANDIDATE: LineUndercoding = { direction: null, terms: [], gainCents: null };

function visitTotal(priced: ExpectedVisit): number {
  return priced.lines.reduce((sum, l) => sum + (l.expectedAllowedCents ?? 0), 0);
}

/**
 * Potential gain of a 97110 line that could have been 97530: the visit re-priced with that line
 * as 97530 minus the visit as billed, under the payer's contract in force or Medicare's fee
 * schedule, multiple-procedure rule included (DOMAIN.md §4 "Loss"). Null when 97530 has no
 * price under those terms (the gain is unknown, not zero).
 */
export function potentialGainCents(
  pricing: PracticePricing,
  visit: { payerId: number; dateOfService: string; lines: VisitLine[] },
  lineIndex: number,
  billed: ExpectedVisit = priceVisit(pricing, visit),
): number | null {
  const lines = visit.lines.map((l, i) => (i === lineIndex ? { ...l, cpt: THERAPEUTIC_ACTIVITIES_CODE } : l));
  const repriced = priceVisit(pricing, { ...visit, lines });
  if (repriced.lines[lineIndex]?.expectedAllowedCents == null) return null;
  return visitTotal(repriced) - visitTotal(billed);
}

/** The undercoding candidate (or not) of each line of a visit, in line order. */
export function undercodingOfVisit(
  pricing: PracticePricing,
  visit: { payerId: number; dateOfService: string; lines: (VisitLine & { note?: string | null })[] },
  billed: ExpectedVisit,
): LineUndercoding[] {
  const plain = visit.lines.map(({ note: _note, ...l }) => l);
  return visit.lines.map((line, i) => {
    const code = line.cpt.trim();
    // only these two codes can be candidates; skip the classifier for every other line
    if ((code !== THERAPEUTIC_EXERCISE_CODE && code !== THERAPEUTIC_ACTIVITIES_CODE) || !line.note?.trim()) return NOT_A_CANDIDATE;
    const c = classifyNote(line.note, code);
    if (c.direction === null) return NOT_A_CANDIDATE;
    const gainCents =
      c.direction === "could_be_97530"
        ? potentialGainCents(pricing, { payerId: visit.payerId, dateOfService: visit.dateOfService, lines: plain }, i, billed)
        : 0;
    return { direction: c.direction, terms: c.matchedTerms, gainCents };
  });
}
