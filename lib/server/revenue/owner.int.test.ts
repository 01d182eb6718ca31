// The owner's headline, receivables by age and the review's opening week, on the example
// practice imported through the real importers, against figures worked out from its files
// alone (e2e/example-practice-expected.ts: the 835 segments, expected-*.csv).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerExpected } from "@/e2e/example-practice-expected";
import { db, disconnectDb } from "../core/db";
import { db as ownerDb } from "../testing";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, type TestPractice } from "../testing";
import { setUnderpaymentStatus } from "../underpayments/worklist";
import { drillDown } from "./lines";
import { AGING_BUCKETS, moneyLeftOnTable, therapistRevenue } from "./owner";
import { FINAL_CLAIM_STATUSES } from "../derived/rollup";
import { revenueReview } from "./review";
import { analyticsScope } from "./scope";

const dir = path.resolve("e2e/fixtures/example-practice");
const read = (f: string) => fs.readFileSync(path.join(dir, f));
// a fixed "now": Friday 2026-12-04, noon in New York
const NOW = new Date("2026-12-04T17:00:00Z");
const TODAY = "2026-12-04";

describe("the owner's review of the example practice", () => {
  let t: TestPractice;
  const e = ownerExpected();
  beforeAll(async () => {
    t = await createTestPractice("owner-review");
    // the practice's own code runs in its scope, as the guard would run it
    await asPractice(t, async () => {
      for (const [kind, file] of [
        ["visits", "visits.csv"],
        ["usage", "usage.csv"],
        ["contracts", "contracts.csv"],
      ] as const) {
        const r = await importCsv({ kind, practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) });
        expect(r.status, JSON.stringify(r.errors)).toBe("imported");
      }
      for (const file of ["remit-united.835", "remit-medicare.835"]) {
        const r = await import835({ practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) });
        expect(r.status, JSON.stringify(r.errors)).toBe("imported");
      }
      // the review brings the weekly rollup up to date
      await revenueReview(t.practiceId, "America/New_York", "2026-09-07");
    });
  });
  afterAll(() => disconnectDb());

  it("adds up the money left on the table year to date and over 13 weeks as the files do", () =>
    asPractice(t, async () => {
      const left = await moneyLeftOnTable(t.practiceId, "America/New_York", NOW);
      expect(left.today).toBe(TODAY);
      const [ytd, w13] = left.periods;
      // year to date: 2026-01-01 … today; 13 weeks: Monday 2026-09-07 (12 weeks before Monday 2026-11-30) … Sunday 2026-12-06
      expect([ytd.from, ytd.to, w13.from, w13.to]).toEqual(["2026-01-01", TODAY, "2026-09-07", "2026-12-06"]);
      for (const p of [ytd, w13]) {
        expect(p.underpaid).toEqual(e.underpaid(p.from, p.to));
        expect(p.undercoding.cents).toBe(e.undercodingCents(p.from, p.to));
        expect(p.kxDenied).toEqual(e.kxDenied(p.from, p.to));
        expect(p.recovered).toEqual({ cents: 0, lines: 0 });
      }
      // every underpaid line is in the United file: 27 lines, $120.16 (expected-underpayments-united.csv)
      expect(ytd.underpaid).toEqual({ cents: e.underpaidUnitedCents, lines: 27 });
      expect(ytd.underpaid.cents).toBe(12_016);
      // 16 lines denied CO-119 in the Medicare file, one of them (2026-09-…) in the 13 weeks
      expect(ytd.kxDenied.lines).toBe(16);
      expect(w13.kxDenied.lines).toBe(1);
      expect(left.arOver90).toEqual(e.arOver90(TODAY));
      expect(left.over90ServedBy).toBe("2026-09-04"); // 2026-12-04 − 91 days
    }));

  it("adds up periods that start and end inside a week: whole weeks from the sums, the days at the edges from the lines", () =>
    asPractice(t, async () => {
      // Wednesday 2026-06-03, noon in New York: the year runs Thursday 1 January … Wednesday 3 June,
      // so its first days (1–4 January) and last days (Monday 1 … Wednesday 3 June) are not whole weeks
      const left = await moneyLeftOnTable(t.practiceId, "America/New_York", new Date("2026-06-03T16:00:00Z"));
      const [ytd, w13] = left.periods;
      // 13 weeks: Monday 2026-03-09 (12 weeks before Monday 2026-06-01) … Sunday 2026-06-07
      expect([ytd.from, ytd.to, w13.from, w13.to]).toEqual(["2026-01-01", "2026-06-03", "2026-03-09", "2026-06-07"]);
      // the last days hold an undercoding candidate ($16.00) and a missing-KX denial: a sum by
      // whole weeks alone would miss them, a sum to the end of the week would count too much
      expect(e.undercodingCents("2026-06-01", "2026-06-03")).toBe(1_600);
      expect(e.kxDenied("2026-06-01", "2026-06-03").lines).toBe(1);
      for (const p of [ytd, w13]) {
        expect(p.underpaid).toEqual(e.underpaid(p.from, p.to));
        expect(p.undercoding.cents).toBe(e.undercodingCents(p.from, p.to));
        expect(p.kxDenied).toEqual(e.kxDenied(p.from, p.to));
      }
    }));

  it("ages the open receivables by payer in four buckets that add up to everything open today", () =>
    asPractice(t, async () => {
      const left = await moneyLeftOnTable(t.practiceId, "America/New_York", NOW);
      // worked from the files: lines with an expected amount whose claim no 835 settles, by age
      const open = e.openLines(TODAY);
      const bucket = (age: number) => (age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : 3);
      const expected = [0, 0, 0, 0];
      for (const l of open) expected[bucket(l.age)]! += l.cents;
      expect(left.agingTotals).toEqual(expected);
      expect(left.agingTotals[3]).toBe(left.arOver90.cents);
      for (const row of left.aging) expect(row.buckets.reduce((a, b) => a + b, 0)).toBe(row.totalCents);
      // the drill-down of "over 90 days" lists exactly those lines
      const d = await drillDown(analyticsScope(t.practiceId), { metric: "open_ar", week: "2026-11-30", asOf: TODAY, minAgeDays: 90 });
      expect({ cents: d.totals.expectedCents, lines: d.totals.lines }).toEqual(e.arOver90(TODAY));
      expect(d.rows.every((r) => r.dateOfService <= "2026-09-04")).toBe(true);
    }));

  it("ages receivables from the rollup as the lines themselves say on any day, also after a payment's date moves", async () => {
    // from the lines, written here: a line with an expected amount served by `day` is open unless
    // its claim's latest remit dated by then (payment date, else the import day in the practice's
    // time zone; then the later remit) has a final status (CLP02 1, 2, 3, 4, 19, 20, 21, 23)
    const fromLines = async (day: string) => {
      const lines = await ownerDb().$queryRaw<{ payerId: number; dos: string; claimId: number | null; cents: number }[]>`
        select v."payerId", to_char(v."dateOfService", 'YYYY-MM-DD') as dos, v."claimId", s."expectedAllowedCents"::int as cents
        from "Visit" v join "ServiceLine" s on s."visitId" = v.id
        where v."practiceId" = ${t.practiceId} and s."expectedAllowedCents" is not null`;
      const remits = await ownerDb().$queryRaw<{ claimId: number; id: number; status: string; onDate: string }[]>`
        select rc."claimId", rc.id, rc."statusCode" as status,
               to_char(coalesce(p."paymentDate", ((p."createdAt" at time zone 'UTC') at time zone pr."timeZone")::date), 'YYYY-MM-DD') as "onDate"
        from "RemitClaim" rc join "RemitPayment" p on p.id = rc."paymentId" join "Practice" pr on pr.id = rc."practiceId"
        where rc."practiceId" = ${t.practiceId} and rc."claimId" is not null`;
      const latest = new Map<number, { id: number; status: string; onDate: string }>();
      for (const r of remits) {
        if (r.onDate > day) continue;
        const had = latest.get(r.claimId);
        if (!had || r.onDate > had.onDate || (r.onDate === had.onDate && r.id > had.id)) latest.set(r.claimId, r);
      }
      const settled = (claimId: number | null) =>
        claimId !== null && (FINAL_CLAIM_STATUSES as readonly string[]).includes(latest.get(claimId)?.status ?? "");
      const ageDays = (dos: string) => (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${dos}T00:00:00Z`)) / 86_400_000;
      const byPayer: Record<number, { cents: number[]; lines: number[] }> = {};
      for (const l of lines) {
        if (l.dos > day || settled(l.claimId)) continue;
        const age = ageDays(l.dos);
        const b = age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : 3;
        byPayer[l.payerId] ??= { cents: [0, 0, 0, 0], lines: [0, 0, 0, 0] };
        byPayer[l.payerId]!.cents[b]! += l.cents;
        byPayer[l.payerId]!.lines[b]! += 1;
      }
      return byPayer;
    };
    const fromRollup = async (day: string) => {
      // noon in New York on that day
      const left = await asPractice(t, () => moneyLeftOnTable(t.practiceId, "America/New_York", new Date(`${day}T17:00:00Z`)));
      expect(left.today).toBe(day);
      return Object.fromEntries(left.aging.map((r) => [r.payerId, { cents: [...r.buckets], lines: [...r.lines] }]));
    };
    expect(AGING_BUCKETS).toHaveLength(4);
    // before the first remit, between the two files' payments, and today
    for (const day of ["2026-03-15", "2026-08-01", "2026-09-20", TODAY])
      expect([day, await fromRollup(day)]).toEqual([day, await fromLines(day)]);
    // a payment's date moved after today (a corrected BPR16): its claims are open again today
    const before = await fromRollup(TODAY);
    const [payment] = await ownerDb().$queryRaw<{ id: number }[]>`
      select p.id from "RemitPayment" p where p."practiceId" = ${t.practiceId} and exists
        (select 1 from "RemitClaim" rc where rc."paymentId" = p.id and rc."claimId" is not null and rc."statusCode" = '1')
      order by p.id limit 1`;
    const [{ was }] = await ownerDb().$queryRaw<
      { was: Date | null }[]
    >`select "paymentDate" as was from "RemitPayment" where id = ${payment!.id}`;
    await ownerDb().$executeRaw`update "RemitPayment" set "paymentDate" = '2026-12-20'::date where id = ${payment!.id}`;
    try {
      const after = await fromRollup(TODAY);
      expect(after).toEqual(await fromLines(TODAY));
      expect(after).not.toEqual(before);
    } finally {
      await ownerDb().$executeRaw`update "RemitPayment" set "paymentDate" = ${was} where id = ${payment!.id}`;
    }
    expect(await fromRollup(TODAY)).toEqual(before);
  });

  it("lists the open lines of a drill-down, page by page, as the lines themselves say, also after a payment's date moves", async () => {
    // from the rows, written here: a line with an expected amount served by `servedBy` is open at
    // the end of `day` unless its claim's latest remit dated by then (payment date, else the
    // import day in the practice's time zone; then the later remit) has a final status; newest
    // first, then by visit and line order, as the drill-down lists them
    const openFromRows = async (day: string, servedBy: string) => {
      const lines = await ownerDb().$queryRaw<
        { id: number; dos: string; visit: string; order: number; claimId: number | null; cents: number }[]
      >`
        select s.id, to_char(v."dateOfService", 'YYYY-MM-DD') as dos, v."externalId" as visit, s."lineOrder" as order,
               v."claimId", s."expectedAllowedCents"::int as cents
        from "Visit" v join "ServiceLine" s on s."visitId" = v.id
        where v."practiceId" = ${t.practiceId} and s."expectedAllowedCents" is not null`;
      const remits = await ownerDb().$queryRaw<{ claimId: number; id: number; status: string; onDate: string }[]>`
        select rc."claimId", rc.id, rc."statusCode" as status,
               to_char(coalesce(p."paymentDate", ((p."createdAt" at time zone 'UTC') at time zone pr."timeZone")::date), 'YYYY-MM-DD') as "onDate"
        from "RemitClaim" rc join "RemitPayment" p on p.id = rc."paymentId" join "Practice" pr on pr.id = rc."practiceId"
        where rc."practiceId" = ${t.practiceId} and rc."claimId" is not null`;
      const latest = new Map<number, { id: number; status: string; onDate: string }>();
      for (const r of remits) {
        if (r.onDate > day) continue;
        const had = latest.get(r.claimId);
        if (!had || r.onDate > had.onDate || (r.onDate === had.onDate && r.id > had.id)) latest.set(r.claimId, r);
      }
      const settled = (claimId: number | null) =>
        claimId !== null && (FINAL_CLAIM_STATUSES as readonly string[]).includes(latest.get(claimId)?.status ?? "");
      return lines
        .filter((l) => l.dos <= servedBy && !settled(l.claimId))
        .sort((a, b) =>
          a.dos !== b.dos ? (a.dos < b.dos ? 1 : -1) : a.visit !== b.visit ? (a.visit < b.visit ? -1 : 1) : a.order - b.order,
        );
    };
    /** Every page of the drill-down, read until it says there is no more. */
    const allPages = async (filter: { week: string; asOf?: string; minAgeDays?: number }) => {
      const ids: number[] = [];
      let totals = { lines: 0, cents: 0 };
      for (let page = 1; ; page++) {
        const d = await asPractice(t, () => drillDown(analyticsScope(t.practiceId), { metric: "open_ar", ...filter, page }));
        ids.push(...d.rows.map((r) => r.lineId));
        totals = { lines: d.totals.lines, cents: d.totals.expectedCents };
        if (!d.hasMore) return { ids, totals, pages: page };
      }
    };
    const expectListed = async (filter: { week: string; asOf?: string; minAgeDays?: number }, day: string, servedBy: string) => {
      const open = await openFromRows(day, servedBy);
      const listed = await allPages(filter);
      expect(listed.ids).toEqual(open.map((l) => l.id));
      expect(listed.totals).toEqual({ lines: open.length, cents: open.reduce((sum, l) => sum + l.cents, 0) });
      return listed;
    };
    // over 90 days today: served by 2026-12-04 − 91 days = 2026-09-04
    const over90 = await expectListed({ week: "2026-11-30", asOf: TODAY, minAgeDays: 90 }, TODAY, "2026-09-04");
    expect(over90.ids.length).toBeGreaterThan(0);
    // everything open today, more than one page of 50
    const all = await expectListed({ week: "2026-11-30", asOf: TODAY }, TODAY, TODAY);
    expect(all.pages).toBeGreaterThan(1);
    // at the end of a past week (Sunday 2026-08-09), before the Medicare file's payments
    await expectListed({ week: "2026-08-03" }, "2026-08-09", "2026-08-09");
    // a payment's date moved after today (a corrected BPR16): its claims' lines are open again today
    const [payment] = await ownerDb().$queryRaw<{ id: number }[]>`
      select p.id from "RemitPayment" p where p."practiceId" = ${t.practiceId} and exists
        (select 1 from "RemitClaim" rc where rc."paymentId" = p.id and rc."claimId" is not null and rc."statusCode" = '1')
      order by p.id limit 1`;
    const [{ was }] = await ownerDb().$queryRaw<
      { was: Date | null }[]
    >`select "paymentDate" as was from "RemitPayment" where id = ${payment!.id}`;
    await ownerDb().$executeRaw`update "RemitPayment" set "paymentDate" = '2026-12-20'::date where id = ${payment!.id}`;
    try {
      const after = await expectListed({ week: "2026-11-30", asOf: TODAY }, TODAY, TODAY);
      expect(after.ids.length).toBeGreaterThan(all.ids.length);
    } finally {
      await ownerDb().$executeRaw`update "RemitPayment" set "paymentDate" = ${was} where id = ${payment!.id}`;
    }
  });

  it("counts a line marked recovered as recovered, and still as underpaid", () =>
    asPractice(t, async () => {
      // the largest variance of expected-underpayments-united.csv
      const [line] = await db().$queryRaw<{ id: number; variance: number }[]>`
      select id, "varianceCents" as variance from "RemitLine"
      where "practiceId" = ${t.practiceId} and "varianceCents" > 0 and "denialCause" is null
      order by "varianceCents" desc, id limit 1`;
      expect(line!.variance).toBe(e.largestUnitedVarianceCents);
      await setUnderpaymentStatus(
        { practiceId: t.practiceId, userId: t.users.MANAGER },
        { remitLineId: line!.id, status: "RECOVERED", from: "OPEN", note: "paid on appeal" },
      );
      const [ytd] = (await moneyLeftOnTable(t.practiceId, "America/New_York", NOW)).periods;
      expect(ytd.recovered).toEqual({ cents: e.largestUnitedVarianceCents, lines: 1 });
      expect(ytd.underpaid.cents).toBe(e.underpaidUnitedCents);
    }));

  it("opens on the latest week with remits and names the newer weeks awaiting them", () =>
    asPractice(t, async () => {
      const review = await revenueReview(t.practiceId, "America/New_York");
      // the latest date of service an 835 answers is 2026-09-13: the week of Monday 2026-09-07
      expect(e.latestRemitService).toBe("2026-09-13");
      expect(review.week).toBe("2026-09-07");
      expect(review.awaitingRemits).toBe(false);
      const newer = [...new Set(e.visitDates.filter((d) => d > "2026-09-13").map(mondayOf))].sort();
      expect(review.newerPendingWeeks).toEqual(newer);
      // the trend: the 52 weeks ending with the review's week (2026-09-07 − 51 weeks = 2025-09-15),
      // read with the newer weeks in one statement
      expect(review.trend.map((w) => w.week)).toEqual(weeksFrom("2025-09-15", 52));
      // a week more than a year back, and one ahead of today: each its own 52 weeks
      for (const asked of ["2025-06-02", "2030-01-07"]) {
        const other = await revenueReview(t.practiceId, "America/New_York", asked);
        expect(other.trend.map((w) => w.week)).toEqual(weeksFrom(addDays(asked, -51 * 7), 52));
      }
      // (the year-back review names the weeks awaiting remits of the last 52 weeks: the newer ones
      // above, and earlier weeks whose lines no remit answers yet)
      const yearBack = await revenueReview(t.practiceId, "America/New_York", "2025-06-02");
      expect(yearBack.newerPendingWeeks.filter((w) => w > "2026-09-07")).toEqual(newer);
      // a week awaiting remits: its remit figures are unknown, not 0
      const pending = await revenueReview(t.practiceId, "America/New_York", newer[0]);
      expect(pending.awaitingRemits).toBe(true);
      const kpi = Object.fromEntries(pending.kpis.map((k) => [k.key, k]));
      for (const key of ["paid", "patient_resp", "denial_rate", "net_collection_rate", "underpayment"]) {
        expect([key, kpi[key]!.value, kpi[key]!.awaitingRemits]).toEqual([key, null, true]);
      }
      expect(kpi.expected!.value).toBeGreaterThan(0);
      expect(pending.trend.at(-1)!.awaitingRemits).toBe(true);
      expect(pending.latestWeekWithRemits).toBe("2026-09-07");
    }));

  it("gives each therapist's revenue and 97530 share over 13 weeks", () =>
    asPractice(t, async () => {
      const rows = await therapistRevenue(t.practiceId, "2026-06-15", "2026-09-07");
      expect(rows.length).toBeGreaterThan(0);
      // from visits.csv: expected allowed by therapist over the same dates (expected-visits-export.csv)
      const byTherapist = e.expectedByTherapist("2026-06-15", "2026-09-13");
      expect(Object.fromEntries(rows.map((r) => [r.name, r.expectedCents]))).toEqual(byTherapist.expected);
      expect(Object.fromEntries(rows.map((r) => [r.name, [r.units97530, r.units97110]]))).toEqual(byTherapist.units);
    }));
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `count` Mondays from `first`, a week apart. */
function weeksFrom(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i * 7));
}

function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}
