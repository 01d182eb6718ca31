// The derived-figures pipeline: the one place that brings the figures computed from a practice's
// visits, remits, contracts and reference data up to date after a write, in the write's own
// transaction. A write says what it changed (DerivedChanges); the stages run in this order, and
// this module is the only caller of each:
//
//   1. lines priced     units supported, expected allowed, pool, undercoding columns of every
//                       line of the written visits' patient-days (./lines.ts; DOMAIN.md §2-§4)
//   2. reviews kept     an undercoding review stays while its line is still a candidate in the
//                       same direction
//   3. remits netted    the remit lines of re-priced or re-matched lines: confirmed allowed,
//                       work, role, expected and variance (./remits.ts; DOMAIN.md §5)
//   4. KX totals        the patient-year-pools touched (./kx.ts; DOMAIN.md §1)
//   5. claim checks     the visits whose lines, NCCI pairs, MUE caps, contract, payer settings or
//                       KX need changed, stored per visit (./claim-checks.ts; DOMAIN.md §6)
//   6. payment counts   the claims, lines and sums the remit list shows, stored on each payment
//                       whose claims or lines were written, matched or unmatched (./payment-counts.ts)
//   7. revenue rollup   the weeks marked stale by the database's triggers on visits, lines,
//                       remits and reviews (in this transaction or an earlier one), recomputed
//                       once the write's transaction has committed, right after the writer's
//                       answer (./rollup.ts, ../core/after-commit.ts): the refresh reads
//                       committed rows only and takes the practice's refresh lock, so it cannot
//                       be part of the write; the readers keep their own refresh as a safety net
//
// Feature folders (visits, imports, remits, kx, contracts, reference, admin, undercoding,
// underpayments) call recomputeDerived; this folder imports none of them. A write that changes
// only what the rollup reads (an underpayment's status, an undercoding review) calls it with no
// changes, for stage 7.
import { afterCommit } from "../core/after-commit";
import type { Tx } from "../core/db";
import { loadPricingCached } from "./pricing";
import { storeClaimChecks, visitsOfPools, visitsWithCodes } from "./claim-checks";
import { type PoolKey, poolKeysOfVisits, recomputeKx } from "./kx";
import { recomputeAllKx } from "./kx-all";
import { type PatientDay, recomputeVisits } from "./lines";
import { storePaymentCounts } from "./payment-counts";
import { type ConfirmFindings, confirmServiceLines, type NettedAtWrite } from "./remits";
import { refreshRevenueRollupAfterWrite } from "./rollup";

export { type PoolKey, poolKeysOfVisits, uniquePoolKeys } from "./kx";
export { daysOfVisits, type PatientDay } from "./lines";
export {
  type ConfirmFindings,
  denialReadsAdjustments,
  type NettedAtWrite,
  nettedAlone,
  type RemitSums,
  remitSumsOfLineAlone,
} from "./remits";

/** What a write changed. Every field is optional; give what the write knows. */
export interface DerivedChanges {
  /** visits written (lines or header): re-priced with every other visit of their patient-days */
  visits?: Iterable<number>;
  /** patient-days where written visits were before they moved or were deleted */
  daysBefore?: readonly PatientDay[];
  /** lines kept by a rewrite of a visit's lines, with their undercoding direction before */
  keptLines?: readonly { id: number; directionBefore: string | null }[];
  /** the pricing of these payers changed (contract, unit method): each of their visits re-priced; "all": fee schedule, locality, settings */
  payers?: readonly number[] | "all";
  /** service lines whose remit lines changed (written, matched, unmatched) */
  remitLines?: Iterable<number>;
  /**
   * Of those, lines whose one new remit line was written with what netting gives a line alone
   * (nettedAlone): taken as they are when the line has no other remit line, netted otherwise.
   */
  nettedAtWrite?: readonly NettedAtWrite[];
  /** remit payments whose claims, lines or provider adjustments were written, matched or unmatched: their stored counts are counted again */
  payments?: Iterable<number>;
  /** patient-year-pools whose KX inputs changed besides their lines: usage, a review, the pools a visit left */
  pools?: readonly PoolKey[];
  /** NCCI pairs or MUE caps of these codes changed: every visit with a line of one is re-checked ("all": the whole table) */
  checkCodes?: readonly string[] | "all";
  /** visits to re-check for another reason (payer's telehealth setting, clinician's credential) */
  checkVisits?: Iterable<number>;
  /** the practice's alert level changed: every KX total's level and crossing, in one set-based pass */
  alertLevel?: boolean;
}

