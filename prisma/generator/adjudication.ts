import { type Contract, contractInForce } from "../../lib/billing/contracts";
import { expectedAllowedForVisit } from "../../lib/billing/expected";
import {
  ASSISTANT_PAYMENT_PERCENT,
  gpciKey,
  type MedicarePaymentSplit,
  medicarePaymentSplit,
  medicareUnitPrice,
} from "../../lib/billing/medicare";
import { percentOfCents } from "../../lib/billing/money";
import { CHARGE_MASTER, PAYERS, type PayerProfile } from "./practice";
import type { Random } from "./random";
import type { Adjustment, RemitServiceLine } from "./x12/practice-remits";
import { fromDay } from "./calendar";
import type { Context } from "./context";
import { type Patient, type PlannedLine, type PlannedVisit, modifiersOf } from "./plan";

const CODE_INDEX = new Map(Object.keys(CHARGE_MASTER).map((code, i) => [code, i]));
const PAYER_INDEX = new Map(PAYERS.map((p, i) => [p.slug, i]));

// ---------------------------------------------------------------------------------------
// Pricing (lib/billing, cached: a visit's prices depend only on its payer, contract,
// year and lines)

export function expectedCentsFor(
  ctx: Context,
  payer: PayerProfile,
  date: string,
  lines: readonly PlannedLine[],
  contractOverride?: Contract | null,
): (number | null)[] {
  const contract =
    payer.kind === "medicare" ? null : contractOverride !== undefined ? contractOverride : contractInForce(ctx.contracts, payer.name, date);
  // The key holds everything that can change a price: payer, contract period, year, and per
  // line the code, the pricing-relevant modifiers (discipline, assistant; KX/GA/59/95 never
  // change an amount), units and charge (lesser-of-charge).
  // The year is the run's; the charge is the charge master's rate × units. Packed into one
  // number: per line 10 bits (code, discipline and assistant flags, units), then payer and contract.
  let key = lines.length > 4 ? -1 : 0;
  for (let i = 0; i < lines.length && key >= 0; i++) {
    const line = lines[i] as PlannedLine;
    const code = CODE_INDEX.get(line.cpt);
    if (code === undefined || line.units > 7) key = -1;
    else key = key * 1024 + code * 32 + (line.discipline ? 16 : 0) + (line.assistant ? 8 : 0) + line.units;
  }
  if (key >= 0) key = (key * 8 + (PAYER_INDEX.get(payer.slug) ?? 0)) * 8 + (contract ? ctx.contracts.indexOf(contract) + 1 : 0);
  const cached = key >= 0 ? ctx.priceCache.get(key) : undefined;
  if (cached) return cached;
  const modifierLists = lines.map(modifiersOf);
  const expected = expectedAllowedForVisit({
    dateOfService: date,
    payerKind: payer.kind,
    lines: lines.map((line, i) => ({
      cpt: line.cpt,
      modifiers: modifierLists[i] as string[],
      minutes: line.minutes,
      unitsBilled: line.units,
      chargeCents: line.chargeCents,
    })),
    contract,
    feeSchedule: ctx.reference.feeSchedule,
    gpcis: ctx.reference.gpcis,
    practiceLocality: ctx.opts.medicareLocality,
  });
  const result = expected.lines.map((line) => line.expectedAllowedCents);
  if (ctx.priceCache.size > 200_000) ctx.priceCache.clear();
  if (key >= 0) ctx.priceCache.set(key, result);
  return result;
}

/** Medicare full-price (no MPPR cut) amount of a line, CQ/CO applied: the base of the CO-59 split. */
function medicareFullLineCents(ctx: Context, line: PlannedLine): number | null {
  const key = `${line.cpt}|${line.units}|${line.assistant ?? ""}`;
  const cached = ctx.fullPriceCache.get(key);
  if (cached !== undefined) return cached;
  const price = medicareUnitPrice({
    hcpcs: line.cpt,
    year: ctx.opts.year,
    locality: ctx.opts.medicareLocality,
    feeSchedule: ctx.reference.feeSchedule,
    gpci: ctx.reference.gpcis.get(gpciKey(ctx.opts.year, ctx.opts.medicareLocality)),
  });
  let full: number | null = null;
  if (price.kind === "priced") {
    full = price.price.fullCents * line.units;
    if (line.assistant) full = percentOfCents(full, ASSISTANT_PAYMENT_PERCENT);
  }
  ctx.fullPriceCache.set(key, full);
  return full;
}

/** medicarePaymentSplit, remembered for the common case of a met deductible (exact decimal math is slow). */
function medicareSplit(ctx: Context, allowedCents: number, remainingDeductibleCents: number): MedicarePaymentSplit {
  if (remainingDeductibleCents > 0) return medicarePaymentSplit({ allowedCents, remainingDeductibleCents });
  let split = ctx.splitCache.get(allowedCents);
  if (!split) {
    split = medicarePaymentSplit({ allowedCents, remainingDeductibleCents: 0 });
    ctx.splitCache.set(allowedCents, split);
  }
  return split;
}

