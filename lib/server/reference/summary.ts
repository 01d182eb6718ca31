// What reference data a practice has loaded: fee schedule and GPCI years, and the uploads.
import { db } from "../core/db";

export async function referenceSummary(practiceId: number) {
  const practice = await db().practice.findUniqueOrThrow({ where: { id: practiceId }, select: { medicareLocality: true } });
  const fees = await db().feeScheduleRow.groupBy({
    by: ["year"],
    where: { practiceId },
    _count: { _all: true },
    _min: { conversionFactor: true },
    _max: { conversionFactor: true },
    orderBy: { year: "desc" },
  });
  const gpcis = await db().gpci.groupBy({ by: ["year"], where: { practiceId }, _count: { _all: true }, orderBy: { year: "desc" } });
  const ownLocality = await db().gpci.findMany({ where: { practiceId, locality: practice.medicareLocality }, orderBy: { year: "desc" } });
  const uploads = await db().importJob.findMany({
    where: { practiceId, kind: { in: ["FEE_SCHEDULE", "GPCI", "MUE", "NCCI_PTP", "THERAPY_CODES"] } },
    orderBy: { createdAt: "desc" },
    take: 10,
    select: { id: true, kind: true, fileName: true, status: true, counts: true, createdAt: true },
  });
  return {
    locality: practice.medicareLocality,
    feeScheduleYears: fees.map((fee) => {
      // conversion factors are published with 4 decimals
      const min = fee._min.conversionFactor?.toFixed(4) ?? "";
      const max = fee._max.conversionFactor?.toFixed(4) ?? "";
      return { year: fee.year, rows: fee._count._all, conversionFactor: min === max ? min : `${min}–${max}` };
    }),
    gpciYears: gpcis.map((gpci) => {
      const own = ownLocality.find((l) => l.year === gpci.year);
      return {
        year: gpci.year,
        localities: gpci._count._all,
        own: own ? { name: own.localityName, work: own.work.toString(), pe: own.pe.toString(), mp: own.mp.toString() } : null,
      };
    }),
    uploads: uploads.map((u) => ({ ...u, counts: (u.counts ?? {}) as Record<string, number>, createdAt: u.createdAt.toISOString() })),
  };
}
