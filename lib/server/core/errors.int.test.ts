// Why a Prisma `DriverAdapterError` (or pg's own Error) reaches the guard unwrapped, on the real
// client and database: the COMMIT of an interactive transaction is sent by Prisma's transaction
// manager straight through the pg adapter, without the translation every other statement gets
// (docs/reliability.md, "Errors that reach the guard unwrapped"). Every action, import and
// db().$transaction runs in such a transaction, so the guard's classifier must know the raw shapes. These tests fail when a
// Prisma upgrade starts wrapping them (then the classifier's raw cases can go) and when the
// classifier stops answering 503 for them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { asPractice, createTestPractice, type TestPractice } from "../testing";
import { db, disconnectDb } from "./db";
import { isDatabaseUnavailable } from "./errors";
import { toFailure } from "./guard";

let t: TestPractice;

beforeAll(async () => {
  t = await createTestPractice("adapter-errors");
});

afterAll(() => disconnectDb());

/** A temporary table whose deferred trigger raises `sqlState` when the transaction commits. */
async function failAtCommit(tx: Prisma.TransactionClient, sqlState: string, message: string) {
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE commit_probe (id int)`);
  await tx.$executeRawUnsafe(
    `CREATE FUNCTION pg_temp.commit_probe_fail() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = '${sqlState}'; END $$`,
  );
  await tx.$executeRawUnsafe(
    `CREATE CONSTRAINT TRIGGER commit_probe_fail AFTER INSERT ON commit_probe
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pg_temp.commit_probe_fail()`,
  );
  await tx.$executeRawUnsafe(`INSERT INTO commit_probe VALUES (1)`);
}

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the transaction to fail");
}

describe("errors that escape Prisma unwrapped", () => {
  it("a COMMIT refused by PostgreSQL's shutdown code reaches the caller as the adapter's DriverAdapterError, and answers 503", async () => {
    // 57P01 admin_shutdown is what a server shutting down answers to a statement in flight
    const error = await asPractice(t, () =>
      caught(() => db().$transaction(async (tx) => failAtCommit(tx, "57P01", "terminating connection due to administrator command"))),
    );
    // not Prisma's known-request wrapper (with meta.driverAdapterError) that every other statement gets
    expect(error).not.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Error).name).toBe("DriverAdapterError");
    expect((error as { cause?: { kind?: string; originalCode?: string } }).cause).toMatchObject({
      kind: "postgres",
      originalCode: "57P01",
    });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toFailure(error)).toMatchObject({ ok: false, status: 503 });
  });

  it("the same code raised by a statement inside the transaction is wrapped by Prisma (P2010, its cause in meta)", async () => {
    const error = await asPractice(t, () =>
      caught(() =>
        db().$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'shutting down' USING ERRCODE = '57P01'; END $$`);
        }),
      ),
    );
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2010");
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("a COMMIT that fails for a reason of its own is still a bug, not 'try again'", async () => {
    // 23505 unique_violation at commit (as a deferred unique constraint would raise it)
    const error = await asPractice(t, () =>
      caught(() => db().$transaction(async (tx) => failAtCommit(tx, "23505", "duplicate key value violates unique constraint"))),
    );
    expect((error as Error).name).toBe("DriverAdapterError");
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(toFailure(error)).toMatchObject({ ok: false, status: 500 });
  });

  it("a transaction whose connection was dropped under it fails with pg's own error, and answers 503", async () => {
    const error = await asPractice(t, () =>
      caught(() =>
        db().$transaction(async (tx) => {
          const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          // the server ends the session (as a restart would), asked from another of the app's
          // connections (a role may end its own sessions; the owner may not end the app's)
          await db().$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
          for (let waited = 0; waited < 50; waited++) {
            const [{ alive }] = await db().$queryRaw<
              { alive: boolean }[]
            >`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = ${pid}::int) AS alive`;
            if (!alive) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }),
      ),
    );
    // pg's Error ("Connection terminated…" / "…not queryable"): the adapter rethrows what it cannot map
    expect(error).not.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Error).name).toBe("Error");
    expect((error as Error).message).toMatch(/not queryable|Connection terminated/);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toFailure(error)).toMatchObject({ ok: false, status: 503 });
  });
});
