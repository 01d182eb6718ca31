import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password";

describe("the password rule (NIST 800-63B)", () => {
  it("refuses fewer than 12 characters, counting characters rather than UTF-16 units", () => {
    // "aaaaaaaaaa" is 10 characters
    expect(passwordProblem("aaaaaaaaaa")).toMatch(/^Use at least 12 characters \(this one has 10\)/);
    // 11 emoji are 22 UTF-16 units but 11 characters
    expect(passwordProblem("🦊".repeat(11))).toMatch(/this one has 11/);
  });

  it("refuses long but guessable passwords: repeats, common passwords, keyboard runs, the person's own email", () => {
    for (const weak of ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "Password123!", "123456789012"])
      expect(passwordProblem(weak), weak).toMatch(/^This password is too easy to guess\./);
    // the zxcvbn warning is passed on in plain words
    expect(passwordProblem("aaaaaaaaaaaa")).toContain('Repeated characters like "aaa" are easy to guess.');
    // the person's own email as a password: long enough to pass alone, refused once the
    // estimator is told whose password it is
    expect(passwordProblem("jane.smith@physio.test")).toBeNull();
    expect(passwordProblem("jane.smith@physio.test", ["jane.smith@physio.test", "Jane Smith"])).toMatch(/too easy to guess/);
  });

  it("has no composition rules: a passphrase of plain lower-case words passes, and so does the demo password", () => {
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("demo-password-2026", ["owner@demo.test", "Owner Demo"])).toBeNull();
    expect(passwordProblem("lantern orchard pebble")).toBeNull();
  });

  it("says what to do without asking for capitals, digits or symbols", () => {
    expect(passwordProblem("password1234")).toContain("capitals, digits or symbols are not required");
  });
});
