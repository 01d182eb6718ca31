// The biller's actions on a queue item, called through the server actions as a signed-in
// user (the guard runs for real): each is audited, recorded in the item's history, applied
// in one transaction under the item's optimistic lock, and never applied twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addKx,
  assignItem,
  markDocReviewed,
  recordAbnAction,
  reopenItem,
  resolveItem,
  snoozeItem,
  undoLastAction,
} from "@/app/(app)/kx/actions";
import { CONFLICT_MESSAGE } from "@/lib/schemas/kx";
import { runAsUser } from "../core/context";
import { asPractice, db } from "../testing";
import { disconnectDb } from "../core/db";
import { createUser } from "../users";
import { saveUsedElsewhere } from "./actions";
import { addPatient, createKxFixture, item, type KxFixture, linesOf, saveVisit } from "./test-fixtures";

let f: KxFixture;
let secondBiller: number;
beforeAll(async () => {
  f = await createKxFixture("kx-actions");
  const u = await asPractice(f.practiceId, () =>
    createUser(f.practiceId, {
      email: `biller2-${f.slug}@example.test`,
      role: "BILLER",
      password: "test-password-123",
      name: "Second Biller",
    }),
  );
  secondBiller = u.id;
});
afterAll(() => disconnectDb());

/** A patient past KX with priced Medicare lines: $2,400 used elsewhere, then three visits. */
async function pastKx(externalId: string, opts: { gaOnLastVisit?: boolean } = {}) {
  const p = await addPatient(f, externalId);
  await asPractice(f.practiceId, () =>
    saveUsedElsewhere(
      { practiceId: f.practiceId, userId: f.users.BILLER },
      { patientId: p, year: 2026, pool: "PT_SLP", amount: 240000, source: "MAC portal", asOf: "2026-01-05" },
    ),
  );
  const visits: number[] = [];
  for (const [n, date] of ["2026-02-02", "2026-02-09", "2026-02-16"].entries()) {
    const ga = opts.gaOnLastVisit && n === 2;
    visits.push(
      await saveVisit(f, {
        patientId: p,
        externalId: `${externalId}-V${n + 1}`,
        date,
        price: true,
        lines: [
          { cpt: "97110", modifiers: ga ? ["GP", "GA"] : ["GP"], minutes: 30, units: 2 },
          { cpt: "97140", modifiers: ["GP"], minutes: 15, units: 1 },
        ],
      }),
    );
  }
  const it = (await item(f, p, 2026, "PT_SLP"))!;
  return { patientId: p, item: it, visits };
}

async function history(itemId: number) {
  return db().kxQueueAction.findMany({ where: { itemId }, orderBy: { id: "asc" } });
}
async function auditActions(itemId: number) {
  return (
    await db().auditEvent.findMany({
      where: { practiceId: f.practiceId, entityType: "KxQueueItem", entityId: String(itemId) },
      orderBy: { id: "asc" },
    })
  ).map((a) => a.action);
}

