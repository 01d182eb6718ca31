import { describe, expect, it } from "vitest";
import { safeReturnPath, waitInWords } from "./sign-in";

describe("where sign-in returns to", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeReturnPath("/kx")).toBe("/kx");
    expect(safeReturnPath("/revenue?week=2026-03-02")).toBe("/revenue?week=2026-03-02");
  });

  it("drops scripts, other sites and the tricks browsers turn into other sites", () => {
    for (const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "https://evil.example/",
      "//evil.example/path",
      "/\\evil.example",
      "/\t/evil.example",
      " /kx",
      "",
      "/signin",
      "/api/auth/signout",
    ])
      expect(safeReturnPath(bad), JSON.stringify(bad)).toBeNull();
    expect(safeReturnPath(["/kx"])).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });

  it("says waits in words", () => {
    expect([1, 5, 59, 60, 61, 900].map(waitInWords)).toEqual([
      "1 second",
      "5 seconds",
      "59 seconds",
      "1 minute",
      "2 minutes",
      "15 minutes",
    ]);
  });
});
