import { describe, expect, it } from "vitest";
import { shortWeekLabel, weekLabel } from "./weeks";

describe("week labels", () => {
  it("names a week by its Monday and Sunday, the month once when both are in it", () => {
    // 2026-03-02 is a Monday; its Sunday is 2026-03-08
    expect(weekLabel("2026-03-02")).toBe("Mar 2 – 8, 2026");
    // 2026-03-30 is a Monday; its Sunday, six days later, is April 5
    expect(weekLabel("2026-03-30")).toBe("Mar 30 – Apr 5, 2026");
    // across the year: Monday 2026-12-28 to Sunday 2027-01-03, the year of the Sunday
    expect(weekLabel("2026-12-28")).toBe("Dec 28 – Jan 3, 2027");
  });

  it("labels a chart's week by its Monday, whatever the server's time zone", () => {
    expect(shortWeekLabel("2026-03-02")).toBe("Mar 2");
    expect(shortWeekLabel("2026-01-05")).toBe("Jan 5");
    expect(shortWeekLabel("2026-11-30")).toBe("Nov 30");
  });
});
