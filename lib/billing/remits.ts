// Remit rules of DOMAIN.md §5 as pure functions: a line's allowed amount rebuilt from its
// payment, which payer's adjudication counts (primary versus secondary), the netting of an
// original payment, its reversal and the correction, duplicate claim payments, payer recodes,
// denials that are work (CO-119, CARC 4) and the underpayment variance. No database: the
// server loads a service line's remit lines and stores what these functions decide.

/** A CAS triplet as the rules read it. */
export interface RemitAdjustmentFact {
  group: string;
  reason: string;
  amountCents: number;
}

/**
 * Reductions applied after the allowed amount is set, so they are part of "allowed" when
 * allowed has to be rebuilt from the payment: CARC 253 (sequestration, a 2% cut of the
 * Medicare payment). DOMAIN.md §5: "post-allowed reductions such as CO-253".
 */
export const POST_ALLOWED_REDUCTION_REASONS: ReadonlySet<string> = new Set(["253"]);

/**
 * Allowed amount of a service line rebuilt from its payment (DOMAIN.md §5), used when the
 * payer sends no AMT*B6: paid + everything the patient owes (group PR: deductible,
 * coinsurance, copay; not a PR denial, see DENIAL_REASONS) + post-allowed reductions such as
 * sequestration (CARC 253, in any group). Contractual write-offs (CO-45) and denials are not
 * part of allowed.
 */
export function derivedAllowedCents(paidCents: number, adjustments: readonly RemitAdjustmentFact[]): number {
  let allowed = paidCents;
  for (const adjustment of adjustments) {
    if (adjustment.group === "PR" ? !DENIAL_REASONS.has(adjustment.reason) : POST_ALLOWED_REDUCTION_REASONS.has(adjustment.reason))
      allowed += adjustment.amountCents;
  }
  return allowed;
}

/**
 * CARCs that deny a service rather than share its allowed amount: in group PR they make the
 * patient liable for a service the payer did not allow (PR-119 with an ABN, PR-96, PR-204),
 * so they are not part of a rebuilt allowed amount (DOMAIN.md "Precise cases": PR-119 with GA
 * counts its remit allowed 0).
 */
export const DENIAL_REASONS: ReadonlySet<string> = new Set(["4", "18", "29", "50", "96", "97", "119", "151", "204"]);

/** A line's allowed amount: AMT*B6 when the payer sends it, else rebuilt from the payment (DOMAIN.md §5). */
export function remitAllowedCentsOf(
  reportedAllowedCents: number | null,
  paidCents: number,
  adjustments: readonly RemitAdjustmentFact[],
): number {
  return reportedAllowedCents ?? derivedAllowedCents(paidCents, adjustments);
}

/** CLP02 of a reversal: every amount of an earlier payment taken back (DOMAIN.md §5). */
export const REVERSAL_STATUS = "22";
/** CLP02 of a claim processed as secondary, tertiary or forwarded to them (DOMAIN.md §5). */
export const NOT_PRIMARY_STATUSES: readonly string[] = ["2", "3", "20", "21"];

/**
 * Whether an adjudication is the patient's primary payer's (DOMAIN.md §5, "Only the patient's
 * primary payer sets a line's remit allowed and variance"): not processed as secondary or
 * tertiary (CLP02 2, 3, 20, 21), and from the payer the line was billed to when the remit
 * names one of our payers (`remitPayerId` null: the payer could not be told, so the CLP02 decides).
 */
export function isPrimaryAdjudication(statusCode: string, remitPayerId: number | null, primaryPayerId: number): boolean {
  if (NOT_PRIMARY_STATUSES.includes(statusCode)) return false;
  return remitPayerId === null || remitPayerId === primaryPayerId;
}

/**
 * The code as billed and the code paid of a remitted line (DOMAIN.md §5, "Payer recodes"):
 * when SVC06 is present it holds the code as billed and SVC01 the code the payer paid.
 * `paidCode` is set only when the two differ (a recode).
 */
export function billedAndPaidCode(
  svc01: { code: string; modifiers: readonly string[] },
  svc06: { code: string; modifiers: readonly string[] } | null,
): { code: string; modifiers: readonly string[]; paidCode: string | null } {
  if (svc06 === null) return { code: svc01.code, modifiers: svc01.modifiers, paidCode: null };
  // SVC06 often repeats only the code: the modifiers the payer echoes in SVC01 then stand
  const modifiers = svc06.modifiers.length > 0 ? svc06.modifiers : svc01.modifiers;
  return { code: svc06.code, modifiers, paidCode: svc06.code === svc01.code ? null : svc01.code };
}

