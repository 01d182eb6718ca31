// A payer's address for appeals and reconsideration requests (payer settings), printed on its
// appeal letters. Set by a manager from the letter itself; audited.
import { audit } from "../core/audit";
import { db } from "../core/db";
import { NotFound } from "../core/errors";

export async function setPayerAppealAddress(
  actor: { practiceId: number; userId: number },
  input: { payerId: number; appealAddress: string | null },
): Promise<{ payerId: number; appealAddress: string | null }> {
  return db().$transaction(async (tx) => {
    const payer = await tx.payer.findFirst({
      where: { practiceId: actor.practiceId, id: input.payerId },
      select: { id: true, appealAddress: true },
    });
    if (!payer) throw new NotFound("No such payer");
    await tx.payer.update({ where: { id: payer.id }, data: { appealAddress: input.appealAddress } });
    await audit(tx, actor, {
      action: "payer.update_appeal_address",
      entityType: "Payer",
      entityId: payer.id,
      details: { from: payer.appealAddress, to: input.appealAddress },
    });
    return { payerId: payer.id, appealAddress: input.appealAddress };
  });
}
