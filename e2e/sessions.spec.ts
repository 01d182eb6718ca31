// Sessions that end on the server, and the second factor, in a real browser against the
// built app. Authenticator codes come from the tests' own RFC 6238 code (./totp.ts).
import crypto from "node:crypto";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { hashPassword } from "../lib/server/core/password";
import { apiAs, appDrawn, DEMO, nextTotpCode, query, sessionIdOf, signIn } from "./helpers";
import { totpCode } from "./totp";

test("after sign-out, the copied session cookie opens no page and no export", async ({ page, browser, baseURL }) => {
  await signIn(page, DEMO.BILLER);
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(true);
  const before = await page.request.get("/api/exports/visits");
  expect(before.status()).toBe(200);
  expect((await before.body()).length).toBeGreaterThan(100_000); // the demo year's visits, well over 100 KB

  await appDrawn(page); // the button works once the page has hydrated
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);

  // another browser replays the cookie as it was before signing out
  const replay = await browser.newContext({ baseURL });
  await replay.addCookies(cookies);
  const other = await replay.newPage();
  await other.goto("/kx");
  // the sign-in page, keeping the page that was asked for
  await expect(other).toHaveURL(/\/signin(\?callbackUrl=[^&]*)?$/);
  expect((await other.request.get("/api/exports/visits")).status()).toBe(401);
  expect(await (await other.request.get("/api/auth/session")).json()).toEqual({});
  await replay.close();
});

test("a session idle for 31 minutes is over; /api/auth/session does not move its end", async ({ baseURL }) => {
  const api = await apiAs(baseURL!, DEMO.OWNER);
  const first = (await (await api.get("/api/auth/session")).json()) as { expires: string };
  const second = (await (await api.get("/api/auth/session")).json()) as { expires: string };
  // the end is the idle limit (30 minutes after the last request), not 8 hours on from each call
  expect(second.expires).toBe(first.expires);
  expect(new Date(first.expires).getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
  expect((await api.get("/revenue", { maxRedirects: 0 })).status()).toBe(200);

  // move this session's last request 31 minutes back instead of waiting (only this one: the
  // owner may be signed in on the other lane of the suite meanwhile)
  const moved = await query(
    `update "UserSession" set "lastSeenAt" = now() - interval '31 minutes', "createdAt" = now() - interval '31 minutes'
     where id = $1 and "revokedAt" is null returning id`,
    [await sessionIdOf(api)],
  );
  expect(moved).toHaveLength(1);
  const page = await api.get("/revenue", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toContain("/signin");
  expect((await api.get("/api/exports/visits")).status()).toBe(401);
  expect(await (await api.get("/api/auth/session")).json()).toEqual({});
  await api.dispose();
});

test("a new manager enrols a second factor, signs in with a code and with a recovery code; the admin resets it", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // a manager of the demo practice, new to this run (created in the database: the subject here is the second factor)
  const email = `manager-${crypto.randomBytes(3).toString("hex")}@demo.test`;
  const password = "a-long-enough-password-for-tests-2026";
  const [practice] = await query<{ id: number }>(`select id from "Practice" where slug = 'demo'`);
  const [user] = await query<{ id: number }>(
    `insert into "User" (email, name, "passwordHash") values ($1, 'New Manager', $2) returning id`,
    [email, await hashPassword(password)],
  );
  await query(`insert into "Membership" ("practiceId", "userId", role) values ($1, $2, 'MANAGER')`, [practice!.id, user!.id]);

  // 1. the password, then enrolment before anything else
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/second-factor\/enrol$/);
  await page.goto("/remits");
  await expect(page).toHaveURL(/\/second-factor\/enrol$/);
  await expect(page.getByRole("img", { name: "QR code of the authenticator key" })).toBeVisible();
  const key = ((await page.getByTestId("totp-key").textContent()) ?? "").replace(/\s/g, "");
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  const right = totpCode(key);
  await page.getByLabel("Code from the app").fill(right === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on the second factor" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("not right");
  await page.getByLabel("Code from the app").fill(await nextTotpCode(email, key));
  await page.getByRole("button", { name: "Turn on the second factor" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())!;
  expect(recovery).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  await page.getByRole("link", { name: "I have saved them: continue" }).click();
  await expect(page).toHaveURL(/\/remits$/);
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("New Manager · Manager");

  // 2. signing in again asks for the code
  await appDrawn(page); // the button works once the page has hydrated
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/second-factor$/);
  await page.getByLabel("Authenticator code").fill(await nextTotpCode(email, key));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/remits$/);

  // 3. a recovery code instead, once
  await appDrawn(page); // the button works once the page has hydrated
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);
  const signInWithRecoveryCode = async () => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/second-factor$/);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(recovery);
    await page.getByRole("button", { name: "Continue" }).click();
  };
  await signInWithRecoveryCode();
  await expect(page).toHaveURL(/\/remits$/);
  await page.context().clearCookies();
  await signInWithRecoveryCode();
  await expect(page.locator("form").getByRole("alert")).toContainText("used already");

  // 4. the admin resets it: the manager's sessions end and the next sign-in enrols again
  const admin = await browser.newContext({ baseURL });
  const adminPage = await admin.newPage();
  await signIn(adminPage, DEMO.ADMIN);
  await adminPage.goto("/admin");
  const row = adminPage.getByRole("row").filter({ hasText: email });
  await expect(row.getByRole("cell", { name: "on", exact: true })).toBeVisible();
  adminPage.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Reset second factor" }).click();
  await expect(row.getByRole("cell", { name: "off", exact: true })).toBeVisible();
  await admin.close();

  const audit = await query<{ action: string }>(
    `select action from "AuditEvent" where "entityType" = 'User' and "entityId" = $1 order by id`,
    [String(user!.id)],
  );
  expect(audit.map((a) => a.action)).toEqual(
    expect.arrayContaining([
      "auth.second_factor_enrolled",
      "auth.recovery_code_used",
      "auth.second_factor_failed",
      "user.reset_second_factor",
    ]),
  );
  const again = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await again.get("/api/auth/csrf")).json();
  await again.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, maxRedirects: 0 });
  const home = await again.get("/", { maxRedirects: 0 });
  expect(home.headers().location).toContain("/second-factor");
  expect((await again.post("/api/second-factor/verify", { data: { code: totpCode(key) } })).status()).toBe(409); // the old key is gone: enrol again
  await again.dispose();
});
