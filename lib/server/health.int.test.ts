// GET /api/health's answer: the database reachable and every migration of the build applied.
import { afterAll, describe, expect, it } from "vitest";
import { migrationsOnDisk } from "@/scripts/migrate";
import { disconnectDb } from "./core/db";
import { checkHealth } from "./health";
import { GET } from "@/app/api/health/route";

describe("health", () => {
  afterAll(() => disconnectDb());
  const onDisk = migrationsOnDisk().map((m) => m.name);

  it("is ok when every migration of the build is applied", async () => {
    expect(onDisk.length).toBeGreaterThan(5);
    expect(await checkHealth(onDisk)).toEqual({ ok: true, database: "reachable", migrations: "current", pending: [] });
  });

  it("names migrations the database lacks, and the route answers 503", async () => {
    const future = "29991231000000_not_applied";
    expect(await checkHealth([...onDisk, future])).toEqual({ ok: false, database: "reachable", migrations: "pending", pending: [future] });
    const before = process.env.SCHEMA_MIGRATIONS;
    process.env.SCHEMA_MIGRATIONS = [...onDisk, future].join(",");
    try {
      const res = await GET();
      expect(res.status).toBe(503);
      expect((await res.json()).pending).toEqual([future]);
      process.env.SCHEMA_MIGRATIONS = onDisk.join(",");
      expect((await GET()).status).toBe(200);
    } finally {
      process.env.SCHEMA_MIGRATIONS = before;
    }
  });
});
