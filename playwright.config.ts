import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// Two lanes, one test at a time in each, side by side: the sweep of every page (pages.spec.ts:
// it reads and changes nothing) beside the users' flows, which change the demo practice and
// then assert figures, and so run one after another. A test tagged @alone needs the server to
// itself (the per-address sign-in limit counts every sign-in from 127.0.0.1): it runs once both
// lanes are done. E2E_ONLY narrows all three to one file.
const SWEEP = "pages.spec.ts";
const ALONE = /@alone/;
const only = process.env.E2E_ONLY;

// Debian's Chromium (never Playwright's download, which this network cannot fetch), with
// the flags that keep it from dialling out.
export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  projects: [
    { name: "sweep", testMatch: only ? (only.endsWith(SWEEP) ? [only] : []) : [`**/${SWEEP}`], workers: 1 },
    { name: "flows", testMatch: only ? [only] : "**/*.spec.ts", testIgnore: `**/${SWEEP}`, grepInvert: ALONE, workers: 1 },
    { name: "alone", testMatch: only ? [only] : "**/*.spec.ts", grep: ALONE, dependencies: ["sweep", "flows"], workers: 1 },
  ],
  retries: 0,
  outputDir: "test-results",
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    // the production server (scripts/serve.sh: the standalone build behind
    // scripts/server/production.ts, a worker per core), so the client address and the
    // workers are what they will be in production
    command: `bash scripts/serve.sh -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/signin`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? "",
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "e2e-only-secret-not-for-production",
      SECOND_FACTOR_KEY: process.env.SECOND_FACTOR_KEY ?? "",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
    },
  },
});
