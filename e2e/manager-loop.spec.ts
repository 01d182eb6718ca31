// The manager's weekly loop, walked as the manager of the example practice walks it: upload
// the week's 835s (a file paid to another provider is held for confirmation and declined; the
// payer's file is imported and summed up in words), open the underpayment worklist, decide a
// line (confirmed, undone, decided again, with its history), open the payer's appeal letter,
// complete the payer's appeals address, and print it. Figures come from the example practice's
// expected files (e2e/fixtures/example-practice), the page loads of the loop are counted.
// Then the denials page: a cause opens in place, and a denied line is never also "underpaid".
import fs from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { DEMO, OTHER, query, signIn } from "./helpers";

const example = path.resolve("e2e/fixtures/example-practice");
const foreignFile = path.resolve(
  "e2e/fixtures/835/keironstoddart__edi-835-parser__tests_test_edi_835_files_united_healthcare_legacy_sample.835",
);

const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usd = (cents: number) => USD.format(cents / 100);
const cents = (dollars: string) => Math.round(Number(dollars) * 100);

/** The segments of an 835 as element arrays (the fixtures use * and ~). */
function segments(text: string): string[][] {
  return text
    .split("~")
    .map((s) => s.replace(/^\s+/, ""))
    .filter(Boolean)
    .map((s) => s.split("*"));
}

/** Counts what a person would count as page loads: documents loaded, and the pages passed through. */
function loadCounter(page: Page) {
  const pages: string[] = [new URL(page.url()).pathname];
  let documents = 0;
  page.on("load", () => documents++);
  page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame()) return;
    const p = new URL(frame.url()).pathname;
    if (pages.at(-1) !== p) pages.push(p);
  });
  return { pages, documents: () => documents };
}

