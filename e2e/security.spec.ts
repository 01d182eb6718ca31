// The attack surface over HTTP, against next start: every route and page without a session,
// practices kept apart for every page and action that takes an id, cross-site requests
// refused (server actions, route handlers, next-auth's sign-in), the security headers and a
// Content-Security-Policy the app itself never violates, and sign-in throttling (more in sign-in.spec.ts).
import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { navFor } from "../lib/server/core/navigation";
import { ROLES } from "../lib/server/core/permissions";
import { apiAs, appDrawn, DEMO, OTHER, PASSWORD, query, signIn } from "./helpers";

const FOREIGN = "https://evil.example";

// --- the app's files: what exists is what gets tested ------------------------------------

function filesUnder(dir: string, name: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p, name) : name.test(d.name) ? [p] : [];
  });
}

/** "app/(app)/patients/[id]/threshold/page.tsx" → "/patients/{id}/threshold" */
function urlOf(file: string): string {
  const rel = path.relative("app", path.dirname(file)).split(path.sep);
  const parts = rel.filter((s) => s !== "" && !/^\(.*\)$/.test(s)).map((s) => s.replace(/^\[(?:\.\.\.)?([^\]]+)\]$/, "{$1}"));
  return `/${parts.join("/")}`;
}

function fill(url: string, values: Record<string, string | number>): string {
  return url.replace(/\{([^}]+)\}/g, (_, name: string) => String(values[name] ?? 1));
}

const routes = filesUnder("app", /^route\.ts$/)
  .filter((f) => !f.includes(`${path.sep}auth${path.sep}`))
  // the load balancer's health check: public on purpose, answers no practice data (own test below)
  .filter((f) => !f.includes(`${path.sep}api${path.sep}health${path.sep}`))
  .flatMap((f) => {
    const src = fs.readFileSync(f, "utf8");
    return ["GET", "POST", "PUT", "PATCH", "DELETE"]
      .filter((m) => new RegExp(`export (const|async function) ${m}\\b`).test(src))
      .map((method) => ({ method, url: urlOf(f) }));
  });
/** The pages open without a session, on purpose: signing in, and accepting an invitation (its token is the permission). */
const PUBLIC_PAGES = ["/signin", "/invite/{token}"];
const pages = filesUnder("app", /^page\.tsx$/)
  .map(urlOf)
  .filter((u) => u !== "/" && !PUBLIC_PAGES.includes(u));

// --- server actions over HTTP, as the browser calls them ----------------------------------

interface ActionRef {
  id: string;
  /** the page whose bundle holds the action, e.g. "/patients/{id}/threshold" */
  page: string;
}

/** The action's id and a page that uses it (the one whose path contains `prefer`, when several do). */
function actionRef(file: string, exportName: string, prefer?: string): ActionRef {
  const manifestFile = path.join(process.env.NEXT_DIST_DIR ?? ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename === file && entry.exportedName === exportName) {
      const workers = Object.keys(entry.workers);
      const worker = (prefer && workers.find((w) => w.includes(prefer))) || workers[0]!;
      return { id, page: urlOf(`${worker}.tsx`) };
    }
  }
  throw new Error(`no server action ${file}#${exportName} in ${manifestFile}`);
}

