import "dotenv/config";
import path from "node:path";
import { defineConfig } from "prisma/config";

// The Prisma CLI tries to download a native schema engine this network cannot reach;
// any existing file satisfies the check for generate/validate/format. Migrations run
// through scripts/migrate.ts (WebAssembly engine) instead. See docs/stack.md.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("package.json");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
