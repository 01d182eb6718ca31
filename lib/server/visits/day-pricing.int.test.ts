// MPPR over the patient's whole day against PostgreSQL (DOMAIN.md §3): saving, moving, deleting,
// restoring and re-importing one visit re-prices the other visit of that patient's day in the
// same transaction, and its KX totals, undercoding gain and revenue figures follow.
//
// Hand-worked CY2026 figures at the test practice's locality NY-01 (GPCIs work 1.063, PE 1.318,
// MP 1.285; CF 33.4009; RVUs from pfs-rvu-2026-therapy.csv):
//   97110 full (0.47835 + 0.54038 + 0.01285) × 33.4009 = 34.4557 → $34.46; reduced (PE × 50%) 25.4311 → $25.43
//   97530 full (0.46772 + 0.79080 + 0.01285) × 33.4009 = 42.4649 → $42.46; reduced 29.2582 → $29.26
//   97530's PE payment (0.79080 × CF) beats 97110's (0.54038 × CF).
// The PT visit D-PT: 97110 × 2. The OT visit D-OT: 97530 × 1, same patient, same date.
//   PT visit alone:          97110 $34.46 + $25.43                         = $59.89
//   with the OT visit:       97530 full $42.46; 97110 2 × $25.43 = $50.86  → day $93.32
// Undercoding gain of the PT 97110 line (its note reads as a functional task) = the day re-priced
// with the line as 97530 minus the day as billed:
//   alone:     97530 × 2 = $42.46 + $29.26 = $71.72; − $59.89                           = $11.83
//   with OT:   D-OT's 97530 ties with D-PT's 97530 on PE and price; "D-OT" < "D-PT" byte by byte,
//              so D-OT keeps the full unit: $42.46 + 2 × $29.26 = $100.98; − $93.32    = $7.66
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVisitAction, deleteVisitAction, restoreVisitAction, updateVisitAction } from "@/app/(app)/visits/actions";
import type { VisitFormInput } from "@/lib/schemas/visit";
import { runAsUser } from "../core/context";
import { dateFromIso } from "../core/dates";
import { disconnectDb } from "../core/db";
import { refreshRevenueRollup } from "../derived/rollup";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const NOTE = "Functional reaching to retrieve items from overhead cabinets replicating kitchen tasks; contact guard for balance.";
const PT_ROW = `DAY-1,Dee,Daily,1944-04-04,Medicare,medicare,M1,D-PT,CLM-D-PT,2026-03-10,1000000001,Pat Physio,PT,11,97110,GP,30,2,120.00,${NOTE}`;
// another patient's visit brings the OT therapist into the practice
const OT_OTHER =
  "DAY-2,Oli,Other,1950-05-05,Medicare,medicare,M2,O-1,CLM-O-1,2026-03-02,1000000003,Cleo Occupational,OT,11,97530,GO,15,1,80.00,";
const otRow = (date: string) =>
  `DAY-1,Dee,Daily,1944-04-04,Medicare,medicare,M1,D-OT,CLM-D-OT,${date},1000000003,Cleo Occupational,OT,11,97530,GO,15,1,80.00,`;