/** Posts a server action; returns the HTTP status and the action's result (null when none). */
async function callAction(api: APIRequestContext, ref: ActionRef, url: string, input: unknown, origin: string | null) {
  const headers: Record<string, string> = { "Next-Action": ref.id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" };
  if (origin) headers.Origin = origin;
  const res = await api.post(url, { headers, data: JSON.stringify([input]), maxRedirects: 0 });
  const text = await res.text();
  const line = text.split("\n").find((l) => l.startsWith("1:{"));
  let result: { ok?: boolean; status?: number; error?: string } | null = null;
  try {
    result = line ? JSON.parse(line.slice(2)) : null;
  } catch {
    result = null;
  }
  return { status: res.status(), result };
}

async function demoIds() {
  const one = async (sql: string) => (await query<{ id: number }>(sql))[0]?.id;
  const inDemo = (table: string, extra = "") =>
    one(`select t.id from "${table}" t join "Practice" p on p.id = t."practiceId" where p.slug = 'demo' ${extra} order by t.id limit 1`);
  return {
    patient: await inDemo("Patient"),
    visit: await inDemo("Visit"),
    remit: await inDemo("RemitPayment"),
    contract: await inDemo("Contract"),
    payer: await inDemo(
      "Payer",
      `and exists (select 1 from "RemitLine" l join "ServiceLine" s on s.id = l."serviceLineId" join "Visit" v on v.id = s."visitId" where v."payerId" = t.id and l."varianceCents" > 0)`,
    ),
  };
}

// --- tests --------------------------------------------------------------------------------

test("GET /api/health answers without a session: database reachable, migrations current, no practice data", async ({ baseURL }) => {
  const anon = await playwrightRequest.newContext({ baseURL });
  const res = await anon.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(await res.json()).toEqual({ ok: true, database: "reachable", migrations: "current", pending: [] });
  await anon.dispose();
});

test("without a session every route answers 401 and every page sends to sign-in", async ({ baseURL }) => {
  expect(routes.length).toBeGreaterThan(0);
  expect(pages.length).toBeGreaterThan(5);
  const anon = await playwrightRequest.newContext({ baseURL });
  const wrong: string[] = [];
  for (const r of routes) {
    const url = fill(r.url, { kind: "visits" });
    const res = await anon.fetch(url, {
      method: r.method,
      maxRedirects: 0,
      ...(r.method === "GET" ? {} : { multipart: { dryRun: "true" } }),
    });
    if (res.status() !== 401) wrong.push(`${r.method} ${url}: ${res.status()}`);
    else expect((await res.json()).error).toBeTruthy();
  }
  for (const p of pages) {
    const url = fill(p, {});
    const res = await anon.get(url, { maxRedirects: 0 });
    const location = res.headers().location ?? "";
    if (![302, 303, 307, 308].includes(res.status()) || !location.includes("/signin"))
      wrong.push(`GET ${url}: ${res.status()} ${location}`);
  }
  await anon.dispose();
  expect(wrong).toEqual([]);
});

test("a user of another practice gets 404 for this practice's ids, on every page and action that takes one", async ({ baseURL }) => {
  const ids = await demoIds();
  expect(ids.patient && ids.visit && ids.remit && ids.contract && ids.payer).toBeTruthy();
  const values = { id: 0, payerId: ids.payer! };
  const idPages = pages.filter((p) => p.includes("{"));
  expect(idPages.length).toBeGreaterThan(0);
  const idOf: Record<string, number> = {
    "/patients/{id}": ids.patient!,
    "/patients/{id}/threshold": ids.patient!,
    "/visits/{id}": ids.visit!,
    "/remits/{id}": ids.remit!,
    "/contracts/{id}": ids.contract!,
    "/underpayments/letter/{payerId}": ids.payer!,
  };
  const unknown = idPages.filter((p) => !(p in idOf));
  expect(unknown, "a page takes an id: add it to idOf with an id of the demo practice").toEqual([]);
  const own = await apiAs(baseURL!, DEMO.OWNER);
  const stranger = await apiAs(baseURL!, OTHER.OWNER);
  const wrong: string[] = [];
  for (const p of idPages) {
    const url = fill(p, { ...values, id: idOf[p]!, payerId: idOf[p]! });
    const mine = (await own.get(url, { maxRedirects: 0 })).status();
    const theirs = (await stranger.get(url, { maxRedirects: 0 })).status();
    // ids the address bar cannot hold are missing records too (not a database error)
    const huge = (await own.get(fill(p, { id: "99999999999", payerId: "99999999999" }), { maxRedirects: 0 })).status();
    if (mine !== 200) wrong.push(`own ${url}: ${mine}`);
    if (theirs !== 404) wrong.push(`other practice ${url}: ${theirs}`);
    if (huge !== 404) wrong.push(`own ${p} with id 99999999999: ${huge}`);
  }
  // a server action over HTTP with this practice's patient
  // the threshold page takes the patient's id in its path (the queue page uses the same actions)
  const ref = actionRef("app/(app)/kx/actions.ts", "saveUsedElsewhereAction", "threshold");
  const strangerBiller = await apiAs(baseURL!, OTHER.BILLER);
  const url = fill(ref.page, { id: ids.patient! });
  const input = {
    patientId: ids.patient,
    year: 2026,
    pool: "PT_SLP",
    amount: "1.00",
    source: "MAC portal",
    asOf: new Date().toISOString().slice(0, 10),
  };
  const answer = await callAction(strangerBiller, ref, url, input, baseURL!);
  expect(answer.status).toBe(200);
  expect(answer.result).toMatchObject({ ok: false, status: 404 });
  // an export never carries another practice's patients
  const [demoPatient] = await query<{ lastName: string; externalId: string }>(
    `select "lastName", "externalId" from "Patient" where id = $1`,
    [ids.patient],
  );
  const visits = await (await strangerBiller.get("/api/exports/visits?format=csv")).text();
  expect(visits).not.toContain(demoPatient!.externalId);
  await Promise.all([own.dispose(), stranger.dispose(), strangerBiller.dispose()]);
  expect(wrong).toEqual([]);
});

test("a server action posted from another site is refused; from the app's own pages it runs", async ({ baseURL }) => {
  const ref = actionRef("app/(app)/admin/actions.ts", "updateSettingsAction");
  const [practice] = await query<{ id: number; name: string; medicareLocality: string; timeZone: string; alertLevelCents: number }>(
    `select id, name, "medicareLocality", "timeZone", "alertLevelCents" from "Practice" where slug = 'demo'`,
  );
  // the settings as they are: saving them changes nothing but the audit trail
  const input = {
    name: practice!.name,
    medicareLocality: practice!.medicareLocality,
    timeZone: practice!.timeZone,
    alertLevelDollars: practice!.alertLevelCents / 100,
  };
  const audits = async () =>
    Number(
      (
        await query<{ n: string }>(
          `select count(*) as n from "AuditEvent" where "practiceId" = $1 and action = 'practice.update_settings'`,
          [practice!.id],
        )
      )[0]!.n,
    );
  const admin = await apiAs(baseURL!, DEMO.ADMIN);
  const before = await audits();
  for (const origin of [FOREIGN, "null", "http://127.0.0.1.evil.example"]) {
    const refused = await callAction(admin, ref, ref.page, input, origin);
    expect(refused.status, `Origin ${origin}`).toBe(500);
    expect(refused.result?.ok).not.toBe(true);
  }
  expect(await audits()).toBe(before);
  const accepted = await callAction(admin, ref, ref.page, input, new URL(baseURL!).origin);
  expect(accepted.result).toMatchObject({ ok: true });
  expect(await audits()).toBe(before + 1);
  await admin.dispose();
});

test("a route handler refuses a cross-site POST", async ({ baseURL }) => {
  const [patient] = await query<{ externalId: string }>(
    `select p."externalId" from "Patient" p join "Practice" pr on pr.id = p."practiceId" where pr.slug = 'demo' order by p.id limit 1`,
  );
  const usage = `patient_id,year,pool,amount,source,as_of\n${patient!.externalId},2026,OT,12.00,MAC portal,2026-01-15\n`;
  const biller = await apiAs(baseURL!, DEMO.BILLER);
  const post = (origin: string | null) =>
    biller.post("/api/imports/usage", {
      headers: origin ? { Origin: origin } : {},
      multipart: { file: { name: "usage.csv", mimeType: "text/csv", buffer: Buffer.from(usage) }, dryRun: "true" },
    });
  const refused = await post(FOREIGN);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toMatch(/cross-site/i);
  const fromApp = await post(new URL(baseURL!).origin);
  expect(fromApp.status()).toBe(200);
  expect((await fromApp.json()).status).toBe("dry-run");
  await biller.dispose();
});

test("next-auth's credentials sign-in refuses a POST without its CSRF token", async ({ baseURL }) => {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { email: DEMO.OWNER, password: PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  const where = res.headers().location ?? (await res.text());
  expect(where).toContain("csrf=true");
  const cookies = (await ctx.storageState()).cookies.map((c) => c.name);
  expect(cookies.some((c) => c.includes("session-token"))).toBe(false);
  expect((await ctx.get("/api/exports/visits")).status()).toBe(401);
  // a token from another session (its cookie absent) is refused the same way
  const other = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await other.get("/api/auth/csrf")).json();
  const forged = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: DEMO.OWNER, password: PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  expect(forged.headers().location ?? (await forged.text())).toContain("csrf=true");
  expect((await ctx.get("/api/exports/visits")).status()).toBe(401);
  await Promise.all([ctx.dispose(), other.dispose()]);
});

test("every response carries the security headers and a strict nonce-based CSP", async ({ request, baseURL }) => {
  const signin = await request.get("/signin");
  const html = await signin.text();
  const asset = html.match(/\/_next\/static\/[^"'\s]+\.js/)?.[0];
  expect(asset).toBeTruthy();
  const responses = {
    page: signin,
    "route (401)": await request.get("/api/exports/visits"),
    "missing page": await request.get("/no-such-page"),
    "static file": await request.get(asset!),
  };
  for (const [what, res] of Object.entries(responses)) {
    const h = res.headers();
    expect(h["x-frame-options"], what).toBe("DENY");
    expect(h["x-content-type-options"], what).toBe("nosniff");
    expect(h["referrer-policy"], what).toBe("same-origin");
    expect(h["permissions-policy"], what).toContain("camera=()");
    expect(h["cross-origin-opener-policy"], what).toBe("same-origin");
    expect(h["strict-transport-security"], what).toContain("max-age=");
    expect(h["x-powered-by"], what).toBeUndefined();
  }
  for (const what of ["page", "route (401)", "missing page"] as const) {
    const csp = responses[what].headers()["content-security-policy"] ?? "";
    expect(csp, what).toMatch(/default-src 'self'/);
    expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    for (const d of ["object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'", "connect-src 'self'"])
      expect(csp, what).toContain(d);
  }
  // a fresh nonce per response, and the page's scripts carry it
  const nonce = (csp: string) => csp.match(/'nonce-([^']+)'/)?.[1];
  const again = await request.get("/signin");
  expect(nonce(again.headers()["content-security-policy"]!)).not.toBe(nonce(signin.headers()["content-security-policy"]!));
  expect(html).toContain(`nonce="${nonce(signin.headers()["content-security-policy"]!)}"`);
  // the session cookie is out of reach of scripts and of other sites' requests
  const ctx = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: DEMO.MANAGER, password: PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  const setCookie = res.headersArray().filter((x) => x.name.toLowerCase() === "set-cookie" && x.value.includes("session-token"));
  expect(setCookie.length).toBe(1);
  expect(setCookie[0]!.value).toMatch(/HttpOnly/i);
  expect(setCookie[0]!.value).toMatch(/SameSite=Lax/i);
  await ctx.dispose();
});

for (const role of ROLES) {
  test(`the ${role.toLowerCase()}'s pages break no Content-Security-Policy rule`, async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
    });
    await signIn(page, DEMO[role]);
    const ids = await demoIds();
    const visited = [...navFor(role).map((n) => n.href)];
    if (role !== "ADMIN") visited.push(`/patients/${ids.patient}`, `/visits/${ids.visit}`);
    if (role !== "ADMIN") visited.push(`/patients/${ids.patient}/threshold`, `/remits/${ids.remit}`, `/contracts/${ids.contract}`);
    for (const url of visited) {
      const res = await page.goto(url, { waitUntil: "load" });
      expect(res?.status(), url).toBe(200);
      // client components hydrate and charts draw after load
      await appDrawn(page);
    }
    expect(violations).toEqual([]);
    // the policy is enforced, not merely reported: injected markup (an inline event handler,
    // an image from another site) is blocked, and the detector above sees it
    await page.evaluate(() => {
      const div = document.createElement("div");
      div.innerHTML = `<img src="/no-such-image.png" onerror="window.__injected = true"><img src="https://evil.example/x.png">`;
      document.body.appendChild(div);
    });
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  });
}

