// The denials page's and the underpayment worklist's figures come from daily sums kept with the
// weekly rollup (DenialDay, UnderpaymentDay: lib/server/derived/rollup.ts), and the paid and
// denied drill-downs' totals from RevenueWeek. Here each figure is worked out in the test from the
// remit lines, service lines and visits themselves, after a remit import, a manager's status
// changes, a corrected payment (reversal and correction) and a reversal alone, and compared.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim, type SyntheticServiceLine, paidServiceLine } from "@/prisma/generator/x12";
import { markUnderpayment } from "@/app/(app)/underpayments/actions";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { isoDate } from "../core/dates";
import { denialLines, denialSummary } from "../denials/query";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { drillDown } from "../revenue/lines";
import { refreshRevenueRollup } from "../derived/rollup";
import { analyticsScope } from "../revenue/scope";
import { weekStartOf } from "../revenue/weeks";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { underpaymentHistory, underpaymentsByWeek, underpaymentTotalsByStatus, underpaymentWorklist } from "./worklist";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const VISITS = [
  HEADER,
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97140,GP,15,1,50.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-04,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
  "P2,Bob,Stone,1948-05-06,Railroad Medicare,medicare,2FH5UF6NL84,V3,C3,2026-03-10,1234567890,Pat Therapist,PT,11,97112,GP,15,1,60.00,",
  "P2,Bob,Stone,1948-05-06,Railroad Medicare,medicare,2FH5UF6NL84,V4,C4,2026-03-17,1234567890,Pat Therapist,PT,11,97116,GP,15,1,60.00,",
  "P2,Bob,Stone,1948-05-06,Railroad Medicare,medicare,2FH5UF6NL84,V5,C5,2026-03-18,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
].join("\n");
const FROM = "2026-03-01";
const RAILROAD = "RAILROAD MEDICARE";
const TO = "2026-03-31";

/** A paid line (CO-45 down to the allowed, 20% coinsurance): paidServiceLine. */
const paid = paidServiceLine;

/** A denied line: the whole charge adjusted away with the given CARC (119: missing KX; 4: modifier). */
function denied(code: string, date: string, charge: number, reason: string): SyntheticServiceLine {
  return {
    procedureCode: code,
    modifiers: ["GP"],
    serviceDate: date,
    chargeCents: charge,
    paidCents: 0,
    adjustments: [{ group: "CO", reason, amountCents: charge }],
  };
}

function claim(pcn: string, icn: string, lines: SyntheticServiceLine[], member = "1EG4TE5MK73"): SyntheticClaim {
  return {
    patientControlNumber: pcn,
    payerClaimControlNumber: icn,
    patient: { lastName: "X", firstName: "Y", memberId: member },
    serviceLines: lines,
  };
}

function reversal(c: SyntheticClaim): SyntheticClaim {
  return {
    ...c,
    status: "22",
    serviceLines: (c.serviceLines ?? []).map((l) => ({
      ...l,
      chargeCents: -l.chargeCents,
      paidCents: -l.paidCents,
      allowedCents: l.allowedCents == null ? null : -l.allowedCents,
      adjustments: (l.adjustments ?? []).map((a) => ({ ...a, amountCents: -a.amountCents })),
    })),
  };
}

const C1 = (allowed110: number, allowed140: number) =>
  claim("C1", "ICN1", [paid("97110", "2026-03-02", 10000, allowed110, 2), paid("97140", "2026-03-02", 5000, allowed140)]);
const C2 = claim("C2", "ICN2", [denied("97530", "2026-03-04", 12000, "119")]);
const C3 = claim("C3", "ICN3", [paid("97112", "2026-03-10", 6000, 1000)], "2FH5UF6NL84");
const C4 = claim("C4", "ICN4", [denied("97116", "2026-03-17", 6000, "4")], "2FH5UF6NL84");
const C5 = claim("C5", "ICN5", [paid("97110", "2026-03-18", 10000, 2000, 2)], "2FH5UF6NL84");
// no claim, member or name of ours: a denial matched to none of our lines
const STRANGER = claim("THEIRS", "ICN9", [denied("97110", "2026-03-11", 5000, "119")], "NOBODY");

interface Row {
  id: number;
  serviceLineId: number | null;
  cause: string | null;
  netRole: string;
  charge: number;
  paid: number;
  variance: number | null;
  status: string;
  serviceDate: Date | null;
  dos: Date | null;
  paymentDate: Date | null;
  payer: string;
  visitPayer: string | null;
}

