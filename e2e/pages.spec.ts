// Every page of every role, on a phone (390×844) and a laptop (1440×900), as a person opens it:
// the page never scrolls sideways, the browser logs no error and no request fails, the axe
// accessibility checks pass, no visible text speaks X12 or code outside a "technical details"
// disclosure, and no link on the page leads the role to a page it may not open. A screenshot of
// each role's main page at both sizes is kept with the test's results.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO, query, signIn } from "./helpers";

type Role = keyof typeof DEMO;
const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "laptop", width: 1440, height: 900 },
] as const;

const LANDING: Record<Role, string> = { OWNER: "/revenue", BILLER: "/kx", MANAGER: "/remits", ADMIN: "/admin" };

/** Words of the 835 and of the code that a biller never reads on a screen (outside technical details). */
export const CODE_WORDS: { name: string; pattern: RegExp }[] = [
  { name: "sum sign", pattern: /Σ/ },
  { name: "X12 segment or element name", pattern: /\b(?:CLP|SVC|CAS|BPR|TRN|PLB|NM1|AMT|DTM|ISA|IEA|GS|GE|ST|SE|N1|REF)\d{0,2}\b/ },
  { name: "cents", pattern: /\bcents\b/i },
  { name: "snake_case word", pattern: /\b[A-Za-z]+_[A-Za-z0-9_]+\b/ },
  {
    name: "stored enum value",
    pattern:
      /\b(?:OWNER|BILLER|MANAGER|ADMIN|REMIT_835|PAPER_EOB|FEE_SCHEDULE|X12_835|PT_SLP|IMPORTED|REJECTED|DUPLICATE|RUNNING|SNOOZED|RESOLVED|MATCHED|UNMATCHED|VISITS|USAGE|CONTRACTS)\b/,
  },
];

/** The visible text of a page outside any element marked as technical details (data-technical). */
async function plainText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const hidden = [...document.querySelectorAll<HTMLElement>("[data-technical]")];
    const before = hidden.map((el) => el.style.display);
    for (const el of hidden) el.style.display = "none";
    const text = document.body.innerText;
    hidden.forEach((el, i) => {
      el.style.display = before[i] ?? "";
    });
    return text;
  });
}

export function codeWordsIn(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    for (const w of CODE_WORDS) {
      const m = w.pattern.exec(line);
      if (m) found.push(`${w.name}: "${m[0]}" in “${line.trim().slice(0, 120)}”`);
    }
  }
  return found;
}

async function pagesOf(role: Role): Promise<string[]> {
  const [patient] = await query<{ id: number }>(
    `select p.id from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by p.id limit 1`,
  );
  const [visit] = await query<{ id: number }>(
    `select v.id from "Visit" v join "Practice" pr on pr.id = v."practiceId" where pr.slug = 'demo' order by v.id limit 1`,
  );
  const [payment] = await query<{ id: number }>(
    `select r.id from "RemitPayment" r join "Practice" pr on pr.id = r."practiceId" where pr.slug = 'demo' order by r.id limit 1`,
  );
  const [contract] = await query<{ id: number; payerId: number }>(
    `select c.id, c."payerId" from "Contract" c join "Practice" pr on pr.id = c."practiceId" where pr.slug = 'demo' order by c.id limit 1`,
  );
  const all: Record<string, Role[]> = {
    "/revenue": ["OWNER", "MANAGER"],
    "/revenue/lines?metric=paid": ["OWNER", "MANAGER"],
    "/kx": ["OWNER", "BILLER", "MANAGER"],
    "/remits": ["OWNER", "BILLER", "MANAGER"],
    "/remits/new": ["MANAGER", "BILLER"],
    "/remits/unmatched": ["OWNER", "BILLER", "MANAGER"],
    [`/remits/${payment.id}`]: ["OWNER", "BILLER", "MANAGER"],
    "/underpayments": ["OWNER", "MANAGER", "BILLER"],
    [`/underpayments/letter/${contract.payerId}`]: ["MANAGER"],
    "/denials": ["OWNER", "BILLER", "MANAGER"],
    "/contracts": ["OWNER", "MANAGER", "BILLER"],
    [`/contracts/${contract.id}`]: ["OWNER", "MANAGER", "BILLER"],
    "/undercoding": ["OWNER", "MANAGER", "BILLER"],
    "/claims-to-fix": ["OWNER", "BILLER", "MANAGER"],
    "/patients": ["OWNER", "BILLER", "MANAGER", "ADMIN"],
    [`/patients/${patient.id}`]: ["OWNER", "BILLER", "MANAGER", "ADMIN"],
    [`/patients/${patient.id}/threshold`]: ["OWNER", "BILLER", "MANAGER"],
    [`/visits/${visit.id}`]: ["OWNER", "BILLER", "MANAGER", "ADMIN"],
    [`/visits/new?patient=${patient.id}`]: ["OWNER", "BILLER", "ADMIN"],
    "/imports": ["ADMIN", "BILLER", "MANAGER"],
    "/admin": ["ADMIN"],
    "/admin/reference": ["MANAGER", "ADMIN"],
    "/admin/ncci": ["MANAGER", "ADMIN"],
  };
  return Object.entries(all)
    .filter(([, roles]) => roles.includes(role))
    .map(([path]) => path);
}

