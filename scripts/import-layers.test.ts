// The layers of docs/architecture.md, checked on the import graph of the sources:
//   lib/billing, lib/x12           pure: no lib/server, no app/, no components/
//   lib/server/core                plumbing (database, scope, guard, errors, audit, permissions,
//                                  dates, sessions): imports only core
//   lib/server/lists               list views and download formats: core and lists
//   lib/server/derived             the derived-figures pipeline: core and derived
//   lib/server/<feature>           any of the above and other features, with no cycle between folders
//   app/, components/              call lib/server; never the database client itself
// A failure names the file and the import that breaks the rule.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cyclesOf, type ImportEdge, importGraph, serverFolderOf } from "./lib/import-graph";

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
});
