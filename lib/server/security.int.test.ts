// The role x action/route matrix, unauthenticated and deactivated users, the audit log's
// immutability and sign-in rate limiting: against PostgreSQL, through the real guard.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, TooManyAttempts } from "./core/auth-options";
import { runAsUser } from "./core/context";
import { disconnectDb } from "./core/db";
import { can, type Permission, ROLES, type RoleName } from "./core/permissions";
import { createTestPractice, type TestPractice, db } from "./testing";

type Guarded = ((...args: unknown[]) => Promise<unknown>) & {
  permission?: Permission;
  /** a second-factor route (lib/server/core/guard.ts secondFactorRoute), open to a session with the password only */
  beforeSecondFactor?: true;
  /** a route over [kind] that also checks a permission of the kind's own */
  permissionByKind?: Record<string, Permission>;
  /** an action open to anyone (lib/server/core/guard.ts publicAction) */
  public?: true;
};

/** The only actions open without a session (lib/server/core/guard.ts publicAction), by name: a new one must be added here on purpose. */
const PUBLIC_ACTIONS = ["invite/[token]/actions.ts#acceptInvitationAction"];

function filesUnder(dir: string, name: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p, name) : name.test(d.name) ? [p] : [];
  });
}

/** Every exported server action and route handler of the app. */
async function entryPoints() {
  const actions: { name: string; fn: Guarded }[] = [];
  for (const file of filesUnder(path.resolve("app"), /^actions\.ts$/)) {
    const mod = (await import(file)) as Record<string, Guarded>;
    for (const [name, fn] of Object.entries(mod))
      if (typeof fn === "function") actions.push({ name: `${path.relative("app", file)}#${name}`, fn });
  }
  const routes: { name: string; method: string; fn: Guarded; params: Record<string, string> }[] = [];
  const secondFactorRoutes: typeof routes = [];
  for (const file of filesUnder(path.resolve("app"), /^route\.ts$/)) {
    if (file.includes(`${path.sep}auth${path.sep}`)) continue; // next-auth's own endpoints
    if (file.includes(`${path.sep}api${path.sep}health${path.sep}`)) continue; // public on purpose: no session, no practice data
    const mod = (await import(file)) as Record<string, Guarded>;
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const fn = mod[method];
      if (typeof fn !== "function") continue;
      if (fn.beforeSecondFactor) {
        // the second factor's own routes serve a session that has only the password so far
        // (secondFactorRoute); lib/server/second-factor/second-factor.int.test.ts covers them
        secondFactorRoutes.push({ name: `${method} ${path.relative("app", file)}`, method, fn, params: {} });
        continue;
      }
      // a route over [kind] is tried with each of its kinds
      for (const kind of fn.permissionByKind ? Object.keys(fn.permissionByKind) : ["visits"]) {
        const params: Record<string, string> = {};
        for (const m of path.relative("app", file).matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g))
          params[m[1]!] = m[1] === "kind" ? kind : "999999999";
        const name = `${method} ${path.relative("app", file)}${params.kind ? ` (${kind})` : ""}`;
        routes.push({ name, method, fn, params });
      }
    }
  }
  return { actions, routes, secondFactorRoutes };
}

function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  const r = result as { ok: boolean; status?: number };
  return r.ok ? 200 : (r.status ?? 500);
}

