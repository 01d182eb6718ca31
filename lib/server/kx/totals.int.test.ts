// The running totals of DOMAIN.md §1 as stored on the queue items, kept current by every
// write: levels are crossed only when strictly exceeded, amounts used elsewhere come first,
// pools and years stay apart, a remit's allowed amount replaces the estimate, and editing
// or deleting an earlier visit moves the crossing line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveUsedElsewhereAction } from "@/app/(app)/kx/actions";
import { runAsUser } from "../core/context";
import { db } from "../testing";
import { disconnectDb } from "../core/db";
import { isoDate } from "../core/dates";
import {
  addPatient,
  confirmLine,
  createKxFixture,
  deleteVisit,
  editVisit,
  item,
  type KxFixture,
  linesOf,
  saveVisit,
} from "./test-fixtures";

let f: KxFixture;
beforeAll(async () => {
  f = await createKxFixture("kx-totals");
});
afterAll(() => disconnectDb());

const day = (d: Date | null | undefined) => (d ? isoDate(d) : null);

describe("levels are crossed only when strictly exceeded", () => {
  it("a total equal to the alert level is not past it; one cent more is", async () => {
    const p = await addPatient(f, "LEVEL-ALERT");
    await saveVisit(f, { patientId: p, externalId: "LA-1", date: "2026-02-01", lines: [{ modifiers: ["GP"], allowed: 150000 }] });
    await saveVisit(f, { patientId: p, externalId: "LA-2", date: "2026-02-08", lines: [{ modifiers: ["GP"], allowed: 50000 }] });
    let i = await item(f, p, 2026, "PT_SLP");
    expect(i?.totalCents).toBe(200000);
    expect(i?.level).toBe("below");
    expect(i?.alertCrossedOn).toBeNull();
    expect(i?.urgency).toBe(9);

    await saveVisit(f, { patientId: p, externalId: "LA-3", date: "2026-02-15", lines: [{ modifiers: ["GP"], allowed: 1 }] });
    i = await item(f, p, 2026, "PT_SLP");
    expect(i?.totalCents).toBe(200001);
    expect(i?.level).toBe("alert");
    expect(day(i?.alertCrossedOn)).toBe("2026-02-15");
    expect(i?.urgency).toBe(2);
  });

  it("a total equal to the KX threshold ($2,480.00 in 2026) needs no KX; $2,480.01 does, from the crossing line on", async () => {
    const p = await addPatient(f, "LEVEL-KX");
    await saveVisit(f, {
      patientId: p,
      externalId: "LK-1",
      date: "2026-03-01",
      lines: [
        { modifiers: ["GP"], allowed: 200000 },
        { modifiers: ["GP"], allowed: 48000 },
      ],
    });
    let i = await item(f, p, 2026, "PT_SLP");
    expect(i?.totalCents).toBe(248000);
    expect(i?.level).toBe("alert");
    expect(i?.kxCrossedOn).toBeNull();
    expect(i?.linesMissingKx).toBe(0);

    await saveVisit(f, {
      patientId: p,
      externalId: "LK-2",
      date: "2026-03-05",
      lines: [
        { modifiers: ["GP"], allowed: 1 },
        { modifiers: ["GP"], allowed: 5000 },
      ],
    });
    i = await item(f, p, 2026, "PT_SLP");
    expect(i?.level).toBe("kx");
    expect(day(i?.kxCrossedOn)).toBe("2026-03-05");
    // both lines of the second visit: the crossing line and the one after it
    expect(i?.linesMissingKx).toBe(2);
    expect(i?.urgency).toBe(0);
  });

  it("a total equal to $3,000.00 is not past review; $3,000.01 is", async () => {
    const p = await addPatient(f, "LEVEL-REVIEW");
    await saveVisit(f, { patientId: p, externalId: "LR-1", date: "2026-04-01", lines: [{ modifiers: ["GP", "KX"], allowed: 300000 }] });
    let i = await item(f, p, 2026, "PT_SLP");
    expect(i?.level).toBe("kx");
    expect(i?.reviewCrossedOn).toBeNull();
    expect(i?.linesMissingKx).toBe(0);
    expect(i?.urgency).toBe(3);
    await saveVisit(f, { patientId: p, externalId: "LR-2", date: "2026-04-02", lines: [{ modifiers: ["GP", "KX"], allowed: 1 }] });
    i = await item(f, p, 2026, "PT_SLP");
    expect(i?.level).toBe("review");
    expect(day(i?.reviewCrossedOn)).toBe("2026-04-02");
    // past review without documentation review
    expect(i?.urgency).toBe(1);
  });
});

