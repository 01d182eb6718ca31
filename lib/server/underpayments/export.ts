// export underpayments (FORMATS.md): one row per service line of ours that its primary payer
// remitted, its figures net over that payer's remits (original, reversal, correction) as the
// rule book nets them (lib/billing/remits.ts netServiceLineRemits): a secondary payer's lines,
// duplicate payments and reversals without their original are not rows and change no figure.
// Streamed in pages, in a stable order (date of service, visit, line order).
import { netServiceLineRemits } from "@/lib/billing";
import { db } from "../core/db";
import { isoDate } from "../core/dates";
import { dollars, type ExportRow, type ExportSource } from "../lists/format";
import { REMIT_FACT_FROM, type RemitLineRow, remitFactColumns, remitLineFact } from "../derived/remits";
import { adjustmentsText } from "../remits/model";
import { intArrayLiteral } from "../core/sql";

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
  "remit_cpt",
];

const PAGE = 2000;

interface LineRow {
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
}

export function underpaymentsExport(practiceId: number, filters: { from?: string; to?: string }): ExportSource {
  return { columns: UNDERPAYMENT_EXPORT_COLUMNS, rows: rows(practiceId, filters) };
}

async function* rows(practiceId: number, filters: { from?: string; to?: string }): AsyncGenerator<ExportRow> {
  // keyset pagination on (date of service, visit, line order, service line id)
  let after: [string, string, number, number] | null = null;
  for (;;) {
    const params: unknown[] = [practiceId, filters.from ?? null, filters.to ?? null];
    let cursor = "";
    if (after) {
      params.push(after[0], after[1], after[2], after[3]);
      cursor = `and (v."dateOfService", v."externalId", s."lineOrder", s.id) > ($4::date, $5::text, $6::int, $7::int)`;
    }
    // lines with a remit of their primary payer (the roles netting gave; see lib/billing ALLOWED_ROLES)
    const page: LineRow[] = await db().$queryRawUnsafe<LineRow[]>(
      `select s.id, p.name as payer, c."patientControlNumber" as pcn, pt."externalId" as patient, v."dateOfService" as dos,
              v."externalId" as "visitExt", s."lineOrder", s.cpt, s.modifiers, s."unitsBilled" as units, s."chargeCents" as charge
       from "ServiceLine" s
       join "Visit" v on v.id = s."visitId"
       join "Payer" p on p.id = v."payerId"
       join "Patient" pt on pt.id = v."patientId"
       left join "Claim" c on c.id = v."claimId"
       where s."practiceId" = $1 and v."practiceId" = $1
         and exists (select 1 from "ServiceLineRemit" r where r."serviceLineId" = s.id and r."remitLineCount" > 0)
         and exists (select 1 from "RemitLine" rl where rl."practiceId" = $1 and rl."serviceLineId" = s.id
                     and rl."netRole" in ('paid', 'reversed', 'reversal'))
         and ($2::date is null or v."dateOfService" >= $2::date) and ($3::date is null or v."dateOfService" <= $3::date)
         ${cursor}
       order by v."dateOfService", v."externalId", s."lineOrder", s.id
       limit ${PAGE}`,
      ...params,
    );
    if (page.length === 0) return;
    const remits = await db().$queryRawUnsafe<RemitLineRow[]>(
      `select ${remitFactColumns("all")} from ${REMIT_FACT_FROM}
       where rl."practiceId" = $1 and rl."serviceLineId" = any($2::int[])
       order by rl."serviceLineId", rl.id`,
      practiceId,
      intArrayLiteral(page.map((r) => r.id)),
    );
    const byLine = new Map<number, RemitLineRow[]>();
    for (const remit of remits) {
      const list = byLine.get(remit.serviceLineId) ?? [];
      list.push(remit);
      byLine.set(remit.serviceLineId, list);
    }
    for (const row of page) {
      const list = byLine.get(row.id) ?? [];
      const first = list[0];
      if (!first) continue;
      const expected = first.lineExpected;
      const net = netServiceLineRemits(list.map(remitLineFact), { expectedAllowedCents: expected, lineModifiers: first.lineModifiers });
      if (!net.primaryRemitted) continue;
      yield {
        payer: row.payer,
        claim_id: row.pcn ?? "",
        patient_id: row.patient,
        date_of_service: isoDate(row.dos),
        cpt: row.cpt,
        modifiers: row.modifiers.join(";"),
        units: row.units,
        charge: dollars(row.charge),
        expected_allowed: dollars(expected),
        remit_allowed: dollars(net.primaryAllowedCents),
        variance: dollars(expected === null ? null : expected - net.primaryAllowedCents),
        paid: dollars(net.primaryPaidCents),
        adjustments: adjustmentsText(
          net.adjustments.map((a) => ({ groupCode: a.group, reasonCode: a.reason, amountCents: a.amountCents })),
        ),
        remit_cpt: net.paidCode ?? row.cpt,
      };
    }
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    after = [isoDate(last.dos), last.visitExt, last.lineOrder, last.id];
  }
}
