// Every page of every role, on a phone (390×844) and a laptop (1440×900), as a person opens it:
// the page never scrolls sideways, the browser logs no error and no request fails, the axe
// accessibility checks pass, no visible text speaks X12 or code outside a "technical details"
// disclosure ([data-technical]), and no link on the page leads the role to a page it may not
// open. A screenshot of each role's main page at both sizes is kept with the test's results.
//
// Each page is opened once, at the phone's size, and checked; the window is then widened to the
// laptop's size and the page checked again (overflow, visible words, axe), without reloading: the
// server renders the same HTML for both, and the layout follows the window (CSS, and the charts'
// ResizeObserver). A page counts as drawn when its load event has fired, the app's scroll-region
// pass has set data-regions-marked on <html> (components/scroll-regions.tsx, 500 ms after the page
// drew) and no request is in flight; before the next page, every request the page started has
// answered, so a failed request is still seen, without Playwright's "networkidle" (which waits for
// 500 ms of silence after the last link prefetch on every page).
//
// The pages are not listed here: they are read from app/**/page.tsx, each with the permission its
// guard asks for (`pageContext(...)`), so a page added on any branch is swept once it is merged.
// A page with a [param] is opened through the first link to it that the role meets on its other
// pages, else through a record of the demo practice (SAMPLES below).
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type Request, test } from "@playwright/test";
import {
  IMPORT_WRITE_PERMISSION,
  LANDING,
  LIST_READ_PERMISSION,
  PERMISSIONS,
  type Permission,
  ROLES,
  type RoleName,
} from "../lib/server/core/permissions";
import { codeWords, codeWordsIn, enumValuesOf } from "../lib/ui/vocabulary";
import { apiAs, appDrawn, BUSY, busyKxCounts, DEMO, query, signIn } from "./helpers";

const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "laptop", width: 1440, height: 900 },
] as const;

const root = path.resolve(import.meta.dirname, "..");
const WORDS = codeWords(enumValuesOf(fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8")));

/**
 * Pages outside the guarded app (app/(app)): who sees them. "signed-out" pages are swept signed
 * out; "no-second-factor" pages by the roles the demo seeds without a second factor; "skip" pages
 * only redirect or belong to a step of signing in that the sign-in tests walk through.
 */
const OUTSIDE: Record<string, "signed-out" | "no-second-factor" | "skip"> = {
  "/": "skip", // redirects to the role's landing page
  "/signin": "signed-out",
  "/second-factor": "skip", // the code step of signing in (e2e/sessions.spec.ts, helpers.signIn)
  "/second-factor/enrol": "no-second-factor",
  "/invite/[token]": "signed-out",
};

/** A record of the demo practice for a [param] page that no page of the role links to. */
const SAMPLES: Record<string, () => Promise<string | undefined>> = {
  "/patients/[id]": async () => first(`select p.id::text as v from "Patient" p ${demo("p")} order by p.id limit 1`),
  "/patients/[id]/threshold": async () =>
    first(`select p.id::text as v from "Patient" p ${demo("p")} order by p.id limit 1`).then((id) => `${id}/threshold`),
  "/visits/[id]": async () => first(`select v.id::text as v from "Visit" v ${demo("v")} order by v.id limit 1`),
  "/remits/[id]": async () => first(`select r.id::text as v from "RemitPayment" r ${demo("r")} order by r.id limit 1`),
  "/contracts/[id]": async () => first(`select c.id::text as v from "Contract" c ${demo("c")} order by c.id limit 1`),
  "/underpayments/letter/[payerId]": async () =>
    first(`select c."payerId"::text as v from "Contract" c ${demo("c")} order by c.id limit 1`),
  "/invite/[token]": async () => "not-a-real-invitation-token-not-a-real-invitation-token",
};
const demo = (t: string) => `join "Practice" pr on pr.id = ${t}."practiceId" and pr.slug = 'demo'`;
async function first(sql: string): Promise<string | undefined> {
  return (await query<{ v: string }>(sql))[0]?.v;
}

interface Route {
  /** "/remits/[id]" */
  route: string;
  regex: RegExp;
  who: RoleName[] | "signed-out" | "no-second-factor" | "skip";
}

function pageFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith("_") || e.name === "api" ? [] : pageFiles(full);
    return e.name === "page.tsx" ? [full] : [];
  });
}

