// The foundation as users meet it: sign-in, each role's landing page, the role x page
// matrix, practices kept apart, security headers and a CSP the app does not violate.
import { expect, test } from "@playwright/test";
import { apiAs, DEMO, OTHER, query, signIn } from "./helpers";

const LANDING = { OWNER: "/revenue", BILLER: "/kx", MANAGER: "/remits", ADMIN: "/admin" } as const;

// page → roles allowed (mirrors lib/server/core/permissions.ts)
const PAGES: Record<string, (keyof typeof DEMO)[]> = {
  "/revenue": ["OWNER", "MANAGER"],
  "/kx": ["OWNER", "BILLER", "MANAGER"],
  "/remits": ["OWNER", "BILLER", "MANAGER"],
  "/underpayments": ["OWNER", "MANAGER", "BILLER"],
  "/contracts": ["OWNER", "MANAGER", "BILLER"],
  "/undercoding": ["OWNER", "MANAGER", "BILLER"],
  "/patients": ["OWNER", "BILLER", "MANAGER", "ADMIN"],
  "/imports": ["ADMIN", "BILLER", "MANAGER"],
  "/admin": ["ADMIN"],
};

test("an unauthenticated visitor is sent to sign-in, and routes answer 401", async ({ page, request }) => {
  await page.goto("/kx");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  const res = await request.get("/api/exports/visits");
  expect(res.status()).toBe(401);
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(DEMO.OWNER);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText(/do not match/);
});

for (const role of Object.keys(LANDING) as (keyof typeof LANDING)[]) {
  test(`${role.toLowerCase()} lands on ${LANDING[role]}`, async ({ page }, testInfo) => {
    const cspViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await signIn(page, DEMO[role]);
    await expect(page).toHaveURL(new RegExp(`${LANDING[role]}$`));
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`landing-${role.toLowerCase()}.png`), fullPage: true });
    await testInfo.attach(`landing-${role.toLowerCase()}`, {
      path: testInfo.outputPath(`landing-${role.toLowerCase()}.png`),
      contentType: "image/png",
    });
    expect(cspViolations).toEqual([]);
  });
}

test("each role gets its pages and a 403 for the others", async ({ baseURL }) => {
  const wrong: string[] = [];
  for (const role of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
    const api = await apiAs(baseURL!, DEMO[role]);
    for (const [path, roles] of Object.entries(PAGES)) {
      const status = (await api.get(path, { maxRedirects: 0 })).status();
      const expected = roles.includes(role) ? 200 : 403;
      if (status !== expected) wrong.push(`${role} ${path}: ${status} (expected ${expected})`);
    }
    await api.dispose();
  }
  expect(wrong).toEqual([]);
});

test("a user of another practice gets 404 for this practice's patient, visit and claim ids", async ({ baseURL }) => {
  const [patient] = await query<{ id: number }>(
    `select p.id from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by p.id limit 1`,
  );
  const [visit] = await query<{ id: number }>(
    `select v.id from "Visit" v join "Practice" pr on pr.id = v."practiceId" where pr.slug = 'demo' order by v.id limit 1`,
  );
  expect(patient).toBeTruthy();
  const own = await apiAs(baseURL!, DEMO.BILLER);
  expect((await own.get(`/patients/${patient!.id}`)).status()).toBe(200);
  const stranger = await apiAs(baseURL!, OTHER.BILLER);
  expect((await stranger.get(`/patients/${patient!.id}`)).status()).toBe(404);
  expect((await stranger.get(`/visits/${visit!.id}`)).status()).toBe(404);
  expect((await stranger.get(`/patients/${patient!.id}/threshold`)).status()).toBe(404);
  expect((await stranger.get(`/patients/not-a-number`)).status()).toBe(404);
  await own.dispose();
  await stranger.dispose();
});

test("every response carries the security headers and a nonce-based CSP", async ({ request }) => {
  const res = await request.get("/signin");
  const h = res.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["x-powered-by"]).toBeUndefined();
});