/**
 * A short fingerprint of a claim's lines (code, modifiers, charge, paid, units, in order),
 * for the duplicate test: two claim payments with the same payer, CLP01, CLP02, charge and
 * paid are duplicates when their lines are the same too. FNV-1a, two 32-bit halves.
 */
export function claimLinesKey(
  lines: readonly { cpt: string; modifiers: readonly string[]; chargeCents: number; paidCents: number; units: number }[],
): string {
  let firstHash = 0x811c9dc5;
  let secondHash = 0x01000193 ^ lines.length;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const charCode = text.charCodeAt(i);
      firstHash = Math.imul(firstHash ^ charCode, 0x01000193);
      secondHash = Math.imul(secondHash ^ charCode, 0x5bd1e995);
    }
  };
  for (const line of lines) mix(`${line.cpt}:${line.modifiers.join(":")}|${line.chargeCents}|${line.paidCents}|${line.units};`);
  return (firstHash >>> 0).toString(16).padStart(8, "0") + (secondHash >>> 0).toString(16).padStart(8, "0");
}

/** A claim payment as the duplicate test compares it (DOMAIN.md §5, "Duplicate claim payments"). */
export interface ClaimPaymentIdentity {
  payerKey: string;
  /** the payment (835 transaction or paper EOB) it came in */
  paymentId: number;
  patientControlNumber: string;
  statusCode: string;
  chargeCents: number;
  paidCents: number;
  linesKey: string;
}

/**
 * A duplicate claim payment: identical to one on file (same payer, CLP01, CLP02, charge, paid
 * and lines) and arriving in another payment (a new trace number).
 */
export function isDuplicateClaimPayment(candidate: ClaimPaymentIdentity, onFile: ClaimPaymentIdentity): boolean {
  return (
    candidate.paymentId !== onFile.paymentId &&
    candidate.payerKey === onFile.payerKey &&
    candidate.patientControlNumber === onFile.patientControlNumber &&
    candidate.statusCode === onFile.statusCode &&
    candidate.chargeCents === onFile.chargeCents &&
    candidate.paidCents === onFile.paidCents &&
    candidate.linesKey === onFile.linesKey
  );
}

/** One remit line matched to a service line of ours, with its claim and payment. */
export interface RemitLineFact {
  /** the remit line's id: import order */
  id: number;
  claim: ClaimPaymentIdentity;
  /** the payer that sent it is the line's primary payer (isPrimaryAdjudication) */
  primary: boolean;
  chargeCents: number;
  paidCents: number;
  allowedCents: number;
  /** SVC01 when the payer recoded the line, else null */
  paidCode: string | null;
  adjustments: readonly RemitAdjustmentFact[];
}

/**
 * What netting made of a remit line:
 * - `paid`: a primary payment that stands (its allowed counts);
 * - `reversed`: a primary payment taken back by a later reversal; `reversal`: that reversal
 *   (the two cancel, both stay in the sums);
 * - `secondary`: a secondary/tertiary payer's payment, reversal or correction: cash only;
 * - `unmatched_reversal`: a reversal whose original is not on file: listed for a person,
 *   counted nowhere;
 * - `duplicate`: a duplicate claim payment (money to refund), counted nowhere;
 *   `duplicate_reversed` / `duplicate_reversal`: a duplicate the payer took back, and its reversal.
 */
export type RemitLineRole =
  | "paid"
  | "reversed"
  | "reversal"
  | "secondary"
  | "unmatched_reversal"
  | "duplicate"
  | "duplicate_reversed"
  | "duplicate_reversal";

/** Roles whose paid amount is cash received (duplicates and reversals without original are not). */
export const CASH_ROLES: readonly RemitLineRole[] = ["paid", "reversed", "reversal", "secondary"];
/** Roles whose allowed amount counts: the primary payer's adjudications. */
export const ALLOWED_ROLES: readonly RemitLineRole[] = ["paid", "reversed", "reversal"];

/** A denial the practice fixes and bills again (DOMAIN.md §5, "CO-119 and CARC 4 denials are work"). */
export type RemitWork = "rebill_kx" | "rebill_modifier";

/**
 * Whether a remitted line is a denial that is work: nothing paid, and denied for a missing KX
 * (CARC 119) or a missing/wrong therapy modifier (CARC 4). PR-119 on a line with GA (an ABN on
 * file) is the patient's to pay, not work. `lineModifiers` are those of our line as billed.
 */
