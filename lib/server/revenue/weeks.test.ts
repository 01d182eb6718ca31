import { describe, expect, it } from "vitest";
import { shortWeekLabel, splitPeriod, weekLabel } from "./weeks";

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

describe("a period cut into whole weeks and the days at its edges", () => {
  it("keeps the whole weeks (Mondays) for the rollup and the days before and after them for the lines", () => {
    // Thursday 1 January … Friday 4 December 2026: whole weeks Monday 5 January … the week of
    // Monday 23 November (ends Sunday 29 November); edges 1–4 January and 30 November – 4 December
    expect(splitPeriod("2026-01-01", "2026-12-04")).toEqual({
      weeks: ["2026-01-05", "2026-11-23"],
      edges: [
        ["2026-01-01", "2026-01-04"],
        ["2026-11-30", "2026-12-04"],
      ],
    });
    // Monday 7 September … Sunday 6 December: 13 whole weeks, no edge
    expect(splitPeriod("2026-09-07", "2026-12-06")).toEqual({ weeks: ["2026-09-07", "2026-11-30"], edges: [] });
    // Tuesday 2 … Friday 5 June: no whole week
    expect(splitPeriod("2026-06-02", "2026-06-05")).toEqual({ weeks: null, edges: [["2026-06-02", "2026-06-05"]] });
    // Tuesday 2 … Sunday 14 June: the week of Monday 8 June, and 2–7 June
    expect(splitPeriod("2026-06-02", "2026-06-14")).toEqual({ weeks: ["2026-06-08", "2026-06-08"], edges: [["2026-06-02", "2026-06-07"]] });
  });
});
