// The owner's Monday review on the example practice (seeded from e2e/fixtures/example-practice
// with both of its 835 files): the review opens on the latest week with remits and names the
// newer weeks still awaiting them; the headline of money left on the table shows, to the cent,
// what the practice's files work out to; one figure opens the lines behind it. Two page loads.
import { expect, type Page, test } from "@playwright/test";
import { ownerExpected } from "./example-practice-expected";
import { OTHER, signIn } from "./helpers";

const usd = (cents: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);
const DAY = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** the Monday on or before a date */
const monday = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const month = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleString("en-US", { month: "short", timeZone: "UTC" });
const dayOf = (date: string) => Number(date.slice(8, 10));
/** "Sep 7 – 13, 2026" / "Aug 31 – Sep 6, 2026" */
function weekLabel(week: string): string {
  const end = addDays(week, 6);
  const right = month(week) === month(end) ? `${dayOf(end)}` : `${month(end)} ${dayOf(end)}`;
  return `${month(week)} ${dayOf(week)} – ${right}, ${end.slice(0, 4)}`;
}
/** "Jan 1, 2026" */
const dateText = (date: string) => `${month(date)} ${dayOf(date)}, ${date.slice(0, 4)}`;

async function figure(page: Page, period: string, id: string) {
  return page.locator(`[data-period="${period}"] [data-left="${id}"] dd a`);
}

test("the owner sees the money left on the table and opens the receivables unpaid after 90 days", async ({ page }) => {
  const e = ownerExpected();
  // the practice's time zone (America/New_York, seed) decides what "today" is
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date());
  const ytd = { from: `${today.slice(0, 4)}-01-01`, to: today };
  // the 13 service weeks ending with this week: Monday twelve weeks back … this week's Sunday
  const thisWeek = monday(today);
  const last13 = { from: addDays(thisWeek, -84), to: addDays(thisWeek, 6) };

  await signIn(page, OTHER.OWNER);
  await expect(page).toHaveURL(/\/revenue$/);
  // the pages the owner passes through: a history update that leaves the address as it was
  // (Next's router settling after the sign-in's redirect) is the same page, not another load
  const loads = [page.url()];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame() && frame.url() !== loads.at(-1)) loads.push(frame.url());
  });

  // the latest week with remits: the latest date of service an 835 answers (2026-09-13) lies
  // in the week of Monday 2026-09-07; the weeks after it with visits are awaiting remits
  const remitWeek = monday(e.latestRemitService);
  await expect(page.getByText(/· week of/)).toContainText(`week of ${weekLabel(remitWeek)}`);
  const pendingWeeks = [...new Set(e.visitDates.filter((d) => d > addDays(remitWeek, 6) && d <= addDays(thisWeek, 6)).map(monday))].sort();
  expect(pendingWeeks.length).toBeGreaterThan(0);
  const shortLabel = (w: string) => `${month(w)} ${dayOf(w)}`;
  await expect(page.getByTestId("pending-weeks")).toHaveText(`Newer weeks awaiting remits: ${pendingWeeks.map(shortLabel).join(", ")}.`);
  // this week has remits: its paid figure is a number, not "awaiting remits"
  await expect(page.locator('[data-kpi="paid"]')).not.toContainText("Awaiting remits");

  // the headline, year to date and 13 weeks, to the cent
  const heading = page.getByRole("heading", { name: "Money left on the table" });
  await expect(heading).toBeVisible();
  for (const [key, p] of [
    ["ytd", ytd],
    ["13w", last13],
  ] as const) {
    // underpaid: Σ (expected allowed − AMT*B6 allowed) of the 835 lines paid below expected;
    // year to date that is every underpaid line of the United file (expected-underpayments-united.csv)
    const underpaid = e.underpaid(p.from, p.to);
    await expect(await figure(page, key, "underpaid")).toHaveText(usd(underpaid.cents));
    // nothing of the example practice has been marked recovered
    await expect(await figure(page, key, "recovered")).toHaveText(usd(0));
    // Σ potential gain of expected-undercoding.csv's could_be_97530 lines served in the period
    await expect(await figure(page, key, "undercoding")).toHaveText(usd(e.undercodingCents(p.from, p.to)));
    // the CO-119 lines of remit-medicare.835 at their expected allowed (expected-visits-export.csv)
    const kx = e.kxDenied(p.from, p.to);
    await expect(await figure(page, key, "kx_denied")).toHaveText(usd(kx.cents));
    await expect(page.locator(`[data-period="${key}"] [data-left="kx_denied"]`)).toContainText(`${kx.lines} line`);
  }
  expect(e.underpaid(ytd.from, ytd.to).cents).toBe(e.underpaidUnitedCents);
  // the drill-downs carry the period's filters
  await expect(await figure(page, "ytd", "underpaid")).toHaveAttribute("href", `/underpayments?from=${ytd.from}&to=${ytd.to}&status=all`);
  await expect(await figure(page, "ytd", "kx_denied")).toHaveAttribute("href", `/denials?cause=missing_kx&from=${ytd.from}&to=${ytd.to}`);
  await expect(await figure(page, "13w", "undercoding")).toHaveAttribute("href", `/undercoding?week=${thisWeek}&weeks=13`);

  // open receivables over 90 days: lines with an expected allowed amount served more than 90
  // days ago whose claim no 835 settles (every CLP of both files has status 1: processed)
  const ar = e.arOver90(today);
  expect(ar.cents).toBeGreaterThan(0);
  const arLink = await figure(page, "today", "ar_over_90");
  await expect(arLink).toHaveText(usd(ar.cents));

  // the axis of the 13-week chart counts in round steps ($0, $5K, $10K …): 1, 2 or 5 × 10^k
  // (recharts 3 draws an axis's labels in a layer of their own: .recharts-yAxis-tick-labels)
  const tickLabels = page.locator(".recharts-yAxis-tick-labels").first().locator(".recharts-cartesian-axis-tick-value");
  await expect.poll(() => tickLabels.count()).toBeGreaterThanOrEqual(2);
  const ticks = await tickLabels.allTextContents();
  const values = ticks.map((t) => Number(t.trim().replace(/[$,]/g, "").replace(/K$/, "e3").replace(/M$/, "e6")));
  expect(values.length).toBeGreaterThanOrEqual(2);
  expect(values[0]).toBe(0);
  const step = values[1]! - values[0]!;
  expect([1, 2, 5]).toContain(step / 10 ** Math.floor(Math.log10(step)));
  expect(values).toEqual(values.map((_, i) => i * step));

  // one figure, opened: the lines behind it add up to it
  await arLink.click();
  await expect(page).toHaveURL(/\/revenue\/lines\?metric=open_ar&age=90$/);
  await expect(page.getByRole("heading", { name: /: the lines behind it$/ })).toBeVisible();
  await expect(page.locator("p", { hasText: `open today (${dateText(today)}), served more than 90 days ago` })).toBeVisible();
  await expect(
    page.locator("p", {
      hasText: `Open receivables today, served more than 90 days ago: ${usd(ar.cents)} over ${ar.lines.toLocaleString("en-US")} lines`,
    }),
  ).toBeVisible();
  // newest first: the first row is the newest open line older than 90 days (from the files)
  const newest = e
    .openLines(today)
    .filter((l) => l.age > 90)
    .reduce((a, b) => (a.age <= b.age ? a : b));
  await expect(page.locator("table.data tbody tr").first().locator("td").first()).toHaveText(dateText(newest.dos));

  // the loop: the review, then the lines behind one figure
  expect(loads.map((u) => new URL(u).pathname)).toEqual(["/revenue", "/revenue/lines"]);
});

