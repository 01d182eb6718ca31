import { describe, expect, it } from "vitest";
import { payeeInWords, payeeIsAnotherProvider } from "./payee";

describe("the 835 payee against the practice", () => {
  const practice = { npi: "1234567893", taxId: "12-3456789" };
  it("compares the identifiers both sides have", () => {
    expect(payeeIsAnotherProvider({ name: "US", npi: "1234567893", taxId: null }, practice)).toBe(false);
    expect(payeeIsAnotherProvider({ name: "THEM", npi: "1999999998", taxId: null }, practice)).toBe(true);
    // a tax id written with or without its dash is the same
    expect(payeeIsAnotherProvider({ name: "US", npi: null, taxId: "123456789" }, practice)).toBe(false);
    expect(payeeIsAnotherProvider({ name: "THEM", npi: null, taxId: "599944521" }, practice)).toBe(true);
    // the right NPI with another tax id is still not quite us: ask
    expect(payeeIsAnotherProvider({ name: "?", npi: "1234567893", taxId: "599944521" }, practice)).toBe(true);
  });
  it("cannot tell when nothing can be compared", () => {
    expect(payeeIsAnotherProvider(null, practice)).toBeNull();
    expect(payeeIsAnotherProvider({ name: "X", npi: "1999999998", taxId: null }, { npi: null, taxId: null })).toBeNull();
    expect(payeeIsAnotherProvider({ name: "X", npi: null, taxId: "599944521" }, { npi: "1234567893", taxId: null })).toBeNull();
  });
  it("names a payee in words", () => {
    expect(payeeInWords({ name: "ACME MEDICAL CENTER", npi: "5544667733", taxId: "777667755" })).toBe(
      "ACME MEDICAL CENTER (NPI 5544667733, tax id 777667755)",
    );
  });
});