export interface DerivedOutcome {
  /** visits whose lines were re-priced (the written ones and the rest of their patient-days) */
  visitsRecomputed: number[];
  /** visits of the payers named in `payers` */
  visitsOfPayers: number;
  /** service lines whose remit lines were netted again */
  remitLinesNetted: number;
  /** remit lines that netting newly found to be duplicates or reversals without original */
  remitFindings: ConfirmFindings;
  /** visits whose claim checks were run and stored */
  visitsChecked: number;
  /** remit payments whose counts were stored */
  paymentsCounted: number;
}

const CHUNK = 2000;
const KEY_CHUNK = 5000;

async function visitsOfPayers(tx: Tx, practiceId: number, payerIds: readonly number[] | "all"): Promise<number[]> {
  if (payerIds !== "all" && payerIds.length === 0) return [];
  const visits = await tx.visit.findMany({
    where: { practiceId, ...(payerIds === "all" ? {} : { payerId: { in: [...payerIds] } }) },
    select: { id: true },
  });
  return visits.map((v) => v.id);
}

async function dropStaleReviews(tx: Tx, practiceId: number, kept: NonNullable<DerivedChanges["keptLines"]>): Promise<void> {
  for (let i = 0; i < kept.length; i += KEY_CHUNK) {
    await tx.$executeRawUnsafe(
      `delete from "UndercodingReview" r
       using "ServiceLine" s, jsonb_to_recordset($1::jsonb) as k(id int, direction text)
       where r."serviceLineId" = s.id and s.id = k.id and r."practiceId" = $2 and s."practiceId" = $2
         and s."undercodingDirection"::text is distinct from k.direction`,
      JSON.stringify(kept.slice(i, i + KEY_CHUNK).map((k) => ({ id: k.id, direction: k.directionBefore }))),
      practiceId,
    );
  }
}

/** Service lines of these visits that have remit lines matched to them. */
async function matchedLinesOfVisits(tx: Tx, practiceId: number, visitIds: number[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < visitIds.length; i += KEY_CHUNK) {
    const rows = await tx.$queryRaw<{ id: number }[]>`
      select distinct rl."serviceLineId" as id from "RemitLine" rl
      join "ServiceLine" s on s.id = rl."serviceLineId"
      where rl."practiceId" = ${practiceId} and s."practiceId" = ${practiceId} and s."visitId" = any(${visitIds.slice(i, i + KEY_CHUNK)}::int[])`;
    for (const row of rows) out.push(row.id);
  }
  return out;
}

/**
 * Brings every derived figure that depends on what changed up to date, in the caller's
 * transaction (see the stages above). The only entry point of the pipeline.
 */
