// Each list's "Download CSV" gives exactly the rows of its view on screen under the same filters:
// the KX queue, the underpayments worklist, the undercoding candidates and the denied lines
// behind a cause. Each test opens the list with filters in its address, reads the rows in the
// browser (every page of them), downloads the CSV from the page's own link and compares them
// row by row.
import { parse } from "csv-parse/sync";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { OTHER, signIn } from "./helpers";

type Row = Record<string, string>;

async function download(page: Page, linkName = "Download CSV"): Promise<Row[]> {
  const href = await page.getByRole("link", { name: linkName }).getAttribute("href");
  expect(href).toBeTruthy();
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/text\/csv/);
  return parse(await res.text(), { columns: true }) as Row[];
}

/** The text of each body row's cells, by the table's header names, on every page of the list. */
async function tableRows(page: Page, table: (page: Page) => Locator, nextName: RegExp): Promise<Row[]> {
  const all: Row[] = [];
  for (;;) {
    const rows = await table(page).evaluate((t) => {
      const headers = [...t.querySelectorAll(":scope > thead > tr > th")].map((th) => th.textContent?.trim() ?? "");
      return [...t.querySelectorAll(":scope > tbody > tr")].map((tr) =>
        Object.fromEntries(
          [...tr.querySelectorAll(":scope > td")].map((td, i) => [headers[i] ?? String(i), (td as HTMLElement).textContent.trim()]),
        ),
      );
    });
    all.push(...rows);
    const next = page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: nextName });
    if ((await next.count()) === 0) return all;
    await page.goto((await next.getAttribute("href"))!);
  }
}

/** "$1,234.50" on screen, "1234.50" in the CSV: the same dollars. */
const dollars = (text: string) => text.replace(/[$,]/g, "");
const firstLine = (text: string) => text.split("\n")[0]!.trim();
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "Jun 6, 2026" or "2026-06-06" → "2026-06-06": a calendar date however a screen writes it. */
function isoOf(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const m = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})$/.exec(text);
  if (!m) return text;
  return `${m[3]}-${String(MONTHS.indexOf(m[1]!) + 1).padStart(2, "0")}-${m[2]!.padStart(2, "0")}`;
}

test.describe("each download equals its view on screen", () => {
  test("KX queue: a pool and a sort in the address", async ({ page }) => {
    await signIn(page, OTHER.BILLER);
    await page.goto("/kx?pool=PT_SLP&sort=-total");
    const shown = await page.locator('table[aria-label^="KX queue"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        patient: r.querySelector("td:nth-child(2) a")?.textContent?.trim() ?? "",
        status: r.querySelector('[data-testid="queue-status"]')?.textContent?.trim() ?? "",
        total: r.querySelector('[data-testid="queue-total"]')?.textContent?.trim() ?? "",
        missing: r.querySelector('[data-testid="queue-missing"]')?.textContent?.trim() ?? "",
      })),
    );
    // expected-kx-queue-after-remits.csv: five PT + SLP pools at or past the alert level
    expect(shown).toHaveLength(5);
    const csv = await download(page);
    expect(csv.map((r) => ({ patient: r.Patient, status: r.Status, total: r.Total, missing: r["Lines missing KX"] }))).toEqual(
      shown.map((s) => ({ ...s, total: dollars(s.total) })),
    );
    // highest total first: 7,231.49 (EX-001), 5,487.21 (EX-003), 3,691.75 (EX-002), 2,957.64 (EX-000), 2,395.51 (EX-004)
    expect(csv.map((r) => r.Total)).toEqual(["7231.49", "5487.21", "3691.75", "2957.64", "2395.51"]);
    expect(csv.every((r) => r.Pool === "PT + SLP")).toBe(true);
  });

  test("underpayments: a minimum in the address, every page", async ({ page }) => {
    await signIn(page, OTHER.BILLER);
    await page.goto("/underpayments?min=1");
    const shown = await tableRows(page, (p) => p.locator("table").filter({ has: p.getByTestId("underpayment-row") }), /Next/);
    expect(shown.length).toBeGreaterThan(0);
    await page.goto("/underpayments?min=1");
    const csv = await download(page);
    expect(csv.map((r) => [r.Claim, r.Date, r.Code, r.Underpaid, r.Status, r.Patient])).toEqual(
      shown.map((s) => [
        s.Claim,
        s.Date,
        firstLine(s.Code!).split(" ")[0],
        dollars(s.Underpaid!),
        firstLine(s.Status!),
        firstLine(s.Patient!).replace(/ EX-\d+$/, ""),
      ]),
    );
    // a minimum of $1.00: no line underpaid by less
    expect(csv.every((r) => Number(r.Underpaid) >= 1)).toBe(true);
  });

  test("undercoding: a period, a reading and a status in the address, every page", async ({ page }) => {
    await signIn(page, OTHER.BILLER);
    const url = "/undercoding?week=2026-10-05&weeks=52&direction=could_be_97530&status=open";
    await page.goto(url);
    const shown: string[] = [];
    for (;;) {
      shown.push(...(await page.locator("article.undercoding-candidate h3").allInnerTexts()).map((t) => t.trim()));
      const next = page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: /Next/ });
      if ((await next.count()) === 0) break;
      await page.goto((await next.getAttribute("href"))!);
    }
    expect(shown.length).toBeGreaterThan(0);
    await page.goto(url);
    const csv = await download(page);
    // the card's heading: "Oct 7, 2026 · V00412 · line 2: 97110-GO × 1"
    expect(
      csv.map(
        (r) =>
          `${r.Date} · ${r.Visit} · line ${r.Line}: ${r.Code}${r.Modifiers ? `-${r.Modifiers.split(" ").join("-")}` : ""} × ${r.Units}`,
      ),
    ).toEqual(shown);
    expect(csv.every((r) => r.Reading === "Could be 97530" && r.Status === "open" && r.Patient!.length > 0)).toBe(true);
  });

  test("denials: a cause and a period in the address", async ({ page }) => {
    await signIn(page, OTHER.BILLER);
    await page.goto("/denials?from=2026-01-01&to=2026-12-31&cause=missing_kx");
    const shown = await tableRows(page, (p) => p.locator("section[aria-labelledby=drill-heading] table"), /Next/);
    expect(shown.length).toBeGreaterThan(0);
    await page.goto("/denials?from=2026-01-01&to=2026-12-31&cause=missing_kx");
    const csv = await download(page);
    expect(csv.map((r) => [isoOf(r.Date!), r.Claim, r.Patient, dollars(r.Charge ?? ""), r.Cause])).toEqual(
      shown.map((s) => [isoOf(s.Date!), firstLine(s.Claim!), s.Patient, dollars(s.Charge!), s.Cause]),
    );
    // one cause, the one asked for
    expect(new Set(csv.map((r) => r.Cause)).size).toBe(1);
  });
});
