// npx tsx scripts/bench/profile-top.ts FILE.cpuprofile [--top 40] [--since-ms N]
//
// Where a CPU profile's time went, as text: the busy time (every sample but the idle and
// garbage-collector roots, which are shown apart), then the top functions by self time and by
// total time (a function counted once per sample however deep it recurses), and self time by
// file. Made for the server profiles of `npm run bench -- cost --profile DIR`.
import fs from "node:fs";
import { parseArgs, str } from "../lib/args";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positional } = parseArgs(process.argv.slice(2), { top: "string", "since-ms": "string" });
const file = positional[0];
if (!file) {
  process.stderr.write("usage: npx tsx scripts/bench/profile-top.ts FILE.cpuprofile [--top 40] [--since-ms N]\n");
  process.exit(2);
}
const top = Number(str(values, "top") ?? 40);
const sinceMs = Number(str(values, "since-ms") ?? 0);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(/^.*\/node_modules\//, "~/")
    .replace(/^.*\/\.next[^/]*\/(standalone\/)?/, "");
const frameKey = (n: ProfileNode) =>
  `${n.callFrame.functionName || "(anonymous)"}  ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const total = new Map<string, number>();
const fileSelf = new Map<string, number>();
const special = new Map<string, number>();
let busy = 0;
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t / 1000 < sinceMs) continue;
  const leaf = byId.get(profile.samples[i]!)!;
  const name = leaf.callFrame.functionName;
  if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") {
    special.set(name, (special.get(name) ?? 0) + dt);
    // the collector's time is busy time too
    if (name !== "(garbage collector)") continue;
  }
  busy += dt;
  self.set(frameKey(leaf), (self.get(frameKey(leaf)) ?? 0) + dt);
  const f = shortUrl(leaf.callFrame.url) || "(native)";
  fileSelf.set(f, (fileSelf.get(f) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const key = frameKey(byId.get(id)!);
    if (seen.has(key)) continue;
    seen.add(key);
    total.set(key, (total.get(key) ?? 0) + dt);
  }
}

const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
const list = (title: string, m: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`${ms(v)} ms ${pct(v)}  ${k}\n`);
};
process.stdout.write(
  `${file}: busy ${ms(busy)} ms; idle ${ms(special.get("(idle)") ?? 0)} ms, program ${ms(special.get("(program)") ?? 0)} ms, garbage collector ${ms(special.get("(garbage collector)") ?? 0)} ms\n`,
);
list("self time, by function", self, top);
list("total time, by function", total, top);
list("self time, by file", fileSelf, Math.ceil(top / 2));
