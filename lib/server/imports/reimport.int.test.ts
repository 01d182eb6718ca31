// Re-importing a corrected visits.csv (same visit ids, some lines changed) updates the lines in
// place: a line that keeps its code keeps its id, its undercoding review and its remit matches;
// a removed line's payment goes back to the unmatched worklist; the figures that depend on the
// lines (expected allowed, remit variance, KX totals) come out as a fresh import of the corrected
// file followed by the same 835 would give them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewCandidateAction } from "@/app/(app)/undercoding/actions";
import { generate835, paidServiceLine } from "@/prisma/generator/x12";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, type TestPractice, db, remitFiguresOf, withRemit } from "../testing";
import { importCsv } from "./index";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const NOTE = "Practiced car transfers and carrying groceries from the car to the kitchen counter.";
const row = (visit: string, claim: string, date: string, line: string) =>
  `P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,${visit},${claim},${date},1234567890,Dana Fox,PT,11,${line}`;

const ORIGINAL = [
  HEADER,
  row("V1", "C1", "2026-03-02", `97110,GP,30,2,120.00,"${NOTE}"`),
  row("V1", "C1", "2026-03-02", "97140,GP,15,1,60.00,"),
  row("V1", "C1", "2026-03-02", "97112,GP,15,1,60.00,"),
  row("V2", "C2", "2026-03-09", `97110,GP,30,2,120.00,"${NOTE}"`),
  row("V3", "C3", "2026-03-16", `97110,GP,30,2,120.00,"${NOTE}"`),
].join("\n");

const CORRECTED = [
  HEADER,
  // V1: 97110 as before, 97140 now 25 minutes and 2 units, 97112 removed, 97530 added
  row("V1", "C1", "2026-03-02", `97110,GP,30,2,120.00,"${NOTE}"`),
  row("V1", "C1", "2026-03-02", "97140,GP,25,2,120.00,"),
  row("V1", "C1", "2026-03-02", "97530,GP,15,1,70.00,"),
  // V2: the code changed, 97110 → 97530: another line (its review and remit match do not follow)
  row("V2", "C2", "2026-03-09", `97530,GP,30,2,140.00,"${NOTE}"`),
  // V3: same code, but the note no longer suggests 97530: the line stays, its review goes
  row("V3", "C3", "2026-03-16", "97110,GP,30,2,120.00,strengthening"),
].join("\n");

const USAGE = ["patient_id,year,pool,amount,source,as_of", "P1,2026,PT_SLP,2300.00,MAC portal,2026-02-01"].join("\n");

/** A paid line (CO-45 down to the allowed, 20% coinsurance): paidServiceLine. */
const remitLine = paidServiceLine;

/** The payer's answer to the original claims C1 and C2 (fixed amounts, so both practices get the same file). */
const REMIT = Buffer.from(
  generate835({
    payerName: "MEDICARE",
    claims: [
      {
        patientControlNumber: "C1",
        payerClaimControlNumber: "ICN1",
        patient: { lastName: "LEE", firstName: "ANN", memberId: "M1" },
        serviceLines: [
          remitLine("97110", "2026-03-02", 12000, 5500, 2),
          remitLine("97140", "2026-03-02", 6000, 2500, 1),
          remitLine("97112", "2026-03-02", 6000, 2900, 1),
        ],
      },
      {
        patientControlNumber: "C2",
        payerClaimControlNumber: "ICN2",
        patient: { lastName: "LEE", firstName: "ANN", memberId: "M1" },
        serviceLines: [remitLine("97110", "2026-03-09", 12000, 5500, 2)],
      },
    ],
  }).text,
);

async function importVisits(p: TestPractice, fileName: string, content: string) {
  const r = await asPractice(p.practiceId, () =>
    importCsv({ kind: "visits", practiceId: p.practiceId, userId: p.users.ADMIN, fileName, content: Buffer.from(content) }),
  );
  expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  return r;
}

async function importUsage(p: TestPractice) {
  const r = await asPractice(p.practiceId, () =>
    importCsv({ kind: "usage", practiceId: p.practiceId, userId: null, fileName: "u.csv", content: Buffer.from(USAGE) }),
  );
  expect(r.status, JSON.stringify(r.errors)).toBe("imported");
}

async function importRemit(p: TestPractice) {
  const r = await asPractice(p.practiceId, () =>
    import835({ practiceId: p.practiceId, userId: p.users.MANAGER, fileName: "remit.835", content: REMIT }),
  );
  expect(r.status, JSON.stringify(r.errors)).toBe("imported");
}

const linesOf = async (p: TestPractice, visit: string) =>
  Promise.all(
    (
      await db().serviceLine.findMany({
        where: { practiceId: p.practiceId, visit: { externalId: visit } },
        orderBy: { lineOrder: "asc" },
        include: { undercodingReview: true, remitLines: { orderBy: { id: "asc" } } },
      })
    ).map(withRemit),
  );

