// Lists served a page at a time: 50 rows a page in a stable order, and the count (and sums) of
// the whole filtered list taken by the database, never from the rows of one page. Worked example:
// 53 patients with one 97530 visit each, on 53 consecutive days from Jan 2, 2026, every note
// reading as exercise (an undercoding candidate "97530 reads as exercise"):
//   53 rows at 50 a page = 2 pages: page 1 holds 50, page 2 the remaining 53 − 50 = 3;
//   53 undercoding cards at 25 a page = 3 pages: 25, 25 and the remaining 53 − 2 × 25 = 3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARD_PAGE_SIZE, LIST_PAGE_SIZE } from "@/lib/ui/paging";
import { disconnectDb } from "./core/db";
import { recentImportJobs } from "./imports";
import { DRILL_PAGE_SIZE, drillDown } from "./revenue/lines";
import { analyticsScope } from "./revenue/scope";
import { asPractice, createTestPractice, importVisitsCsv, type TestPractice } from "./testing";
import { candidateLines } from "./undercoding/queries";
import { searchPatients } from "./visits/queries";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const NOTE = "Grip strengthening with red putty 4 min; wrist curls 4 lb 3x15.";
const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
const pad = (i: number) => String(i).padStart(3, "0");
// patient i (1..53): last name "Page001" … "Page053", one visit on Jan 1 + i days
const ROWS = Array.from(
  { length: 53 },
  (_, k) =>
    `PG-${pad(k + 1)},Ann,Page${pad(k + 1)},1950-01-01,Aetna,commercial,A${k + 1},PG-V${pad(k + 1)},,${day(k + 1)},4000000001,Q Therapist,OT,11,97530,GO,15,1,60.00,${NOTE}`,
);

describe("lists a page at a time, counted over the whole list", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("paging");
    await importVisitsCsv(t, [HEADER, ...ROWS].join("\n"));
  });
  afterAll(() => disconnectDb());

  it("patients: 53 by name, page 1 has 50, page 2 the last 3, both say 53", async () => {
    const first = await asPractice(t, () => searchPatients(t.practiceId, "", 1));
    const second = await asPractice(t, () => searchPatients(t.practiceId, "", 2));
    expect(LIST_PAGE_SIZE).toBe(50);
    expect(first.total).toBe(53);
    expect(second.total).toBe(53);
    expect(first.rows).toHaveLength(50);
    // by last name: Page051, Page052, Page053 come last
    expect(second.rows.map((r) => r.externalId)).toEqual(["PG-051", "PG-052", "PG-053"]);
    // past the last page: no rows, the total still counted
    const third = await asPractice(t, () => searchPatients(t.practiceId, "", 3));
    expect(third).toMatchObject({ total: 53, rows: [] });
  });

  it("undercoding candidates: newest first, 25 cards a page, page 3 holds the 3 oldest, the total is the whole period's", async () => {
    const scope = analyticsScope(t.practiceId);
    const filter = { from: "2026-01-01", to: "2026-03-31", status: "all" as const };
    const pageOf = (page: number) => asPractice(t, () => candidateLines(scope, { ...filter, page }));
    const first = await pageOf(1);
    const second = await pageOf(2);
    const third = await pageOf(3);
    expect(CARD_PAGE_SIZE).toBe(25);
    expect(first).toMatchObject({ total: 53, pages: 3, page: 1, hasMore: true });
    expect(first.rows).toHaveLength(25);
    // the newest is visit 53 on Jan 1 + 53 days = Feb 23
    expect(first.rows[0]).toMatchObject({ visitExternalId: "PG-V053", dateOfService: "2026-02-23", direction: "reads_as_exercise" });
    // page 2 starts 25 visits further back: visit 53 − 25 = 28, on Jan 1 + 28 days = Jan 29
    expect(second.rows).toHaveLength(25);
    expect(second.rows[0]).toMatchObject({ visitExternalId: "PG-V028", dateOfService: "2026-01-29" });
    expect(second).toMatchObject({ total: 53, pages: 3, page: 2, hasMore: true });
    // the three oldest, newest first: Jan 4, Jan 3, Jan 2
    expect(third.rows.map((r) => [r.visitExternalId, r.dateOfService])).toEqual([
      ["PG-V003", "2026-01-04"],
      ["PG-V002", "2026-01-03"],
      ["PG-V001", "2026-01-02"],
    ]);
    expect(third).toMatchObject({ total: 53, pages: 3, page: 3, hasMore: false });
    // the pages together are the whole list once, in the order of "all" (the CSV download)
    const all = await asPractice(t, () => candidateLines(scope, { ...filter, page: "all" }));
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.lineId)).toEqual(all.rows.map((r) => r.lineId));
    // a narrower period counts only its own lines: Jan 2 – Jan 31 holds visits 1..30, 2 pages (25 + 5)
    const january = await asPractice(t, () => candidateLines(scope, { from: "2026-01-01", to: "2026-01-31", status: "all", page: 1 }));
    expect(january).toMatchObject({ total: 30, pages: 2 });
    expect(january.rows).toHaveLength(25);
  });

  it("undercoding drill-down: oldest first, 50 lines a page, page 2 holds the 3 newest, the total is the whole period's", async () => {
    const scope = analyticsScope(t.practiceId);
    const pageOf = (page: number) =>
      asPractice(t, () => drillDown(scope, { metric: "undercoding", week: "2026-03-30", from: "2026-01-01", to: "2026-03-31", page }));
    const first = await pageOf(1);
    const second = await pageOf(2);
    expect(DRILL_PAGE_SIZE).toBe(50);
    expect(first.totals.lines).toBe(53);
    expect(first.rows).toHaveLength(50);
    expect(first.hasMore).toBe(true);
    // the oldest is visit 1 on Jan 1 + 1 day = Jan 2; the 50th visit 50 on Feb 20
    expect([first.rows[0]!.visitExternalId, first.rows[0]!.dateOfService]).toEqual(["PG-V001", "2026-01-02"]);
    expect([first.rows[49]!.visitExternalId, first.rows[49]!.dateOfService]).toEqual(["PG-V050", "2026-02-20"]);
    // page 2: the remaining 53 − 50 = 3, Feb 21 … Feb 23
    expect(second.rows.map((r) => [r.visitExternalId, r.dateOfService])).toEqual([
      ["PG-V051", "2026-02-21"],
      ["PG-V052", "2026-02-22"],
      ["PG-V053", "2026-02-23"],
    ]);
    expect(second).toMatchObject({ hasMore: false, totals: { lines: 53 } });
  });

  it("import history: the one import of the file, counted", async () => {
    const jobs = await asPractice(t, () => recentImportJobs(t.practiceId, 1));
    expect(jobs).toMatchObject({ total: 1, pages: 1, page: 1 });
    expect(jobs.rows.map((j) => j.fileName)).toEqual(["visits.csv"]);
  });
});