describe("security", () => {
  let t: TestPractice;
  let points: Awaited<ReturnType<typeof entryPoints>>;
  beforeAll(async () => {
    t = await createTestPractice("security");
    points = await entryPoints();
  }, 180_000);
  afterAll(() => disconnectDb());

  it("finds the app's entry points, each carrying its permission", () => {
    expect(points.actions.length).toBeGreaterThan(0);
    expect(points.routes.length).toBeGreaterThan(0);
    const untagged = [...points.actions, ...points.routes].filter((p) => !p.fn.permission && !p.fn.public).map((p) => p.name);
    expect(untagged, "every action and route must go through guardedAction / guardedRoute").toEqual([]);
    expect(points.secondFactorRoutes.map((r) => r.name).sort()).toEqual([
      `POST ${path.join("api", "second-factor", "enrol", "route.ts")}`,
      `POST ${path.join("api", "second-factor", "verify", "route.ts")}`,
    ]);
    const open = points.actions.filter((p) => p.fn.public).map((p) => p.name);
    expect(open, "actions open to anyone, listed on purpose").toEqual(PUBLIC_ACTIONS);
  });

  it("answers each role with its permission: allowed, or 403", async () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const a of points.actions.filter((p) => !p.fn.public)) {
        const status = statusOf(await runAsUser(t.users[role], () => a.fn({})));
        const allowed = can(role as RoleName, a.fn.permission!);
        if (allowed ? status === 403 || status === 401 : status !== 403) wrong.push(`${role} ${a.name}: ${status}`);
      }
      for (const r of points.routes) {
        const request = new Request(`http://localhost/x`, { method: r.method, ...(r.method === "GET" ? {} : { body: new FormData() }) });
        const status = statusOf(await runAsUser(t.users[role], () => r.fn(request, { params: Promise.resolve(r.params) })));
        const kindPermission = r.fn.permissionByKind?.[r.params.kind ?? ""];
        const allowed = can(role as RoleName, r.fn.permission!) && (!kindPermission || can(role as RoleName, kindPermission));
        if (allowed ? status === 403 || status === 401 : status !== 403) wrong.push(`${role} ${r.name}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it("answers 401 without a valid session, and for a deactivated user on their next request", async () => {
    const someAction = points.actions.find((p) => !p.fn.public)!;
    expect(statusOf(await runAsUser(0, () => someAction.fn({})))).toBe(401);
    const someRoute = points.routes.find((r) => r.method === "GET")!;
    const res = await runAsUser(0, () => someRoute.fn(new Request("http://localhost/x"), { params: Promise.resolve(someRoute.params) }));
    expect(statusOf(res)).toBe(401);

    const exportRoute = points.routes.find((r) => r.method === "GET" && r.name.includes("exports"))!;
    const call = () =>
      runAsUser(t.users.BILLER, () =>
        exportRoute.fn(new Request("http://localhost/api/exports/visits"), { params: Promise.resolve({ kind: "visits" }) }),
      );
    expect(statusOf(await call())).toBe(200);
    await db().membership.updateMany({ where: { practiceId: t.practiceId, userId: t.users.BILLER }, data: { active: false } });
    expect(statusOf(await call())).toBe(401);
    await db().membership.updateMany({ where: { practiceId: t.practiceId, userId: t.users.BILLER }, data: { active: true } });
  });

  it("applies a role change on the next request", async () => {
    const adminOnly = points.actions.find((a) => a.fn.permission === "users.manage")!;
    expect(statusOf(await runAsUser(t.users.OWNER, () => adminOnly.fn({})))).toBe(403);
    await db().membership.updateMany({ where: { practiceId: t.practiceId, userId: t.users.OWNER }, data: { role: "ADMIN" } });
    expect(statusOf(await runAsUser(t.users.OWNER, () => adminOnly.fn({})))).toBe(400);
    await db().membership.updateMany({ where: { practiceId: t.practiceId, userId: t.users.OWNER }, data: { role: "OWNER" } });
    expect(statusOf(await runAsUser(t.users.OWNER, () => adminOnly.fn({})))).toBe(403);
  });

  it("keeps the audit log append-only", async () => {
    const event = await db().auditEvent.create({ data: { practiceId: t.practiceId, action: "test.event", entityType: "Test" } });
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { action: "rewritten" } })).rejects.toThrow(/append-only/);
    await expect(db().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    expect((await db().auditEvent.findUnique({ where: { id: event.id } }))?.action).toBe("test.event");
  });

  it("hashes passwords with argon2id and never returns the hash by default", async () => {
    const user = await db().user.findUniqueOrThrow({ where: { id: t.users.ADMIN } });
    expect("passwordHash" in user).toBe(false);
    const withHash = await db().user.findUniqueOrThrow({ where: { id: t.users.ADMIN }, omit: { passwordHash: false } });
    expect(withHash.passwordHash.startsWith("$argon2id$")).toBe(true);
  });

  it("signs in with the right password only, and rate-limits repeated attempts", async () => {
    const admin = await db().user.findUniqueOrThrow({ where: { id: t.users.ADMIN } });
    const address = `test-${Date.now()}`;
    expect(await authenticate({ email: admin.email, password: t.password }, address)).toMatchObject({ email: admin.email });
    expect(await authenticate({ email: admin.email, password: "wrong-password" }, address)).toBeNull();
    let limited = false;
    for (let i = 0; i < 8 && !limited; i++) {
      try {
        await authenticate({ email: admin.email, password: "wrong-password" }, address);
      } catch (e) {
        limited = e instanceof TooManyAttempts;
      }
    }
    expect(limited).toBe(true);
    // even the right password is refused from that address while it waits (sign-in.int.test.ts has the figures)
    await expect(authenticate({ email: admin.email, password: t.password }, address)).rejects.toBeInstanceOf(TooManyAttempts);
    await db().signInThrottle.deleteMany({ where: { key: { startsWith: `pair:${admin.email} ` } } });
  });
});
