// The appeal letter as a PDF download (the page itself prints through its print stylesheet).
import { auditRead } from "@/lib/server/core/audit";
import { NotFound } from "@/lib/server/core/errors";
import { guardedRoute } from "@/lib/server/core/guard";
import { appealLetterPdf } from "@/lib/server/underpayments/letter-pdf";
import { todayInZone } from "@/lib/server/underpayments/weeks";
import { appealLetter } from "@/lib/server/underpayments/worklist";
import { pageQuery } from "@/lib/schemas/search-params";

export const GET = guardedRoute("underpayments.read", async (ctx, request, params) => {
  const part = pageQuery("/underpayments/letter/[payerId]/pdf", new URL(request.url).searchParams).part ?? 1;
  const letter = await appealLetter(ctx.practiceId, Number(params.payerId), {}, { part });
  if (!letter) throw new NotFound("No such payer");
  if (part > letter.part.parts) throw new NotFound(`The letter has ${letter.part.parts} part(s): there is no part ${part}`);
  await auditRead(ctx, {
    action: "underpayment.letter_pdf",
    entityType: "Payer",
    entityId: letter.payer.id,
    details: { lines: letter.lines.length, part: letter.part.number, parts: letter.part.parts },
    patientIds: letter.lines.map((l) => l.patientId),
  });
  const today = todayInZone(ctx.practice.timeZone);
  const pdf = await appealLetterPdf(letter, { today, signedBy: ctx.userName });
  const name = `appeal-${
    letter.payer.name
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase() || "payer"
  }-${today}${letter.part.parts > 1 ? `-part-${letter.part.number}-of-${letter.part.parts}` : ""}.pdf`;
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
});
