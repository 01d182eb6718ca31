// CPU time of the processes a benchmark runs, from /proc (Linux): the app's server, the embedded
// PostgreSQL, and the benchmark's own client. Shared by the cost and load benchmarks.
import fs from "node:fs";
import path from "node:path";
import { embeddedDir } from "../lib/database";

export const TICK_MS = 1000 / 100; // USER_HZ

export function cpuTicksOf(pid: number): { self: number; children: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
  return { self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
}

/** The server's CPU ticks split: user and system time, and the main thread's (JavaScript, rendering) against the other threads' (the collector, libuv's pool, compression). */
export function splitTicksOf(pid: number): { user: number; system: number; main: number } {
  const f = (file: string) => {
    const stat = fs.readFileSync(file, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  };
  const all = f(`/proc/${pid}/stat`);
  const main = f(`/proc/${pid}/task/${pid}/stat`);
  return { user: Number(all[11]), system: Number(all[12]), main: Number(main[11]) + Number(main[12]) };
}

function ppidOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** CPU ticks of the embedded PostgreSQL: its processes, and the ones that ended (the postmaster's children). */
export function postgresTicks(): number | null {
  const pidFile = path.join(embeddedDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const postmaster = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  let total = 0;
  try {
    const own = cpuTicksOf(postmaster);
    total += own.self + own.children;
  } catch {
    return null;
  }
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (ppidOf(Number(entry)) === postmaster) total += cpuTicksOf(Number(entry)).self;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/**
 * CPU ticks of a process and every process below it that is still running (the server's
 * cluster: serve.sh's node, its workers), plus the children that ended and were waited for.
 */
export function processTreeTicks(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = ppidOf(Number(entry));
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // ended meanwhile
    }
  }
  let total = 0;
  const walk = (pid: number) => {
    try {
      const t = cpuTicksOf(pid);
      total += t.self + t.children;
    } catch {
      return;
    }
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return total;
}
