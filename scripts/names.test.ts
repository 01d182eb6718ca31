// Names say what a thing is: no one-letter variable, parameter, function, class or destructured
// name in the app's sources (lib/, app/, components/, tests aside). Allowed:
//   - the parameters of a short lambda: an arrow function or function expression whose body is a
//     single expression or a block of at most SHORT_LAMBDA_LINES lines (`(a, b) => a - b`);
//   - loop counters i, j, k declared in a `for (…;…;…)` header;
//   - `_`, the name of what is not used.
// A failure names file:line and the name.
import fs from "node:fs";
import path from "node:path";
import { type Node, type SourceFile, SyntaxKind } from "typescript/unstable/ast";
import { createVirtualFileSystem } from "typescript/unstable/fs";
import { API } from "typescript/unstable/sync";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "./lib/import-graph";

const root = path.resolve(import.meta.dirname, "..");
const SHORT_LAMBDA_LINES = 3;
const LOOP_COUNTERS = new Set(["i", "j", "k"]);
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || /\.test-helper\.tsx?$/.test(file);

/** Declarations whose `name` is checked. */
const DECLARATIONS = new Set([
  SyntaxKind.VariableDeclaration,
  SyntaxKind.Parameter,
  SyntaxKind.BindingElement,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ClassDeclaration,
  SyntaxKind.ClassExpression,
]);
const BINDING = new Set([SyntaxKind.BindingElement, SyntaxKind.ObjectBindingPattern, SyntaxKind.ArrayBindingPattern]);

// biome-ignore lint/suspicious/noExplicitAny: the unstable AST's node kinds are read through their fields
type AnyNode = Node & Record<string, any>;

/** The function whose parameter list holds this declaration (directly or through destructuring), if any. */
function parameterOwner(node: AnyNode): AnyNode | undefined {
  let current: AnyNode = node;
  while (current.parent) {
    if (current.kind === SyntaxKind.Parameter) return current.parent as AnyNode;
    if (current !== node && !BINDING.has(current.kind)) return undefined;
    current = current.parent as AnyNode;
  }
  return undefined;
}

/** 1-based line of a position. */
const lineOf = (text: string, position: number) => text.slice(0, position).split("\n").length;

function isShortLambda(owner: AnyNode, source: SourceFile, text: string): boolean {
  if (owner.kind !== SyntaxKind.ArrowFunction && owner.kind !== SyntaxKind.FunctionExpression) return false;
  const body = owner.body as AnyNode;
  if (body.kind !== SyntaxKind.Block) return true;
  return lineOf(text, body.getEnd()) - lineOf(text, body.getStart(source)) + 1 <= SHORT_LAMBDA_LINES;
}

function isLoopCounter(declaration: AnyNode, name: string): boolean {
  const list = declaration.parent as AnyNode;
  const loop = list?.parent as AnyNode | undefined;
  return LOOP_COUNTERS.has(name) && list.kind === SyntaxKind.VariableDeclarationList && loop?.kind === SyntaxKind.ForStatement;
}

function namesIn(file: string, source: SourceFile, text: string): string[] {
  const hits: string[] = [];
  const visit = (node: Node): undefined => {
    const declaration = node as AnyNode;
    const name = DECLARATIONS.has(node.kind) ? (declaration.name as AnyNode | undefined) : undefined;
    if (name && name.kind === SyntaxKind.Identifier && name.text.length === 1 && name.text !== "_") {
      const owner = parameterOwner(declaration);
      const allowed =
        (owner !== undefined && isShortLambda(owner, source, text)) ||
        (node.kind === SyntaxKind.VariableDeclaration && isLoopCounter(declaration, name.text));
      if (!allowed) hits.push(`${file}:${lineOf(text, name.getStart(source))} ${name.text}`);
    }
    node.forEachChild(visit);
    return undefined;
  };
  visit(source);
  return hits;
}

/** "file:line name" for every one-letter declared name in these sources (path relative to the root: text). */
function oneLetterNames(sources: Record<string, string>): string[] {
  const base = "/names";
  const files = Object.keys(sources);
  const tree: Record<string, string> = {
    [`${base}/tsconfig.json`]: JSON.stringify({ compilerOptions: { jsx: "preserve", noResolve: true, types: [] }, files }),
  };
  for (const file of files) tree[`${base}/${file}`] = sources[file];
  const api = new API({ cwd: base, fs: createVirtualFileSystem(tree) });
  try {
    const snapshot = api.updateSnapshot({ openProject: `${base}/tsconfig.json` });
    const program = snapshot.getProject(`${base}/tsconfig.json`)?.program;
    if (!program) throw new Error("the compiler opened no project");
    return files.flatMap((file) => {
      const source = program.getSourceFile(`${base}/${file}`);
      if (!source) throw new Error(`the compiler did not parse ${file}`);
      return namesIn(file, source, sources[file]);
    });
  } finally {
    api.close();
  }
}

describe("names", () => {
  it("no one-letter name is declared in lib/, app/ or components/ outside a short lambda or a for header", () => {
    const files = sourceFiles(root, ["lib", "app", "components"]).filter((f) => !f.startsWith("lib/generated/") && !isTest(f));
    expect(files.length).toBeGreaterThan(50);
    const hits = oneLetterNames(Object.fromEntries(files.map((file) => [file, fs.readFileSync(path.join(root, file), "utf8")])));
    expect(hits).toEqual([]);
  });

  it("the check finds what it should and lets the allowed forms pass", () => {
    // hits: a variable, a parameter of a long function, a function, a class, destructuring, a for-of variable
    const bad = [
      "const s = 1;",
      "function total(x: number) { return x; }",
      "function f() {}",
      "class C {}",
      "const { a } = { a: 1 };",
      "const [b] = [1];",
      "for (const c of [1]) console.log(c);",
      "const long = (d: number) => {\n  const twice = d * 2;\n  const thrice = d * 3;\n  return twice + thrice;\n};",
      "function named(...items: number[]) { for (let n = 0; n < items.length; n++) {} }",
    ].join("\n");
    expect(oneLetterNames({ "made-up.ts": bad }).map((hit) => hit.split(" ")[1])).toEqual(["s", "x", "f", "C", "a", "b", "c", "d", "n"]);

    // passes: short lambdas (expression body, three-line block, destructured parameter), loop counters, `_`
    const good = [
      "const sorted = [3, 1].sort((a, b) => a - b);",
      "const doubled = [1].map(function (x) { return x * 2; });",
      "const summed = [1].reduce((s, v) => {\n  return s + v;\n}, 0);",
      "const names = [{ n: 'a' }].map(({ n }) => n);",
      "for (let i = 0, j = 1; i < j; i++) {}",
      "const [_, second] = [1, 2];",
      "const segment = 'ISA';",
    ].join("\n");
    expect(oneLetterNames({ "made-up.ts": good })).toEqual([]);
  });
});
