// The claim checks wired to the database: NCCI pairs from the practice's table, the
// telehealth setting of the payer, KX from the running totals, unit method and caps from the
// contract in force, the clinician's credential. (Each check's own rule is unit-tested in
// lib/billing/claimChecks.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNcciPairAction, removeNcciPairAction } from "@/app/(app)/admin/ncci/actions";
import type { ClaimIssueCode } from "@/lib/billing";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { recomputeDerived } from "../derived";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { claimIssuesOfVisits, claimsToFix } from "./checks";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const row = (
  patient: string,
  payer: string,
  kind: string,
  visit: string,
  date: string,
  npi: string,
  credential: string,
  pos: string,
  cpt: string,
  modifiers: string,
  minutes: string,
  units: string,
) =>
  `${patient},F${patient},L${patient},1950-01-01,${payer},${kind},M-${patient},${visit},CLM-${visit},${date},${npi},Clin ${npi},${credential},${pos},${cpt},${modifiers},${minutes},${units},50.00,`;

const VISITS = [
  HEADER,
  // KX: $2,400 used elsewhere; KX-0 stays below $2,480, KX-1 crosses, KX-2 is later and carries KX
  row("CK-1", "Medicare", "medicare", "KX-0", "2026-02-01", "2000000001", "PT", "11", "97110", "GP", "15", "1"),
  row("CK-1", "Medicare", "medicare", "KX-1", "2026-03-01", "2000000001", "PT", "11", "97110", "GP", "30", "2"),
  row("CK-1", "Medicare", "medicare", "KX-2", "2026-03-08", "2000000001", "PT", "11", "97110", "GP;KX", "30", "2"),
  // NCCI: evaluation with manual therapy, no 59
  row("CK-2", "Medicare", "medicare", "NCCI-1", "2026-03-02", "2000000001", "PT", "11", "97161", "GP", "", "1"),
  row("CK-2", "Medicare", "medicare", "NCCI-1", "2026-03-02", "2000000001", "PT", "11", "97140", "GP", "15", "1"),
  // a pair only a custom table entry makes an issue
  row("CK-2", "Medicare", "medicare", "NCCI-2", "2026-03-03", "2000000001", "PT", "11", "97110", "GP", "15", "1"),
  row("CK-2", "Medicare", "medicare", "NCCI-2", "2026-03-03", "2000000001", "PT", "11", "97112", "GP", "15", "1"),
  // telehealth with a commercial payer
  row("CK-3", "Tele Plan", "commercial", "TELE-1", "2026-03-04", "2000000001", "PT", "02", "97110", "GP", "15", "1"),
  // a PTA without CQ
  row("CK-4", "Medicare", "medicare", "PTA-1", "2026-03-05", "2000000002", "PTA", "11", "97110", "GP", "15", "1"),
  // per-code unit method and a cap of 2 on 97530, from the contract
  row("CK-5", "Capped Plan", "commercial", "CAP-1", "2026-03-06", "2000000001", "PT", "11", "97110", "GP", "33", "2"),
  row("CK-5", "Capped Plan", "commercial", "CAP-1", "2026-03-06", "2000000001", "PT", "11", "97140", "GP", "7", "1"),
  row("CK-5", "Capped Plan", "commercial", "CAP-2", "2026-03-07", "2000000001", "PT", "11", "97530", "GP", "45", "3"),
].join("\n");
const USAGE = ["patient_id,year,pool,amount,source,as_of", "CK-1,2026,PT_SLP,2400.00,MAC portal,2026-01-31"].join("\n");
const CONTRACTS = [
  "payer,effective_from,effective_to,unit_method,multiple_procedure_rule,cpt,modifier,rate_per_unit,percent_of_medicare,medicare_year,locality,max_units_per_visit,lesser_of_charge",
  "Capped Plan,2026-01-01,,per_code,none,97110,,35.00,,,,,true",
  "Capped Plan,2026-01-01,,per_code,none,97140,,33.00,,,,,true",
  "Capped Plan,2026-01-01,,per_code,none,97530,,40.00,,,,2,true",
].join("\n");

