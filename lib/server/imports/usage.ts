// usage.csv: therapy amounts used elsewhere this year, per patient and pool (DOMAIN.md §1).
import { usageCsvRow } from "@/lib/schemas/csv-rows";
import { auditMany } from "../core/audit";
import type { Tx } from "../core/db";
import { dateFromIso } from "../core/dates";
import { recomputeDerived } from "../derived";
import { parseCsv } from "./csv";
import type { ImportOutcome } from "./run";

export async function importUsageCsv(tx: Tx, practiceId: number, userId: number | null, text: string): Promise<ImportOutcome> {
  const parsed = parseCsv(text, usageCsvRow);
  const errors = [...parsed.errors];
  const patients = await tx.patient.findMany({
    where: { practiceId, externalId: { in: [...new Set(parsed.rows.map((r) => r.value.patient_id))] } },
    select: { id: true, externalId: true },
  });
  const idOf = new Map(patients.map((p) => [p.externalId, p.id]));
  const seen = new Map<string, number>();
  for (const row of parsed.rows) {
    const value = row.value;
    if (!idOf.has(value.patient_id))
      errors.push({
        where: `row ${row.rowNumber}, column patient_id`,
        message: `no patient "${value.patient_id}" in this practice: import their visits first`,
      });
    const key = `${value.patient_id}|${value.year}|${value.pool}`;
    const first = seen.get(key);
    if (first)
      errors.push({
        where: `row ${row.rowNumber}`,
        message: `${value.patient_id} ${value.year} ${value.pool} already appears on row ${first}`,
      });
    else seen.set(key, row.rowNumber);
  }
  if (errors.length) return { counts: { rows: parsed.rows.length }, warnings: [], errors };
  for (const row of parsed.rows) {
    const value = row.value;
    const patientId = idOf.get(value.patient_id)!;
    const data = { amountCents: value.amount, source: value.source, asOf: dateFromIso(value.as_of) };
    await tx.thresholdUsage.upsert({
      where: { practiceId_patientId_year_pool: { practiceId, patientId, year: value.year, pool: value.pool } },
      create: { practiceId, patientId, year: value.year, pool: value.pool, ...data },
      update: data,
    });
  }
  const keys = parsed.rows.map((r) => ({ patientId: idOf.get(r.value.patient_id)!, year: r.value.year, pool: r.value.pool }));
  // a pool with usage but no lines yet still gets its queue item
  for (const key of keys) {
    await tx.kxQueueItem.upsert({
      where: { practiceId_patientId_year_pool: { practiceId, ...key } },
      create: { practiceId, ...key },
      update: {},
    });
  }
  await recomputeDerived(tx, practiceId, { pools: keys });
  await auditMany(
    tx,
    { practiceId, userId },
    keys.map((k) => ({
      action: "usage.import",
      entityType: "ThresholdUsage",
      patientId: k.patientId,
      details: { year: k.year, pool: k.pool },
    })),
  );
  return { counts: { rows: parsed.rows.length, patients: new Set(keys.map((k) => k.patientId)).size }, warnings: [], errors: [] };
}
