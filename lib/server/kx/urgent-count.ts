import { db } from "../db";

/** Items past KX with lines missing KX, or past review without documentation review. */
export async function urgentKxCount(practiceId: number): Promise<number> {
  return db().kxQueueItem.count({
    where: { practiceId, status: { not: "RESOLVED" }, urgency: { lte: 1 } },
  });
}