export function remitWorkOf(line: Pick<RemitLineFact, "paidCents" | "adjustments">, lineModifiers: readonly string[]): RemitWork | null {
  if (line.paidCents !== 0) return null;
  const hasGa = lineModifiers.some((m) => m.toUpperCase() === "GA");
  let work: RemitWork | null = null;
  for (const adjustment of line.adjustments) {
    if (adjustment.amountCents <= 0) continue;
    if (adjustment.reason === "119" && !(adjustment.group === "PR" && hasGa)) return "rebill_kx";
    if (adjustment.reason === "4") work = "rebill_modifier";
  }
  return work;
}

/** A service line's remit figures after netting (DOMAIN.md §5). */
export interface NettedServiceLine {
  /** role of each remit line, by id */
  roles: Map<number, RemitLineRole>;
  /** Σ allowed of the primary payer's adjudications; null when the primary payer sent none (or the line is work) */
  remitAllowedCents: number | null;
  /** Σ allowed of the primary payer's adjudications as remitted (0 for a denial, work or not) */
  primaryAllowedCents: number;
  /** the primary payer adjudicated the line (even if everything was reversed since) */
  primaryRemitted: boolean;
  /** Σ paid of the primary payer's adjudications */
  primaryPaidCents: number;
  /** Σ charge of the primary payer's adjudications */
  primaryChargeCents: number;
  /** Σ paid of every payment that is cash (primary and secondary) */
  cashCents: number;
  /** the primary payment that stands last: it carries the variance; null when none stands */
  standingId: number | null;
  /** the code the payer paid on the standing payment when it recoded the line */
  paidCode: string | null;
  /** the line is a denial to correct and bill again: it keeps its expected allowed (estimated) */
  work: RemitWork | null;
  /** expected − remit allowed, on the standing payment; null without an expected amount, or for work */
  varianceCents: number | null;
  /** net per group-CARC over the primary adjudications, zeros dropped, in the order of the latest remit */
  adjustments: RemitAdjustmentFact[];
}

function mirrors(reversal: RemitLineFact, original: RemitLineFact): boolean {
  return reversal.chargeCents === -original.chargeCents && reversal.paidCents === -original.paidCents;
}

/**
 * Nets a service line's remit lines (DOMAIN.md §5), given in import order:
 * - a reversal (CLP02 22) cancels **that payer's** latest standing payment of the line (the one
 *   whose amounts it mirrors, else the latest); a duplicate still standing is taken back first
 *   (the payer recouped the double payment); with nothing of that payer on file it is an
 *   `unmatched_reversal` and changes no figure, and the correction then stands alone;
 * - a payment identical to a standing one of another payment is a `duplicate`;
 * - only the primary payer's adjudications set allowed and variance; a secondary payer's count
 *   as cash and its reversal cancels only its own payment;
 * - when the primary payer's standing word is a CO-119 / CARC 4 denial, the line is work: no
 *   confirmed allowed (the expected amount stays, estimated) and no variance.
 */
export function netServiceLineRemits(
  lines: readonly RemitLineFact[],
  context: { expectedAllowedCents: number | null; lineModifiers: readonly string[] },
): NettedServiceLine {
  // the usual case, a line remitted once (most lines of a large file): no netting to do
  if (lines.length === 1 && lines[0]!.claim.statusCode !== REVERSAL_STATUS) return single(lines[0]!, context);
  const roles = new Map<number, RemitLineRole>();
  /** standing payments per payer, oldest first; duplicates separately */
  const standing = new Map<string, RemitLineFact[]>();
  const duplicates = new Map<string, RemitLineFact[]>();
  const listOf = (map: Map<string, RemitLineFact[]>, key: string) => {
    const known = map.get(key);
    if (known) return known;
    const list: RemitLineFact[] = [];
    map.set(key, list);
    return list;
  };
  const ordered = [...lines].sort((a, b) => a.id - b.id);
  for (const line of ordered) {
    const payer = line.claim.payerKey;
    const own = listOf(standing, payer);
    if (line.claim.statusCode === REVERSAL_STATUS) {
      const dups = listOf(duplicates, payer);
      const dupIndex = findReversed(dups, line);
      if (dupIndex >= 0) {
        roles.set(dups[dupIndex]!.id, "duplicate_reversed");
        dups.splice(dupIndex, 1);
        roles.set(line.id, "duplicate_reversal");
        continue;
      }
      const index = findReversed(own, line);
      if (index < 0) {
        roles.set(line.id, "unmatched_reversal");
        continue;
      }
      const original = own[index]!;
      own.splice(index, 1);
      // the reversal is of the same adjudication as the payment it takes back
      roles.set(original.id, original.primary ? "reversed" : "secondary");
      roles.set(line.id, original.primary ? "reversal" : "secondary");
      continue;
    }
    if (own.some((s) => isDuplicateClaimPayment(line.claim, s.claim))) {
      roles.set(line.id, "duplicate");
      listOf(duplicates, payer).push(line);
      continue;
    }
    own.push(line);
    roles.set(line.id, line.primary ? "paid" : "secondary");
  }

  let allowed = 0;
  let primaryPaid = 0;
  let primaryCharge = 0;
  let cash = 0;
  let primaryRemitted = false;
  let standingLine: RemitLineFact | null = null;
  const counted: RemitLineFact[] = [];
  for (const line of ordered) {
    const role = roles.get(line.id)!;
    if (CASH_ROLES.includes(role)) cash += line.paidCents;
    if (!ALLOWED_ROLES.includes(role)) continue;
    primaryRemitted = true;
    allowed += line.allowedCents;
    primaryPaid += line.paidCents;
    primaryCharge += line.chargeCents;
    counted.push(line);
    if (role === "paid") standingLine = line;
  }
  const work = standingLine ? remitWorkOf(standingLine, context.lineModifiers) : null;
  const remitAllowedCents = primaryRemitted && work === null ? allowed : null;
  const varianceCents =
    standingLine !== null && work === null && context.expectedAllowedCents !== null ? context.expectedAllowedCents - allowed : null;
  return {
    roles,
    remitAllowedCents,
    primaryAllowedCents: allowed,
    primaryRemitted,
    primaryPaidCents: primaryPaid,
    primaryChargeCents: primaryCharge,
    cashCents: cash,
    standingId: standingLine?.id ?? null,
    paidCode: standingLine?.paidCode ?? null,
    work,
    varianceCents,
    adjustments: netAdjustments(counted, standingLine),
  };
}

