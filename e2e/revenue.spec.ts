// The owner's weekly revenue review on the seeded demo practice: charts, moving between weeks,
// drilling from the undercoding card to its candidate lines and dismissing one with a reason;
// and no serious or critical accessibility violation on the revenue, KX queue and
// underpayment pages.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

async function chartsDrawn(page: Page, atLeast: number) {
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  await expect.poll(() => page.locator("svg.recharts-surface").count()).toBeGreaterThanOrEqual(atLeast);
  // non-empty: bars and lines drawn from data, not only axes
  await expect.poll(() => page.locator(".recharts-bar-rectangle, .recharts-line-curve").count()).toBeGreaterThan(0);
}

test("the owner reviews the week, goes back a week, and dismisses an undercoding candidate", async ({ page }) => {
  await signIn(page, DEMO.OWNER);
  await expect(page).toHaveURL(/\/revenue/);
  await expect(page.getByRole("heading", { name: "Weekly revenue review" })).toBeVisible();
  await chartsDrawn(page, 5);
  await expect(page.locator("[data-kpi]")).toHaveCount(12);

  const weekText = await page.getByText(/· week of/).textContent();
  await page.getByRole("link", { name: "← Previous week" }).click();
  await expect(page).toHaveURL(/\/revenue\?week=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByText(/· week of/)).not.toHaveText(weekText ?? "");
  await chartsDrawn(page, 5);
  const week = new URL(page.url()).searchParams.get("week");

  await page.getByRole("link", { name: /^Undercoding: .* Show the lines behind it/ }).click();
  await expect(page).toHaveURL(new RegExp(`/revenue/lines\\?metric=undercoding&week=${week}`));
  await expect(page.getByRole("heading", { name: "Undercoding: the lines behind it" })).toBeVisible();

  const candidate = page.locator("article.undercoding-candidate", { has: page.getByRole("button", { name: /^Dismiss / }) }).first();
  await expect(candidate).toBeVisible();
  await expect(candidate.locator("mark").first()).toBeVisible(); // the matched words, highlighted
  const lineId = await candidate.getAttribute("data-line-id");
  const reason = `Reviewed in the weekly meeting ${Date.now()}: exercise only`;
  await candidate.getByLabel("Reason").fill(reason);
  await candidate.getByRole("button", { name: /^Dismiss / }).click();

  const reviewed = page.locator(`article[data-line-id="${lineId}"]`);
  await expect(reviewed.getByText("Dismissed", { exact: true })).toBeVisible();
  await expect(reviewed.getByText(reason, { exact: false })).toBeVisible();
  // the review can be undone (and is, so the demo stays as it was)
  await reviewed.getByRole("button", { name: /^Undo / }).click();
  await expect(reviewed.getByRole("button", { name: /^Dismiss / })).toBeVisible();
});

test("a dismissal without a reason is refused next to the field", async ({ page }) => {
  await signIn(page, DEMO.OWNER);
  await page.goto("/undercoding?weeks=52");
  const candidate = page.locator("article.undercoding-candidate", { has: page.getByRole("button", { name: /^Dismiss / }) }).first();
  await candidate.getByRole("button", { name: /^Dismiss / }).click();
  await expect(candidate.locator(".field-error").first()).toContainText("reason");
  await expect(candidate.getByRole("button", { name: /^Dismiss / })).toBeVisible();
});

test.describe("accessibility: no serious or critical violation", () => {
  // axe walks every node of the page: the long worklists take a while
  test.describe.configure({ timeout: 180_000 });

  test("revenue review (owner)", async ({ page }) => {
    await signIn(page, DEMO.OWNER);
    await page.goto("/revenue");
    await chartsDrawn(page, 5);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("revenue drill-down and undercoding (owner)", async ({ page }) => {
    await signIn(page, DEMO.OWNER);
    await page.goto("/revenue/lines?metric=paid");
    await expect(page.getByRole("heading", { name: "Paid: the lines behind it" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto("/undercoding");
    await chartsDrawn(page, 2);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("KX queue (biller)", async ({ page }) => {
    await signIn(page, DEMO.BILLER);
    await page.goto("/kx");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("underpayments (manager)", async ({ page }) => {
    await signIn(page, DEMO.MANAGER);
    await page.goto("/underpayments");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
