import { db } from "../core/db";
import { dateFromIso } from "../core/dates";
import { todayIn } from "../core/dates";

/**
 * The number shown next to "KX queue" in the navigation: open items past KX with lines
 * missing KX, or past review without documentation review (urgency 0 and 1). Snoozed items
 * count again once their date has come; resolved ones do not count.
 */
export async function urgentKxCount(practiceId: number, timeZone?: string): Promise<number> {
  const zone = timeZone ?? (await db().practice.findUnique({ where: { id: practiceId }, select: { timeZone: true } }))?.timeZone;
  const today = dateFromIso(todayIn(zone));
  return db().kxQueueItem.count({
    where: {
      practiceId,
      urgency: { lte: 1 },
      OR: [{ status: "OPEN" }, { status: "SNOOZED", OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: today } }] }],
    },
  });
}