describe("a patient's day is priced together", () => {
  let t: TestPractice;
  let otTherapistId: number;
  let medicareId: number;
  let patientId: number;
  let ptVisitId: number;

  const asBiller = <T>(fn: () => Promise<T>) => runAsUser(t.users.BILLER, fn);
  const ptLine = async () => db().serviceLine.findFirstOrThrow({ where: { visitId: ptVisitId } });
  const pool = async (p: "PT_SLP" | "OT") =>
    db().kxQueueItem.findUnique({
      where: { practiceId_patientId_year_pool: { practiceId: t.practiceId, patientId, year: 2026, pool: p } },
    });
  /** The revenue rollup of the week of 2026-03-10 (Monday 2026-03-09) for this patient's payer, all therapists. */
  const week = async () => {
    await asPractice(t, () => refreshRevenueRollup(t.practiceId));
    const sum = await db().revenueWeek.aggregate({
      where: { practiceId: t.practiceId, weekStart: dateFromIso("2026-03-09") },
      _sum: { expectedCents: true, undercodingGainCents: true },
    });
    return { expected: Number(sum._sum.expectedCents ?? 0), gain: Number(sum._sum.undercodingGainCents ?? 0) };
  };
  const otForm = (date: string): VisitFormInput => ({
    patient: "DAY-1",
    visitId: "D-OT",
    dateOfService: date,
    therapistId: String(otTherapistId),
    payerId: String(medicareId),
    claimId: "CLM-D-OT",
    placeOfService: "11",
    lines: [{ id: "", cpt: "97530", minutes: "15", modifiers: "GO", unitsBilled: "1", charge: "80.00", note: "" }],
  });

  /** The PT visit priced alone: $59.89, gain $11.83; its KX pool holds $59.89. */
  async function expectPtAlone() {
    expect(await ptLine()).toMatchObject({ expectedAllowedCents: 5989, undercodingGainCents: 1183 });
    expect((await pool("PT_SLP"))?.allowedHereCents).toBe(5989);
  }
  /** The PT visit priced with the OT visit: $50.86, gain $7.66; the pools hold $50.86 (PT) and $42.46 (OT). */
  async function expectDayTogether() {
    expect(await ptLine()).toMatchObject({ expectedAllowedCents: 5086, undercodingGainCents: 766 });
    expect((await pool("PT_SLP"))?.allowedHereCents).toBe(5086);
    expect((await pool("OT"))?.allowedHereCents).toBe(4246);
    // the week's figures: $50.86 + $42.46 = $93.32 expected, $7.66 undercoding gain
    expect(await week()).toEqual({ expected: 9332, gain: 766 });
  }

  beforeAll(async () => {
    t = await createTestPractice("day-pricing");
    await importVisitsCsv(t, [HEADER, PT_ROW, OT_OTHER].join("\n"));
    otTherapistId = (await db().therapist.findFirstOrThrow({ where: { practiceId: t.practiceId, npi: "1000000003" } })).id;
    medicareId = (await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId } })).id;
    patientId = (await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "DAY-1" } })).id;
    ptVisitId = (await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "D-PT" } })).id;
  });
  afterAll(() => disconnectDb());

  it("prices the PT visit alone while it is the only visit of the day", async () => {
    await expectPtAlone();
    expect(await week()).toEqual({ expected: 5989, gain: 1183 });
  });

  it("saving an OT visit on the same date re-prices the PT visit, its KX pool, gain and revenue", async () => {
    const created = await asBiller(() => createVisitAction(otForm("2026-03-10")));
    expect(created.ok, JSON.stringify(created)).toBe(true);
    await expectDayTogether();
    const ot = await db().serviceLine.findFirstOrThrow({ where: { visit: { practiceId: t.practiceId, externalId: "D-OT" } } });
    expect(ot.expectedAllowedCents).toBe(4246);
  });

  it("moving the OT visit to another date re-prices the day it left; moving it back joins them again", async () => {
    const visit = await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "D-OT" } });
    const moved = await asBiller(() => updateVisitAction({ id: visit.id, version: visit.version, visit: otForm("2026-03-11") }));
    expect(moved.ok, JSON.stringify(moved)).toBe(true);
    await expectPtAlone();
    // the week still holds both visits, now priced apart: $59.89 + $42.46 = $102.35; gain $11.83
    expect(await week()).toEqual({ expected: 10235, gain: 1183 });

    const back = await asBiller(() => updateVisitAction({ id: visit.id, version: visit.version + 1, visit: otForm("2026-03-10") }));
    expect(back.ok, JSON.stringify(back)).toBe(true);
    await expectDayTogether();
  });

  it("deleting the OT visit re-prices the PT visit; restoring it re-prices it again", async () => {
    const visit = await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "D-OT" } });
    const deleted = await asBiller(() => deleteVisitAction({ id: visit.id, version: visit.version }));
    expect(deleted.ok, JSON.stringify(deleted)).toBe(true);
    if (!deleted.ok) return;
    await expectPtAlone();
    expect((await pool("OT"))?.allowedHereCents).toBe(0);
    expect(await week()).toEqual({ expected: 5989, gain: 1183 });

    const restored = await asBiller(() => restoreVisitAction({ deleteEventId: deleted.data.deleteEventId }));
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    await expectDayTogether();
  });

  it("re-importing the OT visit on another date, then back, re-prices the PT visit each time", async () => {
    await importVisitsCsv(t, [HEADER, otRow("2026-03-12")].join("\n"));
    await expectPtAlone();
    await importVisitsCsv(t, [HEADER, otRow("2026-03-10")].join("\n"));
    await expectDayTogether();
  });
});
