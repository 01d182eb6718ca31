// The revenue rollup is brought up to date by the write itself, once it has committed (stage 7 of
// the pipeline, through after-commit.ts, right after the writer's answer): after each kind of
// write no week is left stale for a reader to recompute, and the week's figures are those worked
// out here by hand. No read below refreshes the rollup: the checks wait for the work the write
// started after its commit (afterCommitSettled), then read the RevenueWeek / UnderpaymentDay rows
// as the write left them.
//
// The practice's visits (week of Monday 2 March 2026 unless said):
//   V1 2026-03-02: 97110 × 2 $100.00 + 97140 × 1 $50.00          (claim C1)
//   V2 2026-03-04: 97530 × 2 $120.00                              (claim C2)
//   → week of 2 March: 2 visits, 3 lines, 5 units, charges $270.00
// A visit made on the form, V9: 97112 × 1 $60.00 on 2026-03-11 (week of 9 March), then moved to
// 2026-03-05 (week of 2 March), deleted, restored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, paidServiceLine } from "@/prisma/generator/x12";
import { markUnderpayment } from "@/app/(app)/underpayments/actions";
import { saveEob } from "@/app/(app)/remits/actions";
import { createVisitAction, deleteVisitAction, restoreVisitAction, updateVisitAction } from "@/app/(app)/visits/actions";
import type { VisitFormInput } from "@/lib/schemas/visit";
import { afterCommit, afterCommitSettled } from "../core/after-commit";
import { runAsUser } from "../core/context";
import { dateFromIso } from "../core/dates";
import { db as appDb, disconnectDb } from "../core/db";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const VISITS = [
  HEADER,
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97140,GP,15,1,50.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-04,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
].join("\n");
const MARCH_2 = "2026-03-02";
const MARCH_9 = "2026-03-09";

