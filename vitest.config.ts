import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "prisma/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "int",
          include: ["**/*.int.test.ts"],
          // a fixed key for tests only: second-factor secrets are encrypted with it
          env: { SECOND_FACTOR_KEY: process.env.SECOND_FACTOR_KEY ?? "7e5f0a1c2b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829304a5b6c7" },
          exclude: ["node_modules/**", ".next/**"],
          environment: "node",
          // a test that times out writes what the database was doing ($TEST_DIAGNOSTICS_FILE)
          setupFiles: ["scripts/testing/int-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
