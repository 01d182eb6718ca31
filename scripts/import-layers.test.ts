// The layers of docs/architecture.md, checked on the import graph of the sources:
//   lib/billing, lib/x12           pure: no lib/server, no app/, no components/
//   lib/server/core                plumbing (database, scope, guard, errors, audit, permissions,
//                                  dates, sessions): imports only core
//   lib/server/lists               list views and download formats: core and lists
//   lib/server/derived             the derived-figures pipeline: core and derived
//   lib/server/<feature>           any of the above and other features, with no cycle between folders
//   app/, components/              call lib/server; never the database client itself
//   components/                    nothing from lib/server at all, not even a type: a component
//                                  declares the data it draws, and the page hands it over
//   lib/, app/, components/        no production file imports test material (lib/server/testing*,
//                                  *.test-helper.ts, prisma/generator, e2e/)
//   lib/x12                        the app comes in through its index only (read835 and its types)
// A failure names the file and the import that breaks the rule.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cyclesOf, type ImportEdge, importGraph, serverFolderOf, sourceFiles } from "./lib/import-graph";

const root = path.resolve(import.meta.dirname, "..");
const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const edges = importGraph(root, ["app", "components", "lib", "scripts", "prisma", "proxy.ts"]).filter((e) => !isTest(e.from));

