// Who the app and the migrations connect as, checked against the database itself
// (npm run db -- roles, the fresh-clone check): the app's role must be neither a superuser nor
// exempt from row-level security, must own nothing in the schema and must be refused
// ALTER TABLE … DISABLE TRIGGER on the audit log; the migrations' role must own the schema's
// tables. Nothing is changed: the one ALTER tried is refused, or rolled back.
import pg from "pg";

export interface RoleReport {
  ok: boolean;
  lines: string[];
}

interface RoleRow {
  role: string;
  rolsuper: boolean;
  rolbypassrls: boolean;
  owned: number;
}

const WHO = `select current_user as role, r.rolsuper, r.rolbypassrls,
  (select count(*) from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace)::int as owned
  from pg_roles r where r.rolname = current_user`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  return client;
}

export async function checkRoles(appUrl: string, ownerUrl: string): Promise<RoleReport> {
  const lines: string[] = [];
  const problems: string[] = [];
  const app = await connect(appUrl);
  let appRole: RoleRow;
  let alter: string;
  try {
    appRole = (await app.query<RoleRow>(WHO)).rows[0]!;
    await app.query("begin");
    try {
      await app.query(`alter table "AuditEvent" disable trigger audit_event_append_only`);
      alter = "allowed";
    } catch (error) {
      alter = (error as Error).message;
    }
    await app.query("rollback");
  } finally {
    await app.end();
  }
  const owner = await connect(ownerUrl);
  let ownerRole: RoleRow;
  let tablesOwner: string | null;
  try {
    ownerRole = (await owner.query<RoleRow>(WHO)).rows[0]!;
    tablesOwner =
      (
        await owner.query<{ o: string }>(
          `select pg_get_userbyid(relowner) as o from pg_class where oid = to_regclass('public."AuditEvent"')`,
        )
      ).rows[0]?.o ?? null;
  } finally {
    await owner.end();
  }

  lines.push(
    `app (DATABASE_URL): ${appRole.role}; superuser ${appRole.rolsuper ? "yes" : "no"}, bypasses row-level security ${appRole.rolbypassrls ? "yes" : "no"}, owns ${appRole.owned} object(s) of the schema`,
  );
  lines.push(`app: ALTER TABLE "AuditEvent" DISABLE TRIGGER: ${alter === "allowed" ? "allowed" : `refused (${alter})`}`);
  lines.push(
    `migrations (MIGRATION_DATABASE_URL): ${ownerRole.role}; the tables belong to ${tablesOwner ?? "(no tables: not migrated yet)"}`,
  );
  if (appRole.rolsuper) problems.push("the app's role is a superuser: row-level security does nothing for it");
  if (appRole.rolbypassrls) problems.push("the app's role bypasses row-level security");
  if (appRole.owned > 0) problems.push("the app's role owns objects of the schema: it could alter them");
  if (alter === "allowed") problems.push("the app's role may disable the audit log's trigger");
  if (appRole.role === ownerRole.role)
    problems.push("the app and the migrations connect as the same role: set MIGRATION_DATABASE_URL apart");
  if (tablesOwner !== null && tablesOwner !== ownerRole.role && !ownerRole.rolsuper)
    problems.push(`the migrations' role ${ownerRole.role} does not own the tables (${tablesOwner} does)`);
  for (const p of problems) lines.push(`problem: ${p}`);
  lines.push(problems.length === 0 ? "roles: ok" : `roles: ${problems.length} problem(s) (docs/operations.md "Database roles")`);
  return { ok: problems.length === 0, lines };
}
