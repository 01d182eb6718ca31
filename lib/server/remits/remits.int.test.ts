// Remit import and the work on it, against PostgreSQL: reversals and corrections netting out,
// PLB, balancing warnings, duplicates (same file; same payer + trace number), atomicity (a
// file failing half-way leaves nothing), matching without a claim number, paper EOBs,
// manual matching, underpayment statuses, contracts, and who may do what.
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim, type SyntheticServiceLine } from "@/prisma/generator/x12";
import { saveContractAction } from "@/app/(app)/contracts/actions";
import { matchRemitClaim, matchRemitLine, saveEob } from "@/app/(app)/remits/actions";
import { markUnderpayment, savePayerAppealAddress } from "@/app/(app)/underpayments/actions";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { denialSummary } from "../denials/query";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, type TestPractice, db, withRemit } from "../testing";
import { recoveredUnderpaymentDollars } from "../underpayments/recovered";
import { appealLetter, underpaymentHistory, underpaymentWorklist } from "../underpayments/worklist";
import { import835 } from "./import";
import { remitPaymentDetail } from "./queries";
import { REMIT_WRITERS } from "./writer";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const VISITS = [
  HEADER,
  // a Medicare patient: two visits on two claims
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97140,GP,15,1,50.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-09,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
  // another Medicare patient, for matching by member id / name when the claim number is unknown
  "P2,Bob,Stone,1948-05-06,Medicare,medicare,2FH5UF6NL84,V3,C3,2026-04-01,1234567890,Pat Therapist,PT,11,97112,GP,15,1,60.00,",
  "P2,Bob,Stone,1948-05-06,Medicare,medicare,2FH5UF6NL84,V4,C4,2026-04-08,1234567890,Pat Therapist,PT,11,97116,GP,15,1,60.00,",
  // a commercial patient
  "P3,Cy,Lane,1980-07-08,Acme Health,commercial,ACM123,V5,C5,2026-05-04,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
].join("\n");

/** A balanced line: CO-45 down to allowed, 20% coinsurance, 2% sequestration of the rest. */
function line(code: string, modifiers: string[], date: string, charge: number, allowed: number, units = 1): SyntheticServiceLine {
  const coinsurance = Math.round(allowed * 0.2);
  const sequestration = Math.round((allowed - coinsurance) * 0.02);
  return {
    procedureCode: code,
    modifiers,
    serviceDate: date,
    units,
    chargeCents: charge,
    paidCents: allowed - coinsurance - sequestration,
    allowedCents: allowed,
    adjustments: [
      { group: "CO", reason: "45", amountCents: charge - allowed },
      { group: "CO", reason: "253", amountCents: sequestration },
      { group: "PR", reason: "2", amountCents: coinsurance },
    ],
  };
}

function reversalOf(claim: SyntheticClaim): SyntheticClaim {
  const lines = (claim.serviceLines ?? []).map((l) => ({
    ...l,
    chargeCents: -l.chargeCents,
    paidCents: -l.paidCents,
    allowedCents: l.allowedCents == null ? null : -l.allowedCents,
    adjustments: (l.adjustments ?? []).map((a) => ({ ...a, amountCents: -a.amountCents })),
  }));
  return { ...claim, status: "22", serviceLines: lines };
}

/** An 835 with the given claims and its own trace number (TRN02). */
function file835(claims: SyntheticClaim[], trace: string, options: Parameters<typeof generate835>[0] = {}): Buffer {
  const { text } = generate835({ claims, payerName: "MEDICARE", ...options });
  return Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, `TRN*1*${trace}`));
}

const C1 = (allowed110: number, allowed140: number, icn = "ICN1"): SyntheticClaim => ({
  patientControlNumber: "C1",
  payerClaimControlNumber: icn,
  patient: { lastName: "WALKER", firstName: "ANN", memberId: "1EG4TE5MK73" },
  serviceLines: [line("97110", ["GP"], "2026-03-02", 10000, allowed110, 2), line("97140", ["GP"], "2026-03-02", 5000, allowed140)],
});

const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** The text a PDF shows, as pdfkit writes it: hex strings in TJ arrays of deflated content streams. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const lines: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, "latin1")).toString("latin1");
    } catch {
      continue; // not a deflated content stream (a font, an image)
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g))
      lines.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, "hex").toString("latin1")).join(""));
  }
  // a wrapped line ends where a space was: joined with one space, the text reads as written
  return lines.join(" ").replace(/\s+/g, " ");
}

