// A biller's morning: sign in, land on the KX queue, open a patient past the KX threshold
// with lines missing KX, add KX to those lines in one step, see the item leave the
// missing-KX state, and download the queue export. The KX is undone at the end so the
// demo data is left as it was found.
import { expect, test } from "@playwright/test";
import { appDrawn, BUSY, busyKxCounts, DEMO, signIn } from "./helpers";

test("a biller adds KX to the lines missing it and downloads the queue", async ({ page }) => {
  await signIn(page, DEMO.BILLER);
  await expect(page).toHaveURL(/\/kx$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("KX queue");

  // the most urgent rows come first: past KX with lines missing KX. The demo's rows missing KX
  // belong to patients not seen for 30 days: open their section
  const finished = page.locator("summary", { hasText: /^Episode looks finished/ });
  if (!(await finished.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await finished.click();
  // (in the demo every such row also has lines denied CO-119, so it reads "Rebill with KX")
  const row = page
    .locator("tr")
    .filter({ has: page.getByRole("button", { name: /^Add KX to \d+ lines? of / }) })
    .first();
  await expect(row.getByTestId("queue-status")).toHaveText(/^(Add KX|Rebill with KX)$/);
  const patientLink = row.getByRole("link").first();
  const patientName = (await patientLink.textContent())?.trim() ?? "";
  await patientLink.click();

  await expect(page).toHaveURL(/\/patients\/\d+\/threshold\?year=\d{4}&pool=(PT_SLP|OT)/);
  await expect(page.getByText("Medicare therapy threshold")).toBeVisible();
  const missing = Number(await page.getByTestId("lines-missing-kx").textContent());
  expect(missing).toBeGreaterThan(0);
  await expect(page.getByRole("table").getByText("missing KX")).toHaveCount(missing);
  // the chart and its levels are drawn
  await expect(page.getByRole("figure")).toBeVisible();

  await page.getByRole("button", { name: /^Add KX to \d+ lines?$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "KX added to" })).toBeVisible();
  await expect(page.getByTestId("lines-missing-kx")).toHaveText("0");
  await expect(page.getByText("Every line past the KX threshold carries KX or GA.")).toBeVisible();
  await expect(page.getByRole("table").getByText("missing KX")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Add KX/ })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Item history" }).getByRole("listitem").first()).toContainText("Added KX");
  const threshold = page.url();

  // back on the queue: the download of the view on screen names the patient just worked
  await page.getByRole("link", { name: "← KX queue" }).click();
  await expect(page).toHaveURL(/\/kx$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe("kx-queue-view-demo.csv");
  const path = await download.path();
  const fs = await import("node:fs");
  const csv = fs.readFileSync(path, "utf8");
  expect(csv.split(/\r\n/)[0]).toMatch(/^Section,Patient,Patient ID,Year,Pool,Status,Total,/);
  expect(patientName.length).toBeGreaterThan(0);
  expect(csv).toContain(`"${patientName}"`);

  // leave the demo data as it was: undo the KX just added
  await page.goto(threshold);
  await page.getByRole("button", { name: "Undo: Added KX" }).click();
  await expect(page.getByTestId("lines-missing-kx")).toHaveText(String(missing));
});

// The queue shows the first 10 lines to rebill; the rest are one click away, 50 a page, with the
// same actions. The busy practice has more than a page of them (e2e/helpers.ts BUSY).
test("a biller opens every line to rebill, a page at a time, marks one sent and undoes it", async ({ page }) => {
  const { lines } = await busyKxCounts();
  expect(lines).toBeGreaterThan(50);
  expect(lines).toBeLessThanOrEqual(100);
  await signIn(page, BUSY.BILLER);
  await expect(page).toHaveURL(/\/kx$/);
  const preview = page.getByRole("table", { name: "Rebill with KX" }).locator("tbody tr");
  await expect(preview).toHaveCount(10);
  const first = await preview.first().locator("td").nth(0).textContent();
  await page.getByRole("link", { name: `See all ${lines} lines to rebill, 50 a page` }).click();

  // page 1: the same order as the queue's first lines, 50 of them, the pager counting them all
  await expect(page).toHaveURL(
    (url) => url.pathname === "/kx" && url.searchParams.get("view") === "rebill" && !url.searchParams.has("rebillPage"),
  );
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("KX queue 2026: lines to rebill");
  await expect(page.getByRole("heading", { name: `Rebill with KX: ${lines} lines to send again` })).toBeVisible();
  const list = page.getByRole("table", { name: "Rebill with KX" }).locator("tbody tr");
  await expect(list).toHaveCount(50);
  await expect(list.first().locator("td").nth(0)).toHaveText(first!);
  const pager = page.getByRole("navigation", { name: "The lines to rebill, page by page" });
  await expect(pager).toContainText(`Page 1 of 2 · ${lines} lines`);
  // the queue's own table is not on this view; the way back is
  await expect(page.locator('table[aria-label^="KX queue"]')).toHaveCount(0);

  // page 2: the other lines (lines − 50)
  await pager.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("view") === "rebill" && url.searchParams.get("rebillPage") === "2");
  await expect(list).toHaveCount(lines - 50);
  await appDrawn(page);

  // a corrected claim marked sent from this view, then undone: the count follows both
  const row = list.first();
  await row.getByRole("button", { name: /^Corrected claim sent/ }).click();
  await expect(row.getByRole("status")).toContainText("Marked sent.");
  await expect(row.getByTestId("rebill-status")).toContainText("Corrected claim sent");
  await expect(page.getByRole("heading", { name: `Rebill with KX: ${lines - 1} lines to send again` })).toBeVisible();
  await row.getByRole("button", { name: "Undo" }).click();
  await expect(row.getByTestId("rebill-status")).toHaveText("To rebill");
  await expect(page.getByRole("heading", { name: `Rebill with KX: ${lines} lines to send again` })).toBeVisible();

  // on a 360 px phone the view does not scroll sideways
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("link", { name: "Back to the KX queue" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/kx" && !url.searchParams.has("view"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("KX queue 2026");
});
