// The queue as the biller sees it: who is listed and in which order, the URL filters, the
// visits left before each level, the urgent count in the navigation, the threshold page's
// data (audited, 404 for another practice), and the export download.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { GET as viewRoute } from "@/app/(app)/kx/csv/route";
import { GET as exportRoute } from "@/app/(app)/kx/export/route";
import { kxQueueFiltersSchema } from "@/lib/schemas/kx";
import { runAsUser } from "../core/context";
import { asPractice, db } from "../testing";
import { disconnectDb } from "../core/db";
import { assignKxItem, markDocumentationReviewed, resolveKxItem, snoozeKxItem } from "./actions";
import { kxQueuePage } from "./queue";
import { addPatient, createKxFixture, item, type KxFixture, saveVisit } from "./test-fixtures";
import { patientThresholdView } from "./threshold";
import { urgentKxCount } from "./urgent-count";

let f: KxFixture;
const ids: Record<string, number> = {};
const today = "2026-11-23";

/** Weekly visits of `perVisit` cents from a date on. */
async function weekly(patient: string, pool: "GP" | "GO" | "GN", from: string, count: number, perVisit: number, extra: string[] = []) {
  const start = new Date(`${from}T00:00:00Z`).getTime();
  for (let n = 0; n < count; n++) {
    const date = new Date(start + n * 7 * 86_400_000).toISOString().slice(0, 10);
    await saveVisit(f, {
      patientId: ids[patient]!,
      externalId: `${patient}-${pool}-${n}`,
      date,
      lines: [{ modifiers: [pool, ...extra], allowed: perVisit }],
    });
  }
}

const viewGet = (url: string) => viewRoute(new Request(url), { params: Promise.resolve({}) });
const filters = (q: Record<string, string> = {}) => kxQueueFiltersSchema.parse(q);
const page = (q: Record<string, string> = {}, userId = f.users.BILLER) =>
  asPractice(f.practiceId, () => kxQueuePage(db(), { practiceId: f.practiceId, userId, alertLevelCents: 200000 }, filters(q), today));

beforeAll(async () => {
  f = await createKxFixture("kx-queue");
  for (const name of ["MISSING", "REVIEW", "ALERT-HIGH", "ALERT-LOW", "KXOK", "BELOW", "OT-ONLY", "OLD"])
    ids[name] = await addPatient(f, `Q-${name}`, name);
  await weekly("MISSING", "GP", "2026-01-05", 10, 26000); // 2600: past KX, no KX
  await weekly("REVIEW", "GP", "2026-01-05", 13, 24000, ["KX"]); // 3120 with KX from the start: past review
  await weekly("ALERT-HIGH", "GP", "2026-01-05", 10, 24000); // 2400: alert
  await weekly("ALERT-LOW", "GN", "2026-01-05", 7, 30000); // 2100: alert
  await weekly("KXOK", "GO", "2026-02-02", 10, 25000, ["KX"]); // 2500 past KX, all KX
  await weekly("BELOW", "GP", "2026-01-05", 5, 30000); // 1500
  await weekly("OT-ONLY", "GO", "2026-01-05", 9, 23000); // 2070 alert, OT
  await weekly("OLD", "GP", "2025-01-06", 12, 30000); // 3600 in 2025
}, 120_000);
afterAll(() => disconnectDb());

