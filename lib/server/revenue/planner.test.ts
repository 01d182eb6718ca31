import { describe, expect, it } from "vitest";
import { candidateLinesOfVisit, PROBE_PER_VISIT_DAYS, probePerVisit } from "./planner";

describe("probePerVisit", () => {
  it("probes visit by visit over thirteen service weeks at most", () => {
    // 13 weeks, Monday 20 July to Sunday 18 October 2026: 31 + 31 + 30 - 19 + 17 = 90 days apart
    expect(probePerVisit("2026-07-20", "2026-10-18")).toBe(true);
    // one day more: 91 days apart, the planner chooses
    expect(probePerVisit("2026-07-20", "2026-10-19")).toBe(false);
    // a day, and two years (730 days apart)
    expect(probePerVisit("2026-12-05", "2026-12-05")).toBe(true);
    expect(probePerVisit("2024-12-05", "2026-12-05")).toBe(false);
    expect(PROBE_PER_VISIT_DAYS).toBe(91);
  });
});

describe("candidateLinesOfVisit", () => {
  it("fences the probe behind offset 0 so that it stays a lateral subquery, and joins otherwise", () => {
    const probed = candidateLinesOfVisit(true).sql.replace(/\s+/g, " ");
    expect(probed).toContain(
      `cross join lateral ( select s.* from "ServiceLine" s where s."visitId" = v.id and s."undercodingDirection" is not null`,
    );
    expect(probed).toMatch(/offset 0 \) s$/);
    const joined = candidateLinesOfVisit(false).sql.replace(/\s+/g, " ");
    expect(joined).toBe(`join "ServiceLine" s on s."visitId" = v.id and s."undercodingDirection" is not null `);
  });
});
