// The edge rules of DOMAIN.md §5 through the real 835 import, against PostgreSQL, each on a
// small hand-written 835 of e2e/fixtures/remit-edge-rules: a reversal with and without its
// original, a secondary payer and its reversal, a payer recode (SVC06), a duplicate claim
// payment in a new file, CO-119 / CARC 4 denials kept as work (and their effect on the KX
// crossing line), PR-119 with GA, claim-level CAS without line CAS, a PR-1 deductible and
// PLB interest and recoupment. The expected allowed amounts of our lines are set by hand
// (below) so that every figure asserted here is worked out in the comments.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../core/db";
import { exportSourceFor } from "../exports";
import { serialize } from "../lists/format";
import { importCsv } from "../imports";
import { recomputeAllKx } from "../derived/kx-all";
import { patientThresholdView } from "../kx/threshold";
import { asPractice, createTestPractice, type TestPractice, withRemit } from "../testing";
import { appealLetter, underpaymentWorklist } from "../underpayments/worklist";
import { remitsNeedingAttention } from "./attention";
import { import835 } from "./import";

const dir = path.resolve("e2e/fixtures/remit-edge-rules");

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const row =
  (patient: string, names: string, payer: string, kind: string, member: string, visit: string, claim: string, dos: string) =>
  (cpt: string, modifiers: string, minutes: number, units: number, charge: string) =>
    `${patient},${names},1950-01-01,${payer},${kind},${member},${visit},${claim},${dos},1234567893,Pat Therapist,PT,11,${cpt},${modifiers},${minutes},${units},${charge},`;
const ea = row("EA", "Eva,Alder", "Medicare", "medicare", "1EDGE0000A1", "V-EA1", "EA1", "2026-03-02");
const eb = row("EB", "Eli,Birch", "Medicare", "medicare", "1EDGE0000B2", "V-EB1", "EB1", "2026-03-03");
const ec1 = row("EC", "Cara,Cedar", "Acme Health", "commercial", "ACM000C3", "V-EC1", "EC1", "2026-03-04");
const ec2 = row("EC", "Cara,Cedar", "Acme Health", "commercial", "ACM000C3", "V-EC2", "EC2", "2026-03-05");
const ed = row("ED", "Dan,Dogwood", "Medicare", "medicare", "1EDGE0000D4", "V-ED1", "ED1", "2026-05-04");
const ee = row("EE", "Edna,Elm", "Medicare", "medicare", "1EDGE0000E5", "V-EE1", "EE1", "2026-05-05");
const eg1 = row("EG", "Gia,Fir", "Medicare", "medicare", "1EDGE0000G6", "V-EG1", "EG1", "2026-06-01");
const eg2 = row("EG", "Gia,Fir", "Medicare", "medicare", "1EDGE0000G6", "V-EG2", "EG2", "2026-06-08");
const VISITS = [
  HEADER,
  ea("97110", "GP", 15, 1, "100.00"),
  ea("97140", "GP", 15, 1, "50.00"),
  eb("97110", "GP", 15, 1, "100.00"),
  ec1("97530", "GP", 15, 1, "120.00"),
  ec2("97110", "GP", 30, 2, "200.00"),
  ed("97110", "GP", 15, 1, "100.00"),
  ed("97140", "GP", 15, 1, "50.00"),
  ee("97110", "GP;GA", 15, 1, "100.00"),
  ee("97140", "GP", 15, 1, "50.00"),
  ee("97530", "", 15, 1, "60.00"),
  eg1("97110", "GP", 15, 1, "100.00"),
  eg1("97140", "GP", 15, 1, "50.00"),
  eg2("97110", "GP", 15, 1, "100.00"),
].join("\n");

/** Expected allowed of each line, set by hand (visit, line order → cents). */
const EXPECTED: [string, number, number][] = [
  ["V-EA1", 0, 3000],
  ["V-EA1", 1, 2800],
  ["V-EB1", 0, 3000],
  ["V-EC1", 0, 4500],
  ["V-EC2", 0, 7000],
  ["V-ED1", 0, 3000],
  ["V-ED1", 1, 2800],
  ["V-EE1", 0, 3000],
  ["V-EE1", 1, 2800],
  ["V-EE1", 2, 3500],
  ["V-EG1", 0, 3000],
  ["V-EG1", 1, 2800],
  ["V-EG2", 0, 3000],
];