/** The permission a guarded page asks for: `pageContext("x.read")`, `pageContext(LIST_READ_PERMISSION.x)`… */
function permissionOf(file: string): Permission {
  const source = fs.readFileSync(file, "utf8");
  const arg = /pageContext\(\s*([^)]*?)\s*\)/.exec(source)?.[1];
  const tables: Record<string, Record<string, Permission>> = { LIST_READ_PERMISSION, IMPORT_WRITE_PERMISSION };
  const literal = arg && /^["']([\w.]+)["']$/.exec(arg);
  const member = arg && /^(\w+)(?:\.(\w+)|\[["']([\w-]+)["']\])$/.exec(arg);
  const permission = literal ? literal[1] : member ? tables[member[1] ?? ""]?.[member[2] ?? member[3] ?? ""] : undefined;
  if (!permission || !(permission in PERMISSIONS)) {
    throw new Error(`${path.relative(root, file)}: cannot tell which roles open it (no pageContext("…") with a known permission)`);
  }
  return permission as Permission;
}

function allRoutes(): Route[] {
  const appDir = path.join(root, "app");
  return pageFiles(appDir)
    .map((file) => {
      const segments = path.relative(appDir, path.dirname(file)).split(path.sep).filter(Boolean);
      const guarded = segments[0] === "(app)";
      const route = `/${segments.filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
      const regex = new RegExp(`^${route.replace(/\[[^\]]+\]/g, "[^/?#]+")}(?:\\?.*)?$`);
      const outside = OUTSIDE[route];
      if (!guarded && !outside) throw new Error(`${route}: a page outside app/(app); say in OUTSIDE who sees it`);
      const who: Route["who"] = guarded ? [...PERMISSIONS[permissionOf(file)]] : (outside as Route["who"]);
      return { route, regex, who };
    })
    .sort((a, b) => a.route.split("/").length - b.route.split("/").length || a.route.localeCompare(b.route));
}

const ROUTES = allRoutes();

/**
 * The visible text of a page outside any element marked as technical details (data-technical),
 * one line per text node (so that two neighbouring elements, such as a chart's legend entries,
 * never read as one word); the options of a visible select count as visible.
 */
async function plainText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent || parent.closest("[data-technical], script, style, noscript, template")) continue;
      const select = parent.closest("select");
      const shown = select ? select.checkVisibility() : parent.checkVisibility({ visibilityProperty: true });
      if (shown) lines.push(text.replace(/\s+/g, " "));
    }
    return lines.join("\n");
  });
}

/** Watches a page for console errors, page errors, failed requests and error answers; counts the requests in flight. */
function watch(page: Page, problems: string[]) {
  const at = { path: "", inFlight: new Set<Request>() };
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${at.path}: console error: ${m.text().slice(0, 200)}`);
  });
  page.on("pageerror", (e) => problems.push(`${at.path}: page error: ${e.message.slice(0, 200)}`));
  page.on("request", (r) => at.inFlight.add(r));
  page.on("requestfinished", (r) => at.inFlight.delete(r));
  page.on("requestfailed", (r) => {
    at.inFlight.delete(r);
    // a prefetch or a request cut short because the sweep moved on to the next page is no failure
    if (r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`${at.path}: request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${at.path}: ${r.status()} for ${new URL(r.url()).pathname}`);
  });
  return at;
}

type Watch = ReturnType<typeof watch>;

/** Waits until every request the page has started has answered (or failed: watch() notes it). */
async function requestsSettled(page: Page, at: Watch, problems: string[]) {
  const until = Date.now() + 30_000;
  while (at.inFlight.size > 0 && Date.now() < until) await page.waitForTimeout(20);
  for (const r of at.inFlight) problems.push(`${at.path}: no answer within 30 s to ${new URL(r.url()).pathname}`);
  at.inFlight.clear();
}

/** After the window changed size: the resize handlers and the charts' ResizeObservers have run and drawn. */
async function redrawn(page: Page) {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))),
  );
}

