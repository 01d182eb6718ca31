/**
 * Netting of reversals (CLP02 = 22) with the claim they take back and the correction
 * that follows (DOMAIN.md §5: "the correction follows as a new claim. Both must net out").
 *
 * A payer that changes an adjudication sends, usually in the same 835, a reversal of the
 * earlier payment (same CLP01 and payer claim number CLP07, every amount negated) and a
 * corrected claim (same CLP01, often a new CLP07). Summed, the three give what the payer
 * finally paid; the correction alone is what stands.
 */
import type { RemitClaim } from "./types";

export interface ClaimPaymentChain {
  patientControlNumber: string;
  /** CLP07 of the first claim of the chain (the original, or the reversal when the original came earlier). */
  payerClaimControlNumber: string;
  /** Every claim of the chain, in the order given: original, reversal, correction, ... */
  claims: RemitClaim[];
  /** The claim that stands after netting; null when the last word is a reversal. */
  current: RemitClaim | null;
  /** Σ CLP04 over the chain: what the payer paid for this claim in the end. */
  netPaidCents: number;
  netChargeCents: number;
  netPatientResponsibilityCents: number;
  /** A reversal whose original is not among the claims given (it came in an earlier remit). */
  unmatchedReversal: boolean;
  /** A reversal whose amounts do not mirror the claim it was matched to. */
  reversalMismatch: boolean;
}

function key(claim: RemitClaim): string {
  return `${claim.patientControlNumber}\u0000${claim.payerClaimControlNumber}`;
}

function mirrors(reversal: RemitClaim, original: RemitClaim): boolean {
  return (
    reversal.chargeCents === -original.chargeCents &&
    reversal.paidCents === -original.paidCents &&
    reversal.patientResponsibilityCents === -original.patientResponsibilityCents
  );
}

/**
 * Groups claims (in the order the payer sent them; pass earlier remits first) into payment
 * chains. A reversal is matched to the standing claim with the same CLP01 + CLP07,
 * preferring the one whose amounts it mirrors exactly; the next non-reversal claim with the
 * same CLP01 is its correction. Claims that were never reversed form chains of one.
 */
export function netReversals(claims: readonly RemitClaim[]): ClaimPaymentChain[] {
  const chains: ClaimPaymentChain[] = [];
  /** Chains whose current claim can still be reversed, by CLP01 + CLP07. */
  const standing = new Map<string, ClaimPaymentChain[]>();
  /** Chains reversed and waiting for their correction, by CLP01. */
  const awaitingCorrection = new Map<string, ClaimPaymentChain[]>();

  const addStanding = (chain: ClaimPaymentChain, claim: RemitClaim) => {
    const k = key(claim);
    const list = standing.get(k);
    if (list === undefined) standing.set(k, [chain]);
    else list.push(chain);
  };

  for (const claim of claims) {
    if (claim.isReversal) {
      const list = standing.get(key(claim));
      let match: ClaimPaymentChain | undefined;
      let index = -1;
      if (list !== undefined && list.length > 0) {
        index = list.findIndex((c) => c.current !== null && mirrors(claim, c.current));
        if (index === -1) index = list.length - 1;
        match = list[index];
      }
      let chain: ClaimPaymentChain;
      if (match !== undefined && list !== undefined) {
        list.splice(index, 1);
        chain = match;
        if (chain.current !== null && !mirrors(claim, chain.current)) chain.reversalMismatch = true;
        chain.claims.push(claim);
        chain.current = null;
      } else {
        chain = {
          patientControlNumber: claim.patientControlNumber,
          payerClaimControlNumber: claim.payerClaimControlNumber,
          claims: [claim],
          current: null,
          netPaidCents: 0,
          netChargeCents: 0,
          netPatientResponsibilityCents: 0,
          unmatchedReversal: true,
          reversalMismatch: false,
        };
        chains.push(chain);
      }
      const waiting = awaitingCorrection.get(claim.patientControlNumber);
      if (waiting === undefined) awaitingCorrection.set(claim.patientControlNumber, [chain]);
      else waiting.push(chain);
      continue;
    }
    const waiting = awaitingCorrection.get(claim.patientControlNumber);
    let chain: ClaimPaymentChain;
    if (waiting !== undefined && waiting.length > 0) {
      chain = waiting.shift() as ClaimPaymentChain;
      chain.claims.push(claim);
      chain.current = claim;
    } else {
      chain = {
        patientControlNumber: claim.patientControlNumber,
        payerClaimControlNumber: claim.payerClaimControlNumber,
        claims: [claim],
        current: claim,
        netPaidCents: 0,
        netChargeCents: 0,
        netPatientResponsibilityCents: 0,
        unmatchedReversal: false,
        reversalMismatch: false,
      };
      chains.push(chain);
    }
    addStanding(chain, claim);
  }

  for (const chain of chains) {
    for (const c of chain.claims) {
      chain.netPaidCents += c.paidCents;
      chain.netChargeCents += c.chargeCents;
      chain.netPatientResponsibilityCents += c.patientResponsibilityCents;
    }
  }
  return chains;
}
