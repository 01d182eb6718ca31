// Re-pricing every visit of some payers (after a contract or fee schedule change).
import type { Tx } from "../db";
import { type PoolKey, poolKeysOfVisits, recomputeKx } from "../kx/recompute";
import { loadPricing } from "../pricing";
import { recomputeVisits } from "./recompute";

export async function repriceVisitsOfPayers(tx: Tx, practiceId: number, payerIds: number[] | "all"): Promise<number> {
  const visits = await tx.visit.findMany({
    where: { practiceId, ...(payerIds === "all" ? {} : { payerId: { in: payerIds } }) },
    select: { id: true },
  });
  const ids = visits.map((v) => v.id);
  const pricing = await loadPricing(tx, practiceId);
  // the pools the lines are in before re-pricing too: a line can leave its pool (a code taken off
  // the therapy code list counts toward no threshold), and the pool it left must be recomputed
  const keysBefore: PoolKey[] = [];
  for (let i = 0; i < ids.length; i += 5000) keysBefore.push(...(await poolKeysOfVisits(tx, practiceId, ids.slice(i, i + 5000))));
  // each chunk is re-priced with the other visits of its patients' days (MPPR over the day)
  const recomputed = new Set<number>();
  for (let i = 0; i < ids.length; i += 2000)
    for (const id of await recomputeVisits(tx, pricing, practiceId, ids.slice(i, i + 2000))) recomputed.add(id);
  const all = [...recomputed];
  const keys = [...keysBefore];
  for (let i = 0; i < all.length; i += 5000) keys.push(...(await poolKeysOfVisits(tx, practiceId, all.slice(i, i + 5000))));
  await recomputeKx(tx, practiceId, keys);
  return ids.length;
}