async function signedInPage(browser: Browser, role: Role, size: (typeof SIZES)[number]) {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
  const page = await context.newPage();
  await signIn(page, DEMO[role]);
  return { context, page };
}

for (const role of Object.keys(DEMO) as Role[]) {
  for (const size of SIZES) {
    test(`${role.toLowerCase()}: every page at ${size.width}px`, async ({ browser }, testInfo) => {
      test.setTimeout(600_000);
      const { context, page } = await signedInPage(browser, role, size);
      const problems: string[] = [];
      let current = "";
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`${current}: console error: ${m.text().slice(0, 200)}`);
      });
      page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message.slice(0, 200)}`));
      page.on("requestfailed", (r) => problems.push(`${current}: request failed: ${r.url()} (${r.failure()?.errorText})`));
      page.on("response", (r) => {
        if (r.status() >= 400) problems.push(`${current}: ${r.status()} for ${new URL(r.url()).pathname}`);
      });
      const links = new Set<string>();
      for (const path of await pagesOf(role)) {
        current = path;
        const response = await page.goto(path, { waitUntil: "networkidle" });
        if ((response?.status() ?? 500) >= 400) {
          problems.push(`${path}: answers ${response?.status()}`);
          continue;
        }
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (widths.scroll > widths.inner) problems.push(`${path}: the page is ${widths.scroll}px wide in a ${widths.inner}px window`);
        for (const word of codeWordsIn(await plainText(page))) problems.push(`${path}: ${word}`);
        const axe = await new AxeBuilder({ page }).analyze();
        for (const v of axe.violations) problems.push(`${path}: accessibility: ${v.id} (${v.nodes.length}) ${v.help}`);
        for (const href of await page.$$eval("main a[href^='/'], nav a[href^='/']", (as) => as.map((a) => a.getAttribute("href") ?? ""))) {
          links.add(href.split("#")[0]);
        }
        if (path === LANDING[role]) {
          await testInfo.attach(`${role.toLowerCase()}-${size.name}.png`, {
            body: await page.screenshot({ fullPage: true }),
            contentType: "image/png",
          });
        }
      }
      // no link a role cannot open: every distinct page a link points to (one of each kind of
      // record) answers this role with a page, not a 403
      const seenShapes = new Set<string>();
      for (const href of links) {
        const shape = href.replace(/\d+/g, "N").split("?")[0];
        if (seenShapes.has(shape) || href.startsWith("/api/") || href.includes("/export")) continue;
        seenShapes.add(shape);
        const res = await page.request.get(href, { maxRedirects: 0 });
        if (res.status() === 403) problems.push(`a link to ${href} leads a ${role.toLowerCase()} to a page it may not open`);
      }
      await context.close();
      expect(problems, problems.join("\n")).toEqual([]);
    });
  }
}