describe("denial and underpayment figures from the daily sums", () => {
  let t: TestPractice;
  let trace = 0;

  /** One 835 of the payer (Medicare's by default; Railroad Medicare pays P2's claims). */
  const import835s = async (claims: SyntheticClaim[], payerName = "MEDICARE") => {
    trace += 1;
    const { text } = generate835({ claims, payerName });
    const r = await asPractice(t, () =>
      import835({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: `sums-${trace}.835`,
        content: Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, `TRN*1*SUMS-${trace}`)),
      }),
    );
    expect(r.status, JSON.stringify(r)).toBe("imported");
  };

  /** A read of the worklist as its page makes it: the rollup's daily sums brought up to date first. */
  const fresh = <T>(read: () => Promise<T>) =>
    asPractice(t, async () => {
      await refreshRevenueRollup(t.practiceId);
      return read();
    });

  /** Every remit line of the practice with what the figures read, straight from the tables. */
  const rows = async (): Promise<Row[]> =>
    (
      await db().$queryRaw<(Omit<Row, "charge" | "paid"> & { charge: number; paid: number })[]>`
        select rl.id, rl."serviceLineId", rl."denialCause" as cause, rl."netRole", rl."chargeCents" as charge, rl."paidCents" as paid,
               rl."varianceCents" as variance, rl."underpaymentStatus"::text as status, rl."serviceDate", v."dateOfService" as dos,
               rp."paymentDate", coalesce(vp.name, pp.name, rp."payerName") as payer, vp.name as "visitPayer"
        from "RemitLine" rl
        join "RemitClaim" rc on rc.id = rl."remitClaimId"
        join "RemitPayment" rp on rp.id = rc."paymentId"
        left join "ServiceLine" s on s.id = rl."serviceLineId"
        left join "Visit" v on v.id = s."visitId"
        left join "Payer" vp on vp.id = v."payerId"
        left join "Payer" pp on pp.id = rp."payerId"
        where rl."practiceId" = ${t.practiceId}`
    ).map((r) => ({ ...r, charge: Number(r.charge), paid: Number(r.paid) }));

  /** The denials page's figures, worked out line by line (DOMAIN.md §5: duplicates counted once). */
  const deniedFigures = (all: Row[]) => {
    const lines = all
      .filter((r) => r.cause !== null && r.netRole !== "duplicate" && r.netRole !== "duplicate_reversed")
      .map((r) => ({ ...r, day: isoDate((r.serviceDate ?? r.dos ?? r.paymentDate)!) }))
      .filter((r) => r.day >= FROM && r.day <= TO);
    const add = (m: Map<string, { lines: number; cents: number }>, k: string, cents: number) => {
      const v = m.get(k) ?? { lines: 0, cents: 0 };
      m.set(k, { lines: v.lines + 1, cents: v.cents + cents });
    };
    const byCause = new Map<string, { lines: number; cents: number }>();
    const byPayer = new Map<string, { lines: number; cents: number }>();
    const byWeek = new Map<string, { lines: number; cents: number }>();
    for (const l of lines) {
      // the charge not paid
      const cents = l.charge - l.paid;
      add(byCause, l.cause!, cents);
      add(byPayer, l.payer, cents);
      add(byWeek, weekStartOf(l.day), cents);
    }
    const sorted = (m: Map<string, { lines: number; cents: number }>) => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    return {
      total: { lines: lines.length, cents: lines.reduce((s, l) => s + l.charge - l.paid, 0) },
      byCause: sorted(byCause),
      byPayer: sorted(byPayer),
      byWeek: sorted(byWeek),
      missingKx: lines.filter((l) => l.cause === "missing_kx").length,
    };
  };

  /** The worklist's lines: matched, not denied, allowed below expected (variance > 0). */
  const underpaid = (all: Row[]) => all.filter((r) => r.serviceLineId !== null && r.cause === null && (r.variance ?? 0) > 0);

  /** Compares every figure of both pages with the ones worked out from the rows. */
  const expectFiguresAgree = async () => {
    const all = await rows();
    const d = deniedFigures(all);
    const summary = await asPractice(t, () => denialSummary(t.practiceId, { from: FROM, to: TO }));
    const byKey = (list: { lines: number; cents: number }[], key: (x: never) => string) =>
      list.map((x) => [key(x as never), { lines: x.lines, cents: x.cents }] as const).sort((a, b) => a[0].localeCompare(b[0]));
    expect(summary.total).toEqual(d.total);
    expect(byKey(summary.byCause, (x: { cause: string }) => x.cause)).toEqual(d.byCause);
    expect(byKey(summary.byPayer, (x: { payer: string }) => x.payer)).toEqual(d.byPayer);
    expect(
      byKey(
        summary.byWeek.filter((w) => w.lines > 0),
        (x: { week: string }) => x.week,
      ),
    ).toEqual(d.byWeek);
    // the list behind a cause: its count is the figure's, and its rows say the same
    const kx = await asPractice(t, () => denialLines(t.practiceId, { from: FROM, to: TO, cause: "missing_kx" }));
    expect([kx.total, kx.lines.length]).toEqual([d.missingKx, d.missingKx]);

    const u = underpaid(all);
    const sum = (list: Row[]) => ({ lines: list.length, cents: list.reduce((s, r) => s + r.variance!, 0) });
    const filters = { from: FROM, to: TO };
    const open = await fresh(() => underpaymentWorklist(t.practiceId, { ...filters, status: "OPEN" }));
    expect(open.totals).toEqual(sum(u.filter((r) => r.status === "OPEN")));
    expect(open.rows.map((r) => r.id).sort()).toEqual(
      u
        .filter((r) => r.status === "OPEN")
        .map((r) => r.id)
        .sort(),
    );
    const every = await fresh(() => underpaymentWorklist(t.practiceId, { ...filters, status: "all" }));
    expect(every.totals).toEqual(sum(u));
    expect(every.rows.reduce((s, r) => s + r.varianceCents, 0)).toBe(every.totals.cents);
    const byStatus = await fresh(() => underpaymentTotalsByStatus(t.practiceId, filters));
    const statuses = [...new Set(u.map((r) => r.status))].sort();
    expect(byStatus).toEqual(statuses.map((status) => ({ status, ...sum(u.filter((r) => r.status === status)) })));
    const chart = await fresh(() => underpaymentsByWeek(t.practiceId, { ...filters, status: "all" }));
    // every payer with an underpaid line is a series; each week's bar is its lines' differences in dollars
    expect(chart.series.map((s) => s.name)).toEqual([...new Set(u.map((r) => r.visitPayer!))].sort());
    for (const week of chart.data) {
      for (const { key, name } of chart.series) {
        const cents = u
          .filter((r) => r.visitPayer === name && weekStartOf(isoDate(r.dos!)) === week.week)
          .reduce((s, r) => s + r.variance!, 0);
        expect([week.week, name, Math.round(Number(week[key]) * 100)]).toEqual([week.week, name, cents]);
      }
    }
    return { all, denied: d, underpaid: u };
  };

  beforeAll(async () => {
    t = await createTestPractice("remit-sums");
    const r = await asPractice(t, () =>
      importCsv({ kind: "visits", practiceId: t.practiceId, userId: t.users.ADMIN, fileName: "visits.csv", content: Buffer.from(VISITS) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("sums a remit import's denials and underpaid lines as the lines themselves say", async () => {
    await import835s([C1(4000, 1500), C2, STRANGER]);
    await import835s([C3, C4, C5], RAILROAD);
    const { denied: d, underpaid: u } = await expectFiguresAgree();
    // denied, charge not paid: C2 97530 $120.00 (missing KX) + C4 97116 $60.00 (modifier) + the
    // stranger's 97110 $50.00 (missing KX, matched to none of our lines) = 12000 + 6000 + 5000
    expect(d.total).toEqual({ lines: 3, cents: 12000 + 6000 + 5000 });
    expect(d.byCause).toEqual([
      ["missing_kx", { lines: 2, cents: 12000 + 5000 }],
      ["modifier", { lines: 1, cents: 6000 }],
    ]);
    // underpaid: the fee schedule's 97110 ×2, 97140, 97112 and 97110 ×2 are each above the
    // allowed amounts paid ($40.00, $15.00, $10.00, $20.00): four lines
    expect(u.map((r) => r.status)).toEqual(["OPEN", "OPEN", "OPEN", "OPEN"]);
    // the sums hold them: the matched ones in DenialDay, every underpaid line in UnderpaymentDay
    const [dd] = await db().$queryRaw<
      { lines: bigint }[]
    >`select coalesce(sum(lines), 0) as lines from "DenialDay" where "practiceId" = ${t.practiceId}`;
    const [ud] = await db().$queryRaw<
      { lines: bigint }[]
    >`select coalesce(sum(lines), 0) as lines from "UnderpaymentDay" where "practiceId" = ${t.practiceId}`;
    expect([Number(dd!.lines), Number(ud!.lines)]).toEqual([2, 4]);
  });

  it("moves a line between statuses in the next read after a manager marks it", async () => {
    const before = underpaid(await rows());
    const line = before.find((r) => r.visitPayer === "Railroad Medicare")!;
    const mark = (status: "APPEALED" | "RECOVERED" | "OPEN", from: "OPEN" | "APPEALED" | "RECOVERED") =>
      runAsUser(t.users.MANAGER, () => markUnderpayment({ remitLineId: line.id, status, from, note: "" }));
    const openBefore = await fresh(() => underpaymentWorklist(t.practiceId, { from: FROM, to: TO, status: "OPEN" }));
    expect(await mark("APPEALED", "OPEN")).toMatchObject({ ok: true });
    const { underpaid: u } = await expectFiguresAgree();
    expect(u.find((r) => r.id === line.id)!.status).toBe("APPEALED");
    // the open lines lose exactly this line and its difference
    const openAfter = await fresh(() => underpaymentWorklist(t.practiceId, { from: FROM, to: TO, status: "OPEN" }));
    expect(openAfter.totals).toEqual({ lines: openBefore.totals.lines - 1, cents: openBefore.totals.cents - line.variance! });
    const byStatus = await fresh(() => underpaymentTotalsByStatus(t.practiceId, { from: FROM, to: TO }));
    expect(byStatus.find((s) => s.status === "APPEALED")).toEqual({ status: "APPEALED", lines: 1, cents: line.variance! });
    expect(await mark("RECOVERED", "APPEALED")).toMatchObject({ ok: true });
    await expectFiguresAgree();
    expect(await mark("OPEN", "RECOVERED")).toMatchObject({ ok: true });
    await expectFiguresAgree();
    expect((await fresh(() => underpaymentWorklist(t.practiceId, { from: FROM, to: TO, status: "OPEN" }))).totals).toEqual(
      openBefore.totals,
    );
  });

  it("keeps each line's status history from the audit trail: oldest first, that line's alone, who and what", async () => {
    // a Railroad Medicare line (the test above may have marked it already: its entries come first)
    // appealed with a note, recovered and reopened; another underpaid line is not marked here
    const lines = underpaid(await rows()).sort((a, b) => a.id - b.id);
    const line = lines.find((r) => r.visitPayer === "Railroad Medicare")!;
    const other = lines.find((r) => r.id !== line.id)!;
    const earlier = await asPractice(t, () => underpaymentHistory(t.practiceId, [line.id, other.id]));
    const note = "appeal sent with the contract page";
    const mark = (status: "APPEALED" | "RECOVERED" | "OPEN", from: "OPEN" | "APPEALED" | "RECOVERED", text = "") =>
      runAsUser(t.users.MANAGER, () => markUnderpayment({ remitLineId: line.id, status, from, note: text }));
    expect(await mark("APPEALED", "OPEN", note)).toMatchObject({ ok: true });
    expect(await mark("RECOVERED", "APPEALED")).toMatchObject({ ok: true });
    expect(await mark("OPEN", "RECOVERED")).toMatchObject({ ok: true });
    // events of the trail that are not a status change of this line: the manager's read of the
    // worklist (an event on remit lines that names none) and a status change of another
    // practice's line under this line's number
    await asPractice(t, () =>
      db().auditEvent.create({
        data: { practiceId: t.practiceId, userId: t.users.MANAGER, action: "underpayments.view", entityType: "RemitLine", entityId: null },
      }),
    );
    const stranger = await createTestPractice("remit-sums-other");
    await asPractice(stranger, () =>
      db().auditEvent.create({
        data: {
          practiceId: stranger.practiceId,
          userId: stranger.users.MANAGER,
          action: "underpayment.written_off",
          entityType: "RemitLine",
          entityId: String(line.id),
          details: { from: "OPEN", to: "WRITTEN_OFF", note: "not ours" },
        },
      }),
    );
    const manager = await db().user.findUniqueOrThrow({ where: { id: t.users.MANAGER }, select: { name: true } });
    const history = await asPractice(t, () => underpaymentHistory(t.practiceId, [line.id, other.id]));
    expect(history.get(other.id)).toEqual(earlier.get(other.id));
    const before = (earlier.get(line.id) ?? []).map((e) => [e.from, e.to, e.note, e.by]);
    const entries = history.get(line.id)!;
    expect(entries.map((e) => [e.from, e.to, e.note, e.by])).toEqual([
      ...before,
      ["OPEN", "APPEALED", note, manager.name],
      ["APPEALED", "RECOVERED", "", manager.name],
      ["RECOVERED", "OPEN", "", manager.name],
    ]);
    const times = entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("follows a corrected payment: the original reversed, the correction paid at the full rate", async () => {
    const before = await expectFiguresAgree();
    // C1 reversed and paid again: 97110 at $400.00 allowed (above the fee schedule: no longer
    // underpaid), 97140 still at $15.00
    await import835s([reversal(C1(4000, 1500)), C1(40000, 1500)]);
    const after = await expectFiguresAgree();
    const c1_97110 = (rs: Row[]) => rs.filter((r) => r.dos && isoDate(r.dos) === "2026-03-02" && r.charge === 10000);
    expect(c1_97110(before.underpaid)).toHaveLength(1);
    expect(c1_97110(after.underpaid)).toHaveLength(0);
    expect(after.denied.total).toEqual(before.denied.total);
  });

  it("follows a reversal alone: an underpaid claim taken back leaves the worklist, a denial taken back stays as the rows say", async () => {
    const before = await expectFiguresAgree();
    await import835s([reversal(C4), reversal(C5)], RAILROAD);
    const after = await expectFiguresAgree();
    // C5's 97110 (underpaid by its expected − $20.00 allowed) is taken back: it leaves the worklist
    const c5 = (rs: Row[]) => rs.filter((r) => r.dos && isoDate(r.dos) === "2026-03-18");
    expect(c5(before.underpaid)).toHaveLength(1);
    expect(after.underpaid.length).toBe(before.underpaid.length - 1);
    // the reversal's own line carries no denial cause, so the denials page's lines are those before
    // (the page counts a denied line taken back by its payer: DOMAIN.md §5 leaves that open)
    expect(after.denied.total).toEqual(before.denied.total);
    expect(after.underpaid.filter((r) => r.dos && isoDate(r.dos) === "2026-03-18")).toHaveLength(0);
  });

  it("totals the paid and denied lines of 13 weeks from the rollup, pages them by date, visit and line order", async () => {
    const lines = await db().$queryRaw<
      {
        id: number;
        visitId: number;
        dos: Date;
        lineOrder: number;
        remitLines: number;
        net: number;
        cause: string | null;
        paid: number;
        pr: number;
      }[]
    >`
      select s.id, s."visitId", v."dateOfService" as dos, s."lineOrder", coalesce(r."remitLineCount", 0) as "remitLines",
             coalesce(r."remitNetCount", 0) as net, r."remitDenialCause" as cause, coalesce(r."remitPaidCents", 0) as paid,
             coalesce(r."remitPatientRespCents", 0) as pr
      from "ServiceLine" s join "Visit" v on v.id = s."visitId" left join "ServiceLineRemit" r on r."serviceLineId" = s.id
      where s."practiceId" = ${t.practiceId} and v."dateOfService" between '2025-12-22'::date and '2026-03-22'::date`;
    const inOrder = (list: typeof lines) =>
      [...list].sort((a, b) => a.dos.getTime() - b.dos.getTime() || a.visitId - b.visitId || a.lineOrder - b.lineOrder).map((l) => l.id);
    const scope = analyticsScope(t.practiceId);
    // 13 weeks ending with the week of March 16: December 22 to March 22
    const paidDrill = await asPractice(t, () => drillDown(scope, { metric: "paid", week: "2026-03-16", weeks: 13 }));
    const remitted = lines.filter((l) => l.remitLines > 0);
    expect(paidDrill.rows.map((r) => r.lineId)).toEqual(inOrder(remitted));
    expect([paidDrill.totals.lines, paidDrill.totals.paidCents, paidDrill.totals.patientRespCents]).toEqual([
      remitted.length,
      remitted.reduce((s, l) => s + l.paid, 0),
      remitted.reduce((s, l) => s + l.pr, 0),
    ]);
    expect(paidDrill.rows.reduce((s, r) => s + r.paidCents, 0)).toBe(paidDrill.totals.paidCents);
    const deniedDrill = await asPractice(t, () => drillDown(scope, { metric: "denial_rate", week: "2026-03-16", weeks: 13 }));
    const adjudicated = lines.filter((l) => l.net > 0);
    expect(deniedDrill.rows.map((r) => r.lineId)).toEqual(inOrder(adjudicated));
    // C2's 97530 is the one denial still standing among our lines (C4's was reversed)
    expect([deniedDrill.totals.deniedLines, deniedDrill.totals.adjudicatedLines, deniedDrill.totals.lines]).toEqual([
      adjudicated.filter((l) => l.cause !== null).length,
      adjudicated.length,
      adjudicated.length,
    ]);
    expect(deniedDrill.rows.filter((r) => r.denied).length).toBe(deniedDrill.totals.deniedLines);
    expect(deniedDrill.totals.deniedLines).toBe(1);
  });

  it("pages the denied lines by the sums: newest first, every line once, the count the figures say", async () => {
    // another practice: 30 visits of two lines from March 2 to March 31, every line denied (60 lines)
    const many = await createTestPractice("remit-sums-pages");
    const days = Array.from({ length: 30 }, (_, i) => `2026-03-${String(i + 2).padStart(2, "0")}`);
    const csv = [
      HEADER,
      ...days.flatMap((day, i) => [
        `P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,W${i},D${i},${day},1234567890,Pat Therapist,PT,11,97110,GP,15,1,50.00,`,
        `P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,W${i},D${i},${day},1234567890,Pat Therapist,PT,11,97140,GP,15,1,40.00,`,
      ]),
    ].join("\n");
    const r = await asPractice(many, () =>
      importCsv({ kind: "visits", practiceId: many.practiceId, userId: many.users.ADMIN, fileName: "v.csv", content: Buffer.from(csv) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    const claims = days.map((day, i) =>
      claim(`D${i}`, `ICN-D${i}`, [denied("97110", day, 5000, i % 3 === 0 ? "4" : "119"), denied("97140", day, 4000, "119")]),
    );
    const { text } = generate835({ claims, payerName: "MEDICARE" });
    const imported = await asPractice(many, () =>
      import835({ practiceId: many.practiceId, userId: many.users.MANAGER, fileName: "d.835", content: Buffer.from(text) }),
    );
    expect(imported.status).toBe("imported");
    const all = await db().$queryRaw<{ id: number; day: Date; cause: string }[]>`
      select rl.id, coalesce(rl."serviceDate", v."dateOfService") as day, rl."denialCause" as cause
      from "RemitLine" rl left join "ServiceLine" s on s.id = rl."serviceLineId" left join "Visit" v on v.id = s."visitId"
      where rl."practiceId" = ${many.practiceId} and rl."denialCause" is not null`;
    expect(all).toHaveLength(60);
    // newest day first, then the larger id first
    const newestFirst = (list: typeof all) => [...list].sort((a, b) => b.day.getTime() - a.day.getTime() || b.id - a.id).map((l) => l.id);
    const list = (filters: Parameters<typeof denialLines>[1], page: number) =>
      asPractice(many, () => denialLines(many.practiceId, filters, page));
    const period = { from: FROM, to: TO };
    const [p1, p2, p3] = [await list(period, 1), await list(period, 2), await list(period, 3)];
    expect([p1.total, p1.pages, p1.lines.length, p2.lines.length, p3.lines.length]).toEqual([60, 2, 50, 10, 0]);
    expect([...p1.lines, ...p2.lines].map((l) => l.id)).toEqual(newestFirst(all));
    // one cause: 10 lines denied for a modifier (every third visit's 97110), 50 for a missing KX
    const kx = all.filter((l) => l.cause === "missing_kx");
    const [k1, k2] = [await list({ ...period, cause: "missing_kx" }, 1), await list({ ...period, cause: "missing_kx" }, 2)];
    expect([k1.total, kx.length, k1.lines.length, k2.lines.length]).toEqual([50, 50, 50, 0]);
    expect(k1.lines.map((l) => l.id)).toEqual(newestFirst(kx));
    // one week (March 9 to 15: 7 visits, 14 lines), as the figures' week filter says
    const week = all.filter((l) => weekStartOf(isoDate(l.day)) === "2026-03-09");
    const w1 = await list({ ...period, week: "2026-03-09" }, 1);
    expect([w1.total, week.length]).toEqual([14, 14]);
    expect(w1.lines.map((l) => l.id)).toEqual(newestFirst(week));
  });
});
