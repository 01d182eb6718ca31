// The synthetic practice-year of e2e/fixtures/example-practice, imported through the real
// importers into PostgreSQL: every export must match the expected files to the cent.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "./core/db";
import { exportSourceFor } from "./exports";
import { serialize } from "./lists/format";
import { importCsv } from "./imports";
import { asPractice, createTestPractice, type TestPractice } from "./testing";

const dir = path.resolve("e2e/fixtures/example-practice");
const read = (f: string) => fs.readFileSync(path.join(dir, f));

async function exportText(kind: "visits" | "kx-queue", practiceId: number) {
  let out = "";
  await asPractice(practiceId, async () => {
    for await (const chunk of serialize(exportSourceFor(kind, practiceId, {}), "csv")) out += chunk;
  });
  return out;
}

function parseCsvText(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const cols = header!.split(",");
  return lines.map((l) => {
    // the fields compared here never contain commas or quotes
    const cells = l.split(",");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}

describe("example practice, imported from CSV", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("example");
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
  });
  afterAll(() => disconnectDb());

  it("exports the KX queue exactly as expected-kx-queue.csv", async () => {
    expect(await exportText("kx-queue", t.practiceId)).toBe(read("expected-kx-queue.csv").toString("utf8"));
  });

  it("exports units supported, flag and expected allowed of every line as expected", async () => {
    const expected = parseCsvText(read("expected-visits-export.csv").toString("utf8"));
    const got = (await exportText("visits", t.practiceId)).trim().split(/\r?\n/);
    const header = got[0]!.split(",");
    const col = (name: string) => header.indexOf(name);
    // notes may contain commas: read the computed columns from the end of each row
    const lineIndex = new Map<string, number>();
    const byKey = new Map<string, string[]>();
    for (const row of got.slice(1)) {
      const cells = row.split(",");
      const tail = cells.slice(-3);
      const visitId = cells[col("visit_id")]!;
      const n = lineIndex.get(visitId) ?? 0;
      lineIndex.set(visitId, n + 1);
      byKey.set(`${visitId}|${n}`, tail);
    }
    expect(byKey.size).toBe(expected.length);
    const mismatches = expected.filter((e) => {
      const [supported, flag, allowed] = byKey.get(`${e.visit_id}|${e.line}`) ?? [];
      return supported !== e.units_supported || flag !== e.units_flag || allowed !== e.expected_allowed;
    });
    expect(mismatches).toEqual([]);
  });

  it("treats a second import of the same file as a duplicate that changes nothing", async () => {
    const again = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "visits.csv",
        content: read("visits.csv"),
      }),
    );
    expect(again.status).toBe("duplicate");
    expect(await exportText("kx-queue", t.practiceId)).toBe(read("expected-kx-queue.csv").toString("utf8"));
  });
});
