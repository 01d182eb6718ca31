import { describe, expect, it } from "vitest";
import { unpricedSentence } from "./no-price";

const SLP =
  "No Medicare price for 92507: load the CMS 2026 Physician Fee Schedule RVU file. The line is not priced with another year's figures.";

describe("lines without a price", () => {
  it("says nothing when every line has a price", () => {
    expect(unpricedSentence([{ cpt: "97110", noPrice: null }])).toBeNull();
    expect(unpricedSentence([])).toBeNull();
  });

  it("names the codes and says why, once per reason", () => {
    expect(
      unpricedSentence([
        { cpt: "97110", noPrice: null },
        { cpt: "92507", noPrice: SLP },
      ]),
    ).toBe(`1 line (92507) has no price and is left out of this total. ${SLP}`);
    // two 92507 lines and a 92526 line: three lines, two codes, the reasons each once
    const other = "No Medicare price for 92526: load the CMS 2026 Physician Fee Schedule RVU file";
    expect(
      unpricedSentence(
        [
          { cpt: "92507", noPrice: SLP },
          { cpt: "92526", noPrice: other },
          { cpt: "92507", noPrice: SLP },
        ],
        "the visit's amount",
      ),
    ).toBe(`3 lines (92507, 92526) have no price and are left out of the visit's amount. ${SLP} ${other}.`);
  });
});
