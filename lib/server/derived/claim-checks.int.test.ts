// The claim checks stored per visit (VisitClaimCheck) follow every input they depend on, in the
// transaction of the write that changed it: a visit's line, the practice's NCCI pairs, a payer's
// contract (unit caps), and a patient's KX total crossing the threshold. Each step writes through
// the app's own paths (imports, the NCCI page's action) and reads the stored rows with the owner's
// client, so what is checked is what the pipeline stored, not a fresh computation.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNcciPairAction, removeNcciPairAction } from "@/app/(app)/admin/ncci/actions";
import { claimsToFix } from "../claims/checks";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { deleteVisit } from "../visits/commands";
import { computeClaimIssues } from "./claim-checks";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const line = (
  patient: string,
  payer: string,
  kind: string,
  visit: string,
  date: string,
  cpt: string,
  modifiers: string,
  minutes: string,
  units: string,
) =>
  `${patient},F${patient},L${patient},1950-01-01,${payer},${kind},M-${patient},${visit},CLM-${visit},${date},3000000001,Clin One,PT,11,${cpt},${modifiers},${minutes},${units},50.00,`;

// LINE-1: 97110 without its discipline modifier (re-imports add GP, then GO)
// NCCI-1: 97110 with 97112, a pair no default table entry names
// CAP-1: 97530 45 minutes = 3 units (CMS: 38-52 minutes are 3 units), no contract yet
// KX-1: a Medicare PT line without KX; the patient's other use of the year decides whether it needs KX
const visits = (lineModifiers: string) =>
  [
    HEADER,
    line("SC-1", "Plain Plan", "commercial", "LINE-1", "2026-04-01", "97110", lineModifiers, "15", "1"),
    line("SC-2", "Plain Plan", "commercial", "NCCI-1", "2026-04-02", "97110", "GP", "15", "1"),
    line("SC-2", "Plain Plan", "commercial", "NCCI-1", "2026-04-02", "97112", "GP", "15", "1"),
    line("SC-3", "Capped Plan", "commercial", "CAP-1", "2026-04-03", "97530", "GP", "45", "3"),
    line("SC-4", "Medicare", "medicare", "KX-1", "2026-04-04", "97110", "GP", "15", "1"),
  ].join("\n");

