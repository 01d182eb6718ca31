// What a load balancer or container orchestrator asks before sending traffic: is the database
// reachable, and has every migration this build was made with been applied? No session, no
// practice data: the answer names no table contents, only the state of the deployment.
// no practice's data: the unscoped client (the app's role may read the migrations' ledger)
import { unscopedDb as db } from "./core/db-client";

export interface Health {
  ok: boolean;
  database: "reachable" | "unreachable";
  migrations: "current" | "pending" | "unknown";
  /** migrations of this build not applied to the database (names only) */
  pending: string[];
}

/** The migrations this build expects, listed by next.config.js at build time (prisma/migrations). */
export function expectedMigrations(): string[] {
  return (process.env.SCHEMA_MIGRATIONS ?? "").split(",").filter(Boolean);
}

export async function checkHealth(expected: string[] = expectedMigrations()): Promise<Health> {
  let applied: string[];
  try {
    const rows = await withTimeout(
      db().$queryRawUnsafe<{ migration_name: string }[]>(
        `select migration_name from "_prisma_migrations" where finished_at is not null and rolled_back_at is null`,
      ),
      5_000,
    );
    applied = rows.map((r) => r.migration_name);
  } catch (error) {
    // the ledger table itself missing means a reachable database that was never migrated
    if (/_prisma_migrations/.test(String((error as Error)?.message))) {
      return { ok: false, database: "reachable", migrations: "pending", pending: expected };
    }
    return { ok: false, database: "unreachable", migrations: "unknown", pending: [] };
  }
  const done = new Set(applied);
  const pending = expected.filter((m) => !done.has(m));
  if (expected.length === 0) return { ok: false, database: "reachable", migrations: "unknown", pending };
  return { ok: pending.length === 0, database: "reachable", migrations: pending.length ? "pending" : "current", pending };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
