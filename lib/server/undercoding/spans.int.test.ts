// The undercoding list counts itself and finds its page from the weekly rollup and the reviews
// (revenue/undercoding-spans.ts), reading the lines of the page's dates only. Worked example: one visit a day from
// Sun Mar 1 to Wed Mar 25, 2026; each visit bills 97530 with an exercise note (a "reads as
// exercise" candidate), and on even days also 97110 with a functional note (a "could be 97530"
// candidate) as its second line. Odd days are Q Therapist's, even days R Therapist's; days up to
// the 15th are Aetna's, later days Medicare's.
//
// The period Wed Mar 4 – Tue Mar 24 is cut into the days Mar 4–8 (before its first Monday), the
// whole weeks of Mar 9 and Mar 16, and Mar 23–24 (after its last Sunday). It holds 21 days, so
//   21 exercise candidates + 11 could-be candidates (Mar 4, 6, …, 24) = 32 candidates.
// Reviews: the exercise lines of Mar 5 (an edge day) and Mar 10 (a whole week) dismissed, the
// could-be lines of Mar 12 and Mar 24 (an edge day) confirmed, and the could-be line of Mar 2
// (outside the period) dismissed:
//   dismissed 2, confirmed 2, not reviewed 32 − 2 − 2 = 28.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARD_PAGE_SIZE } from "@/lib/ui/paging";
import { disconnectDb } from "../core/db";
import { drillDown } from "../revenue/lines";
import { analyticsScope } from "../revenue/scope";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";
import { candidateLines } from "./queries";
import { reviewCandidate } from "./review";
import { pageWindow } from "../revenue/undercoding-spans";
import { splitPeriod } from "../revenue/weeks";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const EXERCISE = "Grip strengthening with red putty 4 min; wrist curls 4 lb 3x15.";
const FUNCTIONAL = "Practiced car transfers and carrying groceries from the car to the kitchen counter.";
const date = (d: number) => `2026-03-${String(d).padStart(2, "0")}`;
const ROWS = Array.from({ length: 25 }, (_, k) => k + 1).flatMap((d) => {
  const therapist = d % 2 === 1 ? "4000000001,Q Therapist" : "4000000002,R Therapist";
  const payer = d <= 15 ? "Aetna,commercial,A1" : "Medicare,medicare,M1";
  const visit = `SP-V${String(d).padStart(2, "0")}`;
  const head = `SP-1,Ann,Spans,1950-01-01,${payer},${visit},,${date(d)},${therapist},PT,11`;
  return [`${head},97530,GP,15,1,60.00,${EXERCISE}`, ...(d % 2 === 0 ? [`${head},97110,GP,30,2,120.00,"${FUNCTIONAL}"`] : [])];
});
const FROM = "2026-03-04";
const TO = "2026-03-24";

