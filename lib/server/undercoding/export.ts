// export undercoding (FORMATS.md): one row per candidate line (and per possible line, with its gain in
// possible_gain, when the practice sets ambiguous notes apart), both directions, by patient, then
// date of service, visit and line order (the order of the example practice's expected file). Read from the candidate columns kept on each line (never by
// running the classifier over the range), a page at a time.
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../core/db";
import { dateFromIso, isoDate } from "../core/dates";
import { dollars, type ExportRow, type ExportSource } from "../lists/format";

export const UNDERCODING_EXPORT_COLUMNS = [
  "visit_id",
  "date_of_service",
  "therapist_npi",
  "payer",
  "cpt",
  "units",
  "direction",
  "matched_terms",
  "potential_gain",
  // added after FORMATS.md's columns: the gain of a possible line (an ambiguous note the practice sets
  // apart), never counted in potential_gain; empty on counted rows (docs/formats.md)
  "possible_gain",
];

export interface UndercodingExportRange {
  from?: string;
  to?: string;
}

export function undercodingExport(practiceId: number, range: UndercodingExportRange = {}): ExportSource {
  return { columns: UNDERCODING_EXPORT_COLUMNS, rows: undercodingRows(practiceId, range) };
}

interface Row {
  patientExternalId: string;
  dos: Date;
  visitExternalId: string;
  lineOrder: number;
  npi: string;
  payer: string;
  cpt: string;
  units: number;
  direction: string;
  possible: boolean;
  terms: string[] | null;
  gainCents: number | null;
}

const PAGE = 2000;

async function* undercodingRows(practiceId: number, range: UndercodingExportRange): AsyncGenerator<ExportRow> {
  // fails closed: a missing practice id selects nothing
  const scope = Number.isInteger(practiceId) && practiceId > 0 ? Prisma.sql`v."practiceId" = ${practiceId}` : Prisma.sql`1 = 0`;
  const from = range.from ? Prisma.sql`and v."dateOfService" >= ${dateFromIso(range.from)}::date` : Prisma.empty;
  const to = range.to ? Prisma.sql`and v."dateOfService" <= ${dateFromIso(range.to)}::date` : Prisma.empty;
  let after: Row | null = null;
  for (;;) {
    const cursor: Prisma.Sql = after
      ? Prisma.sql`and (pt."externalId", v."dateOfService", v."externalId", s."lineOrder") > (${after.patientExternalId}, ${after.dos}::date, ${after.visitExternalId}, ${after.lineOrder})`
      : Prisma.empty;
    const rows: Row[] = await db().$queryRaw<Row[]>`
      select pt."externalId" as "patientExternalId", v."dateOfService" as dos, v."externalId" as "visitExternalId", s."lineOrder", t.npi, p.name as payer,
             s.cpt, s."unitsBilled" as units, coalesce(s."undercodingDirection", s."undercodingPossible")::text as direction,
             s."undercodingDirection" is null as possible,
             s."undercodingTerms" as terms, s."undercodingGainCents" as "gainCents"
      from "Visit" v
      join "ServiceLine" s on s."visitId" = v.id and (s."undercodingDirection" is not null or s."undercodingPossible" is not null)
      join "Therapist" t on t.id = v."therapistId"
      join "Payer" p on p.id = v."payerId"
      join "Patient" pt on pt.id = v."patientId"
      where ${scope} ${from} ${to} ${cursor}
      order by pt."externalId", v."dateOfService", v."externalId", s."lineOrder"
      limit ${PAGE}`;
    for (const row of rows) {
      yield {
        visit_id: row.visitExternalId,
        date_of_service: isoDate(row.dos),
        therapist_npi: row.npi,
        payer: row.payer,
        cpt: row.cpt,
        units: row.units,
        direction: row.direction,
        matched_terms: (row.terms ?? []).join(";"),
        potential_gain: row.direction === "reads_as_exercise" || row.possible ? dollars(0) : dollars(row.gainCents),
        // empty on a counted row, so a possible reads_as_exercise row (0.00) is told apart too
        possible_gain: !row.possible ? "" : row.direction === "reads_as_exercise" ? dollars(0) : dollars(row.gainCents),
      };
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!;
  }
}
