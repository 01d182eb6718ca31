// The example practice (e2e/fixtures/example-practice): visits, usage and contracts, then
// both 835 files through import835. The counts, the KX queue after the remits and the
// United underpayments must match the expected files to the cent.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { exportSourceFor } from "../exports";
import { serialize } from "../lists/format";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, type TestPractice, db } from "../testing";
import { import835 } from "./import";

const dir = path.resolve("e2e/fixtures/example-practice");
const read = (f: string) => fs.readFileSync(path.join(dir, f));

async function exportText(kind: "kx-queue" | "underpayments", practiceId: number) {
  let out = "";
  await asPractice(practiceId, async () => {
    for await (const chunk of serialize(exportSourceFor(kind, practiceId, {}), "csv")) out += chunk;
  });
  return out;
}

describe("example practice with its remits", () => {
  let t: TestPractice;
  const results: Record<string, Awaited<ReturnType<typeof import835>>> = {};
  beforeAll(async () => {
    t = await createTestPractice("example-remits");
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
    for (const name of ["united", "medicare"]) {
      results[name] = await asPractice(t.practiceId, () =>
        import835({
          practiceId: t.practiceId,
          userId: t.users.MANAGER,
          fileName: `remit-${name}.835`,
          content: read(`remit-${name}.835`),
        }),
      );
    }
  });
  afterAll(() => disconnectDb());

  for (const name of ["united", "medicare"]) {
    it(`imports remit-${name}.835 with the expected counts, every claim matched`, () => {
      const r = results[name]!;
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
      const expected = JSON.parse(read(`expected-remit-${name}-counts.json`).toString("utf8")) as Record<string, number>;
      expect(r.counts).toMatchObject(expected);
      expect(r.counts.transactions).toBe(1);
      expect(r.counts.matchedClaims).toBe(expected.claims);
      expect(r.warnings).toEqual([]);
    });
  }

  it("exports the KX queue exactly as expected-kx-queue-after-remits.csv (CRLF)", async () => {
    const text = await exportText("kx-queue", t.practiceId);
    expect(text).toContain("\r\n");
    expect(text).toBe(read("expected-kx-queue-after-remits.csv").toString("utf8"));
  });

  it("finds United's underpayments line by line as expected-underpayments-united.csv", async () => {
    const expected = read("expected-underpayments-united.csv").toString("utf8").trim().split(/\r?\n/).slice(1);
    const rows = await db().$queryRawUnsafe<
      { pcn: string; lineOrder: number; cpt: string; expected: number; allowed: number; variance: number; paid: number }[]
    >(
      `select c."patientControlNumber" as pcn, s."lineOrder", rl.cpt, rl."expectedAllowedCents" as expected, rl."allowedCents" as allowed,
              rl."varianceCents" as variance, rl."paidCents" as paid
       from "RemitLine" rl join "RemitClaim" rc on rc.id = rl."remitClaimId" join "RemitPayment" rp on rp.id = rc."paymentId"
       join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId" join "Claim" c on c.id = v."claimId"
       where rl."practiceId" = $1 and rp."payerName" = 'UNITED EXAMPLE' order by rl.id`,
      t.practiceId,
    );
    const d = (c: number) => (c / 100).toFixed(2);
    const got = rows.map((r) => [r.pcn, r.lineOrder, r.cpt, d(r.expected), d(r.allowed), d(r.variance), d(r.paid)].join(","));
    expect(got).toEqual(expected);
  });

  it("exports underpayments with the FORMATS.md columns and adjustments like CO-45:12.30;PR-2:6.10", async () => {
    const text = await exportText("underpayments", t.practiceId);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe(
      "payer,claim_id,patient_id,date_of_service,cpt,modifiers,units,charge,expected_allowed,remit_allowed,variance,paid,adjustments,remit_cpt",
    );
    // one row per service line its primary payer remitted: United's 67 lines and Medicare's 80
    expect(lines).toHaveLength(1 + 67 + 80);
    const row = lines.find((l) => l.includes("CLM00469") && l.includes("97110"));
    expect(row).toBe("United Example,CLM00469,EX-006,2026-01-24,97110,GP;CQ,1,70.00,32.22,27.39,4.83,21.91,CO-45:42.61;PR-2:5.48,97110");
  });

  it("exports United's lines with the figures of expected-underpayments-united.csv", async () => {
    // expected file: claim_id,line,cpt,expected_allowed,remit_allowed,variance,paid (one row per United line)
    const expected = read("expected-underpayments-united.csv")
      .toString("utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => {
        const [claim, , cpt, exp, remit, variance, paid] = l.split(",");
        return [claim, cpt, exp, remit, variance, paid].join(",");
      })
      .sort();
    const exported = (await exportText("underpayments", t.practiceId))
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","))
      .filter((c) => c[0] === "United Example")
      // payer,claim_id,patient_id,date_of_service,cpt,modifiers,units,charge,expected_allowed,remit_allowed,variance,paid,…
      .map((c) => [c[1], c[4], c[8], c[9], c[10], c[11]].join(","))
      .sort();
    expect(exported).toEqual(expected);
  });

  it("treats the same file again as a duplicate that changes nothing", async () => {
    const again = await asPractice(t.practiceId, () =>
      import835({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "remit-united.835",
        content: read("remit-united.835"),
      }),
    );
    expect(again.status).toBe("duplicate");
    expect(await exportText("kx-queue", t.practiceId)).toBe(read("expected-kx-queue-after-remits.csv").toString("utf8"));
  });
});
