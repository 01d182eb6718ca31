// One page size and one arithmetic for every list of the app: 50 rows a page, the page number
// in the URL (`?page=N`, lib/schemas/search-params.ts `queryPage`), the number of pages from a
// total the database counted over the whole filtered list (never from the rows of one page).

/** Rows on one page of any list. */
export const LIST_PAGE_SIZE = 50;
/** lists of cards rather than rows (the undercoding review: each card carries its whole therapy
 * note, the words found and the rule), so that a page stays short to read and under 150 KB */
export const CARD_PAGE_SIZE = 25;

/** Pages a list of `total` rows fills; an empty list still has its one (empty) page. */
export function pageCount(total: number, pageSize = LIST_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Rows before page `page` (pages count from 1). */
export function pageOffset(page: number, pageSize = LIST_PAGE_SIZE): number {
  return (Math.max(1, Math.trunc(page)) - 1) * pageSize;
}

/** One page of a list, with what the whole filtered list holds. */
export interface ListPage<Row> {
  rows: Row[];
  /** rows of the whole filtered list, counted by the database */
  total: number;
  page: number;
  pages: number;
}

/** A page of rows cut from a list the caller already holds whole (a short, bounded list). */
export function slicePage<Row>(all: readonly Row[], page: number, pageSize = LIST_PAGE_SIZE): ListPage<Row> {
  const offset = pageOffset(page, pageSize);
  return { rows: all.slice(offset, offset + pageSize), total: all.length, page, pages: pageCount(all.length, pageSize) };
}

const COUNT = new Intl.NumberFormat("en-US");

/** The pager's words: "Page 2 of 14 · 687 lines". */
export function pagerText(page: number, total: number, noun: readonly [string, string], pageSize = LIST_PAGE_SIZE): string {
  return `Page ${COUNT.format(page)} of ${COUNT.format(pageCount(total, pageSize))} · ${COUNT.format(total)} ${total === 1 ? noun[0] : noun[1]}`;
}
