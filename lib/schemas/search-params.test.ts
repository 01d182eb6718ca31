// Every page's query string goes through one parser: proxy.ts answers 400 naming the
// parameter before the page runs (a page used to answer 500 for a NUL or a year-1 week).
import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { PAGE_QUERIES, pagePathOf, pageQuery, searchParamProblem } from "./search-params";

async function answer(url: string) {
  const res = await proxy(new NextRequest(`http://localhost${url}`));
  return { status: res.status, text: res.status === 400 ? await res.text() : "" };
}

describe("bad query strings answer 400 naming the parameter", () => {
  // one bad value per page (and download) of the registry, with the parameter it names
  const cases: [string, string][] = [
    ["/patients?q=a%00b", "q"],
    ["/revenue?week=0001-01-01", "week"],
    ["/revenue/csv?week=9999-12-31", "week"],
    ["/revenue/lines?metric=nope", "metric"],
    ["/revenue/lines?weeks=7", "weeks"],
    ["/revenue/lines?metric=open_ar&age=45", "age"],
    ["/revenue/lines?metric=undercoding&from=2026-02-30", "from"],
    ["/patients?page=0", "page"],
    ["/patients/12?deleted=%01", "deleted"],
    ["/patients/12/threshold?year=1999", "year"],
    ["/patients/12/threshold?pool=XX", "pool"],
    ["/visits/new?patient=abc", "patient"],
    ["/visits/12?saved=%00", "saved"],
    ["/kx?level=urgent", "level"],
    ["/kx?assignee=someone", "assignee"],
    ["/kx/export?format=xlsx", "format"],
    ["/claims-to-fix?from=2026-02-30", "from"],
    ["/denials?from=0001-01-01&to=9999-12-31", "from"],
    ["/denials?from=2020-01-01&to=2026-01-01", "to"],
    ["/denials?cause=weather", "cause"],
    ["/denials?from=2000-01-01", "from"],
    ["/underpayments?from=2026-03-01&to=2026-01-01", "to"],
    ["/underpayments?min=-5", "min"],
    ["/underpayments?status=lost", "status"],
    ["/undercoding?weeks=3", "weeks"],
    ["/undercoding?therapist=2147483648", "therapist"],
  ];
  it.each(cases)("%s → 400 naming %s", async (url, param) => {
    const r = await answer(url);
    expect(r.status).toBe(400);
    expect(r.text).toContain(url.startsWith("/revenue/csv") || url.startsWith("/kx/export") ? `"${param}"` : `&#34;${param}&#34;`);
  });

  it("says the allowed dates and period in words", async () => {
    expect((await answer("/revenue?week=0001-01-01")).text).toContain("must be a date between 2000-01-01 and 2100-12-31");
    // 2020-01-01 to 2026-01-01 is 2,192 days: more than the 731 allowed
    expect((await answer("/denials?from=2020-01-01&to=2026-01-01")).text).toContain("at most two years (731 days)");
  });

  it("answers JSON for a download", async () => {
    const res = await proxy(new NextRequest("http://localhost/revenue/csv?week=0001-01-01"));
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(await res.json()).toEqual({
      error: 'The address\'s "week" must be a date between 2000-01-01 and 2100-12-31.',
      fieldErrors: { week: ["must be a date between 2000-01-01 and 2100-12-31"] },
    });
  });

  it("lets good and empty values through, and ignores parameters a page does not know", async () => {
    for (const url of [
      "/patients?q=Garc%C3%ADa&page=2",
      "/revenue?week=2026-03-02",
      "/revenue?week=",
      "/revenue/lines?metric=open_ar&age=90&payer=3",
      "/revenue/lines?metric=undercoding&from=2026-01-01&to=2026-12-04",
      "/kx?pool=&level=kx&assignee=me&page=3",
      "/denials?from=2025-01-01&to=2026-12-31&cause=missing_kx&page=4",
      "/underpayments?status=appealed&min=12.50",
      "/admin?anything=goes",
    ])
      expect((await answer(url)).status, url).toBe(200);
  });

  it("refuses a control character in any page's parameter", async () => {
    expect((await answer("/admin?x=%00")).status).toBe(400);
  });

  it("gives the page the parsed values, the same parser as the proxy", () => {
    expect(pageQuery("/denials", { from: "2026-01-05", to: "2026-03-01", page: "3", payer: "" })).toEqual({
      from: "2026-01-05",
      to: "2026-03-01",
      page: 3,
    });
    expect(() => pageQuery("/revenue", { week: "0001-01-01" })).toThrow(/"week" must be a date between/);
    // the pages that read a query string, and the two downloads that share theirs
    expect(Object.keys(PAGE_QUERIES).sort()).toEqual(
      [
        "/claims-to-fix",
        "/denials",
        "/denials/csv",
        "/kx",
        "/kx/csv",
        "/kx/export",
        "/imports",
        "/patients",
        "/patients/[id]",
        "/patients/[id]/threshold",
        "/remits",
        "/remits/[id]",
        "/remits/unmatched",
        "/revenue",
        "/revenue/csv",
        "/revenue/lines",
        "/undercoding",
        "/undercoding/csv",
        "/underpayments",
        "/underpayments/csv",
        "/underpayments/letter/[payerId]",
        "/underpayments/letter/[payerId]/pdf",
        "/visits/[id]",
        "/visits/new",
      ].sort(),
    );
  });
});

