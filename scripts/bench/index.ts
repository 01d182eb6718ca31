// npm run bench -- <name> [options]: runs one benchmark (kx, 835, dashboard, load, cost, faults, fuzz, browser, html, pages).
// Each lives in its own file next to this one and is loaded only when asked for, so a
// benchmark that is not written yet does not stop the others.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

const BENCHES: Record<string, string> = {
  kx: "./kx.ts",
  "835": "./835.ts",
  dashboard: "./dashboard.ts",
  load: "./load.ts",
  cost: "./cost.ts",
  faults: "./faults.ts",
  fuzz: "./fuzz.ts",
  browser: "./browser.ts",
  html: "./html.ts",
  pages: "./pages.ts",
};

const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in BENCHES)) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join("|")}> [options]\n`);
  process.exit(2);
}
const url = new URL(BENCHES[name]!, import.meta.url);
if (!fs.existsSync(fileURLToPath(url))) {
  process.stderr.write(`the "${name}" benchmark is not available yet (${fileURLToPath(url)} is missing)\n`);
  process.exit(2);
}
// the benchmarks' own databases keep their seeded second factors between runs: one fixed,
// bench-only key encrypts them (the seed, the app and the in-process code all read it)
process.env.SECOND_FACTOR_KEY ??= "b3e1c7a09d5f4e2a8c6b1d0f9e7a5c3b2d4f6e8a0c1b3d5f7e9a2c4b6d8f0e1a";
// a benchmark sees its own options as if it had been started directly
process.argv = [process.argv[0]!, fileURLToPath(url), ...rest];
const mod = (await import(url.href)) as { main?: (argv: string[]) => Promise<unknown>; default?: unknown };
const run = mod.main ?? (typeof mod.default === "function" ? (mod.default as (argv: string[]) => Promise<unknown>) : undefined);
if (run) {
  try {
    await run(rest);
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