/** What a line's figures are, without ids. */
async function figures(p: TestPractice) {
  const lines = await db().serviceLine.findMany({
    where: { practiceId: p.practiceId },
    orderBy: [{ visit: { externalId: "asc" } }, { lineOrder: "asc" }],
    include: { visit: { select: { externalId: true } }, remitLines: { orderBy: { lineOrder: "asc" } }, remit: true },
  });
  return lines.map((l) => ({
    visit: l.visit.externalId,
    lineOrder: l.lineOrder,
    cpt: l.cpt,
    minutes: l.minutes,
    unitsBilled: l.unitsBilled,
    unitsSupported: l.unitsSupported,
    unitsFlag: l.unitsFlag,
    expectedAllowedCents: l.expectedAllowedCents,
    pool: l.pool,
    undercodingDirection: l.undercodingDirection,
    undercodingGainCents: l.undercodingGainCents,
    remitAllowedCents: remitFiguresOf(l.remit).remitAllowedCents,
    remitPaidCents: remitFiguresOf(l.remit).remitPaidCents,
    remitLineCount: remitFiguresOf(l.remit).remitLineCount,
    remitLines: l.remitLines.map((r) => [r.cpt, r.allowedCents, r.expectedAllowedCents, r.varianceCents]),
  }));
}

async function kxTotals(p: TestPractice) {
  const items = await db().kxQueueItem.findMany({ where: { practiceId: p.practiceId }, orderBy: [{ year: "asc" }, { pool: "asc" }] });
  return items.map((i) => ({
    year: i.year,
    pool: i.pool,
    allowedHereCents: i.allowedHereCents,
    usedElsewhereCents: i.usedElsewhereCents,
    totalCents: i.totalCents,
    level: i.level,
    alertCrossedOn: i.alertCrossedOn,
    kxCrossedOn: i.kxCrossedOn,
    reviewCrossedOn: i.reviewCrossedOn,
    linesMissingKx: i.linesMissingKx,
    estimated: i.estimated,
    visitCount: i.visitCount,
  }));
}

