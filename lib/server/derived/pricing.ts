// Feeds the rule book (lib/billing) from the database: a practice's fee schedule, GPCIs,
// payers and contracts, loaded once per use case and priced in memory.
import {
  buildFeeSchedule,
  buildGpciLookup,
  type Contract,
  contractInForce,
  defaultTherapyCodeList,
  type ExpectedVisit,
  expectedAllowedForDay,
  type FeeScheduleLookup,
  type GpciLookup,
  loadedTherapyCodeList,
  type PayerKind,
  type TherapyCodeList,
  type VisitLine,
} from "@/lib/billing";
import type { Db, Tx } from "../core/db";
import { isoDate } from "../core/dates";

export interface PracticePricing {
  locality: string;
  feeSchedule: FeeScheduleLookup;
  gpcis: GpciLookup;
  /**
   * Which codes are therapy (KX pool, therapy MPPR, GP/GO/GN checks): CMS's therapy code list the
   * practice loaded, else the shipped default (lib/billing/therapy-codes.ts). Absent only in
   * hand-built test pricing: then see therapyCodesOf.
   */
  therapyCodes?: TherapyCodeList;
  payers: Map<number, { name: string; kind: PayerKind; unitMethod: "cms" | "per_code" }>;
  /** billing contracts by payer id; Contract.payer is the payer's name */
  contractsByPayer: Map<number, (Contract & { id: number })[]>;
  /**
   * The practice's undercoding option (Practice.reviewAmbiguousNotes): not pricing, but every
   * recompute of a line's computed columns reads it from here, and a change of it bumps the version.
   */
  reviewAmbiguousNotes?: boolean;
}

const cache = new Map<number, { version: bigint; pricing: PracticePricing }>();

/**
 * The practice's pricing, cached in this process until its pricing version changes
 * (database triggers bump it on any change to fee schedule, GPCIs, payers or contracts).
 * One small query instead of five on every visit save.
 */
export async function loadPricingCached(client: Db | Tx, practiceId: number): Promise<PracticePricing> {
  const row = await client.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { pricingVersion: true } });
  const hit = cache.get(practiceId);
  if (hit && hit.version === row.pricingVersion) return hit.pricing;
  const pricing = await loadPricing(client, practiceId);
  cache.set(practiceId, { version: row.pricingVersion, pricing });
  return pricing;
}

export async function loadPricing(client: Db | Tx, practiceId: number): Promise<PracticePricing> {
  // sequential: inside a transaction the queries share one connection
  const practice = await client.practice.findUniqueOrThrow({
    where: { id: practiceId },
    select: { medicareLocality: true, reviewAmbiguousNotes: true },
  });
  const fees = await client.feeScheduleRow.findMany({ where: { practiceId } });
  const gpcis = await client.gpci.findMany({ where: { practiceId } });
  const payers = await client.payer.findMany({ where: { practiceId } });
  const contracts = await client.contract.findMany({ where: { practiceId }, include: { rates: true } });
  const therapyRows = await client.therapyCode.findMany({ where: { practiceId }, select: { cpt: true, status: true } });
  const payerMap = new Map(payers.map((p) => [p.id, { name: p.name, kind: p.kind as PayerKind, unitMethod: p.unitMethod }]));
  const contractsByPayer = new Map<number, (Contract & { id: number })[]>();
  for (const contract of contracts) {
    const list = contractsByPayer.get(contract.payerId) ?? [];
    list.push(toBillingContract(contract, payerMap.get(contract.payerId)?.name ?? ""));
    contractsByPayer.set(contract.payerId, list);
  }
  return {
    locality: practice.medicareLocality,
    reviewAmbiguousNotes: practice.reviewAmbiguousNotes,
    therapyCodes: practiceTherapyCodes(
      therapyRows,
      fees.filter((f) => f.multProcIndicator.trim() === "5").map((f) => f.cpt),
    ),
    feeSchedule: buildFeeSchedule(
      fees.map((f) => ({
        year: f.year,
        hcpcs: f.cpt,
        modifier: f.modifier,
        status: f.status,
        workRvu: f.workRvu.toString(),
        nonFacilityPeRvu: f.nonFacilityPeRvu.toString(),
        facilityPeRvu: f.facilityPeRvu.toString(),
        mpRvu: f.mpRvu.toString(),
        multProcIndicator: f.multProcIndicator,
        conversionFactor: f.conversionFactor.toString(),
      })),
    ),
    gpcis: buildGpciLookup(
      gpcis.map((g) => ({
        year: g.year,
        locality: g.locality,
        workGpci: g.work.toString(),
        peGpci: g.pe.toString(),
        mpGpci: g.mp.toString(),
      })),
    ),
    payers: payerMap,
    contractsByPayer,
  };
}

