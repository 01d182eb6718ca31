// Confirming, dismissing and undoing an undercoding review through the guarded server actions:
// who may, what is audited, what another practice sees, and that the billed code never changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewCandidateAction, undoReviewAction } from "@/app/(app)/undercoding/actions";
import { afterCommitSettled } from "../core/after-commit";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { analyticsScope } from "../revenue/scope";
import { asPractice, createTestPractice, type TestPractice, db, FUNCTIONAL_NOTE, VISITS_CSV_HEADER } from "../testing";
import { candidateLines } from "./queries";

const VISITS = [
  VISITS_CSV_HEADER,
  `P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,V1,C1,2026-03-10,1234567890,Dana Fox,PT,11,97110,GP,30,2,120.00,"${FUNCTIONAL_NOTE}"`,
  `P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,V1,C1,2026-03-10,1234567890,Dana Fox,PT,11,97140,GP,15,1,60.00,`,
].join("\n");

describe("undercoding review", () => {
  let t: TestPractice;
  let other: TestPractice;
  let lineId = 0;

  beforeAll(async () => {
    t = await createTestPractice("undercoding-review");
    other = await createTestPractice("undercoding-other");
    const r = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "v.csv",
        content: Buffer.from(VISITS),
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    lineId = (await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "97110" } })).id;
  });
  afterAll(() => disconnectDb());

  it("lists the candidate with the matched words as character spans of the note", async () => {
    const { rows } = await asPractice(t.practiceId, () =>
      candidateLines(analyticsScope(t.practiceId), { from: "2026-03-09", to: "2026-03-15", status: "open" }),
    );
    expect(rows).toHaveLength(1);
    const c = rows[0]!;
    expect(c).toMatchObject({ lineId, direction: "could_be_97530", cpt: "97110", review: null });
    expect(c.gainCents).toBeGreaterThan(0);
    expect(c.spans.map((s) => c.note.slice(s.start, s.end))).toEqual(["car transfers", "carrying", "groceries"]);
    expect(c.explanation).toContain("97110");
  });

  it("dismisses with a reason, audited, without touching the billed code; undo brings it back", async () => {
    const res = await runAsUser(t.users.MANAGER, () =>
      reviewCandidateAction({ lineId, decision: "DISMISSED", reason: "home program review only" }),
    );
    expect(res).toEqual({ ok: true, data: { lineId, decision: "DISMISSED" } });
    const review = await db().undercodingReview.findUniqueOrThrow({ where: { serviceLineId: lineId } });
    expect(review).toMatchObject({
      practiceId: t.practiceId,
      decision: "DISMISSED",
      reason: "home program review only",
      userId: t.users.MANAGER,
    });
    const line = await db().serviceLine.findUniqueOrThrow({ where: { id: lineId } });
    expect(line.cpt).toBe("97110");
    // the review brought the revenue rollup up to date itself, right after its answer: no week
    // is left for a reader to recompute, and the week of 9 March counts the dismissed 97110 line as no candidate
    // (before the review: 1 candidate line, the 97140 line is none)
    await afterCommitSettled();
    expect(await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } })).toBe(0);
    const weekAfterDismissal = await db().revenueWeek.aggregate({
      where: { practiceId: t.practiceId, weekStart: new Date("2026-03-09") },
      _sum: { undercodingLines: true },
    });
    expect(weekAfterDismissal._sum.undercodingLines).toBe(0);
    const audits = await db().auditEvent.findMany({
      where: { practiceId: t.practiceId, action: { startsWith: "undercoding." } },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.userId, a.entityId])).toEqual([["undercoding.dismiss", t.users.MANAGER, String(lineId)]]);
    expect(audits[0]!.patientId).not.toBeNull();

    const dismissed = await asPractice(t.practiceId, () =>
      candidateLines(analyticsScope(t.practiceId), { from: "2026-03-09", to: "2026-03-15", status: "dismissed" }),
    );
    expect(dismissed.rows.map((r) => [r.lineId, r.review?.decision, r.review?.reason])).toEqual([
      [lineId, "DISMISSED", "home program review only"],
    ]);
    expect(
      (
        await asPractice(t.practiceId, () =>
          candidateLines(analyticsScope(t.practiceId), { from: "2026-03-09", to: "2026-03-15", status: "open" }),
        )
      ).rows,
    ).toEqual([]);

    const undone = await runAsUser(t.users.OWNER, () => undoReviewAction({ lineId }));
    expect(undone).toEqual({ ok: true, data: { lineId, decision: null } });
    expect(await db().undercodingReview.findUnique({ where: { serviceLineId: lineId } })).toBeNull();
    const undo = await db().auditEvent.findFirstOrThrow({ where: { practiceId: t.practiceId, action: "undercoding.review.undo" } });
    expect(undo.details).toMatchObject({ undone: { decision: "DISMISSED", reason: "home program review only" } });
    // and the undo brought the week back to its one candidate line (the 97110 line) at once
    await afterCommitSettled();
    expect(await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } })).toBe(0);
    const weekAfterUndo = await db().revenueWeek.aggregate({
      where: { practiceId: t.practiceId, weekStart: new Date("2026-03-09") },
      _sum: { undercodingLines: true },
    });
    expect(weekAfterUndo._sum.undercodingLines).toBe(1);
    // nothing left to undo
    expect(await runAsUser(t.users.OWNER, () => undoReviewAction({ lineId }))).toMatchObject({ ok: false, status: 404 });
  });

  it("requires a reason and a decision", async () => {
    const noReason = await runAsUser(t.users.OWNER, () => reviewCandidateAction({ lineId, decision: "DISMISSED", reason: "  " }));
    expect(noReason).toMatchObject({ ok: false, status: 400 });
    expect((noReason as { fieldErrors?: Record<string, string[]> }).fieldErrors?.reason?.[0]).toMatch(/reason/);
    const badDecision = await runAsUser(t.users.OWNER, () =>
      reviewCandidateAction({ lineId, decision: "APPROVED" as "CONFIRMED", reason: "ok ok" }),
    );
    expect(badDecision).toMatchObject({ ok: false, status: 400 });
    expect(await db().undercodingReview.count({ where: { serviceLineId: lineId } })).toBe(0);
  });

  it("lets only owners and managers review; another practice's line is a 404; a line that is not a candidate too", async () => {
    expect(
      await runAsUser(t.users.BILLER, () => reviewCandidateAction({ lineId, decision: "CONFIRMED", reason: "looks right" })),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(
      await runAsUser(other.users.OWNER, () => reviewCandidateAction({ lineId, decision: "CONFIRMED", reason: "looks right" })),
    ).toMatchObject({
      ok: false,
      status: 404,
    });
    const notCandidate = (await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "97140" } })).id;
    expect(
      await runAsUser(t.users.OWNER, () => reviewCandidateAction({ lineId: notCandidate, decision: "CONFIRMED", reason: "looks right" })),
    ).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await db().undercodingReview.count({ where: { practiceId: t.practiceId } })).toBe(0);
    // and another practice's candidate list is empty
    expect(
      (
        await asPractice(other.practiceId, () =>
          candidateLines(analyticsScope(other.practiceId), { from: "2026-01-01", to: "2026-12-31", status: "all" }),
        )
      ).rows,
    ).toEqual([]);
  });

  it("confirms, and a second decision replaces the first (audited with what it replaced)", async () => {
    expect(
      (await runAsUser(t.users.OWNER, () => reviewCandidateAction({ lineId, decision: "CONFIRMED", reason: "functional task" }))).ok,
    ).toBe(true);
    expect(
      (await runAsUser(t.users.OWNER, () => reviewCandidateAction({ lineId, decision: "DISMISSED", reason: "on second look, exercise" })))
        .ok,
    ).toBe(true);
    expect(await db().undercodingReview.findUniqueOrThrow({ where: { serviceLineId: lineId } })).toMatchObject({ decision: "DISMISSED" });
    const last = await db().auditEvent.findFirstOrThrow({
      where: { practiceId: t.practiceId, action: "undercoding.dismiss" },
      orderBy: { id: "desc" },
    });
    expect(last.details).toMatchObject({ replaced: { decision: "CONFIRMED", reason: "functional task" } });
  });
});