test("a manager goes from an uploaded 835 to a printed appeal letter in three pages", async ({ page }) => {
  test.setTimeout(180_000);
  const run = `${Date.now()}`;
  await signIn(page, OTHER.MANAGER);
  await expect(page).toHaveURL(/\/remits$/);
  const loads = loadCounter(page);

  // 1. A file paid to another provider, none of whose claims is ours: held, then declined.
  // Its figures by hand from the file: CLP*001-18573-358 paid 88.92, CLP*001-18604-358 paid
  // 261.07 → $349.99 on 2 claims; the payee N1*PE is KLAUS MEDICAL CENTER, NPI 1922164458, with
  // REF*TJ tax id 333333333.
  const foreignText = fs.readFileSync(foreignFile, "utf8");
  const clp = segments(foreignText).filter((s) => s[0] === "CLP");
  const foreignPaid = clp.reduce((sum, s) => sum + cents(s[4]!), 0);
  expect([clp.length, foreignPaid]).toEqual([2, 8892 + 26107]);
  const foreignName = `foreign-${run}.835`;
  await page
    .getByLabel("835 files")
    .setInputFiles({ name: foreignName, mimeType: "application/edi-x12", buffer: Buffer.from(foreignText) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const foreignItem = page.getByRole("listitem").filter({ hasText: foreignName });
  await expect(foreignItem.getByTestId("import-status")).toHaveAttribute("data-status", "unconfirmed", { timeout: 60_000 });
  await expect(foreignItem.getByTestId("import-summary")).toHaveText("$349.99 paid on 2 claims; 2 claims are not ours: check the payee");
  await expect(foreignItem.getByRole("alert")).toContainText(
    "It pays KLAUS MEDICAL CENTER (NPI 1922164458, tax id 333333333), not this practice (NPI 1999999998, tax id 98-7654321).",
  );
  await expect(foreignItem.getByRole("alert")).toContainText("None of its 2 claims is one of ours.");
  await foreignItem.getByRole("button", { name: "Don't import it" }).click();
  await expect(foreignItem.getByTestId("import-status")).toHaveText("not imported: nothing written");
  expect(
    await query(
      `select j.id from "ImportJob" j join "Practice" p on p.id = j."practiceId" where p.slug = 'example' and j."fileName" = $1`,
      [foreignName],
    ),
  ).toEqual([]);

  // 2. The payer's file (its own trace number, so it is a new payment): imported, in words.
  // expected-remit-united-counts.json: 40 claims, $2,106.01; every claim is one of ours.
  const united = JSON.parse(fs.readFileSync(path.join(example, "expected-remit-united-counts.json"), "utf8")) as {
    claims: number;
    paidCents: number;
  };
  const unitedText = fs
    .readFileSync(path.join(example, "remit-united.835"), "utf8")
    .replace(/TRN\*1\*([^*~]+)/, (_m, t: string) => `TRN*1*${t}-${run}`);
  const unitedName = `remit-united-${run}.835`;
  await page.getByLabel("835 files").setInputFiles({ name: unitedName, mimeType: "application/edi-x12", buffer: Buffer.from(unitedText) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const unitedItem = page.getByRole("listitem").filter({ hasText: unitedName });
  await expect(unitedItem.getByTestId("import-status")).toHaveAttribute("data-status", "imported", { timeout: 60_000 });
  await expect(unitedItem.getByTestId("import-summary")).toHaveText(
    `${usd(united.paidCents)} paid on ${united.claims} claims, all matched to ours`,
  );
  await expect(page.getByText(/paidCents|matchedClaims|serviceLines/)).toHaveCount(0);

  // 3. The worklist. expected-underpayments-united.csv: the lines with a difference, and the largest.
  const expected = fs
    .readFileSync(path.join(example, "expected-underpayments-united.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .map(([claim, line, cpt, exp, allowed, variance]) => ({
      claim: claim!,
      line: Number(line),
      cpt: cpt!,
      expected: cents(exp!),
      allowed: cents(allowed!),
      variance: cents(variance!),
    }));
  const underpaid = expected.filter((l) => l.variance > 0);
  const largest = [...underpaid].sort((a, b) => b.variance - a.variance)[0]!;
  // CLM00496 line 1, 97530: expected 67.06, remit allowed 57.00, difference 10.06
  expect(largest).toMatchObject({ claim: "CLM00496", cpt: "97530", expected: 6706, allowed: 5700, variance: 1006 });
  const unitedTotal = underpaid.reduce((s, l) => s + l.variance, 0);

  await page.getByRole("link", { name: "Underpayments", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "Underpayments", exact: true })).toBeVisible();
  const row = page.getByTestId("underpayment-row").filter({ hasText: largest.claim }).filter({ hasText: largest.cpt });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell").nth(8)).toHaveText(usd(largest.variance));
  // appealed: asked first, then the row stays with its new status and an undo
  await row.getByRole("textbox").fill(`appeal ${run}`);
  await row.getByRole("button", { name: /appealed$/ }).click();
  await expect(row.getByText(`Mark this line appealed (${usd(largest.variance)})?`)).toBeVisible();
  await row.getByRole("button", { name: "Yes, mark appealed" }).click();
  await expect(row.getByTestId("underpayment-status")).toHaveText("appealed");
  await row.getByRole("button", { name: /^Undo / }).click();
  await row.getByRole("button", { name: "Yes, undo" }).click();
  await expect(row.getByTestId("underpayment-status")).toHaveText("open");
  await row.getByRole("textbox").fill(`appeal ${run}`);
  await row.getByRole("button", { name: /appealed$/ }).click();
  await row.getByRole("button", { name: "Yes, mark appealed" }).click();
  await expect(row.getByTestId("underpayment-status")).toHaveText("appealed");
  await row.getByText(/^History/).click();
  const history = row.getByRole("listitem");
  await expect(history.last()).toContainText(`open → appealed (“appeal ${run}”)`);
  const entries = (await history.allTextContents()).slice(-3);
  expect(entries[0]).toContain(`open → appealed (“appeal ${run}”)`);
  expect(entries[1]).toContain("appealed → open");
  expect(entries[2]).toContain(`open → appealed (“appeal ${run}”)`);
  const [line] = await query<{ status: string; note: string }>(
    `select rl."underpaymentStatus"::text as status, rl."statusNote" as note from "RemitLine" rl
     join "RemitClaim" rc on rc.id = rl."remitClaimId" join "Practice" p on p.id = rl."practiceId"
     where p.slug = 'example' and rc."patientControlNumber" = $1 and rl.cpt = $2 and rl."varianceCents" > 0`,
    [largest.claim, largest.cpt],
  );
  expect(line).toEqual({ status: "APPEALED", note: `appeal ${run}` });

  // 4. The payer's appeal letter
  await page.getByRole("link", { name: "United Example" }).first().click();
  await expect(page.getByRole("heading", { name: /Request for payment review/ })).toBeVisible();
  const sender = page.getByTestId("letter-sender");
  await expect(sender).toContainText("Example Therapy (fixture)");
  await expect(sender).toContainText("7 Example Avenue");
  await expect(sender).toContainText("NPI 1999999998");
  await expect(sender).toContainText("Tax id 98-7654321");
  // the payer's appeals address, entered from the letter (payer settings)
  const address = `Appeals Unit ${run}\nPO Box 30432\nSalt Lake City, UT 84130`;
  const addressForm = page.getByLabel("United Example's address for appeals");
  if (!(await addressForm.isVisible())) await page.getByText(/the payer's appeals address/).click();
  await addressForm.fill(address);
  await page.getByRole("button", { name: "Save the address" }).click();
  await expect(page.getByTestId("letter-recipient")).toContainText(`Appeals Unit ${run}`);
  await expect(page.getByTestId("letter-recipient")).toContainText("Salt Lake City, UT 84130");
  // every underpaid United line (open and appealed), and their total
  await expect(page.getByTestId("letter-line")).toHaveCount(underpaid.length);
  await expect(page.getByTestId("letter-total")).toHaveText(usd(unitedTotal));
  const letterLine = page.locator(`[data-testid="letter-line"][data-claim="${largest.claim}"][data-cpt="${largest.cpt}"]`);
  await expect(letterLine).toContainText("Test6 Example6"); // visits.csv: EX-006, first name Test6, last name Example6
  await expect(letterLine).toContainText("May 11, 2026");
  await expect(letterLine).toContainText("billed 97530 GP CQ ×2");
  await expect(letterLine).toContainText("110% of 2026 Medicare, NY locality 01");
  await expect(letterLine).toContainText("Medicare's multiple-procedure reduction");
  const cells = letterLine.getByRole("cell");
  await expect(cells.nth(5)).toHaveText(usd(largest.expected));
  await expect(cells.nth(6)).toHaveText(usd(largest.allowed));
  await expect(cells.nth(7)).toHaveText(usd(largest.variance));
  await expect(cells.nth(8)).toContainText("CO-45 (contractual obligation)");
  // each code's meaning once, after the table, not on every line that carries the code
  await expect(cells.nth(8)).not.toContainText("Charge exceeds");
  const meanings = page.getByTestId("letter-codes");
  await expect(meanings.locator("dt", { hasText: /^45$/ })).toHaveCount(1);
  await expect(meanings.locator("dt", { hasText: /^45$/ }).locator("xpath=following-sibling::dd[1]")).toContainText(
    "Charge exceeds fee schedule/maximum allowable",
  );
  await expect(page.getByText(/Charge exceeds fee schedule/)).toHaveCount(1);
  // words, not codes of the file or the database
  const text = ((await page.locator("article").textContent()) ?? "").toLowerCase();
  for (const word of ["medicare_pe_50", "cms units", "per_code", "paidcents", "svc0", "clp0", "amt*b6"]) expect(text).not.toContain(word);

  // printed: the print button prints, and the print layout drops the app around the letter
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed++;
    };
  });
  await page.getByRole("button", { name: "Print the letter" }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Save the address" })).toBeHidden();
  await expect(page.getByTestId("letter-total")).toBeVisible();
  const pdf = await page.pdf({ format: "Letter" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await page.emulateMedia({ media: "screen" });
  // and as a PDF file to attach to the payer's portal
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download as PDF" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^appeal-united-example-\d{4}-\d{2}-\d{2}\.pdf$/);
  expect(
    fs
      .readFileSync(await download.path())
      .subarray(0, 5)
      .toString(),
  ).toBe("%PDF-");

  // the loop: three pages, and not one document loaded after signing in
  expect(loads.pages.map((p) => p.replace(/\/\d+$/, "/:payer"))).toEqual(["/remits", "/underpayments", "/underpayments/letter/:payer"]);
  expect(loads.documents()).toBe(0);

  // usable from 360 px: the letter's table scrolls inside its box, the page does not
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.locator("article").evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);

  // back to open, so that the loop can be walked again on the same data (the undo is audited too)
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/underpayments?status=appealed");
  const appealed = page.getByTestId("underpayment-row").filter({ hasText: largest.claim }).filter({ hasText: largest.cpt });
  await appealed.getByRole("button", { name: /^Undo / }).click();
  await appealed.getByRole("button", { name: "Yes, undo" }).click();
  await expect(appealed.getByTestId("underpayment-status")).toHaveText("open");
});

test("a denial cause opens in place, GA/PR-119 lines are their own cause, a denied line is never underpaid", async ({ page }) => {
  // remit-medicare.835 by hand: its lines denied CARC 119 (CO group; none with GA or in the PR group)
  const medicare = segments(fs.readFileSync(path.join(example, "remit-medicare.835"), "utf8"));
  let deniedKx = 0;
  let inLine = false;
  for (const s of medicare) {
    if (s[0] === "SVC") inLine = true;
    else if (s[0] === "CLP") inLine = false;
    else if (s[0] === "CAS" && inLine && s[2] === "119") deniedKx++;
  }
  expect(deniedKx).toBeGreaterThan(0);

  await signIn(page, OTHER.MANAGER);
  await page.goto("/denials");
  const loads = loadCounter(page);
  const kxRow = page.locator("#cause-missing_kx");
  await expect(kxRow.getByRole("cell").nth(2)).toHaveText(String(deniedKx));
  await expect(page.locator("#cause-patient_liable").getByRole("cell").first()).toHaveText("Patient liable under ABN");
  await expect(page.locator("#cause-patient_liable").getByRole("cell").nth(2)).toHaveText("0");
  // scrolled down to the cause, then opened: the page stays where it is and the lines appear under it
  await kxRow.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 200));
  const before = await page.evaluate(() => window.scrollY);
  const rowTop = await kxRow.evaluate((el) => el.getBoundingClientRect().top);
  await kxRow.getByRole("link").click();
  await expect(page).toHaveURL(/cause=missing_kx/);
  const drill = page.getByRole("heading", { name: /^Missing KX \(therapy threshold\): \d+ line\(s\)/ });
  await expect(drill).toBeVisible();
  await expect(drill).toHaveText(`Missing KX (therapy threshold): ${deniedKx} line(s)`);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThanOrEqual(2);
  expect(Math.abs((await kxRow.evaluate((el) => el.getBoundingClientRect().top)) - rowTop)).toBeLessThanOrEqual(2);
  const drillTop = await drill.evaluate((el) => el.getBoundingClientRect().top);
  expect(drillTop).toBeGreaterThan(rowTop);
  expect(drillTop - rowTop).toBeLessThan(200);
  expect(loads.documents()).toBe(0);

  // the Medicare payment's page: a denied line carries its cause in words and no "underpaid"
  const [payment] = await query<{ id: number }>(
    `select rp.id from "RemitPayment" rp join "Practice" p on p.id = rp."practiceId"
     where p.slug = 'example' and rp."payerName" ilike '%medicare%' order by rp.id limit 1`,
  );
  await page.goto(`/remits/${payment!.id}`);
  const denied = page.getByRole("row").filter({ hasText: "denied: missing kx (therapy threshold)" });
  await expect(denied).toHaveCount(deniedKx);
  await expect(denied.filter({ hasText: "underpaid" })).toHaveCount(0);
});

