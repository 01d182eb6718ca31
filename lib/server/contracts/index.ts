// Payer contracts in the app: list, read, create and edit. A save is one transaction: the
// contract and its rates, the payer's unit method, every visit of the payer re-priced (and
// the KX totals), the expectations of its remit lines refreshed, and the audit event.
import { contractRows, type ContractForm } from "@/lib/schemas/contract";
import { contractsFromRows, describeContractRate } from "@/lib/billing";
import type { Prisma } from "@/lib/generated/prisma/client";
import { audit } from "../core/audit";
import { allowLongStatements, db } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { InvalidInput, NotFound } from "../core/errors";
import { toBillingContract } from "../derived/pricing";
import { recomputeDerived } from "../derived";

export interface ContractActor {
  practiceId: number;
  userId: number;
}

export async function payersOf(practiceId: number) {
  return db().payer.findMany({
    where: { practiceId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, unitMethod: true },
  });
}

export async function contractList(practiceId: number, today: string) {
  const contracts = await db().contract.findMany({
    where: { practiceId },
    include: { payer: { select: { id: true, name: true } }, _count: { select: { rates: true } } },
    orderBy: [{ payerId: "asc" }, { effectiveFrom: "desc" }],
  });
  return contracts
    .map((contract) => {
      const from = isoDate(contract.effectiveFrom);
      const to = contract.effectiveTo ? isoDate(contract.effectiveTo) : null;
      return {
        id: contract.id,
        payerId: contract.payerId,
        payer: contract.payer.name,
        effectiveFrom: from,
        effectiveTo: to,
        unitMethod: contract.unitMethod,
        multipleProcedureRule: contract.multipleProcedureRule,
        rates: contract._count.rates,
        inForce: from <= today && (to === null || today <= to),
      };
    })
    .sort((a, b) => a.payer.localeCompare(b.payer) || (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
}

export async function contractDetail(practiceId: number, id: number) {
  // ids are int4: a larger one (from the address bar) is a missing record, not a database error
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return null;
  const contract = await db().contract.findFirst({
    where: { practiceId, id },
    include: { payer: { select: { id: true, name: true } }, rates: { orderBy: [{ cpt: "asc" }, { modifier: "asc" }] } },
  });
  if (!contract) return null;
  const billing = toBillingContract(contract, contract.payer.name);
  return {
    id: contract.id,
    payerId: contract.payerId,
    payer: contract.payer.name,
    effectiveFrom: isoDate(contract.effectiveFrom),
    effectiveTo: contract.effectiveTo ? isoDate(contract.effectiveTo) : null,
    unitMethod: contract.unitMethod,
    multipleProcedureRule: contract.multipleProcedureRule,
    rates: contract.rates.map((r, i) => ({
      cpt: r.cpt,
      modifier: r.modifier,
      ratePerUnitCents: r.ratePerUnitCents,
      percentOfMedicare: r.percentOfMedicare?.toString() ?? null,
      medicareYear: r.medicareYear,
      locality: r.locality,
      maxUnitsPerVisit: r.maxUnitsPerVisit,
      lesserOfCharge: r.lesserOfCharge,
      description: describeContractRate(billing.rates[i]!, billing).replace(/^[^:]*: /, ""),
    })),
  };
}

export async function saveContract(actor: ContractActor, input: ContractForm) {
  const { practiceId } = actor;
  return db().$transaction(
    async (tx) => {
      // a new rate re-prices every visit of the payer since its start: no statement timeout (db.ts)
      await allowLongStatements(tx);
      const payer = await tx.payer.findFirst({ where: { practiceId, id: input.payerId } });
      if (!payer) throw new InvalidInput("Choose one of the practice's payers", { payerId: ["choose one of the practice's payers"] });
      if (payer.kind === "medicare") {
        throw new InvalidInput("Medicare is priced from the fee schedule, not a contract", {
          payerId: ["Medicare is priced from the fee schedule"],
        });
      }
      const before = input.contractId
        ? await tx.contract.findFirst({ where: { practiceId, id: input.contractId }, include: { rates: true } })
        : null;
      if (input.contractId && !before) throw new NotFound("No such contract");
      const grouped = contractsFromRows(contractRows(input, payer.name));
      const contract = grouped.contracts[0];
      if (grouped.errors.length || !contract) throw new InvalidInput(grouped.errors[0]?.message ?? "The contract has no rates");
      // only one contract of a payer may be in force on a date (as for contracts.csv)
      const others = await tx.contract.findMany({
        where: { practiceId, payerId: payer.id, ...(before ? { id: { not: before.id } } : {}) },
      });
      const to = contract.effectiveTo ?? "9999-12-31";
      const clash = others.find(
        (o) => isoDate(o.effectiveFrom) <= to && contract.effectiveFrom <= (o.effectiveTo ? isoDate(o.effectiveTo) : "9999-12-31"),
      );
      if (clash) {
        const msg = `overlaps the ${payer.name} contract from ${isoDate(clash.effectiveFrom)}${clash.effectiveTo ? ` to ${isoDate(clash.effectiveTo)}` : ""}`;
        throw new InvalidInput(`This period ${msg}`, { effective_from: [msg] });
      }
      const data = {
        payerId: payer.id,
        effectiveFrom: dateFromIso(contract.effectiveFrom),
        effectiveTo: contract.effectiveTo ? dateFromIso(contract.effectiveTo) : null,
        unitMethod: contract.unitMethod,
        multipleProcedureRule: contract.multipleProcedureRule,
      };
      const rates = contract.rates.map((r) => ({
        practiceId,
        cpt: r.cpt,
        modifier: r.modifier ?? "",
        ratePerUnitCents: r.ratePerUnitCents,
        percentOfMedicare: r.percentOfMedicare == null ? null : String(r.percentOfMedicare),
        medicareYear: r.medicareYear,
        locality: r.locality,
        maxUnitsPerVisit: r.maxUnitsPerVisit,
        lesserOfCharge: r.lesserOfCharge,
      }));
      let id: number;
      if (before) {
        await tx.contractRate.deleteMany({ where: { contractId: before.id, practiceId } });
        await tx.contract.update({ where: { id: before.id }, data: { ...data, rates: { create: rates } } });
        id = before.id;
      } else {
        const created = await tx.contract.create({ data: { practiceId, ...data, rates: { create: rates } } });
        id = created.id;
      }
      await tx.payer.update({ where: { id: payer.id }, data: { unitMethod: contract.unitMethod } });
      const payerIds = [...new Set([payer.id, ...(before ? [before.payerId] : [])])];
      // prices, the remit lines already imported against the new terms, KX totals, claim checks
      const derived = await recomputeDerived(tx, practiceId, { payers: payerIds });
      const visitsRepriced = derived.visitsOfPayers;
      const remitLinesRefreshed = derived.remitLinesNetted;
      await audit(tx, actor, {
        action: before ? "contract.update" : "contract.create",
        entityType: "Contract",
        entityId: id,
        details: {
          payer: payer.name,
          effectiveFrom: contract.effectiveFrom,
          effectiveTo: contract.effectiveTo,
          rates: rates.length,
          visitsRepriced,
          ...(before ? { previous: { effectiveFrom: isoDate(before.effectiveFrom), rates: before.rates.length } } : {}),
        } as Prisma.InputJsonValue,
      });
      return { contractId: id, visitsRepriced, remitLinesRefreshed };
    },
    { timeout: 5 * 60_000, maxWait: 10_000 },
  );
}
