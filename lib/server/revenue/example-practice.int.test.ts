// The example practice with both of its 835 files imported through the real importers: the
// weekly rollup agrees, week by week, with sums taken straight from the source rows, and each
// week's drill-downs add up to its cards.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { isoDate } from "../core/dates";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, type TestPractice, db } from "../testing";
import { drillDown } from "./lines";
import { revenueReview } from "./review";
import { analyticsScope } from "./scope";

const dir = path.resolve("e2e/fixtures/example-practice");
const read = (f: string) => fs.readFileSync(path.join(dir, f));

describe("revenue rollup of the example practice with its remits", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("revenue-example");
    for (const [kind, file] of [
      ["visits", "visits.csv"],
      ["usage", "usage.csv"],
      ["contracts", "contracts.csv"],
    ] as const) {
      const r = await asPractice(t.practiceId, () =>
        importCsv({ kind, practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    for (const file of ["remit-united.835", "remit-medicare.835"]) {
      const r = await asPractice(t.practiceId, () =>
        import835({ practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
  });
  afterAll(() => disconnectDb());

  it("matches sums taken straight from visits, lines and remit lines, every week", async () => {
    const direct = await db().$queryRaw<{ week: Date; visits: bigint; charge: bigint; expected: bigint; paid: bigint; pr: bigint }[]>`
      select revenue_week_start(v."dateOfService") as week, count(distinct v.id) as visits, sum(s."chargeCents") as charge,
             coalesce(sum(s."expectedAllowedCents"), 0) as expected,
             coalesce(sum((select sum(rl."paidCents") from "RemitLine" rl where rl."serviceLineId" = s.id)), 0) as paid,
             coalesce(sum((select sum((a->>'a')::int) from "RemitLine" rl cross join json_array_elements(rl.adjustments) a
                           where rl."serviceLineId" = s.id and a->>'g' = 'PR')), 0) as pr
      from "Visit" v join "ServiceLine" s on s."visitId" = v.id
      where v."practiceId" = ${t.practiceId}
      group by 1 order by 1`;
    expect(direct.length).toBeGreaterThan(20);
    const totalPaid = direct.reduce((s, d) => s + Number(d.paid), 0);
    expect(totalPaid).toBeGreaterThan(0);
    const last = isoDate(direct[direct.length - 1]!.week);
    const review = await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", last));
    const byWeek = new Map(review.trend.map((p) => [p.week, p]));
    for (const d of direct) {
      const p = byWeek.get(isoDate(d.week));
      if (!p) continue; // older than 52 weeks
      expect([isoDate(d.week), p.chargeCents, p.expectedCents, p.paidCents]).toEqual([
        isoDate(d.week),
        Number(d.charge),
        Number(d.expected),
        Number(d.paid),
      ]);
    }
  });

  it("drills each card of a week with remits down to lines that add up to it", async () => {
    const weekWithRemits = await db().$queryRaw<{ week: Date }[]>`
      select revenue_week_start(v."dateOfService") as week
      from "RemitLine" rl join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId"
      where rl."practiceId" = ${t.practiceId} and rl."denialCause" is not null
      group by 1 order by count(*) desc limit 1`;
    const week = isoDate(weekWithRemits[0]!.week);
    const review = await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", week));
    const kpi = Object.fromEntries(review.kpis.map((k) => [k.key, k.value]));
    expect(kpi.denial_rate).toBeGreaterThan(0);
    const scope = analyticsScope(t.practiceId);
    const all = async (metric: Parameters<typeof drillDown>[1]["metric"]) => {
      const rows = [];
      for (let page = 1; ; page++) {
        const d = await asPractice(t, () => drillDown(scope, { metric, week, page }));
        rows.push(...d.rows);
        if (!d.hasMore) return { rows, totals: d.totals };
      }
    };
    const paid = await all("paid");
    expect(paid.rows.reduce((s, r) => s + r.paidCents, 0)).toBe(kpi.paid);
    expect(paid.rows.reduce((s, r) => s + r.patientRespCents, 0)).toBe(kpi.patient_resp);
    const under = await all("underpayment");
    expect(under.rows.reduce((s, r) => s + r.underpaymentCents, 0)).toBe(kpi.underpayment);
    const denials = await all("denial_rate");
    expect(denials.rows.filter((r) => r.denied).length / denials.rows.length).toBeCloseTo(kpi.denial_rate!, 12);
    const ar = await all("open_ar");
    expect(ar.rows.reduce((s, r) => s + (r.expectedCents ?? 0), 0)).toBe(kpi.open_ar);
    const uc = await all("undercoding");
    expect(uc.rows.filter((r) => r.undercodingDirection === "could_be_97530").reduce((s, r) => s + (r.undercodingGainCents ?? 0), 0)).toBe(
      kpi.undercoding,
    );
  });
});
