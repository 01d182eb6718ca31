// Feeds the rule book (lib/billing) from the database: a practice's fee schedule, GPCIs,
// payers and contracts, loaded once per use case and priced in memory.
import {
  buildFeeSchedule,
  buildGpciLookup,
  type Contract,
  contractInForce,
  type ExpectedVisit,
  expectedAllowedForVisit,
  type FeeScheduleLookup,
  type GpciLookup,
  type PayerKind,
  type VisitLine,
} from "@/lib/billing";
import type { Db, Tx } from "./db";
import { isoDate } from "./dates";

export interface PracticePricing {
  locality: string;
  feeSchedule: FeeScheduleLookup;
  gpcis: GpciLookup;
  payers: Map<number, { name: string; kind: PayerKind; unitMethod: "cms" | "per_code" }>;
  /** billing contracts by payer id; Contract.payer is the payer's name */
  contractsByPayer: Map<number, (Contract & { id: number })[]>;
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
  const practice = await client.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { medicareLocality: true } });
  const fees = await client.feeScheduleRow.findMany({ where: { practiceId } });
  const gpcis = await client.gpci.findMany({ where: { practiceId } });
  const payers = await client.payer.findMany({ where: { practiceId } });
  const contracts = await client.contract.findMany({ where: { practiceId }, include: { rates: true } });
  const payerMap = new Map(payers.map((p) => [p.id, { name: p.name, kind: p.kind as PayerKind, unitMethod: p.unitMethod }]));
  const contractsByPayer = new Map<number, (Contract & { id: number })[]>();
  for (const c of contracts) {
    const list = contractsByPayer.get(c.payerId) ?? [];
    list.push(toBillingContract(c, payerMap.get(c.payerId)?.name ?? ""));
    contractsByPayer.set(c.payerId, list);
  }
  return {
    locality: practice.medicareLocality,
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

export function toBillingContract(c: DbContract, payerName: string): Contract & { id: number } {
  return {
    id: c.id,
    payer: payerName,
    effectiveFrom: isoDate(c.effectiveFrom),
    effectiveTo: c.effectiveTo ? isoDate(c.effectiveTo) : null,
    unitMethod: c.unitMethod,
    multipleProcedureRule: c.multipleProcedureRule,
    rates: c.rates.map((r) => ({
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

/** What each line of a visit should be allowed, under the payer's contract or Medicare's fee schedule. */
export function priceVisit(pricing: PracticePricing, visit: { payerId: number; dateOfService: string; lines: VisitLine[] }): ExpectedVisit {
  const payer = pricing.payers.get(visit.payerId);
  const kind: PayerKind = payer?.kind ?? "self_pay";
  return expectedAllowedForVisit({
    dateOfService: visit.dateOfService,
    payerKind: kind,
    lines: visit.lines,
    contract: kind === "medicare" ? null : contractFor(pricing, visit.payerId, visit.dateOfService),
    feeSchedule: pricing.feeSchedule,
    gpcis: pricing.gpcis,
    practiceLocality: pricing.locality,
    defaultUnitMethod: payer?.unitMethod ?? "cms",
  });
}
