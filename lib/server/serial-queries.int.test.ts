// One connection runs one query at a time. Prisma's pg adapter reads the relations of an
// `include` with parallel queries; inside an interactive transaction (every scoped model query
// runs in one, lib/server/core/scope.ts) they all land on the transaction's one connection, where pg
// queues them but warns that pg 9 will refuse them. The app's connections (ListenedClient in
// lib/server/core/db-client.ts) send them one after another instead: the same rows, no warning.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "./core/db";
import { asPractice, createTestPractice, importVisitsCsv, type TestPractice } from "./testing";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
// two patients, one visit each; the second visit has two lines (97110 and 97530)
const CSV = [
  HEADER,
  "SQ-1,Ann,Serial,1950-01-01,Medicare,medicare,M1,SQ-V1,,2026-03-02,1000000001,Pat Therapist,PT,11,97110,GP,15,1,60.00,",
  "SQ-2,Bob,Queue,1951-02-02,Aetna,commercial,A2,SQ-V2,,2026-03-03,1000000001,Pat Therapist,PT,11,97110,GP,15,1,60.00,",
  "SQ-2,Bob,Queue,1951-02-02,Aetna,commercial,A2,SQ-V2,,2026-03-03,1000000001,Pat Therapist,PT,11,97530,GP,15,1,70.00,",
].join("\n");

describe("queries on one connection", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("serial-queries");
    await importVisitsCsv(t, CSV);
  });
  afterAll(() => disconnectDb());

  it("a read with three relations inside the practice's transaction gets every row and no pg warning", async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on("warning", listen);
    try {
      const read = () =>
        db().visit.findMany({
          include: { lines: { orderBy: { lineOrder: "asc" } }, patient: true, payer: true },
          orderBy: { externalId: "asc" },
        });
      // through the scope (each model query in its own interactive transaction), and inside an
      // explicit transaction of the scoped client
      const scoped = await asPractice(t, read);
      const inTransaction = await asPractice(t, () => db().$transaction(() => read()));
      for (const visits of [scoped, inTransaction]) {
        expect(visits.map((v) => [v.externalId, v.patient.lastName, v.payer.name, v.lines.map((l) => l.cpt)])).toEqual([
          ["SQ-V1", "Serial", "Medicare", ["97110"]],
          ["SQ-V2", "Queue", "Aetna", ["97110", "97530"]],
        ]);
      }
      // a warning is emitted on a later tick
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listen);
    }
    expect(warnings.filter((m) => m.includes("already executing a query"))).toEqual([]);
  });
});
