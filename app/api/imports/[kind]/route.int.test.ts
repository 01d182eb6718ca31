// The CSV upload route checks the permission of the kind's own form, besides "data.import":
// a manager may not write visits or usage, a biller may not write contracts (as their forms refuse).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAsUser } from "@/lib/server/core/context";
import { disconnectDb } from "@/lib/server/core/db";
import { createTestPractice, type TestPractice, db } from "@/lib/server/testing";
import { POST } from "./route";

const fixture = (name: string) => fs.readFileSync(path.resolve("e2e/fixtures/example-practice", name), "utf8");
const visitsCsv = fixture("visits.csv");
const contractsCsv = fixture("contracts.csv");
// the example's usage row, for the patient of the visits above (EX-000)
const usageCsv = fixture("usage.csv").replace("EX-002", "EX-000");

function upload(userId: number, kind: string, csv: string, dryRun = false) {
  const form = new FormData();
  form.set("file", new File([csv], `${kind}.csv`, { type: "text/csv" }));
  if (dryRun) form.set("dryRun", "true");
  const request = new Request(`http://localhost/api/imports/${kind}`, { method: "POST", body: form });
  return runAsUser(userId, () => POST(request, { params: Promise.resolve({ kind }) }));
}

describe("POST /api/imports/[kind]: the kind's own write permission", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("import-perm");
  });
  afterAll(() => disconnectDb());

  it("refuses a manager's visits.csv (403) and writes no visit", async () => {
    const res = await upload(t.users.MANAGER, "visits", visitsCsv);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/visits\.csv/);
    expect(await db().visit.count({ where: { practiceId: t.practiceId } })).toBe(0);
    expect(await db().importJob.count({ where: { practiceId: t.practiceId } })).toBe(0);
  });

  it("refuses a manager's dry run of usage.csv (403)", async () => {
    expect((await upload(t.users.MANAGER, "usage", usageCsv, true)).status).toBe(403);
  });

  it("refuses a biller's contracts.csv (403) and leaves the contracts as they were", async () => {
    const res = await upload(t.users.BILLER, "contracts", contractsCsv);
    expect(res.status).toBe(403);
    expect(await db().contract.count({ where: { practiceId: t.practiceId } })).toBe(0);
  });

  it("refuses every upload to an owner, who may not import at all", async () => {
    for (const kind of ["visits", "usage", "contracts"]) expect((await upload(t.users.OWNER, kind, "x")).status).toBe(403);
  });

  it("accepts each kind from a role that may write it: biller visits and usage, manager contracts", async () => {
    const visits = await upload(t.users.BILLER, "visits", visitsCsv);
    expect(visits.status).toBe(200);
    expect((await visits.json()).status).toBe("imported");
    expect(await db().visit.count({ where: { practiceId: t.practiceId, externalId: "V00001" } })).toBe(1);
    const usage = await upload(t.users.BILLER, "usage", usageCsv, true);
    expect(usage.status, JSON.stringify(await usage.clone().json())).toBe(200);
    const contracts = await upload(t.users.MANAGER, "contracts", contractsCsv);
    expect(contracts.status, JSON.stringify(await contracts.clone().json())).toBe(200);
    expect(await db().contract.count({ where: { practiceId: t.practiceId } })).toBeGreaterThan(0);
  });
});