describe("add KX", () => {
  it("adds KX to every line that needs it in one step, refuses the lines with GA, and leaves the missing-KX state", async () => {
    const { item: before, visits } = await pastKx("ADDKX", { gaOnLastVisit: true });
    expect(before.level).toBe("kx");
    expect(before.linesMissingKx).toBeGreaterThan(0);
    const visitVersions = await db().visit.findMany({ where: { id: { in: visits } }, select: { id: true, version: true } });

    const r = await runAsUser(f.users.BILLER, () => addKx({ itemId: before.id, version: before.version }));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.data.changed).toHaveLength(before.linesMissingKx);
    expect(r.data.refused).toHaveLength(1);
    expect(r.data.refused[0]).toMatchObject({ cpt: "97110", dateOfService: "2026-02-16" });
    expect(r.data.refused[0]!.reason).toMatch(/GA/);
    expect(r.data.linesMissingKx).toBe(0);
    expect(r.data.version).toBe(before.version + 1);

    const after = (await db().kxQueueItem.findUnique({ where: { id: before.id } }))!;
    expect(after.linesMissingKx).toBe(0);
    expect(after.urgency).toBe(3);
    // re-pricing the visits changed no amount
    expect(after.totalCents).toBe(before.totalCents);
    const gaLine = (await linesOf(visits[2]!))[0]!;
    expect(gaLine.modifiers).toEqual(["GP", "GA"]);
    for (const v of visits)
      for (const l of await linesOf(v))
        if (!l.modifiers.includes("GA") && l.modifiers.includes("KX")) expect(l.modifiers.filter((m) => m === "KX")).toHaveLength(1);
    const versionsAfter = await db().visit.findMany({ where: { id: { in: visits } }, select: { id: true, version: true } });
    expect(versionsAfter.some((v) => v.version > visitVersions.find((b) => b.id === v.id)!.version)).toBe(true);

    expect((await history(before.id)).map((h) => h.action)).toEqual(["used_elsewhere", "add_kx"]);
    expect(await auditActions(before.id)).toEqual(["kx.add_kx"]);

    // nothing left to add: refused, nothing changes
    const again = await runAsUser(f.users.BILLER, () => addKx({ itemId: before.id, version: after.version }));
    expect(again).toMatchObject({ ok: false, status: 400 });
    if (!again.ok) expect(again.error).toMatch(/No line .* missing KX.*GA/);
    expect((await history(before.id)).filter((h) => h.action === "add_kx")).toHaveLength(1);
  });

  it("undo removes the KX just added; a second undo has nothing to undo", async () => {
    const { item: before, visits } = await pastKx("UNDOKX");
    const r = await runAsUser(f.users.BILLER, () => addKx({ itemId: before.id, version: before.version }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const u = await runAsUser(f.users.BILLER, () => undoLastAction({ itemId: before.id, version: r.data.version }));
    expect(u.ok, JSON.stringify(u)).toBe(true);
    if (!u.ok) return;
    expect(u.data.undone).toBe("add_kx");
    expect(u.data.linesMissingKx).toBe(before.linesMissingKx);
    for (const v of visits) for (const l of await linesOf(v)) expect(l.modifiers).not.toContain("KX");
    const twice = await runAsUser(f.users.BILLER, () => undoLastAction({ itemId: before.id, version: u.data.version }));
    expect(twice).toMatchObject({ ok: false, status: 400, error: "There is nothing to undo on this item" });
    expect((await history(before.id)).map((h) => h.action)).toEqual(["used_elsewhere", "add_kx", "undo"]);
  });
});

describe("ABN", () => {
  it("records an ABN: GA instead of KX on the lines that need it; KX is then refused on them", async () => {
    const { item: before, visits } = await pastKx("ABN");
    const r = await runAsUser(f.users.BILLER, () =>
      recordAbnAction({ itemId: before.id, version: before.version, signedOn: "2026-02-01", note: "patient chose to continue" }),
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.data.changed).toHaveLength(before.linesMissingKx);
    expect(r.data.linesMissingKx).toBe(0);
    const all = (await Promise.all(visits.map((v) => linesOf(v)))).flat();
    expect(all.filter((l) => l.modifiers.includes("GA"))).toHaveLength(before.linesMissingKx);
    expect(all.some((l) => l.modifiers.includes("GA") && l.modifiers.includes("KX"))).toBe(false);

    const kx = await runAsUser(f.users.BILLER, () => addKx({ itemId: before.id, version: r.data.version }));
    expect(kx.ok).toBe(false);
    if (!kx.ok) expect(kx.error).toMatch(/KX and GA are never on the same line/);
    const h = await history(before.id);
    expect(h.at(-1)).toMatchObject({ action: "record_abn", note: "patient chose to continue" });
  });
});

describe("assign, review, snooze, resolve, reopen", () => {
  it("assigns to me, to another biller, refuses a manager, unassigns", async () => {
    const { item: it0 } = await pastKx("ASSIGN");
    const me = await runAsUser(f.users.BILLER, () => assignItem({ itemId: it0.id, version: it0.version, assignee: "me" }));
    expect(me).toMatchObject({ ok: true, data: { assigneeId: f.users.BILLER } });
    if (!me.ok) return;
    const other = await runAsUser(f.users.BILLER, () => assignItem({ itemId: it0.id, version: me.data.version, assignee: secondBiller }));
    expect(other).toMatchObject({ ok: true, data: { assigneeId: secondBiller } });
    if (!other.ok) return;
    const manager = await runAsUser(f.users.BILLER, () =>
      assignItem({ itemId: it0.id, version: other.data.version, assignee: f.users.MANAGER }),
    );
    expect(manager).toMatchObject({ ok: false, status: 400, fieldErrors: { assignee: ["not a biller of this practice"] } });
    const none = await runAsUser(f.users.OWNER, () => assignItem({ itemId: it0.id, version: other.data.version, assignee: "none" }));
    expect(none).toMatchObject({ ok: true, data: { assigneeId: null } });
    expect(await auditActions(it0.id)).toEqual(["kx.assign", "kx.assign", "kx.assign"]);
  });

  it("marks documentation reviewed past $3,000 with a note: no longer urgent", async () => {
    const p = await addPatient(f, "DOCREVIEW");
    await saveVisit(f, { patientId: p, externalId: "DR-1", date: "2026-03-01", lines: [{ modifiers: ["GP", "KX"], allowed: 310000 }] });
    const i = (await item(f, p, 2026, "PT_SLP"))!;
    expect(i).toMatchObject({ level: "review", urgency: 1 });
    const bad = await runAsUser(f.users.BILLER, () => markDocReviewed({ itemId: i.id, version: i.version, note: "" }));
    expect(bad).toMatchObject({ ok: false, status: 400 });
    if (!bad.ok) expect(bad.fieldErrors?.note?.length).toBe(1);
    const r = await runAsUser(f.users.BILLER, () =>
      markDocReviewed({ itemId: i.id, version: i.version, note: "Progress note 3/1 shows gait speed up 0.2 m/s" }),
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const after = (await item(f, p, 2026, "PT_SLP"))!;
    expect(after.urgency).toBe(4);
    expect(after.docReviewNote).toMatch(/gait speed/);
    expect(after.docReviewedAt).not.toBeNull();
    if (!r.ok) return;
    const u = await runAsUser(f.users.BILLER, () => undoLastAction({ itemId: i.id, version: r.data.version }));
    expect(u.ok).toBe(true);
    expect(await item(f, p, 2026, "PT_SLP")).toMatchObject({ urgency: 1, docReviewedAt: null, docReviewNote: null });
  });

  it("snoozes until a later date, resolves, reopens", async () => {
    const { item: i } = await pastKx("SNOOZE");
    const past = await runAsUser(f.users.BILLER, () => snoozeItem({ itemId: i.id, version: i.version, until: "2020-01-01" }));
    expect(past).toMatchObject({ ok: false, status: 400 });
    if (!past.ok) expect(past.fieldErrors?.until?.[0]).toMatch(/after today/);
    const s = await runAsUser(f.users.BILLER, () =>
      snoozeItem({ itemId: i.id, version: i.version, until: "2099-01-01", note: "waiting for the plan of care" }),
    );
    expect(s).toMatchObject({ ok: true, data: { status: "SNOOZED", snoozedUntil: "2099-01-01" } });
    if (!s.ok) return;
    const r = await runAsUser(f.users.BILLER, () => resolveItem({ itemId: i.id, version: s.data.version, note: "handled on the claim" }));
    expect(r).toMatchObject({ ok: true, data: { status: "RESOLVED", snoozedUntil: null } });
    if (!r.ok) return;
    const again = await runAsUser(f.users.BILLER, () => resolveItem({ itemId: i.id, version: r.data.version }));
    expect(again).toMatchObject({ ok: false, status: 400, error: "This item is already resolved" });
    const o = await runAsUser(f.users.BILLER, () => reopenItem({ itemId: i.id, version: r.data.version }));
    expect(o).toMatchObject({ ok: true, data: { status: "OPEN" } });
    expect((await history(i.id)).map((h) => h.action)).toEqual(["used_elsewhere", "snooze", "resolve", "reopen"]);
    expect(await auditActions(i.id)).toEqual(["kx.snooze", "kx.resolve", "kx.reopen"]);
  });
});

describe("optimistic locking", () => {
  it("two billers racing on one item: exactly one wins, the other gets Conflict, history has one entry", async () => {
    const { item: i, visits } = await pastKx("RACE");
    const results = await Promise.all([
      runAsUser(f.users.BILLER, () => addKx({ itemId: i.id, version: i.version })),
      runAsUser(secondBiller, () => addKx({ itemId: i.id, version: i.version })),
    ]);
    const wins = results.filter((r) => r.ok);
    const losses = results.filter((r) => !r.ok);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(1);
    expect(losses[0]).toMatchObject({ ok: false, status: 409, error: CONFLICT_MESSAGE });
    expect((await history(i.id)).filter((h) => h.action === "add_kx")).toHaveLength(1);
    expect(await auditActions(i.id)).toEqual(["kx.add_kx"]);
    for (const v of visits) for (const l of await linesOf(v)) expect(l.modifiers.filter((m) => m === "KX").length).toBeLessThanOrEqual(1);
    expect((await db().kxQueueItem.findUnique({ where: { id: i.id } }))?.version).toBe(i.version + 1);
  });

  it("racing different actions on one item: one wins", async () => {
    const { item: i } = await pastKx("RACE2");
    const results = await Promise.all([
      runAsUser(f.users.BILLER, () => assignItem({ itemId: i.id, version: i.version, assignee: "me" })),
      runAsUser(secondBiller, () => resolveItem({ itemId: i.id, version: i.version })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.status === 409)).toHaveLength(1);
    expect((await history(i.id)).filter((h) => h.action !== "used_elsewhere")).toHaveLength(1);
  });

  it("a stale version is refused with the reload message and changes nothing", async () => {
    const { item: i } = await pastKx("STALE");
    const first = await runAsUser(f.users.BILLER, () => assignItem({ itemId: i.id, version: i.version, assignee: "me" }));
    expect(first.ok).toBe(true);
    const stale = await runAsUser(secondBiller, () => addKx({ itemId: i.id, version: i.version }));
    expect(stale).toMatchObject({
      ok: false,
      status: 409,
      error: "Someone else updated this item a moment ago — reload to see their change",
    });
    expect((await item(f, i.patientId, 2026, "PT_SLP"))?.linesMissingKx).toBe(i.linesMissingKx);
  });
});

describe("who may act", () => {
  it("a manager or an admin (no kx.work) gets 403; an owner may act", async () => {
    const { item: i } = await pastKx("ROLES");
    for (const role of ["MANAGER", "ADMIN"] as const) {
      const r = await runAsUser(f.users[role], () => addKx({ itemId: i.id, version: i.version }));
      expect(r).toMatchObject({ ok: false, status: 403 });
      const s = await runAsUser(f.users[role], () => resolveItem({ itemId: i.id, version: i.version }));
      expect(s).toMatchObject({ ok: false, status: 403 });
    }
    const owner = await runAsUser(f.users.OWNER, () => assignItem({ itemId: i.id, version: i.version, assignee: "me" }));
    expect(owner).toMatchObject({ ok: true, data: { assigneeId: f.users.OWNER } });
    expect((await history(i.id)).filter((h) => h.action !== "used_elsewhere")).toHaveLength(1);
  });

  it("a biller of another practice gets 404 for this practice's item, and nothing changes", async () => {
    const { item: i } = await pastKx("OTHER-PRACTICE");
    const other = await createKxFixture("kx-actions-other");
    for (const action of [
      () => addKx({ itemId: i.id, version: i.version }),
      () => assignItem({ itemId: i.id, version: i.version, assignee: "me" }),
      () => snoozeItem({ itemId: i.id, version: i.version, until: "2099-01-01" }),
      () => undoLastAction({ itemId: i.id, version: i.version }),
    ]) {
      const r = await runAsUser(other.users.BILLER, action);
      expect(r).toMatchObject({ ok: false, status: 404 });
    }
    expect((await db().kxQueueItem.findUnique({ where: { id: i.id } }))?.version).toBe(i.version);
  });
});
