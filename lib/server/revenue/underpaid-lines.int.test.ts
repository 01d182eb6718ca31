// The revenue drill-down "underpaid lines" over several weeks: read by the date of service and
// payer an underpaid line's remit row carries (copied from its visit by triggers), a page at a
// time in the drill's order (largest underpayment first, then date, visit, line). Built through
// the real visits and 835 imports; the expected allowed amounts are set by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../core/db";
import { import835 } from "../remits/import";
import {
  asPractice,
  createTestPractice,
  importVisitsCsv,
  type TestPractice,
  test835,
  type Test835Claim,
  VISITS_CSV_HEADER,
} from "../testing";
import { drillDown } from "./lines";
import { analyticsScope } from "./scope";

const CODES = ["97110", "97140", "97530"];
// 17 Medicare visits, V01 on Monday, March 2, 2026, then one a day to V17 on March 18, three lines
// each; Acme's visit VC1 on Saturday, March 21, one line
const MEDICARE_VISITS = Array.from({ length: 17 }, (_, i) => ({
  visit: `V${String(i + 1).padStart(2, "0")}`,
  dos: `2026-03-${String(2 + i).padStart(2, "0")}`,
}));
const ACME_DOS = "2026-03-21";

function visitsCsv(): string {
  const rows = MEDICARE_VISITS.flatMap(({ visit, dos }, i) =>
    CODES.map(
      (cpt) =>
        `P${i + 1},Pat${i + 1},Lane,1950-01-01,Medicare,medicare,1UPLN00${String(i + 1).padStart(2, "0")}A,${visit},${visit},${dos},1234567893,Pat Therapist,PT,11,${cpt},GP,15,1,100.00,`,
    ),
  );
  rows.push(
    `PC,Cora,Acme,1960-01-01,Acme Health,commercial,ACME01,VC1,VC1,${ACME_DOS},1234567893,Pat Therapist,PT,11,97110,GP,15,1,100.00,`,
  );
  return [VISITS_CSV_HEADER, ...rows].join("\n");
}

/** A line paid `paidCents` of its $100.00 charge, the rest written off (CO-45): its allowed is what was paid. */
const paidLine = (cpt: string, dos: string, paidCents: number) => ({
  cpt,
  modifier: "GP",
  dos,
  chargeCents: 10_000,
  paidCents,
  adjustments: [`CO*45*${((10_000 - paidCents) / 100).toFixed(2)}`],
});

let t: TestPractice;
const scope = () => analyticsScope(t.practiceId);
let medicare = 0;
let acme = 0;
/** The drill's page as "visit line-order underpayment" words, with its totals. */
const page = async (filter: { payerId?: number; page?: number; from?: string; to?: string }) => {
  const d = await drillDown(scope(), { metric: "underpayment", week: "2026-03-16", weeks: 13, ...filter });
  return {
    rows: d.rows.map((r) => `${r.visitExternalId} ${r.lineOrder} ${r.underpaymentCents}`),
    hasMore: d.hasMore,
    lines: d.totals.lines,
    underpaymentCents: d.totals.underpaymentCents,
  };
};
const visit = (externalId: string) => db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId } });

beforeAll(async () => {
  t = await createTestPractice("underpaid-lines");
  await importVisitsCsv(t, visitsCsv());
  await asPractice(t, async () => {
    // every line's expected allowed is $30.00
    await db().serviceLine.updateMany({ where: { practiceId: t.practiceId }, data: { expectedAllowedCents: 3000 } });
    // Medicare allows and pays $25.00 a line ($5.00 under), but $23.00 for V09's 97530 ($7.00 under)
    const claims: Test835Claim[] = MEDICARE_VISITS.map(({ visit, dos }, i) => ({
      claim: visit,
      first: `Pat${i + 1}`,
      last: "Lane",
      member: `1UPLN00${String(i + 1).padStart(2, "0")}A`,
      status: "1",
      lines: CODES.map((cpt) => paidLine(cpt, dos, visit === "V09" && cpt === "97530" ? 2300 : 2500)),
    }));
    for (const [payer, trace, file] of [
      ["MEDICARE", "UP-1", claims],
      [
        "ACME HEALTH",
        "UP-2",
        [{ claim: "VC1", first: "Cora", last: "Acme", member: "ACME01", status: "1", lines: [paidLine("97110", ACME_DOS, 2500)] }],
      ],
    ] as [string, string, Test835Claim[]][]) {
      const r = await import835({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: `${trace}.835`,
        content: Buffer.from(test835(payer, trace, file)),
      });
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    medicare = (await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, kind: "medicare" } })).id;
    acme = (await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, kind: "commercial" } })).id;
  });
}, 120_000);
afterAll(() => disconnectDb());

