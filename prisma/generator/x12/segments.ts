// The one 835 segment writer of the synthetic data: delimiters, segments, amounts, CAS groups.
// The tests' and benchmarks' files (synthetic.ts) and the demo practice's remits
// (practice-remits.ts) both write their segments through it.
import { formatCents } from "@/lib/x12/values";

export { formatCents };

/** The delimiters a file is written with: element, component and segment terminator (with its line break). */
export interface Delimiters {
  element: string;
  component: string;
  terminator: string;
}

/** "*", ":" and "~" followed by a line break: what most payers send. */
export const STANDARD_DELIMITERS: Delimiters = { element: "*", component: ":", terminator: "~\n" };

/** A segment with its terminator; empty elements at its end are left out, as X12 asks. */
export function segment(delimiters: Delimiters, ...elements: string[]): string {
  let end = elements.length;
  while (end > 1 && elements[end - 1] === "") end--;
  let text = elements[0]!;
  for (let index = 1; index < end; index++) text += delimiters.element + elements[index];
  return text + delimiters.terminator;
}

/** YYYY-MM-DD as CCYYMMDD. */
export function x12Date(date: string): string {
  return date.replaceAll("-", "");
}

export interface SegmentAdjustment {
  group: string;
  reason: string;
  amountCents: number;
  quantity?: number;
}

/** CAS segments: one per group, in the order groups first appear, at most six reason triplets each. */
export function adjustmentSegments(delimiters: Delimiters, adjustments: readonly SegmentAdjustment[]): string[] {
  const groups = new Map<string, SegmentAdjustment[]>();
  for (const adjustment of adjustments) {
    const list = groups.get(adjustment.group);
    if (list === undefined) groups.set(adjustment.group, [adjustment]);
    else list.push(adjustment);
  }
  const out: string[] = [];
  for (const [group, list] of groups) {
    for (let first = 0; first < list.length; first += 6) {
      const elements = ["CAS", group];
      for (const adjustment of list.slice(first, first + 6)) {
        elements.push(
          adjustment.reason,
          formatCents(adjustment.amountCents),
          adjustment.quantity === undefined ? "" : String(adjustment.quantity),
        );
      }
      out.push(segment(delimiters, ...elements));
    }
  }
  return out;
}