test("a manager pages through the payments and the underpayment worklist: page 2 in the address, figures of the whole list", async ({
  page,
}) => {
  await signIn(page, DEMO.MANAGER);
  // the demo practice's payments, newest first (date, then id): page 2 starts at the 51st
  const payments = await query<{ trace: string }>(
    `select rp."traceNumber" as trace from "RemitPayment" rp join "Practice" p on p.id = rp."practiceId"
     where p.slug = 'demo' order by rp."paymentDate" desc nulls last, rp.id desc`,
  );
  expect(payments.length).toBeGreaterThan(50);
  const pages = Math.ceil(payments.length / 50);
  await page.goto("/remits");
  const nav = page.getByRole("navigation", { name: "Pages", exact: true });
  await expect(nav).toContainText(`Page 1 of ${pages} · ${payments.length} payments`);
  await nav.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/\/remits\?page=2$/);
  await expect(page.getByRole("navigation", { name: "Pages", exact: true })).toContainText(
    `Page 2 of ${pages} · ${payments.length} payments`,
  );
  const traces = await page.locator('table[aria-label="Payments"] tbody tr td:nth-child(3)').allInnerTexts();
  expect(traces.map((t) => t.trim())).toEqual(payments.slice(50, 100).map((p) => p.trace));

  // the worklist over every status: the heading's count and dollars are the whole list's, the
  // pager says the same count, page 2 goes on from where page 1 stopped (largest first)
  await page.goto("/underpayments?status=all");
  const heading = page.getByRole("heading", { name: /^Worklist:/ });
  const headingText = ((await heading.textContent()) ?? "").trim();
  const shownLines = Number(/Worklist: (\d+) line/.exec(headingText)?.[1]);
  expect(shownLines).toBeGreaterThan(50);
  const worklistPages = Math.ceil(shownLines / 50);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(`Page 1 of ${worklistPages} · ${shownLines} lines`);
  const underpaid = async () =>
    (await page.getByTestId("underpayment-row").locator("td:nth-child(9)").allInnerTexts()).map((t) => cents(t.replace(/[$,]/g, "")));
  const firstPage = await underpaid();
  expect(firstPage).toHaveLength(50);
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/status=all/);
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(`Page 2 of ${worklistPages} · ${shownLines} lines`);
  await expect(page.getByRole("heading", { name: /^Worklist:/ })).toHaveText(headingText);
  const secondPage = await underpaid();
  expect(secondPage.length).toBe(Math.min(50, shownLines - 50));
  expect(Math.max(...secondPage)).toBeLessThanOrEqual(Math.min(...firstPage));
});