describe("undercoding candidates counted and paged from the weekly rollup", () => {
  let t: TestPractice;
  const lineOn = async (d: number, cpt: string) =>
    (
      await db().serviceLine.findFirstOrThrow({
        where: { practiceId: t.practiceId, cpt, visit: { externalId: `SP-V${String(d).padStart(2, "0")}` } },
      })
    ).id;

  beforeAll(async () => {
    t = await createTestPractice("undercoding-spans");
    await importVisitsCsv(t, [HEADER, ...ROWS].join("\n"));
    const actor = { practiceId: t.practiceId, userId: t.users.MANAGER };
    const review = async (d: number, cpt: string, decision: "CONFIRMED" | "DISMISSED") => {
      const lineId = await lineOn(d, cpt);
      await asPractice(t, () => reviewCandidate(actor, { lineId, decision, reason: "checked the note" }));
    };
    await review(5, "97530", "DISMISSED");
    await review(10, "97530", "DISMISSED");
    await review(12, "97110", "CONFIRMED");
    await review(24, "97110", "CONFIRMED");
    await review(2, "97110", "DISMISSED");
  });
  afterAll(() => disconnectDb());

  const list = (filter: Partial<Parameters<typeof candidateLines>[1]>, page: number | "all") =>
    asPractice(t, () => candidateLines(analyticsScope(t.practiceId), { from: FROM, to: TO, ...filter, page }));

  it("counts every review status, direction, therapist and payer as the worked example says", async () => {
    const total = async (filter: Partial<Parameters<typeof candidateLines>[1]>) => (await list(filter, 1)).total;
    expect(await total({ status: "all" })).toBe(32);
    expect(await total({ status: "dismissed" })).toBe(2);
    expect(await total({ status: "confirmed" })).toBe(2);
    expect(await total({ status: "open" })).toBe(28);
    // could be 97530: the 11 even days; not reviewed: 11 − the 2 confirmed = 9
    expect(await total({ status: "all", direction: "could_be_97530" })).toBe(11);
    expect(await total({ status: "open", direction: "could_be_97530" })).toBe(9);
    // exercise: 21 days, 2 dismissed
    expect(await total({ status: "open", direction: "reads_as_exercise" })).toBe(19);
    // R Therapist (even days Mar 4 … 24: 11 days × 2 lines = 22); not reviewed: 22 − Mar 10 dismissed − Mar 12, 24 confirmed = 19
    const r = (await db().therapist.findFirstOrThrow({ where: { practiceId: t.practiceId, npi: "4000000002" } })).id;
    expect(await total({ status: "all", therapistId: r })).toBe(22);
    expect(await total({ status: "open", therapistId: r })).toBe(19);
    // Medicare (Mar 16 … 24: 9 exercise + 5 could-be on the 16th, 18th, 20th, 22nd, 24th = 14); not reviewed 14 − 1 = 13
    const medicare = (await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, kind: "medicare" } })).id;
    expect(await total({ status: "all", payerId: medicare })).toBe(14);
    expect(await total({ status: "open", payerId: medicare })).toBe(13);
  });

  it("pages newest first across edge days and whole weeks, the pages together the whole list once", async () => {
    expect(CARD_PAGE_SIZE).toBe(25);
    const first = await list({ status: "all" }, 1);
    const second = await list({ status: "all" }, 2);
    const third = await list({ status: "all" }, 3);
    expect(first).toMatchObject({ total: 32, pages: 2, hasMore: true });
    expect(first.rows).toHaveLength(25);
    // newest first: Mar 24's two lines (97530 is its first line), then Mar 23's
    expect(first.rows.slice(0, 3).map((c) => [c.dateOfService, c.cpt])).toEqual([
      [date(24), "97530"],
      [date(24), "97110"],
      [date(23), "97530"],
    ]);
    // lines newest first, day by day: 24 (2), 23 (1), 22 (2), … 9 (1) = 24 lines; the 25th is Mar 8's first
    expect(first.rows.at(-1)).toMatchObject({ dateOfService: date(8), cpt: "97530" });
    // page 2: Mar 8's second line, 7 (1), 6 (2), 5 (1), 4 (2) = 7 lines
    expect(second.rows.map((c) => [c.dateOfService, c.cpt])).toEqual([
      [date(8), "97110"],
      [date(7), "97530"],
      [date(6), "97530"],
      [date(6), "97110"],
      [date(5), "97530"],
      [date(4), "97530"],
      [date(4), "97110"],
    ]);
    expect(second).toMatchObject({ total: 32, pages: 2, hasMore: false });
    expect(third).toMatchObject({ total: 32, rows: [] });
    // the same list read line by line (the download reads every candidate of the period)
    const all = await list({ status: "all" }, "all");
    expect([...first.rows, ...second.rows].map((c) => c.lineId)).toEqual(all.rows.map((c) => c.lineId));
    // not reviewed: the 28 of them, the two pages again the whole list
    const open = [...(await list({ status: "open" }, 1)).rows, ...(await list({ status: "open" }, 2)).rows];
    expect(open.map((c) => c.lineId)).toEqual((await list({ status: "open" }, "all")).rows.map((c) => c.lineId));
    expect(open).toHaveLength(28);
    // the reviewed ones in their own lists
    expect((await list({ status: "confirmed" }, 1)).rows.map((c) => c.dateOfService)).toEqual([date(24), date(12)]);
    expect((await list({ status: "dismissed" }, 1)).rows.map((c) => c.dateOfService)).toEqual([date(10), date(5)]);
  });

  it("follows a review at once: the rollup is brought up to date before counting", async () => {
    const lineId = await lineOn(20, "97110");
    await asPractice(t, () =>
      reviewCandidate({ practiceId: t.practiceId, userId: t.users.MANAGER }, { lineId, decision: "DISMISSED", reason: "home program" }),
    );
    expect((await list({ status: "dismissed" }, 1)).total).toBe(3);
    expect((await list({ status: "open" }, 1)).total).toBe(27);
    await db().undercodingReview.delete({ where: { serviceLineId: lineId } });
    expect((await list({ status: "open" }, 1)).total).toBe(28);
  });

  it("drills the undercoding figure down to its lines oldest first, the count and gain from the rollup", async () => {
    const d = await asPractice(t, () =>
      drillDown(analyticsScope(t.practiceId), { metric: "undercoding", week: "2026-03-16", from: FROM, to: TO }),
    );
    // every candidate of the period, dismissed ones too: 32
    expect(d.totals.lines).toBe(32);
    expect(d.rows).toHaveLength(32);
    expect(d.hasMore).toBe(false);
    expect(d.rows.slice(0, 3).map((r) => [r.dateOfService, r.cpt])).toEqual([
      [date(4), "97530"],
      [date(4), "97110"],
      [date(5), "97530"],
    ]);
    // potential gain of the 11 could-be lines, none of them dismissed: their own stored gains added up
    const couldBe = await db().serviceLine.findMany({
      where: {
        practiceId: t.practiceId,
        undercodingDirection: "could_be_97530",
        visit: { dateOfService: { gte: new Date(FROM), lte: new Date(TO) } },
      },
      select: { undercodingGainCents: true },
    });
    expect(couldBe).toHaveLength(11);
    const gain = couldBe.reduce((s, l) => s + (l.undercodingGainCents ?? 0), 0);
    expect(gain).toBeGreaterThan(0);
    expect(d.totals.undercodingGainCents).toBe(gain);
  });
});

