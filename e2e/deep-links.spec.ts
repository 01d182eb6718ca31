// A link opened signed out (from an e-mail, a bookmark) is the page shown after signing in, with
// its query, for every role: through the authenticator code for those who have one. (The sweep in
// pages.spec.ts checks the other half: no page shows a link its role may not open.)
import { expect, test } from "@playwright/test";
import { LANDING, ROLES } from "../lib/server/core/permissions";
import { DEMO, nextTotpCode, PASSWORD, query } from "./helpers";

for (const role of ROLES) {
  test(`${role.toLowerCase()}: a deep link with a query survives sign-in${role === "MANAGER" || role === "ADMIN" ? " and the second factor" : ""}`, async ({
    page,
  }) => {
    const [patient] = await query<{ id: number; lastName: string }>(
      `select p.id, p."lastName" from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by p.id limit 1`,
    );
    if (!patient) throw new Error("the demo practice has no patient");
    // every role may search patients; the page asked for is not the role's landing page
    const asked = `/patients?q=${encodeURIComponent(patient.lastName)}`;
    expect(LANDING[role]).not.toBe("/patients");
    await page.goto(asked);
    await expect(page).toHaveURL((url) => url.pathname === "/signin" && url.searchParams.get("callbackUrl") === asked);
    await page.getByLabel("Email").fill(DEMO[role]);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
    if (new URL(page.url()).pathname === "/second-factor") {
      await page.getByLabel("Authenticator code").fill(await nextTotpCode(DEMO[role]));
      await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/second-factor"));
    }
    await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === asked);
    // the search ran: the search box holds the name and the patient is listed
    await expect(page.getByRole("searchbox").or(page.locator("input[name=q]"))).toHaveValue(patient.lastName);
    await expect(page.locator(`a[href="/patients/${patient.id}"]`)).toBeVisible();
  });
}

test("a detail page asked for signed out opens after sign-in, not the landing page", async ({ page }) => {
  const [payment] = await query<{ id: number }>(
    `select r.id from "RemitPayment" r join "Practice" pr on pr.id = r."practiceId" where pr.slug = 'demo' order by r.id limit 1`,
  );
  const asked = `/remits/${payment?.id}`;
  await page.goto(asked);
  await page.getByLabel("Email").fill(DEMO.BILLER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === asked);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
