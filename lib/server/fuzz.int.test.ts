// Generated invalid input against every import and every server action, CI-sized: the same
// engine as `npm run bench -- fuzz` (scripts/bench/fuzz.ts, 10,000 cases per target), with
// FUZZ_CASES cases per target (default 100) and a seed that changes with FUZZ_SEED.
// A case fails when anything throws, an action answers 500 (or without a message), or an
// import reports an error without saying where.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppAction, appActions, buildFuzzWorld, type FuzzWorld, runFuzz } from "@/scripts/bench/fuzz";
import { disconnectDb } from "./core/db";

const CASES = Number(process.env.FUZZ_CASES ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 2026);

describe(`fuzzing (${CASES} cases per target, seed ${SEED})`, () => {
  let world: FuzzWorld;
  let actions: AppAction[];
  beforeAll(async () => {
    actions = await appActions();
    world = await buildFuzzWorld("fuzz-ci");
  }, 240_000);
  afterAll(() => disconnectDb());

  const failuresOf = (reports: Awaited<ReturnType<typeof runFuzz>>) =>
    reports.filter((r) => r.failures > 0).map((r) => ({ target: r.target, failures: r.failures, examples: r.examples }));

  it("every import answers any file with a result, and every error names its place", async () => {
    const reports = await runFuzz(world, { cases: CASES, seed: SEED, only: ["import "] });
    expect(reports.map((r) => r.target)).toEqual(["import visits.csv", "import usage.csv", "import contracts.csv", "import 835"]);
    for (const r of reports) expect(r.cases).toBe(CASES);
    // most cases are rejected, and some mutations survive as valid files
    for (const r of reports) expect(r.outcomes.rejected ?? 0).toBeGreaterThan(CASES / 2);
    expect(failuresOf(reports)).toEqual([]);
  }, 300_000);

  it("every server action answers any input with a 4xx and a message, never a crash or a 500", async () => {
    expect(actions.length).toBeGreaterThan(0);
    const reports = await runFuzz(world, { cases: CASES, seed: SEED, only: ["action "] });
    expect(reports.map((r) => r.target).sort()).toEqual(actions.map((a) => `action ${a.name}`).sort());
    for (const r of reports) expect(r.cases).toBe(CASES);
    expect(failuresOf(reports)).toEqual([]);
  }, 600_000);
});