export async function recomputeDerived(tx: Tx, practiceId: number, changes: DerivedChanges): Promise<DerivedOutcome> {
  // 1. lines priced
  const written = new Set(changes.visits ?? []);
  const ofPayers = changes.payers ? await visitsOfPayers(tx, practiceId, changes.payers) : [];
  for (const id of ofPayers) written.add(id);
  const daysBefore = changes.daysBefore ?? [];
  const recomputed = new Set<number>();
  // the pools the written visits' lines are in before re-pricing too: a line can leave its pool
  // (a code taken off the therapy code list counts toward no threshold), and that pool is recomputed
  const keys: PoolKey[] = [...(changes.pools ?? [])];
  const writtenIds = [...written];
  for (let i = 0; i < writtenIds.length; i += KEY_CHUNK)
    keys.push(...(await poolKeysOfVisits(tx, practiceId, writtenIds.slice(i, i + KEY_CHUNK))));
  if (written.size > 0 || daysBefore.length > 0) {
    const pricing = await loadPricingCached(tx, practiceId);
    const ids = [...written];
    // each chunk is priced with the other visits of its patients' days (MPPR over the day)
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const id of await recomputeVisits(tx, pricing, practiceId, ids.slice(i, i + CHUNK))) recomputed.add(id);
    for (let i = 0; i < daysBefore.length; i += CHUNK)
      for (const id of await recomputeVisits(tx, pricing, practiceId, [], daysBefore.slice(i, i + CHUNK))) recomputed.add(id);
  }

  // 2. undercoding reviews of kept lines
  if (changes.keptLines?.length) await dropStaleReviews(tx, practiceId, changes.keptLines);

  // 3. remit lines netted against the new expected amounts, and those re-matched
  const serviceLines = new Set(changes.remitLines ?? []);
  for (const id of await matchedLinesOfVisits(tx, practiceId, [...recomputed])) serviceLines.add(id);
  const remitFindings: ConfirmFindings = { duplicates: 0, unmatchedReversals: 0 };
  const remitVisits = new Set<number>();
  if (serviceLines.size > 0) {
    const confirmed = await confirmServiceLines(tx, practiceId, serviceLines, changes.nettedAtWrite);
    remitFindings.duplicates += confirmed.findings.duplicates;
    remitFindings.unmatchedReversals += confirmed.findings.unmatchedReversals;
    for (const id of confirmed.visitIds) remitVisits.add(id);
  }

  // 4. KX totals of every pool touched
  const touched = [...new Set([...recomputed, ...remitVisits])];
  for (let i = 0; i < touched.length; i += KEY_CHUNK)
    keys.push(...(await poolKeysOfVisits(tx, practiceId, touched.slice(i, i + KEY_CHUNK))));
  const kx = await recomputeKx(tx, practiceId, keys);
  // the alert level moves no line's need for KX (the KX threshold does): no claim to re-check
  if (changes.alertLevel) await recomputeAllKx(practiceId, tx);

  // 5. claim checks of the visits whose inputs changed
  const toCheck = new Set<number>([...recomputed, ...(changes.checkVisits ?? [])]);
  for (const id of await visitsOfPools(tx, practiceId, kx.needKxMayChange)) toCheck.add(id);
  if (changes.checkCodes && (changes.checkCodes === "all" || changes.checkCodes.length > 0))
    for (const id of await visitsWithCodes(tx, practiceId, changes.checkCodes === "all" ? "all" : [...changes.checkCodes])) toCheck.add(id);
  // a deleted visit is checked as "no row": its stored result goes
  for (const id of written) toCheck.add(id);
  const visitsChecked = await storeClaimChecks(
    tx,
    practiceId,
    toCheck,
    kx,
    daysBefore.map((d) => d.dateOfService),
  );

  // 6. payment counts
  const paymentsCounted = changes.payments ? await storePaymentCounts(tx, practiceId, changes.payments) : 0;

  // 7. revenue rollup, once the transaction has committed, right after the writer's answer (one
  // refresh however many times a transaction calls the pipeline; none when it rolls back).
  // Outside a transaction of db() (the tests' owner client) the next reader refreshes.
  afterCommit("revenue rollup", () => refreshRevenueRollupAfterWrite(practiceId));

  return {
    visitsRecomputed: [...recomputed],
    visitsOfPayers: ofPayers.length,
    remitLinesNetted: serviceLines.size,
    remitFindings,
    visitsChecked,
    paymentsCounted,
  };
}
