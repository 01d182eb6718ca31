// The example practice (e2e/fixtures/example-practice) imported through the real importers:
// `export undercoding` must list exactly the candidate lines of expected-undercoding.csv, in
// both directions, with the re-priced potential gain to the cent.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { exportSourceFor } from "../exports";
import { serialize } from "../lists/format";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, type TestPractice, db } from "../testing";

const dir = path.resolve("e2e/fixtures/example-practice");
const read = (f: string) => fs.readFileSync(path.join(dir, f));

function csv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true, bom: true });
}

describe("undercoding export of the example practice", () => {
  let t: TestPractice;
  let exported: Record<string, string>[];
  let exportText = "";

  beforeAll(async () => {
    t = await createTestPractice("undercoding-example");
    for (const [kind, file] of [
      ["visits", "visits.csv"],
      ["usage", "usage.csv"],
      ["contracts", "contracts.csv"],
    ] as const) {
      const result = await asPractice(t.practiceId, () =>
        importCsv({ kind, practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content: read(file) }),
      );
      expect(result.status, JSON.stringify(result.errors)).toBe("imported");
    }
    await asPractice(t, async () => {
      for await (const chunk of serialize(exportSourceFor("undercoding", t.practiceId, {}), "csv")) exportText += chunk;
    });
    exported = csv(exportText);
  });
  afterAll(() => disconnectDb());

  it("has the columns of FORMATS.md, then possible_gain (docs/formats.md), empty on every counted row", () => {
    expect(exportText.split(/\r?\n/)[0]).toBe(
      "visit_id,date_of_service,therapist_npi,payer,cpt,units,direction,matched_terms,potential_gain,possible_gain",
    );
    // the example practice does not set ambiguous notes apart: every row is counted
    expect(exported.every((r) => r.possible_gain === "")).toBe(true);
  });

  it("equals expected-undercoding.csv (visit, line, code, direction, potential gain), in order", async () => {
    const expected = csv(read("expected-undercoding.csv").toString("utf8"));
    // the export has no line column: take each candidate's line order from the database, in export order
    const lines = await db().serviceLine.findMany({
      where: { practiceId: t.practiceId, undercodingDirection: { not: null } },
      select: {
        lineOrder: true,
        cpt: true,
        visit: { select: { externalId: true, dateOfService: true, patient: { select: { externalId: true } } } },
      },
    });
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    lines.sort(
      (a, b) =>
        cmp(a.visit.patient.externalId, b.visit.patient.externalId) ||
        a.visit.dateOfService.getTime() - b.visit.dateOfService.getTime() ||
        cmp(a.visit.externalId, b.visit.externalId) ||
        a.lineOrder - b.lineOrder,
    );
    expect(lines.map((l) => `${l.visit.externalId}|${l.cpt}`)).toEqual(exported.map((r) => `${r.visit_id}|${r.cpt}`));
    const got = exported.map((r, i) => ({
      visit_id: r.visit_id,
      line: String(lines[i]!.lineOrder),
      cpt: r.cpt,
      direction: r.direction,
      potential_gain: r.potential_gain,
    }));
    expect(got).toEqual(expected);
  });

  it("gives every candidate its matched terms, and 0.00 for reads_as_exercise", () => {
    for (const r of exported) {
      expect(r.matched_terms, r.visit_id).not.toBe("");
      if (r.direction === "reads_as_exercise") expect(r.potential_gain).toBe("0.00");
    }
  });

  it("filters by date of service", async () => {
    let text = "";
    await asPractice(t, async () => {
      for await (const chunk of serialize(exportSourceFor("undercoding", t.practiceId, { from: "2026-04-01", to: "2026-04-30" }), "csv"))
        text += chunk;
    });
    const rows = csv(text);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.date_of_service! >= "2026-04-01" && r.date_of_service! <= "2026-04-30")).toBe(true);
    expect(rows.length).toBe(exported.filter((r) => r.date_of_service! >= "2026-04-01" && r.date_of_service! <= "2026-04-30").length);
  });
});
