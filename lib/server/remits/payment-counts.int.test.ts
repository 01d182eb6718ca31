// The counts the remit list shows are stored on the payment (RemitPayment.claimCount …
// providerAdjustmentCents, lib/server/derived/payment-counts.ts) by every write that moves them.
// After each write the stored counts must equal the counts worked out here from the rows, and
// the list must show them.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim, paidServiceLine } from "@/prisma/generator/x12";
import { matchRemitClaim, matchRemitLine, saveEob, unmatchLine } from "@/app/(app)/remits/actions";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, type TestPractice, db } from "../testing";
import { import835 } from "./import";
import { remitPayments, unmatchedCounts } from "./queries";
import { unmatchedWorklist } from "./unmatched";
import { REMIT_WRITERS } from "./writer";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const V1 = [
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97140,GP,15,1,50.00,",
];
const V3 = "P2,Bob,Stone,1948-05-06,Medicare,medicare,2FH5UF6NL84,V3,C3,2026-04-01,1234567890,Pat Therapist,PT,11,97112,GP,15,1,60.00,";
const V5 = "P3,Cy,Lane,1980-07-08,Acme Health,commercial,ACM123,V5,C5,2026-05-04,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,";

/** A paid line (CO-45 down to the allowed, 20% coinsurance): paidServiceLine. */
const line = paidServiceLine;

function file835(claims: SyntheticClaim[], trace: string, options: Parameters<typeof generate835>[0] = {}): Buffer {
  const { text } = generate835({ claims, payerName: "MEDICARE", ...options });
  return Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, `TRN*1*${trace}`));
}

// C1: both lines ours (paid 8000 and 3200); THEIRS: a claim number we never billed (paid 2400);
// C5 (Acme): 97110 ours and 97999 a code we did not bill (paid 6400 and 800)
const C1: SyntheticClaim = {
  patientControlNumber: "C1",
  payerClaimControlNumber: "ICN1",
  patient: { lastName: "WALKER", firstName: "ANN", memberId: "1EG4TE5MK73" },
  serviceLines: [line("97110", "2026-03-02", 10000, 10000, 2), line("97140", "2026-03-02", 5000, 4000)],
};
const THEIRS: SyntheticClaim = {
  patientControlNumber: "THEIR-NUMBER",
  payerClaimControlNumber: "ICN-T",
  patient: { lastName: "SOMEONE", firstName: "ELSE", memberId: "ZZZ" },
  serviceLines: [line("97112", "2026-04-01", 6000, 3000)],
};
const C5: SyntheticClaim = {
  patientControlNumber: "C5",
  payerClaimControlNumber: "ICN5",
  serviceLines: [line("97110", "2026-05-04", 10000, 8000, 2), line("97999", "2026-05-04", 1000, 1000)],
};

function reversalOf(claim: SyntheticClaim, icn: string): SyntheticClaim {
  const lines = (claim.serviceLines ?? []).map((l) => ({
    ...l,
    chargeCents: -l.chargeCents,
    paidCents: -l.paidCents,
    allowedCents: l.allowedCents == null ? null : -l.allowedCents,
    adjustments: (l.adjustments ?? []).map((a) => ({ ...a, amountCents: -a.amountCents })),
  }));
  return { ...claim, payerClaimControlNumber: icn, status: "22", serviceLines: lines };
}

interface Counts {
  claims: number;
  matchedClaims: number;
  lines: number;
  unmatchedLines: number;
  paidCents: number;
  providerAdjustmentCents: number;
}

