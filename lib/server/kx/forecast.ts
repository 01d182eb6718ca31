// The forecast of the queue without reading visits: forecastThresholdCrossing (DOMAIN.md §1
// "forecast") uses only the number of past visits, their allowed total and the first and
// last dates of service, which every queue item stores.
import type { PastVisit } from "@/lib/billing";

/**
 * A visit history with the same count, allowed total, first and last dates as the item's
 * real visits: forecastThresholdCrossing gives the same forecast for both.
 */
export function visitHistoryFromTotals(item: {
  visitCount: number;
  allowedHereCents: number;
  firstVisitOn: string | null;
  lastVisitOn: string | null;
}): PastVisit[] {
  const { visitCount, allowedHereCents, firstVisitOn, lastVisitOn } = item;
  if (visitCount <= 0 || !firstVisitOn || !lastVisitOn) return [];
  const each = Math.floor(allowedHereCents / visitCount);
  return Array.from({ length: visitCount }, (_, n) => ({
    dateOfService: n === visitCount - 1 ? lastVisitOn : firstVisitOn,
    // the first carries the remainder so that the total is exact
    allowedCents: n === 0 ? allowedHereCents - each * (visitCount - 1) : each,
  }));
}
