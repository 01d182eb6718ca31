// export visits (FORMATS.md): the visits.csv columns plus units_supported, units_flag and
// expected_allowed, in date of service, visit, line order.
import { VISIT_CSV_COLUMNS } from "@/lib/schemas/csv-rows";
import { db } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { dollars, type ExportRow, type ExportSource } from "../lists/format";

export const VISIT_EXPORT_COLUMNS = [...VISIT_CSV_COLUMNS, "units_supported", "units_flag", "expected_allowed"];

export interface DateRange {
  from?: string;
  to?: string;
}

export function visitsExport(practiceId: number, range: DateRange = {}): ExportSource {
  return { columns: VISIT_EXPORT_COLUMNS, rows: visitRows(practiceId, range) };
}

async function* visitRows(practiceId: number, range: DateRange): AsyncGenerator<ExportRow> {
  const where = {
    practiceId,
    ...(range.from || range.to
      ? { dateOfService: { ...(range.from ? { gte: dateFromIso(range.from) } : {}), ...(range.to ? { lte: dateFromIso(range.to) } : {}) } }
      : {}),
  };
  const coverages = new Map<string, string>();
  for (const c of await db().coverage.findMany({ where: { practiceId }, select: { patientId: true, payerId: true, memberId: true } }))
    coverages.set(`${c.patientId}|${c.payerId}`, c.memberId);
  let cursor: { dateOfService: Date; externalId: string } | null = null;
  const PAGE = 1000;
  for (;;) {
    const page: Awaited<ReturnType<typeof fetchPage>> = await fetchPage(where, cursor, PAGE);
    for (const v of page) {
      for (const l of v.lines) {
        yield {
          patient_id: v.patient.externalId,
          first_name: v.patient.firstName,
          last_name: v.patient.lastName,
          birth_date: isoDate(v.patient.birthDate),
          payer: v.payer.name,
          payer_kind: v.payer.kind,
          member_id: coverages.get(`${v.patientId}|${v.payerId}`) ?? "",
          visit_id: v.externalId,
          claim_id: v.claim?.patientControlNumber ?? "",
          date_of_service: isoDate(v.dateOfService),
          therapist_npi: v.therapist.npi,
          therapist_name: v.therapist.name,
          therapist_credential: v.therapist.credential,
          place_of_service: v.placeOfService,
          cpt: l.cpt,
          modifiers: l.modifiers.join(";"),
          minutes: l.minutes,
          units_billed: l.unitsBilled,
          charge: dollars(l.chargeCents),
          note: l.note,
          units_supported: l.unitsSupported,
          units_flag: l.unitsFlag,
          expected_allowed: dollars(l.expectedAllowedCents),
        };
      }
    }
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    cursor = { dateOfService: last.dateOfService, externalId: last.externalId };
  }
}

function fetchPage(where: object, cursor: { dateOfService: Date; externalId: string } | null, take: number) {
  return db().visit.findMany({
    where: cursor
      ? {
          AND: [
            where,
            {
              OR: [
                { dateOfService: { gt: cursor.dateOfService } },
                { dateOfService: cursor.dateOfService, externalId: { gt: cursor.externalId } },
              ],
            },
          ],
        }
      : where,
    orderBy: [{ dateOfService: "asc" }, { externalId: "asc" }],
    take,
    include: {
      patient: { select: { externalId: true, firstName: true, lastName: true, birthDate: true } },
      payer: { select: { name: true, kind: true } },
      therapist: { select: { npi: true, name: true, credential: true } },
      claim: { select: { patientControlNumber: true } },
      lines: { orderBy: { lineOrder: "asc" } },
    },
  });
}
