// The practice scope without a database: which models it holds to a practice (checked against
// the schema, so a new model cannot be forgotten), how it rewrites a query's arguments, and
// where the unscoped client and the way into a scope may be used at all.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OtherPracticeNamed, SHARED_MODELS, scopedArgs, TENANT_MODELS } from "./scope";

const root = path.resolve(import.meta.dirname, "..", "..", "..");

/** model name → its field names, from prisma/schema.prisma */
function schemaModels(): Map<string, string[]> {
  const text = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
  const models = new Map<string, string[]>();
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = m[2]!
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^\w+\s/.test(l) && !l.startsWith("@@"))
      .map((l) => l.split(/\s+/)[0]!);
    models.set(m[1]!, fields);
  }
  return models;
}

describe("the practice scope's models", () => {
  it("holds every model with a practiceId to the practice, and knows every other model", () => {
    const models = schemaModels();
    expect(models.size).toBeGreaterThan(30); // the parse found the schema's models
    const withPracticeId = [...models].filter(([, fields]) => fields.includes("practiceId")).map(([name]) => name);
    expect(withPracticeId.filter((m) => !TENANT_MODELS.has(m))).toEqual([]);
    const unclassified = [...models.keys()].filter((m) => m !== "Practice" && !TENANT_MODELS.has(m) && !SHARED_MODELS.has(m));
    expect(unclassified).toEqual([]);
    // and the list names no model the schema lacks
    expect([...TENANT_MODELS].filter((m) => !models.has(m))).toEqual([]);
  });
});

describe("scopedArgs", () => {
  it("adds the practice to a query's where, keeping its own conditions", () => {
    expect(scopedArgs("Visit", "findMany", { where: { patientId: 7 }, take: 5 }, 3)).toEqual({
      where: { patientId: 7, practiceId: 3 },
      take: 5,
    });
    expect(scopedArgs("Patient", "count", undefined, 3)).toEqual({ where: { practiceId: 3 } });
    expect(scopedArgs("Visit", "findUnique", { where: { id: 9 } }, 3)).toEqual({ where: { id: 9, practiceId: 3 } });
  });

  it("writes new rows into the practice, one or many", () => {
    expect(scopedArgs("Patient", "create", { data: { externalId: "P1" } }, 4)).toEqual({ data: { externalId: "P1", practiceId: 4 } });
    expect(scopedArgs("Patient", "createMany", { data: [{ externalId: "P1" }, { externalId: "P2", practiceId: 4 }] }, 4)).toEqual({
      data: [
        { externalId: "P1", practiceId: 4 },
        { externalId: "P2", practiceId: 4 },
      ],
    });
    expect(scopedArgs("KxQueueItem", "upsert", { where: { id: 1 }, create: { year: 2026 }, update: { year: 2026 } }, 4)).toEqual({
      where: { id: 1, practiceId: 4 },
      create: { year: 2026, practiceId: 4 },
      update: { year: 2026 },
    });
  });

  it("refuses a query that names another practice, in where, new rows or an update", () => {
    expect(() => scopedArgs("Visit", "findMany", { where: { practiceId: 2 } }, 3)).toThrow(OtherPracticeNamed);
    expect(() => scopedArgs("Visit", "findMany", { where: { practiceId: { in: [2, 3] } } }, 3)).toThrow(OtherPracticeNamed);
    expect(() => scopedArgs("Patient", "createMany", { data: [{ practiceId: 3 }, { practiceId: 2 }] }, 3)).toThrow(OtherPracticeNamed);
    expect(() => scopedArgs("Patient", "updateMany", { where: {}, data: { practiceId: 2 } }, 3)).toThrow(OtherPracticeNamed);
  });

  it("scopes the practice itself by its id, and never creates one inside a scope", () => {
    expect(scopedArgs("Practice", "findUniqueOrThrow", { where: { id: 3 } }, 3)).toEqual({ where: { id: 3 } });
    expect(scopedArgs("Practice", "findUnique", { where: { slug: "other" } }, 3)).toEqual({ where: { slug: "other", id: 3 } });
    expect(() => scopedArgs("Practice", "update", { where: { id: 2 }, data: {} }, 3)).toThrow(OtherPracticeNamed);
    expect(() => scopedArgs("Practice", "create", { data: { slug: "x" } }, 3)).toThrow();
  });
});

/** Source files of ours (not generated, not dependencies). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!["node_modules", "generated", ".next", ".data"].includes(entry.name) && !entry.name.startsWith(".next"))
        out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function filesUsing(pattern: RegExp): string[] {
  return ["app", "lib", "scripts", "prisma", "e2e"]
    .flatMap(sourceFiles)
    .filter((f) => !/\.test\.ts$/.test(f) && pattern.test(fs.readFileSync(path.join(root, f), "utf8")))
    .sort();
}

describe("where the practice scope may be bypassed or entered", () => {
  it("reaches the unscoped client only from the named places (docs/architecture.md)", () => {
    expect(filesUsing(/\bunscopedDb\b/)).toEqual([
      "lib/server/core/auth-options.ts", // sign-in: the user by email, before any practice
      "lib/server/core/context.ts", // the session's memberships, which choose the practice
      "lib/server/core/db-client.ts", // where it is made
      "lib/server/core/rate-limit.ts", // sign-in throttling, before anyone is signed in
      "lib/server/core/scope.ts", // the scoped client is built on it
      "lib/server/core/sessions.ts", // the session behind a cookie, which decides the practice
      "lib/server/core/sign-in-throttle.ts", // a failed sign-in's account and its practices, before any scope
      "lib/server/health.ts", // the migrations' ledger, for the health route (no practice's data)
      "lib/server/invitations.ts", // an invitation link's token, before anyone is signed in
      "lib/server/practices.ts", // creating a practice (admin tooling), the command line's --practice
    ]);
    expect(filesUsing(/\bownerDb\b/)).toEqual(["lib/server/core/db-client.ts", "lib/server/testing.ts"]);
  });

  it("enters a practice scope only from the guard, sign-in, the command line and test helpers", () => {
    expect(filesUsing(/\bwithPracticeScope\(/)).toEqual([
      "lib/server/core/auth-options.ts",
      "lib/server/core/guard.ts",
      "lib/server/core/sign-in-throttle.ts",
      "lib/server/invitations.ts",
      "lib/server/testing.ts",
      "prisma/seed.ts",
      "scripts/admin.ts",
      "scripts/export.ts",
      "scripts/import.ts",
      "scripts/reference.ts",
    ]);
    // a whole process in one practice: benchmarks only
    expect(filesUsing(/\benterPracticeScopeForProcess\(/)).toEqual([
      "lib/server/core/scope.ts", // where it is made
      "scripts/bench/835.ts",
      "scripts/bench/dashboard.ts",
      "scripts/bench/kx.ts",
      "scripts/bench/pages.ts",
    ]);
  });
});

describe("pages and routes", () => {
  it("never query the database themselves: they call lib/server (which may take the scoped client)", () => {
    const querying = sourceFiles("app").filter(
      (f) => !/\.test\.ts$/.test(f) && /\bdb\(\)\s*\.\s*(\$|\w+\s*\.)/.test(fs.readFileSync(path.join(root, f), "utf8")),
    );
    expect(querying).toEqual([]);
  });
});
