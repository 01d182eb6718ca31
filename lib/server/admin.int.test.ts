import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateSettingsAction } from "@/app/(app)/admin/actions";
import { runAsUser } from "./core/context";
import { disconnectDb } from "./core/db";
import { importCsv } from "./imports";
import { asPractice, createTestPractice, type TestPractice, db } from "./testing";

async function levelOf(practiceId: number, externalId: string, pool: "PT_SLP" | "OT") {
  const item = await db().kxQueueItem.findFirstOrThrow({ where: { practiceId, pool, year: 2026, patient: { externalId } } });
  return { level: item.level, alertCrossedOn: item.alertCrossedOn?.toISOString().slice(0, 10) ?? null };
}

describe("practice settings", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("settings");
    const content = fs.readFileSync(path.resolve("e2e/fixtures/example-practice/visits.csv"));
    expect(
      (
        await asPractice(t.practiceId, () =>
          importCsv({ kind: "visits", practiceId: t.practiceId, userId: null, fileName: "v.csv", content }),
        )
      ).status,
    ).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("moves every KX item when the alert level changes, and back", async () => {
    // EX-004's PT+SLP total is $2,452.94: past the $2,000 alert, below the $2,480 KX threshold
    expect(await levelOf(t.practiceId, "EX-004", "PT_SLP")).toEqual({ level: "alert", alertCrossedOn: "2026-05-19" });
    const settings = { name: "Test settings", medicareLocality: "NY-01", timeZone: "America/New_York" };
    const raised = await runAsUser(t.users.ADMIN, () => updateSettingsAction({ ...settings, alertLevelDollars: 2460 }));
    expect(raised.ok).toBe(true);
    expect(await levelOf(t.practiceId, "EX-004", "PT_SLP")).toEqual({ level: "below", alertCrossedOn: null });
    // a patient far past every level keeps its level, with a later alert crossing
    expect((await levelOf(t.practiceId, "EX-001", "PT_SLP")).level).toBe("review");
    await runAsUser(t.users.ADMIN, () => updateSettingsAction({ ...settings, alertLevelDollars: 2000 }));
    expect(await levelOf(t.practiceId, "EX-004", "PT_SLP")).toEqual({ level: "alert", alertCrossedOn: "2026-05-19" });
  });
});