describe("remit edge rules (DOMAIN.md §5) on hand-written 835s", () => {
  let t: TestPractice;
  const line = async (visit: string, order: number) =>
    withRemit(
      await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, lineOrder: order, visit: { externalId: visit } } }),
    );
  const importFile = async (name: string) => {
    const r = await import835({
      practiceId: t.practiceId,
      userId: t.users.MANAGER,
      fileName: name,
      content: fs.readFileSync(path.join(dir, name)),
    });
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    return r;
  };
  const kxItem = async (patient: string) =>
    db().kxQueueItem.findFirstOrThrow({
      where: { practiceId: t.practiceId, patient: { externalId: patient }, year: 2026, pool: "PT_SLP" },
    });
  const exportRows = async () => {
    let out = "";
    for await (const chunk of serialize(exportSourceFor("underpayments", t.practiceId, {}), "csv")) out += chunk;
    return out.trim().split("\r\n");
  };

  beforeAll(async () => {
    t = await createTestPractice("remit-edges");
    // the practice's own code runs in its scope, as the guard would run it
    await asPractice(t, async () => {
      for (const [kind, content] of [
        ["visits", VISITS],
        ["usage", "patient_id,year,pool,amount,source,as_of\nED,2026,PT_SLP,2450.00,MAC portal,2026-05-01"],
      ] as const) {
        const r = await importCsv({
          kind,
          practiceId: t.practiceId,
          userId: t.users.ADMIN,
          fileName: `${kind}.csv`,
          content: Buffer.from(content),
        });
        expect(r.status, JSON.stringify(r.errors)).toBe("imported");
      }
      await db().payer.create({ data: { practiceId: t.practiceId, name: "Medigap Plus", nameKey: "medigap plus", kind: "commercial" } });
      for (const [visit, order, cents] of EXPECTED) {
        await db().serviceLine.updateMany({
          where: { practiceId: t.practiceId, lineOrder: order, visit: { externalId: visit } },
          data: { expectedAllowedCents: cents },
        });
      }
      await recomputeAllKx(t.practiceId);
    });
  });
  afterAll(() => disconnectDb());

  it("nets original, reversal and correction; a reversal without its original changes nothing and is listed", () =>
    asPractice(t, async () => {
      await importFile("reversal-original.835");
      // EA1 97110: AMT*B6 30.00 against the expected 30.00
      expect((await line("V-EA1", 0)).remitAllowedCents).toBe(3000);
      const second = await importFile("reversal-correction.835");
      // 30.00 − 30.00 + 29.00 = 29.00; variance 30.00 − 29.00 = 1.00 on the correction
      const ea0 = await line("V-EA1", 0);
      expect(ea0.remitAllowedCents).toBe(2900);
      const eaRemits = await db().remitLine.findMany({ where: { serviceLineId: ea0.id }, orderBy: { id: "asc" } });
      expect(eaRemits.map((r) => [r.netRole, r.varianceCents])).toEqual([
        ["reversed", null],
        ["reversal", null],
        ["paid", 100],
      ]);
      // cash: 23.52 − 23.52 + 22.74 = 22.74
      expect(ea0.remitPaidCents).toBe(2274);
      // EB1: the reversal of a payment never imported (−30.00) is left out; the correction stands
      // alone at 31.00 (not −30.00 + 31.00 = 1.00 and a false underpayment of 29.00)
      const eb0 = await line("V-EB1", 0);
      expect(eb0.remitAllowedCents).toBe(3100);
      expect(eb0.remitAllowedNetCents).toBe(3100);
      expect(eb0.remitPaidCents).toBe(2430);
      const ebRemits = await db().remitLine.findMany({ where: { serviceLineId: eb0.id }, orderBy: { id: "asc" } });
      // variance 30.00 − 31.00 = −1.00 (paid more than the contract)
      expect(ebRemits.map((r) => [r.netRole, r.varianceCents])).toEqual([
        ["unmatched_reversal", null],
        ["paid", -100],
      ]);
      expect(second.warnings.map((w) => w.message).join(" ")).toContain("1 line(s) reverse a payment that is not on file");
      const attention = await remitsNeedingAttention(t.practiceId);
      expect(attention.unmatchedReversals.map((c) => [c.patientControlNumber, c.paidCents, c.traceNumber])).toEqual([
        ["EB1", -2352, "ED-1002"],
      ]);
    }));

  it("counts a secondary payer's cash, never its allowed; its reversal cancels only its own payment", () =>
    asPractice(t, async () => {
      await importFile("secondary.835");
      const ea0 = await line("V-EA1", 0);
      // allowed stays the primary's 29.00 (the secondary's AMT*B6 29.00 is not added: not 58.00)
      expect(ea0.remitAllowedCents).toBe(2900);
      expect(ea0.remitAllowedNetCents).toBe(2900);
      // cash: Medicare 22.74 + Medigap 5.80 = 28.54
      expect(ea0.remitPaidCents).toBe(2854);
      await importFile("secondary-reversal.835");
      const after = await line("V-EA1", 0);
      // the Medigap reversal takes back Medigap's 5.80 only: cash 22.74, allowed 29.00, variance 1.00 stand
      expect(after.remitPaidCents).toBe(2274);
      expect(after.remitAllowedCents).toBe(2900);
      const standing = await db().remitLine.findFirstOrThrow({ where: { serviceLineId: after.id, netRole: "paid" } });
      expect(standing.varianceCents).toBe(100);
      expect(await db().remitLine.count({ where: { serviceLineId: after.id, netRole: "secondary" } })).toBe(2);
      // EA's KX total counts the primary's allowed: 29.00 + 28.00 = 57.00
      expect((await kxItem("EA")).allowedHereCents).toBe(5700);
    }));

  it("matches a payer recode on SVC06 and measures it against the billed code's contract amount", () =>
    asPractice(t, async () => {
      await importFile("recode.835");
      const ec = await line("V-EC1", 0);
      expect(ec.cpt).toBe("97530");
      expect(ec.remitAllowedCents).toBe(3200);
      const remit = await db().remitLine.findFirstOrThrow({ where: { serviceLineId: ec.id } });
      // billed 97530, paid as 97110: variance 45.00 (97530's contract amount) − 32.00 = 13.00
      expect([remit.cpt, remit.paidCpt, remit.varianceCents]).toEqual(["97530", "97110", 1300]);
      const worklist = await underpaymentWorklist(t.practiceId, {});
      const row = worklist.rows.find((r) => r.claimNumber === "EC1");
      expect(row && [row.cpt, row.paidCpt, row.varianceCents]).toEqual(["97530", "97110", 1300]);
      // the appeal letter to Acme carries the recode too
      const acme = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "acme health" } });
      const letter = await appealLetter(t.practiceId, acme.id);
      const onLetter = letter?.lines.find((l) => l.claimNumber === "EC1");
      expect(onLetter && [onLetter.cpt, onLetter.paidCpt, onLetter.varianceCents]).toEqual(["97530", "97110", 1300]);
    }));

  it("keeps a duplicate claim payment in a new file, lists it as money to refund and counts it once", () =>
    asPractice(t, async () => {
      await importFile("duplicate-first.835");
      const again = await importFile("duplicate-again.835");
      expect(again.warnings.map((w) => w.message).join(" ")).toContain("1 line(s) repeat a claim payment already on file");
      const ec2 = await line("V-EC2", 0);
      // once: allowed 70.00, cash 50.00 (not 100.00), variance 70.00 − 70.00 = 0
      expect(ec2.remitAllowedCents).toBe(7000);
      expect(ec2.remitPaidCents).toBe(5000);
      expect(ec2.remitPatientRespCents).toBe(2000);
      expect(await db().remitLine.count({ where: { serviceLineId: ec2.id } })).toBe(2);
      const attention = await remitsNeedingAttention(t.practiceId);
      expect(attention.duplicates.map((c) => [c.patientControlNumber, c.paidCents, c.traceNumber])).toEqual([["EC2", 5000, "ED-4002"]]);
    }));

  it("keeps a CO-119 denial of the KX crossing line as work, in the KX total and missing KX, until a later remit pays it", () =>
    asPractice(t, async () => {
      // before any remit: 2,450.00 used elsewhere + 30.00 + 28.00 = 2,508.00 > 2,480.00; the
      // 97140 line (2,480.00 → 2,508.00) crosses KX and lacks it
      const before = await kxItem("ED");
      expect([before.totalCents, before.level, before.linesMissingKx]).toEqual([250800, "kx", 1]);
      await importFile("kx-denials.835");
      const denied = await line("V-ED1", 1);
      expect(denied.remitWork).toBe("rebill_kx");
      expect(denied.remitAllowedCents).toBeNull();
      // the denied line keeps its 28.00 (estimated): 2,450.00 + 30.00 (confirmed) + 28.00 = 2,508.00,
      // not 2,480.00, which would drop the patient below KX and the line out of "missing KX"
      const item = await kxItem("ED");
      expect([item.totalCents, item.level, item.linesMissingKx, item.linesToRebill, item.estimated]).toEqual([250800, "kx", 1, 1, true]);
      expect(item.kxCrossedOn?.toISOString().slice(0, 10)).toBe("2026-05-04");
      const view = await patientThresholdView(
        { practiceId: t.practiceId, userId: t.users.BILLER, alertLevelCents: 200000 },
        (await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "ED" } })).id,
        { year: 2026, pool: "PT_SLP" },
      );
      const shown = view?.lines.find((l) => l.lineId === denied.id);
      expect(shown && [shown.rebill, shown.needsKx, shown.hasKx, shown.confirmed, shown.allowedCents]).toEqual([
        "rebill_kx",
        true,
        false,
        false,
        2800,
      ]);

      await importFile("kx-rebill-paid.835");
      const paid = await line("V-ED1", 1);
      // the rebill paid: 0.00 (denial) + 28.00 = 28.00 confirmed, no longer work
      expect([paid.remitWork, paid.remitAllowedCents]).toEqual([null, 2800]);
      const after = await kxItem("ED");
      expect([after.totalCents, after.linesToRebill, after.estimated]).toEqual([250800, 0, false]);
    }));

  it("counts PR-119 with GA and other denials at allowed 0, and a CARC 4 denial as a modifier to fix", () =>
    asPractice(t, async () => {
      const ga = await line("V-EE1", 0);
      // PR-119 100.00 with an ABN: the patient's, allowed 0.00 (not 100.00), not work
      expect([ga.remitAllowedCents, ga.remitWork]).toEqual([0, null]);
      const necessity = await line("V-EE1", 1);
      expect([necessity.remitAllowedCents, necessity.remitWork]).toEqual([0, null]);
      const modifier = await line("V-EE1", 2);
      expect([modifier.remitAllowedCents, modifier.remitWork]).toEqual([null, "rebill_modifier"]);
      // EE's pool: 0.00 + 0.00, both confirmed
      const item = await kxItem("EE");
      expect([item.allowedHereCents, item.estimated, item.linesToRebill]).toEqual([0, false, 0]);
    }));

  it("takes lines as sent under claim-level CAS, a PR-1 deductible as allowed, and PLB as cash only", () =>
    asPractice(t, async () => {
      const r = await importFile("claim-cas-plb.835");
      // the lines carry no CAS of their own: no balancing warning for them
      expect(r.warnings).toEqual([]);
      const eg0 = await line("V-EG1", 0);
      const eg1 = await line("V-EG1", 1);
      // paid as sent (SVC03), no AMT*B6, no patient share: allowed 50.00 and 30.00; the claim's CO-45 70.00 stays on the claim
      expect([eg0.remitAllowedCents, eg1.remitAllowedCents, eg0.remitPaidCents, eg1.remitPaidCents]).toEqual([5000, 3000, 5000, 3000]);
      const claim = await db().remitClaim.findFirstOrThrow({
        where: { practiceId: t.practiceId, patientControlNumber: "EG1" },
        include: { adjustments: true },
      });
      expect(claim.adjustments.map((a) => [a.groupCode, a.reasonCode, a.amountCents])).toEqual([["CO", "45", 7000]]);
      // PR-1 30.00: paid 0.00 + deductible 30.00 = allowed 30.00, variance 30.00 − 30.00 = 0, not a denial
      const deductible = await line("V-EG2", 0);
      expect([deductible.remitAllowedCents, deductible.remitPaidCents, deductible.remitDenialCause]).toEqual([3000, 0, null]);
      // PLB: interest −2.35 (adds), recoupment 15.00: BPR 80.00 − (−2.35 + 15.00) = 67.35; no line changes
      const payment = await db().remitPayment.findFirstOrThrow({
        where: { practiceId: t.practiceId, traceNumber: "ED-6001" },
        include: { providerAdjustments: { orderBy: { id: "asc" } } },
      });
      expect(payment.paymentCents).toBe(6735);
      expect(payment.providerAdjustments.map((p) => [p.reasonCode, p.amountCents])).toEqual([
        ["L6", -235],
        ["WO", 1500],
      ]);
      // EG's KX total: 50.00 + 30.00 + 30.00 = 110.00, PLB not in it
      expect((await kxItem("EG")).allowedHereCents).toBe(11000);
    }));

  it("exports one underpayment row per line of ours, net over its primary payer's remits", () =>
    asPractice(t, async () => {
      const rows = await exportRows();
      expect(rows[0]).toBe(
        "payer,claim_id,patient_id,date_of_service,cpt,modifiers,units,charge,expected_allowed,remit_allowed,variance,paid,adjustments,remit_cpt",
      );
      const of = (claim: string) => rows.filter((r) => r.split(",")[1] === claim);
      // EA1 97110: our charge 100.00; allowed 30.00 − 30.00 + 29.00; paid 23.52 − 23.52 + 22.74;
      // CO-45 70.00 − 70.00 + 71.00, CO-253 0.48 − 0.48 + 0.46, PR-2 6.00 − 6.00 + 5.80; Medigap's lines are no rows
      expect(of("EA1")).toEqual([
        "Medicare,EA1,EA,2026-03-02,97110,GP,1,100.00,30.00,29.00,1.00,22.74,CO-45:71.00;CO-253:0.46;PR-2:5.80,97110",
        "Medicare,EA1,EA,2026-03-02,97140,GP,1,50.00,28.00,28.00,0.00,21.95,CO-45:22.00;CO-253:0.45;PR-2:5.60,97140",
      ]);
      // EB1: the correction alone (the reversal without original is left out)
      expect(of("EB1")).toEqual([
        "Medicare,EB1,EB,2026-03-03,97110,GP,1,100.00,30.00,31.00,-1.00,24.30,CO-45:69.00;CO-253:0.50;PR-2:6.20,97110",
      ]);
      // EC1: under our billed code, paid as 97110
      expect(of("EC1")).toEqual(["Acme Health,EC1,EC,2026-03-04,97530,GP,1,120.00,45.00,32.00,13.00,32.00,CO-45:88.00,97110"]);
      // EC2: the duplicate payment is not a second row nor counted twice; units as billed (2)
      expect(of("EC2")).toEqual(["Acme Health,EC2,EC,2026-03-05,97110,GP,2,200.00,70.00,70.00,0.00,50.00,CO-45:130.00;PR-3:20.00,97110"]);
      // ED1 97140: the denial (0.00) and the paid rebill (28.00) net to 28.00; the rebill's adjustments
      // first (the latest remit), then the denial's CO-119 50.00
      expect(of("ED1")[1]).toBe(
        "Medicare,ED1,ED,2026-05-04,97140,GP,1,50.00,28.00,28.00,0.00,21.95,CO-45:22.00;CO-253:0.45;PR-2:5.60;CO-119:50.00,97140",
      );
    }));
});
