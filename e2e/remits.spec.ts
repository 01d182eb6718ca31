// Remits as a manager meets them: two 835 files uploaded with their progress and summaries,
// the underpayment worklist, a line marked appealed, the printable appeal letter; and a
// manager of another practice finding nothing at this practice's remit address.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { apiAs, DEMO, OTHER, query, signIn } from "./helpers";

const fixtures = path.resolve("e2e/fixtures/example-practice");

/** The example practice's remit with a trace number of its own, so each run imports it anew. */
function remitFile(name: string, run: string) {
  const text = fs
    .readFileSync(path.join(fixtures, name), "utf8")
    .replace(/TRN\*1\*([^*~]+)/, (_m, trace: string) => `TRN*1*${trace}-${run}`);
  return { name: name.replace(".835", `-${run}.835`), mimeType: "application/edi-x12", buffer: Buffer.from(text) };
}

test("a manager uploads two 835 files, works the underpayments and prints an appeal letter", async ({ page }) => {
  const run = `${Date.now()}`;
  await signIn(page, DEMO.MANAGER);
  await expect(page).toHaveURL(/\/remits$/);
  await expect(page.getByRole("heading", { name: "Remits", exact: true })).toBeVisible();

  // hold each answer a moment so the progress of the upload is there to see
  await page.route(
    (url) => url.pathname === "/api/remits/upload",
    async (route) => {
      await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    },
  );
  const files = [remitFile("remit-united.835", run), remitFile("remit-medicare.835", run)];
  await page.getByLabel("835 files").setInputFiles(files);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByLabel(`${files[0]!.name} progress`)).toBeVisible();
  const statuses = page.getByTestId("import-status");
  await expect(statuses).toHaveCount(2, { timeout: 60_000 });
  // the example practice's files name claims of the example practice, none of this one's: each is
  // held until the manager confirms it (nothing is written meanwhile)
  await expect(statuses.nth(1)).toHaveAttribute("data-status", "unconfirmed", { timeout: 60_000 });
  await expect(statuses.nth(0)).toHaveAttribute("data-status", "unconfirmed");
  const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  const counts = (payer: string) =>
    JSON.parse(fs.readFileSync(path.join(fixtures, `expected-remit-${payer}-counts.json`), "utf8")) as {
      claims: number;
      serviceLines: number;
      paidCents: number;
    };
  // the summaries say in words what the fixture's hand-worked counts say (expected-remit-*-counts.json)
  for (const payer of ["united", "medicare"]) {
    const c = counts(payer);
    await expect(
      page.getByText(`${USD.format(c.paidCents / 100)} paid on ${c.claims} claims; ${c.claims} claims are not ours: check the payee`),
    ).toBeVisible();
  }
  for (const file of files) {
    await page.getByRole("listitem").filter({ hasText: file.name }).getByRole("button", { name: "Import it anyway" }).click();
    await expect(page.getByRole("listitem").filter({ hasText: file.name }).getByTestId("import-status")).toHaveAttribute(
      "data-status",
      "imported",
      { timeout: 60_000 },
    );
  }
  // the files are in the history and their payments in the list (not our claims: they wait in the unmatched worklist)
  await page.reload();
  await expect(page.getByRole("cell", { name: files[0]!.name, exact: true })).toBeVisible();
  // each file's status in the users' words (lib/ui/words.ts), not the stored code ("IMPORTED") nor
  // the code lowercased ("imported", as the history showed it before)
  const history = page.getByRole("table", { name: "835 imports" });
  for (const file of files) {
    const row = history.getByRole("row").filter({ has: page.getByRole("cell", { name: file.name, exact: true }) });
    await expect(row.getByRole("cell").nth(2)).toHaveText("Imported");
  }
  await expect(page.getByRole("link", { name: `EX-EFT-907-${run}` })).toBeVisible();
  // each payment's row counts its claims (matched) and lines (unmatched), as stored on the payment:
  // none of the claims is this practice's, so 0 matched and every line unmatched
  // (united: 40 claims, 80 lines; medicare: 34 claims, 67 lines, expected-remit-*-counts.json)
  for (const [payer, trace] of [
    ["united", "EX-EFT-907"],
    ["medicare", "EX-EFT-908"],
  ] as const) {
    const c = counts(payer);
    const payment = page.getByRole("row").filter({ has: page.getByRole("link", { name: `${trace}-${run}`, exact: true }) });
    await expect(payment.getByRole("cell", { name: `${c.claims} (0)`, exact: true })).toBeVisible();
    await expect(payment.getByRole("cell", { name: `${c.serviceLines} (${c.serviceLines})`, exact: true })).toBeVisible();
  }

  // the underpayment worklist, sorted by dollars
  await page.getByRole("link", { name: "Underpayments" }).first().click();
  await expect(page.getByRole("heading", { name: "Underpayments" })).toBeVisible();
  const rows = page.getByTestId("underpayment-row");
  await expect(rows.first()).toBeVisible();
  const lineId = await rows.first().getAttribute("data-line-id");
  const row = page.locator(`[data-line-id="${lineId}"]`);
  const claim = ((await row.getByRole("cell").nth(1).textContent()) ?? "").trim();
  const payer = ((await row.getByRole("cell").nth(0).textContent()) ?? "").trim();
  await row.getByRole("textbox").fill(`appeal ${run}`);
  await row.getByRole("button", { name: /appealed$/ }).click();
  await row.getByRole("button", { name: "Yes, mark appealed" }).click();
  // the row stays (with an undo) until the page is loaded again; the appealed filter then shows it with its note
  await expect(row.getByTestId("underpayment-status")).toHaveText("appealed");
  await expect(row.getByRole("button", { name: /^Undo / })).toBeVisible();
  await page.goto("/underpayments?status=appealed");
  const appealed = page.getByTestId("underpayment-row").filter({ hasText: `appeal ${run}` });
  await expect(appealed).toHaveCount(1);
  await expect(appealed.getByTestId("underpayment-status")).toHaveText("appealed");
  await expect(appealed.getByRole("link", { name: claim })).toBeVisible();

  // the printable appeal letter for that payer
  await page.locator('a[href^="/underpayments/letter/"]').filter({ hasText: payer }).first().click();
  await expect(page.getByRole("heading", { name: /Request for payment review/ })).toBeVisible();
  await expect(page.getByText(claim).first()).toBeVisible();
  await expect(page.getByText(/per unit|% of|Fee Schedule/).first()).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("heading", { name: /Request for payment review/ })).toBeVisible();
});

test("a manager of another practice gets 404 for this practice's remit", async ({ baseURL }) => {
  const [payment] = await query<{ id: number }>(
    `select rp.id from "RemitPayment" rp join "Practice" p on p.id = rp."practiceId" where p.slug = 'demo' order by rp.id limit 1`,
  );
  expect(payment).toBeDefined();
  const ours = await apiAs(baseURL!, DEMO.MANAGER);
  expect((await ours.get(`/remits/${payment!.id}`)).status()).toBe(200);
  const other = await apiAs(baseURL!, OTHER.MANAGER);
  expect((await other.get(`/remits/${payment!.id}`)).status()).toBe(404);
  expect((await other.get(`/remits/999999999`)).status()).toBe(404);
});