/** The checks of one page at the window's present size. */
async function check(page: Page, where: string, problems: string[]) {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  if (widths.scroll > widths.inner) problems.push(`${where}: the page is ${widths.scroll}px wide in a ${widths.inner}px window`);
  for (const word of codeWordsIn(await plainText(page), WORDS)) problems.push(`${where}: ${word}`);
  const axe = await new AxeBuilder({ page }).analyze();
  for (const v of axe.violations) {
    const where2 = v.nodes
      .slice(0, 2)
      .map((n) => n.target.join(" "))
      .join(", ");
    problems.push(`${where}: accessibility: ${v.id} (${v.nodes.length}: ${where2}) ${v.help}`);
  }
}

/**
 * Opens a page at the phone's size, checks it, widens the window to the laptop's size and checks it
 * again (calling `atSize` at each, e.g. for a screenshot); returns the links on it. `inApp`: a page
 * of app/(app), drawn inside the app's layout.
 */
async function sweep(
  page: Page,
  href: string,
  at: Watch,
  problems: string[],
  inApp: boolean,
  atSize: (size: (typeof SIZES)[number]) => Promise<void> = async () => {},
): Promise<string[]> {
  at.path = href;
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  const response = await page.goto(href, { waitUntil: "load" });
  if ((response?.status() ?? 500) >= 400) {
    problems.push(`${href}: answers ${response?.status()}`);
    return [];
  }
  // the app's pages (app/(app)) are drawn once their scroll regions are marked; the pages outside
  // it (sign-in, invitation, enrolment) have no scroll region and are drawn on load
  if (inApp) {
    await appDrawn(page);
  }
  await requestsSettled(page, at, problems);
  for (const [i, size] of SIZES.entries()) {
    if (i > 0) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await redrawn(page);
    }
    await check(page, `${href} at ${size.width}px`, problems);
    await atSize(size);
  }
  const links = await page.$$eval("a[href^='/']", (as) => as.map((a) => (a.getAttribute("href") ?? "").split("#")[0] ?? ""));
  await requestsSettled(page, at, problems);
  return links;
}

/** The page an href opens: "/remits/unmatched" is its own page, not a remit with the id "unmatched". */
function routeOf(href: string): Route | undefined {
  const dynamicSegments = (r: Route) => (r.route.match(/\[/g) ?? []).length;
  return ROUTES.filter((r) => r.regex.test(href)).sort((a, b) => dynamicSegments(a) - dynamicSegments(b))[0];
}

/** The href to open for a route: a link met on the way (with its query), else the route itself or a sample record. */
async function hrefFor(r: Route, links: Set<string>): Promise<string | undefined> {
  const linked = [...links].find((l) => routeOf(l) === r);
  if (linked) return linked;
  if (!r.route.includes("[")) return r.route;
  const sample = await SAMPLES[r.route]?.();
  return sample === undefined ? undefined : r.route.replace(/\/\[[^\]]+\](?:\/.*)?$/, `/${sample}`);
}

test("the sweep knows every page: each guarded page names its permission, each [param] page has a way in", () => {
  // allRoutes() threw already if a page's roles cannot be told; here: the pages of this app are found
  const routes = ROUTES.map((r) => r.route);
  for (const known of ["/revenue", "/kx", "/remits/[id]", "/admin", "/second-factor/enrol", "/signin"]) expect(routes).toContain(known);
  for (const r of ROUTES) {
    if (r.route.includes("[") && r.who !== "skip") expect(SAMPLES[r.route], `${r.route} needs a sample record`).toBeDefined();
  }
});