/** netServiceLineRemits of a line remitted once, by a payment that is not a reversal. */
function single(
  line: RemitLineFact,
  context: { expectedAllowedCents: number | null; lineModifiers: readonly string[] },
): NettedServiceLine {
  const role: RemitLineRole = line.primary ? "paid" : "secondary";
  const roles = new Map<number, RemitLineRole>([[line.id, role]]);
  if (!line.primary) {
    return {
      roles,
      remitAllowedCents: null,
      primaryAllowedCents: 0,
      primaryRemitted: false,
      primaryPaidCents: 0,
      primaryChargeCents: 0,
      cashCents: line.paidCents,
      standingId: null,
      paidCode: null,
      work: null,
      varianceCents: null,
      adjustments: [],
    };
  }
  const work = line.adjustments.length > 0 ? remitWorkOf(line, context.lineModifiers) : null;
  return {
    roles,
    remitAllowedCents: work === null ? line.allowedCents : null,
    primaryAllowedCents: line.allowedCents,
    primaryRemitted: true,
    primaryPaidCents: line.paidCents,
    primaryChargeCents: line.chargeCents,
    cashCents: line.paidCents,
    standingId: line.id,
    paidCode: line.paidCode,
    work,
    varianceCents: work === null && context.expectedAllowedCents !== null ? context.expectedAllowedCents - line.allowedCents : null,
    adjustments: line.adjustments.length > 0 ? netAdjustments([line], line) : [],
  };
}

/** The standing payment a reversal takes back: the latest whose amounts it mirrors, else the latest. */
function findReversed(candidates: readonly RemitLineFact[], reversal: RemitLineFact): number {
  for (let i = candidates.length - 1; i >= 0; i--) if (mirrors(reversal, candidates[i]!)) return i;
  return candidates.length - 1;
}

/**
 * Net amount per group-CARC over the given adjudications, zeros dropped (an original and its
 * reversal cancel), in the order of the latest remit (`latest`), then the others in the order
 * first seen (DOMAIN.md "Precise cases", the underpayments export's `adjustments`).
 */
export function netAdjustments(lines: readonly RemitLineFact[], latest: RemitLineFact | null): RemitAdjustmentFact[] {
  const sums = new Map<string, RemitAdjustmentFact>();
  const order: string[] = [];
  const keyOf = (a: RemitAdjustmentFact) => `${a.group}-${a.reason}`;
  for (const adjustment of latest?.adjustments ?? []) if (!order.includes(keyOf(adjustment))) order.push(keyOf(adjustment));
  for (const line of lines) {
    for (const adjustment of line.adjustments) {
      const key = keyOf(adjustment);
      const sum = sums.get(key);
      if (sum) sum.amountCents += adjustment.amountCents;
      else {
        sums.set(key, { group: adjustment.group, reason: adjustment.reason, amountCents: adjustment.amountCents });
        if (!order.includes(key)) order.push(key);
      }
    }
  }
  return order
    .map((k) => sums.get(k))
    .filter((adjustment): adjustment is RemitAdjustmentFact => adjustment !== undefined && adjustment.amountCents !== 0);
}
