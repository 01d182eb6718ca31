// A week's RevenueWeek refresh writes only the rows whose figures change: a review touches its own
// payer and therapist's row and leaves the week's others as they were; a payer and therapist the
// week no longer has loses its row. A row rewritten gets a new physical place (ctid), one left
// alone keeps it.
//
// The practice's visits, all in the week of Monday 9 March 2026:
//   V1 2026-03-10 Medicare, Dana Fox: 97110 × 2 $120.00 (functional note: a "could be 97530" candidate)
//   V2 2026-03-11 Medicare, Eli Park: 97112 × 1 $50.00
//   V3 2026-03-12 Aetna,    Dana Fox: 97140 × 1 $60.00
//   → three rows: (Medicare, Dana Fox), (Medicare, Eli Park), (Aetna, Dana Fox)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewCandidateAction } from "@/app/(app)/undercoding/actions";
import { afterCommitSettled } from "../core/after-commit";
import { runAsUser } from "../core/context";
import { dateFromIso } from "../core/dates";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice, FUNCTIONAL_NOTE, VISITS_CSV_HEADER } from "../testing";
import { refreshRevenueRollup } from "./rollup";

const VISITS = [
  VISITS_CSV_HEADER,
  `P1,Ann,Lee,1950-02-02,Medicare,medicare,M1,V1,C1,2026-03-10,1234567890,Dana Fox,PT,11,97110,GP,30,2,120.00,"${FUNCTIONAL_NOTE}"`,
  "P2,Bob,Ray,1949-04-04,Medicare,medicare,M2,V2,C2,2026-03-11,1234567893,Eli Park,PT,11,97112,GP,15,1,50.00,",
  "P3,Cy,Moss,1970-06-06,Aetna,commercial,A3,V3,C3,2026-03-12,1234567890,Dana Fox,PT,11,97140,GP,15,1,60.00,",
].join("\n");
const MARCH_9 = dateFromIso("2026-03-09");

interface WeekRow {
  key: string;
  ctid: string;
  visits: number;
  lines: number;
  units: number;
  chargeCents: number;
  undercodingLines: number;
}

describe("a week's RevenueWeek refresh writes only what changed", () => {
  let t: TestPractice;

  /** The week's rows by payer and therapist, with where each one is. */
  const week = async (): Promise<Map<string, WeekRow>> => {
    await afterCommitSettled();
    const rows = await db().$queryRaw<WeekRow[]>`
      select p.name || ' / ' || th.name as key, rw.ctid::text as ctid, rw.visits, rw.lines, rw.units,
             rw."chargeCents"::int as "chargeCents", rw."undercodingLines"
      from "RevenueWeek" rw
      join "Payer" p on p.id = rw."payerId"
      join "Therapist" th on th.id = rw."therapistId"
      where rw."practiceId" = ${t.practiceId} and rw."weekStart" = ${MARCH_9}::date`;
    return new Map(rows.map((r) => [r.key, r]));
  };
  const figures = (rows: Map<string, WeekRow>) =>
    Object.fromEntries(
      [...rows.values()]
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((r) => [r.key, [r.visits, r.lines, r.units, r.chargeCents, r.undercodingLines]]),
    );

  beforeAll(async () => {
    t = await createTestPractice("rollup-changed-rows");
    await importVisitsCsv(t, VISITS);
  });
  afterAll(() => disconnectDb());

  it("a review rewrites its own row of the week and no other", async () => {
    const before = await week();
    // [visits, lines, units, charge in cents, undercoding candidate lines]
    expect(figures(before)).toEqual({
      "Aetna / Dana Fox": [1, 1, 1, 6000, 0],
      "Medicare / Dana Fox": [1, 1, 2, 12000, 1],
      "Medicare / Eli Park": [1, 1, 1, 5000, 0],
    });
    const line = await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "97110" } });
    const dismissed = await runAsUser(t.users.MANAGER, () =>
      reviewCandidateAction({ lineId: line.id, decision: "DISMISSED", reason: "home program review only" }),
    );
    expect(dismissed.ok, JSON.stringify(dismissed)).toBe(true);
    const after = await week();
    // the dismissed candidate leaves Medicare / Dana Fox: 1 − 1 = 0 candidate lines
    expect(figures(after)).toEqual({
      "Aetna / Dana Fox": [1, 1, 1, 6000, 0],
      "Medicare / Dana Fox": [1, 1, 2, 12000, 0],
      "Medicare / Eli Park": [1, 1, 1, 5000, 0],
    });
    expect(after.get("Medicare / Dana Fox")!.ctid).not.toBe(before.get("Medicare / Dana Fox")!.ctid);
    expect(after.get("Aetna / Dana Fox")!.ctid).toBe(before.get("Aetna / Dana Fox")!.ctid);
    expect(after.get("Medicare / Eli Park")!.ctid).toBe(before.get("Medicare / Eli Park")!.ctid);
  });

  it("a visit moved to another therapist takes its row with it when the week has no other", async () => {
    const before = await week();
    const dana = await db().therapist.findFirstOrThrow({ where: { practiceId: t.practiceId, name: "Dana Fox" } });
    await db().visit.updateMany({ where: { practiceId: t.practiceId, externalId: "V2" }, data: { therapistId: dana.id } });
    expect(await asPractice(t, () => refreshRevenueRollup(t.practiceId))).toBe(1);
    const after = await week();
    // Medicare / Dana Fox: V1 and V2, 97110 × 2 + 97112 × 1 = 3 units, $120.00 + $50.00 = 17000
    // cents; Eli Park has no visit left in the week, so no row
    expect(figures(after)).toEqual({
      "Aetna / Dana Fox": [1, 1, 1, 6000, 0],
      "Medicare / Dana Fox": [2, 2, 3, 17000, 0],
    });
    expect(after.get("Aetna / Dana Fox")!.ctid).toBe(before.get("Aetna / Dana Fox")!.ctid);
  });
});
