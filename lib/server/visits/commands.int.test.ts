// The visit form's actions against PostgreSQL: lines priced, KX totals kept current across
// create / edit / move / delete / restore, field errors by path, optimistic lock, roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVisitAction, deleteVisitAction, restoreVisitAction, updateVisitAction } from "@/app/(app)/visits/actions";
import type { VisitFormInput } from "@/lib/schemas/visit";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
// two Medicare patients and a PT; usage puts VA-1 just below the 2026 KX threshold ($2,480)
const VISITS = [
  HEADER,
  "VA-1,Ada,Visitor,1945-02-03,Medicare,medicare,M1,SEED-1,CLM-SEED-1,2026-02-02,1000000001,Pat Therapist,PT,11,97110,GP,15,1,60.00,",
  "VA-2,Ben,Visitor,1946-03-04,Medicare,medicare,M2,SEED-2,CLM-SEED-2,2026-02-03,1000000001,Pat Therapist,PT,11,97110,GP,15,1,60.00,",
].join("\n");
const USAGE = ["patient_id,year,pool,amount,source,as_of", "VA-1,2026,PT_SLP,2400.00,MAC portal,2026-02-01"].join("\n");

describe("visit commands", () => {
  let t: TestPractice;
  let other: TestPractice;
  let therapistId: number;
  let medicareId: number;
  let patient1: number;
  let patient2: number;

  const kxItem = (patientId: number, year = 2026) =>
    db().kxQueueItem.findUnique({
      where: { practiceId_patientId_year_pool: { practiceId: t.practiceId, patientId, year, pool: "PT_SLP" } },
    });
  const linesOf = (visitId: number) => db().serviceLine.findMany({ where: { visitId }, orderBy: { lineOrder: "asc" } });
  const form = (over: Partial<VisitFormInput> = {}): VisitFormInput => ({
    patient: "VA-1",
    visitId: "",
    dateOfService: "2026-03-02",
    therapistId: String(therapistId),
    payerId: String(medicareId),
    claimId: "",
    placeOfService: "11",
    lines: [
      { id: "", cpt: "97110", minutes: "24", modifiers: "GP", unitsBilled: "2", charge: "120.00", note: "" },
      { id: "", cpt: "97140", minutes: "23", modifiers: "GP", unitsBilled: "1", charge: "60.00", note: "joint mobilization" },
    ],
    ...over,
  });
  const asBiller = <T>(fn: () => Promise<T>) => runAsUser(t.users.BILLER, fn);

  beforeAll(async () => {
    t = await createTestPractice("visits-cmd");
    other = await createTestPractice("visits-other");
    for (const [kind, content] of [
      ["visits", VISITS],
      ["usage", USAGE],
    ] as const) {
      const r = await asPractice(t.practiceId, () =>
        importCsv({ kind, practiceId: t.practiceId, userId: null, fileName: `${kind}.csv`, content: Buffer.from(content) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    therapistId = (await db().therapist.findFirstOrThrow({ where: { practiceId: t.practiceId } })).id;
    medicareId = (await db().payer.findFirstOrThrow({ where: { practiceId: t.practiceId } })).id;
    patient1 = (await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "VA-1" } })).id;
    patient2 = (await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "VA-2" } })).id;
  });
  afterAll(() => disconnectDb());

  it("creates a visit: lines priced, KX totals updated, audited", async () => {
    const before = await kxItem(patient1);
    const result = await asBiller(() => createVisitAction(form({ claimId: "CLM-NEW-1" })));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const lines = await linesOf(result.data.id);
    expect(lines.map((l) => [l.cpt, l.unitsSupported, l.unitsFlag, l.pool])).toEqual([
      ["97110", 2, "ok", "PT_SLP"],
      ["97140", 1, "ok", "PT_SLP"],
    ]);
    expect(lines.every((l) => (l.expectedAllowedCents ?? 0) > 0)).toBe(true);
    const added = lines.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0);
    const after = await kxItem(patient1);
    expect(after!.allowedHereCents).toBe(before!.allowedHereCents + added);
    // $2,400 elsewhere + the seed visit + this one: past $2,480, and no KX on the lines
    expect(after!.level).toBe("kx");
    expect(after!.linesMissingKx).toBeGreaterThan(0);
    const visit = await db().visit.findUniqueOrThrow({ where: { id: result.data.id }, include: { claim: true } });
    expect(visit.externalId).toMatch(/^V-20260302-/);
    expect(visit.claim?.patientControlNumber).toBe("CLM-NEW-1");
    const events = await db().auditEvent.findMany({
      where: { practiceId: t.practiceId, action: "visit.create", entityId: String(result.data.id) },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.patientId).toBe(patient1);
  });

  it("edits minutes and modifiers: units supported and KX totals follow, the version moves on", async () => {
    const created = await asBiller(() => createVisitAction(form({ visitId: "EDIT-1", dateOfService: "2026-03-09" })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const [l1, l2] = await linesOf(created.data.id);
    const kxBefore = await kxItem(patient1);
    const edited = await asBiller(() =>
      updateVisitAction({
        id: created.data.id,
        version: created.data.version,
        visit: form({
          visitId: "EDIT-1",
          dateOfService: "2026-03-09",
          lines: [
            // reordered, minutes changed, KX added
            { id: String(l2!.id), cpt: "97140", minutes: "8", modifiers: "GP;KX", unitsBilled: "1", charge: "60.00", note: "" },
            { id: String(l1!.id), cpt: "97110", minutes: "40", modifiers: "gp, kx", unitsBilled: "2", charge: "120.00", note: "" },
          ],
        }),
      }),
    );
    expect(edited.ok, JSON.stringify(edited)).toBe(true);
    if (!edited.ok) return;
    expect(edited.data.version).toBe(created.data.version + 1);
    const lines = await linesOf(created.data.id);
    // ids kept, order changed; 48 minutes → 3 units: 97110 40 min → 2 full + leftover 10 vs 8 → 97110 gets 3
    expect(lines.map((l) => [l.id, l.cpt, l.modifiers, l.unitsSupported, l.unitsFlag])).toEqual([
      [l2!.id, "97140", ["GP", "KX"], 0, "over"],
      [l1!.id, "97110", ["GP", "KX"], 3, "under"],
    ]);
    const kxAfter = await kxItem(patient1);
    expect(kxAfter!.linesMissingKx).toBeLessThan(kxBefore!.linesMissingKx);
  });

  it("adds and removes lines on edit", async () => {
    const created = await asBiller(() => createVisitAction(form({ dateOfService: "2026-03-10" })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const [l1] = await linesOf(created.data.id);
    const edited = await asBiller(() =>
      updateVisitAction({
        id: created.data.id,
        version: created.data.version,
        visit: form({
          dateOfService: "2026-03-10",
          lines: [
            { id: String(l1!.id), cpt: "97110", minutes: "30", modifiers: "GP;KX", unitsBilled: "2", charge: "120.00", note: "" },
            { id: "", cpt: "97530", minutes: "15", modifiers: "GP;KX", unitsBilled: "1", charge: "70.00", note: "" },
            { id: "", cpt: "97161", minutes: "", modifiers: "GP;KX", unitsBilled: "1", charge: "150.00", note: "" },
          ],
        }),
      }),
    );
    expect(edited.ok, JSON.stringify(edited)).toBe(true);
    const lines = await linesOf(created.data.id);
    expect(lines.map((l) => [l.lineOrder, l.cpt, l.unitsSupported])).toEqual([
      [0, "97110", 2],
      [1, "97530", 1],
      [2, "97161", 1],
    ]);
    expect(lines[0]!.id).toBe(l1!.id);
  });

  it("moves a visit to another patient and year: both patients' totals are recomputed", async () => {
    const created = await asBiller(() => createVisitAction(form({ dateOfService: "2026-04-01" })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const lines = await linesOf(created.data.id);
    const amount = lines.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0);
    const p1Before = (await kxItem(patient1))!.allowedHereCents;
    const p2Before = (await kxItem(patient2))!.allowedHereCents;
    const moved = await asBiller(() =>
      updateVisitAction({
        id: created.data.id,
        version: created.data.version,
        visit: form({
          patient: "VA-2",
          dateOfService: "2026-04-01",
          lines: lines.map((l) => ({
            id: String(l.id),
            cpt: l.cpt,
            minutes: String(l.minutes),
            modifiers: "GP",
            unitsBilled: String(l.unitsBilled),
            charge: "60.00",
            note: "",
          })),
        }),
      }),
    );
    expect(moved.ok, JSON.stringify(moved)).toBe(true);
    expect((await kxItem(patient1))!.allowedHereCents).toBe(p1Before - amount);
    expect((await kxItem(patient2))!.allowedHereCents).toBe(p2Before + amount);
    const moveEvents = await db().auditEvent.findMany({ where: { practiceId: t.practiceId, action: "visit.move", patientId: patient1 } });
    expect(moveEvents.length).toBe(1);

    // to 2025: the 2026 pool of patient 2 loses it, a 2025 pool appears
    if (!moved.ok) return;
    const toLastYear = await asBiller(() =>
      updateVisitAction({
        id: created.data.id,
        version: moved.data.version,
        visit: form({
          patient: "VA-2",
          dateOfService: "2025-12-30",
          lines: lines.map((l) => ({
            id: String(l.id),
            cpt: l.cpt,
            minutes: String(l.minutes),
            modifiers: "GP",
            unitsBilled: String(l.unitsBilled),
            charge: "60.00",
            note: "",
          })),
        }),
      }),
    );
    expect(toLastYear.ok, JSON.stringify(toLastYear)).toBe(true);
    expect((await kxItem(patient2))!.allowedHereCents).toBe(p2Before);
    const item2025 = await kxItem(patient2, 2025);
    expect(item2025).not.toBeNull();
    expect(item2025!.visitCount).toBe(1);
    // no 2025 fee schedule is loaded: the lines say why instead of guessing
    const moved2025 = await linesOf(created.data.id);
    expect(moved2025.every((l) => l.expectedAllowedCents === null && /fee schedule/i.test(l.expectedNote ?? ""))).toBe(true);
  });

  it("returns field errors with the field path", async () => {
    const result = await asBiller(() =>
      createVisitAction(
        form({
          dateOfService: "2026-02-30",
          therapistId: "",
          lines: [
            { id: "", cpt: "ABC", minutes: "10", modifiers: "GP", unitsBilled: "1", charge: "10.00", note: "" },
            { id: "", cpt: "97110", minutes: "", modifiers: "GP", unitsBilled: "1", charge: "10.00", note: "" },
            { id: "", cpt: "97140", minutes: "ten", modifiers: "GP;TOOLONG", unitsBilled: "x", charge: "12.345", note: "" },
          ],
        }),
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(
      [
        "dateOfService",
        "lines.0.cpt",
        "lines.1.minutes",
        "lines.2.charge",
        "lines.2.minutes",
        "lines.2.modifiers",
        "lines.2.unitsBilled",
        "therapistId",
      ].sort(),
    );
    expect(result.fieldErrors?.["lines.2.minutes"]).toEqual(["Minutes must be a whole number"]);
    expect(result.fieldErrors?.["lines.1.minutes"]?.[0]).toMatch(/timed code/);
    const timed = await asBiller(() =>
      createVisitAction(
        form({ lines: [{ id: "", cpt: "97110", minutes: "", modifiers: "GP", unitsBilled: "1", charge: "10.00", note: "" }] }),
      ),
    );
    expect(!timed.ok && timed.fieldErrors?.["lines.0.minutes"]?.[0]).toMatch(/timed code/);
  });

  it("names what is wrong with references: unknown patient, a claim of another patient, a taken visit id", async () => {
    const unknown = await asBiller(() => createVisitAction(form({ patient: "NOPE" })));
    expect(!unknown.ok && unknown.fieldErrors?.patient?.[0]).toMatch(/No patient/);
    const claim = await asBiller(() => createVisitAction(form({ patient: "VA-2", claimId: "CLM-SEED-1" })));
    // CLM-SEED-1 holds the seed visit of VA-1
    expect(!claim.ok && claim.fieldErrors?.claimId?.[0]).toMatch(/another patient/);
    const taken = await asBiller(() => createVisitAction(form({ visitId: "SEED-2" })));
    expect(!taken.ok && taken.fieldErrors?.visitId?.[0]).toMatch(/already/);
  });

  it("refuses a save on a stale version (optimistic lock)", async () => {
    const created = await asBiller(() => createVisitAction(form({ dateOfService: "2026-05-01" })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const first = await asBiller(() =>
      updateVisitAction({ id: created.data.id, version: created.data.version, visit: form({ dateOfService: "2026-05-02" }) }),
    );
    expect(first.ok).toBe(true);
    const stale = await asBiller(() =>
      updateVisitAction({ id: created.data.id, version: created.data.version, visit: form({ dateOfService: "2026-05-03" }) }),
    );
    expect(stale).toMatchObject({ ok: false, status: 409 });
    const staleDelete = await asBiller(() => deleteVisitAction({ id: created.data.id, version: created.data.version }));
    expect(staleDelete).toMatchObject({ ok: false, status: 409 });
    const visit = await db().visit.findUniqueOrThrow({ where: { id: created.data.id } });
    expect(visit.dateOfService.toISOString().slice(0, 10)).toBe("2026-05-02");
  });

  it("checks roles: a manager cannot write visits; another practice's user gets 404", async () => {
    const created = await asBiller(() => createVisitAction(form({ dateOfService: "2026-05-05" })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(await runAsUser(t.users.MANAGER, () => createVisitAction(form()))).toMatchObject({ ok: false, status: 403 });
    expect(await runAsUser(t.users.MANAGER, () => deleteVisitAction({ id: created.data.id, version: 1 }))).toMatchObject({
      ok: false,
      status: 403,
    });
    const outsider = other.users.BILLER;
    expect(await runAsUser(outsider, () => updateVisitAction({ id: created.data.id, version: 1, visit: form() }))).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await runAsUser(outsider, () => deleteVisitAction({ id: created.data.id, version: 1 }))).toMatchObject({
      ok: false,
      status: 404,
    });
    // the outsider's own practice has no patient VA-1 either
    const foreign = await runAsUser(outsider, () => createVisitAction(form()));
    expect(foreign.ok).toBe(false);
    expect(await db().visit.count({ where: { practiceId: other.practiceId } })).toBe(0);
    // the owner and admin may write
    expect(
      (
        await runAsUser(t.users.OWNER, () =>
          updateVisitAction({ id: created.data.id, version: 1, visit: form({ dateOfService: "2026-05-05" }) }),
        )
      ).ok,
    ).toBe(true);
  });

  it("deletes a visit (totals drop) and restores it from the audit event (totals come back)", async () => {
    const created = await asBiller(() => createVisitAction(form({ visitId: "DEL-1", dateOfService: "2026-06-01", claimId: "CLM-DEL-1" })));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const linesBefore = await linesOf(created.data.id);
    const withVisit = (await kxItem(patient1))!;
    const deleted = await asBiller(() => deleteVisitAction({ id: created.data.id, version: created.data.version }));
    expect(deleted.ok, JSON.stringify(deleted)).toBe(true);
    if (!deleted.ok) return;
    expect(await db().visit.findUnique({ where: { id: created.data.id } })).toBeNull();
    const without = (await kxItem(patient1))!;
    expect(without.allowedHereCents).toBe(withVisit.allowedHereCents - linesBefore.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0));

    // another practice cannot restore it
    expect(await runAsUser(other.users.BILLER, () => restoreVisitAction({ deleteEventId: deleted.data.deleteEventId }))).toMatchObject({
      ok: false,
      status: 404,
    });
    const restored = await asBiller(() => restoreVisitAction({ deleteEventId: deleted.data.deleteEventId }));
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    const visit = await db().visit.findUniqueOrThrow({ where: { id: created.data.id }, include: { claim: true } });
    expect(visit.externalId).toBe("DEL-1");
    expect(visit.claim?.patientControlNumber).toBe("CLM-DEL-1");
    const linesAfter = await linesOf(created.data.id);
    expect(linesAfter.map((l) => [l.id, l.cpt, l.minutes, l.expectedAllowedCents])).toEqual(
      linesBefore.map((l) => [l.id, l.cpt, l.minutes, l.expectedAllowedCents]),
    );
    expect((await kxItem(patient1))!.allowedHereCents).toBe(withVisit.allowedHereCents);
    // a second restore is refused
    expect(await asBiller(() => restoreVisitAction({ deleteEventId: deleted.data.deleteEventId }))).toMatchObject({
      ok: false,
      status: 409,
    });
  });
});
