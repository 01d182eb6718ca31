// export kx-queue (FORMATS.md): one row per Medicare patient x year x pool with any therapy.
import { db } from "../core/db";
import { isoDate } from "../core/dates";
import { dollars, type ExportRow, type ExportSource } from "../lists/format";

export const KX_EXPORT_COLUMNS = [
  "patient_id",
  "year",
  "pool",
  "allowed_here",
  "used_elsewhere",
  "total",
  "level",
  "alert_crossed_on",
  "kx_crossed_on",
  "review_crossed_on",
  "lines_missing_kx",
  "estimated",
];

export function kxQueueExport(practiceId: number, year?: number): ExportSource {
  return { columns: KX_EXPORT_COLUMNS, rows: rows(practiceId, year) };
}

async function* rows(practiceId: number, year?: number): AsyncGenerator<ExportRow> {
  const items = await db().kxQueueItem.findMany({
    where: { practiceId, visitCount: { gt: 0 }, ...(year ? { year } : {}) },
    include: { patient: { select: { externalId: true } } },
  });
  items.sort((a, b) =>
    a.patient.externalId !== b.patient.externalId
      ? a.patient.externalId < b.patient.externalId
        ? -1
        : 1
      : a.year !== b.year
        ? a.year - b.year
        : a.pool < b.pool
          ? -1
          : a.pool > b.pool
            ? 1
            : 0,
  );
  for (const i of items) {
    yield {
      patient_id: i.patient.externalId,
      year: i.year,
      pool: i.pool,
      allowed_here: dollars(i.allowedHereCents),
      used_elsewhere: dollars(i.usedElsewhereCents),
      total: dollars(i.totalCents),
      level: i.level,
      alert_crossed_on: i.alertCrossedOn ? isoDate(i.alertCrossedOn) : "",
      kx_crossed_on: i.kxCrossedOn ? isoDate(i.kxCrossedOn) : "",
      review_crossed_on: i.reviewCrossedOn ? isoDate(i.reviewCrossedOn) : "",
      lines_missing_kx: i.linesMissingKx,
      estimated: i.estimated,
    };
  }
}
