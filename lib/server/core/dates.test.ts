import { describe, expect, it } from "vitest";
import { momentCell } from "../lists/view";
import { todayIn } from "./dates";

// Both keep one formatter per time zone for the process: a second zone must not get the first's.
describe("today and moments in the practice's time zone", () => {
  it("gives the practice's own calendar date, zone after zone", () => {
    // 2027-01-01 02:00 UTC is 21:00 on 31 December in New York (UTC−5 in winter)
    const now = new Date("2027-01-01T02:00:00Z");
    expect(todayIn("America/New_York", now)).toBe("2026-12-31");
    expect(todayIn("UTC", now)).toBe("2027-01-01");
    // Kiritimati is UTC+14: already 16:00 on 1 January
    expect(todayIn("Pacific/Kiritimati", now)).toBe("2027-01-01");
    expect(todayIn("America/New_York", now)).toBe("2026-12-31");
    // a zone that does not exist falls back to the UTC date
    expect(todayIn("Mars/Olympus_Mons", now)).toBe("2027-01-01");
  });

  it("writes a moment as a spreadsheet sorts it, in each zone asked for", () => {
    // 14:30 UTC on 4 December: 09:30 in New York (UTC−5), 04:30 in Honolulu (UTC−10)
    expect(momentCell("2026-12-04T14:30:00Z", "America/New_York")).toBe("2026-12-04 09:30");
    expect(momentCell("2026-12-04T14:30:00Z", "Pacific/Honolulu")).toBe("2026-12-04 04:30");
    expect(momentCell(new Date("2026-12-04T14:30:00Z"), "America/New_York")).toBe("2026-12-04 09:30");
    // 05:05 UTC is five past midnight in New York: "00", not "24"
    expect(momentCell("2026-12-05T05:05:00Z", "America/New_York")).toBe("2026-12-05 00:05");
    expect(momentCell(null, "America/New_York")).toBe("");
    expect(momentCell("not a date", "America/New_York")).toBe("");
  });
});
