import { describe, expect, it } from "vitest";
import { dateText, momentText, zoneInWords } from "./dates";

describe("one date format on every screen", () => {
  it("shows a calendar date without moving it across time zones", () => {
    expect(dateText("2026-10-08")).toBe("Oct 8, 2026");
    // a DATE column arrives as midnight UTC: still the 8th, whatever the server's zone
    expect(dateText(new Date("2026-10-08T00:00:00Z"))).toBe("Oct 8, 2026");
    expect(dateText(null)).toBe("");
    expect(dateText("not a date")).toBe("");
  });

  it("shows a moment in the practice's time zone", () => {
    // 02:30 UTC on Jan 15 is 9:30 PM on Jan 14 in New York (UTC−5 in winter)
    expect(momentText("2026-01-15T02:30:00Z", "America/New_York")).toBe("Jan 14, 2026, 9:30 PM");
    // and 6:30 PM in Los Angeles (UTC−8)
    expect(momentText(new Date("2026-01-15T02:30:00Z"), "America/Los_Angeles")).toBe("Jan 14, 2026, 6:30 PM");
  });
});

describe("a time zone as a person names it", () => {
  it("names the zone, not its IANA key", () => {
    expect(zoneInWords("America/New_York")).toBe("Eastern Time");
    expect(zoneInWords("America/Los_Angeles")).toBe("Pacific Time");
    expect(zoneInWords("Not/A_Zone")).toBe("Not/A Zone");
  });
});
