// Bad addresses answer 400 with the parameter and its rule on a page a person can read, a
// period too long for a list says what is allowed, and a list page links its pages.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("a bad query string answers 400 naming the parameter, and the page without it still opens", async ({ page }) => {
  await signIn(page, DEMO.OWNER);
  const nul = await page.goto("/patients?q=a%00b");
  expect(nul?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText('The address\'s "q" must not contain control characters.');

  const week = await page.goto("/revenue?week=0001-01-01");
  expect(week?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText('"week" must be a date between 2000-01-01 and 2100-12-31');
  await page.getByRole("link", { name: "Open the page without it" }).click();
  await expect(page.getByRole("heading", { name: "Weekly revenue review" })).toBeVisible();
});

test("the denials page refuses a period of more than two years and says the allowed one", async ({ page }) => {
  await signIn(page, DEMO.OWNER);
  const res = await page.goto("/denials?from=0001-01-01&to=9999-12-31");
  expect(res?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText('"from" must be a date between 2000-01-01 and 2100-12-31');
  // 2024-01-01 to 2026-06-30 is 911 days, more than the 731 allowed
  const long = await page.goto("/denials?from=2024-01-01&to=2026-06-30");
  expect(long?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText('"to" must be at most two years (731 days) after from');
  // the form itself says so
  await page.goto("/denials");
  await expect(page.getByText("a period can be at most two years (731 days)")).toBeVisible();
});
