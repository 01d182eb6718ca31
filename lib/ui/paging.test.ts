import { describe, expect, it } from "vitest";
import { LIST_PAGE_SIZE, pageCount, pageOffset, pagerText, slicePage } from "./paging";

describe("one page arithmetic for every list", () => {
  it("counts pages of 50 from the whole list's total", () => {
    expect(LIST_PAGE_SIZE).toBe(50);
    // 687 lines = 13 full pages of 50 (650) + 37 on a 14th
    expect(pageCount(687)).toBe(14);
    expect(pageCount(650)).toBe(13);
    expect(pageCount(1)).toBe(1);
    // an empty list still has its one (empty) page
    expect(pageCount(0)).toBe(1);
  });

  it("starts page N after (N − 1) × 50 rows", () => {
    expect(pageOffset(1)).toBe(0);
    expect(pageOffset(2)).toBe(50);
    expect(pageOffset(14)).toBe(650);
  });

  it("cuts a page from a short list and says what the whole list holds", () => {
    const rows = Array.from({ length: 120 }, (_, i) => i + 1);
    // page 3 of 120 rows: rows 101..120, 20 of them
    const third = slicePage(rows, 3);
    expect(third.rows).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(third).toMatchObject({ total: 120, page: 3, pages: 3 });
  });
});

describe("the pager's words", () => {
  it("says the page, the pages and the whole list's count", () => {
    // 687 lines at 50 a page: 14 pages
    expect(pagerText(2, 687, ["line", "lines"])).toBe("Page 2 of 14 · 687 lines");
    expect(pagerText(1, 1, ["line", "lines"])).toBe("Page 1 of 1 · 1 line");
    expect(pagerText(3, 12_345, ["patient", "patients"])).toBe("Page 3 of 247 · 12,345 patients");
  });
});
