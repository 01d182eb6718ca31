// The production server: Next.js's standalone build behind a small HTTP front that does the
// two things `node server.js` cannot.
// - It tells the app which address a request comes from. Next keeps a client's own
//   X-Forwarded-For header (and route handlers no longer see the socket), so sign-in
//   throttling by address would trust whatever a client sends. This server replaces the
//   header with the one address it vouches for (./forwarded-for.ts: the socket's, or the
//   client's as named by a proxy listed in TRUSTED_PROXIES).
// - It serves on every core: with WEB_CONCURRENCY above 1 (default: the machine's cores),
//   Node's cluster module forks that many workers, which share the one listening port; a
//   worker that dies is replaced.
// It runs under plain Node 24 (type stripping, no build step) from inside the standalone
// folder, where scripts/serve.sh and the Dockerfile copy it with forwarded-for.ts:
//   node .next/standalone/production.ts [-p PORT] [-H HOST]   ($PORT, $HOSTNAME also work)
import cluster from "node:cluster";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { clientAddress, parseTrustedProxies } from "./forwarded-for.ts";

const args = process.argv.slice(2);
const flag = (names: string[]) => {
  const at = args.findIndex((a) => names.includes(a));
  return at >= 0 ? args[at + 1] : undefined;
};
const port = Number(flag(["-p", "--port"]) ?? process.env.PORT ?? 3000);
const hostname = flag(["-H", "--hostname"]) ?? process.env.HOSTNAME ?? "0.0.0.0";
const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY) || os.availableParallelism());

/** The build's configuration, which `next build` writes beside the standalone server. */
function standaloneConfig(dir: string): Record<string, unknown> {
  for (const entry of fs.readdirSync(dir)) {
    const file = path.join(dir, entry, "required-server-files.json");
    if (entry.startsWith(".next") && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")).config;
  }
  throw new Error(`no Next.js standalone build in ${dir}: run "npx next build" first (npm run demo does)`);
}

async function serve(): Promise<void> {
  const dir = import.meta.dirname;
  const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);
  (process.env as Record<string, string>).NODE_ENV = "production";
  process.chdir(dir);
  // what the standalone server.js does before it loads Next: the configuration comes from the
  // build, never from a next.config.js (which the standalone folder does not have)
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(standaloneConfig(dir));
  const next = createRequire(path.join(dir, "server.js"))("next") as (options: object) => {
    prepare(): Promise<void>;
    getRequestHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  };
  const app = next({ dev: false, dir, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => {
    if (cluster.isPrimary) process.stdout.write(`ready on http://${hostname}:${port}\n`);
    else process.send?.("ready");
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function supervise(): void {
  let ready = 0;
  let stopping = false;
  const fork = () =>
    cluster.fork().on("message", (message) => {
      if (message === "ready" && ++ready === workers) process.stdout.write(`ready on http://${hostname}:${port} (${workers} workers)\n`);
    });
  for (let n = 0; n < workers; n++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); starting another\n`);
    fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (cluster.isPrimary && workers > 1) supervise();
else
  serve().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
