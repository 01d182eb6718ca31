import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { exportSourceFor } from "../exports";
import { asPractice, createTestPractice, db, readAll, type TestPractice } from "../testing";
import { importCsv } from "./index";

const visitsCsv = fs.readFileSync(path.resolve("e2e/fixtures/example-practice/visits.csv"), "utf8");
const [header, ...lines] = visitsCsv.trimEnd().split("\n");
const small = [header, ...lines.slice(0, 6)].join("\n");

async function counts(practiceId: number) {
  return {
    patients: await db().patient.count({ where: { practiceId } }),
    visits: await db().visit.count({ where: { practiceId } }),
    lines: await db().serviceLine.count({ where: { practiceId } }),
    jobs: await db().importJob.count({ where: { practiceId, status: "IMPORTED" } }),
  };
}

describe("CSV imports", () => {
  let t: TestPractice;
  let other: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("imports");
    other = await createTestPractice("imports-other");
  });
  afterAll(() => disconnectDb());

  it("rejects a file with bad rows, naming row and column, and writes nothing", async () => {
    const rows = small.split("\n");
    // row 3 (second data row): minutes not a number; row 5: bad date; row 6: unknown credential
    const cells = (i: number) => rows[i]!.split(",");
    const h = rows[0]!.split(",");
    const set = (i: number, col: string, value: string) => {
      const c = cells(i);
      c[h.indexOf(col)] = value;
      rows[i] = c.join(",");
    };
    set(2, "minutes", "twelve");
    set(4, "date_of_service", "2026-02-30");
    set(5, "therapist_credential", "DPT");
    const before = await counts(t.practiceId);
    const result = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "bad.csv",
        content: Buffer.from(rows.join("\n")),
      }),
    );
    expect(result.status).toBe("rejected");
    const wheres = result.errors.map((e) => e.where);
    expect(wheres).toContain("row 3, column minutes");
    expect(wheres).toContain("row 5, column date_of_service");
    expect(wheres).toContain("row 6, column therapist_credential");
    expect(await counts(t.practiceId)).toEqual(before);
    const rejected = await db().importJob.findFirst({ where: { practiceId: t.practiceId, fileName: "bad.csv" } });
    expect(rejected?.status).toBe("REJECTED");
  });

  it("rejects unknown and missing columns", async () => {
    const renamed = small.replace("therapist_npi", "npi");
    const result = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "cols.csv",
        content: Buffer.from(renamed),
      }),
    );
    expect(result.status).toBe("rejected");
    expect(result.errors.map((e) => e.where)).toEqual(expect.arrayContaining(["row 1, column npi", "row 1, column therapist_npi"]));
  });

  it("writes nothing on a dry run, then imports, then calls the same file a duplicate", async () => {
    const before = await counts(t.practiceId);
    const dry = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "v.csv",
        content: Buffer.from(small),
        dryRun: true,
      }),
    );
    expect(dry.status).toBe("dry-run");
    expect(dry.counts.lines).toBe(6);
    expect(await counts(t.practiceId)).toEqual(before);

    const first = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "v.csv",
        content: Buffer.from(small),
      }),
    );
    expect(first.status).toBe("imported");
    const after = await counts(t.practiceId);
    expect(after.lines).toBe(before.lines + 6);

    const second = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "renamed.csv",
        content: Buffer.from(small),
      }),
    );
    expect(second.status).toBe("duplicate");
    expect(await counts(t.practiceId)).toEqual(after);
  });

  it("accepts a byte-order mark and any column order", async () => {
    const rows = small.split("\n").map((r) => r.split(","));
    const reordered = rows.map((r) => [...r].reverse().join(",")).join("\n");
    // notes in the first rows contain no commas, so reversing cells is a faithful reorder
    const result = await asPractice(other.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: other.practiceId,
        userId: null,
        fileName: "bom.csv",
        content: Buffer.from(`\uFEFF${reordered}`),
      }),
    );
    expect(result.status, JSON.stringify(result.errors)).toBe("imported");
    expect(result.counts.lines).toBe(6);
  });

  it("keeps practices apart: one practice's export never shows another's rows", async () => {
    const mine = await asPractice(t, () => readAll(exportSourceFor("visits", t.practiceId, {}).rows));
    const theirs = await asPractice(other, () => readAll(exportSourceFor("visits", other.practiceId, {}).rows));
    expect(mine.length).toBe(6);
    expect(theirs.length).toBe(6);
    const p = await db().patient.findMany({ where: { practiceId: { in: [t.practiceId, other.practiceId] } } });
    expect(new Set(p.map((x) => x.practiceId))).toEqual(new Set([t.practiceId, other.practiceId]));
  });

  it("rejects usage rows for unknown patients", async () => {
    const usage = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "usage",
        practiceId: t.practiceId,
        userId: null,
        fileName: "u.csv",
        content: Buffer.from("patient_id,year,pool,amount,source,as_of\nNOPE-1,2026,PT_SLP,10.00,MAC portal,2026-01-01\n"),
      }),
    );
    expect(usage.status).toBe("rejected");
    expect(usage.errors[0]?.where).toBe("row 2, column patient_id");
  });

  it("takes contracts.csv before any visits: an unknown payer is created (payer_kind, default commercial) and reported", async () => {
    const fresh = await createTestPractice("contracts-first");
    const head =
      "payer,effective_from,effective_to,unit_method,multiple_procedure_rule,cpt,modifier,rate_per_unit,percent_of_medicare,medicare_year,locality,max_units_per_visit,lesser_of_charge";
    // without the payer_kind column: commercial
    const first = await asPractice(fresh.practiceId, () =>
      importCsv({
        kind: "contracts",
        practiceId: fresh.practiceId,
        userId: null,
        fileName: "c1.csv",
        content: Buffer.from(
          `${head}\nNew Blue Plan,2026-01-01,,cms,none,97110,,30.00,,,,,\nNew Blue Plan,2026-01-01,,cms,none,97530,,38.00,,,,,\n`,
        ),
      }),
    );
    expect(first.status).toBe("imported");
    expect(first.counts.payersCreated).toBe(1);
    expect(first.warnings).toEqual([{ where: "row 2, column payer", message: 'new payer "New Blue Plan" created (commercial)' }]);
    const created = await db().payer.findMany({ where: { practiceId: fresh.practiceId } });
    expect(created.map((p) => [p.name, p.kind])).toEqual([["New Blue Plan", "commercial"]]);
    expect(await db().contractRate.count({ where: { practiceId: fresh.practiceId } })).toBe(2);

    // with payer_kind: the kind of the new payer; two rows disagreeing about it reject the file
    const clash = await asPractice(fresh.practiceId, () =>
      importCsv({
        kind: "contracts",
        practiceId: fresh.practiceId,
        userId: null,
        fileName: "c2.csv",
        content: Buffer.from(
          `payer_kind,${head}\nworkers_comp,State Fund,2026-01-01,,per_code,none,97110,,25.00,,,,,\nmedicaid,State Fund,2026-01-01,,per_code,none,97530,,25.00,,,,,\n`,
        ),
      }),
    );
    expect(clash.status).toBe("rejected");
    expect(clash.errors[0]?.where).toBe("row 3, column payer_kind");
    const bad = await asPractice(fresh.practiceId, () =>
      importCsv({
        kind: "contracts",
        practiceId: fresh.practiceId,
        userId: null,
        fileName: "c3.csv",
        content: Buffer.from(`payer_kind,${head}\nhmo,State Fund,2026-01-01,,per_code,none,97110,,25.00,,,,,\n`),
      }),
    );
    expect(bad.status).toBe("rejected");
    expect(bad.errors[0]?.where).toBe("row 2, column payer_kind");
    const second = await asPractice(fresh.practiceId, () =>
      importCsv({
        kind: "contracts",
        practiceId: fresh.practiceId,
        userId: null,
        fileName: "c4.csv",
        content: Buffer.from(`payer_kind,${head}\nworkers_comp,State Fund,2026-01-01,,per_code,none,97110,,25.00,,,,,\n`),
      }),
    );
    expect(second.status).toBe("imported");
    expect(second.counts.payersCreated).toBe(1);
    const fund = await db().payer.findFirst({ where: { practiceId: fresh.practiceId, nameKey: "state fund" } });
    expect(fund?.kind).toBe("workers_comp");
    expect(fund?.unitMethod).toBe("per_code");

    // visits.csv afterwards joins its lines to the payer the contracts created (matched by name, any case)
    const rows = small.split("\n");
    const h = rows[0]!.split(",");
    const visitRows = rows.map((r, i) => {
      if (i === 0) return r;
      const c = r.split(",");
      c[h.indexOf("payer")] = "new blue plan";
      c[h.indexOf("payer_kind")] = "commercial";
      return c.join(",");
    });
    const visits = await asPractice(fresh.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: fresh.practiceId,
        userId: null,
        fileName: "v.csv",
        content: Buffer.from(visitRows.join("\n")),
      }),
    );
    expect(visits.status).toBe("imported");
    expect(await db().payer.count({ where: { practiceId: fresh.practiceId } })).toBe(2);
    const blue = created[0]!;
    expect(await db().visit.count({ where: { practiceId: fresh.practiceId, payerId: blue.id } })).toBe(
      await db().visit.count({ where: { practiceId: fresh.practiceId } }),
    );
  });
});
