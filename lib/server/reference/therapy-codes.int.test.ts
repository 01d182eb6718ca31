// CMS's therapy code list loaded into a practice: it decides which lines count toward the KX
// threshold, which need GP/GO/GN, and which get the therapy MPPR, in place of the shipped default.
// Worked example at locality CO-01 (CY2026 GPCIs: work 1.000, PE 1.000, MP 0.823; CF 33.4009),
// RVUs of the shipped CY2026 table (work / non-facility PE / MP):
//   97110 0.45 / 0.41 / 0.01, MULT PROC 5:
//     full unit    (0.45 + 0.41 + 0.01 × 0.823) × 33.4009 = 0.86823 × 33.4009 = 28.99966 → $29.00
//     reduced unit (0.45 + 0.205 + 0.00823) × 33.4009      = 0.66323 × 33.4009 = 22.15248 → $22.15
//   97550 1.00 / 0.57 / 0.01, MULT PROC 0 (caregiver training, not on the shipped default list):
//     unit (1.00 + 0.57 + 0.00823) × 33.4009 = 1.57823 × 33.4009 = 52.71430 → $52.71
// Patient Pat (Medicare): 2026-03-02 97110 GP ×2 (one full, one reduced unit: 29.00 + 22.15 = $51.15),
// 2026-03-09 97550 GP ×1 ($52.71). Patient Quinn: 2026-03-03 97550 ×1 and 2026-03-10 97110 ×1, no modifier.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimIssuesOfVisits } from "../claims/checks";
import { disconnectDb } from "../db";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { applyReferenceFile } from "./upload";

const LIST = fs.readFileSync(path.join(import.meta.dirname, "fixtures", "therapy-code-list-sample.csv"), "utf8");
const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const VISITS = [
  HEADER,
  "TC-P,Pat,List,1944-04-04,Medicare,medicare,M1,TC-V1,CLM-TC-1,2026-03-02,3000000001,List Therapist,PT,11,97110,GP,30,2,100.00,",
  "TC-P,Pat,List,1944-04-04,Medicare,medicare,M1,TC-V2,CLM-TC-2,2026-03-09,3000000001,List Therapist,PT,11,97550,GP,,1,120.00,",
  "TC-Q,Quinn,List,1946-06-06,Medicare,medicare,M2,TC-V3,CLM-TC-3,2026-03-03,3000000001,List Therapist,PT,11,97550,,,1,120.00,",
  "TC-Q,Quinn,List,1946-06-06,Medicare,medicare,M2,TC-V4,CLM-TC-4,2026-03-10,3000000001,List Therapist,PT,11,97110,,15,1,60.00,",
].join("\n");