// Medicare's lines in the drill's order: V09's 97530 ($7.00) first; then the $5.00 lines by date,
// each visit's by line order: V01 0 1 2, V02 0 1 2, …, V09 0 1 (its line 2 came first), …, V17 0 1 2.
// 1 + 16 × 3 − 1 + 3 = 51 lines, 700 + 50 × 500 = $257.00 under.
const FIVES = MEDICARE_VISITS.flatMap(({ visit }) =>
  [0, 1, 2].filter((o) => !(visit === "V09" && o === 2)).map((o) => `${visit} ${o} 500`),
);
const MEDICARE_ORDER = ["V09 2 700", ...FIVES];

describe("underpaid lines over 13 weeks", () => {
  it("pages one payer's lines in order, the page's edge inside a visit", () =>
    asPractice(t, async () => {
      expect(MEDICARE_ORDER.length).toBe(51);
      // page 1 ends at V17's line 1: its line 2, which ties with it on amount, date and visit, is page 2's
      expect(await page({ payerId: medicare })).toEqual({
        rows: MEDICARE_ORDER.slice(0, 50),
        hasMore: true,
        lines: 51,
        underpaymentCents: 25_700,
      });
      expect((await page({ payerId: medicare })).rows.slice(-2)).toEqual(["V17 0 500", "V17 1 500"]);
      expect(await page({ payerId: medicare, page: 2 })).toEqual({
        rows: ["V17 2 500"],
        hasMore: false,
        lines: 51,
        underpaymentCents: 25_700,
      });
      // every payer: Acme's $5.00 line on March 21 comes last; 52 lines, $262.00
      expect(await page({ page: 2 })).toEqual({ rows: ["V17 2 500", "VC1 0 500"], hasMore: false, lines: 52, underpaymentCents: 26_200 });
      expect((await page({ payerId: acme })).rows).toEqual(["VC1 0 500"]);
    }));

  it("follows a visit to another payer and another date", () =>
    asPractice(t, async () => {
      const vc1 = await visit("VC1");
      const v17 = await visit("V17");
      try {
        // Acme's visit billed to Medicare instead: it is Medicare's underpaid line now
        await db().visit.update({ where: { id: vc1.id }, data: { payerId: medicare } });
        expect((await page({ payerId: medicare, page: 2 })).rows).toEqual(["V17 2 500", "VC1 0 500"]);
        expect((await page({ payerId: acme })).rows).toEqual([]);
        // V17 moved to April 1, past the 13 weeks (to March 22): 51 − 3 + 1 (VC1) = 49 lines, one page
        await db().visit.update({ where: { id: v17.id }, data: { dateOfService: new Date("2026-04-01T00:00:00Z") } });
        const moved = await page({ payerId: medicare });
        expect([moved.rows.length, moved.hasMore, moved.rows.at(-1)]).toEqual([49, false, "VC1 0 500"]);
      } finally {
        await db().visit.update({ where: { id: vc1.id }, data: { payerId: acme } });
        await db().visit.update({ where: { id: v17.id }, data: { dateOfService: v17.dateOfService } });
      }
      expect((await page({ payerId: medicare, page: 2 })).rows).toEqual(["V17 2 500"]);
    }));

  it("finds a line that becomes underpaid again on the date its visit moved to meanwhile", () =>
    asPractice(t, async () => {
      const v01 = await visit("V01");
      const line = await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, visitId: v01.id, lineOrder: 0 } });
      const inRange = async () => (await page({ from: "2026-03-19", to: "2026-03-20" })).rows;
      try {
        // expected $25.00 = allowed: no longer underpaid; meanwhile the visit moves to Friday, March 20
        await db().serviceLine.update({ where: { id: line.id }, data: { expectedAllowedCents: 2500 } });
        await db().visit.update({ where: { id: v01.id }, data: { dateOfService: new Date("2026-03-20T00:00:00Z") } });
        // March 20's lines: V01's other two, $5.00 each
        expect(await inRange()).toEqual(["V01 1 500", "V01 2 500"]);
        // expected $31.00: $6.00 under, listed on March 20 (not on March 2, where it was when last underpaid)
        await db().serviceLine.update({ where: { id: line.id }, data: { expectedAllowedCents: 3100 } });
        expect(await inRange()).toEqual(["V01 0 600", "V01 1 500", "V01 2 500"]);
        expect((await page({ payerId: medicare })).rows.slice(0, 2)).toEqual(["V09 2 700", "V01 0 600"]);
      } finally {
        await db().serviceLine.update({ where: { id: line.id }, data: { expectedAllowedCents: 3000 } });
        await db().visit.update({ where: { id: v01.id }, data: { dateOfService: v01.dateOfService } });
      }
    }));
});
