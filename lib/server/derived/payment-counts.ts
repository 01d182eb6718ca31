// What the remit list shows of each payment, stored on the payment (RemitPayment.claimCount,
// matchedClaimCount, lineCount, unmatchedLineCount, claimsPaidCents, providerAdjustmentCents):
// counted again from the payment's rows for the payments a write names (`payments` in
// DerivedChanges), in the write's transaction. Counting them on every request of the list took
// 3.5 s at a million visits (docs/performance.md, "Remit counts stored on the payment").
import type { Tx } from "../core/db";

const CHUNK = 5000;

/** Counts again the claims, lines and provider adjustments of these payments, and stores them. */
export async function storePaymentCounts(tx: Tx, practiceId: number, paymentIds: Iterable<number>): Promise<number> {
  const ids = [...new Set(paymentIds)];
  let stored = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    stored += await tx.$executeRawUnsafe(
      `update "RemitPayment" rp
       set "claimCount" = c.claims, "matchedClaimCount" = c.matched, "claimsPaidCents" = c.paid,
           "lineCount" = l.lines, "unmatchedLineCount" = l.unmatched, "providerAdjustmentCents" = a.cents
       from unnest($2::int[]) as p(id)
       cross join lateral (
         select count(*)::int as claims, (count(*) filter (where rc."matchStatus" = 'MATCHED'))::int as matched,
                coalesce(sum(rc."paidCents"), 0)::int as paid
         from "RemitClaim" rc where rc."paymentId" = p.id and rc."practiceId" = $1) c
       cross join lateral (
         select count(*)::int as lines, (count(*) filter (where rl."matchStatus" = 'UNMATCHED'))::int as unmatched
         from "RemitClaim" rc join "RemitLine" rl on rl."remitClaimId" = rc.id
         where rc."paymentId" = p.id and rc."practiceId" = $1 and rl."practiceId" = $1) l
       cross join lateral (
         select coalesce(sum(pa."amountCents"), 0)::int as cents
         from "ProviderAdjustment" pa where pa."paymentId" = p.id and pa."practiceId" = $1) a
       where rp.id = p.id and rp."practiceId" = $1`,
      practiceId,
      ids.slice(i, i + CHUNK),
    );
  }
  return stored;
}