test("a week of denials opens its lines from the by-week table and from the week × payer table, with the week's count", async ({
  page,
}) => {
  await signIn(page, DEMO.MANAGER);
  // the demo practice's denied lines by the Monday of their day (the remit's date of service, else
  // the visit's, else the payment's), a duplicate payment's denial counted once (DOMAIN.md §5)
  const weeks = await query<{ week: string; payer: string; lines: number }>(
    `select to_char(date_trunc('week', coalesce(rl."serviceDate", v."dateOfService", rp."paymentDate")), 'YYYY-MM-DD') as week,
            coalesce(py.name, rp."payerName") as payer, count(*)::int as lines
     from "RemitLine" rl join "RemitClaim" rc on rc.id = rl."remitClaimId" join "RemitPayment" rp on rp.id = rc."paymentId"
     join "Practice" pr on pr.id = rl."practiceId"
     left join "ServiceLine" s on s.id = rl."serviceLineId" left join "Visit" v on v.id = s."visitId"
     left join "Payer" py on py.id = coalesce(v."payerId", rp."payerId")
     where pr.slug = 'demo' and rl."denialCause" is not null and rl."netRole" not in ('duplicate', 'duplicate_reversed')
     group by 1, 2 order by 1, 2`,
  );
  // a week with denials well inside the default 52 weeks (not cut by the period's first or last day)
  const today = new Date().toISOString().slice(0, 10);
  const inside = weeks.filter((w) => w.week > addDays(today, -300) && w.week < addDays(today, -14));
  expect(inside.length).toBeGreaterThan(0);
  const { week, payer, lines: payerLines } = inside[0]!;
  const weekLines = inside.filter((w) => w.week === week).reduce((sum, w) => sum + w.lines, 0);
  const weekInWords = new Date(`${week}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });

  await page.goto("/denials");
  const byWeek = page
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: weekInWords, exact: true }) })
    .first();
  await expect(byWeek.getByRole("cell").nth(1)).toHaveText(String(weekLines));
  await byWeek.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`week=${week}`));
  await expect(page.getByRole("heading", { name: /^All causes, week of / })).toHaveText(
    `All causes, week of ${weekInWords}: ${weekLines} line(s)`,
  );

  // the same week of one payer, from the week × payer table (its pages in the address)
  await page.goto("/denials");
  await page.getByText("Week × payer").click();
  let row = page.locator("#week-payer tbody tr").filter({ hasText: weekInWords }).filter({ hasText: payer });
  while ((await row.count()) === 0) {
    await page.getByRole("navigation", { name: "The week × payer list, page by page" }).getByRole("link", { name: "Next →" }).click();
    row = page.locator("#week-payer tbody tr").filter({ hasText: weekInWords }).filter({ hasText: payer });
  }
  await expect(row.getByRole("cell").nth(2)).toHaveText(String(payerLines));
  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`week=${week}`));
  await expect(page.getByRole("heading", { name: /^All causes, week of / })).toHaveText(
    `All causes, week of ${weekInWords}, ${payer}: ${payerLines} line(s)`,
  );
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

test("an appeal letter of more lines than a part comes in parts: each says which of how many, links the others, and downloads as its own PDF", async ({
  page,
}) => {
  await signIn(page, DEMO.MANAGER);
  // the demo payer with the most open or appealed underpaid lines, in the letter's order (date of
  // service, our claim, line order): more than one part of 100 lines
  const [payer] = await query<{ id: number; name: string }>(
    `select py.id, py.name from "RemitLine" rl join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId"
     join "Payer" py on py.id = v."payerId" join "Practice" pr on pr.id = rl."practiceId"
     where pr.slug = 'demo' and rl."varianceCents" > 0 and rl."denialCause" is null and rl."underpaymentStatus" in ('OPEN', 'APPEALED')
     group by py.id, py.name order by count(*) desc limit 1`,
  );
  const lines = await query<{ claim: string | null; cpt: string; variance: number }>(
    `select c."patientControlNumber" as claim, rl.cpt, rl."varianceCents" as variance
     from "RemitLine" rl join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId"
     left join "Claim" c on c.id = v."claimId"
     where v."payerId" = $1 and rl."varianceCents" > 0 and rl."denialCause" is null and rl."underpaymentStatus" in ('OPEN', 'APPEALED')
     order by v."dateOfService", c."patientControlNumber", s."lineOrder", rl.id`,
    [payer!.id],
  );
  expect(lines.length).toBeGreaterThan(100);
  const parts = Math.ceil(lines.length / 100);
  const whole = lines.reduce((sum, l) => sum + l.variance, 0);
  const last = lines.slice((parts - 1) * 100);

  await page.goto(`/underpayments/letter/${payer!.id}`);
  await expect(page.getByTestId("letter-part")).toHaveText(
    `This is part 1 of ${parts} of our request, which covers ${lines.length} lines and ${usd(whole)} in all.`,
  );
  await expect(page.getByTestId("letter-line")).toHaveCount(100);
  const nav = page.getByRole("navigation", { name: "The letter's parts, page by page" });
  await expect(nav).toContainText(`Page 1 of ${parts} · ${lines.length} lines`);
  await nav.getByRole("link", { name: parts > 2 ? "Last »" : "Next →" }).click();
  await expect(page).toHaveURL(new RegExp(`/underpayments/letter/${payer!.id}\\?part=${parts}$`));
  await expect(page.getByTestId("letter-part")).toContainText(`This is part ${parts} of ${parts} of our request`);
  // the last part: its own lines in the letter's order, and its own total (the whole request's above)
  const shown = page.getByTestId("letter-line");
  await expect(shown).toHaveCount(last.length);
  expect(await shown.evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-claim")} ${r.getAttribute("data-cpt")}`))).toEqual(
    last.map((l) => `${l.claim ?? ""} ${l.cpt}`),
  );
  await expect(page.getByTestId("letter-total")).toHaveText(usd(last.reduce((sum, l) => sum + l.variance, 0)));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download this part as PDF" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`-part-${parts}-of-${parts}\\.pdf$`));
});
