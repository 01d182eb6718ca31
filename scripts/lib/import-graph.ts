// The project's import graph, read from the TypeScript sources: every `import … from "x"`,
// `export … from "x"`, `import "x"` and `import("x")`, resolved to a file of the repository
// (relative paths and the "@/" alias; packages are left out). Used by the layering test
// (scripts/import-layers.test.ts) and to print the graph while moving code.
import fs from "node:fs";
import path from "node:path";

export interface ImportEdge {
  /** importing file, relative to the root, with "/" separators */
  from: string;
  /** imported file, relative to the root */
  to: string;
  /** `import type` / `export type`: erased at build time */
  typeOnly: boolean;
}

const SOURCE = /\.(ts|tsx)$/;
const SKIP_DIRS = new Set(["node_modules", ".next", ".git", ".data", "lib/generated", "test-results", "playwright-report", "coverage"]);

export function sourceFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isFile()) {
      if (SOURCE.test(rel)) out.push(rel);
      return;
    }
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !SKIP_DIRS.has(child) && !entry.name.startsWith(".")) walk(child);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(child);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

// `import x from "y"`, `import type { x } from "y"`, `export { x } from "y"`, `export * from "y"`, `import "y"`
const STATIC = /(?:^|[\n;}])\s*(import|export)\s+(type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"'\n]+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"'\n]+)["']\s*\)/g;

function resolveSpecifier(root: string, fromFile: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  else return null;
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  for (const c of candidates) {
    const abs = path.join(root, c);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return c;
  }
  return null;
}

/** Strips comments so that an example import in a comment is not read as one. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/[^\n]*/g, "$1");
}

export function importsOf(root: string, file: string): ImportEdge[] {
  const text = withoutComments(fs.readFileSync(path.join(root, file), "utf8"));
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(STATIC)) {
    const to = resolveSpecifier(root, file, m[3]!);
    if (to) edges.push({ from: file, to, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(DYNAMIC)) {
    const to = resolveSpecifier(root, file, m[1]!);
    if (to) edges.push({ from: file, to, typeOnly: false });
  }
  return edges;
}

export function importGraph(root: string, dirs: string[]): ImportEdge[] {
  return sourceFiles(root, dirs).flatMap((f) => importsOf(root, f));
}

/**
 * The folder of lib/server a file belongs to: "kx" for lib/server/kx/queue.ts, "core" for
 * lib/server/core/db.ts; a loose file at the root of lib/server is its own unit ("guard.ts").
 */
export function serverFolderOf(file: string): string | null {
  const m = /^lib\/server\/(.+)$/.exec(file);
  if (!m) return null;
  const rest = m[1]!;
  const slash = rest.indexOf("/");
  return slash === -1 ? rest : rest.slice(0, slash);
}

/** Cycles of a directed graph (one per strongly connected component of two or more nodes), each as a path. */
export function cyclesOf(edges: [string, string][]): string[][] {
  const nodes = new Set(edges.flat());
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) if (a !== b) next.set(a, [...(next.get(a) ?? []), b]);
  // Tarjan's strongly connected components
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const n of [...nodes].sort()) if (!indexOf.has(n)) visit(n);
  return components;
}
