import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { loadPricingCached } from "./pricing";
import { createTestPractice, type TestPractice, db } from "../testing";

const key = "2026|97110";

describe("pricing cache", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("pricing-cache");
  });
  afterAll(() => disconnectDb());

  it("serves the same pricing until the fee schedule changes, then reloads", async () => {
    const first = await loadPricingCached(db(), t.practiceId);
    expect(await loadPricingCached(db(), t.practiceId)).toBe(first);
    await db().feeScheduleRow.updateMany({ where: { practiceId: t.practiceId, year: 2026, cpt: "97110" }, data: { workRvu: "0.600" } });
    const second = await loadPricingCached(db(), t.practiceId);
    expect(second).not.toBe(first);
    expect(String(second.feeSchedule.get(key)?.workRvu)).toBe("0.6");
  });

  it("reloads after a Medicare locality change and after a new payer", async () => {
    const before = await loadPricingCached(db(), t.practiceId);
    await db().practice.update({ where: { id: t.practiceId }, data: { medicareLocality: "CA-18" } });
    const afterLocality = await loadPricingCached(db(), t.practiceId);
    expect(afterLocality).not.toBe(before);
    expect(afterLocality.locality).toBe("CA-18");
    await db().payer.create({ data: { practiceId: t.practiceId, name: "New Payer", nameKey: "new payer", kind: "commercial" } });
    const afterPayer = await loadPricingCached(db(), t.practiceId);
    expect([...afterPayer.payers.values()].map((p) => p.name)).toContain("New Payer");
  });

  it("never mistakes a rolled-back change for committed data", async () => {
    const before = await loadPricingCached(db(), t.practiceId);
    await expect(
      db().$transaction(async (tx) => {
        await tx.feeScheduleRow.updateMany({ where: { practiceId: t.practiceId, year: 2026, cpt: "97110" }, data: { workRvu: "9.000" } });
        const inside = await loadPricingCached(tx, t.practiceId);
        expect(String(inside.feeSchedule.get(key)?.workRvu)).toBe("9");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const after = await loadPricingCached(db(), t.practiceId);
    expect(String(after.feeSchedule.get(key)?.workRvu)).toBe(String(before.feeSchedule.get(key)?.workRvu));
  });
});
