// contracts.csv: one row per code per contract period. A period already on file (same
// payer and effective_from) is replaced by the file's version. Every visit of the payer
// is re-priced in the same transaction. A payer the practice does not have yet is created (a
// new practice sets up its contracts before its first visits.csv), with the optional
// payer_kind column (default commercial), and listed in the import summary.
import { type ContractRow, contractsFromRows } from "@/lib/billing";
import { contractCsvRow } from "@/lib/schemas/csv-rows";
import type { PayerKind } from "@/lib/generated/prisma/client";
import type { Tx } from "../core/db";
import { dateFromIso } from "../core/dates";
import { recomputeDerived } from "../derived";
import { parseCsv } from "./csv";
import type { ImportOutcome } from "./run";

export async function importContractsCsv(tx: Tx, practiceId: number, _userId: number | null, text: string): Promise<ImportOutcome> {
  const parsed = parseCsv(text, contractCsvRow, 200, { optional: ["payer_kind"] });
  const errors = [...parsed.errors];
  if (errors.length) return { counts: {}, warnings: [], errors };
  const rows: ContractRow[] = parsed.rows.map(({ value: v }) => ({
    payer: v.payer,
    effectiveFrom: v.effective_from,
    effectiveTo: v.effective_to,
    unitMethod: v.unit_method,
    multipleProcedureRule: v.multiple_procedure_rule,
    cpt: v.cpt,
    modifier: v.modifier === "" ? null : v.modifier,
    ratePerUnitCents: v.rate_per_unit,
    percentOfMedicare: v.percent_of_medicare,
    medicareYear: v.medicare_year,
    locality: v.locality,
    maxUnitsPerVisit: v.max_units_per_visit,
    lesserOfCharge: v.lesser_of_charge,
  }));
  const grouped = contractsFromRows(rows);
  for (const error of grouped.errors)
    errors.push({ where: `row ${parsed.rows[error.rowIndex]?.rowNumber ?? error.rowIndex + 2}`, message: error.message });
  const payers = await tx.payer.findMany({ where: { practiceId } });
  const payerByKey = new Map(payers.map((p) => [p.nameKey, p]));
  const warnings: ImportOutcome["warnings"] = [];
  // payers to create: the first row naming one sets its kind; a later row may not contradict it
  const newPayers = new Map<string, { name: string; kind: PayerKind; rowNumber: number }>();
  for (const row of parsed.rows) {
    const key = row.value.payer.toLowerCase();
    const existing = payerByKey.get(key);
    const kind = row.value.payer_kind as PayerKind;
    if (existing) {
      if (parsed.header.includes("payer_kind") && existing.kind !== kind)
        warnings.push({
          where: `row ${row.rowNumber}, column payer_kind`,
          message: `payer "${existing.name}" is already ${PAYER_KIND_WORDS[existing.kind]}; kept as is`,
        });
      continue;
    }
    const planned = newPayers.get(key);
    if (!planned) newPayers.set(key, { name: row.value.payer, kind, rowNumber: row.rowNumber });
    else if (planned.kind !== kind)
      errors.push({
        where: `row ${row.rowNumber}, column payer_kind`,
        message: `payer "${row.value.payer}" is ${PAYER_KIND_WORDS[planned.kind]} in row ${planned.rowNumber} and ${PAYER_KIND_WORDS[kind]} here`,
      });
  }
  if (errors.length) return { counts: {}, warnings: [], errors };
  for (const [key, newPayer] of newPayers) {
    const payer = await tx.payer.create({
      data: { practiceId, name: newPayer.name, nameKey: key, kind: newPayer.kind, unitMethod: "cms" },
    });
    payerByKey.set(key, payer);
    warnings.push({
      where: `row ${newPayer.rowNumber}, column payer`,
      message: `new payer "${newPayer.name}" created (${PAYER_KIND_WORDS[newPayer.kind]})`,
    });
  }

  const touchedPayers = new Set<number>();
  for (const contract of grouped.contracts) {
    const payer = payerByKey.get(contract.payer.toLowerCase())!;
    touchedPayers.add(payer.id);
    const from = dateFromIso(contract.effectiveFrom);
    await tx.contract.deleteMany({ where: { practiceId, payerId: payer.id, effectiveFrom: from } });
    // other periods of this payer must not overlap the new one
    const others = await tx.contract.findMany({ where: { practiceId, payerId: payer.id } });
    const to = contract.effectiveTo ?? "9999-12-31";
    const clash = others.find(
      (o) =>
        o.effectiveFrom.toISOString().slice(0, 10) <= to &&
        contract.effectiveFrom <= (o.effectiveTo?.toISOString().slice(0, 10) ?? "9999-12-31"),
    );
    if (clash) {
      errors.push({
        where: `row ${parsed.rows.find((r) => r.value.payer.toLowerCase() === contract.payer.toLowerCase())?.rowNumber ?? 2}`,
        message: `${contract.payer} from ${contract.effectiveFrom} overlaps the contract already on file from ${clash.effectiveFrom.toISOString().slice(0, 10)}`,
      });
      continue;
    }
    await tx.contract.create({
      data: {
        practiceId,
        payerId: payer.id,
        effectiveFrom: from,
        effectiveTo: contract.effectiveTo ? dateFromIso(contract.effectiveTo) : null,
        unitMethod: contract.unitMethod,
        multipleProcedureRule: contract.multipleProcedureRule,
        rates: {
          create: contract.rates.map((r) => ({
            practiceId,
            cpt: r.cpt,
            modifier: r.modifier ?? "",
            ratePerUnitCents: r.ratePerUnitCents,
            percentOfMedicare: r.percentOfMedicare == null ? null : String(r.percentOfMedicare),
            medicareYear: r.medicareYear,
            locality: r.locality,
            maxUnitsPerVisit: r.maxUnitsPerVisit,
            lesserOfCharge: r.lesserOfCharge,
          })),
        },
      },
    });
    await tx.payer.update({ where: { id: payer.id }, data: { unitMethod: contract.unitMethod } });
  }
  if (errors.length) return { counts: {}, warnings: [], errors };
  // prices, the remit lines already imported against the new terms, KX totals, claim checks
  const repriced = (await recomputeDerived(tx, practiceId, { payers: [...touchedPayers] })).visitsOfPayers;
  return {
    counts: {
      rows: rows.length,
      contracts: grouped.contracts.length,
      rates: rows.length,
      payersCreated: newPayers.size,
      visitsRepriced: repriced,
    },
    warnings,
    errors: [],
  };
}

/** A payer's kind in the users' words */
const PAYER_KIND_WORDS: Record<PayerKind, string> = {
  medicare: "Medicare",
  medicare_advantage: "Medicare Advantage",
  commercial: "commercial",
  medicaid: "Medicaid",
  workers_comp: "workers' compensation",
  self_pay: "self-pay",
};
