// What the patient screens read: search by name or id with paging, the patient.view audit,
// and nothing of another practice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { recordIdParam, searchPatients, viewPatient, viewVisit } from "./queries";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const VISITS = [
  HEADER,
  "PQ-001,Maria,Garcia,1950-01-01,Medicare,medicare,M1,PQ-V1,,2026-01-05,4000000001,Q Therapist,PT,11,97110,GP,15,1,50.00,",
  "PQ-001,Maria,Garcia,1950-01-01,Medicare,medicare,M1,PQ-V2,,2026-02-09,4000000001,Q Therapist,PT,11,97110,GP,15,1,50.00,",
  "PQ-002,Jose,Garcia,1951-01-01,Aetna,commercial,A2,PQ-V3,,2026-01-06,4000000001,Q Therapist,PT,11,97110,GP,15,1,50.00,",
  "PQ-003,Ann,Lee,1952-01-01,Medicare,medicare,M3,PQ-V4,,2026-01-07,4000000001,Q Therapist,PT,11,97110,GP,15,1,50.00,",
].join("\n");

describe("patient and visit queries", () => {
  let t: TestPractice;
  let other: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("patients");
    other = await createTestPractice("patients-other");
    const r = await asPractice(t.practiceId, () =>
      importCsv({ kind: "visits", practiceId: t.practiceId, userId: null, fileName: "v.csv", content: Buffer.from(VISITS) }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("searches by name or patient id, every word must match, paged by name", async () => {
    expect((await asPractice(t.practiceId, () => searchPatients(t.practiceId, "garcia", 1))).rows.map((r) => r.externalId)).toEqual([
      "PQ-002",
      "PQ-001",
    ]);
    expect((await asPractice(t.practiceId, () => searchPatients(t.practiceId, "Garcia, Maria", 1))).rows.map((r) => r.externalId)).toEqual([
      "PQ-001",
    ]);
    expect((await asPractice(t.practiceId, () => searchPatients(t.practiceId, "pq-003", 1))).rows.map((r) => r.name)).toEqual(["Lee, Ann"]);
    const first = await asPractice(t.practiceId, () => searchPatients(t.practiceId, "", 1, 2));
    const second = await asPractice(t.practiceId, () => searchPatients(t.practiceId, "", 2, 2));
    expect(first.total).toBe(3);
    expect([...first.rows, ...second.rows].map((r) => r.externalId)).toEqual(["PQ-002", "PQ-001", "PQ-003"]);
    expect(first.rows[1]).toMatchObject({ visitCount: 2, lastVisit: "2026-02-09", payers: ["Medicare"] });
    // another practice's search finds none of them
    expect((await asPractice(other.practiceId, () => searchPatients(other.practiceId, "garcia", 1))).total).toBe(0);
  });

  it("finds a patient by id in any common spelling, by date of birth and by member id", async () => {
    const ids = async (q: string) => (await asPractice(t, () => searchPatients(t.practiceId, q, 1))).rows.map((r) => r.externalId);
    // PQ-003 written without its dash, with leading zeros dropped or added, or as the bare number
    expect(await ids("PQ3")).toEqual(["PQ-003"]);
    expect(await ids("pq 0003")).toEqual(["PQ-003"]);
    expect(await ids("000003")).toEqual(["PQ-003"]);
    // another prefix with the same number is not a match
    expect(await ids("X3")).toEqual([]);
    // date of birth in ISO or US order
    expect(await ids("1951-01-01")).toEqual(["PQ-002"]);
    expect(await ids("1/1/1951")).toEqual(["PQ-002"]);
    // member id (A2 is Jose Garcia's Aetna id), and with the name as a second word
    expect(await ids("A2")).toEqual(["PQ-002"]);
    expect(await ids("Garcia M1")).toEqual(["PQ-001"]);
    // a word found anywhere in a name, case aside: "ARCI" is inside both Garcias (by first name: Jose, Maria)
    expect(await ids("ARCI")).toEqual(["PQ-002", "PQ-001"]);
    // "%" and "_" are letters to look for, not wildcards: no name holds them
    expect(await ids("g_rcia")).toEqual([]);
    expect(await ids("%")).toEqual([]);
    // part of a member id ("M" is in M1 and M3, the Medicare ids; "1" alone would also match dates and ids)
    expect(await ids("m3")).toEqual(["PQ-003"]);
    // a NUL character in the search is dropped rather than sent to the database
    expect(await ids("Gar\u0000cia")).toEqual(["PQ-002", "PQ-001"]);
    expect((await asPractice(other, () => searchPatients(other.practiceId, "PQ3", 1))).total).toBe(0);
  });

  it("audits a patient view and finds nothing of another practice", async () => {
    const patient = await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "PQ-001" } });
    const viewed = await asPractice(t.practiceId, () => viewPatient({ practiceId: t.practiceId, userId: t.users.BILLER }, patient.id));
    expect(viewed?.visits.map((v) => v.externalId)).toEqual(["PQ-V2", "PQ-V1"]);
    const events = await db().auditEvent.findMany({ where: { practiceId: t.practiceId, action: "patient.view", patientId: patient.id } });
    expect(events.map((e) => e.userId)).toEqual([t.users.BILLER]);
    expect(
      await asPractice(other.practiceId, () => viewPatient({ practiceId: other.practiceId, userId: other.users.BILLER }, patient.id)),
    ).toBeNull();
    expect(
      await asPractice(other.practiceId, () =>
        viewVisit({ practiceId: other.practiceId, userId: other.users.BILLER }, viewed!.visits[0]!.id),
      ),
    ).toBeNull();
    expect(await db().auditEvent.count({ where: { practiceId: other.practiceId, action: { in: ["patient.view", "visit.view"] } } })).toBe(
      0,
    );
  });

  it("reads ids from the address bar strictly", () => {
    expect(recordIdParam("12")).toBe(12);
    for (const bad of ["abc", "0", "-1", "1.5", "12abc", "99999999999", ""]) expect(recordIdParam(bad)).toBeNull();
  });
});