describe("the registry covers every page that reads its query string", () => {
  it("finds each page.tsx or route.ts using searchParams in PAGE_QUERIES", () => {
    const files = (fs.readdirSync("app", { recursive: true }) as string[]).filter((f) => /(^|\/)(page\.tsx|route\.ts)$/.test(f));
    const readers = files
      .filter((f) => !f.startsWith("api/") && fs.readFileSync(path.join("app", f), "utf8").includes("searchParams"))
      .map((f) => `/${f.replace(/\(app\)\/?/, "").replace(/\/?(page\.tsx|route\.ts)$/, "")}`.replace(/\[[^\]]+\]/g, "12"));
    expect(readers.length).toBeGreaterThan(10);
    // the sign-in steps (sign-in, the second factor) read callbackUrl (and error), checked by safeReturnPath
    const missing = readers.filter((p) => p !== "/signin" && p !== "/second-factor" && pagePathOf(p) === null);
    expect(missing).toEqual([]);
  });
});

describe("every list's page number", () => {
  it("reads the remit pages by their own paths: a payment by its id, the worklist and the form by name", () => {
    expect(pagePathOf("/remits/12")).toBe("/remits/[id]");
    expect(pagePathOf("/remits/unmatched")).toBe("/remits/unmatched");
    expect(pagePathOf("/remits/new")).toBeNull();
    expect(pagePathOf("/remits")).toBe("/remits");
  });

  it("knows the KX queue's two views and names the parameter of any other", () => {
    expect(searchParamProblem("/kx", { view: "rebill" })).toBeNull();
    expect(searchParamProblem("/kx", { view: "queue", rebillPage: "2" })).toBeNull();
    expect(searchParamProblem("/kx", { view: "lines" })).toEqual({ param: "view", message: "must be one of: queue, rebill" });
  });

  it("refuses a page that is not a page number, naming the parameter, on every list", () => {
    for (const [path, param] of [
      ["/remits", "page"],
      ["/remits", "importsPage"],
      ["/remits/12", "page"],
      ["/remits/unmatched", "linesPage"],
      ["/imports", "page"],
      ["/kx", "rebillPage"],
      ["/undercoding", "possiblePage"],
      ["/patients", "page"],
    ] as const) {
      expect(searchParamProblem(path, { [param]: "0" })).toEqual({ param, message: "must be a page number from 1" });
      expect(searchParamProblem(path, { [param]: "two" })).toEqual({ param, message: "must be a page number" });
      expect(searchParamProblem(path, { [param]: "2" })).toBeNull();
    }
  });
});
