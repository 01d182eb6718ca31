// The appeal letter as a PDF file (the download beside "Print the letter"): the same letter,
// laid out by pdfkit on US Letter pages with its standard Helvetica (no font files to ship).
import { usd } from "@/lib/ui/money";
import PDFDocument from "pdfkit";
import type { appealLetter } from "./worklist";

type Letter = NonNullable<Awaited<ReturnType<typeof appealLetter>>>;

const DAY = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const day = (iso: string) => DAY.format(new Date(`${iso}T00:00:00Z`));

/** The letter's bytes: what the page shows, with the date of `today` (YYYY-MM-DD, the practice's day). */
export function appealLetterPdf(letter: Letter, options: { today: string; signedBy: string }): Promise<Buffer> {
  const { practice, payer } = letter;
  const doc = new PDFDocument({
    size: "LETTER",
    layout: "landscape",
    margin: 40,
    info: { Title: `Request for payment review: ${payer.name}`, Author: practice.name },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(11).text(practice.name);
  doc.font("Helvetica").fontSize(10);
  if (practice.address) doc.text(practice.address);
  const ids = [practice.npi ? `NPI ${practice.npi}` : null, practice.taxId ? `Tax id ${practice.taxId}` : null].filter(Boolean);
  if (ids.length) doc.text(ids.join(" · "));
  doc.moveDown().text(day(options.today));
  doc.moveDown().font("Helvetica-Bold").text(payer.name).font("Helvetica").text("Provider Appeals / Reconsideration");
  if (payer.appealAddress) doc.text(payer.appealAddress);
  doc.moveDown().font("Helvetica-Bold").fontSize(13).text("Request for payment review: claim lines allowed below the contracted rate");
  doc.moveDown(0.5).font("Helvetica").fontSize(10);
  doc.text(
    `The claim lines below were allowed at less than our agreement with ${payer.name} provides for their dates of service. ` +
      "For each line we list the patient, the date of service, the code as billed and as you paid it, the contract term in force on that date, " +
      "the allowed amount it yields, the allowed amount on your remittance, the difference, and the adjustment and remark codes you sent " +
      `(their meanings follow the table). We ask that you reprocess these lines and pay the difference, ${usd(letter.totalCents)} in total on ${letter.lines.length} line(s).${
        letter.part.parts > 1
          ? ` This is part ${letter.part.number} of ${letter.part.parts} of our request, which covers ${letter.part.lines} lines and ${usd(letter.part.totalCents)} in all.`
          : ""
      }`,
  );
  doc.moveDown();
  if (letter.lines.length === 0) doc.text("No open or appealed underpaid line for this payer.");
  else {
    doc.fontSize(8);
    doc.table({
      columnStyles: [70, 52, 60, 62, "*", 50, 50, 50, 150],
      rowStyles: (row: number) => (row === 0 ? { backgroundColor: "#eeeeee" } : undefined),
      data: [
        [
          "Patient",
          "Date of service",
          "Claim",
          "Code",
          "Contract term",
          "Expected allowed",
          "Allowed",
          "Difference",
          "Your adjustment and remark codes",
        ],
        ...letter.lines.map((l) => [
          `${l.patientName}\npatient ${l.patient}`,
          day(l.dateOfService),
          `${l.claimNumber ?? "—"}${l.payerClaimNumber ? `\nyour claim ${l.payerClaimNumber}` : ""}`,
          `billed ${l.cpt}${l.modifiers.length ? ` ${l.modifiers.join(" ")}` : ""} ×${l.units}${l.paidCpt && l.paidCpt !== l.cpt ? `\npaid as ${l.paidCpt}` : ""}`,
          l.term,
          usd(l.expectedCents),
          usd(l.allowedCents),
          usd(l.varianceCents),
          [
            ...l.adjustments.map((a) => `${a.code} (${a.group.toLowerCase()}) ${usd(a.amountCents)}`),
            ...l.remarks.map((r) => `Remark ${r.code}`),
          ].join("\n"),
        ]),
        ["Total", "", "", "", "", "", "", usd(letter.totalCents), ""],
      ],
    });
    doc.fontSize(10);
  }
  // each code's meaning once, after the table (as on the page), not on every line that carries it
  if (letter.codeMeanings.length) {
    doc
      .moveDown()
      .font("Helvetica-Bold")
      .text("Your adjustment reason and remark codes on these lines, as published", doc.page.margins.left);
    doc.font("Helvetica").fontSize(8);
    for (const meaning of letter.codeMeanings) doc.text(`${meaning.code}: ${meaning.text}`);
    doc.fontSize(10);
  }
  doc.moveDown();
  doc.text(
    "Allowed amounts are compared allowed to allowed: the patient's share and sequestration do not change them. " +
      "Please send the reprocessed payment, or your answer, to the address above.",
    doc.page.margins.left,
  );
  doc.moveDown().text("Sincerely,").moveDown().text(options.signedBy).text(practice.name);
  doc.end();
  return done;
}