describe("claim checks stored per visit", () => {
  let t: TestPractice;
  const ids = new Map<string, number>();

  async function load(kind: "visits" | "usage" | "contracts", content: string) {
    const r = await asPractice(t, () =>
      importCsv({ kind, practiceId: t.practiceId, userId: t.users.ADMIN, fileName: `${kind}.csv`, content: Buffer.from(content) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  }

  /** The check types stored for a visit ([] when it has no row: checked and clean). */
  async function stored(visit: string): Promise<string[]> {
    const row = await db().visitClaimCheck.findUnique({ where: { visitId: ids.get(visit)! } });
    return row ? [...row.codes].sort() : [];
  }

  beforeAll(async () => {
    t = await createTestPractice("stored-checks");
    await load("visits", visits(""));
    for (const v of await db().visit.findMany({ where: { practiceId: t.practiceId } })) ids.set(v.externalId, v.id);
  });
  afterAll(() => disconnectDb());

  it("stores the checks of imported visits: a row for each visit with an issue, none for a clean one", async () => {
    expect(await stored("LINE-1")).toEqual(["missing_discipline_modifier"]);
    expect(await stored("NCCI-1")).toEqual([]);
    expect(await stored("CAP-1")).toEqual([]);
    expect(await stored("KX-1")).toEqual([]);
    const row = await db().visitClaimCheck.findUniqueOrThrow({ where: { visitId: ids.get("LINE-1")! } });
    expect(row.practiceId).toBe(t.practiceId);
    expect(row.dateOfService.toISOString().slice(0, 10)).toBe("2026-04-01");
  });

  it("follows a change of a visit's line (the re-import adds GP)", async () => {
    await load("visits", visits("GP"));
    expect(await stored("LINE-1")).toEqual([]);
    // then GO on a physical therapist's line: the modifier of occupational therapy is the wrong one
    await load("visits", visits("GO"));
    expect(await stored("LINE-1")).toEqual(["wrong_discipline_modifier"]);
  });

  it("follows a change of the practice's NCCI pairs", async () => {
    const added = await runAsUser(t.users.MANAGER, () => addNcciPairAction({ column1: "97110", column2: "97112", note: "stored checks" }));
    expect(added.ok, JSON.stringify(added)).toBe(true);
    // 97110 (column 1) and 97112 (column 2) on one claim, neither with 59 or X{EPSU}
    expect(await stored("NCCI-1")).toEqual(["ncci_pair_without_modifier"]);
    // a visit billing neither code is untouched
    expect(await stored("CAP-1")).toEqual([]);
    const pair = await db().ncciPair.findFirstOrThrow({ where: { practiceId: t.practiceId, column1: "97110", column2: "97112" } });
    expect((await runAsUser(t.users.MANAGER, () => removeNcciPairAction({ id: pair.id }))).ok).toBe(true);
    expect(await stored("NCCI-1")).toEqual([]);
  });

  it("follows a change of the payer's contract (a cap on units per visit)", async () => {
    await load(
      "contracts",
      [
        "payer,effective_from,effective_to,unit_method,multiple_procedure_rule,cpt,modifier,rate_per_unit,percent_of_medicare,medicare_year,locality,max_units_per_visit,lesser_of_charge",
        "Capped Plan,2026-01-01,,cms,none,97530,,40.00,,,,2,true",
      ].join("\n"),
    );
    // 3 units billed of 97530 against the contract's cap of 2
    expect(await stored("CAP-1")).toEqual(["units_over_cap"]);
    // the other payer's visits keep their results
    expect(await stored("LINE-1")).toEqual(["wrong_discipline_modifier"]);
  });

  it("follows the patient's KX total across the threshold, both ways", async () => {
    const kxLine = await db().serviceLine.findFirstOrThrow({ where: { visitId: ids.get("KX-1")! } });
    // the line's Medicare allowed amount is above $1.00 (a 97110 unit is about $30 in 2026)
    expect(kxLine.expectedAllowedCents).toBeGreaterThan(100);
    // $2,479.00 used elsewhere + the line's allowed (> $1.00) passes the $2,480.00 KX threshold on this line
    await load("usage", ["patient_id,year,pool,amount,source,as_of", "SC-4,2026,PT_SLP,2479.00,MAC portal,2026-03-31"].join("\n"));
    expect(await stored("KX-1")).toEqual(["missing_kx"]);
    // $1,000.00 + the line's allowed (a 97110 unit, well under $1,480) stays below: nothing needs KX
    expect(kxLine.expectedAllowedCents!).toBeLessThan(148000);
    await load("usage", ["patient_id,year,pool,amount,source,as_of", "SC-4,2026,PT_SLP,1000.00,MAC portal,2026-03-31"].join("\n"));
    expect(await stored("KX-1")).toEqual([]);
  });

  it("is what Claims to fix lists, counted by the database", async () => {
    // now stored: LINE-1 (GO on a PT's line) and CAP-1 (over the cap); NCCI-1 and KX-1 are clean
    const page = await asPractice(t, () => claimsToFix(t.practiceId, { page: 1, pageSize: 50 }));
    expect(page.rows.map((r) => r.visitExternalId)).toEqual(["CAP-1", "LINE-1"]);
    expect(page.total).toBe(2);
    expect(page.visitsChecked).toBe(4);
    expect(page.countsByType).toEqual({ wrong_discipline_modifier: 1, units_over_cap: 1 });
    const capped = await asPractice(t, () => claimsToFix(t.practiceId, { type: "units_over_cap", page: 1, pageSize: 50 }));
    expect(capped.rows.map((r) => r.visitExternalId)).toEqual(["CAP-1"]);
  });

  it("follows a deleted visit: its row and its day's counts go", async () => {
    const visit = await db().visit.findUniqueOrThrow({ where: { id: ids.get("LINE-1")! } });
    await asPractice(t, () => deleteVisit({ practiceId: t.practiceId, userId: t.users.BILLER }, visit.id, visit.version));
    expect(await db().visitClaimCheck.count({ where: { visitId: visit.id } })).toBe(0);
    // 4 visits less LINE-1: 3 checked, CAP-1 the only one with an issue
    const page = await asPractice(t, () => claimsToFix(t.practiceId, { page: 1, pageSize: 50 }));
    expect(page.rows.map((r) => r.visitExternalId)).toEqual(["CAP-1"]);
    expect(page.visitsChecked).toBe(3);
    expect(page.countsByType).toEqual({ units_over_cap: 1 });
  });

  it("is kept under the practice's row-level security", async () => {
    const other = await createTestPractice("stored-checks-other");
    // another practice's scope sees none of these rows, even through raw SQL
    const seen = await asPractice(other, () => claimsToFix(other.practiceId, { page: 1, pageSize: 50 }));
    expect(seen.total).toBe(0);
    expect(seen.rows).toEqual([]);
  });
});

describe("claim checks stored for the example practice", () => {
  const dir = path.resolve("e2e/fixtures/example-practice");
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  /** Issues with their keys in one order (jsonb keeps its own), so stored and fresh compare as values. */
  const canonical = (x: unknown) =>
    JSON.stringify(x, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

  it("equals a fresh check of every visit after visits, usage, contracts and two 835s were imported", async () => {
    const t = await createTestPractice("stored-checks-example");
    for (const [kind, file] of [
      ["visits", "visits.csv"],
      ["usage", "usage.csv"],
      ["contracts", "contracts.csv"],
    ] as const) {
      const r = await asPractice(t, () =>
        importCsv({ kind, practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    for (const file of ["remit-united.835", "remit-medicare.835"]) {
      const r = await asPractice(t, () =>
        import835({ practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    // each write above re-checked only the visits whose inputs it changed (contracts re-priced their
    // payers' visits, usage and remits moved KX totals): the rows left must be those a check of every
    // visit from scratch gives
    const visitRows = await db().visit.findMany({ where: { practiceId: t.practiceId }, select: { id: true, dateOfService: true } });
    const visitIds = visitRows.map((v) => v.id);
    const fresh = await asPractice(t, () => computeClaimIssues(db(), t.practiceId, visitIds));
    const stored = new Map(
      (await db().visitClaimCheck.findMany({ where: { practiceId: t.practiceId } })).map((r) => [r.visitId, canonical(r.issues)]),
    );
    const expected = new Map([...fresh].filter(([, issues]) => issues.length > 0).map(([id, issues]) => [id, canonical(issues)]));
    expect(visitIds.length).toBe(501);
    // the example practice has claims to fix of several kinds (missing KX among them: usage.csv puts a patient past the threshold)
    expect(new Set([...fresh.values()].flat().map((i) => i.code))).toContain("missing_kx");
    expect(stored.size).toBe(expected.size);
    expect([...stored].filter(([id, issues]) => expected.get(id) !== issues)).toEqual([]);

    // the day rows: per date of service, the visits, those with an issue and those with each type,
    // counted here from the visits and the fresh checks
    const wantDays = new Map<string, { visits: number; withIssues: number; codes: Record<string, number> }>();
    for (const v of visitRows) {
      const day = v.dateOfService.toISOString().slice(0, 10);
      const d = wantDays.get(day) ?? { visits: 0, withIssues: 0, codes: {} };
      const issues = fresh.get(v.id) ?? [];
      d.visits += 1;
      if (issues.length) d.withIssues += 1;
      for (const code of new Set(issues.map((i) => i.code))) d.codes[code] = (d.codes[code] ?? 0) + 1;
      wantDays.set(day, d);
    }
    const gotDays = await db().claimCheckDay.findMany({ where: { practiceId: t.practiceId } });
    expect(
      new Map(
        gotDays.map((d) => [d.dateOfService.toISOString().slice(0, 10), { visits: d.visits, withIssues: d.withIssues, codes: d.codes }]),
      ),
    ).toEqual(wantDays);
  });
});
