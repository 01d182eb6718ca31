// Every KPI of the weekly review (docs/metrics.md) on a small practice computed by hand:
// visits imported from CSV, remits written row by row (an original payment, a reversal and its
// correction, a denial, a payment whose date comes from the import day in the practice's time
// zone). Then the figures must follow changes to visits, remits and reviews.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewCandidateAction, undoReviewAction } from "@/app/(app)/undercoding/actions";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { dateFromIso } from "../core/dates";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, type TestPractice, db, withRemit } from "../testing";
import { revenueCsv } from "./csv";
import { drillDown } from "./lines";
import { byPayer, openReceivables, weeklyFigures } from "./metrics";
import { revenueReview } from "./review";
import { refreshRevenueRollup } from "../derived/rollup";
import { analyticsScope } from "./scope";

const W1 = "2026-03-02"; // Monday
const W2 = "2026-03-09";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const row = (
  patient: string,
  payer: "Acme Health" | "Beta Care",
  visit: string,
  claim: string,
  dos: string,
  npi: string,
  cpt: string,
  minutes: number,
  units: number,
  charge: string,
  note = "",
) =>
  [
    patient,
    `F${patient}`,
    `L${patient}`,
    "1960-05-05",
    payer,
    "commercial",
    `M-${patient}`,
    visit,
    claim,
    dos,
    npi,
    `Therapist ${npi.slice(0, 1)}`,
    "PT",
    "11",
    cpt,
    "GP",
    minutes,
    units,
    charge,
    note ? `"${note}"` : "",
  ].join(",");

const T1 = "1111111111";
const T2 = "2222222222";
const FUNCTIONAL = "Practiced car transfers and carrying groceries from the car to the kitchen counter.";
const EXERCISE = "Strengthening: 3 sets of 10 reps of squats and bridges.";

const VISITS = [
  HEADER,
  // week 1 (Mar 2 – 8)
  row(
    "P1",
    "Acme Health",
    "V1",
    "C1",
    "2026-03-03",
    T1,
    "97110",
    30,
    2,
    "80.00",
    "Therapeutic exercise: 3 sets of 10 reps of hip abduction.",
  ),
  row("P1", "Acme Health", "V1", "C1", "2026-03-03", T1, "97140", 15, 1, "50.00"),
  row("P2", "Beta Care", "V2", "C2", "2026-03-05", T2, "97530", 23, 2, "90.00"),
  row("P3", "Acme Health", "V8", "C8", "2026-03-06", T2, "97140", 15, 1, "50.00"),
  // week 2 (Mar 9 – 15)
  row("P1", "Acme Health", "V3", "C3", "2026-03-09", T1, "97110", 38, 3, "120.00", FUNCTIONAL),
  row("P1", "Acme Health", "V3", "C3", "2026-03-09", T1, "97530", 15, 1, "60.00"),
  row("P3", "Acme Health", "V4", "C4", "2026-03-11", T2, "97530", 30, 2, "100.00", EXERCISE),
  row("P3", "Acme Health", "V4", "C4", "2026-03-11", T2, "97110", 8, 1, "40.00"),
  row("P2", "Beta Care", "V5", "C5", "2026-03-15", T1, "97110", 15, 1, "45.00"),
  row("P1", "Acme Health", "V6", "", "2026-03-14", T1, "97140", 15, 1, "50.00"),
  // week 3 (Monday Mar 16): outside week 2
  row("P1", "Acme Health", "V7", "C7", "2026-03-16", T1, "97110", 15, 1, "40.00"),
].join("\n");

const CONTRACTS = [
  "payer,effective_from,effective_to,unit_method,multiple_procedure_rule,cpt,modifier,rate_per_unit,percent_of_medicare,medicare_year,locality,max_units_per_visit,lesser_of_charge",
  "Acme Health,2026-01-01,,per_code,none,97110,,30.00,,,,,false",
  "Acme Health,2026-01-01,,per_code,none,97530,,40.00,,,,,false",
  "Acme Health,2026-01-01,,per_code,none,97140,,35.00,,,,,false",
].join("\n");

type Adj = [group: string, reason: string, cents: number];
interface RemitLineSpec {
  visit: string;
  line: number;
  charge: number;
  allowed: number;
  paid: number;
  adjustments: Adj[];
  denialCause?: string;
}