describe("the revenue rollup brought up to date by each write", () => {
  let t: TestPractice;

  /** The weeks a reader would still have to recompute, once the write's work after commit has ended. */
  const staleWeeks = async () => {
    await afterCommitSettled();
    return db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } });
  };
  /** The week's RevenueWeek rows summed over payers and therapists, as the write left them. */
  const week = async (weekStart: string) => {
    await afterCommitSettled();
    const sum = await db().revenueWeek.aggregate({
      where: { practiceId: t.practiceId, weekStart: dateFromIso(weekStart) },
      _sum: { visits: true, lines: true, units: true, chargeCents: true, paidCents: true, patientRespCents: true, remittedLines: true },
    });
    return {
      visits: Number(sum._sum.visits ?? 0),
      lines: Number(sum._sum.lines ?? 0),
      units: Number(sum._sum.units ?? 0),
      charge: Number(sum._sum.chargeCents ?? 0),
      paid: Number(sum._sum.paidCents ?? 0),
      patientResp: Number(sum._sum.patientRespCents ?? 0),
      remitted: Number(sum._sum.remittedLines ?? 0),
    };
  };
  const v9Form = async (date: string): Promise<VisitFormInput> => {
    const therapist = await db().therapist.findFirstOrThrow({ where: { practiceId: t.practiceId, npi: "1234567890" } });
    const payer = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "medicare" } });
    return {
      patient: "P1",
      visitId: "V9",
      dateOfService: date,
      therapistId: String(therapist.id),
      payerId: String(payer.id),
      claimId: "C9",
      placeOfService: "11",
      lines: [{ id: "", cpt: "97112", minutes: "15", modifiers: "GP", unitsBilled: "1", charge: "60.00", note: "" }],
    };
  };
  const v9 = () => db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "V9" } });

  beforeAll(async () => {
    t = await createTestPractice("rollup-write");
  });
  afterAll(async () => {
    await disconnectDb();
  });

  it("runs what a transaction asks for once it has committed, once per key, and nothing after a rollback", async () => {
    const seen: string[] = [];
    await asPractice(t, async () => {
      await appDb().$transaction(async (tx) => {
        await tx.revenueDirtyWeek.create({ data: { practiceId: t.practiceId, weekStart: dateFromIso(MARCH_9) } });
        afterCommit("note", async () => {
          // after the commit: another connection (the owner's) sees the transaction's row
          const committed = await db().revenueDirtyWeek.count({ where: { practiceId: t.practiceId } });
          seen.push(`first, ${committed} row committed`);
        });
        afterCommit("note", async () => void seen.push("second"));
        // not yet: the transaction has not committed
        expect(seen).toEqual([]);
      });
      await afterCommitSettled();
      expect(seen).toEqual(["first, 1 row committed"]);
      await db().revenueDirtyWeek.deleteMany({ where: { practiceId: t.practiceId } });
      await expect(
        appDb().$transaction(async () => {
          afterCommit("rolled back", async () => void seen.push("rolled back"));
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      // a task that fails is logged; the write it followed stays done
      await appDb().$transaction(async () => {
        afterCommit("fails", async () => {
          throw new Error("refresh failed");
        });
      });
      await afterCommitSettled();
    });
    expect(seen).toEqual(["first, 1 row committed"]);
  });

  it("after a visits.csv import", async () => {
    await importVisitsCsv(t, VISITS);
    expect(await staleWeeks()).toBe(0);
    // 2 visits; lines 97110, 97140, 97530; units 2 + 1 + 2 = 5; $100 + $50 + $120 = $270.00
    expect(await week(MARCH_2)).toMatchObject({ visits: 2, lines: 3, units: 5, charge: 27000, paid: 0 });
  });

  it("after a visit is saved, moved to another week, deleted and restored on the form", async () => {
    const created = await runAsUser(t.users.BILLER, async () => createVisitAction(await v9Form("2026-03-11")));
    expect(created.ok, JSON.stringify(created)).toBe(true);
    expect(await staleWeeks()).toBe(0);
    // V9 alone in the week of 9 March: 1 visit, 1 line, 1 unit, $60.00
    expect(await week(MARCH_9)).toMatchObject({ visits: 1, lines: 1, units: 1, charge: 6000 });

    let visit = await v9();
    const moved = await runAsUser(t.users.BILLER, async () =>
      updateVisitAction({ id: visit.id, version: visit.version, visit: await v9Form("2026-03-05") }),
    );
    expect(moved.ok, JSON.stringify(moved)).toBe(true);
    expect(await staleWeeks()).toBe(0);
    // both weeks: 9 March is empty; 2 March holds 3 visits, 4 lines, 6 units, $270 + $60 = $330.00
    expect(await week(MARCH_9)).toMatchObject({ visits: 0, lines: 0, charge: 0 });
    expect(await week(MARCH_2)).toMatchObject({ visits: 3, lines: 4, units: 6, charge: 33000 });

    visit = await v9();
    const deleted = await runAsUser(t.users.BILLER, () => deleteVisitAction({ id: visit.id, version: visit.version }));
    expect(deleted.ok, JSON.stringify(deleted)).toBe(true);
    if (!deleted.ok) return;
    expect(await staleWeeks()).toBe(0);
    // back to V1 and V2: $270.00
    expect(await week(MARCH_2)).toMatchObject({ visits: 2, lines: 3, units: 5, charge: 27000 });

    const restored = await runAsUser(t.users.BILLER, () => restoreVisitAction({ deleteEventId: deleted.data.deleteEventId }));
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    expect(await staleWeeks()).toBe(0);
    expect(await week(MARCH_2)).toMatchObject({ visits: 3, lines: 4, units: 6, charge: 33000 });
  });

  it("after an 835 import, a paper EOB and an underpayment's status changes", async () => {
    // C1 paid by 835 (20% coinsurance of the allowed, paidServiceLine):
    //   97110 allowed $10.00 → paid $8.00, patient $2.00 (far below its Medicare price: underpaid)
    //   97140 allowed its whole charge $50.00 → paid $40.00, patient $10.00 (not underpaid)
    const { text } = generate835({
      claims: [
        {
          patientControlNumber: "C1",
          payerClaimControlNumber: "ICN1",
          patient: { lastName: "Walker", firstName: "Ann", memberId: "1EG4TE5MK73" },
          serviceLines: [paidServiceLine("97110", MARCH_2, 10000, 1000, 2), paidServiceLine("97140", MARCH_2, 5000, 5000)],
        },
      ],
      payerName: "MEDICARE",
    });
    const imported = await asPractice(t, () =>
      import835({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "c1.835",
        content: Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, "TRN*1*ROLLUP-C1")),
      }),
    );
    expect(imported.status, JSON.stringify(imported)).toBe("imported");
    expect(await staleWeeks()).toBe(0);
    // paid $8.00 + $40.00 = $48.00; patient $2.00 + $10.00 = $12.00; 2 lines with a remit
    expect(await week(MARCH_2)).toMatchObject({ charge: 33000, paid: 4800, patientResp: 1200, remitted: 2 });

    // C2 on a paper EOB: 97530 $120.00, allowed $60.00 (CO-45 $60.00), paid $48.00, patient $12.00
    const payer = await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "medicare" } });
    const eob = await runAsUser(t.users.MANAGER, () =>
      saveEob({
        payerId: String(payer.id),
        checkNumber: "CHK-ROLLUP",
        paymentDate: "2026-03-20",
        amount: "48.00",
        claims: [
          {
            claimNumber: "C2",
            status: "1",
            payerClaimNumber: "",
            patientName: "Walker, Ann",
            memberId: "",
            lines: [
              {
                serviceDate: "2026-03-04",
                cpt: "97530",
                modifiers: "GP",
                units: "2",
                charge: "120.00",
                allowed: "",
                paid: "48.00",
                remarks: "",
                adjustments: [
                  { group: "CO", reason: "45", amount: "60.00" },
                  { group: "PR", reason: "2", amount: "12.00" },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(eob.ok, JSON.stringify(eob)).toBe(true);
    expect(await staleWeeks()).toBe(0);
    // paid $48.00 + $48.00 = $96.00; patient $12.00 + $12.00 = $24.00; 3 lines with a remit
    expect(await week(MARCH_2)).toMatchObject({ paid: 9600, patientResp: 2400, remitted: 3 });

    // the 97110 line of C1 is underpaid: its UnderpaymentDay row moves with its status
    const underpaid = await db().remitLine.findFirstOrThrow({
      where: { practiceId: t.practiceId, cpt: "97110", varianceCents: { gt: 0 } },
      select: { id: true, varianceCents: true },
    });
    const day = async () =>
      (
        await db().underpaymentDay.findMany({
          where: { practiceId: t.practiceId, cpt: "97110" },
          select: { status: true, lines: true, varianceCents: true, recoveredCents: true },
        })
      ).map((d) => ({ ...d, varianceCents: Number(d.varianceCents), recoveredCents: Number(d.recoveredCents) }));
    expect(await day()).toEqual([{ status: "OPEN", lines: 1, varianceCents: underpaid.varianceCents, recoveredCents: 0 }]);
    const mark = (status: "OPEN" | "APPEALED" | "RECOVERED", from: "OPEN" | "APPEALED" | "RECOVERED") =>
      runAsUser(t.users.MANAGER, () => markUnderpayment({ remitLineId: underpaid.id, status, from, note: "" }));
    expect((await mark("APPEALED", "OPEN")).ok).toBe(true);
    expect(await staleWeeks()).toBe(0);
    expect(await day()).toEqual([{ status: "APPEALED", lines: 1, varianceCents: underpaid.varianceCents, recoveredCents: 0 }]);
    // recovered: the dollars recovered are the line's whole difference
    expect((await mark("RECOVERED", "APPEALED")).ok).toBe(true);
    expect(await staleWeeks()).toBe(0);
    expect(await day()).toEqual([
      { status: "RECOVERED", lines: 1, varianceCents: underpaid.varianceCents, recoveredCents: underpaid.varianceCents },
    ]);
    // and reopened (the undo of a closed line)
    expect((await mark("OPEN", "RECOVERED")).ok).toBe(true);
    expect(await staleWeeks()).toBe(0);
    expect(await day()).toEqual([{ status: "OPEN", lines: 1, varianceCents: underpaid.varianceCents, recoveredCents: 0 }]);
  });
});