for (const role of ROLES) {
  test(`${role.toLowerCase()}: every page at ${SIZES.map((s) => `${s.width}px`).join(" and ")}`, async ({ browser }, testInfo) => {
    test.setTimeout(900_000);
    const context = await browser.newContext({ viewport: { width: SIZES[0].width, height: SIZES[0].height } });
    const page = await context.newPage();
    await signIn(page, DEMO[role]);
    const [user] = await query<{ enrolled: boolean }>(`select "totpEnabledAt" is not null as enrolled from "User" where email = $1`, [
      DEMO[role],
    ]);
    const problems: string[] = [];
    const at = watch(page, problems);
    const links = new Set<string>();
    const mine = ROUTES.filter((r) => (Array.isArray(r.who) ? r.who.includes(role) : r.who === "no-second-factor" && !user?.enrolled));
    expect(mine.map((r) => r.route)).toContain(LANDING[role]);
    const visited: string[] = [];
    for (const r of mine) {
      const href = await hrefFor(r, links);
      if (!href) {
        problems.push(`${r.route}: no link to it on this role's pages and no sample record`);
        continue;
      }
      visited.push(href);
      const screenshot = async (size: (typeof SIZES)[number]) => {
        if (r.route !== LANDING[role]) return;
        // kept on disk in test-results/ (the list reporter keeps no attachment bodies)
        const name = `${role.toLowerCase()}-${size.name}.png`;
        const file = testInfo.outputPath(name);
        await page.screenshot({ fullPage: true, path: file });
        await testInfo.attach(name, { path: file, contentType: "image/png" });
      };
      for (const l of await sweep(page, href, at, problems, Array.isArray(r.who), screenshot)) links.add(l);
    }
    testInfo.annotations.push({ type: "pages", description: visited.join(" ") });
    console.log(`${role.toLowerCase()} opened ${visited.length} pages: ${visited.join(" ")}`);
    // no link a role cannot open: every distinct page a link points to (one of each kind of
    // record) answers this role with a page, not a 403
    const seenShapes = new Set<string>();
    for (const href of links) {
      const shape = href.replace(/\d+/g, "N").split("?")[0] ?? href;
      if (seenShapes.has(shape) || href.startsWith("/api/")) continue;
      seenShapes.add(shape);
      const res = await page.request.get(href, { maxRedirects: 0 });
      if (res.status() === 403) problems.push(`a link to ${href} leads a ${role.toLowerCase()} to a page it may not open`);
    }
    await context.close();
    expect(problems, problems.join("\n")).toEqual([]);
  });
}

test(`signed out: every public page at ${SIZES.map((s) => `${s.width}px`).join(" and ")}`, async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: SIZES[0].width, height: SIZES[0].height } });
  const page = await context.newPage();
  const problems: string[] = [];
  const at = watch(page, problems);
  const visited: string[] = [];
  for (const r of ROUTES.filter((x) => x.who === "signed-out")) {
    const href = await hrefFor(r, new Set());
    if (!href) continue;
    visited.push(href);
    await sweep(page, href, at, problems, false);
  }
  expect(visited.length).toBeGreaterThan(0);
  await context.close();
  expect(problems, problems.join("\n")).toEqual([]);
});

// Lists are served a page at a time (50 rows, the page number in the URL, counts from the
// database): no list page sends more than 150 KB of HTML, even over the widest period a user can
// choose (two years up to today, MAX_RANGE_DAYS), and page 2 is one click away with its figures.
const HTML_LIMIT_BYTES = 150 * 1024;
function widestRange(): string {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 731 * 86_400_000).toISOString().slice(0, 10);
  return `from=${from}&to=${to}`;
}
const LIST_PAGES: Record<RoleName, string[]> = {
  BILLER: [
    "/kx",
    "/kx?status=resolved",
    "/kx?view=rebill",
    "/claims-to-fix",
    `/claims-to-fix?${widestRange()}`,
    "/patients",
    "/patients?page=2",
  ],
  MANAGER: [
    "/remits",
    "/remits?page=2",
    "/remits/unmatched",
    `/denials?${widestRange()}`,
    `/denials?${widestRange()}&cause=modifier`,
    `/denials?${widestRange()}&cause=missing_kx`,
    `/underpayments?${widestRange()}&status=all`,
    `/underpayments?${widestRange()}&status=all&page=2`,
    "/contracts",
  ],
  OWNER: ["/revenue/lines?metric=charges&weeks=13", "/undercoding?weeks=52", "/undercoding?weeks=52&page=2"],
  ADMIN: ["/imports", "/imports?page=2", "/admin", "/admin/ncci", "/admin/reference"],
};

