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
  for (const r of parsed.rows) {
    const v = r.value;
    if (!idOf.has(v.patient_id))
      errors.push({
        where: `row ${r.rowNumber}, column patient_id`,
        message: `no patient "${v.patient_id}" in this practice: import their visits first`,
      });
    const key = `${v.patient_id}|${v.year}|${v.pool}`;
    const first = seen.get(key);
    if (first) errors.push({ where: `row ${r.rowNumber}`, message: `${v.patient_id} ${v.year} ${v.pool} already appears on row ${first}` });
    else seen.set(key, r.rowNumber);
  }
  if (errors.length) return { counts: { rows: parsed.rows.length }, warnings: [], errors };
  for (const r of parsed.rows) {
    const v = r.value;
    const patientId = idOf.get(v.patient_id)!;
    const data = { amountCents: v.amount, source: v.source, asOf: dateFromIso(v.as_of) };
    await tx.thresholdUsage.upsert({
      where: { practiceId_patientId_year_pool: { practiceId, patientId, year: v.year, pool: v.pool } },
      create: { practiceId, patientId, year: v.year, pool: v.pool, ...data },
      update: data,
    });
  }
  const keys = parsed.rows.map((r) => ({ patientId: idOf.get(r.value.patient_id)!, year: r.value.year, pool: r.value.pool }));
  // a pool with usage but no lines yet still gets its queue item
  for (const k of keys) {
    await tx.kxQueueItem.upsert({
      where: { practiceId_patientId_year_pool: { practiceId, ...k } },
      create: { practiceId, ...k },
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
