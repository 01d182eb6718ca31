// Remitted payments a person must look at although they are matched (DOMAIN.md §5, edge
// rules): reversals whose original payment is not on file (paid on paper before the app, or
// in a file never imported), and duplicate claim payments (money to refund). Netting
// (lib/billing/remits.ts) keeps both out of every figure; this lists them, by remitted claim.
import { db } from "../core/db";
import { isoDate } from "../core/dates";

export interface AttentionClaim {
  remitClaimId: number;
  patientControlNumber: string;
  patientName: string | null;
  /** our patient, when the claim was matched */
  patientId: number | null;
  payerName: string;
  paymentId: number;
  traceNumber: string;
  paymentDate: string | null;
  /** Σ paid of the claim's lines in that role (negative for a reversal) */
  paidCents: number;
  lines: { cpt: string; paidCode: string | null; serviceDate: string | null; paidCents: number }[];
}

interface Row {
  claimId: number;
  pcn: string;
  patientName: string | null;
  patientId: number | null;
  payerName: string;
  paymentId: number;
  trace: string;
  paymentDate: Date | null;
  role: string;
  cpt: string;
  paidCpt: string | null;
  serviceDate: Date | null;
  paid: number;
}

export async function remitsNeedingAttention(
  practiceId: number,
  take = 100,
): Promise<{ unmatchedReversals: AttentionClaim[]; duplicates: AttentionClaim[] }> {
  const rows = await db().$queryRawUnsafe<Row[]>(
    `select rc.id as "claimId", rc."patientControlNumber" as pcn, rc."patientName", rc."patientId", rp."payerName", rp.id as "paymentId",
            rp."traceNumber" as trace, rp."paymentDate", rl."netRole" as role, rl.cpt, rl."paidCpt", rl."serviceDate",
            rl."paidCents" as paid
     from "RemitLine" rl
     join "RemitClaim" rc on rc.id = rl."remitClaimId"
     join "RemitPayment" rp on rp.id = rc."paymentId"
     where rl."practiceId" = $1 and rl."netRole" in ('unmatched_reversal', 'duplicate')
     order by rc.id desc, rl."lineOrder"
     limit 2000`,
    practiceId,
  );
  const byRole = { unmatched_reversal: new Map<number, AttentionClaim>(), duplicate: new Map<number, AttentionClaim>() };
  for (const row of rows) {
    const map = byRole[row.role as keyof typeof byRole];
    if (!map) continue;
    let claim = map.get(row.claimId);
    if (!claim) {
      if (map.size >= take) continue;
      claim = {
        remitClaimId: row.claimId,
        patientControlNumber: row.pcn,
        patientName: row.patientName,
        patientId: row.patientId,
        payerName: row.payerName,
        paymentId: row.paymentId,
        traceNumber: row.trace,
        paymentDate: row.paymentDate ? isoDate(row.paymentDate) : null,
        paidCents: 0,
        lines: [],
      };
      map.set(row.claimId, claim);
    }
    claim.paidCents += row.paid;
    claim.lines.push({
      cpt: row.cpt,
      paidCode: row.paidCpt,
      serviceDate: row.serviceDate ? isoDate(row.serviceDate) : null,
      paidCents: row.paid,
    });
  }
  return { unmatchedReversals: [...byRole.unmatched_reversal.values()], duplicates: [...byRole.duplicate.values()] };
}
