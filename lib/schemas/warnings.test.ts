import { describe, expect, it } from "vitest";
import { alertLevelWarning, contractRateWarning } from "./warnings";

describe("warnings for values a form accepts but a person probably did not mean", () => {
  it("warns of a KX alert level at or above the year's KX threshold ($2,480 in 2026)", () => {
    expect(alertLevelWarning("5000", 2026)).toMatch(/\$5,000\.00 is at or above the 2026 KX threshold \(\$2,480\.00\)/);
    expect(alertLevelWarning("2480", 2026)).toMatch(/at or above/);
    // $1,000 is under half of $2,480 ($1,240)
    expect(alertLevelWarning("1000", 2026)).toMatch(/less than half/);
    expect(alertLevelWarning("2000", 2026)).toBeNull();
    expect(alertLevelWarning("", 2026)).toBeNull();
    // a year without a loaded threshold: nothing to compare with
    expect(alertLevelWarning("5000", 2099)).toBeNull();
  });

  it("warns of a contract rate under $1 or of $1,000 and more a unit", () => {
    expect(contractRateWarning("0.85")).toMatch(/\$0\.85 a unit is unusually low/);
    expect(contractRateWarning("1500")).toMatch(/unusually high/);
    expect(contractRateWarning("32.50")).toBeNull();
    expect(contractRateWarning("")).toBeNull();
  });
});