test("a week without remits reads 'awaiting remits', never $0", async ({ page }) => {
  const e = ownerExpected();
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date());
  const remitWeek = monday(e.latestRemitService);
  // the first week after the latest remit with visits (visits.csv): no 835 answers any of its claims
  const pending = [...new Set(e.visitDates.filter((d) => d > addDays(remitWeek, 6) && d < monday(today)).map(monday))].sort()[0]!;
  await signIn(page, OTHER.OWNER);
  await page.goto(`/revenue?week=${pending}`);
  await expect(page.getByText(/· week of/)).toContainText(`week of ${weekLabel(pending)}`);
  await expect(page.getByRole("status").filter({ hasText: "No remit has arrived yet for the services of this week" })).toBeVisible();
  for (const key of ["paid", "denial_rate", "underpayment"]) {
    await expect(page.locator(`[data-kpi="${key}"] a`)).toHaveText("Awaiting remits");
  }
  // the 13-week table says so for this week instead of $0.00
  const table = page.locator("figure", { hasText: "Expected allowed vs paid, 13 weeks" });
  await table.getByText("The numbers").click();
  const shortLabel = `${month(pending)} ${dayOf(pending)}`;
  await expect(table.getByRole("row", { name: new RegExp(`^${shortLabel} `) })).toContainText("awaiting remits");
  await page.getByRole("link", { name: `the week of ${weekLabel(remitWeek)}` }).click();
  await expect(page.getByText(/· week of/)).toContainText(`week of ${weekLabel(remitWeek)}`);

  // on a 360 px phone the review, headline and charts included, never scrolls sideways
  await page.setViewportSize({ width: 360, height: 800 });
  await page.reload();
  await expect(page.getByRole("heading", { name: "Money left on the table" })).toBeVisible();
  await expect(page.locator('[data-period="ytd"] [data-left="underpaid"] dd a')).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