/**
 * The practice's therapy code list: the rows it loaded from CMS's list when there are any, else
 * the shipped default with every code its fee schedule marks MULT PROC 5.
 */
export function practiceTherapyCodes(
  rows: readonly { cpt: string; status: "ALWAYS" | "SOMETIMES" }[],
  multProc5Codes: Iterable<string>,
): TherapyCodeList {
  if (rows.length > 0)
    return loadedTherapyCodeList(rows.map((r) => ({ cpt: r.cpt, status: r.status === "ALWAYS" ? "always" : "sometimes" })));
  return defaultTherapyCodeList(multProc5Codes);
}

/** The pricing's therapy code list; pricing built by hand (tests) gets the default for its fee schedule. */
export function therapyCodesOf(pricing: PracticePricing): TherapyCodeList {
  if (pricing.therapyCodes) return pricing.therapyCodes;
  const mult5 = [...pricing.feeSchedule.values()].filter((r) => String(r.multProcIndicator).trim() === "5").map((r) => r.hcpcs);
  return defaultTherapyCodeList(mult5);
}

type DbContract = {
  id: number;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  unitMethod: "cms" | "per_code";
  multipleProcedureRule: "medicare_pe_50" | "whole_50" | "none";
  rates: {
    cpt: string;
    modifier: string;
    ratePerUnitCents: number | null;
    percentOfMedicare: { toString(): string } | null;
    medicareYear: number | null;
    locality: string | null;
    maxUnitsPerVisit: number | null;
    lesserOfCharge: boolean;
  }[];
};

export function toBillingContract(contract: DbContract, payerName: string): Contract & { id: number } {
  return {
    id: contract.id,
    payer: payerName,
    effectiveFrom: isoDate(contract.effectiveFrom),
    effectiveTo: contract.effectiveTo ? isoDate(contract.effectiveTo) : null,
    unitMethod: contract.unitMethod,
    multipleProcedureRule: contract.multipleProcedureRule,
    rates: contract.rates.map((r) => ({
      cpt: r.cpt,
      modifier: r.modifier === "" ? null : r.modifier,
      ratePerUnitCents: r.ratePerUnitCents,
      percentOfMedicare: r.percentOfMedicare == null ? null : r.percentOfMedicare.toString(),
      medicareYear: r.medicareYear,
      locality: r.locality,
      maxUnitsPerVisit: r.maxUnitsPerVisit,
      lesserOfCharge: r.lesserOfCharge,
    })),
  };
}

export function contractFor(pricing: PracticePricing, payerId: number, dateOfService: string) {
  const payer = pricing.payers.get(payerId);
  if (!payer) return null;
  const found = contractInForce(pricing.contractsByPayer.get(payerId) ?? [], payer.name, dateOfService);
  return (found as (Contract & { id: number }) | null) ?? null;
}

/** One visit of a patient's day: its practice visit id (orders the day), payer and lines. */
export interface DayVisitInput {
  visitId: string;
  payerId: number;
  lines: VisitLine[];
}

/**
 * What each line of a patient's visits on one date should be allowed, the visits priced together
 * (the multiple-procedure rule runs over the whole day: DOMAIN.md §3). One result per visit, in
 * the order given.
 */
export function priceDay(pricing: PracticePricing, day: { dateOfService: string; visits: DayVisitInput[] }): ExpectedVisit[] {
  return expectedAllowedForDay({
    dateOfService: day.dateOfService,
    visits: day.visits.map((visit) => {
      const payer = pricing.payers.get(visit.payerId);
      const kind: PayerKind = payer?.kind ?? "self_pay";
      return {
        visitId: visit.visitId,
        payerKind: kind,
        lines: visit.lines,
        contract: kind === "medicare" ? null : contractFor(pricing, visit.payerId, day.dateOfService),
        defaultUnitMethod: payer?.unitMethod ?? "cms",
      };
    }),
    feeSchedule: pricing.feeSchedule,
    therapyCodes: therapyCodesOf(pricing),
    gpcis: pricing.gpcis,
    practiceLocality: pricing.locality,
  });
}