test("four wrong passwords make that account wait a few seconds from that address, not a lockout of 15 minutes", async ({
  page,
  baseURL,
}) => {
  // a user no other spec signs in as; its waits are lifted at the end
  const email = OTHER.ADMIN;
  const clear = () => query(`delete from "SignInThrottle" where key like $1`, [`pair:${email} %`]);
  await clear();
  try {
    const attempt = async (password: string) => {
      const ctx = await playwrightRequest.newContext({ baseURL });
      const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
      const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, maxRedirects: 0 });
      const body = (await res.text()) + (res.headers().location ?? "");
      const session = (await ctx.storageState()).cookies.some((c) => c.name.includes("session-token"));
      await ctx.dispose();
      return { error: decodeURIComponent(body.match(/error=([A-Za-z_%0-9]+)/)?.[1] ?? "") || null, session };
    };
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await attempt("wrong-password-123")).error);
    // 3 free failures, the 4th earns a 5 s wait (docs/operations.md), so the 5th is refused
    expect(answers).toEqual(["CredentialsSignin", "CredentialsSignin", "CredentialsSignin", "CredentialsSignin", "rate_limited:5"]);
    // and as a person sees it: told to wait a few seconds, not 15 minutes
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: /Too many sign-in attempts\. Wait [1-5] seconds? and try again\./ }),
    ).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
    // once the wait is over the right password works
    await page.waitForTimeout(5_500);
    expect(await attempt(PASSWORD)).toEqual({ error: null, session: true });
  } finally {
    await clear();
  }
});
