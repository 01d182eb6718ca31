// A week marked stale only by undercoding reviews rebuilds its RevenueWeek rows alone (the only
// rollup table that reads reviews); a week with any other mark rebuilds every rollup table.
// To see which tables a refresh rebuilt, the test plants rows with figures no source row could
// give (a DenialDay, an UnderpaymentDay and a ReceivableWeek row for a visit that has no remit,
// no denial and no underpayment): a refresh that rebuilds those tables for the week deletes them,
// one that does not leaves them as they were (same id, same figures).
//
// The practice's visits, all in the week of Monday 9 March 2026:
//   V1 2026-03-10: 97110 × 2 $120.00 (note with functional words: an undercoding candidate,
//                  "could be 97530") + 97140 × 1 $60.00 (no candidate)
//   V2 2026-03-12: 97112 × 1 $50.00 (no candidate)
//   → week of 9 March: 2 visits, 3 lines, 1 undercoding candidate line
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewCandidateAction, undoReviewAction } from "@/app/(app)/undercoding/actions";
import { afterCommitSettled } from "../core/after-commit";
import { runAsUser } from "../core/context";
import { dateFromIso, isoDate } from "../core/dates";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice, FUNCTIONAL_NOTE, VISITS_CSV_HEADER } from "../testing";
import { refreshRevenueRollup } from "./rollup";

const VISITS = [
  VISITS_CSV_HEADER,
  `P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,V1,C1,2026-03-10,1234567890,Dana Fox,PT,11,97110,GP,30,2,120.00,"${FUNCTIONAL_NOTE}"`,
  "P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,V1,C1,2026-03-10,1234567890,Dana Fox,PT,11,97140,GP,15,1,60.00,",
  "P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,V2,C2,2026-03-12,1234567890,Dana Fox,PT,11,97112,GP,15,1,50.00,",
].join("\n");
const MARCH_9 = dateFromIso("2026-03-09");
// figures no source row of this practice can give (it has no remit at all)
const PLANTED_CENTS = 99_999n;

