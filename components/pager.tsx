// The page navigation under every list: "Page 2 of 14 · 687 lines" with the previous and next
// pages, the page number in the URL (`href(n)` keeps the list's filters and sort). The total is
// the database's count over the whole filtered list. It wraps on a 360 px phone.
import Link from "@/components/link";
import { LIST_PAGE_SIZE, pageCount, pagerText } from "@/lib/ui/paging";

const COUNT = new Intl.NumberFormat("en-US");

export interface PagerProps {
  page: number;
  /** rows of the whole filtered list */
  total: number;
  /** what a row is, one and many: ["line", "lines"] */
  noun: readonly [string, string];
  href: (page: number) => string;
  pageSize?: number;
  /** the list's name, when a page has more than one list */
  label?: string;
  /** keep the scroll position (a list in the middle of a page) */
  scroll?: boolean;
}

export function Pager({ page, total, noun, href, pageSize = LIST_PAGE_SIZE, label, scroll }: PagerProps) {
  if (total === 0 && page === 1) return null;
  const pages = pageCount(total, pageSize);
  // a second list on a page names its own ("The imports, page by page"), apart from the main "Pages"
  const name = label ? `${label.charAt(0).toUpperCase()}${label.slice(1)}, page by page` : "Pages";
  if (page > pages)
    return (
      <nav aria-label={name} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm" data-pager>
        <span role="status">
          There is no page {COUNT.format(page)}: the list has {COUNT.format(pages)} {pages === 1 ? "page" : "pages"} ({COUNT.format(total)}{" "}
          {total === 1 ? noun[0] : noun[1]}).
        </span>
        <Link href={href(pages)} scroll={scroll}>
          Go to page {COUNT.format(pages)}
        </Link>
      </nav>
    );
  return (
    <nav aria-label={name} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm" data-pager>
      {page > 2 ? (
        <Link href={href(1)} scroll={scroll}>
          « First
        </Link>
      ) : null}
      {page > 1 ? (
        <Link href={href(page - 1)} rel="prev" scroll={scroll}>
          ← Previous
        </Link>
      ) : null}
      <span className="text-slate-700">{pagerText(page, total, noun, pageSize)}</span>
      {page < pages ? (
        <Link href={href(page + 1)} rel="next" scroll={scroll}>
          Next →
        </Link>
      ) : null}
      {page < pages - 1 ? (
        <Link href={href(pages)} scroll={scroll}>
          Last »
        </Link>
      ) : null}
    </nav>
  );
}
