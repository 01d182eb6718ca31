// Sign-in from the browser and over HTTP against next build + scripts/serve.sh: where it
// returns to, the client address behind X-Forwarded-For, and joining a practice by invitation.
import { type Browser, expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { DEMO, OTHER, PASSWORD, query, signIn } from "./helpers";

async function credentialsPost(baseURL: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: headers });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, ...form }, maxRedirects: 0 });
  const location = res.headers().location ?? "";
  const text = await res.text();
  await ctx.dispose();
  return { status: res.status(), location, text };
}

test("a callbackUrl that is not a path on this site is never followed and never an error", async ({ page, request, baseURL }) => {
  // next-auth's own pages used to answer 500 to these
  for (const path of ["/api/auth/signin", "/api/auth/signout", "/api/auth/signin/credentials"]) {
    for (const bad of ["javascript:alert(1)", "https://evil.example/", "//evil.example/x"]) {
      const res = await request.get(`${path}?callbackUrl=${encodeURIComponent(bad)}`, { maxRedirects: 0 });
      expect(res.status(), `${path} ${bad}`).toBeLessThan(500);
      expect(res.headers().location ?? "", `${path} ${bad}`).not.toMatch(/javascript:|evil\.example/);
    }
  }
  // the credentials post with a foreign callback goes home ("/", then the role's page)
  const post = await credentialsPost(baseURL!, { email: DEMO.OWNER, password: PASSWORD, callbackUrl: "javascript:alert(1)" });
  expect(post.status).toBe(302);
  expect(post.location).toBe(`${baseURL}/`);
  // and in the browser: the owner lands on the revenue page
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("javascript:alert(document.cookie)")}`);
  await page.getByLabel("Email").fill(DEMO.OWNER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/revenue$/);
});

test("a page opened signed out is the page shown after signing in", async ({ page }) => {
  await page.goto("/kx");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fkx$/);
  await page.getByLabel("Email").fill(DEMO.OWNER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // the owner's home is /revenue; the page asked for wins
  await expect(page).toHaveURL(/\/kx$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("KX queue");
});

// @alone (playwright.config.ts): its 101 failures fill the limit of every sign-in from 127.0.0.1
test("X-Forwarded-For from a client is not trusted: changing it does not reset the per-address limit", { tag: "@alone" }, async ({
  baseURL,
}) => {
  test.setTimeout(300_000); // 101 sign-ins, each a password hash
  // every request here comes from 127.0.0.1, which is no trusted proxy (TRUSTED_PROXIES is unset)
  const key = "addr:127.0.0.1";
  await query(`delete from "SignInThrottle" where key = $1`, [key]);
  const since = (await query<{ now: Date }>("select now()"))[0]!.now;
  try {
    // 100 failures (different unknown accounts), each claiming a different address
    for (let i = 0; i < 100; i++) {
      const r = await credentialsPost(
        baseURL!,
        { email: `spray-${i}@nowhere.test`, password: "wrong-password-123", json: "true" },
        {
          "X-Forwarded-For": `198.51.100.${i}`,
        },
      );
      expect(r.text + r.location, `attempt ${i + 1}`).toContain("CredentialsSignin");
    }
    // the 101st, from yet another claimed address, is refused: the limit is the socket's
    const refused = await credentialsPost(
      baseURL!,
      { email: "spray-last@nowhere.test", password: "wrong-password-123", json: "true" },
      {
        "X-Forwarded-For": "203.0.113.77",
      },
    );
    expect(decodeURIComponent(refused.text)).toMatch(/error=rate_limited:\d+/);
    // the audit log names the real address, never the claimed ones
    const rows = await query<{ address: string; n: string }>(
      `select details->>'address' as address, count(*) as n from "AuditEvent"
       where action like 'auth.sign_in_%' and "createdAt" >= $1 and details->>'email' like 'spray-%' group by 1`,
      [since],
    );
    expect(rows).toEqual([{ address: "127.0.0.1", n: "101" }]);
  } finally {
    await query(`delete from "SignInThrottle" where key = $1`, [key]);
  }
});

test("an admin invites by link; the invitee chooses name and password; nothing about another practice shows", async ({ page, browser }) => {
  // an admin of the example practice invites a user of the demo practice: the same answer as
  // for anyone. The seed names both practices' managers "Manager Demo": give the demo one a
  // name of their own for this test, so its absence on the other practice's page means something.
  const [{ name: demoName }] = await query<{ name: string }>(`select name from "User" where email = $1`, [DEMO.MANAGER]);
  const distinct = `Dana Demopractice ${Date.now()}`;
  await query(`update "User" set name = $1 where email = $2`, [distinct, DEMO.MANAGER]);
  try {
    await inviteAndAccept(page, browser, distinct);
  } finally {
    await query(`update "User" set name = $1 where email = $2`, [demoName, DEMO.MANAGER]);
  }
});

async function inviteAndAccept(page: Page, browser: Browser, demoManagerName: string) {
  await signIn(page, OTHER.ADMIN);
  await page.goto("/admin");
  const invite = async (email: string) => {
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Their role").selectOption("MANAGER");
    await page.getByRole("button", { name: "Invite" }).click();
    const status = page.getByRole("status");
    await expect(status).toContainText(`Invitation for ${email} created. This app sends no email: pass this link on to them yourself`);
    return (await page.getByTestId("invitation-link").textContent())!.trim();
  };
  const other = await invite(DEMO.MANAGER);
  expect(other).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const users = page.getByRole("region", { name: "Users" }).locator("table").first();
  await expect(users).not.toContainText(DEMO.MANAGER);
  await expect(page.locator("body")).not.toContainText(demoManagerName);

  const email = `new-colleague-${Date.now()}@example.test`;
  const link = await invite(email);
  await expect(page.getByRole("cell", { name: email })).toBeVisible(); // listed as an invitation

  // the invitee, in their own browser
  const invitee = await browser.newContext();
  const p = await invitee.newPage();
  await p.goto(link);
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("Join Example Therapy (fixture)");
  await p.getByLabel("Your name").fill("Casey Newcomer");
  await p.getByLabel("Password").fill("aaaaaaaaaa");
  await p.getByRole("button", { name: "Join" }).click();
  await expect(p.getByText("Use at least 12 characters (this one has 10).")).toBeVisible();
  await p.getByLabel("Password").fill("lantern orchard pebble");
  await p.getByRole("button", { name: "Join" }).click();
  await expect(p.getByRole("status")).toContainText("You have joined.");
  await signIn(p, email, "lantern orchard pebble");
  // a manager must set up a second factor before any page of the practice opens
  await expect(p).toHaveURL(/\/second-factor\/enrol$/);
  // the link works once
  await p.goto(link);
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("This invitation link does not work");
  await invitee.close();

  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("Casey Newcomer");
}