describe("re-importing a corrected visits.csv", () => {
  let t: TestPractice;
  let fresh: TestPractice;

  beforeAll(async () => {
    t = await createTestPractice("reimport");
    fresh = await createTestPractice("reimport-fresh");
  });
  afterAll(() => disconnectDb());

  it("keeps the lines that stay, with their reviews and remit matches; figures as a fresh import gives them", async () => {
    await importVisits(t, "visits.csv", ORIGINAL);
    await importUsage(t);
    await importRemit(t);
    const [keep, change, remove] = await linesOf(t, "V1");
    const [recoded] = await linesOf(t, "V2");
    const [renoted] = await linesOf(t, "V3");
    for (const l of [keep!, recoded!, renoted!]) {
      expect(l.undercodingDirection).toBe("could_be_97530");
      const res = await runAsUser(t.users.MANAGER, () =>
        reviewCandidateAction({ lineId: l.id, decision: "CONFIRMED", reason: "transfers are functional activities" }),
      );
      expect(res.ok, JSON.stringify(res)).toBe(true);
    }
    // the 835 matched each remitted line to ours by code
    for (const l of [keep!, change!, remove!, recoded!]) {
      expect((await db().remitLine.findMany({ where: { serviceLineId: l.id } })).map((r) => r.cpt)).toEqual([l.cpt]);
    }
    expect(remove!.remitAllowedCents).toBe(2900);
    const removedRemit = await db().remitLine.findFirstOrThrow({ where: { serviceLineId: remove!.id } });
    const recodedRemit = await db().remitLine.findFirstOrThrow({ where: { serviceLineId: recoded!.id } });

    const r = await importVisits(t, "visits-corrected.csv", CORRECTED);
    expect(r.counts).toMatchObject({ visitsCreated: 0, visitsUpdated: 3, lines: 5, linesAdded: 2, linesRemoved: 2, linesChanged: 2 });

    const v1 = await linesOf(t, "V1");
    expect(v1.map((l) => l.cpt)).toEqual(["97110", "97140", "97530"]);
    // unchanged line: same id, its review and its remit match
    expect(v1[0]!.id).toBe(keep!.id);
    expect(v1[0]!.undercodingReview).toMatchObject({ decision: "CONFIRMED", reason: "transfers are functional activities" });
    expect(v1[0]!.remitLines.map((l) => [l.cpt, l.matchStatus, l.allowedCents])).toEqual([["97110", "MATCHED", 5500]]);
    expect(v1[0]!.remitAllowedCents).toBe(5500);
    expect(v1[0]!.remitPaidCents).toBe(keep!.remitPaidCents);
    // changed line: same id and remit match, new figures; the remit line's expected follows
    expect(v1[1]!.id).toBe(change!.id);
    expect([v1[1]!.minutes, v1[1]!.unitsBilled, v1[1]!.chargeCents]).toEqual([25, 2, 12000]);
    expect(v1[1]!.unitsSupported).not.toBe(change!.unitsSupported);
    expect(v1[1]!.expectedAllowedCents).not.toBe(change!.expectedAllowedCents);
    expect(v1[1]!.remitLines.map((l) => [l.cpt, l.expectedAllowedCents, l.varianceCents])).toEqual([
      ["97140", v1[1]!.expectedAllowedCents, v1[1]!.expectedAllowedCents! - 2500],
    ]);
    // removed line: gone; the payment for it is back on the unmatched worklist
    expect(await db().serviceLine.findUnique({ where: { id: remove!.id } })).toBeNull();
    expect(await db().remitLine.findUniqueOrThrow({ where: { id: removedRemit.id } })).toMatchObject({
      serviceLineId: null,
      matchStatus: "UNMATCHED",
      expectedAllowedCents: null,
      varianceCents: null,
    });
    // added line
    expect(v1[2]!.id).not.toBe(remove!.id);
    expect(v1[2]!.expectedAllowedCents).toBeGreaterThan(0);
    expect(v1[2]!.remitLines).toEqual([]);

    // a line whose code changed is another line: the old one, its review and its remit match are gone
    const [v2] = await linesOf(t, "V2");
    expect(v2!.cpt).toBe("97530");
    expect(v2!.id).not.toBe(recoded!.id);
    expect(v2!.undercodingReview).toBeNull();
    expect(await db().undercodingReview.count({ where: { serviceLineId: recoded!.id } })).toBe(0);
    expect(await db().remitLine.findUniqueOrThrow({ where: { id: recodedRemit.id } })).toMatchObject({
      serviceLineId: null,
      matchStatus: "UNMATCHED",
    });
    // same code, but no longer an undercoding candidate: the line stays, the review of the old suggestion goes
    const [v3] = await linesOf(t, "V3");
    expect(v3!.id).toBe(renoted!.id);
    expect(v3!.undercodingDirection).toBeNull();
    expect(v3!.undercodingReview).toBeNull();

    // the same corrected file and 835 imported fresh into another practice: the same figures
    await importVisits(fresh, "visits-corrected.csv", CORRECTED);
    await importUsage(fresh);
    await importRemit(fresh);
    expect(await figures(t)).toEqual(await figures(fresh));
    expect(await kxTotals(t)).toEqual(await kxTotals(fresh));
    expect((await kxTotals(t))[0]).toMatchObject({ pool: "PT_SLP", visitCount: 3 });
    const unmatched = (p: TestPractice) =>
      db()
        .remitLine.findMany({ where: { practiceId: p.practiceId, matchStatus: "UNMATCHED" }, orderBy: { cpt: "asc" } })
        .then((ls) => ls.map((l) => [l.cpt, l.serviceLineId, l.allowedCents]));
    expect(await unmatched(t)).toEqual(await unmatched(fresh));
  });

  it("calls the corrected file a duplicate the second time and changes nothing", async () => {
    const before = await figures(t);
    const ids = (await db().serviceLine.findMany({ where: { practiceId: t.practiceId }, orderBy: { id: "asc" } })).map((l) => l.id);
    const again = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "again.csv",
        content: Buffer.from(CORRECTED),
      }),
    );
    expect(again.status).toBe("duplicate");
    // the same content with another line ending is a new file: nothing changes, every line is kept as is
    const same = await importVisits(t, "crlf.csv", CORRECTED.replaceAll("\n", "\r\n"));
    expect(same.counts).toMatchObject({ linesAdded: 0, linesRemoved: 0, linesChanged: 0 });
    expect((await db().serviceLine.findMany({ where: { practiceId: t.practiceId }, orderBy: { id: "asc" } })).map((l) => l.id)).toEqual(
      ids,
    );
    expect(await figures(t)).toEqual(before);
    expect(await db().undercodingReview.count({ where: { practiceId: t.practiceId } })).toBe(1);
  });

  it("a dry run of a corrected file writes nothing", async () => {
    const before = await figures(t);
    const dry = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "dry.csv",
        // the original file with a final line break: other bytes, so not a duplicate of the first import
        content: Buffer.from(`${ORIGINAL}\n`),
        dryRun: true,
      }),
    );
    expect(dry.status).toBe("dry-run");
    expect(dry.counts).toMatchObject({ linesAdded: 2, linesRemoved: 2 });
    expect(await figures(t)).toEqual(before);
  });
});
