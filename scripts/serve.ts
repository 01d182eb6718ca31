// The production server: `next start` plus one thing it cannot do, telling the app which
// address a request comes from. Next (16) keeps a client's own X-Forwarded-For header and
// only fills it in from the socket when it is absent, and route handlers no longer see the
// socket, so sign-in throttling by address would trust whatever a client sends. This server
// replaces X-Forwarded-For with the one address it vouches for (lib/server/client-address.ts:
// the socket's, or the client's as named by a proxy listed in TRUSTED_PROXIES).
//   tsx scripts/serve.ts [-p PORT] [-H HOST]   (PORT and HOSTNAME from the environment also work)
import http from "node:http";
import path from "node:path";
import { clientAddress, parseTrustedProxies } from "@/lib/server/client-address";

const args = process.argv.slice(2);
const flag = (names: string[]) => {
  const i = args.findIndex((a) => names.includes(a));
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(flag(["-p", "--port"]) ?? process.env.PORT ?? 3000);
const hostname = flag(["-H", "--hostname"]) ?? process.env.HOSTNAME ?? "0.0.0.0";
const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);

// a production server, as `next start` is (it also picks the production build)
(process.env as Record<string, string>).NODE_ENV ??= "production";
const { default: next } = await import("next");
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => {
  req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => process.stdout.write(`ready on http://${hostname}:${port}\n`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
