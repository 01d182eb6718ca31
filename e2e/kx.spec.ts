// A biller's morning: sign in, land on the KX queue, open a patient past the KX threshold
// with lines missing KX, add KX to those lines in one step, see the item leave the
// missing-KX state, and download the queue export. The KX is undone at the end so the
// demo data is left as it was found.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

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
