// Tenancy by construction, against PostgreSQL as the app's role: the practice scope of the
// Prisma client, row-level security under it (Prisma, raw SQL, COPY), and what the app's role
// may not do (alter a table, disable a trigger, rewrite the audit log).
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRoles } from "@/scripts/lib/check-roles";
import { runAsUser } from "./context";
import { db, disconnectDb, transactionWithConnection } from "./db";
import { unscopedDb } from "./db-client";
import { OtherPracticeNamed, OutsidePracticeScope } from "./scope";
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

/** A pg connection of its own, as the app's role (DATABASE_URL). */
async function appConnection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

describe("tenancy", () => {
  let a: TestPractice;
  let b: TestPractice;
  let bPatientId: number;

  beforeAll(async () => {
    // practice A has 2 patients, practice B has 3
    a = await createTestPractice("tenancy-a");
    b = await createTestPractice("tenancy-b");
    await importVisitsCsv(a, visitsOf("A", 2));
    await importVisitsCsv(b, visitsOf("B", 3));
    bPatientId = (await ownerDb().patient.findFirstOrThrow({ where: { practiceId: b.practiceId } })).id;
  }, 120_000);
  afterAll(() => disconnectDb());

  it("connects the app as a role that is neither superuser nor owner and is held to row-level security", async () => {
    const c = await appConnection();
    try {
      const role = (
        await c.query(
          `select r.rolsuper, r.rolbypassrls, (select count(*) from pg_class k where k.relowner = r.oid and k.relnamespace = 'public'::regnamespace)::int as owned
           from pg_roles r where r.rolname = current_user`,
        )
      ).rows[0];
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
    } finally {
      await c.end();
    }
  });

  it("puts every table of a practice's rows under forced row-level security", async () => {
    const rows = await ownerDb().$queryRaw<{ table: string; enabled: boolean; forced: boolean; policies: number }[]>`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
      from information_schema.columns col
      join pg_class c on c.relname = col.table_name and c.relnamespace = 'public'::regnamespace
      where col.table_schema = 'public' and col.column_name = 'practiceId' and col.table_name not in ('Membership', 'Invitation')
      order by 1`;
    expect(rows.length).toBeGreaterThanOrEqual(28);
    expect(rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table)).toEqual([]);
  });

  describe("through Prisma", () => {
    it("fails a query of a practice's rows outside any scope, instead of reading every practice", async () => {
      await expect(db().patient.findMany()).rejects.toThrow(OutsidePracticeScope);
      await expect(db().$queryRaw`select 1`).rejects.toThrow(OutsidePracticeScope);
    });

    it("adds the practice to a query that forgot it: another practice's patient is not found", async () => {
      const all = await asPractice(a, () => db().patient.findMany({ select: { practiceId: true } }));
      expect(all.map((p) => p.practiceId)).toEqual([a.practiceId, a.practiceId]);
      expect(await asPractice(a, () => db().patient.findUnique({ where: { id: bPatientId } }))).toBeNull();
      // the guard's scope is the session's: B's patient from A's owner is also not found
      expect(await runAsUser(a.users.OWNER, () => db().patient.findFirst({ where: { id: bPatientId } }))).toBeNull();
    });

    it("refuses a query that names another practice", async () => {
      await expect(asPractice(a, () => db().patient.findMany({ where: { practiceId: b.practiceId } }))).rejects.toThrow(OtherPracticeNamed);
    });

    it("with the scope's extension bypassed (the unscoped client), row-level security still returns nothing", async () => {
      // the owner sees 3 patients of B; the app's role without a practice sees none of anyone's
      expect(await ownerDb().patient.count({ where: { practiceId: b.practiceId } })).toBe(3);
      expect(await unscopedDb().patient.count()).toBe(0);
      expect(await unscopedDb().patient.count({ where: { practiceId: b.practiceId } })).toBe(0);
      // and in a transaction that names practice A, only A's 2 patients, whatever the filter says
      const seen = await unscopedDb().$transaction(async (tx) => {
        await tx.$executeRawUnsafe("select set_config('app.practice_id', $1, true)", String(a.practiceId));
        return [await tx.patient.count(), await tx.patient.count({ where: { practiceId: b.practiceId } })];
      });
      expect(seen).toEqual([2, 0]);
    });
  });

  describe("through raw SQL", () => {
    it("returns only the scope's rows from a query without any filter", async () => {
      const rows = await asPractice(b, () => db().$queryRaw<{ practiceId: number }[]>`select "practiceId" from "Patient"`);
      expect(rows.map((r) => r.practiceId)).toEqual([b.practiceId, b.practiceId, b.practiceId]);
    });

    it("on a connection of the app's role: nothing without a practice, one practice's rows with it", async () => {
      const c = await appConnection();
      try {
        expect((await c.query(`select count(*)::int as n from "Patient"`)).rows[0].n).toBe(0);
        await c.query("begin");
        await c.query("select set_config('app.practice_id', $1, true)", [String(a.practiceId)]);
        expect((await c.query(`select count(*)::int as n from "Patient"`)).rows[0].n).toBe(2);
        expect((await c.query(`select count(*)::int as n from "Patient" where "practiceId" = $1`, [b.practiceId])).rows[0].n).toBe(0);
        // nor can it write a row into practice B, or move A's row there
        await expect(
          c.query(
            `insert into "Patient" ("practiceId", "externalId", "firstName", "lastName", "birthDate") values ($1, 'X', 'X', 'X', '1950-01-01')`,
            [b.practiceId],
          ),
        ).rejects.toThrow(/row-level security/);
        await c.query("rollback");
        // after the transaction, the setting is gone again
        expect((await c.query(`select count(*)::int as n from "Patient"`)).rows[0].n).toBe(0);
        await c.query("begin");
        await c.query("select set_config('app.practice_id', $1, true)", [String(a.practiceId)]);
        await expect(c.query(`update "Patient" set "practiceId" = $1`, [b.practiceId])).rejects.toThrow(/row-level security/);
        await c.query("rollback");
      } finally {
        await c.end();
      }
      expect(await ownerDb().patient.count({ where: { practiceId: b.practiceId } })).toBe(3);
    });

    it("keeps the remit writer's COPY inside the practice: a row of another practice fails the batch", async () => {
      // PostgreSQL refuses COPY FROM into a table under row-level security; the writer copies into
      // a temporary table and moves the rows with INSERT … SELECT, which the policy checks
      const attempt = (practiceId: number) =>
        asPractice(a, () =>
          transactionWithConnection(db(), async (tx, client) => {
            await client.query(
              `create temp table dirty_copy on commit drop as select "practiceId", "weekStart" from "RevenueDirtyWeek" with no data`,
            );
            await new Promise((resolve, reject) => {
              const stream = client.query(copyFrom("COPY dirty_copy FROM STDIN"));
              stream.on("error", reject);
              stream.on("finish", resolve);
              stream.end(`${practiceId}\t2026-01-05\n`);
            });
            await client.query(`insert into "RevenueDirtyWeek" ("practiceId", "weekStart") select * from dirty_copy`);
            return tx.revenueDirtyWeek.count({ where: { weekStart: new Date("2026-01-05T00:00:00Z") } });
          }),
        );
      await expect(attempt(b.practiceId)).rejects.toThrow(/row-level security/);
      expect(await attempt(a.practiceId)).toBeGreaterThanOrEqual(1);
      // and straight into the table, COPY is refused for the app's role
      const c = await appConnection();
      try {
        await c.query("begin");
        await c.query("select set_config('app.practice_id', $1, true)", [String(a.practiceId)]);
        await expect(
          new Promise((resolve, reject) => {
            const stream = c.query(copyFrom(`COPY "RevenueDirtyWeek" ("practiceId", "weekStart") FROM STDIN`));
            stream.on("error", reject);
            stream.on("finish", resolve);
            stream.end(`${a.practiceId}\t2026-01-05\n`);
          }),
        ).rejects.toThrow(/row-level security/);
        await c.query("rollback");
      } finally {
        await c.end();
      }
    });
  });

  describe("the app's role", () => {
    const refused = async (sql: string) => {
      const c = await appConnection();
      try {
        await c.query(sql);
        return "allowed";
      } catch (error) {
        return (error as Error).message;
      } finally {
        await c.end();
      }
    };

    it("cannot alter a table, disable a trigger or row-level security, or drop a policy", async () => {
      expect(await refused(`alter table "Patient" add column x int`)).toMatch(/must be owner/);
      expect(await refused(`alter table "AuditEvent" disable trigger audit_event_append_only`)).toMatch(/must be owner/);
      expect(await refused(`alter table "Patient" disable row level security`)).toMatch(/must be owner/);
      expect(await refused(`drop policy practice_isolation on "Patient"`)).toMatch(/must be owner/);
      expect(await refused(`create table sneaky (id int)`)).toMatch(/permission denied/);
      expect(await refused(`truncate "Patient"`)).toMatch(/permission denied/);
    });

    it("passes npm run db -- roles, which fails a setup whose app connects as the owner", async () => {
      const appUrl = process.env.DATABASE_URL!;
      const ownerUrl = process.env.MIGRATION_DATABASE_URL!;
      expect(ownerUrl).not.toBe(appUrl);
      const good = await checkRoles(appUrl, ownerUrl);
      expect(good.ok).toBe(true);
      expect(good.lines.join("\n")).toMatch(/DISABLE TRIGGER: refused \(must be owner/);
      // one URL for both, the owner's: the app could disable the audit trigger and bypass the policies
      const bad = await checkRoles(ownerUrl, ownerUrl);
      expect(bad.ok).toBe(false);
      expect(bad.lines.filter((l) => l.startsWith("problem:"))).toEqual(
        expect.arrayContaining([
          "problem: the app's role may disable the audit log's trigger",
          "problem: the app and the migrations connect as the same role: set MIGRATION_DATABASE_URL apart",
        ]),
      );
      // and the trigger is still there, enabled (the check changed nothing)
      const trigger = await ownerDb().$queryRaw<{ tgenabled: string }[]>`
        select tgenabled::text from pg_trigger where tgname = 'audit_event_append_only'`;
      expect(trigger).toEqual([{ tgenabled: "O" }]);
    });

    it("may append to the audit log and read it, but not update or delete a row of it", async () => {
      const event = await ownerDb().auditEvent.findFirstOrThrow({ where: { practiceId: a.practiceId } });
      const c = await appConnection();
      try {
        await c.query("begin");
        await c.query("select set_config('app.practice_id', $1, true)", [String(a.practiceId)]);
        expect((await c.query(`select count(*)::int as n from "AuditEvent" where id = $1`, [event.id])).rows[0].n).toBe(1);
        await c.query(`insert into "AuditEvent" ("practiceId", action, "entityType") values ($1, 'test.append', 'Test')`, [a.practiceId]);
        await c.query("commit");
        for (const sql of [`update "AuditEvent" set action = 'rewritten' where id = $1`, `delete from "AuditEvent" where id = $1`]) {
          await expect(c.query(sql, [event.id])).rejects.toThrow(/permission denied/);
        }
      } finally {
        await c.end();
      }
      expect((await ownerDb().auditEvent.findUniqueOrThrow({ where: { id: event.id } })).action).toBe(event.action);
    });
  });
});
