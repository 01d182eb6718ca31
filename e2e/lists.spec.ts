// Lists paged on the server, with figures asserted against the database: a list's page 2 is in
// its address and counted by the database, and claims to fix shows the stored checks of its page.
// These assert the demo practice's figures, so they run in the flows lane (playwright.config.ts),
// one after another with the specs that change those figures, not beside them.
import { expect, test } from "@playwright/test";
import { DEMO, query, signIn } from "./helpers";

test("a list's page 2 is in its address, counted by the database, and a bad page number is a clear 400", async ({ page }, testInfo) => {
  await signIn(page, DEMO.BILLER);
  const [{ n: patients }] = await query<{ n: number }>(
    `select count(*)::int as n from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo'`,
  );
  // the demo practice's patients by last name, first name and id: the 51st to the 100th are page 2
  const secondPage = await query<{ name: string }>(
    `select p."lastName" || ', ' || p."firstName" as name from "Patient" p join "Practice" pr on pr.id = p."practiceId"
     where pr.slug = 'demo' order by p."lastName", p."firstName", p.id offset 50 limit 50`,
  );
  expect(patients).toBeGreaterThan(50);
  const pages = Math.ceil(patients / 50);
  await page.goto("/patients");
  const nav = page.getByRole("navigation", { name: "Pages" });
  await expect(nav).toContainText(`Page 1 of ${pages} · ${patients} patients`);
  await nav.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/\/patients\?page=2$/);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(`Page 2 of ${pages} · ${patients} patients`);
  const names = await page.locator('table[aria-label="Patients"] tbody tr td:first-child').allInnerTexts();
  expect(names.map((n) => n.trim())).toEqual(secondPage.map((r) => r.name));
  // usable on a 360 px phone: the pager wraps, the page never scrolls sideways
  for (const width of [360, 390, 1440]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const file = testInfo.outputPath(`patients-page-2-${width}.png`);
    await page.screenshot({ fullPage: true, path: file });
    await testInfo.attach(`patients-page-2-${width}.png`, { path: file, contentType: "image/png" });
  }
  // past the last page: said in words, with a way back
  await page.goto(`/patients?page=${pages + 3}`);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(
    `There is no page ${pages + 3}: the list has ${pages} pages (${patients} patients).`,
  );
  await page.getByRole("link", { name: `Go to page ${pages}` }).click();
  await expect(page).toHaveURL(new RegExp(`/patients\\?page=${pages}$`));
  // not a page number: a 400 naming the parameter, not a crash
  const bad = await page.request.get("/patients?page=0");
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("must be a page number from 1");
});

test("claims to fix: page 2 shows the stored checks of its 50 visits, each sentence on every visit that has it", async ({ page }) => {
  await signIn(page, DEMO.BILLER);
  // the demo practice's visits with an issue, newest first (date, then visit id), as stored by the checks
  const withIssues = await query<{ visit: string; issues: { severity: string; message: string }[] }>(
    `select v."externalId" as visit, c.issues from "VisitClaimCheck" c join "Visit" v on v.id = c."visitId"
     join "Practice" pr on pr.id = c."practiceId"
     where pr.slug = 'demo' and jsonb_array_length(c.issues) > 0 order by c."dateOfService" desc, c."visitId" desc`,
  );
  expect(withIssues.length).toBeGreaterThan(50);
  const secondPage = withIssues.slice(50, 100);
  // a sentence on several visits of the page (the same check on the same code and modifier): the
  // page's data names it once, and every visit still shows it
  const sentences = secondPage.flatMap((v) => v.issues.map((i) => i.message));
  expect(new Set(sentences).size).toBeLessThan(sentences.length);
  await page.goto("/claims-to-fix?page=2");
  await expect(page.getByText(/ visits with an issue\.$/)).toContainText(`${withIssues.length.toLocaleString("en-US")} of `);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(
    `Page 2 of ${Math.ceil(withIssues.length / 50)} · ${withIssues.length.toLocaleString("en-US")} visits`,
  );
  const cards = page.locator("main li.card");
  await expect(cards).toHaveCount(secondPage.length);
  for (const [i, visit] of secondPage.entries()) {
    const card = cards.nth(i);
    await expect(card.getByRole("link").first()).toContainText(`visit ${visit.visit}`);
    const shown = (await card.locator("ul li").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(shown).toEqual(visit.issues.map((issue) => expect.stringContaining(`· ${issue.message.replace(/\s+/g, " ")}`)));
    // the badge says what to do: Fix for an error, Check for a warning
    expect(shown.map((t) => t.split(" ")[0])).toEqual(visit.issues.map((issue) => (issue.severity === "error" ? "Fix" : "Check")));
  }
});
