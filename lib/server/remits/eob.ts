// A paper EOB entered by hand becomes the same records as an 835 (RemitPayment, RemitClaim,
// RemitLine, source PAPER_EOB) with the same matching, confirmed allowed amounts and KX update,
// in one transaction with its audit event, through the plain remit writer (a handful of lines).
import { remitAllowedCentsOf } from "@/lib/billing";
import type { Eob } from "@/lib/schemas/eob";
import { audit } from "../core/audit";
import { db } from "../core/db";
import { InvalidInput } from "../core/errors";
import type { RemitClaimInput } from "./model";
import type { RemitActor } from "./unmatched";
import { PlainRemitWriter } from "./plain-write";
import { patientResponsibility } from "./writer";

export function claimsFromEob(eob: Eob): RemitClaimInput[] {
  return eob.claims.map((claim) => {
    const [last, first] = claim.patientName.split(",").map((s) => s.trim());
    const lines = claim.lines.map((line) => {
      const adjustments = line.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amount, quantity: null }));
      return {
        cpt: line.cpt,
        paidCpt: null,
        modifiers: line.modifiers,
        chargeCents: line.charge,
        paidCents: line.paid,
        allowedCents: remitAllowedCentsOf(line.allowed ?? null, line.paid, adjustments),
        units: line.units,
        serviceDate: line.serviceDate,
        remarkCodes: line.remarks,
        adjustments,
      };
    });
    const dates = lines.map((l) => l.serviceDate).sort();
    return {
      patientControlNumber: claim.claimNumber,
      statusCode: claim.status,
      chargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
      paidCents: lines.reduce((s, l) => s + l.paidCents, 0),
      patientRespCents: lines.reduce((s, l) => s + patientResponsibility(l.adjustments), 0),
      payerClaimNumber: claim.payerClaimNumber || null,
      patientLastName: last || null,
      patientFirstName: first || null,
      memberId: claim.memberId || null,
      statementDate: dates[0] ?? null,
      remarkCodes: [],
      adjustments: [],
      lines,
    };
  });
}

export async function savePaperEob(actor: RemitActor, eob: Eob) {
  const { practiceId } = actor;
  return db().$transaction(
    async (tx) => {
      const payer = await tx.payer.findFirst({ where: { practiceId, id: eob.payerId } });
      if (!payer) throw new InvalidInput("Choose one of the practice's payers", { payerId: ["choose one of the practice's payers"] });
      const traceNumber = eob.checkNumber.trim();
      const existing = await tx.remitPayment.findUnique({
        where: { practiceId_payerKey_traceNumber: { practiceId, payerKey: payer.nameKey, traceNumber } },
        select: { id: true },
      });
      if (existing) {
        throw new InvalidInput(`Check ${traceNumber} from ${payer.name} was already entered`, {
          checkNumber: ["this check from this payer was already entered"],
        });
      }
      const writer = new PlainRemitWriter(tx, practiceId);
      const payment = writer.createPayment(
        {
          source: "PAPER_EOB",
          payerName: payer.name,
          payerKey: payer.nameKey,
          traceNumber,
          paymentCents: eob.amount,
          method: "CHK",
          paymentDate: eob.paymentDate,
          payeeName: null,
          payeeNpi: null,
        },
        null,
        payer.id,
      );
      for (const claim of claimsFromEob(eob)) await writer.add(payment, claim);
      await writer.finish();
      const paymentId = payment.writtenId;
      await audit(tx, actor, {
        action: "remit.eob.create",
        entityType: "RemitPayment",
        entityId: paymentId,
        details: {
          payer: payer.name,
          checkNumber: traceNumber,
          claims: writer.claims,
          lines: writer.lines,
          matchedClaims: writer.matchedClaims,
        },
      });
      return { paymentId, claims: writer.claims, lines: writer.lines, matchedClaims: writer.matchedClaims };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
