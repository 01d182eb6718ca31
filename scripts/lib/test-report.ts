// What a test run's JSON reports say failed, one line per failed test: the end of a long CI log
// (scripts/test.ts prints these just above its last line) then names what to look at.
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

/** The first line of an error message that says something, without terminal colours, cut to a line's width. */
export function firstErrorLine(message: string | undefined): string {
  const plain = stripVTControlCharacters(message ?? "");
  const line = plain.split("\n").find((l) => l.trim() !== "") ?? "(no message)";
  return line.trim().slice(0, 300);
}

export interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numRuntimeErrorTestSuites?: number;
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: { fullName?: string; title?: string; status?: string; failureMessages?: string[] }[];
  }[];
}

/** Every failed test of a vitest JSON report, and every file that failed without a failed test (it did not load, a hook failed). */
export function vitestFailures(json: VitestJson, suite: string, root: string): string[] {
  const found: string[] = [];
  for (const file of json.testResults ?? []) {
    const where = path.relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) found.push(`${suite}: ${where} › ${a.fullName ?? a.title}: ${firstErrorLine(a.failureMessages?.[0])}`);
    if (failed.length === 0 && file.status === "failed") found.push(`${suite}: ${where}: ${firstErrorLine(file.message)}`);
  }
  return found;
}

interface PlaywrightSuite {
  title?: string;
  file?: string;
  specs?: { title: string; file?: string; line?: number; tests?: { status?: string; results?: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}

/** Every test of a Playwright JSON report whose outcome was unexpected (failed, timed out, passed when it should not). */
export function playwrightFailures(json: { suites?: PlaywrightSuite[] }): string[] {
  const found: string[] = [];
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "unexpected") continue;
        const error = [...(t.results ?? [])].reverse().find((r) => r.error)?.error?.message;
        found.push(`e2e: ${spec.file ?? suite.file}:${spec.line ?? "?"} › ${spec.title}: ${firstErrorLine(error)}`);
      }
    }
    for (const inner of suite.suites ?? []) walk(inner);
  };
  for (const s of json.suites ?? []) walk(s);
  return found;
}