describe.each(REMIT_WRITERS)("remit payment counts stored on the payment (%s writer)", (writer) => {
  let t: TestPractice;
  afterAll(() => disconnectDb());

  /** What the payment stores. */
  const stored = async (paymentId: number): Promise<Counts> => {
    const p = await db().remitPayment.findUniqueOrThrow({ where: { id: paymentId } });
    return {
      claims: p.claimCount,
      matchedClaims: p.matchedClaimCount,
      lines: p.lineCount,
      unmatchedLines: p.unmatchedLineCount,
      paidCents: p.claimsPaidCents,
      providerAdjustmentCents: p.providerAdjustmentCents,
    };
  };
  /** The same counts worked out here from the payment's rows. */
  const fromRows = async (paymentId: number): Promise<Counts> => {
    const claims = await db().remitClaim.findMany({ where: { paymentId }, include: { lines: true } });
    const lines = claims.flatMap((c) => c.lines);
    const plb = await db().providerAdjustment.findMany({ where: { paymentId } });
    return {
      claims: claims.length,
      matchedClaims: claims.filter((c) => c.matchStatus === "MATCHED").length,
      lines: lines.length,
      unmatchedLines: lines.filter((l) => l.matchStatus === "UNMATCHED").length,
      paidCents: claims.reduce((s, c) => s + c.paidCents, 0),
      providerAdjustmentCents: plb.reduce((s, a) => s + a.amountCents, 0),
    };
  };
  const paymentOf = async (trace: string) =>
    (await db().remitPayment.findFirstOrThrow({ where: { practiceId: t.practiceId, traceNumber: trace } })).id;
  const listed = async (paymentId: number) => {
    const list = await asPractice(t.practiceId, () => remitPayments(t.practiceId));
    const row = list.rows.find((r) => r.id === paymentId);
    expect(row).toBeDefined();
    return {
      claims: row!.claims,
      matchedClaims: row!.matchedClaims,
      lines: row!.lines,
      unmatchedLines: row!.unmatchedLines,
      paidCents: row!.paidCents,
      providerAdjustmentCents: row!.providerAdjustmentCents,
    };
  };
  /** The remits page's link to the worklist: unmatched claims, and unmatched lines of matched claims, from the rows. */
  const unmatchedFromRows = async () => {
    const claims = await db().remitClaim.findMany({ where: { practiceId: t.practiceId }, include: { lines: true } });
    const lines = claims.filter((c) => c.matchStatus === "MATCHED").flatMap((c) => c.lines.filter((l) => l.matchStatus === "UNMATCHED"));
    return {
      claims: claims.filter((c) => c.matchStatus === "UNMATCHED").length,
      lines: lines.length,
      // the worklist's lines, newest first
      lineIds: lines.map((l) => l.id).sort((a, b) => b - a),
    };
  };
  /** The worklist (/remits/unmatched) lists and counts the same lines. */
  const expectWorklist = async () => {
    const want = await unmatchedFromRows();
    const list = await asPractice(t.practiceId, () => unmatchedWorklist(t.practiceId));
    expect({ claims: list.claimCount, lines: list.lineCount, lineIds: list.lines.map((l) => l.id) }).toEqual(want);
  };
  const unmatchedShown = () => asPractice(t.practiceId, () => unmatchedCounts(t.practiceId));
  const visits = (rows: string[]) =>
    asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "visits.csv",
        content: Buffer.from([HEADER, ...rows].join("\n")),
      }),
    );
  const import835Of = (fileName: string, content: Buffer) =>
    asPractice(t.practiceId, () => import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName, content }));

  let main: number;

  beforeAll(async () => {
    t = await createTestPractice(`payment-counts-${writer}`);
    const r = await visits([...V1, V3, V5]);
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  });

  it("counts an 835's claims, lines, paid amounts and provider adjustments on import", async () => {
    const r = await import835Of(
      "mixed.835",
      file835([C1, THEIRS, C5], "TRACE-MAIN", {
        providerAdjustments: [
          { reasonCode: "WO", reference: "ICN0099", amountCents: 1500 },
          { reasonCode: "L6", amountCents: -250 },
        ],
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    main = await paymentOf("TRACE-MAIN");
    // claims: C1, THEIRS, C5 = 3; matched: C1 and C5 = 2 (THEIRS names no claim of ours)
    // lines: 2 + 1 + 2 = 5; unmatched: THEIRS's 97112 and C5's 97999 = 2
    // paid: C1 (10000 − 2000) + (4000 − 800) = 11200; THEIRS 3000 − 600 = 2400; C5 (8000 − 1600) + (1000 − 200) = 7200
    //       → 11200 + 2400 + 7200 = 20800
    // provider adjustments: 1500 + (−250) = 1250
    const expected: Counts = { claims: 3, matchedClaims: 2, lines: 5, unmatchedLines: 2, paidCents: 20800, providerAdjustmentCents: 1250 };
    expect(await fromRows(main)).toEqual(expected);
    expect(await stored(main)).toEqual(expected);
    expect(await listed(main)).toEqual(expected);
    // the worklist link: THEIRS unmatched (1 claim); of the matched claims only C5's 97999 (1 line)
    expect(await unmatchedFromRows()).toMatchObject({ claims: 1, lines: 1 });
    await expectWorklist();
    expect(await unmatchedShown()).toEqual({ claims: 1, lines: 1 });
  });

  it("counts again when a claim is matched by hand, a line is matched and a line unmatched", async () => {
    const theirs = await db().remitClaim.findFirstOrThrow({ where: { paymentId: main, patientControlNumber: "THEIR-NUMBER" } });
    const claim = await runAsUser(t.users.MANAGER, () => matchRemitClaim({ remitClaimId: theirs.id, claimNumber: "C3" }));
    expect(claim).toMatchObject({ ok: true, data: { linesMatched: 1 } });
    // THEIRS matched with its one line: matched claims 2 + 1 = 3, unmatched lines 2 − 1 = 1
    expect(await fromRows(main)).toMatchObject({ matchedClaims: 3, unmatchedLines: 1 });
    expect(await stored(main)).toEqual(await fromRows(main));

    const odd = await db().remitLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "97999" } });
    const v5 = await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, visit: { externalId: "V5" } } });
    const matched = await runAsUser(t.users.MANAGER, () => matchRemitLine({ remitLineId: odd.id, serviceLineId: v5.id }));
    expect(matched.ok, JSON.stringify(matched)).toBe(true);
    // the 97999 line matched too: unmatched lines 1 − 1 = 0
    expect(await fromRows(main)).toMatchObject({ unmatchedLines: 0 });
    expect(await stored(main)).toEqual(await fromRows(main));

    const unmatched = await runAsUser(t.users.MANAGER, () => unmatchLine({ remitLineId: odd.id }));
    expect(unmatched.ok, JSON.stringify(unmatched)).toBe(true);
    // and back: 0 + 1 = 1; claims, lines and sums did not move (3, 5, 20800, 1250)
    const expected: Counts = { claims: 3, matchedClaims: 3, lines: 5, unmatchedLines: 1, paidCents: 20800, providerAdjustmentCents: 1250 };
    expect(await fromRows(main)).toEqual(expected);
    expect(await stored(main)).toEqual(expected);
    expect(await listed(main)).toEqual(expected);
  });

  it("counts a reversal's payment, leaves the original's counts, and a duplicate file changes nothing", async () => {
    const r = await import835Of("reversal.835", file835([reversalOf(C1, "ICN1-R")], "TRACE-REV"));
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    const reversal = await paymentOf("TRACE-REV");
    // one claim, matched to C1, two lines, both ours; paid −8000 + −3200 = −11200
    const expected: Counts = { claims: 1, matchedClaims: 1, lines: 2, unmatchedLines: 0, paidCents: -11200, providerAdjustmentCents: 0 };
    expect(await fromRows(reversal)).toEqual(expected);
    expect(await stored(reversal)).toEqual(expected);
    expect(await listed(reversal)).toEqual(expected);
    expect(await stored(main)).toEqual(await fromRows(main));

    const before = await db().remitPayment.count({ where: { practiceId: t.practiceId } });
    const again = await import835Of("reversal-again.835", file835([reversalOf(C1, "ICN1-R")], "TRACE-REV"));
    expect(again.status).not.toBe("failed");
    expect(await db().remitPayment.count({ where: { practiceId: t.practiceId } })).toBe(before);
    expect(await stored(reversal)).toEqual(expected);
  });

  it("counts a line unmatched when a visits.csv re-import removes the line it was matched to", async () => {
    const beforeMain = await stored(main);
    const reversal = await paymentOf("TRACE-REV");
    // V1 loses its 97140: the line of C1 (main) and of its reversal matched to it go back to unmatched
    const r = await visits([V1[0]!, V3, V5]);
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(await stored(main)).toEqual({ ...beforeMain, unmatchedLines: beforeMain.unmatchedLines + 1 });
    expect(await stored(main)).toEqual(await fromRows(main));
    // the reversal: 0 + 1 = 1
    expect(await stored(reversal)).toMatchObject({ unmatchedLines: 1 });
    expect(await stored(reversal)).toEqual(await fromRows(reversal));
    // the worklist link: no unmatched claim; lines of matched claims: C5's 97999 + C1's 97140 in
    // the original and in the reversal = 1 + 2 = 3
    expect(await unmatchedFromRows()).toMatchObject({ claims: 0, lines: 3 });
    await expectWorklist();
    expect(await unmatchedShown()).toEqual({ claims: 0, lines: 3 });
  });

  it("counts a paper EOB", async () => {
    const payer = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "acme health" } });
    const res = await runAsUser(t.users.MANAGER, () =>
      saveEob({
        payerId: String(payer.id),
        checkNumber: "CHK-77",
        paymentDate: "2026-06-15",
        amount: "48.00",
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
                paid: "48.00",
                remarks: "",
                adjustments: [
                  { group: "CO", reason: "45", amount: "40.00" },
                  { group: "PR", reason: "2", amount: "12.00" },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(res.ok, JSON.stringify(res)).toBe(true);
    const eob = await paymentOf("CHK-77");
    // one claim (C5, ours), one line matched to V5's 97110; paid 48.00 = 4800 cents
    const expected: Counts = { claims: 1, matchedClaims: 1, lines: 1, unmatchedLines: 0, paidCents: 4800, providerAdjustmentCents: 0 };
    expect(await fromRows(eob)).toEqual(expected);
    expect(await stored(eob)).toEqual(expected);
    expect(await listed(eob)).toEqual(expected);
  });

  it("the migration's fill counts the payments on file", async () => {
    const ids = (await db().remitPayment.findMany({ where: { practiceId: t.practiceId }, select: { id: true } })).map((p) => p.id);
    const want = await Promise.all(ids.map((id) => fromRows(id)));
    await db().remitPayment.updateMany({
      where: { practiceId: t.practiceId },
      data: { claimCount: 0, matchedClaimCount: 0, lineCount: 0, unmatchedLineCount: 0, claimsPaidCents: 0, providerAdjustmentCents: 0 },
    });
    const dir = path.join(process.cwd(), "prisma", "migrations");
    const migration = fs.readdirSync(dir).find((d) => d.endsWith("_payment_counts"));
    const sql = fs.readFileSync(path.join(dir, migration!, "migration.sql"), "utf8");
    const updates = sql
      .replace(/--.*$/gm, "")
      .split(";")
      .map((s) => s.trim())
      .filter((s) => /^UPDATE/i.test(s));
    expect(updates).toHaveLength(3);
    // run on this practice's payments only (the other test files' practices are being written meanwhile)
    for (const update of updates) await db().$executeRawUnsafe(`${update} AND rp."practiceId" = $1`, t.practiceId);
    expect(await Promise.all(ids.map((id) => stored(id)))).toEqual(want);
  });
});
