import { type APIRequestContext, expect, type Page, request as playwrightRequest } from "@playwright/test";
import pg from "pg";

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

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 30_000 });
}

/** An HTTP client signed in as the user (next-auth credentials flow with its CSRF token). */
export async function apiAs(baseURL: string, email: string, password = PASSWORD): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, maxRedirects: 0 });
  expect([200, 302]).toContain(res.status());
  return ctx;
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
