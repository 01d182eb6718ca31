// Timed units: the 8-minute rule (DOMAIN.md §2; CMS Pub. 100-04 ch. 5 §20.2).
import { isTimedCode, normalizeCode } from "./codes";

/** How a payer turns minutes into units: CMS pooled per visit, or each code on its own ("rule of eights"). */
export type UnitMethod = "cms" | "per_code";
/** Units billed compared with units supported: more (overbilling risk), fewer (lost revenue), or equal. */
export type UnitsFlag = "over" | "under" | "ok";

export interface UnitLine {
  cpt: string;
  /** Direct one-on-one minutes; ignored (and may be null) for untimed codes. */
  minutes: number | null;
  unitsBilled: number;
  /** The payer's cap on units of this code per visit, if any. */
  maxUnitsPerVisit?: number | null;
}

export interface UnitLineResult {
  cpt: string;
  timed: boolean;
  /** Minutes counted for this line (0 for untimed codes). */
  minutes: number;
  /** Units the minutes support under the method, before any cap. */
  unitsByMinutes: number;
  /** Units the visit supports for this line: units by minutes, capped by the payer's limit; 1 for an untimed code. */
  unitsSupported: number;
  /** True when the payer's per-visit cap lowered the units supported. */
  capped: boolean;
  unitsBilled: number;
  flag: UnitsFlag;
  /** True when this line's units were decided by a tie on leftover minutes (earlier line wins). */
  tieBroken: boolean;
}

export interface VisitUnits {
  method: UnitMethod;
  /** Total timed minutes T of the visit (untimed codes never count). */
  totalTimedMinutes: number;
  /** Timed units the visit supports before caps (N under the CMS method). */
  totalTimedUnits: number;
  lines: UnitLineResult[];
  /** True when any remaining unit was given out by breaking a tie. */
  tieBroken: boolean;
}

/** Units for a total of timed minutes: 0 below 8, else floor((T + 7) / 15) (CMS Pub. 100-04 ch. 5 §20.2). */
export function unitsForTimedMinutes(totalMinutes: number): number {
  const minutes = wholeMinutes(totalMinutes);
  return minutes < 8 ? 0 : Math.floor((minutes + 7) / 15);
}

/** Compares units billed with units supported (DOMAIN.md §2: flag over- and under-billing). */
export function unitsFlagFor(unitsBilled: number, unitsSupported: number): UnitsFlag {
  if (unitsBilled > unitsSupported) return "over";
  if (unitsBilled < unitsSupported) return "under";
  return "ok";
}

/**
 * Units a visit supports, per line, by the payer's unit method (CMS Pub. 100-04 ch. 5 §20.2
 * for "cms"; DOMAIN.md §2 for "per_code"); untimed codes support 1 unit; caps applied last.
 */
