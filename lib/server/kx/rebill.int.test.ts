// The "rebill with KX" list and its corrected-claim action, through the real 835 import:
// a line Medicare denied CO-119 is listed, the action puts KX on it and marks it sent (off the
// queue's rebill count, audited, undoable, refused when the item changed meanwhile), and the
// next remit for the line settles it. The hand-written remits are those of the edge-rule test
// (e2e/fixtures/remit-edge-rules: kx-denials.835 denies V-ED1's 97140 CO-119; kx-rebill-paid.835
// pays it).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../core/db";
import { Conflict } from "../core/errors";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, type TestPractice } from "../testing";
import { markLinesRebilled, undoLastKxAction } from "./actions";
import { kxQueuePage } from "./queue";
import { recomputeAllKx } from "../derived/kx-all";
import { kxRebillLines, kxRebillPage } from "./rebill";
import { denialLines } from "../denials/query";

const dir = path.resolve("e2e/fixtures/remit-edge-rules");
const VISITS = [
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
  "ED,Dan,Dogwood,1950-01-01,Medicare,medicare,1EDGE0000D4,V-ED1,ED1,2026-05-04,1234567893,Pat Therapist,PT,11,97110,GP,15,1,100.00,",
  "ED,Dan,Dogwood,1950-01-01,Medicare,medicare,1EDGE0000D4,V-ED1,ED1,2026-05-04,1234567893,Pat Therapist,PT,11,97140,GP,15,1,50.00,",
].join("\n");

let t: TestPractice;
const actor = () => ({ practiceId: t.practiceId, userId: t.users.BILLER, timeZone: "America/New_York" });
const item = () =>
  db().kxQueueItem.findFirstOrThrow({ where: { practiceId: t.practiceId, patient: { externalId: "ED" }, year: 2026, pool: "PT_SLP" } });
const line = (order: number) =>
  db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, lineOrder: order, visit: { externalId: "V-ED1" } } });
const importFile = async (name: string) => {
  const r = await import835({
    practiceId: t.practiceId,
    userId: t.users.MANAGER,
    fileName: name,
    content: fs.readFileSync(path.join(dir, name)),
  });
  expect(r.status, JSON.stringify(r.errors)).toBe("imported");
};

beforeAll(async () => {
  t = await createTestPractice("kx-rebill");
  // the practice's own code runs in its scope, as the guard would run it
  await asPractice(t, () => setUp());
}, 120_000);
afterAll(() => disconnectDb());

async function setUp(): Promise<void> {
  for (const [kind, content] of [
    ["visits", VISITS],
    ["usage", "patient_id,year,pool,amount,source,as_of\nED,2026,PT_SLP,2450.00,MAC portal,2026-05-01"],
  ] as const) {
    const r = await importCsv({
      kind,
      practiceId: t.practiceId,
      userId: t.users.ADMIN,
      fileName: `${kind}.csv`,
      content: Buffer.from(content),
    });
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  }
  // the expected allowed amounts of the edge-rule test, set by hand: 97110 30.00, 97140 28.00
  for (const [order, cents] of [
    [0, 3000],
    [1, 2800],
  ]) {
    await db().serviceLine.updateMany({
      where: { practiceId: t.practiceId, lineOrder: order, visit: { externalId: "V-ED1" } },
      data: { expectedAllowedCents: cents },
    });
  }
  await recomputeAllKx(t.practiceId);
  await importFile("kx-denials.835");
}