describe("amounts used elsewhere", () => {
  it("are added first, with their source and date, through the biller's form", async () => {
    const p = await addPatient(f, "ELSEWHERE");
    const first = await saveVisit(f, {
      patientId: p,
      externalId: "EL-1",
      date: "2026-05-01",
      lines: [{ modifiers: ["GP"], allowed: 10000 }],
    });
    await saveVisit(f, { patientId: p, externalId: "EL-2", date: "2026-05-08", lines: [{ modifiers: ["GP"], allowed: 10000 }] });
    expect((await item(f, p, 2026, "PT_SLP"))?.level).toBe("below");

    const result = await runAsUser(f.users.BILLER, () =>
      saveUsedElsewhereAction({ patientId: p, year: 2026, pool: "PT_SLP", amount: "2385.00", source: "MAC portal", asOf: "2026-04-20" }),
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const i = await item(f, p, 2026, "PT_SLP");
    expect(i?.usedElsewhereCents).toBe(238500);
    expect(i?.allowedHereCents).toBe(20000);
    expect(i?.totalCents).toBe(258500);
    // 2385 + 100 = 2485 > 2480: the first visit crosses KX
    expect(day(i?.kxCrossedOn)).toBe("2026-05-01");
    expect(i?.linesMissingKx).toBe(2);
    const usage = await db().thresholdUsage.findUnique({
      where: { practiceId_patientId_year_pool: { practiceId: f.practiceId, patientId: p, year: 2026, pool: "PT_SLP" } },
    });
    expect(usage).toMatchObject({ amountCents: 238500, source: "MAC portal" });
    expect(isoDate(usage!.asOf)).toBe("2026-04-20");
    const events = await db().auditEvent.findMany({ where: { practiceId: f.practiceId, action: "usage.update", patientId: p } });
    expect(events).toHaveLength(1);
    const history = await db().kxQueueAction.findMany({ where: { itemId: i!.id } });
    expect(history.map((h) => h.action)).toEqual(["used_elsewhere"]);

    // lowering it moves the crossing back
    await runAsUser(f.users.BILLER, () =>
      saveUsedElsewhereAction({
        patientId: p,
        year: 2026,
        pool: "PT_SLP",
        amount: "2375",
        source: "eligibility response (271)",
        asOf: "2026-05-02",
      }),
    );
    const j = await item(f, p, 2026, "PT_SLP");
    expect(j?.totalCents).toBe(257500);
    expect(day(j?.kxCrossedOn)).toBe("2026-05-08");
    expect(j?.linesMissingKx).toBe(1);
    expect(first).toBeGreaterThan(0);
  });

  it("already past a level: the first line of the year crosses it; a pool with no lines yet still gets its item", async () => {
    const p = await addPatient(f, "ELSEWHERE-PAST");
    const r = await runAsUser(f.users.OWNER, () =>
      saveUsedElsewhereAction({ patientId: p, year: 2026, pool: "OT", amount: "2500.00", source: "MAC portal", asOf: "2026-06-01" }),
    );
    expect(r.ok).toBe(true);
    let i = await item(f, p, 2026, "OT");
    expect(i).toMatchObject({ usedElsewhereCents: 250000, totalCents: 250000, level: "kx", visitCount: 0, linesMissingKx: 0 });
    await saveVisit(f, { patientId: p, externalId: "EP-1", date: "2026-06-10", lines: [{ modifiers: ["GO"], allowed: 100 }] });
    i = await item(f, p, 2026, "OT");
    expect(day(i?.alertCrossedOn)).toBe("2026-06-10");
    expect(day(i?.kxCrossedOn)).toBe("2026-06-10");
    expect(i?.linesMissingKx).toBe(1);
  });

  it("field errors name the field; a negative amount, a date before the year and a missing source are refused", async () => {
    const p = await addPatient(f, "ELSEWHERE-BAD");
    const r = await runAsUser(f.users.BILLER, () =>
      saveUsedElsewhereAction({ patientId: p, year: 2026, pool: "PT_SLP", amount: "-5", source: "", asOf: "2025-12-31" }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(400);
    expect(Object.keys(r.fieldErrors ?? {}).sort()).toEqual(["amount", "asOf", "source"]);
    expect(await item(f, p, 2026, "PT_SLP")).toBeNull();
  });

  it("a patient of another practice is a 404; a manager may not enter usage (403)", async () => {
    const other = await createKxFixture("kx-totals-other");
    const theirs = await addPatient(other, "THEIRS");
    const r = await runAsUser(f.users.BILLER, () =>
      saveUsedElsewhereAction({ patientId: theirs, year: 2026, pool: "PT_SLP", amount: "10", source: "MAC portal", asOf: "2026-01-10" }),
    );
    expect(r).toMatchObject({ ok: false, status: 404 });
    const mine = await addPatient(f, "ELSEWHERE-MANAGER");
    const m = await runAsUser(f.users.MANAGER, () =>
      saveUsedElsewhereAction({ patientId: mine, year: 2026, pool: "PT_SLP", amount: "10", source: "MAC portal", asOf: "2026-01-10" }),
    );
    expect(m).toMatchObject({ ok: false, status: 403 });
  });
});

describe("pools", () => {
  it("keeps OT separate from PT + SLP", async () => {
    const p = await addPatient(f, "POOLS");
    await saveVisit(f, {
      patientId: p,
      externalId: "PO-1",
      date: "2026-01-10",
      lines: [
        { modifiers: ["GP"], allowed: 150000 },
        { modifiers: ["GO"], allowed: 150000 },
      ],
    });
    const pt = await item(f, p, 2026, "PT_SLP");
    const ot = await item(f, p, 2026, "OT");
    expect(pt?.totalCents).toBe(150000);
    expect(ot?.totalCents).toBe(150000);
    expect(pt?.level).toBe("below");
    expect(ot?.level).toBe("below");
  });

  it("counts GN (speech) with GP (physical therapy)", async () => {
    const p = await addPatient(f, "GN-GP");
    await saveVisit(f, {
      patientId: p,
      externalId: "GN-1",
      date: "2026-01-10",
      lines: [{ cpt: "97110", modifiers: ["GP"], allowed: 150000 }],
    });
    await saveVisit(f, {
      patientId: p,
      externalId: "GN-2",
      date: "2026-01-12",
      lines: [{ cpt: "92507", modifiers: ["GN"], allowed: 100000 }],
    });
    const pt = await item(f, p, 2026, "PT_SLP");
    expect(pt?.totalCents).toBe(250000);
    expect(pt?.level).toBe("kx");
    expect(day(pt?.kxCrossedOn)).toBe("2026-01-12");
    expect(await item(f, p, 2026, "OT")).toBeNull();
  });

  it("counts only Medicare lines", async () => {
    const p = await addPatient(f, "COMMERCIAL");
    await saveVisit(f, { patientId: p, externalId: "CO-1", date: "2026-01-10", lines: [{ modifiers: ["GP"], allowed: 100000 }] });
    await saveVisit(f, {
      patientId: p,
      externalId: "CO-2",
      date: "2026-01-11",
      payerId: f.commercialId,
      lines: [{ modifiers: ["GP"], allowed: 200000 }],
    });
    expect((await item(f, p, 2026, "PT_SLP"))?.totalCents).toBe(100000);
  });
});

describe("confirmed and estimated", () => {
  it("a remit's allowed amount replaces the estimate, and the total says when every line is confirmed", async () => {
    const p = await addPatient(f, "REMIT");
    const v1 = await saveVisit(f, {
      patientId: p,
      externalId: "RE-1",
      date: "2026-02-01",
      lines: [{ modifiers: ["GP"], allowed: 240000 }],
    });
    const v2 = await saveVisit(f, { patientId: p, externalId: "RE-2", date: "2026-02-05", lines: [{ modifiers: ["GP"], allowed: 10000 }] });
    let i = await item(f, p, 2026, "PT_SLP");
    expect(i).toMatchObject({ totalCents: 250000, level: "kx", estimated: true });
    expect(day(i?.kxCrossedOn)).toBe("2026-02-05");

    // the 835 allows less on the first visit: the second no longer crosses KX
    const [l1] = await linesOf(v1);
    await confirmLine(f, l1!.id, 230000);
    i = await item(f, p, 2026, "PT_SLP");
    expect(i).toMatchObject({ allowedHereCents: 240000, totalCents: 240000, level: "alert", estimated: true, linesMissingKx: 0 });
    expect(i?.kxCrossedOn).toBeNull();

    const [l2] = await linesOf(v2);
    await confirmLine(f, l2!.id, 18001);
    i = await item(f, p, 2026, "PT_SLP");
    expect(i).toMatchObject({ totalCents: 248001, level: "kx", estimated: false, linesMissingKx: 1 });
  });
});

describe("changes to earlier visits", () => {
  it("editing an earlier visit's lines moves the crossing line; deleting it moves it back", async () => {
    const p = await addPatient(f, "MOVES");
    const a = await saveVisit(f, { patientId: p, externalId: "MV-1", date: "2026-03-01", lines: [{ modifiers: ["GP"], allowed: 100000 }] });
    await saveVisit(f, { patientId: p, externalId: "MV-2", date: "2026-03-08", lines: [{ modifiers: ["GP"], allowed: 100000 }] });
    await saveVisit(f, { patientId: p, externalId: "MV-3", date: "2026-03-15", lines: [{ modifiers: ["GP"], allowed: 100000 }] });
    await saveVisit(f, { patientId: p, externalId: "MV-4", date: "2026-03-22", lines: [{ modifiers: ["GP"], allowed: 100000 }] });
    let i = await item(f, p, 2026, "PT_SLP");
    expect(day(i?.kxCrossedOn)).toBe("2026-03-15");
    expect(day(i?.reviewCrossedOn)).toBe("2026-03-22");
    expect(i?.linesMissingKx).toBe(2);

    await editVisit(f, a, {
      lines: [
        { modifiers: ["GP"], allowed: 100000 },
        { modifiers: ["GP"], allowed: 60000 },
      ],
    });
    i = await item(f, p, 2026, "PT_SLP");
    expect(day(i?.kxCrossedOn)).toBe("2026-03-08");
    expect(day(i?.reviewCrossedOn)).toBe("2026-03-15");
    expect(i?.linesMissingKx).toBe(3);

    await deleteVisit(f, a);
    i = await item(f, p, 2026, "PT_SLP");
    expect(i?.totalCents).toBe(300000);
    expect(day(i?.kxCrossedOn)).toBe("2026-03-22");
    expect(i?.reviewCrossedOn).toBeNull();
    expect(i?.linesMissingKx).toBe(1);
  });

  it("moving a visit earlier in the year makes it the crossing line's predecessor", async () => {
    const p = await addPatient(f, "REDATE");
    await saveVisit(f, { patientId: p, externalId: "RD-1", date: "2026-05-01", lines: [{ modifiers: ["GP"], allowed: 200000 }] });
    const late = await saveVisit(f, {
      patientId: p,
      externalId: "RD-2",
      date: "2026-06-01",
      lines: [{ modifiers: ["GP"], allowed: 100000 }],
    });
    expect(day((await item(f, p, 2026, "PT_SLP"))?.kxCrossedOn)).toBe("2026-06-01");
    await editVisit(f, late, { date: "2026-04-01" });
    expect(day((await item(f, p, 2026, "PT_SLP"))?.kxCrossedOn)).toBe("2026-05-01");
  });

  it("on the same day, the visit id then the line order decide which line crosses", async () => {
    const p = await addPatient(f, "SAMEDAY");
    await saveVisit(f, { patientId: p, externalId: "SD-B", date: "2026-07-01", lines: [{ modifiers: ["GP", "KX"], allowed: 100000 }] });
    await saveVisit(f, {
      patientId: p,
      externalId: "SD-A",
      date: "2026-07-01",
      lines: [
        { modifiers: ["GP"], allowed: 200000 },
        { modifiers: ["GP"], allowed: 48001 },
      ],
    });
    const i = await item(f, p, 2026, "PT_SLP");
    // SD-A before SD-B: 2000.00, 2480.01 (SD-A's second line crosses KX, no KX), 3480.01 (SD-B, has KX)
    expect(i?.linesMissingKx).toBe(1);
    expect(i?.totalCents).toBe(348001);
    expect(day(i?.reviewCrossedOn)).toBe("2026-07-01");
  });
});

describe("years", () => {
  it("keeps each calendar year apart", async () => {
    const p = await addPatient(f, "YEARS");
    await saveVisit(f, { patientId: p, externalId: "YR-1", date: "2025-12-30", lines: [{ modifiers: ["GP"], allowed: 200000 }] });
    await saveVisit(f, { patientId: p, externalId: "YR-2", date: "2026-01-02", lines: [{ modifiers: ["GP"], allowed: 200000 }] });
    const y25 = await item(f, p, 2025, "PT_SLP");
    const y26 = await item(f, p, 2026, "PT_SLP");
    expect(y25).toMatchObject({ totalCents: 200000, level: "below" });
    expect(y26).toMatchObject({ totalCents: 200000, level: "below" });

    // moving a visit across the new year moves its amount from one year to the other; each
    // year has its own KX threshold ($2,410 in 2025, $2,480 in 2026)
    const v = await saveVisit(f, { patientId: p, externalId: "YR-3", date: "2025-12-31", lines: [{ modifiers: ["GP"], allowed: 45000 }] });
    expect(await item(f, p, 2025, "PT_SLP")).toMatchObject({ totalCents: 245000, level: "kx", linesMissingKx: 1 });
    await editVisit(f, v, { date: "2026-01-05" });
    expect(await item(f, p, 2025, "PT_SLP")).toMatchObject({ totalCents: 200000, level: "below", visitCount: 1, linesMissingKx: 0 });
    expect(await item(f, p, 2026, "PT_SLP")).toMatchObject({ totalCents: 245000, level: "alert", visitCount: 2 });
    // 2025's KX threshold is $2,410: its own table row
    await saveVisit(f, { patientId: p, externalId: "YR-4", date: "2025-12-31", lines: [{ modifiers: ["GP"], allowed: 41001 }] });
    expect(await item(f, p, 2025, "PT_SLP")).toMatchObject({ totalCents: 241001, level: "kx", linesMissingKx: 1 });
  });
});