// The KX queue shows 50 patient pools and the first lines to rebill; the whole list of lines to
// rebill is a view of its own, 50 lines a page (two lists of 50 rows on one page weighed 192 KB at
// 2,000 patients). The demo's queue does not fill a page: the busy practice's does.
test("the KX queue and its lines to rebill stay under 150 KB with every list full", async ({ baseURL }) => {
  const counts = await busyKxCounts();
  // more than a page of each, so each page below is full
  expect(counts.pools).toBeGreaterThan(50);
  expect(counts.lines).toBeGreaterThan(50);
  const api = await apiAs(baseURL!, BUSY.BILLER);
  const rows = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;
  const queue = await api.get("/kx", { maxRedirects: 0 });
  expect(queue.status()).toBe(200);
  const queueHtml = (await queue.body()).toString();
  // 50 patient pools, the first 10 lines to rebill and the way to the rest
  expect(rows(queueHtml, /<tr data-work="\d+" data-item-id=/g)).toBe(50);
  expect(rows(queueHtml, /<tr data-line-id=/g)).toBe(10);
  expect(queueHtml).toContain(`See all ${counts.lines} lines to rebill, 50 a page`);
  expect(Buffer.byteLength(queueHtml), `/kx: ${Buffer.byteLength(queueHtml)} bytes`).toBeLessThanOrEqual(HTML_LIMIT_BYTES);
  const rebill = await api.get("/kx?view=rebill", { maxRedirects: 0 });
  expect(rebill.status()).toBe(200);
  const rebillHtml = (await rebill.body()).toString();
  expect(rows(rebillHtml, /<tr data-line-id=/g)).toBe(50);
  expect(rows(rebillHtml, /<tr data-work=/g)).toBe(0);
  expect(Buffer.byteLength(rebillHtml), `/kx?view=rebill: ${Buffer.byteLength(rebillHtml)} bytes`).toBeLessThanOrEqual(HTML_LIMIT_BYTES);
  console.log(
    `/kx ${(Buffer.byteLength(queueHtml) / 1024).toFixed(1)} KB, /kx?view=rebill ${(Buffer.byteLength(rebillHtml) / 1024).toFixed(1)} KB`,
  );
  await api.dispose();
});

/** The demo practice's payment with the most claims and the appeal letter of the payer with the most lines to appeal. */
async function largestRecordPages(): Promise<string[]> {
  const [payment] = await query<{ id: number }>(
    `select rc."paymentId" as id from "RemitClaim" rc join "Practice" pr on pr.id = rc."practiceId" where pr.slug = 'demo'
     group by 1 order by count(*) desc limit 1`,
  );
  const [payer] = await query<{ id: number }>(
    `select v."payerId" as id from "RemitLine" rl join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId"
     join "Practice" pr on pr.id = rl."practiceId"
     where pr.slug = 'demo' and rl."varianceCents" > 0 and rl."denialCause" is null and rl."underpaymentStatus" in ('OPEN', 'APPEALED')
     group by 1 order by count(*) desc limit 1`,
  );
  return [`/remits/${payment!.id}`, `/underpayments/letter/${payer!.id}`];
}

for (const role of ROLES) {
  test(`${role.toLowerCase()}: every list page sends at most 150 KB of HTML at the widest period`, async ({ baseURL }) => {
    const api = await apiAs(baseURL!, DEMO[role]);
    const sizes: string[] = [];
    for (const path of [...LIST_PAGES[role], ...(role === "MANAGER" ? await largestRecordPages() : [])]) {
      const res = await api.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(200);
      const bytes = (await res.body()).length;
      sizes.push(`${path} ${(bytes / 1024).toFixed(1)} KB`);
      expect(bytes, `${path}: ${bytes} bytes of HTML`).toBeLessThanOrEqual(HTML_LIMIT_BYTES);
    }
    console.log(sizes.join("\n"));
    await api.dispose();
  });
}