describe("rebill with KX", () => {
  it("lists the line denied CO-119, still counted at its expected amount, and ranks the item as a rebill", () =>
    asPractice(t, async () => {
      const lines = await kxRebillLines(db(), t.practiceId, { year: 2026 });
      // 2,450.00 used elsewhere + 30.00 + 28.00 = 2,508.00 > 2,480.00: the 97140 crosses KX, is denied CO-119
      expect(lines.map((l) => [l.patientName, l.dateOfService, l.cpt, l.modifiers, l.expectedAllowedCents, l.work, l.rebilledAt])).toEqual([
        ["Dogwood, Dan", "2026-05-04", "97140", ["GP"], 2800, "rebill_kx", null],
      ]);
      // the page and its counts in one statement: one line on the list, one still to send, one page;
      // a page past the end has no rows but still counts the list
      const first = await kxRebillPage(db(), t.practiceId, { year: 2026 }, 1);
      expect([first.rows.map((l) => l.cpt), first.total, first.toRebill, first.pages]).toEqual([["97140"], 1, 1, 1]);
      const past = await kxRebillPage(db(), t.practiceId, { year: 2026 }, 2);
      expect([past.rows, past.total, past.toRebill, past.pages]).toEqual([[], 1, 1, 1]);
      // another pool's list is empty: the line is PT/SLP (GP)
      const ot = await kxRebillPage(db(), t.practiceId, { year: 2026, pool: "OT" }, 1);
      expect([ot.rows, ot.total, ot.toRebill]).toEqual([[], 0, 0]);
      const i = await item();
      expect([i.totalCents, i.linesMissingKx, i.linesToRebill]).toEqual([250800, 1, 1]);
      const q = await kxQueuePage(
        db(),
        { practiceId: t.practiceId, userId: t.users.BILLER, alertLevelCents: 200000 },
        { status: "open", sort: "work", page: 1 },
        "2026-05-10",
      );
      // its one line missing KX is the denied one (1 missing − 1 to rebill = 0 on claims not yet paid): rank 1, rebill
      expect(q.rows.map((r) => [r.patientExternalId, r.work, r.finished])).toEqual([["ED", 1, false]]);
    }));

  it("reads a year's lines by the date a line with work carries, which follows its visit", () =>
    asPractice(t, async () => {
      const [paid, denied] = [await line(0), await line(1)];
      const dateOf = async (serviceLineId: number) =>
        (await db().serviceLineRemit.findUniqueOrThrow({ where: { serviceLineId } })).dateOfService?.toISOString().slice(0, 10) ?? null;
      const listed = async (year: number) => (await kxRebillPage(db(), t.practiceId, { year }, 1)).rows.map((l) => l.cpt);
      // the denied line (work) carries its visit's date, May 4, 2026; the paid line (no work) none
      expect([await dateOf(denied.id), await dateOf(paid.id)]).toEqual(["2026-05-04", null]);
      const visit = await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "V-ED1" } });
      try {
        // the visit moved to December 30, 2025: the line's date follows, and it is 2025's line to rebill
        await db().visit.update({ where: { id: visit.id }, data: { dateOfService: new Date("2025-12-30T00:00:00Z") } });
        await recomputeAllKx(t.practiceId);
        expect(await dateOf(denied.id)).toBe("2025-12-30");
        expect([await listed(2026), await listed(2025)]).toEqual([[], ["97140"]]);
      } finally {
        await db().visit.update({ where: { id: visit.id }, data: { dateOfService: visit.dateOfService } });
        await recomputeAllKx(t.practiceId);
      }
      expect(await dateOf(denied.id)).toBe("2026-05-04");
      expect([await listed(2026), await listed(2025)]).toEqual([["97140"], []]);
    }));

  it("filters the list by clinic: the visit's own clinic, else its therapist's", () =>
    asPractice(t, async () => {
      const north = await db().clinic.create({ data: { practiceId: t.practiceId, name: "North" } });
      const south = await db().clinic.create({ data: { practiceId: t.practiceId, name: "South" } });
      const visit = await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "V-ED1" } });
      const cpts = async (clinic: number) => (await kxRebillPage(db(), t.practiceId, { year: 2026, clinic }, 1)).rows.map((l) => l.cpt);
      try {
        // the therapist works at North, the visit names no clinic: the line is North's
        await db().therapist.update({ where: { id: visit.therapistId }, data: { clinicId: north.id } });
        expect([await cpts(north.id), await cpts(south.id)]).toEqual([["97140"], []]);
        // the visit itself was at South: its own clinic comes first
        await db().visit.update({ where: { id: visit.id }, data: { clinicId: south.id } });
        expect([await cpts(north.id), await cpts(south.id)]).toEqual([[], ["97140"]]);
      } finally {
        await db().visit.update({ where: { id: visit.id }, data: { clinicId: null } });
        await db().therapist.update({ where: { id: visit.therapistId }, data: { clinicId: null } });
        await db().clinic.deleteMany({ where: { id: { in: [north.id, south.id] } } });
      }
    }));

  it("refuses an item changed meanwhile, then puts KX on the line and marks it sent, audited; undo takes both back", () =>
    asPractice(t, async () => {
      const denied = await line(1);
      const before = await item();
      await expect(
        markLinesRebilled(actor(), { itemId: before.id, version: before.version + 1, lineIds: [denied.id] }),
      ).rejects.toBeInstanceOf(Conflict);
      // a line that was not denied is refused, not marked
      const paid = await line(0);
      const r = await markLinesRebilled(actor(), { itemId: before.id, version: before.version, lineIds: [denied.id, paid.id] });
      expect(r.changed.map((c) => c.cpt)).toEqual(["97140"]);
      expect(r.refused.map((c) => [c.cpt, c.reason])).toEqual([["97110", "was not denied for a missing KX or therapy modifier"]]);
      const sent = await line(1);
      expect(sent.modifiers).toEqual(["GP", "KX"]);
      expect(sent.rebilledAt).not.toBeNull();
      expect(sent.rebilledById).toBe(t.users.BILLER);
      // KX on, sent: nothing missing, nothing to rebill; adding KX re-prices the visit (as on the
      // patient page), so the line counts its new expected amount (estimated) until the remit:
      // 2,450.00 used elsewhere + 30.00 confirmed + the line's expected allowed
      const after = await item();
      expect(sent.expectedAllowedCents).toBeGreaterThan(0);
      expect([after.totalCents, after.linesMissingKx, after.linesToRebill, after.estimated]).toEqual([
        245000 + 3000 + sent.expectedAllowedCents!,
        0,
        0,
        true,
      ]);
      const listed = await kxRebillLines(db(), t.practiceId, { year: 2026 });
      expect(listed.map((l) => [l.modifiers, l.rebilledAt !== null])).toEqual([[["GP", "KX"], true]]);
      // still on the list (no remit has answered the corrected claim), no longer to send: 1 listed, 0 to rebill
      const page = await kxRebillPage(db(), t.practiceId, { year: 2026 }, 1);
      expect([page.total, page.toRebill, page.rows.map((l) => l.rebilledBy !== null)]).toEqual([1, 0, [true]]);
      expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action: "kx.rebill", patientId: after.patientId } })).toBe(1);

      const undone = await undoLastKxAction(actor(), { itemId: after.id, version: after.version });
      expect(undone.undone).toBe("rebill");
      const back = await line(1);
      expect([back.modifiers, back.rebilledAt]).toEqual([["GP"], null]);
      expect([(await item()).linesMissingKx, (await item()).linesToRebill]).toEqual([1, 1]);
    }));

  it("a remit received after the corrected claim settles the line: paid, it leaves the list", () =>
    asPractice(t, async () => {
      const i = await item();
      await markLinesRebilled(actor(), { itemId: i.id, version: i.version, lineIds: [(await line(1)).id] });
      await importFile("kx-rebill-paid.835");
      // 0.00 (denial) + 28.00 (paid on the rebill) = 28.00 confirmed: no longer work, off the list
      expect(await kxRebillLines(db(), t.practiceId, { year: 2026 })).toEqual([]);
      const settled = await item();
      expect([settled.totalCents, settled.linesToRebill, settled.estimated]).toEqual([250800, 0, false]);
      // the denial stays in the denials' history: the line's last word is now a payment (no
      // denial cause on its remit row), and its two remit lines still bring the CO-119 one
      const denied = await line(1);
      const remit = await db().serviceLineRemit.findUniqueOrThrow({ where: { serviceLineId: denied.id } });
      expect([remit.remitDenialCause, remit.remitLineCount]).toEqual([null, 2]);
      const may = await denialLines(t.practiceId, { from: "2026-05-01", to: "2026-05-31", cause: "missing_kx" });
      expect([may.total, may.lines.map((l) => [l.cpt, l.paid])]).toEqual([1, [["97140", 0]]]);
    }));
});
