import { type APIRequestContext, expect, type Page, request as playwrightRequest } from "@playwright/test";
import { decode } from "next-auth/jwt";
import pg from "pg";
import { timeStep, totpCodeAtStep } from "./totp";

export const PASSWORD = "demo-password-2026";
export const DEMO = {
  OWNER: "owner@demo.test",
  BILLER: "biller@demo.test",
  MANAGER: "manager@demo.test",
  ADMIN: "admin@demo.test",
} as const;
export const OTHER = {
  OWNER: "owner@example.test",
  BILLER: "biller@example.test",
  MANAGER: "manager@example.test",
  ADMIN: "admin@example.test",
} as const;
/**
 * The busy practice (prisma/seed.ts --busy, 800 patients, seeded beside the demo by npm test):
 * about a hundred patient pools past the alert level and 66 denied lines to rebill, so its lists
 * fill whole pages. Tests read it and leave it as they found it.
 */
export const BUSY = {
  OWNER: "owner@busy.test",
  BILLER: "biller@busy.test",
} as const;

/**
 * The demo admins' and managers' authenticator key (prisma/seed.ts, demo only): the seed
 * enrols them with it, and the tests compute its codes with their own RFC 6238 code (./totp.ts).
 */
export const DEMO_TOTP_KEY = process.env.DEMO_TOTP_KEY ?? "DEMODEMODEMODEMODEMODEMODEMODEMO";

/**
 * A code for the user that the server will take: the app never accepts a code of a step at
 * or before the last one used (a code works once), and takes the current step or the next,
 * so several sign-ins within 30 seconds use the next step or wait for one.
 */
export async function nextTotpCode(email: string, key = DEMO_TOTP_KEY): Promise<string> {
  for (;;) {
    const [row] = await query<{ totpLastStep: number | null }>(`select "totpLastStep" from "User" where email = $1`, [email]);
    const now = timeStep(Date.now());
    const step = Math.max(now, (row?.totpLastStep ?? 0) + 1);
    if (step <= now + 1) return totpCodeAtStep(key, step);
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 50));
  }
}

/** Whether the user signs in with a second factor (they have one). */
async function hasSecondFactor(email: string): Promise<boolean> {
  const [row] = await query<{ enrolled: boolean }>(`select "totpEnabledAt" is not null as enrolled from "User" where email = $1`, [email]);
  return row?.enrolled ?? false;
}

/** Signs in through the sign-in page, as a person would, with the authenticator code when asked. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 30_000 });
  if (new URL(page.url()).pathname !== "/second-factor") return;
  // A code opens one sign-in only: when the other lane of the suite (playwright.config.ts) signed
  // in as the same user within the same 30 s, the code chosen here may just have been used, and
  // is refused; the next one is then taken (nextTotpCode reads which step was used last).
  for (let attempt = 1; ; attempt++) {
    await page.getByLabel("Authenticator code").fill(await nextTotpCode(email));
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/second-factor/verify", { timeout: 30_000 });
    await page.getByRole("button", { name: "Continue" }).click();
    const answer = await answered;
    if (answer.ok()) {
      await page.waitForURL((url) => !url.pathname.startsWith("/second-factor"), { timeout: 30_000 });
      return;
    }
    if (attempt === 3) throw new Error(`the authenticator code for ${email} was refused ${attempt} times: ${await answer.text()}`);
  }
}

/**
 * Waits until a page of the app (app/(app)) has hydrated and drawn: its client code has run, and
 * components/scroll-regions.tsx has marked <html> with data-regions-marked (500 ms after the page
 * drew). A page's text shows before that (it is rendered on the server), but a click on a button
 * before it reaches a button without its handler and does nothing.
 */
export async function appDrawn(page: Page, timeout = 30_000) {
  await page.locator("html[data-regions-marked]").waitFor({ state: "attached", timeout });
}

/** An HTTP client signed in as the user (next-auth credentials flow with its CSRF token, then the authenticator code). */
export async function apiAs(baseURL: string, email: string, password = PASSWORD): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, maxRedirects: 0 });
  expect([200, 302]).toContain(res.status());
  if (await hasSecondFactor(email)) {
    // as in signIn: a code the other lane has just used is refused, and the next one taken
    let verified = await ctx.post("/api/second-factor/verify", { data: { code: await nextTotpCode(email) } });
    for (let attempt = 2; attempt <= 3 && verified.status() !== 200; attempt++) {
      verified = await ctx.post("/api/second-factor/verify", { data: { code: await nextTotpCode(email) } });
    }
    expect(verified.status(), await verified.text()).toBe(200);
  }
  return ctx;
}

/**
 * The server-side session (UserSession.id) a signed-in context holds: read from its session
 * cookie with the server's secret (the one playwright.config.ts gives the server). A spec that
 * changes a session in the database changes only its own, never a session of the other lane.
 */
export async function sessionIdOf(ctx: APIRequestContext): Promise<string> {
  const { cookies } = await ctx.storageState();
  const token = cookies.find((c) => c.name.endsWith("next-auth.session-token"))?.value;
  const secret = process.env.NEXTAUTH_SECRET ?? "e2e-only-secret-not-for-production";
  const payload = token ? await decode({ token, secret }) : null;
  if (typeof payload?.sid !== "string") throw new Error("no session cookie with a session id in this context");
  return payload.sid;
}

/**
 * Direct read access to the e2e database, to find ids for tenant checks: as the owner, since
 * row-level security shows the app's role no practice's rows outside a practice scope.
 */
export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({
    connectionString:
      process.env.E2E_MIGRATION_DATABASE_URL ??
      process.env.MIGRATION_DATABASE_URL ??
      process.env.E2E_DATABASE_URL ??
      process.env.DATABASE_URL,
  });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The busy practice's KX queue in 2026, counted from its tables: the open patient pools at or past
 * the alert level, and the lines Medicare denied (CO-119, CARC 4) that no later remit settled.
 */
export async function busyKxCounts(): Promise<{ pools: number; lines: number }> {
  const [counts] = await query<{ pools: number; lines: number }>(
    `select (select count(*)::int from "KxQueueItem" i
             where i."practiceId" = pr.id and i.year = 2026 and i.status = 'OPEN' and i.level <> 'below') as pools,
            (select count(*)::int from "ServiceLineRemit" r join "ServiceLine" s on s.id = r."serviceLineId"
               join "Visit" v on v.id = s."visitId" join "Payer" py on py.id = v."payerId"
             where r."practiceId" = pr.id and r."remitWork" is not null and s.pool is not null and py.kind = 'medicare'
               and v."dateOfService" between '2026-01-01' and '2026-12-31') as lines
     from "Practice" pr where pr.slug = 'busy'`,
  );
  if (!counts) throw new Error("the busy practice is not seeded (npx tsx prisma/seed.ts --busy 800)");
  return counts;
}
