// The failed tests named at the end of `npm test`, read from vitest's and Playwright's JSON
// reports (the shapes below are cut from real reports of this project's suites).
import { describe, expect, it } from "vitest";
import { firstErrorLine, playwrightFailures, vitestFailures } from "./test-report";

describe("firstErrorLine", () => {
  it("keeps the first line that says something, without terminal colours", () => {
    expect(firstErrorLine("\n  \n\u001b[31mAssertionError: expected 3 to be 4\u001b[39m\n    at foo.ts:1:1")).toBe(
      "AssertionError: expected 3 to be 4",
    );
    expect(firstErrorLine(undefined)).toBe("(no message)");
    expect(firstErrorLine("x".repeat(500))).toHaveLength(300);
  });
});

describe("vitestFailures", () => {
  it("names each failed test by file and full name, and a file that failed without a failed test", () => {
    const json = {
      numPassedTests: 1,
      numFailedTests: 1,
      testResults: [
        {
          name: "/repo/lib/server/a.int.test.ts",
          status: "failed",
          assertionResults: [
            { fullName: "imports a file", status: "passed", failureMessages: [] },
            {
              fullName: "statement timeout stops a slow request",
              status: "failed",
              failureMessages: ["Error: Test timed out in 60000ms.\nIf this is a long-running test…"],
            },
          ],
        },
        { name: "/repo/lib/server/b.int.test.ts", status: "failed", message: "Hook timed out in 120000ms.", assertionResults: [] },
        { name: "/repo/lib/server/c.int.test.ts", status: "passed", assertionResults: [{ fullName: "ok", status: "passed" }] },
      ],
    };
    expect(vitestFailures(json, "integration", "/repo")).toEqual([
      "integration: lib/server/a.int.test.ts › statement timeout stops a slow request: Error: Test timed out in 60000ms.",
      "integration: lib/server/b.int.test.ts: Hook timed out in 120000ms.",
    ]);
  });

  it("is empty for a report with no failure, or none at all", () => {
    expect(vitestFailures({ testResults: [{ name: "/repo/x.test.ts", status: "passed", assertionResults: [] }] }, "unit", "/repo")).toEqual(
      [],
    );
    expect(vitestFailures({}, "unit", "/repo")).toEqual([]);
  });
});

describe("playwrightFailures", () => {
  it("names each unexpected test of nested suites by file, line and title, with its last error", () => {
    const json = {
      suites: [
        {
          title: "pages.spec.ts",
          file: "pages.spec.ts",
          specs: [{ title: "owner: every page", file: "pages.spec.ts", line: 259, tests: [{ status: "expected", results: [{}] }] }],
          suites: [
            {
              title: "each download equals its view on screen",
              file: "exports.spec.ts",
              specs: [
                {
                  title: "KX queue: a pool and a sort in the address",
                  file: "exports.spec.ts",
                  line: 53,
                  tests: [
                    {
                      status: "unexpected",
                      results: [{ error: { message: "Error: expect(locator).toHaveText(expected)\n\nExpected: 3" } }],
                    },
                  ],
                },
                {
                  title: "flaky one",
                  file: "exports.spec.ts",
                  line: 75,
                  tests: [{ status: "flaky", results: [{ error: { message: "x" } }, {}] }],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(playwrightFailures(json)).toEqual([
      "e2e: exports.spec.ts:53 › KX queue: a pool and a sort in the address: Error: expect(locator).toHaveText(expected)",
    ]);
  });
});
