// Joining a practice by invitation, through the admin's action and the public accept action
// against PostgreSQL: nothing about another practice is disclosed, the token is single-use,
// expires and is stored hashed, and every way of setting a password uses the one rule.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteUserAction } from "@/app/(app)/admin/actions";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { listMembers } from "./admin";
import { authenticate } from "./core/auth-options";
import { runAsUser } from "./core/context";
import { disconnectDb } from "./core/db";
import { asPractice, createTestPractice, type TestPractice, db } from "./testing";

type Result = { ok: boolean; data?: unknown; status?: number; error?: string; fieldErrors?: Record<string, string[]> };
const tokenOf = (r: Result) => (r.data as { path: string }).path.replace("/invite/", "");
const accept = (input: { token: string; name: string; password: string }) => acceptInvitationAction(input) as Promise<Result>;

describe("invitations", () => {
  let a: TestPractice;
  let b: TestPractice;
  let bManager: { id: number; email: string; name: string };
  beforeAll(async () => {
    [a, b] = [await createTestPractice("invite-a"), await createTestPractice("invite-b")];
    bManager = await db().user.findUniqueOrThrow({ where: { id: b.users.MANAGER }, select: { id: true, email: true, name: true } });
  }, 180_000);
  afterAll(() => disconnectDb());

  it("answers an admin alike whether or not the email belongs to another practice, and lists no one until accepted", async () => {
    const invite = (email: string) =>
      runAsUser(a.users.ADMIN, () => inviteUserAction({ email, role: "MANAGER", name: "" })) as Promise<Result>;
    const other = await invite(bManager.email);
    const fresh = await invite(`new-${crypto.randomBytes(4).toString("hex")}@example.test`);
    expect(other.ok && fresh.ok).toBe(true);
    // the same shape, and nothing in it but a link and its expiry
    const shape = (r: Result) => Object.keys(r.data as object).sort();
    expect(shape(other)).toEqual(["expiresAt", "path"]);
    expect(shape(fresh)).toEqual(shape(other));
    expect(JSON.stringify(other)).not.toContain(bManager.name);
    // /admin lists members only: the other practice's user is not there, nor their name
    const members = await asPractice(a.practiceId, () => listMembers(a.practiceId));
    expect(members.map((m) => m.user.email)).not.toContain(bManager.email);
    expect(JSON.stringify(members)).not.toContain(bManager.name);
  });

  it("stores only the token's SHA-256, and the link works once", async () => {
    const email = `once-${crypto.randomBytes(4).toString("hex")}@example.test`;
    const r = (await runAsUser(a.users.ADMIN, () => inviteUserAction({ email, role: "BILLER", name: "Admin's Guess" }))) as Result;
    const token = tokenOf(r);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    const row = await db().invitation.findFirstOrThrow({ where: { practiceId: a.practiceId, email } });
    expect(row.tokenHash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    // 7 days from now, within the minute this test takes
    expect(Math.abs(row.expiresAt.getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);

    expect(await accept({ token, name: "Robin Biller", password: "lantern orchard pebble" })).toMatchObject({ ok: true, data: { email } });
    const again = await accept({ token, name: "Someone Else", password: "lantern orchard pebble 2" });
    expect(again).toMatchObject({ ok: false, status: 404 });
    expect(again.error).toMatch(/used already, withdrawn, or has expired/);
    // the new account signs in, and the practice knows the name the person entered
    expect(await authenticate({ email, password: "lantern orchard pebble" }, `inv-${token.slice(0, 6)}`)).toMatchObject({ email });
    const member = (await asPractice(a.practiceId, () => listMembers(a.practiceId))).find((m) => m.user.email === email)!;
    expect([member.role, member.name]).toEqual(["BILLER", "Robin Biller"]);
  });

  it("refuses an expired or withdrawn link", async () => {
    const email = `late-${crypto.randomBytes(4).toString("hex")}@example.test`;
    const token = tokenOf((await runAsUser(a.users.ADMIN, () => inviteUserAction({ email, role: "BILLER" }))) as Result);
    await db().invitation.updateMany({ where: { practiceId: a.practiceId, email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await accept({ token, name: "Late", password: "lantern orchard pebble" })).toMatchObject({ ok: false, status: 404 });
    // a second invitation to the same email withdraws the first
    const first = tokenOf((await runAsUser(a.users.ADMIN, () => inviteUserAction({ email, role: "BILLER" }))) as Result);
    const second = tokenOf((await runAsUser(a.users.ADMIN, () => inviteUserAction({ email, role: "OWNER" }))) as Result);
    expect(await accept({ token: first, name: "Late", password: "lantern orchard pebble" })).toMatchObject({ ok: false, status: 404 });
    expect(await accept({ token: second, name: "Late", password: "lantern orchard pebble" })).toMatchObject({ ok: true });
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("applies the password rule when a new account accepts, saying what to do", async () => {
    const email = `weak-${crypto.randomBytes(4).toString("hex")}@example.test`;
    const token = tokenOf((await runAsUser(a.users.ADMIN, () => inviteUserAction({ email, role: "BILLER" }))) as Result);
    const short = await accept({ token, name: "Weak", password: "aaaaaaaaaa" });
    expect(short).toMatchObject({ ok: false, status: 400 });
    expect(short.fieldErrors?.password?.[0]).toMatch(/^Use at least 12 characters \(this one has 10\)/);
    const guessable = await accept({ token, name: "Weak", password: "password1234" });
    expect(guessable.fieldErrors?.password?.[0]).toMatch(/^This password is too easy to guess/);
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("lets a person of another practice join only with their own password, under the name they enter here", async () => {
    const token = tokenOf((await runAsUser(a.users.ADMIN, () => inviteUserAction({ email: bManager.email, role: "MANAGER" }))) as Result);
    // whoever holds the link cannot set a new password on the existing account
    const takeover = await accept({ token, name: "Mallory", password: "lantern orchard pebble" });
    expect(takeover).toMatchObject({ ok: false, status: 400 });
    expect(await authenticate({ email: bManager.email, password: "lantern orchard pebble" }, "inv-takeover")).toBeNull();
    // the failed try is audited in the account's practice, like a failed sign-in
    const failed = await db().auditEvent.findFirst({
      where: { practiceId: b.practiceId, action: "auth.sign_in_failed", entityId: String(bManager.id) },
      orderBy: { id: "desc" },
    });
    expect(failed?.details).toMatchObject({ email: bManager.email, reason: "wrong_password" });

    expect(await accept({ token, name: "Sam from B", password: b.password })).toMatchObject({ ok: true });
    const here = (await asPractice(a.practiceId, () => listMembers(a.practiceId))).find((m) => m.user.email === bManager.email)!;
    expect([here.role, here.name]).toEqual(["MANAGER", "Sam from B"]);
    // one person, two practices: the other practice's membership and name are untouched
    const there = (await asPractice(b.practiceId, () => listMembers(b.practiceId))).find((m) => m.user.email === bManager.email)!;
    expect(there.role).toBe("MANAGER");
    expect((await db().user.findUniqueOrThrow({ where: { id: bManager.id } })).name).toBe(bManager.name);
  });

  it("keeps the operator's command line working, with the same password rule", () => {
    const run = (email: string, password: string) =>
      spawnSync(
        path.resolve("node_modules/.bin/tsx"),
        ["scripts/admin.ts", "create-user", "--practice", a.slug, "--email", email, "--role", "BILLER", "--name", "Cli User"],
        { encoding: "utf8", input: `${password}\n`, env: { ...process.env }, timeout: 60_000 },
      );
    const email = `cli-${crypto.randomBytes(4).toString("hex")}@example.test`;
    const weak = run(email, "aaaaaaaaaa");
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain("password: Use at least 12 characters (this one has 10)");
    const ok = run(email, "lantern orchard pebble");
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: "created", user: { email, role: "BILLER", practice: a.slug } });
  });
});
