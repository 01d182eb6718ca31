// Which errors mean "the database cannot be reached right now" (answered 503, "try again") and
// which are bugs (500): the shapes the pg adapter and Prisma throw.
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./errors";

describe("isDatabaseUnavailable", () => {
  it("knows a DriverAdapterError thrown as it is, its kind in its cause (a connection that broke mid-transaction)", () => {
    const error = Object.assign(new Error("ConnectionClosed"), { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("knows Prisma's wrapper of the same, and PostgreSQL's shutdown code", () => {
    expect(isDatabaseUnavailable({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } } })).toBe(true);
    expect(isDatabaseUnavailable({ code: "57P01", message: "terminating connection due to administrator command" })).toBe(true);
  });

  it("leaves a bad query a bug", () => {
    const error = Object.assign(new Error("integer out of range"), {
      name: "DriverAdapterError",
      cause: { kind: "ValueOutOfRange", originalCode: "22003" },
    });
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
