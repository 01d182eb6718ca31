// Damaged 835s through import835 into PostgreSQL: each is refused with the segment named and
// nothing of it is written (no file, payment, claim or line; the import job is REJECTED).
// The undamaged file is imported first into a practice of its own, to show what a
// successful import of the same data writes.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, type TestPractice, db } from "../testing";
import { import835 } from "./import";

const dir = path.resolve("e2e/fixtures/835");
// A $150,000.00 payment (2 claims) and, in a second interchange, a $1,222.00 one (2 claims).
const first = fs.readFileSync(path.join(dir, "LinuxForHealth__x12__demo-file_demo.835"), "utf8");
const second = fs.readFileSync(path.join(dir, "kputnam__stupidedi__samples_835_3a.835"), "utf8");
const joined = `${first.trimEnd()}\n${second}`;

const firstIsaEnd = joined.indexOf("~", joined.indexOf("ISA*")) + 1;
const secondIsa = joined.indexOf("ISA*", firstIsaEnd);

const DAMAGED: { name: string; content: string; where: RegExp }[] = [
  { name: "first ISA deleted", content: joined.slice(firstIsaEnd).trimStart(), where: /^before segment 1 \(ISA\)$/ },
  { name: "first ISA in lower case", content: `isa${joined.slice(3)}`, where: /^before segment 1 \(ISA\)$/ },
  { name: "cut right after the next IS", content: joined.slice(0, secondIsa + 2), where: /^after segment \d+ \(IEA\)$/ },
  {
    name: "cut inside the first IEA",
    content: joined.slice(0, joined.indexOf("IEA*1*000000907") + 12),
    where: /^segment \d+ \(IEA\), element 2$/,
  },
  { name: "a CLP in lower case", content: joined.replace("CLP*", "clp*"), where: /^segment \d+ \(clp\)$/ },
  { name: "an SVC with a changed letter", content: joined.replace("SVC*", "SXC*"), where: /^segment \d+ \(SXC\)$/ },
  { name: "GE count one more", content: joined.replace(/GE\*1\*/, "GE*2*"), where: /^segment \d+ \(GE\), element 1$/ },
];

describe("a damaged 835 through import835", () => {
  let clean: TestPractice;
  let damaged: TestPractice;
  beforeAll(async () => {
    clean = await createTestPractice("damaged-835-clean");
    damaged = await createTestPractice("damaged-835");
  });
  afterAll(() => disconnectDb());

  it("imports the undamaged file: 2 payments, 4 claims, Σ CLP04 = 149,998.73 + 1,222.00", async () => {
    const result = await asPractice(clean.practiceId, () =>
      import835({
        practiceId: clean.practiceId,
        userId: clean.users.MANAGER,
        fileName: "joined.835",
        content: Buffer.from(joined),
      }),
    );
    expect(result.status, JSON.stringify(result.errors.slice(0, 2))).toBe("imported");
    const payments = await db().remitPayment.findMany({ where: { practiceId: clean.practiceId }, include: { claims: true } });
    expect(payments).toHaveLength(2);
    // 14,999,873 + 122,200 cents
    expect(payments.flatMap((p) => p.claims).reduce((s, c) => s + c.paidCents, 0)).toBe(15_122_073);
  });

  for (const { name, content, where } of DAMAGED) {
    it(`refuses it with ${name}, and writes nothing`, async () => {
      const fileName = `${name}.835`;
      const result = await asPractice(damaged.practiceId, () =>
        import835({
          practiceId: damaged.practiceId,
          userId: damaged.users.MANAGER,
          fileName,
          content: Buffer.from(content),
        }),
      );
      expect(result.status).toBe("rejected");
      expect(result.errors.map((e) => e.where)).toContainEqual(expect.stringMatching(where));
      expect(await db().remitPayment.count({ where: { practiceId: damaged.practiceId } })).toBe(0);
      expect(await db().remitClaim.count({ where: { practiceId: damaged.practiceId } })).toBe(0);
      expect(await db().remitFile.count({ where: { practiceId: damaged.practiceId } })).toBe(0);
      const job = await db().importJob.findFirstOrThrow({ where: { practiceId: damaged.practiceId, fileName } });
      expect(job.status).toBe("REJECTED");
    });
  }
});