describe("the queue", () => {
  it("lists the patient-pools at or past the alert level of the latest year in the working order, then by total", async () => {
    const q = await page();
    expect(q.year).toBe(2026);
    expect(q.years).toEqual([2025, 2026]);
    expect(q.levels).toEqual({ alertCents: 200000, kxCents: 248000, reviewCents: 300000 });
    // MISSING: past KX, 1 line without KX → 0 (add KX). ALERT-HIGH: 2,400.00 after 10 visits of
    // 240.00; 2,480.00 − 2,400.00 = 80.00 < 240.00, so the next visit crosses KX → 2. REVIEW: past
    // $3,000 without a documentation review → 3. ALERT-LOW (2,100.00, 300.00 a visit: 380.00 left)
    // and OT-ONLY (2,070.00, 230.00 a visit: 410.00 left) need two visits → 4 (approaching), by
    // total. KXOK: past KX, KX on → 5.
    expect(q.rows.map((r) => r.patientExternalId)).toEqual(["Q-MISSING", "Q-ALERT-HIGH", "Q-REVIEW", "Q-ALERT-LOW", "Q-OT-ONLY", "Q-KXOK"]);
    expect(q.rows.map((r) => r.work)).toEqual([0, 2, 3, 4, 4, 5]);
    expect(q.rows.map((r) => r.urgency)).toEqual([0, 2, 1, 2, 2, 3]);
    expect(q.total).toBe(6);
    // every visit was in January–March, more than 30 days before 23 November: all look finished
    expect(q.rows.every((r) => r.finished)).toBe(true);
    expect(q.finishedTotal).toBe(6);
    const missing = q.rows[0]!;
    expect(missing).toMatchObject({ pool: "PT_SLP", level: "kx", linesMissingKx: 1, estimated: true, kxCrossedOn: "2026-03-09" });
    expect(missing.visitsLeft.kx).toBeNull();
  });

  it("says how many visits are left before each level (forecast from the average per visit and the visit rhythm)", async () => {
    const q = await page();
    const high = q.rows.find((r) => r.patientExternalId === "Q-ALERT-HIGH")!;
    // 2400 now, 240 per visit: 2640 > 2480 at the next visit; 3120 > 3000 in 3 visits
    expect(high.visitsLeft.kx).toEqual({ visits: 1, date: "2026-03-16", crossingVisitNumber: 11 });
    expect(high.visitsLeft.review).toEqual({ visits: 3, date: "2026-03-30", crossingVisitNumber: 13 });
    const low = q.rows.find((r) => r.patientExternalId === "Q-ALERT-LOW")!;
    // 2100 now, 300 per visit: 2400, 2700 > 2480 at the 2nd visit
    expect(low.visitsLeft.kx).toMatchObject({ visits: 2, crossingVisitNumber: 9 });
  });

  it("puts active patients (a visit in the last 30 days) before those whose episode looks finished, and sorts by the column asked for", async () => {
    // on 20 March 2026 a patient is active when seen on or after 18 February (20 March − 30 days).
    // Last visits (weekly from the first): MISSING 9 Mar, ALERT-HIGH 9 Mar, REVIEW 30 Mar,
    // OT-ONLY 2 Mar, KXOK 6 Apr: active; ALERT-LOW 16 Feb: finished.
    const march = (q: Record<string, string> = {}) =>
      kxQueuePage(db(), { practiceId: f.practiceId, userId: f.users.BILLER, alertLevelCents: 200000 }, filters(q), "2026-03-20");
    const worked = await march();
    expect(worked.rows.map((r) => [r.patientExternalId, r.finished])).toEqual([
      ["Q-MISSING", false],
      ["Q-ALERT-HIGH", false],
      ["Q-REVIEW", false],
      ["Q-OT-ONLY", false],
      ["Q-KXOK", false],
      ["Q-ALERT-LOW", true],
    ]);
    expect([worked.total, worked.finishedTotal]).toEqual([6, 1]);
    // highest total first within each section: 3,120.00, 2,600.00, 2,500.00, 2,400.00, 2,070.00; then 2,100.00
    expect((await march({ sort: "-total" })).rows.map((r) => r.totalCents)).toEqual([312000, 260000, 250000, 240000, 207000, 210000]);
    expect((await march({ sort: "total" })).rows.map((r) => r.totalCents)).toEqual([207000, 240000, 250000, 260000, 312000, 210000]);
    // latest visit first (MISSING and ALERT-HIGH both 9 March: the older item first)
    expect((await march({ sort: "-last_visit" })).rows.map((r) => r.patientExternalId)).toEqual([
      "Q-KXOK",
      "Q-REVIEW",
      "Q-MISSING",
      "Q-ALERT-HIGH",
      "Q-OT-ONLY",
      "Q-ALERT-LOW",
    ]);
  });

  it("downloads exactly the rows on screen under the same filters and sort, with names, status and assignee", async () => {
    const shown = await page({ level: "alert", sort: "-total" });
    const res = await runAsUser(f.users.BILLER, () => viewGet("http://localhost/kx/csv?level=alert&sort=-total&page=1"));
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["Patient ID"])).toEqual(shown.rows.map((r) => r.patientExternalId));
    expect(rows.map((r) => r.Patient)).toEqual(shown.rows.map((r) => r.patientName));
    expect(rows.map((r) => r.Total)).toEqual(["2400.00", "2100.00", "2070.00"]);
    // one status per row in words: the next visit crosses KX for ALERT-HIGH, the others approach it
    expect(rows.map((r) => r.Status)).toEqual(["KX from the next visit", "Approaching KX", "Approaching KX"]);
    // nobody is assigned yet (the filter test below assigns ALERT-LOW)
    expect(rows.map((r) => r.Assignee)).toEqual(["", "", ""]);
    expect(rows.map((r) => r.Section)).toEqual(["Episode looks finished", "Episode looks finished", "Episode looks finished"]);
  });

  it("filters by pool, level, year, clinic, therapist and assignee from the URL", async () => {
    expect((await page({ pool: "OT" })).rows.map((r) => r.patientExternalId)).toEqual(["Q-OT-ONLY", "Q-KXOK"]);
    expect((await page({ level: "alert" })).rows.map((r) => r.patientExternalId)).toEqual(["Q-ALERT-HIGH", "Q-ALERT-LOW", "Q-OT-ONLY"]);
    expect((await page({ year: "2025" })).rows.map((r) => r.patientExternalId)).toEqual(["Q-OLD"]);
    expect((await page({ clinic: String(f.clinicId) })).total).toBe(6);
    expect((await page({ clinic: "999999" })).total).toBe(0);
    expect((await page({ therapist: String(f.therapistId) })).total).toBe(6);
    const i = (await item(f, ids["ALERT-LOW"]!, 2026, "PT_SLP"))!;
    await asPractice(f.practiceId, () =>
      assignKxItem({ practiceId: f.practiceId, userId: f.users.BILLER }, { itemId: i.id, version: i.version, assignee: "me" }),
    );
    expect((await page({ assignee: "me" })).rows.map((r) => r.patientExternalId)).toEqual(["Q-ALERT-LOW"]);
    expect((await page({ assignee: "me" }, f.users.OWNER)).rows).toEqual([]);
    expect((await page({ assignee: String(f.users.BILLER) }, f.users.OWNER)).rows.map((r) => r.assigneeName)).toEqual([
      expect.stringContaining("BILLER"),
    ]);
    expect((await page({ assignee: "unassigned" })).total).toBe(5);
    // unreadable values fall back to the defaults
    expect((await page({ pool: "XX", level: "nope", status: "maybe", page: "-3" })).total).toBe(6);
  });

  it("hides snoozed items until their date, lists them under snoozed; resolved items under resolved", async () => {
    const i = (await item(f, ids["ALERT-HIGH"]!, 2026, "PT_SLP"))!;
    await asPractice(f.practiceId, () =>
      snoozeKxItem({ practiceId: f.practiceId, userId: f.users.BILLER }, { itemId: i.id, version: i.version, until: "2099-12-31" }),
    );
    expect((await page()).rows.map((r) => r.patientExternalId)).not.toContain("Q-ALERT-HIGH");
    expect((await page({ status: "snoozed" })).rows.map((r) => r.patientExternalId)).toEqual(["Q-ALERT-HIGH"]);
    // once the date has come the item is back in the open list
    await db().kxQueueItem.update({ where: { id: i.id }, data: { snoozedUntil: new Date("2026-11-01T00:00:00Z") } });
    expect((await page()).rows.map((r) => r.patientExternalId)).toContain("Q-ALERT-HIGH");
    expect((await page({ status: "snoozed" })).total).toBe(0);

    const o = (await item(f, ids["OT-ONLY"]!, 2026, "OT"))!;
    await asPractice(f.practiceId, () =>
      resolveKxItem({ practiceId: f.practiceId, userId: f.users.BILLER }, { itemId: o.id, version: o.version }),
    );
    expect((await page()).rows.map((r) => r.patientExternalId)).not.toContain("Q-OT-ONLY");
    expect((await page({ status: "resolved" })).rows.map((r) => r.patientExternalId)).toEqual(["Q-OT-ONLY"]);
  });

  it("counts the urgent items for the navigation: missing KX, or past review without documentation review", async () => {
    expect(await asPractice(f.practiceId, () => urgentKxCount(f.practiceId))).toBe(3); // MISSING, REVIEW, OLD (2025, past review, no KX)
    const r = (await item(f, ids.REVIEW!, 2026, "PT_SLP"))!;
    await asPractice(f.practiceId, () =>
      markDocumentationReviewed(
        { practiceId: f.practiceId, userId: f.users.BILLER },
        { itemId: r.id, version: r.version, note: "progress documented" },
      ),
    );
    expect(await asPractice(f.practiceId, () => urgentKxCount(f.practiceId))).toBe(2);
    const m = (await item(f, ids.MISSING!, 2026, "PT_SLP"))!;
    await asPractice(f.practiceId, () =>
      snoozeKxItem({ practiceId: f.practiceId, userId: f.users.BILLER }, { itemId: m.id, version: m.version, until: "2099-01-01" }),
    );
    expect(await asPractice(f.practiceId, () => urgentKxCount(f.practiceId))).toBe(1);
  });
});