/** The files that hand out a database client: pages and components may not import them. */
const DATABASE_CLIENT = [/^lib\/server\/core\/db(-client)?\.ts$/, /^lib\/server\/db(-client)?\.ts$/, /^lib\/generated\/prisma\//];

/** Which lib/server units a unit may import besides itself ("*": any, cycles checked apart). */
const MAY_IMPORT: Record<string, readonly string[] | "*"> = {
  core: [],
  lists: ["core"],
  derived: ["core"],
};

/** Test and demo material: tests, benchmarks, the seed and the demo use it, the app never does. */
const TEST_SUPPORT = [
  /^lib\/server\/testing(-[\w-]+)?\.ts$/,
  /\.test-helper\.tsx?$/,
  /\.test\.tsx?$/,
  /(^|\/)test-[\w-]+\.tsx?$/,
  /^prisma\/generator\//,
  /^e2e\//,
];
const isTestSupport = (file: string) => TEST_SUPPORT.some((r) => r.test(file));
/** A file the app runs: under lib/, app/ or components/, and neither a test nor test material. */
const isProduction = (file: string) => /^(lib|app|components)\//.test(file) && !file.startsWith("lib/generated/") && !isTestSupport(file);

/** The rules below as predicates on one import, so that the last test can try them on made-up arrows. */
const componentOnServer = (e: ImportEdge) => e.from.startsWith("components/") && e.to.startsWith("lib/server/");
const productionOnTestSupport = (e: ImportEdge) => isProduction(e.from) && isTestSupport(e.to);
const pastTheX12Index = (e: ImportEdge) =>
  isProduction(e.from) && !e.from.startsWith("lib/x12/") && e.to.startsWith("lib/x12/") && e.to !== "lib/x12/index.ts";

/** The pipeline's stages (lib/server/derived): only recomputeDerived calls them. */
const STAGES = ["recomputeVisits", "recomputeKx", "recomputeAllKx", "confirmServiceLines", "storeClaimChecks"];
const stageCall = new RegExp(`\\b(${STAGES.join("|")})\\s*\\(`, "g");
/** The stages a file calls, outside the pipeline itself (a benchmark times a stage on its own: it may). */
function stagesCalledBy(file: string, text: string): string[] {
  if (file.startsWith("lib/server/derived/") || file.startsWith("scripts/bench/") || isTestSupport(file)) return [];
  return [...text.matchAll(stageCall)].map((m) => `${file} calls ${m[1]}`);
}

const show = (list: ImportEdge[]) => list.map((e) => `${e.from} imports ${e.to}`);

describe("import layers", () => {
  it("reads the graph (a sanity check of the reader itself)", () => {
    // a known arrow of each kind: a page on the guard, a feature on the pipeline, the pipeline on core
    expect(edges.some((e) => e.from === "app/(app)/claims-to-fix/page.tsx" && /lib\/server\/(core\/)?guard\.ts$/.test(e.to))).toBe(true);
    expect(edges.some((e) => e.from === "lib/server/visits/commands.ts" && e.to === "lib/server/derived/index.ts")).toBe(true);
    expect(edges.some((e) => e.from === "lib/server/derived/lines.ts" && /lib\/server\/(core\/)?dates\.ts$/.test(e.to))).toBe(true);
  });

  it("keeps lib/billing and lib/x12 pure", () => {
    const bad = edges.filter((e) => /^lib\/(billing|x12)\//.test(e.from) && /^(lib\/server|lib\/generated|app|components)\//.test(e.to));
    expect(show(bad)).toEqual([]);
  });

  it("has nothing in lib importing app/ or components/", () => {
    const bad = edges.filter((e) => e.from.startsWith("lib/") && /^(app|components)\//.test(e.to));
    expect(show(bad)).toEqual([]);
  });

  it("has core, lists and the pipeline import nothing above them", () => {
    const bad = edges.filter((e) => {
      const from = serverFolderOf(e.from);
      const to = serverFolderOf(e.to);
      if (!from || !to || from === to) return false;
      const allowed = MAY_IMPORT[from];
      return allowed !== undefined && allowed !== "*" && !allowed.includes(to);
    });
    expect(show(bad)).toEqual([]);
  });

  it("has no import cycle between the folders of lib/server", () => {
    const arrows = new Map<string, ImportEdge>();
    for (const e of edges) {
      const from = serverFolderOf(e.from);
      const to = serverFolderOf(e.to);
      if (from && to && from !== to && !arrows.has(`${from}>${to}`)) arrows.set(`${from}>${to}`, e);
    }
    const cycles = cyclesOf([...arrows.keys()].map((k) => k.split(">") as [string, string]));
    // each cycle with the arrows that close it, so the message says which import to move
    const described = cycles.map((members) => {
      const inside = new Set(members);
      const closing = [...arrows.entries()].filter(([k]) => k.split(">").every((u) => inside.has(u))).map(([, e]) => `${e.from} → ${e.to}`);
      return { folders: members, arrows: closing };
    });
    expect(described).toEqual([]);
  });

  it("has no page, route or component import the database client", () => {
    const bad = edges.filter((e) => /^(app|components)\//.test(e.from) && DATABASE_CLIENT.some((r) => r.test(e.to)));
    expect(show(bad)).toEqual([]);
  });

  it("has no component import anything from lib/server, types included", () => {
    expect(show(edges.filter(componentOnServer))).toEqual([]);
  });

  it("has no production file import test material", () => {
    expect(show(edges.filter(productionOnTestSupport))).toEqual([]);
  });

  it("has the app reach lib/x12 through its index, which hands out read835 alone", async () => {
    expect(show(edges.filter(pastTheX12Index))).toEqual([]);
    // the index's values (its types are erased): what the app calls, nothing for tests
    expect(Object.keys(await import("@/lib/x12")).sort()).toEqual(["read835"]);
  });

  it("has the pipeline alone call its stages", () => {
    const files = sourceFiles(root, ["app", "components", "lib", "scripts", "prisma", "proxy.ts"]);
    expect(files.flatMap((file) => stagesCalledBy(file, fs.readFileSync(path.join(root, file), "utf8")))).toEqual([]);
    // and the pipeline does call each (a renamed stage would make the check above vacuous)
    const pipeline = fs.readFileSync(path.join(root, "lib/server/derived/index.ts"), "utf8");
    expect(STAGES.filter((stage) => !new RegExp(`\\b${stage}\\s*\\(`).test(pipeline))).toEqual([]);
  });

  it("finds a cycle, an upward import and a page on the database client when there is one", () => {
    // the checks above on made-up graphs: each must see what it is there to see
    expect(
      cyclesOf([
        ["kx", "visits"],
        ["visits", "kx"],
        ["visits", "core"],
      ]),
    ).toEqual([["kx", "visits"]]);
    expect(
      cyclesOf([
        ["kx", "derived"],
        ["visits", "derived"],
        ["derived", "core"],
      ]),
    ).toEqual([]);
    expect(serverFolderOf("lib/server/derived/index.ts")).toBe("derived");
    expect(serverFolderOf("lib/server/practices.ts")).toBe("practices.ts");
    expect(serverFolderOf("app/(app)/kx/page.tsx")).toBeNull();
    expect(DATABASE_CLIENT.some((r) => r.test("lib/server/core/db.ts"))).toBe(true);
    expect(DATABASE_CLIENT.some((r) => r.test("lib/server/core/guard.ts"))).toBe(false);
  });

  it("finds a component on lib/server, test material in production and a way past the x12 index when there is one", () => {
    const arrow = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });
    // a type-only import counts: the component would still depend on the server's module
    expect(componentOnServer(arrow("components/revenue-headline.tsx", "lib/server/revenue/owner.ts", true))).toBe(true);
    expect(componentOnServer(arrow("components/upload-form.tsx", "lib/ui/import-summary.ts"))).toBe(false);
    expect(componentOnServer(arrow("app/(app)/revenue/page.tsx", "lib/server/revenue/owner.ts"))).toBe(false);

    expect(productionOnTestSupport(arrow("lib/x12/reader.ts", "prisma/generator/x12/hand-written.ts"))).toBe(true);
    expect(productionOnTestSupport(arrow("lib/server/remits/import.ts", "lib/server/testing.ts"))).toBe(true);
    expect(productionOnTestSupport(arrow("lib/billing/expected.ts", "lib/billing/cms-data.test-helper.ts"))).toBe(true);
    expect(productionOnTestSupport(arrow("app/(app)/remits/page.tsx", "lib/x12/test-support.ts"))).toBe(true);
    expect(productionOnTestSupport(arrow("components/kx-gauge.tsx", "e2e/helpers.ts"))).toBe(true);
    // tests, test material itself and the command line may
    expect(productionOnTestSupport(arrow("lib/x12/reader.test.ts", "prisma/generator/x12/hand-written.ts"))).toBe(false);
    expect(productionOnTestSupport(arrow("lib/server/testing-pages.ts", "lib/server/testing.ts"))).toBe(false);
    expect(productionOnTestSupport(arrow("prisma/seed.ts", "prisma/generator/generate.ts"))).toBe(false);
    expect(productionOnTestSupport(arrow("lib/server/remits/import.ts", "lib/x12/index.ts"))).toBe(false);

    expect(pastTheX12Index(arrow("lib/server/remits/import.ts", "lib/x12/read835.ts"))).toBe(true);
    expect(pastTheX12Index(arrow("lib/server/remits/import.ts", "lib/x12/index.ts"))).toBe(false);
    expect(pastTheX12Index(arrow("lib/x12/read835.ts", "lib/x12/reader.ts"))).toBe(false);
    expect(pastTheX12Index(arrow("prisma/generator/x12/segments.ts", "lib/x12/values.ts"))).toBe(false);

    expect(stagesCalledBy("lib/server/visits/commands.ts", "await recomputeKx(tx, practiceId, keys);")).toEqual([
      "lib/server/visits/commands.ts calls recomputeKx",
    ]);
    expect(stagesCalledBy("lib/server/visits/commands.ts", "await recomputeDerived(tx, practiceId, { visits });")).toEqual([]);
    expect(stagesCalledBy("lib/server/derived/index.ts", "await recomputeKx(tx, practiceId, keys);")).toEqual([]);
    expect(stagesCalledBy("scripts/bench/kx.ts", "await recomputeAllKx(practiceId);")).toEqual([]);
  });
});
