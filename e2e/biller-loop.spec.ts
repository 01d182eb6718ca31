// The biller's weekly loop (docs/loops/biller.md), as a biller of the example practice walks it:
// land on the KX queue, read every patient-pool's total and lines missing KX (checked against the
// example practice's expected-kx-queue-after-remits.csv, worked to the cent), add KX to three
// patients from their rows without leaving the queue, see the lines denied CO-119 in the rebill
// list and mark a corrected claim sent, download the queue as on screen, and undo each change so
// the seeded data is left as it was found. Page loads of the loop are counted: one, the queue.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { OTHER, query, signIn } from "./helpers";

const fixtures = path.resolve("e2e/fixtures/example-practice");
const expected = parse(fs.readFileSync(path.join(fixtures, "expected-kx-queue-after-remits.csv"), "utf8"), { columns: true }) as Record<
  string,
  string
>[];
const POOL = { PT_SLP: "PT + SLP", OT: "OT" } as Record<string, string>;
/** "7231.49" → "$7,231.49", as the queue prints a total */
const usd = (dollars: string) => `$${Number(dollars).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The queue row of a patient-pool: its patient cell reads "EX-001 · PT + SLP". */
function queueRow(page: Page, patient: string, pool: string): Locator {
  return page.locator('table[aria-label^="KX queue"] tbody tr').filter({ hasText: `${patient} · ${POOL[pool]}` });
}

test("a biller works the KX queue from the queue: figures, KX on three patients, the rebill list, the download", async ({ page }) => {
  await signIn(page, OTHER.BILLER);
  await expect(page).toHaveURL(/\/kx$/);
  // from here on, every full page load of the loop is counted (sign-in is before the loop)
  let pageLoads = 1;
  page.on("request", (r) => {
    if (r.resourceType() === "document" && r.frame() === page.mainFrame()) pageLoads++;
  });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("KX queue 2026");

  // every patient-pool of the expected file past the $2,000 alert level is listed (8 of 8),
  // with the total and the lines missing KX of the file
  const listed = expected.filter((e) => e.level !== "below");
  await expect(page.getByRole("status").filter({ hasText: "patient pools" })).toContainText(`${listed.length} patient pools`);
  for (const e of listed) {
    const row = queueRow(page, e.patient_id!, e.pool!);
    await expect(row, `${e.patient_id} ${e.pool}`).toHaveCount(1);
    await expect(row.getByTestId("queue-total")).toHaveText(usd(e.total!));
    await expect(row.getByTestId("queue-missing")).toHaveText(e.lines_missing_kx!);
  }
  // the working order: the rows that need KX added come first, the approaching one last
  const works = await page
    .locator('table[aria-label^="KX queue"] tbody tr')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-work"))));
  expect(works).toEqual([...works].sort((a, b) => a - b));
  // EX-004 PT + SLP: 2,395.51, alert level, nothing missing; one status chip on the row
  await expect(queueRow(page, "EX-004", "PT_SLP").getByTestId("queue-status")).toHaveCount(1);

  // add KX to three patients from their rows: EX-001 (33 lines), EX-003 (21), EX-004 OT (10)
  const three = [
    ["EX-001", "PT_SLP", 33],
    ["EX-003", "PT_SLP", 21],
    ["EX-004", "OT", 10],
  ] as const;
  for (const [patient, pool, missing] of three) {
    const file = expected.find((e) => e.patient_id === patient && e.pool === pool)!;
    expect(Number(file.lines_missing_kx)).toBe(missing);
    const row = queueRow(page, patient, pool);
    await row.getByRole("button", { name: new RegExp(`^Add KX to ${missing} lines of `) }).click();
    await expect(row.getByRole("status")).toContainText(`KX added to ${missing} lines.`);
    await expect(row.getByTestId("queue-missing")).toHaveText("0");
    await expect(row.getByTestId("queue-status")).not.toHaveText("Add KX");
    await expect(row.getByRole("button", { name: /^Add KX/ })).toHaveCount(0);
    // the total is unchanged by KX: the same allowed amounts
    await expect(row.getByTestId("queue-total")).toHaveText(usd(file.total!));
  }
  await expect(page).toHaveURL(/\/kx$/);

  // several rows at once: tick two patient-pools and assign them to me
  // (every row of the example practice is in one table: its patients were last seen in October)
  await expect(page.locator('table[aria-label^="KX queue"]')).toHaveCount(1);
  const ticked = [queueRow(page, "EX-000", "PT_SLP"), queueRow(page, "EX-002", "PT_SLP")];
  for (const row of ticked) await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Assign ticked to me" }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "2 patient pools assigned to you." })).toBeVisible();
  const [biller] = await query<{ name: string }>(`select name from "User" where email = $1`, [OTHER.BILLER]);
  const me = biller!.name;
  for (const row of ticked) await expect(row.locator("td").nth(9)).toHaveText(me);

  // the lines Medicare denied CO-119 wait in the rebill list (remit-medicare.835 denies lines of
  // EX-000's OT claims and of EX-001's); EX-001's now carry the KX just added
  const rebill = page.getByRole("table", { name: "Rebill with KX" });
  const ex001 = rebill.locator("tbody tr").filter({ hasText: "EX-001" });
  await expect(ex001.first()).toContainText("Missing KX (CO-119)");
  await expect(ex001.first().locator("td").nth(2)).toContainText("KX");
  // a corrected claim for one of EX-000's: KX goes on the line and it waits for the remit
  const ex000 = rebill.locator("tbody tr").filter({ hasText: "EX-000" }).first();
  await expect(ex000.locator("td").nth(2)).not.toContainText("KX");
  await ex000.getByRole("button", { name: /^Corrected claim sent/ }).click();
  await expect(ex000.getByRole("status")).toContainText("Marked sent.");
  await expect(ex000.getByTestId("rebill-status")).toContainText("Corrected claim sent");
  await expect(ex000.locator("td").nth(2)).toContainText("KX");

  // the download is the queue on screen: the same patient-pools in the same order, with status and assignee
  const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  expect(href).toBe("/kx/csv?year=2026");
  const csv = parse(await (await page.request.get(href!)).text(), { columns: true }) as Record<string, string>[];
  const onScreen = await page
    .locator('table[aria-label^="KX queue"] tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [
        r.querySelector("td:nth-child(2) .text-xs")?.textContent?.trim() ?? "",
        r.querySelector('[data-testid="queue-status"]')?.textContent?.trim() ?? "",
        r.querySelector('[data-testid="queue-total"]')?.textContent?.trim() ?? "",
      ]),
    );
  expect(csv.map((r) => [`${r["Patient ID"]} · ${r.Pool}`, r.Status, usd(r.Total!)])).toEqual(onScreen);
  expect(csv.every((r) => r.Patient!.length > 0 && "Assignee" in r)).toBe(true);

  // the whole loop was one page load: the queue
  expect(pageLoads).toBe(1);

  // on a 360 px phone the page does not scroll sideways (the tables scroll in their cards)
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.setViewportSize({ width: 1280, height: 800 });

  // leave the seeded data as it was: undo the corrected claim, then each KX, from the rows
  await ex000.getByRole("button", { name: "Undo" }).click();
  await expect(ex000.getByTestId("rebill-status")).toHaveText("To rebill");
  await expect(ex000.locator("td").nth(2)).not.toContainText("KX");
  for (const [patient, pool, missing] of three) {
    const row = queueRow(page, patient, pool);
    await row.getByRole("button", { name: "Undo" }).click();
    await expect(row.getByTestId("queue-missing")).toHaveText(String(missing));
  }
  for (const row of ticked) {
    await row.getByRole("button", { name: "Undo" }).click();
    await expect(row.locator("td").nth(9)).toHaveText("—");
  }
});