describe("a week marked stale only by undercoding reviews", () => {
  let t: TestPractice;
  let lineId = 0;
  let gainCents = 0;
  let planted = { denial: 0n, underpayment: 0n, receivable: 0n };

  /** The week's undercoding figures in RevenueWeek, and where its rows are. */
  const revenueWeek = async () => {
    await afterCommitSettled();
    const rows = await db().revenueWeek.findMany({ where: { practiceId: t.practiceId, weekStart: MARCH_9 } });
    return {
      visits: rows.reduce((n, r) => n + r.visits, 0),
      lines: rows.reduce((n, r) => n + r.lines, 0),
      undercodingLines: rows.reduce((n, r) => n + r.undercodingLines, 0),
      undercodingGain: rows.reduce((n, r) => n + Number(r.undercodingGainCents), 0),
      // RevenueWeek is keyed by week, payer and therapist: its rows' physical places (ctid) tell a
      // rebuilt row (deleted and inserted again) from one left as it was
      ids: (
        await db().$queryRaw<{ ctid: string }[]>`
          select ctid::text from "RevenueWeek" where "practiceId" = ${t.practiceId} and "weekStart" = ${MARCH_9}::date`
      )
        .map((r) => r.ctid)
        .sort(),
    };
  };
  /** The stale-week marks, each kind once (an update marks the week of its old and its new rows). */
  const marks = async () => {
    const rows = await db().revenueDirtyWeek.findMany({ where: { practiceId: t.practiceId } });
    return [...new Set(rows.map((m) => `${isoDate(m.weekStart)} ${m.reviewOnly ? "review only" : "everything"}`))].sort();
  };
  /** The planted rows still there (found by their planted figure), with their ids. */
  const plantedRows = async () => {
    await afterCommitSettled();
    const [denial, underpayment, receivable] = await Promise.all([
      db().denialDay.findMany({
        where: { practiceId: t.practiceId, weekStart: MARCH_9, cents: PLANTED_CENTS },
        select: { id: true, cents: true },
      }),
      db().underpaymentDay.findMany({
        where: { practiceId: t.practiceId, dateOfService: dateFromIso("2026-03-10"), varianceCents: PLANTED_CENTS },
        select: { id: true, varianceCents: true },
      }),
      db().receivableWeek.findMany({
        where: { practiceId: t.practiceId, weekStart: MARCH_9, expectedCents: PLANTED_CENTS },
        select: { id: true, expectedCents: true },
      }),
    ]);
    return { denial, underpayment, receivable };
  };
  const plant = async () => {
    const payer = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "medicare" } });
    const denial = await db().denialDay.create({
      data: {
        practiceId: t.practiceId,
        weekStart: MARCH_9,
        day: dateFromIso("2026-03-10"),
        cause: "CO-50",
        payerId: payer.id,
        lines: 1,
        cents: PLANTED_CENTS,
      },
    });
    const underpayment = await db().underpaymentDay.create({
      data: {
        practiceId: t.practiceId,
        dateOfService: dateFromIso("2026-03-10"),
        payerId: payer.id,
        cpt: "97110",
        status: "OPEN",
        lines: 1,
        varianceCents: PLANTED_CENTS,
        recoveredCents: 0n,
      },
    });
    const receivable = await db().receivableWeek.create({
      data: { practiceId: t.practiceId, weekStart: MARCH_9, openFrom: MARCH_9, expectedCents: PLANTED_CENTS, lines: 1 },
    });
    planted = { denial: denial.id, underpayment: underpayment.id, receivable: receivable.id };
  };
  const untouchedPlantedRows = () => ({
    denial: [{ id: planted.denial, cents: PLANTED_CENTS }],
    underpayment: [{ id: planted.underpayment, varianceCents: PLANTED_CENTS }],
    receivable: [{ id: planted.receivable, expectedCents: PLANTED_CENTS }],
  });

  beforeAll(async () => {
    t = await createTestPractice("rollup-review-only");
    await importVisitsCsv(t, VISITS);
    const line = await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "97110" } });
    expect(line.undercodingDirection).toBe("could_be_97530");
    lineId = line.id;
    gainCents = line.undercodingGainCents ?? 0;
    expect(gainCents).toBeGreaterThan(0);
    // the import's own refresh has run: every table of the week is built, nothing is stale
    await afterCommitSettled();
    expect(await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } })).toBe(0);
    // the planted figures are what the source rows cannot give: the week has no remit, so no
    // denial and no underpayment, and no line expects $999.99
    await plant();
  });
  afterAll(() => disconnectDb());

  it("a review and its undo rebuild RevenueWeek alone, with the right candidate counts", async () => {
    const before = await revenueWeek();
    // 2 visits, 3 lines; the 97110 line is the week's one candidate (its gain counted once)
    expect(before).toMatchObject({ visits: 2, lines: 3, undercodingLines: 1, undercodingGain: gainCents });

    const dismissed = await runAsUser(t.users.MANAGER, () =>
      reviewCandidateAction({ lineId, decision: "DISMISSED", reason: "home program review only" }),
    );
    expect(dismissed.ok, JSON.stringify(dismissed)).toBe(true);
    const afterDismissal = await revenueWeek();
    // a dismissed candidate is no candidate: 1 − 1 = 0 lines, $0 gain; visits and lines unchanged
    expect(afterDismissal).toMatchObject({ visits: 2, lines: 3, undercodingLines: 0, undercodingGain: 0 });
    // RevenueWeek was rebuilt (new rows), the other tables of the week were not
    expect(afterDismissal.ids).not.toEqual(before.ids);
    expect(await plantedRows()).toEqual(untouchedPlantedRows());
    expect(await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } })).toBe(0);

    const undone = await runAsUser(t.users.MANAGER, () => undoReviewAction({ lineId }));
    expect(undone.ok, JSON.stringify(undone)).toBe(true);
    const afterUndo = await revenueWeek();
    // the line is a candidate again: 1 line, its gain
    expect(afterUndo).toMatchObject({ visits: 2, lines: 3, undercodingLines: 1, undercodingGain: gainCents });
    expect(afterUndo.ids).not.toEqual(afterDismissal.ids);
    expect(await plantedRows()).toEqual(untouchedPlantedRows());
  });

  it("marks a review's week 'review only', and a week with a review and another write is rebuilt whole", async () => {
    // one transaction: a review confirming the candidate, and a write to a line of the same week
    await db().$transaction(async (tx) => {
      await tx.undercodingReview.create({
        data: {
          practiceId: t.practiceId,
          serviceLineId: lineId,
          decision: "CONFIRMED",
          reason: "functional task",
          userId: t.users.MANAGER,
        },
      });
      await tx.serviceLine.updateMany({ where: { practiceId: t.practiceId, cpt: "97140" }, data: { minutes: 16 } });
    });
    // two marks of the week: the review's (review only) and the line's (everything)
    expect(await marks()).toEqual(["2026-03-09 everything", "2026-03-09 review only"]);
    expect(await asPractice(t, () => refreshRevenueRollup(t.practiceId))).toBe(1);
    // every table of the week rebuilt from the source rows: the planted rows are gone
    expect(await plantedRows()).toEqual({ denial: [], underpayment: [], receivable: [] });
    // a confirmed candidate still counts: 1 line, its gain
    expect(await revenueWeek()).toMatchObject({ visits: 2, lines: 3, undercodingLines: 1, undercodingGain: gainCents });
  });

  it("a review alone, written directly, is marked 'review only' and leaves the other tables as they were", async () => {
    await plant();
    await db().undercodingReview.update({ where: { serviceLineId: lineId }, data: { decision: "DISMISSED", reason: "not functional" } });
    expect(await marks()).toEqual(["2026-03-09 review only"]);
    expect(await asPractice(t, () => refreshRevenueRollup(t.practiceId))).toBe(1);
    expect(await plantedRows()).toEqual(untouchedPlantedRows());
    // dismissed: 0 candidate lines, $0
    expect(await revenueWeek()).toMatchObject({ undercodingLines: 0, undercodingGain: 0 });
  });
});
