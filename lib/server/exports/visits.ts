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
  for (const coverage of await db().coverage.findMany({
    where: { practiceId },
    select: { patientId: true, payerId: true, memberId: true },
  }))
    coverages.set(`${coverage.patientId}|${coverage.payerId}`, coverage.memberId);
  let cursor: { dateOfService: Date; externalId: string } | null = null;
  const PAGE = 1000;
  for (;;) {
    const page: Awaited<ReturnType<typeof fetchPage>> = await fetchPage(where, cursor, PAGE);
    for (const visit of page) {
      for (const line of visit.lines) {
        yield {
          patient_id: visit.patient.externalId,
          first_name: visit.patient.firstName,
          last_name: visit.patient.lastName,
          birth_date: isoDate(visit.patient.birthDate),
          payer: visit.payer.name,
          payer_kind: visit.payer.kind,
          member_id: coverages.get(`${visit.patientId}|${visit.payerId}`) ?? "",
          visit_id: visit.externalId,
          claim_id: visit.claim?.patientControlNumber ?? "",
          date_of_service: isoDate(visit.dateOfService),
          therapist_npi: visit.therapist.npi,
          therapist_name: visit.therapist.name,
          therapist_credential: visit.therapist.credential,
          place_of_service: visit.placeOfService,
          cpt: line.cpt,
          modifiers: line.modifiers.join(";"),
          minutes: line.minutes,
          units_billed: line.unitsBilled,
          charge: dollars(line.chargeCents),
          note: line.note,
          units_supported: line.unitsSupported,
          units_flag: line.unitsFlag,
          expected_allowed: dollars(line.expectedAllowedCents),
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
