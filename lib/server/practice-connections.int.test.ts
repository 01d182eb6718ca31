// Each practice's queries run on its own client, whose connections are opened with the practice
// set (lib/server/core/db-client.ts, withPracticeClient): no transaction around a query, and
// Prisma's batching of findUnique calls made in the same tick never mixes two practices. The
// clients of the least recently used practices are closed beyond a limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "./core/db";
import { PRACTICE_CONNECTION_NAME, unscopedDb } from "./core/db-client";
import { asPractice, createTestPractice, db as ownerDb, importVisitsCsv, type TestPractice } from "./testing";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const visitsOf = (prefix: string, n: number) =>
  [
    HEADER,
    ...Array.from(
      { length: n },
      (_, i) =>
        `${prefix}-${i},Pat,${prefix}${i},1950-01-0${i + 1},Medicare,medicare,M${prefix}${i},V-${prefix}-${i},C-${prefix}-${i},2026-02-0${i + 2},1000000001,Pat Therapist,PT,11,97110,GP,15,1,60.00,`,
    ),
  ].join("\n");

/** The app role's open connections of one practice's own pool (pg_stat_activity by application_name). */
async function practiceConnections(practiceId: number): Promise<number> {
  const rows = await unscopedDb().$queryRawUnsafe<{ n: number }[]>(
    "select count(*)::int as n from pg_stat_activity where application_name = $1",
    `${PRACTICE_CONNECTION_NAME} ${practiceId}`,
  );
  return rows[0]!.n;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within 5 s: ${what}`);
}

describe("a practice's own connections", () => {
  let a: TestPractice;
  let b: TestPractice;
  // patient ids by practice, in the order of their external ids
  let aPatients: number[];
  let bPatients: number[];

  beforeAll(async () => {
    // practice A has 2 patients, practice B has 3
    a = await createTestPractice("own-connections-a");
    b = await createTestPractice("own-connections-b");
    await importVisitsCsv(a, visitsOf("A", 2));
    await importVisitsCsv(b, visitsOf("B", 3));
    const ids = async (practiceId: number) =>
      (await ownerDb().patient.findMany({ where: { practiceId }, orderBy: { externalId: "asc" }, select: { id: true } })).map((p) => p.id);
    aPatients = await ids(a.practiceId);
    bPatients = await ids(b.practiceId);
  }, 120_000);
  afterAll(() => disconnectDb());

  it("gives each practice only its own rows when two practices' findUnique calls are made in the same tick", async () => {
    const find = (id: number) => db().patient.findUnique({ where: { id }, select: { id: true, practiceId: true } });
    // every patient of both practices asked for under both scopes, all in one tick: Prisma batches
    // the findUnique calls of one client made in the same tick into one query
    const asked = [...aPatients, ...bPatients];
    const [seenByA, seenByB] = await Promise.all([
      asPractice(a, () => Promise.all(asked.map(find))),
      asPractice(b, () => Promise.all(asked.map(find))),
    ]);
    // A sees its 2 patients and none of B's 3; B the other way round
    expect(seenByA).toEqual([...aPatients.map((id) => ({ id, practiceId: a.practiceId })), null, null, null]);
    expect(seenByB).toEqual([null, null, ...bPatients.map((id) => ({ id, practiceId: b.practiceId }))]);
  });

  it("opens the practice's connections with the practice set, which a RESET does not take away", async () => {
    const setting = (sql: string) =>
      asPractice(a, async () => {
        const rows = await db().$queryRawUnsafe<{ practice: string; patients: number }[]>(sql);
        return rows[0];
      });
    expect(
      await setting(`select current_setting('app.practice_id') as practice, (select count(*)::int from "Patient") as patients`),
    ).toEqual({
      practice: String(a.practiceId),
      patients: 2,
    });
    // RESET returns a setting to the value the connection was opened with: still practice A
    expect(
      await asPractice(a, () =>
        db().$transaction(async (tx) => {
          await tx.$executeRawUnsafe("reset app.practice_id");
          return tx.$queryRawUnsafe<{ practice: string }[]>(`select current_setting('app.practice_id') as practice`);
        }),
      ),
    ).toEqual([{ practice: String(a.practiceId) }]);
  });

  it("closes the pool of the least recently used practice beyond the limit, and opens a new one when that practice comes back", async () => {
    const before = process.env.DATABASE_PRACTICE_POOLS;
    process.env.DATABASE_PRACTICE_POOLS = "1";
    try {
      const count = () => db().patient.count();
      expect(await asPractice(a, count)).toBe(2);
      expect(await practiceConnections(a.practiceId)).toBeGreaterThanOrEqual(1);
      // B's first query evicts A's client (one practice held): its connections are closed
      expect(await asPractice(b, count)).toBe(3);
      await eventually(async () => (await practiceConnections(a.practiceId)) === 0, "practice A's connections closed");
      expect(await practiceConnections(b.practiceId)).toBeGreaterThanOrEqual(1);
      // A again: a new client, A's rows; now B's pool is the one closed
      expect(await asPractice(a, count)).toBe(2);
      expect(await asPractice(a, () => db().patient.findUnique({ where: { id: aPatients[1]! }, select: { id: true } }))).toEqual({
        id: aPatients[1],
      });
      await eventually(async () => (await practiceConnections(b.practiceId)) === 0, "practice B's connections closed");
    } finally {
      if (before === undefined) delete process.env.DATABASE_PRACTICE_POOLS;
      else process.env.DATABASE_PRACTICE_POOLS = before;
    }
  });

  it("lets a query in flight finish on a client that is evicted meanwhile", async () => {
    const before = process.env.DATABASE_PRACTICE_POOLS;
    process.env.DATABASE_PRACTICE_POOLS = "1";
    try {
      // A's query sleeps 300 ms on A's connection while B's query evicts A's client
      const slow = asPractice(a, () =>
        db().$queryRawUnsafe<{ n: number }[]>(`select (select count(*)::int from "Patient") as n from pg_sleep(0.3)`),
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(await asPractice(b, () => db().patient.count())).toBe(3);
      expect(await slow).toEqual([{ n: 2 }]);
      await eventually(async () => (await practiceConnections(a.practiceId)) === 0, "practice A's connections closed");
    } finally {
      if (before === undefined) delete process.env.DATABASE_PRACTICE_POOLS;
      else process.env.DATABASE_PRACTICE_POOLS = before;
    }
  });
});
