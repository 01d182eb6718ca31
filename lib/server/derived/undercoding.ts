// Undercoding candidates of a visit (DOMAIN.md §4), computed with the other columns of its lines
// whenever the visit is saved, imported or re-priced (lib/server/derived/lines.ts), so reads
// never run the classifier or the pricing over a date range.
import {
  classifyNote,
  type ExpectedVisit,
  THERAPEUTIC_ACTIVITIES_CODE,
  THERAPEUTIC_EXERCISE_CODE,
  type UndercodingDirection,
  type VisitLine,
} from "@/lib/billing";
import { type DayVisitInput, type PracticePricing, priceDay } from "./pricing";

export interface LineUndercoding {
  direction: UndercodingDirection | null;
  /** the classifier's matched terms, in order of appearance */
  terms: string[];
  /** see potentialGainCents; 0 for reads_as_exercise, null when not a candidate (counted or possible) */
  gainCents: number | null;
  /** with the practice's reviewAmbiguousNotes: an ambiguous note's direction, never counted (direction is then null) */
  possible: UndercodingDirection | null;
  /** why the note is ambiguous */
  possibleReason: string | null;
}

const NOT_A_CANDIDATE: LineUndercoding = { direction: null, terms: [], gainCents: null, possible: null, possibleReason: null };

function dayTotal(priced: ExpectedVisit[]): number {
  return priced.reduce((sum, visit) => sum + visit.lines.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0), 0);
}

type Day = { dateOfService: string; visits: DayVisitInput[] };

/**
 * Potential gain of a 97110 line that could have been 97530: the patient's day re-priced with
 * that line as 97530 minus the day as billed, under the payer's contract in force or Medicare's
 * fee schedule, multiple-procedure rule over the whole day included (DOMAIN.md §4 "Loss"). Null
 * when 97530 has no price under those terms (the gain is unknown, not zero).
 */
export function potentialGainCents(
  pricing: PracticePricing,
  day: Day,
  visitIndex: number,
  lineIndex: number,
  billed: ExpectedVisit[] = priceDay(pricing, day),
): number | null {
  const visits = day.visits.map((visit, v) =>
    v === visitIndex
      ? { ...visit, lines: visit.lines.map((l, i) => (i === lineIndex ? { ...l, cpt: THERAPEUTIC_ACTIVITIES_CODE } : l)) }
      : visit,
  );
  const repriced = priceDay(pricing, { ...day, visits });
  if (repriced[visitIndex]?.lines[lineIndex]?.expectedAllowedCents == null) return null;
  return dayTotal(repriced) - dayTotal(billed);
}

/** The undercoding candidate (or not) of each line of each visit of a patient's day, in line order. */
export function undercodingOfDay(
  pricing: PracticePricing,
  day: { dateOfService: string; visits: (Omit<DayVisitInput, "lines"> & { lines: (VisitLine & { note?: string | null })[] })[] },
  billed: ExpectedVisit[],
): LineUndercoding[][] {
  const plain: Day = {
    dateOfService: day.dateOfService,
    visits: day.visits.map((visit) => ({ ...visit, lines: visit.lines.map(({ note: _note, ...l }) => l) })),
  };
  return day.visits.map((visit, v) =>
    visit.lines.map((line, lineIndex) => {
      const code = line.cpt.trim();
      // only these two codes can be candidates; skip the classifier for every other line
      if ((code !== THERAPEUTIC_EXERCISE_CODE && code !== THERAPEUTIC_ACTIVITIES_CODE) || !line.note?.trim()) return NOT_A_CANDIDATE;
      const classification = classifyNote(line.note, code, { reviewAmbiguous: pricing.reviewAmbiguousNotes === true });
      const possible = classification.possible ?? null;
      const direction = classification.direction ?? possible?.direction ?? null;
      if (direction === null) return NOT_A_CANDIDATE;
      const gainCents = direction === "could_be_97530" ? potentialGainCents(pricing, plain, v, lineIndex, billed) : 0;
      if (classification.direction !== null)
        return { direction: classification.direction, terms: classification.matchedTerms, gainCents, possible: null, possibleReason: null };
      // a possible line keeps the words of its possible direction, as a counted one does
      const words = direction === "could_be_97530" ? classification.functionalTerms : classification.exerciseTerms;
      const terms = [...new Set([...words].sort((a, b) => a.start - b.start).map((m) => m.term))];
      return { direction: null, terms, gainCents, possible: direction, possibleReason: possible?.reason ?? null };
    }),
  );
}
