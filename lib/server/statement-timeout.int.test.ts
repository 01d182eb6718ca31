// No request can hold the database for long: the app's connections carry a statement timeout
// (lib/server/core/db.ts; 5 s in the Next server, 300 ms here), a request stopped by it answers
// 503 with a message that says what to do, and a transaction that runs long by design (an
// import, a recompute) lifts it for itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAsUser } from "./core/context";
import { allowLongStatements, db, disconnectDb, statementTimeoutMs } from "./core/db";
import { guardedRoute } from "./core/guard";
import { asPractice, createTestPractice, type TestPractice } from "./testing";

describe("statement timeout", () => {
  let t: TestPractice;
  beforeAll(async () => {
    await disconnectDb();
    process.env.DATABASE_STATEMENT_TIMEOUT_MS = "300";
    t = await createTestPractice("statement-timeout");
  });
  afterAll(async () => {
    await disconnectDb();
    delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
  });

  it("is set on the app's connections", async () => {
    expect(statementTimeoutMs()).toBe(300);
    const [row] = await asPractice(t, () => db().$queryRawUnsafe<{ statement_timeout: string }[]>("show statement_timeout"));
    expect(row!.statement_timeout).toBe("300ms");
  });

  it("stops a slow request and answers 503 with a clear message, not a 500", async () => {
    const slow = guardedRoute("patients.read", async () => {
      await db().$queryRawUnsafe("select pg_sleep(2)::text as slept");
      return Response.json({ ok: true });
    });
    const started = Date.now();
    const res = await runAsUser(t.users.OWNER, () => slow(new Request("http://localhost/x"), { params: Promise.resolve({}) }));
    // stopped after 300 ms, well before the 2 s the statement asked for
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/took too long.*Narrow the dates or filters/);
  });

  it("is lifted inside a transaction that runs long by design, and only there", async () => {
    await asPractice(t, () =>
      db().$transaction(async (tx) => {
        await allowLongStatements(tx);
        await tx.$queryRawUnsafe("select pg_sleep(0.5)::text as slept");
      }),
    );
    await expect(asPractice(t, () => db().$queryRawUnsafe("select pg_sleep(0.5)::text as slept"))).rejects.toThrow(/statement timeout/);
  });
});