describe("the threshold page's data", () => {
  it("gives the running total visit by visit, the crossing visits, the lines needing KX, a forecast and the history; reading it is audited", async () => {
    const v = await asPractice(f.practiceId, () =>
      patientThresholdView({ practiceId: f.practiceId, userId: f.users.BILLER, alertLevelCents: 200000 }, ids.MISSING!, {}),
    );
    expect(v).not.toBeNull();
    if (!v) return;
    expect(v.year).toBe(2026);
    expect(v.pool).toBe("PT_SLP");
    expect(v.visits).toHaveLength(10);
    expect(v.visits.map((p) => p.runningCents).slice(-3)).toEqual([208000, 234000, 260000]);
    expect(v.visits.find((p) => p.crosses.includes("alert"))?.visitNumber).toBe(8);
    expect(v.visits.find((p) => p.crosses.includes("kx"))?.visitNumber).toBe(10);
    expect(v.lines.filter((l) => l.needsKx).map((l) => [l.visitNumber, l.hasKx])).toEqual([[10, false]]);
    const review = v.forecasts.find((x) => x.level === "review")!;
    // 2600 now, 260 per visit: 3120 > 3000 in 2 visits, 7 days apart
    expect(review).toMatchObject({ kind: "forecast", visitsLeft: 2, visitNumber: 12, date: "2026-03-23" });
    expect(v.forecasts.find((x) => x.level === "kx")).toMatchObject({ kind: "crossed", date: "2026-03-09", visitNumber: 10 });
    expect(v.history.map((h) => h.action)).toEqual(["snooze"]);
    const events = await db().auditEvent.findMany({
      where: { practiceId: f.practiceId, action: "patient.view_threshold", patientId: ids.MISSING! },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: f.users.BILLER, details: { year: 2026, pool: "PT_SLP" } });
  });

  it("picks the year and pool asked for; an empty pool has no item", async () => {
    const old = await asPractice(f.practiceId, () =>
      patientThresholdView({ practiceId: f.practiceId, userId: f.users.BILLER, alertLevelCents: 200000 }, ids.OLD!, {
        year: 2025,
      }),
    );
    expect(old?.item).toMatchObject({ level: "review", totalCents: 360000 });
    expect(old?.levels).toEqual({ alertCents: 200000, kxCents: 241000, reviewCents: 300000 });
    const ot = await asPractice(f.practiceId, () =>
      patientThresholdView({ practiceId: f.practiceId, userId: f.users.BILLER, alertLevelCents: 200000 }, ids.OLD!, {
        year: 2025,
        pool: "OT",
      }),
    );
    expect(ot?.item).toBeNull();
    expect(ot?.lines).toEqual([]);
  });

  it("a patient of another practice is not found (the page answers 404), and nothing is audited for it", async () => {
    const other = await createKxFixture("kx-queue-other");
    const theirs = await addPatient(other, "THEIRS");
    expect(
      await asPractice(f.practiceId, () =>
        patientThresholdView({ practiceId: f.practiceId, userId: f.users.BILLER, alertLevelCents: 200000 }, theirs, {}),
      ),
    ).toBeNull();
    expect(await db().auditEvent.count({ where: { action: "patient.view_threshold", patientId: theirs } })).toBe(0);
  });
});