describe("a period cut into edge days and whole weeks, and the dates a page spans", () => {
  it("cuts Wed Mar 4 – Tue Mar 24 into Mar 4–8, the weeks of Mar 9 and 16, and Mar 23–24", () => {
    expect(splitPeriod(FROM, TO)).toEqual({
      edges: [
        ["2026-03-04", "2026-03-08"],
        ["2026-03-23", "2026-03-24"],
      ],
      weeks: ["2026-03-09", "2026-03-16"],
    });
    // Monday to Sunday: whole weeks only; within one week: the days alone
    expect(splitPeriod("2026-03-02", "2026-03-15")).toEqual({ edges: [], weeks: ["2026-03-02", "2026-03-09"] });
    expect(splitPeriod("2026-03-04", "2026-03-06")).toEqual({ edges: [["2026-03-04", "2026-03-06"]], weeks: null });
  });

  it("finds the spans of a page and the rows to skip in them", () => {
    // three spans of 10, 0 and 30 rows; rows 15 … 24 lie in the third span, after its first 5
    const spans = [
      { from: "2026-03-16", to: "2026-03-22", n: 10 },
      { from: "2026-03-15", to: "2026-03-15", n: 0 },
      { from: "2026-03-09", to: "2026-03-14", n: 30 },
    ];
    expect(pageWindow(spans, 15, 10)).toEqual({ from: "2026-03-09", to: "2026-03-14", skip: 5 });
    // rows 5 … 14: the first span's last 5 and the third's first 5
    expect(pageWindow(spans, 5, 10)).toEqual({ from: "2026-03-09", to: "2026-03-22", skip: 5 });
    // rows 35 … 44: only 5 left, in the third span
    expect(pageWindow(spans, 35, 10)).toEqual({ from: "2026-03-09", to: "2026-03-14", skip: 25 });
    // past the end
    expect(pageWindow(spans, 40, 10)).toBeNull();
  });
});
