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

  // the most urgent rows come first: past KX with lines missing KX
  const row = page.locator('tr[data-urgency="0"]').first();
  await expect(row).toBeVisible();
  await expect(row.getByText("Missing KX")).toBeVisible();
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

  // back on the queue: the export of the year shown
  await page.getByRole("link", { name: "← KX queue" }).click();
  await expect(page).toHaveURL(/\/kx$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^kx-queue-demo-\d{4}\.csv$/);
  const path = await download.path();
  const fs = await import("node:fs");
  const csv = fs.readFileSync(path, "utf8");
  expect(csv.split(/\r\n/)[0]).toBe(
    "patient_id,year,pool,allowed_here,used_elsewhere,total,level,alert_crossed_on,kx_crossed_on,review_crossed_on,lines_missing_kx,estimated",
  );
  expect(csv.split(/\r\n/).length).toBeGreaterThan(2);
  expect(patientName.length).toBeGreaterThan(0);

  // leave the demo data as it was: undo the KX just added
  await page.goto(threshold);
  await page.getByRole("button", { name: "Undo: Added KX" }).click();
  await expect(page.getByTestId("lines-missing-kx")).toHaveText(String(missing));
});