// every test runs with each remit writer (writer.ts): the COPY pipeline and the plain writer
describe.each(REMIT_WRITERS)("remit import and work (%s writer)", (writer) => {
  let t: TestPractice;
  let other: TestPractice;
  const lineId = async (visit: string, order: number) =>
    (await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, lineOrder: order, visit: { externalId: visit } } })).id;
  const serviceLine = async (visit: string, order: number) =>
    withRemit(
      await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, lineOrder: order, visit: { externalId: visit } } }),
    );
  const counts = async (practiceId: number) => ({
    jobs: await db().importJob.count({ where: { practiceId, kind: "REMIT_835" } }),
    payments: await db().remitPayment.count({ where: { practiceId } }),
    claims: await db().remitClaim.count({ where: { practiceId } }),
    lines: await db().remitLine.count({ where: { practiceId } }),
    adjustments: await db().remitAdjustment.count({ where: { practiceId } }),
  });

  beforeAll(async () => {
    t = await createTestPractice(`remits-${writer}`);
    other = await createTestPractice(`remits-other-${writer}`);
    const r = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "visits.csv",
        content: Buffer.from(VISITS),
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("nets a reversal (CLP02 = 22) and its correction against the original, across files", async () => {
    const e0 = (await serviceLine("V1", 0)).expectedAllowedCents!;
    const e1 = (await serviceLine("V1", 1)).expectedAllowedCents!;
    expect(e0).toBeGreaterThan(1000);
    const first = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "orig.835",
        content: file835([C1(e0 - 300, e1)], "TRACE-ORIG"),
      }),
    );
    expect(first.status, JSON.stringify(first.errors)).toBe("imported");
    expect(first.counts).toMatchObject({ transactions: 1, claims: 1, serviceLines: 2, matchedClaims: 1 });
    expect((await serviceLine("V1", 0)).remitAllowedCents).toBe(e0 - 300);

    const second = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "reversal.835",
        content: file835([reversalOf(C1(e0 - 300, e1)), C1(e0 - 200, e1, "ICN1-C")], "TRACE-REV"),
      }),
    );
    expect(second.status, JSON.stringify(second.errors)).toBe("imported");
    expect(second.counts).toMatchObject({ claims: 2, serviceLines: 4, matchedClaims: 2 });
    const l0 = await serviceLine("V1", 0);
    const l1 = await serviceLine("V1", 1);
    expect(l0.remitAllowedCents).toBe(e0 - 200);
    expect(l1.remitAllowedCents).toBe(e1);
    // the variance sits on the correction only: the original and the reversal cancel out
    const remitLines = await db().remitLine.findMany({ where: { practiceId: t.practiceId, serviceLineId: l0.id }, orderBy: { id: "asc" } });
    expect(remitLines.map((l) => l.allowedCents)).toEqual([e0 - 300, -(e0 - 300), e0 - 200]);
    expect(remitLines.map((l) => l.varianceCents)).toEqual([null, null, 200]);
    // the KX totals use the confirmed (net) allowed amounts
    const item = await db().kxQueueItem.findFirstOrThrow({
      where: { practiceId: t.practiceId, patient: { externalId: "P1" }, pool: "PT_SLP" },
    });
    const v2 = await serviceLine("V2", 0);
    expect(item.allowedHereCents).toBe(e0 - 200 + e1 + (v2.expectedAllowedCents ?? 0));
    expect(item.estimated).toBe(true);
  });

  it("nets a reversal and correction that arrive in the same file as the original", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "C2",
      payerClaimControlNumber: "ICN2",
      serviceLines: [line("97530", ["GP"], "2026-03-09", 12000, 7000, 2)],
    };
    const fixed: SyntheticClaim = {
      ...claim,
      payerClaimControlNumber: "ICN2-C",
      serviceLines: [line("97530", ["GP"], "2026-03-09", 12000, 7200, 2)],
    };
    const r = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "same-file.835",
        content: file835([claim, reversalOf(claim), fixed], "TRACE-SAME"),
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(r.counts.paidCents).toBe(fixed.serviceLines![0]!.paidCents);
    expect((await serviceLine("V2", 0)).remitAllowedCents).toBe(7200);
    const item = await db().kxQueueItem.findFirstOrThrow({
      where: { practiceId: t.practiceId, patient: { externalId: "P1" }, pool: "PT_SLP" },
    });
    const v1 = [await serviceLine("V1", 0), await serviceLine("V1", 1)];
    expect(item.allowedHereCents).toBe(v1[0]!.remitAllowedCents! + v1[1]!.remitAllowedCents! + 7200);
    expect(item.estimated).toBe(false);
  });

  it("stores and counts provider-level adjustments (PLB) and checks BPR02 = Σ CLP04 − Σ PLB", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "C3",
      payerClaimControlNumber: "ICN3",
      patient: { lastName: "STONE", firstName: "BOB", memberId: "2FH5UF6NL84" },
      serviceLines: [line("97112", ["GP"], "2026-04-01", 6000, 3000)],
    };
    const content = file835([claim], "TRACE-PLB", {
      providerAdjustments: [
        { reasonCode: "WO", reference: "ICN0099", amountCents: 1500 },
        { reasonCode: "L6", amountCents: -250 },
      ],
    });
    const r = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "plb.835", content }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(r.warnings.filter((w) => /BPR/.test(w.where))).toEqual([]);
    const payment = await db().remitPayment.findFirstOrThrow({
      where: { practiceId: t.practiceId, traceNumber: "TRACE-PLB" },
      include: { providerAdjustments: true },
    });
    expect(payment.providerAdjustments.map((p) => [p.reasonCode, p.reference, p.amountCents])).toEqual([
      ["WO", "ICN0099", 1500],
      ["L6", null, -250],
    ]);
    expect(payment.paymentCents).toBe(r.counts.paidCents! - 1250);
    const detail = await asPractice(t.practiceId, () => remitPaymentDetail(t.practiceId, payment.id));
    expect(detail?.plbTotal).toBe(1250);
    expect(detail!.claimsPaid - detail!.plbTotal).toBe(payment.paymentCents);
    // the page's claim count and paid dollars, stored on the payment, are those of its claims' rows
    const claims = await db().remitClaim.findMany({ where: { paymentId: payment.id }, select: { paidCents: true } });
    expect(detail!.claimCount).toBe(claims.length);
    expect(detail!.claimsPaid).toBe(claims.reduce((sum, c) => sum + c.paidCents, 0));
  });

  it("keeps a claim's own remark codes (MOA) and explains them on the remit page", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "NOT-OURS-MOA",
      payerClaimControlNumber: "ICN-MOA",
      serviceLines: [line("97110", ["GP"], "2025-02-03", 10000, 6000, 2)],
    };
    const text = file835([claim], "TRACE-MOA").toString("utf8");
    // MOA right after the claim's CLP, and SE01 one more to count it
    const withMoa = text
      .replace(/(CLP\*NOT-OURS-MOA\*[^~]*~\n?)/, "$1MOA***MA01*MA18~\n")
      .replace(/SE\*(\d+)\*/, (_, n: string) => `SE*${Number(n) + 1}*`);
    expect(withMoa).not.toBe(text);
    const r = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "moa.835", content: Buffer.from(withMoa) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    const stored = await db().remitClaim.findFirstOrThrow({ where: { practiceId: t.practiceId, patientControlNumber: "NOT-OURS-MOA" } });
    expect(stored.remarkCodes).toEqual(["MA01", "MA18"]);
    const detail = await asPractice(t.practiceId, () => remitPaymentDetail(t.practiceId, stored.paymentId));
    expect(detail!.payment.claims.find((c) => c.id === stored.id)?.remarkCodes).toEqual(["MA01", "MA18"]);
    const known = await db().codeListEntry.count({ where: { list: "RARC", code: "MA01" } });
    expect(detail!.texts.RARC.has("MA01")).toBe(known > 0);
  });

  it("imports a file that does not balance, with warnings naming the segments", async () => {
    const bad = line("97116", ["GP"], "2026-04-08", 6000, 3000);
    bad.paidCents += 100; // line charge − Σ CAS ≠ line paid
    const claim: SyntheticClaim = { patientControlNumber: "C4", payerClaimControlNumber: "ICN4", serviceLines: [bad] };
    const r = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "unbalanced.835",
        content: file835([claim], "TRACE-UNBAL", { totalPaymentCents: 99 }),
      }),
    );
    expect(r.status).toBe("imported");
    const wheres = r.warnings.map((w) => w.where);
    expect(wheres).toContain("segment 4 (BPR), element 2");
    expect(wheres.some((w) => /^segment \d+ \(SVC\)$/.test(w))).toBe(true);
    expect(wheres.some((w) => /^segment \d+ \(CLP\)$/.test(w))).toBe(true);
    const job = await db().importJob.findUniqueOrThrow({ where: { id: r.importJobId! } });
    expect((job.warnings as unknown[]).length).toBe(r.warnings.length);
    const payment = await db().remitPayment.findFirstOrThrow({ where: { practiceId: t.practiceId, traceNumber: "TRACE-UNBAL" } });
    expect(JSON.stringify(payment.warnings)).toMatch(/BPR/);
  });

  it("treats the same file twice, and the same payer + trace number in another file, as duplicates", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "C5",
      payerClaimControlNumber: "ICN5",
      serviceLines: [line("97110", ["GP"], "2026-05-04", 10000, 6000, 2)],
    };
    const content = file835([claim], "TRACE-DUP", { payerName: "ACME HEALTH" });
    const first = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "dup.835", content }),
    );
    expect(first.status).toBe("imported");
    const before = await counts(t.practiceId);

    const again = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "dup-again.835", content }),
    );
    expect(again.status).toBe("duplicate");
    // other bytes (another date on the ISA), same payer and trace number
    const resent = Buffer.from(content.toString("utf8").replace("*261201*1200*", "*261202*0900*"));
    expect(resent.equals(content)).toBe(false);
    const third = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "dup-resent.835", content: resent }),
    );
    expect(third.status).toBe("duplicate");
    expect(third.warnings[0]?.message).toMatch(/already imported/);
    expect(await counts(t.practiceId)).toEqual(before);

    // a file with one known and one new transaction: the new one is imported, the old skipped
    const { text } = generate835({
      claims: [claim, { ...claim, payerClaimControlNumber: "ICN5B" }],
      claimsPerTransaction: 1,
      payerName: "ACME HEALTH",
    });
    let n = 0;
    const mixed = Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, () => `TRN*1*${n++ === 0 ? "TRACE-DUP" : "TRACE-NEW"}`));
    const fourth = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "mixed.835", content: mixed }),
    );
    expect(fourth.status).toBe("imported");
    expect(fourth.counts.transactions).toBe(2);
    expect(fourth.warnings.some((w) => /TRACE-DUP.*already imported/.test(w.message))).toBe(true);
    const after = await counts(t.practiceId);
    expect(after.payments).toBe(before.payments + 1);
    expect(after.claims).toBe(before.claims + 1);
  });

  it("holds a file paid to another NPI until confirmed; the command line imports it with a warning", async () => {
    // the practice's billing NPI is 1234567893; the file's payee (N1*PE) is NPI 1999999998
    await db().practice.update({ where: { id: t.practiceId }, data: { npi: "1234567893" } });
    try {
      const claim: SyntheticClaim = {
        patientControlNumber: "NOT-OURS-PAYEE",
        payerClaimControlNumber: "ICN-PAYEE",
        serviceLines: [line("97112", ["GP"], "2025-01-03", 6000, 3000)],
      };
      const before = await counts(t.practiceId);
      const held = await asPractice(t, () =>
        import835({
          writer,
          practiceId: t.practiceId,
          userId: t.users.MANAGER,
          fileName: "payee.835",
          content: file835([claim], "TRACE-PAYEE"),
          askBeforeForeignFile: true,
        }),
      );
      expect(held.status).toBe("unconfirmed");
      expect(held.foreign?.otherPayees).toEqual(["SYNTHETIC THERAPY PRACTICE (NPI 1999999998)"]);
      expect(held.foreign?.practiceIds).toBe("NPI 1234567893");
      expect(await counts(t.practiceId)).toEqual(before);
      // as the command line does (no question to ask): imported, the payee named in a warning
      const cli = await asPractice(t, () =>
        import835({
          writer,
          practiceId: t.practiceId,
          userId: t.users.MANAGER,
          fileName: "payee.835",
          content: file835([claim], "TRACE-PAYEE"),
        }),
      );
      expect(cli.status).toBe("imported");
      expect(
        cli.warnings.some((w) => w.message.includes("paid to SYNTHETIC THERAPY PRACTICE (NPI 1999999998), not to this practice")),
      ).toBe(true);
      expect((await counts(t.practiceId)).claims).toBe(before.claims + 1);
    } finally {
      await db().practice.update({ where: { id: t.practiceId }, data: { npi: null } });
    }
  });

  it("imports an upload streamed as the request body, and refuses a form, a nameless or an oversized body", async () => {
    const { POST } = await import("@/app/api/remits/upload/route");
    // not one of our claims (it waits in the unmatched worklist): the other tests' claims stay as they are
    const claim: SyntheticClaim = {
      patientControlNumber: "NOT-OURS-UP",
      payerClaimControlNumber: "ICN-UP",
      serviceLines: [line("97112", ["GP"], "2025-01-02", 6000, 3000)],
    };
    const content = file835([claim], "TRACE-UPLOAD");
    const bytes = new Uint8Array(content);
    const post = (body: BodyInit, headers: Record<string, string>, query = "") =>
      runAsUser(t.users.MANAGER, () =>
        POST(new Request(`http://localhost/api/remits/upload${query}`, { method: "POST", body, headers, duplex: "half" } as RequestInit), {
          params: Promise.resolve({}),
        }),
      );
    const before = await counts(t.practiceId);
    // a body in chunks, as a browser streams it
    const chunks = [content.subarray(0, 100), content.subarray(100, 1000), content.subarray(1000)];
    const streamed = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks) controller.enqueue(new Uint8Array(c));
          controller.close();
        },
      });
    const dry = await post(bytes, { "content-type": "application/octet-stream", "x-file-name": "up%20load.835" }, "?dryRun=true");
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as { status: string }).status).toBe("dry-run");
    expect(await counts(t.practiceId)).toEqual(before);
    // none of its claims is ours (claim NOT-OURS-UP is not on file): it waits for the person's yes, writing nothing
    const held = await post(streamed(), { "content-type": "application/octet-stream", "x-file-name": "up%20load.835" });
    expect(held.status).toBe(200);
    expect(await held.json()).toMatchObject({ status: "unconfirmed", foreign: { claims: 1, matchedClaims: 0, otherPayees: [] } });
    expect(await counts(t.practiceId)).toEqual(before);
    const res = await post(streamed(), { "content-type": "application/octet-stream", "x-file-name": "up%20load.835" }, "?confirmed=true");
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { status: string; file: string; counts: Record<string, number> };
    expect(summary).toMatchObject({ status: "imported", file: "up load.835", counts: { claims: 1, serviceLines: 1, matchedClaims: 0 } });
    const job = await db().importJob.findFirstOrThrow({ where: { practiceId: t.practiceId, fileName: "up load.835" } });
    expect(job.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect((await counts(t.practiceId)).claims).toBe(before.claims + 1);

    const form = new FormData();
    form.set("file", new File([new Uint8Array(content)], "form.835"));
    expect((await post(form, {})).status).toBe(415);
    expect((await post(bytes, { "content-type": "application/octet-stream" })).status).toBe(400);
    const huge = await post(bytes, {
      "content-type": "application/octet-stream",
      "x-file-name": "huge.835",
      "content-length": String(300 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect((await counts(t.practiceId)).claims).toBe(before.claims + 1);
  });

  it("reports an upload's import progress as NDJSON lines before its summary (a dry run here)", async () => {
    const { POST } = await import("@/app/api/remits/upload/route");
    const { text, totals } = generate835({ seed: 77, targetBytes: 900_000 });
    const bytes = new TextEncoder().encode(text);
    const before = await counts(t.practiceId);
    const res = await runAsUser(t.users.MANAGER, () =>
      POST(
        new Request("http://localhost/api/remits/upload?dryRun=true&progress=1", {
          method: "POST",
          body: bytes,
          headers: { "content-type": "application/octet-stream", "x-file-name": "big.835" },
        }),
        { params: Promise.resolve({}) },
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as {
            progress?: { readBytes: number; totalBytes: number; serviceLines: number };
            status?: string;
            counts?: Record<string, number>;
          },
      );
    const progress = lines.flatMap((l) => (l.progress ? [l.progress] : []));
    // the file is read in 256 KB slices: at least the first and the last are reported
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.totalBytes === bytes.length)).toBe(true);
    expect(progress[progress.length - 1]!.readBytes).toBe(bytes.length);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.readBytes).toBeGreaterThan(progress[i - 1]!.readBytes);
    const summary = lines[lines.length - 1]!;
    expect(summary.progress).toBeUndefined();
    expect(summary.status).toBe("dry-run");
    expect(summary.counts).toMatchObject({ claims: totals.claims, serviceLines: totals.serviceLines, paidCents: totals.paidCents });
    expect(await counts(t.practiceId)).toEqual(before);
  });

  it("leaves nothing behind when a file fails half-way through its inserts", async () => {
    const before = await counts(t.practiceId);
    const claims: SyntheticClaim[] = [
      { patientControlNumber: "X1", payerClaimControlNumber: "I1", serviceLines: [line("97110", ["GP"], "2026-06-01", 5000, 3000)] },
      { patientControlNumber: "X2", payerClaimControlNumber: "I2", serviceLines: [line("97110", ["GP"], "2026-06-02", 5000, 3000)] },
    ];
    const { text } = generate835({ claims, claimsPerTransaction: 1 });
    let n = 0;
    const content = Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, () => `TRN*1*TRACE-ATOM-${n++}`));
    let batches = 0;
    await expect(
      asPractice(t.practiceId, () =>
        import835({
          writer,
          practiceId: t.practiceId,
          userId: t.users.MANAGER,
          fileName: "fails.835",
          content,
          hooks: {
            afterBatch: () => {
              batches++;
              throw new Error("disk full (simulated)");
            },
          },
        }),
      ),
    ).rejects.toThrow(/simulated/);
    expect(batches).toBe(1); // claims were inserted before the failure …
    expect(await counts(t.practiceId)).toEqual(before); // … and rolled back with the rest

    // a reader error after the first transaction was written: rejected, nothing written
    const whole = content.toString("utf8");
    const cut = whole.slice(0, whole.lastIndexOf("SVC")); // inside the second transaction
    const rejected = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "truncated.835", content: Buffer.from(cut) }),
    );
    expect(rejected.status).toBe("rejected");
    expect(rejected.errors[0]?.where).toMatch(/segment|end of file/);
    const after = await counts(t.practiceId);
    expect({ ...after, jobs: before.jobs }).toEqual(before);
    expect(await db().importJob.count({ where: { practiceId: t.practiceId, status: "REJECTED", fileName: "truncated.835" } })).toBe(1);
  });

  it("matches a claim without a known claim number by member id or name, date of service and code", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "UNKNOWN-PCN",
      payerClaimControlNumber: "ICN-M",
      patient: { lastName: "STONE", firstName: "BOB", memberId: "2FH5UF6NL84" },
      serviceLines: [line("97116", ["GP"], "2026-04-08", 6000, 2900)],
    };
    const r = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "by-member.835",
        content: file835([claim], "TRACE-MEMBER"),
      }),
    );
    expect(r.counts.matchedClaims).toBe(1);
    const rc = await db().remitClaim.findFirstOrThrow({
      where: { practiceId: t.practiceId, patientControlNumber: "UNKNOWN-PCN" },
      include: { claim: true },
    });
    expect(rc.claim?.patientControlNumber).toBe("C4");
    expect((await serviceLine("V4", 0)).remitAllowedCents).toBe(2900 + 3000); // with the unbalanced file's line on the same service line
  });

  it("records the root cause of denials (CO-119 → missing KX) and counts them by week", async () => {
    const denied: SyntheticClaim = {
      patientControlNumber: "C-DENY",
      payerClaimControlNumber: "ICN-D",
      patient: { lastName: "NOBODY", firstName: "X", memberId: "NONE" },
      serviceLines: [
        {
          procedureCode: "97110",
          modifiers: ["GP"],
          serviceDate: "2026-06-10",
          chargeCents: 5000,
          paidCents: 0,
          adjustments: [{ group: "CO", reason: "119", amountCents: 5000 }],
          remarkCodes: ["N640"],
        },
        {
          procedureCode: "97140",
          modifiers: [],
          serviceDate: "2026-06-10",
          chargeCents: 4000,
          paidCents: 0,
          adjustments: [{ group: "CO", reason: "4", amountCents: 4000 }],
        },
      ],
    };
    const r = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "denied.835",
        content: file835([denied], "TRACE-DENY"),
      }),
    );
    expect(r.status).toBe("imported");
    const lines = await db().remitLine.findMany({
      where: { practiceId: t.practiceId, remitClaim: { patientControlNumber: "C-DENY" } },
      orderBy: { lineOrder: "asc" },
    });
    expect(lines.map((l) => l.denialCause)).toEqual(["missing_kx", "modifier"]);
    const summary = await asPractice(t.practiceId, () => denialSummary(t.practiceId, { from: "2026-06-01", to: "2026-06-30" }));
    expect(summary.byCause.map((c) => [c.cause, c.lines, c.cents]).sort()).toEqual([
      ["missing_kx", 1, 5000],
      ["modifier", 1, 4000],
    ]);
    expect(summary.byWeek.find((w) => w.week === "2026-06-08")).toMatchObject({ lines: 2, cents: 9000 });
  });

  it("lets a manager match an unmatched claim by hand, confirming its allowed amount (audited)", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "THEIR-NUMBER",
      payerClaimControlNumber: "ICN-H",
      patient: { lastName: "SOMEONE", firstName: "ELSE", memberId: "ZZZ" },
      serviceLines: [line("97112", ["GP"], "2026-04-01", 6000, 3100)],
    };
    await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "hand.835",
        content: file835([claim], "TRACE-HAND"),
      }),
    );
    const rc = await db().remitClaim.findFirstOrThrow({ where: { practiceId: t.practiceId, patientControlNumber: "THEIR-NUMBER" } });
    expect(rc.matchStatus).toBe("UNMATCHED");
    const before = (await serviceLine("V3", 0)).remitAllowedCents;
    // another practice's manager cannot see it: 404, as for a missing id
    const foreign = await runAsUser(other.users.MANAGER, () => matchRemitClaim({ remitClaimId: rc.id, claimNumber: "C3" }));
    expect(foreign).toMatchObject({ ok: false, status: 404 });
    const res = await runAsUser(t.users.MANAGER, () => matchRemitClaim({ remitClaimId: rc.id, claimNumber: "C3" }));
    expect(res).toMatchObject({ ok: true, data: { linesMatched: 1, linesUnmatched: 0 } });
    expect((await serviceLine("V3", 0)).remitAllowedCents).toBe((before ?? 0) + 3100);
    expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action: "remit.claim.match", entityId: String(rc.id) } })).toBe(
      1,
    );
  });

  it("lets a manager match an unmatched line of a matched claim by hand", async () => {
    const claim: SyntheticClaim = {
      patientControlNumber: "C5",
      payerClaimControlNumber: "ICN5-X",
      serviceLines: [line("97999", ["GP"], "2026-05-04", 1000, 500)], // a code the practice did not bill
    };
    await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "odd-code.835",
        content: file835([claim], "TRACE-ODD", { payerName: "ACME HEALTH" }),
      }),
    );
    const rl = await db().remitLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "97999" } });
    expect(rl.matchStatus).toBe("UNMATCHED");
    const target = await lineId("V5", 0);
    const res = await runAsUser(t.users.BILLER, () => matchRemitLine({ remitLineId: rl.id, serviceLineId: target }));
    expect(res.ok).toBe(true);
    expect((await db().remitLine.findUniqueOrThrow({ where: { id: rl.id } })).serviceLineId).toBe(target);
  });

  it("enters a paper EOB checked like an 835: an unbalanced line is a field error, a balanced one is matched", async () => {
    const payer = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "acme health" } });
    const eob = (paid: string) => ({
      payerId: String(payer.id),
      checkNumber: "CHK-1001",
      paymentDate: "2026-06-15",
      amount: paid,
      claims: [
        {
          claimNumber: "C5",
          status: "1",
          payerClaimNumber: "",
          patientName: "Lane, Cy",
          memberId: "",
          lines: [
            {
              serviceDate: "2026-05-04",
              cpt: "97110",
              modifiers: "GP",
              units: "2",
              charge: "100.00",
              allowed: "",
              paid,
              remarks: "",
              adjustments: [
                { group: "CO", reason: "45", amount: "40.00" },
                { group: "PR", reason: "2", amount: "12.00" },
              ],
            },
          ],
        },
      ],
    });
    const bad = await runAsUser(t.users.MANAGER, () => saveEob(eob("50.00")));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.status).toBe(400);
      expect(bad.fieldErrors?.["claims.0.lines.0.paid"]?.[0]).toMatch(/does not balance/);
    }
    const good = await runAsUser(t.users.MANAGER, () => saveEob(eob("48.00")));
    expect(good.ok, JSON.stringify(good)).toBe(true);
    const payment = await db().remitPayment.findFirstOrThrow({
      where: { practiceId: t.practiceId, traceNumber: "CHK-1001" },
      include: { claims: { include: { lines: true } } },
    });
    expect(payment.source).toBe("PAPER_EOB");
    expect(payment.claims[0]?.matchStatus).toBe("MATCHED");
    expect(payment.claims[0]?.lines[0]?.allowedCents).toBe(6000); // paid + patient share
    expect(payment.claims[0]?.lines[0]?.serviceLineId).toBe(await lineId("V5", 0));
    const again = await runAsUser(t.users.MANAGER, () => saveEob(eob("48.00")));
    expect(again).toMatchObject({ ok: false, status: 400, fieldErrors: { checkNumber: [expect.stringMatching(/already entered/)] } });
  });

  it("lets only a manager mark an underpayment appealed, then undo it; a biller gets 403", async () => {
    const { rows } = await asPractice(t.practiceId, () => underpaymentWorklist(t.practiceId, { status: "OPEN" }));
    const row = rows[0];
    expect(row, "an underpaid line (the corrected 97110 is below the fee schedule)").toBeDefined();
    const input = { remitLineId: row!.id, status: "APPEALED" as const, from: "OPEN" as const, note: "appeal sent" };
    expect(await runAsUser(t.users.BILLER, () => markUnderpayment(input))).toMatchObject({ ok: false, status: 403 });
    expect(await runAsUser(other.users.MANAGER, () => markUnderpayment(input))).toMatchObject({ ok: false, status: 404 });
    expect(await runAsUser(t.users.MANAGER, () => markUnderpayment(input))).toMatchObject({ ok: true });
    const marked = await db().remitLine.findUniqueOrThrow({ where: { id: row!.id } });
    expect([marked.underpaymentStatus, marked.statusNote]).toEqual(["APPEALED", "appeal sent"]);
    // a second click on a stale page is a conflict, not a silent overwrite
    expect(await runAsUser(t.users.MANAGER, () => markUnderpayment({ ...input, status: "WRITTEN_OFF" }))).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(
      await runAsUser(t.users.MANAGER, () => markUnderpayment({ remitLineId: row!.id, status: "OPEN", from: "APPEALED", note: "" })),
    ).toMatchObject({ ok: true });
    expect((await db().remitLine.findUniqueOrThrow({ where: { id: row!.id } })).underpaymentStatus).toBe("OPEN");
    expect(
      await db().auditEvent.count({
        where: { practiceId: t.practiceId, entityType: "RemitLine", entityId: String(row!.id), action: { startsWith: "underpayment." } },
      }),
    ).toBe(2);
  });

  it("counts a recovered line's difference as recovered dollars for the owner's review, and an undo takes it back", async () => {
    const { rows } = await asPractice(t, () => underpaymentWorklist(t.practiceId, { status: "OPEN" }));
    const row = rows[0]!;
    // the line's difference, as the worklist read it (expected − remit allowed)
    const difference = row.expectedCents - row.allowedCents;
    expect(row.varianceCents).toBe(difference);
    const timeZone = "America/New_York";
    const before = await asPractice(t, () => recoveredUnderpaymentDollars(t.practiceId, { timeZone }));
    expect(
      await runAsUser(t.users.MANAGER, () =>
        markUnderpayment({ remitLineId: row.id, status: "RECOVERED", from: "OPEN", note: "paid on reprocessing" }),
      ),
    ).toMatchObject({ ok: true });
    const after = await asPractice(t, () => recoveredUnderpaymentDollars(t.practiceId, { timeZone }));
    expect(after.yearToDateCents - before.yearToDateCents).toBe(difference);
    expect(after.yearToDateLines - before.yearToDateLines).toBe(1);
    // in this week's bucket (the last of the 13 weeks to today)
    expect(after.weeks).toHaveLength(13);
    expect(after.weeks.at(-1)!.cents - before.weeks.at(-1)!.cents).toBe(difference);
    // its history: who, from, to, the note
    const history = (await asPractice(t, () => underpaymentHistory(t.practiceId, [row.id]))).get(row.id) ?? [];
    expect(history.at(-1)).toMatchObject({ from: "OPEN", to: "RECOVERED", note: "paid on reprocessing" });
    expect(
      await runAsUser(t.users.MANAGER, () => markUnderpayment({ remitLineId: row.id, status: "OPEN", from: "RECOVERED", note: "" })),
    ).toMatchObject({ ok: true });
    expect((await asPractice(t, () => recoveredUnderpaymentDollars(t.practiceId, { timeZone }))).yearToDateCents).toBe(
      before.yearToDateCents,
    );
    expect((await asPractice(t, () => underpaymentHistory(t.practiceId, [row.id]))).get(row.id)?.at(-1)).toMatchObject({
      from: "RECOVERED",
      to: "OPEN",
    });
    // another practice sees none of it
    expect((await asPractice(other, () => recoveredUnderpaymentDollars(other.practiceId, { timeZone }))).yearToDateCents).toBe(0);
    expect((await asPractice(other, () => underpaymentHistory(other.practiceId, [row.id]))).size).toBe(0);
  });

  it("heads the appeal letter with the practice's NPI, tax id and address and the payer's appeals address (set by a manager)", async () => {
    const { rows } = await asPractice(t, () => underpaymentWorklist(t.practiceId, { status: "all" }));
    const payerId = rows[0]!.payerId;
    await db().practice.update({
      where: { id: t.practiceId },
      data: { npi: "1234567893", taxId: "12-3456789", address: "1 Main Street\nAlbany, NY 12207" },
    });
    const input = { payerId, appealAddress: "Appeals\r\nPO Box 1\r\nTampa, FL 33601" };
    expect(await runAsUser(t.users.BILLER, () => savePayerAppealAddress(input))).toMatchObject({ ok: false, status: 403 });
    expect(await runAsUser(other.users.MANAGER, () => savePayerAppealAddress(input))).toMatchObject({ ok: false, status: 404 });
    expect(await runAsUser(t.users.MANAGER, () => savePayerAppealAddress(input))).toMatchObject({ ok: true });
    const letter = await asPractice(t, () => appealLetter(t.practiceId, payerId));
    expect(letter?.practice).toMatchObject({ npi: "1234567893", taxId: "12-3456789", address: "1 Main Street\nAlbany, NY 12207" });
    // line breaks as typed, in one form
    expect(letter?.payer.appealAddress).toBe("Appeals\nPO Box 1\nTampa, FL 33601");
    expect(
      await db().auditEvent.count({
        where: { practiceId: t.practiceId, action: "payer.update_appeal_address", entityId: String(payerId) },
      }),
    ).toBe(1);
    // another practice's letter for this payer does not exist
    expect(await asPractice(other, () => appealLetter(other.practiceId, payerId))).toBeNull();

    // the same letter as a PDF download: its text, read back from the file's content streams
    const { GET } = await import("@/app/(app)/underpayments/letter/[payerId]/pdf/route");
    const download = (user: number, id: number) =>
      runAsUser(user, () => GET(new Request("http://localhost/x"), { params: Promise.resolve({ payerId: String(id) }) }));
    const res = await download(t.users.MANAGER, payerId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="appeal-.+\.pdf"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(bytes);
    expect(text).toContain("NPI 1234567893");
    expect(text).toContain("Tax id 12-3456789");
    expect(text).toContain("Tampa, FL 33601");
    expect(text).toContain(`in total on ${letter!.lines.length} line(s)`);
    expect(text).toContain(USD.format(letter!.totalCents / 100));
    // each code's meaning once, after the table (CO-45's 380 characters are not on every line)
    expect(letter!.codeMeanings.map((m) => m.code)).toContain("45");
    for (const m of letter!.codeMeanings) expect(text.split(`${m.code}: ${m.text.slice(0, 25)}`).length - 1).toBe(1);
    expect((await download(other.users.MANAGER, payerId)).status).toBe(404);
  });

  it("answers 404 to another practice for this practice's remit", async () => {
    const payment = await db().remitPayment.findFirstOrThrow({ where: { practiceId: t.practiceId } });
    expect(await asPractice(other.practiceId, () => remitPaymentDetail(other.practiceId, payment.id))).toBeNull();
    expect(await asPractice(t.practiceId, () => remitPaymentDetail(t.practiceId, payment.id))).not.toBeNull();
  });

  it("creates a payer contract in the app with the contracts.csv checks, re-pricing the payer's visits and remits", async () => {
    const payer = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "acme health" } });
    const base = {
      payerId: String(payer.id),
      effective_from: "2026-01-01",
      effective_to: "",
      unit_method: "per_code",
      multiple_procedure_rule: "none",
    };
    const rate = {
      cpt: "97110",
      modifier: "",
      rate_per_unit: "35.00",
      percent_of_medicare: "",
      medicare_year: "",
      locality: "",
      max_units_per_visit: "",
      lesser_of_charge: "true",
    };
    const both = await runAsUser(t.users.MANAGER, () => saveContractAction({ ...base, rates: [{ ...rate, percent_of_medicare: "110" }] }));
    expect(both).toMatchObject({ ok: false, status: 400, fieldErrors: { "rates.0.rate_per_unit": [expect.stringMatching(/not both/)] } });
    expect(await runAsUser(t.users.BILLER, () => saveContractAction({ ...base, rates: [rate] }))).toMatchObject({ ok: false, status: 403 });
    const saved = await runAsUser(t.users.MANAGER, () => saveContractAction({ ...base, rates: [rate] }));
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
    // 2 units × $35.00, lesser of the $100.00 charge
    expect((await serviceLine("V5", 0)).expectedAllowedCents).toBe(7000);
    const rl = await db().remitLine.findFirstOrThrow({
      where: { practiceId: t.practiceId, remitClaim: { payment: { traceNumber: "CHK-1001" } } },
    });
    expect(rl.expectedAllowedCents).toBe(7000);
    const overlap = await runAsUser(t.users.MANAGER, () => saveContractAction({ ...base, effective_from: "2026-06-01", rates: [rate] }));
    expect(overlap).toMatchObject({ ok: false, status: 400, fieldErrors: { effective_from: [expect.stringMatching(/overlaps/)] } });
    expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action: "contract.create" } })).toBe(1);
  });
});