describe("weekly revenue KPIs on a hand-computed practice", () => {
  let t: TestPractice;
  const lineIds = new Map<string, number>();
  const claimIds = new Map<string, number>();
  let payerAcme = 0;

  async function payment(trace: string, paymentDate: string | null, createdAt?: Date) {
    return db().remitPayment.create({
      data: {
        practiceId: t.practiceId,
        source: "X12_835",
        payerName: "ACME HEALTH",
        payerKey: "acme",
        payerId: payerAcme,
        traceNumber: trace,
        paymentCents: 0,
        paymentDate: paymentDate ? dateFromIso(paymentDate) : null,
        ...(createdAt ? { createdAt } : {}),
      },
    });
  }

  async function remitClaim(paymentId: number, claim: string, status: string, lines: RemitLineSpec[]) {
    const rc = await db().remitClaim.create({
      data: {
        practiceId: t.practiceId,
        paymentId,
        claimId: claimIds.get(claim)!,
        patientControlNumber: claim,
        statusCode: status,
        chargeCents: lines.reduce((s, l) => s + l.charge, 0),
        paidCents: lines.reduce((s, l) => s + l.paid, 0),
        patientRespCents: lines.reduce((s, l) => s + l.adjustments.filter((a) => a[0] === "PR").reduce((x, a) => x + a[2], 0), 0),
        matchStatus: "MATCHED",
      },
    });
    for (const [i, l] of lines.entries()) {
      const serviceLineId = lineIds.get(`${l.visit}|${l.line}`)!;
      const sl = await db().serviceLine.findUniqueOrThrow({ where: { id: serviceLineId } });
      await db().remitLine.create({
        data: {
          practiceId: t.practiceId,
          remitClaimId: rc.id,
          serviceLineId,
          lineOrder: i,
          cpt: sl.cpt,
          modifiers: sl.modifiers,
          chargeCents: l.charge,
          paidCents: l.paid,
          allowedCents: l.allowed,
          units: sl.unitsBilled,
          remarkCodes: [],
          matchStatus: "MATCHED",
          denialCause: l.denialCause ?? null,
          adjustments: l.adjustments.map(([g, r, a]) => ({ g, r, a })),
          patientRespCents: l.adjustments.filter(([g]) => g === "PR").reduce((sum, [, , a]) => sum + a, 0),
        },
      });
    }
    return rc;
  }

  beforeAll(async () => {
    t = await createTestPractice("revenue-kpis");
    for (const [kind, content] of [
      ["visits", VISITS],
      ["contracts", CONTRACTS],
    ] as const) {
      const r = await asPractice(t.practiceId, () =>
        importCsv({
          kind,
          practiceId: t.practiceId,
          userId: t.users.ADMIN,
          fileName: `${kind}.csv`,
          content: Buffer.from(content),
        }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    const lines = await db().serviceLine.findMany({ where: { practiceId: t.practiceId }, include: { visit: true } });
    for (const l of lines) lineIds.set(`${l.visit.externalId}|${l.lineOrder}`, l.id);
    for (const c of await db().claim.findMany({ where: { practiceId: t.practiceId } })) claimIds.set(c.patientControlNumber, c.id);
    payerAcme = (await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "acme health" } })).id;

    // C1 (week 1): paid on Mar 6, then reversed and corrected on Mar 12
    const original = await payment("D-0306", "2026-03-06");
    await remitClaim(original.id, "C1", "1", [
      { visit: "V1", line: 0, charge: 8000, allowed: 6000, paid: 6000, adjustments: [["CO", "45", 2000]] },
      { visit: "V1", line: 1, charge: 5000, allowed: 3500, paid: 3500, adjustments: [["CO", "45", 1500]] },
    ]);
    const correction = await payment("C-0312", "2026-03-12");
    await remitClaim(correction.id, "C1", "22", [
      { visit: "V1", line: 0, charge: -8000, allowed: -6000, paid: -6000, adjustments: [["CO", "45", -2000]] },
      { visit: "V1", line: 1, charge: -5000, allowed: -3500, paid: -3500, adjustments: [["CO", "45", -1500]] },
    ]);
    await remitClaim(correction.id, "C1", "1", [
      {
        visit: "V1",
        line: 0,
        charge: 8000,
        allowed: 6000,
        paid: 5000,
        adjustments: [
          ["CO", "45", 2000],
          ["PR", "2", 1000],
        ],
      },
      { visit: "V1", line: 1, charge: 5000, allowed: 3500, paid: 3500, adjustments: [["CO", "45", 1500]] },
    ]);
    // C3 (week 2): the 97110 line allowed 85.00 against 90.00 expected (underpaid 5.00)
    const a = await payment("A-0313", "2026-03-13");
    await remitClaim(a.id, "C3", "1", [
      {
        visit: "V3",
        line: 0,
        charge: 12000,
        allowed: 8500,
        paid: 7500,
        adjustments: [
          ["CO", "45", 3500],
          ["PR", "2", 1000],
        ],
      },
      { visit: "V3", line: 1, charge: 6000, allowed: 4000, paid: 4000, adjustments: [["CO", "45", 2000]] },
    ]);
    // C4 (week 2): no payment date; imported Monday Mar 16 03:00 UTC = Sunday Mar 15 in New York
    const b = await payment("B-import", null, new Date("2026-03-16T03:00:00.000Z"));
    await remitClaim(b.id, "C4", "1", [
      { visit: "V4", line: 0, charge: 10000, allowed: 0, paid: 0, adjustments: [["CO", "50", 10000]], denialCause: "necessity" },
      { visit: "V4", line: 1, charge: 4000, allowed: 3200, paid: 3200, adjustments: [["CO", "45", 800]] },
    ]);
    // C5 (week 2, Beta Care, no contract so no expected amount): paid with a deductible
    const e = await payment("E-0313", "2026-03-13");
    await remitClaim(e.id, "C5", "1", [
      {
        visit: "V5",
        line: 0,
        charge: 4500,
        allowed: 4000,
        paid: 3500,
        adjustments: [
          ["CO", "45", 500],
          ["PR", "1", 500],
        ],
      },
    ]);
  });
  afterAll(() => disconnectDb());

  it("classifies the notes and prices the lines as the hand computation assumes", async () => {
    const l = await db().serviceLine.findUniqueOrThrow({ where: { id: lineIds.get("V3|0")! } });
    expect(l.expectedAllowedCents).toBe(9000);
    expect(l.undercodingDirection).toBe("could_be_97530");
    expect(l.undercodingGainCents).toBe(3000); // 3 units × (40.00 − 30.00)
    const ex = await db().serviceLine.findUniqueOrThrow({ where: { id: lineIds.get("V4|0")! } });
    expect(ex.undercodingDirection).toBe("reads_as_exercise");
    expect(ex.undercodingGainCents).toBe(0);
    const beta = await db().serviceLine.findUniqueOrThrow({ where: { id: lineIds.get("V5|0")! } });
    expect(beta.expectedAllowedCents).toBeNull();
  });

  it("computes every KPI of week 2 and week 1 as computed by hand", async () => {
    const review = await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", W2));
    const kpi = Object.fromEntries(review.kpis.map((k) => [k.key, k]));
    const value = (k: string) => kpi[k]!.value;
    const previous = (k: string) => kpi[k]!.previous;

    expect(review.week).toBe(W2);
    expect(review.previousWeek).toBe(W1);
    // week 2: V3, V4, V5 (Sunday), V6; V7 (Monday Mar 16) is week 3
    expect(value("visits")).toBe(4);
    expect(value("units")).toBe(3 + 1 + 2 + 1 + 1 + 1);
    expect(value("charges")).toBe(12000 + 6000 + 10000 + 4000 + 4500 + 5000);
    expect(value("expected")).toBe(9000 + 4000 + 8000 + 3000 + 3500); // V5 has no price
    expect(kpi.expected!.note).toMatch(/1 line without a price/);
    expect(value("paid")).toBe(7500 + 4000 + 0 + 3200 + 3500);
    expect(value("patient_resp")).toBe(1000 + 500);
    // open at the end of week 2: V6 (no claim) and V8 (week 1, no remit); C4 settled Sunday night New York time
    expect(value("open_ar")).toBe(3500 + 3500);
    expect(value("days_ar")).toBeCloseTo(7000 / ((13000 + 27500) / 91), 10);
    expect(value("denial_rate")).toBeCloseTo(1 / 5, 12);
    expect(value("net_collection_rate")).toBeCloseTo((8500 + 4000 + 0 + 3200) / (9000 + 4000 + 8000 + 3000), 12);
    expect(value("underpayment")).toBe(500);
    expect(value("undercoding")).toBe(3000);

    // week 1: V1 (reversed and corrected), V2 (no price), V8 (no remit)
    expect(previous("visits")).toBe(3);
    expect(previous("units")).toBe(2 + 1 + 2 + 1);
    expect(previous("charges")).toBe(8000 + 5000 + 9000 + 5000);
    expect(previous("expected")).toBe(6000 + 3500 + 3500);
    expect(previous("paid")).toBe(5000 + 3500); // 60.00 + 35.00 − 60.00 − 35.00 + 50.00 + 35.00
    expect(previous("patient_resp")).toBe(1000);
    // C1 was settled on Mar 6 (the reversal on Mar 12 came with its correction): only V8 is open
    expect(previous("open_ar")).toBe(3500);
    expect(previous("days_ar")).toBeCloseTo(3500 / (13000 / 91), 10);
    expect(previous("denial_rate")).toBe(0);
    expect(previous("net_collection_rate")).toBeCloseTo((8500 + 1000) / 9500, 12);
    expect(previous("underpayment")).toBe(0);
    expect(previous("undercoding")).toBe(0);

    // week-over-week change
    expect(kpi.visits!.change).toBe(1);
    expect(kpi.visits!.changeRatio).toBeCloseTo(1 / 3, 12);
    expect(kpi.charges!.change).toBe(41500 - 27000);
    expect(kpi.denial_rate!.change).toBeCloseTo(0.2, 12);
    expect(kpi.denial_rate!.changeRatio).toBeNull();
  });

  it("writes the week's figures as CSV, one row per KPI", async () => {
    const csv = revenueCsv(await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", W2)))
      .trim()
      .split("\r\n");
    expect(csv[0]).toBe("metric,label,unit,week,value,previous_week,previous_value,change,definition");
    expect(csv).toHaveLength(13);
    expect(csv[3]!.startsWith(`charges,Charges,USD,${W2},415.00,${W1},270.00,145.00,`)).toBe(true);
    expect(csv.find((l) => l.startsWith("denial_rate"))!.startsWith(`denial_rate,Denial rate,percent,${W2},20.00,${W1},0.00,20.00,`)).toBe(
      true,
    );
    expect(csv.find((l) => l.startsWith("days_ar"))!.startsWith(`days_ar,Days in receivables,days,${W2},15.7,${W1},24.5,-8.8,`)).toBe(true);
  });

  it("buckets payments by the practice's time zone: a UTC reading would leave C4 open", async () => {
    const open = await asPractice(t.practiceId, () => openReceivables(analyticsScope(t.practiceId), [W2, "2026-03-16"]));
    expect(open.get(W2)).toBe(7000);
    // week 3 adds V7 (no remit)
    expect(open.get("2026-03-16")).toBe(7000 + 3000);
  });

  it("drills every figure down to lines that add up to it", async () => {
    const scope = analyticsScope(t.practiceId);
    const review = await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", W2));
    const kpi = Object.fromEntries(review.kpis.map((k) => [k.key, k.value]));
    const d = async (metric: Parameters<typeof drillDown>[1]["metric"]) => asPractice(t, () => drillDown(scope, { metric, week: W2 }));

    const visits = await d("visits");
    expect(visits.totals.visits).toBe(kpi.visits);
    expect(visits.totals.units).toBe(kpi.units);
    expect(visits.totals.chargeCents).toBe(kpi.charges);
    expect(visits.rows.reduce((s, r) => s + r.chargeCents, 0)).toBe(kpi.charges);
    expect((await d("expected")).rows.reduce((s, r) => s + (r.expectedCents ?? 0), 0)).toBe(kpi.expected);
    const paid = await d("paid");
    expect(paid.rows.reduce((s, r) => s + r.paidCents, 0)).toBe(kpi.paid);
    expect(paid.rows.reduce((s, r) => s + r.patientRespCents, 0)).toBe(kpi.patient_resp);
    const denials = await d("denial_rate");
    expect(denials.rows.filter((r) => r.denied).map((r) => r.denialCause)).toEqual(["necessity"]);
    expect(denials.totals.deniedLines / denials.totals.adjudicatedLines).toBeCloseTo(kpi.denial_rate!, 12);
    const ncr = await d("net_collection_rate");
    expect(ncr.totals.ncrNumeratorCents / ncr.totals.ncrDenominatorCents).toBeCloseTo(kpi.net_collection_rate!, 12);
    const under = await d("underpayment");
    expect(under.rows.map((r) => [r.visitExternalId, r.lineOrder, r.underpaymentCents])).toEqual([["V3", 0, 500]]);
    // the totals of a whole week's underpaid lines come from the rollup: V3's one line, $5.00
    // (the week's other remitted lines are not underpaid: they are not counted)
    expect([under.totals.lines, under.totals.underpaymentCents]).toEqual([1, 500]);
    expect(under.totals.underpaymentCents).toBe(kpi.underpayment);
    // 13 weeks ending with W2: W2's line alone (the weeks before have no underpaid line)
    const under13 = await asPractice(t, () => drillDown(scope, { metric: "underpayment", week: W2, weeks: 13 }));
    expect([under13.rows.length, under13.totals.lines, under13.totals.underpaymentCents]).toEqual([1, 1, 500]);
    const uc = await d("undercoding");
    expect(uc.rows.map((r) => [r.visitExternalId, r.undercodingDirection])).toEqual([
      ["V3", "could_be_97530"],
      ["V4", "reads_as_exercise"],
    ]);
    expect(uc.totals.undercodingGainCents).toBe(kpi.undercoding);
    const ar = await d("open_ar");
    expect(ar.rows.map((r) => r.visitExternalId).sort()).toEqual(["V6", "V8"]);
    expect(ar.rows.reduce((s, r) => s + (r.expectedCents ?? 0), 0)).toBe(kpi.open_ar);
    expect(ar.totals.expectedCents).toBe(kpi.open_ar);
    // payer filter (payer mix drill-down)
    const acme = await asPractice(t, () => drillDown(scope, { metric: "visits", week: W2, payerId: payerAcme }));
    expect(acme.totals.visits).toBe(3);
  });

  it("gives chart-ready rows: weeks without visits are zeros, payers sorted by visits", async () => {
    const scope = analyticsScope(t.practiceId);
    const weeks = await asPractice(t, () => weeklyFigures(scope, W2, 13));
    expect(weeks).toHaveLength(13);
    expect(weeks[0]!.week).toBe("2025-12-15");
    expect(weeks.slice(0, 11).every((w) => w.visits === 0 && w.paidCents === 0)).toBe(true);
    expect(weeks[12]!.paidCents).toBe(18200);
    const payers = await asPractice(t, () => byPayer(scope, W2));
    expect(payers.map((p) => [p.payer, p.visits, p.underpaymentCents13])).toEqual([
      ["Acme Health", 3, 500],
      ["Beta Care", 1, 0],
    ]);
  });

  it("fails closed: no proven practice, no rows; another practice sees nothing of this one", async () => {
    // even inside the practice's own scope (row-level security would let its rows through)
    for (const bad of [undefined, null, 0, -1, 1.5, "1", Number.NaN]) {
      const weeks = await asPractice(t, () => weeklyFigures(analyticsScope(bad), W2, 2));
      expect(weeks.every((w) => w.visits === 0)).toBe(true);
      const d = await asPractice(t, () => drillDown(analyticsScope(bad), { metric: "visits", week: W2 }));
      expect(d.rows).toEqual([]);
    }
    const other = await createTestPractice("revenue-other");
    const review = await asPractice(other.practiceId, () => revenueReview(other.practiceId, "America/New_York", W2));
    expect(review.kpis.every((k) => !k.value)).toBe(true);
  });

  it("follows a dismissal, its undo, a deleted remit and a re-imported visit", async () => {
    const undercoding = async () =>
      (await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", W2))).kpis.find((k) => k.key === "undercoding")!
        .value;
    const kpis = async () =>
      Object.fromEntries(
        (await asPractice(t.practiceId, () => revenueReview(t.practiceId, "America/New_York", W2))).kpis.map((k) => [k.key, k.value]),
      );

    const dismissed = await runAsUser(t.users.OWNER, () =>
      reviewCandidateAction({ lineId: lineIds.get("V3|0")!, decision: "DISMISSED", reason: "car transfer was a home-program review" }),
    );
    expect(dismissed.ok).toBe(true);
    expect(await undercoding()).toBe(0);
    expect(await db().serviceLine.findUniqueOrThrow({ where: { id: lineIds.get("V3|0")! } })).toMatchObject({ cpt: "97110" });
    expect((await runAsUser(t.users.OWNER, () => undoReviewAction({ lineId: lineIds.get("V3|0")! }))).ok).toBe(true);
    expect(await undercoding()).toBe(3000);
    const confirmed = await runAsUser(t.users.OWNER, () =>
      reviewCandidateAction({ lineId: lineIds.get("V3|0")!, decision: "CONFIRMED", reason: "functional task documented" }),
    );
    expect(confirmed.ok).toBe(true);
    expect(await undercoding()).toBe(3000);

    // unmatch a remit line and match it again (the manager's unmatched-lines screen does this)
    const v3line0 = lineIds.get("V3|0")!;
    const remitLine = await db().remitLine.findFirstOrThrow({ where: { practiceId: t.practiceId, serviceLineId: v3line0 } });
    await db().remitLine.update({ where: { id: remitLine.id }, data: { serviceLineId: null } });
    expect((await kpis()).paid).toBe(18200 - 7500);
    expect(await withRemit(await db().serviceLine.findUniqueOrThrow({ where: { id: v3line0 } }))).toMatchObject({
      remitLineCount: 0,
      remitPaidCents: 0,
    });
    await db().remitLine.update({ where: { id: remitLine.id }, data: { serviceLineId: v3line0 } });
    expect(await withRemit(await db().serviceLine.findUniqueOrThrow({ where: { id: v3line0 } }))).toMatchObject({
      remitLineCount: 1,
      remitNetCount: 1,
      remitPaidCents: 7500,
      remitAllowedNetCents: 8500,
      remitPatientRespCents: 1000,
    });
    expect((await kpis()).paid).toBe(18200);
    // a remit claim restated as a reversal (CLP02 22) no longer adjudicates its lines
    const c3 = await db().remitClaim.findFirstOrThrow({ where: { practiceId: t.practiceId, patientControlNumber: "C3" } });
    await db().remitClaim.update({ where: { id: c3.id }, data: { statusCode: "22" } });
    expect((await withRemit(await db().serviceLine.findUniqueOrThrow({ where: { id: v3line0 } }))).remitNetCount).toBe(-1);
    expect((await kpis()).underpayment).toBe(0);
    await db().remitClaim.update({ where: { id: c3.id }, data: { statusCode: "1" } });
    expect((await kpis()).underpayment).toBe(500);

    // delete C4's remit: its lines are no longer adjudicated, and open again
    await db().remitPayment.deleteMany({ where: { practiceId: t.practiceId, traceNumber: "B-import" } });
    let k = await kpis();
    expect(k.paid).toBe(7500 + 4000 + 3500);
    expect(k.denial_rate).toBe(0);
    expect(k.open_ar).toBe(7000 + 8000 + 3000);

    // re-import V6 with 2 units: one more unit, 35.00 more expected and open
    const again = [HEADER, row("P1", "Acme Health", "V6", "", "2026-03-14", T1, "97140", 30, 2, "100.00")].join("\n");
    const r = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "v6.csv",
        content: Buffer.from(again),
      }),
    );
    expect(r.status).toBe("imported");
    k = await kpis();
    expect(k.units).toBe(10);
    expect(k.expected).toBe(27500 + 3500);
    expect(k.open_ar).toBe(18000 + 3500);

    // moving V6 to the next week moves its figures with it
    const moved = [HEADER, row("P1", "Acme Health", "V6", "", "2026-03-17", T1, "97140", 30, 2, "100.00")].join("\n");
    expect(
      (
        await asPractice(t.practiceId, () =>
          importCsv({
            kind: "visits",
            practiceId: t.practiceId,
            userId: t.users.ADMIN,
            fileName: "v6b.csv",
            content: Buffer.from(moved),
          }),
        )
      ).status,
    ).toBe("imported");
    k = await kpis();
    expect(k.visits).toBe(3);
    expect(k.open_ar).toBe(18000 - 3500);
  });

  it("leaves nothing stale after a refresh", async () => {
    await asPractice(t.practiceId, () => refreshRevenueRollup(t.practiceId));
    expect(await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } })).toBe(0);
  });
});