/** percentOfCents, remembered (the coinsurance of the same amount comes up again and again). */
function percentOf(ctx: Context, amountCents: number, percent: number): number {
  const key = amountCents * 1000 + percent;
  let value = ctx.percentCache.get(key);
  if (value === undefined) {
    value = percentOfCents(amountCents, percent);
    ctx.percentCache.set(key, value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------
// Medicare thresholds and KX placement

export function payerClaimNumber(ctx: Context, payer: PayerProfile, day: number): string {
  const seq = (ctx.payerClaimSeq.get(payer.slug) ?? 0) + 1;
  ctx.payerClaimSeq.set(payer.slug, seq);
  const date = fromDay(day).replaceAll("-", "").slice(2);
  const prefix = payer.kind === "medicare" ? "22" : payer.slug.slice(0, 2).toUpperCase();
  return `${prefix}${date}${String(seq).padStart(7, "0")}`;
}

export interface Adjudicated {
  line: RemitServiceLine;
  underpaid: boolean;
}

export interface PatientRemitState {
  /** Medicare Part B deductible left, or the commercial plan's deductible left. */
  deductibleLeftCents: number;
}

function addAdjustment(list: Adjustment[], group: Adjustment["group"], reason: string, amountCents: number): void {
  if (amountCents !== 0) list.push({ group, reason, amountCents });
}

/** Remit lines of one claim as the payer adjudicated it (see the header comment for the rules). */
export function adjudicateClaim(
  ctx: Context,
  rng: Random,
  patient: Patient,
  visit: PlannedVisit,
  state: PatientRemitState,
  /** "random": the payer's usual rate of short payments; "all" / "none": every line / no line. */
  underpay: "random" | "all" | "none" = "random",
): Adjudicated[] {
  const payer = patient.payer;
  const date = fromDay(visit.day);
  let copayLeft = payer.patientShare.kind === "copay" ? payer.patientShare.perVisitCents : 0;

  // Blue Cross kept paying its old rates for a while after the July 1 raise.
  let oldRates: (number | null)[] | null = null;
  if (payer.slug === "bcbs" && date >= `${ctx.opts.year}-07-01` && date <= `${ctx.opts.year}-08-15`) {
    const previous = contractInForce(ctx.contracts, payer.name, `${ctx.opts.year}-06-30`);
    if (previous) oldRates = expectedCentsFor(ctx, payer, date, visit.lines, previous);
  }

  return visit.lines.map((line, index): Adjudicated => {
    const modifiers = modifiersOf(line);
    const adjustments: Adjustment[] = [];
    const remit = (paidCents: number, allowedCents: number | null, remarks: string[]): RemitServiceLine => ({
      cpt: line.cpt,
      modifiers,
      chargeCents: line.chargeCents,
      paidCents,
      units: line.units,
      dateOfService: date,
      adjustments,
      allowedCents,
      remarks,
    });
    const deny = (group: "CO" | "PR", reason: string, remark: string, allowedCents: number | null): Adjudicated => {
      adjustments.push({ group, reason, amountCents: line.chargeCents });
      return { line: remit(0, allowedCents, [remark]), underpaid: false };
    };
    if (!line.discipline) {
      ctx.summary.denials.co4 += 1;
      return deny("CO", "4", "N822", null);
    }
    if (line.needs59 && !line.has59) {
      ctx.summary.denials.co97 += 1;
      return deny("CO", "97", "M15", null);
    }
    if (payer.kind === "medicare" && line.needsKx && !line.kx) {
      if (line.ga) {
        ctx.summary.denials.pr119 += 1;
        return deny("PR", "119", "M38", 0);
      }
      ctx.summary.denials.co119 += 1;
      return deny("CO", "119", "N640", null);
    }
    const expected = line.expectedCents;
    if (expected === null) throw new Error(`no expected allowed amount for ${line.cpt} (${payer.name} ${date})`);

    if (payer.kind === "medicare") {
      const allowed = expected;
      const full = medicareFullLineCents(ctx, line) ?? allowed;
      const mpprCut = Math.max(0, full - allowed);
      const split = medicareSplit(ctx, allowed, state.deductibleLeftCents);
      state.deductibleLeftCents -= split.deductibleCents;
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed - mpprCut);
      addAdjustment(adjustments, "CO", "59", mpprCut);
      addAdjustment(adjustments, "CO", "253", split.sequestrationCents);
      addAdjustment(adjustments, "PR", "1", split.deductibleCents);
      addAdjustment(adjustments, "PR", "2", split.coinsuranceCents);
      return { line: remit(split.medicarePaysCents, allowed, []), underpaid: false };
    }

    let allowed = expected;
    let underpaid = false;
    const old = oldRates?.[index];
    if (old != null && old < allowed) {
      allowed = old;
      underpaid = true;
    } else if (underpay === "all" || (underpay === "random" && rng.chance(payer.underpaidLineRate))) {
      const cut = Math.max(100, Math.round(allowed * (0.03 + rng.next() * 0.09)));
      if (allowed > cut) {
        allowed -= cut;
        underpaid = true;
      }
    }
    let patientCents = 0;
    const share = payer.patientShare;
    if (share.kind === "copay") {
      const copay = Math.min(copayLeft, allowed);
      copayLeft -= copay;
      patientCents = copay;
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed);
      addAdjustment(adjustments, "PR", "3", copay);
    } else if (share.kind === "coinsurance") {
      const deductible = Math.min(state.deductibleLeftCents, allowed);
      state.deductibleLeftCents -= deductible;
      const coinsurance = percentOf(ctx, allowed - deductible, share.percent);
      patientCents = deductible + coinsurance;
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed);
      addAdjustment(adjustments, "PR", "1", deductible);
      addAdjustment(adjustments, "PR", "2", coinsurance);
    } else {
      addAdjustment(adjustments, "CO", "45", line.chargeCents - allowed);
    }
    return { line: remit(allowed - patientCents, allowed, []), underpaid };
  });
}

export function claimStatus(lines: readonly RemitServiceLine[]): "1" | "4" {
  const paid = lines.reduce((s, l) => s + l.paidCents, 0);
  const patient = lines.reduce((s, l) => s + l.adjustments.filter((a) => a.group === "PR").reduce((t, a) => t + a.amountCents, 0), 0);
  return paid === 0 && patient === 0 ? "4" : "1";
}

// ---------------------------------------------------------------------------------------
// The run