describe("the therapy code list a practice loads", () => {
  let t: TestPractice;
  const load = (fileName: string, text: string, dryRun = false) =>
    asPractice(t.practiceId, () =>
      applyReferenceFile({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        kind: "therapy-codes",
        fileName,
        content: Buffer.from(text),
        dryRun,
      }),
    );
  const patientId = async (externalId: string) =>
    (await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId } })).id;
  /** Pat's 2026 PT/SLP KX total (allowed here), or null when the pool has no item */
  const kxTotal = async () =>
    (
      await db().kxQueueItem.findFirst({
        where: { practiceId: t.practiceId, patientId: await patientId("TC-P"), year: 2026, pool: "PT_SLP" },
      })
    )?.allowedHereCents ?? null;
  const line = (visit: string) => db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, visit: { externalId: visit } } });
  /** the lines (by visit) the claim checks say need a discipline modifier */
  const missingModifier = async () => {
    const visits = await db().visit.findMany({ where: { practiceId: t.practiceId }, select: { id: true, externalId: true } });
    const issues = await asPractice(t.practiceId, () =>
      claimIssuesOfVisits(
        db(),
        t.practiceId,
        visits.map((v) => v.id),
      ),
    );
    return visits
      .filter((v) => (issues.get(v.id) ?? []).some((i) => i.code === "missing_discipline_modifier"))
      .map((v) => v.externalId)
      .sort();
  };

  beforeAll(async () => {
    t = await createTestPractice("therapy-list", "CO-01");
    const r = await asPractice(t.practiceId, () =>
      importCsv({ kind: "visits", practiceId: t.practiceId, userId: null, fileName: "visits.csv", content: Buffer.from(VISITS) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("with the shipped default, 97550 is priced but counts toward no threshold and needs no GP", async () => {
    expect((await line("TC-V2")).expectedAllowedCents).toBe(5271);
    expect((await line("TC-V2")).pool).toBeNull();
    expect((await line("TC-V1")).expectedAllowedCents).toBe(5115); // 2900 + 2215
    // Pat's total: the 97110 line alone
    expect(await kxTotal()).toBe(5115);
    // Quinn's 97110 without a modifier is flagged; the 97550 without one is not (not therapy)
    expect(await missingModifier()).toEqual(["TC-V4"]);
  });

  it("a dry run lists what the list would add, change and remove, and changes nothing", async () => {
    const dry = await load("therapy-code-list-2026.csv", LIST, true);
    expect(dry.status).toBe("dry-run");
    // 97550 and 98977 are not on the default; every other code of the file is, with the same status
    expect(dry.changes?.added).toEqual(["97550", "98977"]);
    expect(dry.changes?.changed).toEqual([]);
    // the default's codes the file does not hold are taken off (e.g. 97035, 97116)
    expect(dry.changes?.removed).toEqual(expect.arrayContaining(["97035", "97116", "92508"]));
    expect(dry.changes?.removed).not.toContain("97110");
    expect(dry.counts).toMatchObject({ rows: 11, added: 2, changed: 0, unchanged: 9 });
    expect(await db().therapyCode.count({ where: { practiceId: t.practiceId } })).toBe(0);
    expect(await kxTotal()).toBe(5115);
  });

  it("a list that adds 97550 makes its line count toward the KX total and need a therapy modifier", async () => {
    const r = await load("therapy-code-list-2026.csv", LIST);
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(await db().therapyCode.count({ where: { practiceId: t.practiceId } })).toBe(11);
    expect((await line("TC-V2")).pool).toBe("PT_SLP");
    // 51.15 (97110 ×2) + 52.71 (97550) = $103.86
    expect(await kxTotal()).toBe(10386);
    // Quinn's 97550 without GP/GO/GN is now a therapy line missing its modifier (a therapist furnished it)
    expect(await missingModifier()).toEqual(["TC-V3", "TC-V4"]);
  });

  it("a status change shows old → new in the dry run", async () => {
    const dry = await load("therapy-code-list-2026b.csv", LIST.replace("97597,,Sometimes Therapy", "97597,,Always Therapy"), true);
    expect(dry.changes?.changed).toEqual([
      { label: "97597", changes: [{ column: "status", from: "sometimes therapy", to: "always therapy" }] },
    ]);
    expect(dry.counts).toMatchObject({ added: 0, changed: 1, removed: 0 });
  });

  it("a list without 97110 takes its line out of the KX total, its GP check, and the therapy MPPR", async () => {
    const without = LIST.replace("97110,,Always Therapy\r\n", "");
    const dry = await load("therapy-code-list-2027.csv", without, true);
    expect(dry.changes?.removed).toEqual(["97110"]);
    const r = await load("therapy-code-list-2027.csv", without);
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect((await line("TC-V1")).pool).toBeNull();
    // Pat's total: the 97550 line alone, $52.71
    expect(await kxTotal()).toBe(5271);
    // no MPPR on a code off the list: both 97110 units at the full $29.00 = $58.00
    expect((await line("TC-V1")).expectedAllowedCents).toBe(5800);
    // Quinn's 97110 without a modifier is no longer flagged
    expect(await missingModifier()).toEqual(["TC-V3"]);
  });

  it("rejects a malformed list naming row and column, and changes nothing", async () => {
    const r = await load("bad.csv", LIST.replace("97530,,Always Therapy", "97530,,Therapy"));
    expect(r.status).toBe("rejected");
    expect(r.errors).toEqual([
      { where: "row 11, column Therapy Status", message: 'must be "Always Therapy" or "Sometimes Therapy" (got "Therapy")' },
    ]);
    expect(await db().therapyCode.count({ where: { practiceId: t.practiceId, cpt: "97110" } })).toBe(0);
    expect(await kxTotal()).toBe(5271);
  });
});