export function unitsByEightMinuteRule(lines: readonly UnitLine[], method: UnitMethod = "cms"): VisitUnits {
  const timed = lines.map((line) => isTimedCode(line.cpt));
  const minutes = lines.map((line, i) => (timed[i] ? wholeMinutes(line.minutes ?? 0) : 0));

  // Lines of the same code share that code's minutes ("each code gets floor(minutes / 15)").
  const codeOrder: string[] = [];
  const linesOfCode = new Map<string, number[]>();
  lines.forEach((line, lineIndex) => {
    if (!timed[lineIndex]) return;
    const code = normalizeCode(line.cpt);
    const indices = linesOfCode.get(code);
    if (indices) indices.push(lineIndex);
    else {
      linesOfCode.set(code, [lineIndex]);
      codeOrder.push(code);
    }
  });
  const codeMinutes = codeOrder.map((code) => (linesOfCode.get(code) ?? []).reduce((sum, i) => sum + (minutes[i] ?? 0), 0));

  const totalTimedMinutes = codeMinutes.reduce((sum, m) => sum + m, 0);
  let codeUnits: number[];
  let codeTies: boolean[];
  if (method === "cms") {
    const allocation = largestLeftoverAllocation(codeMinutes, unitsForTimedMinutes(totalTimedMinutes));
    codeUnits = allocation.units;
    codeTies = allocation.tieBroken;
  } else {
    codeUnits = codeMinutes.map(unitsForTimedMinutes);
    codeTies = codeMinutes.map(() => false);
  }

  // Hand each code's units back to its lines (only matters when a code is on several lines).
  const lineUnits = lines.map(() => 0);
  const lineTies = lines.map(() => false);
  codeOrder.forEach((code, codeIndex) => {
    const indices = linesOfCode.get(code) ?? [];
    const allocation = largestLeftoverAllocation(
      indices.map((i) => minutes[i] ?? 0),
      codeUnits[codeIndex] ?? 0,
    );
    indices.forEach((lineIndex, position) => {
      lineUnits[lineIndex] = allocation.units[position] ?? 0;
      lineTies[lineIndex] = (codeTies[codeIndex] ?? false) || (allocation.tieBroken[position] ?? false);
    });
  });

  const results: UnitLineResult[] = lines.map((line, lineIndex) => {
    const isTimed = timed[lineIndex] ?? false;
    const unitsByMinutes = isTimed ? (lineUnits[lineIndex] ?? 0) : 1;
    const cap = line.maxUnitsPerVisit;
    const capped = cap != null && unitsByMinutes > cap;
    const unitsSupported = capped ? cap : unitsByMinutes;
    return {
      cpt: line.cpt,
      timed: isTimed,
      minutes: minutes[lineIndex] ?? 0,
      unitsByMinutes,
      unitsSupported,
      capped,
      unitsBilled: line.unitsBilled,
      flag: unitsFlagFor(line.unitsBilled, unitsSupported),
      tieBroken: lineTies[lineIndex] ?? false,
    };
  });

  return {
    method,
    totalTimedMinutes,
    totalTimedUnits: codeUnits.reduce((sum, u) => sum + u, 0),
    lines: results,
    tieBroken: results.some((line) => line.tieBroken),
  };
}

/**
 * CMS steps 2 and 3: floor(m / 15) full units each, then the remaining units one each to the
 * largest leftover minutes; equal leftovers go to the earlier entry and the tie is recorded
 * on every entry of a tied group that the cut passes through.
 */
function largestLeftoverAllocation(minutesPerEntry: readonly number[], totalUnits: number): { units: number[]; tieBroken: boolean[] } {
  const units = minutesPerEntry.map((m) => Math.floor(m / 15));
  const tieBroken = minutesPerEntry.map(() => false);
  let remaining = totalUnits - units.reduce((sum, u) => sum + u, 0);
  if (remaining <= 0) return { units, tieBroken };

  const order = minutesPerEntry
    .map((m, index) => ({ index, leftover: m % 15 }))
    .filter((entry) => entry.leftover > 0)
    .sort((a, b) => b.leftover - a.leftover || a.index - b.index);

  const chosen = order.slice(0, remaining);
  for (const entry of chosen) units[entry.index] = (units[entry.index] ?? 0) + 1;
  remaining -= chosen.length;

  // A tie decided the outcome when the last chosen entry shares its leftover with the first one left out.
  const lastIn = chosen[chosen.length - 1];
  const firstOut = order[chosen.length];
  if (lastIn && firstOut && lastIn.leftover === firstOut.leftover) {
    for (const entry of order) {
      if (entry.leftover === lastIn.leftover) tieBroken[entry.index] = true;
    }
  }
  // Unreachable for valid minutes (N − Σ full units never exceeds the entries with leftovers),
  // kept so a bad input can never silently drop units.
  if (remaining > 0) throw new Error("8-minute rule: more units than entries with leftover minutes");
  return { units, tieBroken };
}

function wholeMinutes(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes <= 0) return 0;
  return Math.floor(minutes);
}