describe("the export download", () => {
  const get = (url: string) => exportRoute(new Request(url), { params: Promise.resolve({}) });

  it("streams the practice's kx-queue CSV for a year, and JSON on request", async () => {
    const csv = await runAsUser(f.users.BILLER, () => get("http://localhost/kx/export?year=2026"));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="kx-queue-.*-2026\.csv"/);
    const text = await csv.text();
    const lines = text.trim().split(/\r\n/);
    expect(lines[0]).toBe(
      "patient_id,year,pool,allowed_here,used_elsewhere,total,level,alert_crossed_on,kx_crossed_on,review_crossed_on,lines_missing_kx,estimated",
    );
    expect(lines).toContain("Q-MISSING,2026,PT_SLP,2600.00,0.00,2600.00,kx,2026-02-23,2026-03-09,,1,true");
    expect(lines.some((l) => l.startsWith("Q-OLD"))).toBe(false);

    const json = await runAsUser(f.users.MANAGER, () => get("http://localhost/kx/export?format=json"));
    expect(json.status).toBe(200);
    const rows = (await json.json()) as { patient_id: string; year: number }[];
    expect(rows.some((r) => r.patient_id === "Q-OLD" && r.year === 2025)).toBe(true);
    expect(await db().auditEvent.count({ where: { practiceId: f.practiceId, action: "export.kx-queue" } })).toBe(2);
  });

  it("answers 400 for a bad parameter and 403 without kx.read", async () => {
    const bad = await runAsUser(f.users.BILLER, () => get("http://localhost/kx/export?format=xlsx"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fieldErrors: { format: [expect.any(String)] } });
    const admin = await runAsUser(f.users.ADMIN, () => get("http://localhost/kx/export"));
    expect(admin.status).toBe(403);
  });
});
