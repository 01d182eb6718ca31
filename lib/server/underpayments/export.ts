// export underpayments (FORMATS.md): one row per remit service line matched to a line of
// ours, expected allowed (the contract in force on the date of service) against the remit's
// allowed amount. Streamed in pages, in a stable order (date of service, visit, line order).
import { db } from "../db";
import { isoDate } from "../dates";
import { dollars, type ExportRow, type ExportSource } from "../exports/format";
import { adjustmentsText } from "../remits/model";

export const UNDERPAYMENT_EXPORT_COLUMNS = [
  "payer",
  "claim_id",
  "patient_id",
  "date_of_service",
  "cpt",
  "modifiers",
  "units",
  "charge",
  "expected_allowed",
  "remit_allowed",
  "variance",
  "paid",
  "adjustments",
];

const PAGE = 2000;

interface Row {
  id: number;
  payer: string;
  pcn: string | null;
  patient: string;
  dos: Date;
  visitExt: string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  units: number;
  charge: number;
  expected: number | null;
  allowed: number;
  variance: number | null;
  paid: number;
  adjustments: { g: string; r: string; a: number }[] | null;
}

export function underpaymentsExport(practiceId: number, filters: { from?: string; to?: string }): ExportSource {
  return { columns: UNDERPAYMENT_EXPORT_COLUMNS, rows: rows(practiceId, filters) };
}

async function* rows(practiceId: number, filters: { from?: string; to?: string }): AsyncGenerator<ExportRow> {
  // keyset pagination on (date of service, visit, line order, remit line id)
  let after: [string, string, number, number] | null = null;
  for (;;) {
    const params: unknown[] = [practiceId, filters.from ?? null, filters.to ?? null];
    let cursor = "";
    if (after) {
      params.push(after[0], after[1], after[2], after[3]);
      cursor = `and (v."dateOfService", v."externalId", s."lineOrder", rl.id) > ($4::date, $5::text, $6::int, $7::int)`;
    }
    const page: Row[] = await db().$queryRawUnsafe<Row[]>(
      `select rl.id, p.name as payer, c."patientControlNumber" as pcn, pt."externalId" as patient, v."dateOfService" as dos,
              v."externalId" as "visitExt", s."lineOrder", rl.cpt, rl.modifiers, rl.units, rl."chargeCents" as charge,
              rl."expectedAllowedCents" as expected, rl."allowedCents" as allowed, rl."varianceCents" as variance, rl."paidCents" as paid,
              rl.adjustments as adjustments
       from "RemitLine" rl
       join "ServiceLine" s on s.id = rl."serviceLineId"
       join "Visit" v on v.id = s."visitId"
       join "Payer" p on p.id = v."payerId"
       join "Patient" pt on pt.id = v."patientId"
       left join "Claim" c on c.id = v."claimId"
       where rl."practiceId" = $1 and v."practiceId" = $1
         and ($2::date is null or v."dateOfService" >= $2::date) and ($3::date is null or v."dateOfService" <= $3::date)
         ${cursor}
       order by v."dateOfService", v."externalId", s."lineOrder", rl.id
       limit ${PAGE}`,
      ...params,
    );
    for (const r of page) {
      yield {
        payer: r.payer,
        claim_id: r.pcn ?? "",
        patient_id: r.patient,
        date_of_service: isoDate(r.dos),
        cpt: r.cpt,
        modifiers: r.modifiers.join(";"),
        units: r.units,
        charge: dollars(r.charge),
        expected_allowed: dollars(r.expected),
        remit_allowed: dollars(r.allowed),
        variance: dollars(r.variance),
        paid: dollars(r.paid),
        adjustments: adjustmentsText((r.adjustments ?? []).map((a) => ({ groupCode: a.g, reasonCode: a.r, amountCents: a.a }))),
      };
    }
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    after = [isoDate(last.dos), last.visitExt, last.lineOrder, last.id];
  }
}