describe("claim checks through the database", () => {
  let t: TestPractice;
  const visitIds = new Map<string, number>();

  async function codesOf(externalId: string): Promise<ClaimIssueCode[]> {
    const id = visitIds.get(externalId)!;
    const issues = (await asPractice(t.practiceId, () => claimIssuesOfVisits(t.practiceId, [id]))).get(id) ?? [];
    return issues.map((i) => i.code);
  }

  beforeAll(async () => {
    t = await createTestPractice("claims");
    for (const [kind, content] of [
      ["visits", VISITS],
      ["usage", USAGE],
      ["contracts", CONTRACTS],
    ] as const) {
      const r = await asPractice(t.practiceId, () =>
        importCsv({ kind, practiceId: t.practiceId, userId: null, fileName: `${kind}.csv`, content: Buffer.from(content) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    for (const v of await db().visit.findMany({ where: { practiceId: t.practiceId } })) visitIds.set(v.externalId, v.id);
  });
  afterAll(() => disconnectDb());

  it("needs KX from the line that crosses the threshold on, using the stored totals", async () => {
    expect(await codesOf("KX-0")).not.toContain("missing_kx");
    const kx1 = (await asPractice(t.practiceId, () => claimIssuesOfVisits(t.practiceId, [visitIds.get("KX-1")!]))).get(
      visitIds.get("KX-1")!,
    )!;
    expect(kx1.filter((i) => i.code === "missing_kx").map((i) => i.lineIndex)).toEqual([0]);
    expect(await codesOf("KX-2")).not.toContain("missing_kx");
    // less used elsewhere: nobody crosses, nothing needs KX
    await db().$transaction(async (tx) => {
      const patient = await tx.patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "CK-1" } });
      await tx.thresholdUsage.updateMany({ where: { practiceId: t.practiceId, patientId: patient.id }, data: { amountCents: 100000 } });
      // what a usage write does: the pool's derived figures (KX totals, then the claim checks) follow
      await asPractice(t.practiceId, () =>
        recomputeDerived(tx, t.practiceId, { pools: [{ patientId: patient.id, year: 2026, pool: "PT_SLP" }] }),
      );
    });
    expect(await codesOf("KX-1")).not.toContain("missing_kx");
  });

  it("reads NCCI pairs from the practice's table (removed pairs stop firing, added ones start)", async () => {
    expect(await codesOf("NCCI-1")).toContain("ncci_pair_without_modifier");
    expect(await codesOf("NCCI-2")).not.toContain("ncci_pair_without_modifier");

    const pair = await db().ncciPair.findFirstOrThrow({ where: { practiceId: t.practiceId, column1: "97161", column2: "97140" } });
    // a biller may not edit the table; a manager may
    expect(await runAsUser(t.users.BILLER, () => removeNcciPairAction({ id: pair.id }))).toMatchObject({ ok: false, status: 403 });
    expect((await runAsUser(t.users.MANAGER, () => removeNcciPairAction({ id: pair.id }))).ok).toBe(true);
    expect(await codesOf("NCCI-1")).not.toContain("ncci_pair_without_modifier");

    const added = await runAsUser(t.users.MANAGER, () => addNcciPairAction({ column1: "97110", column2: "97112", note: "test pair" }));
    expect(added.ok, JSON.stringify(added)).toBe(true);
    expect(await codesOf("NCCI-2")).toContain("ncci_pair_without_modifier");
    const again = await runAsUser(t.users.MANAGER, () => addNcciPairAction({ column1: "97110", column2: "97112", note: "" }));
    expect(again).toMatchObject({ ok: false, status: 400 });
    const bad = await runAsUser(t.users.MANAGER, () => addNcciPairAction({ column1: "97-10", column2: "97112", note: "" }));
    expect(!bad.ok && Object.keys(bad.fieldErrors ?? {})).toEqual(["column1"]);
    expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action: { in: ["ncci.add", "ncci.remove"] } } })).toBe(2);
  });

  it("takes the telehealth rule from the payer", async () => {
    expect(await codesOf("TELE-1")).not.toContain("telehealth_not_allowed");
    await db().$transaction(async (tx) => {
      const payer = await tx.payer.findFirstOrThrow({ where: { practiceId: t.practiceId, nameKey: "tele plan" } });
      await tx.payer.update({ where: { id: payer.id }, data: { allowsTelehealth: false } });
      // what a change of a payer's settings does: its visits' derived figures (prices, claim checks) follow
      await asPractice(t.practiceId, () => recomputeDerived(tx, t.practiceId, { payers: [payer.id] }));
    });
    expect(await codesOf("TELE-1")).toContain("telehealth_not_allowed");
  });

  it("checks assistant modifiers against the clinician's credential", async () => {
    expect(await codesOf("PTA-1")).toContain("missing_assistant_modifier");
    expect(await codesOf("KX-0")).not.toContain("missing_assistant_modifier");
  });

  it("uses the unit method and caps of the contract in force", async () => {
    // per code: 97140 7 minutes supports no unit (CMS pooling would give it one)
    const cap1 = (await asPractice(t.practiceId, () => claimIssuesOfVisits(t.practiceId, [visitIds.get("CAP-1")!]))).get(
      visitIds.get("CAP-1")!,
    )!;
    expect(cap1.map((i) => [i.code, i.lineIndex])).toEqual([["units_over", 1]]);
    expect(await codesOf("CAP-2")).toEqual(["units_over_cap"]);
  });

  it("lists visits with issues, most recent first, by type, paged", async () => {
    const all = await asPractice(t.practiceId, () => claimsToFix(t.practiceId, { page: 1, pageSize: 50 }, db()));
    const dates = all.rows.map((r) => r.dateOfService);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(all.rows.map((r) => r.visitExternalId)).toEqual(expect.arrayContaining(["TELE-1", "PTA-1", "CAP-1", "CAP-2", "NCCI-2"]));
    expect(all.visitsChecked).toBe(visitIds.size);
    const caps = await asPractice(t.practiceId, () => claimsToFix(t.practiceId, { type: "units_over_cap", page: 1, pageSize: 50 }, db()));
    expect(caps.rows.map((r) => r.visitExternalId)).toEqual(["CAP-2"]);
    expect(caps.countsByType.units_over_cap).toBe(1);
    const page2 = await asPractice(t.practiceId, () => claimsToFix(t.practiceId, { page: 2, pageSize: 2 }, db()));
    expect(page2.rows.map((r) => r.visitExternalId)).toEqual(all.rows.slice(2, 4).map((r) => r.visitExternalId));
    const ranged = await asPractice(t.practiceId, () =>
      claimsToFix(t.practiceId, { from: "2026-03-06", to: "2026-03-07", page: 1, pageSize: 50 }, db()),
    );
    expect(ranged.rows.map((r) => r.visitExternalId)).toEqual(["CAP-2", "CAP-1"]);
    // each row names its visit as visits.csv gave it: CAP-1 (CK-5's visit of March 6, claim
    // CLM-CAP-1, Capped Plan, NPI 2000000001 a PT) with its two lines in order, 97110 then 97140
    const cap1 = ranged.rows[1]!;
    expect(cap1).toMatchObject({
      visitId: visitIds.get("CAP-1"),
      dateOfService: "2026-03-06",
      patient: { externalId: "CK-5", name: "LCK-5, FCK-5" },
      payer: "Capped Plan",
      therapist: "Clin 2000000001 (PT)",
      claim: "CLM-CAP-1",
      lines: [
        { cpt: "97110", modifiers: ["GP"] },
        { cpt: "97140", modifiers: ["GP"] },
      ],
    });
    expect(cap1.patient.id).toBe((await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "CK-5" } })).id);
    expect(cap1.issues.map((i) => [i.code, i.lineIndex])).toEqual([["units_over", 1]]);
  });
});
