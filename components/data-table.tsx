// The one table of the list pages: a header row (a column may sort: its link is the list's URL
// with the other order, `aria-sort` says the current one), the rows the page renders, and an
// empty state in words instead of an empty grid. Below 1024 px `table.data` scrolls inside its
// own box with its first column fixed (app/globals.css), so a 360 px phone never scrolls
// sideways. Rows stay the page's own JSX: cells link, badge and format as each list needs.
import type { ReactNode } from "react";
import Link from "@/components/link";

export interface SortState {
  href: string;
  active: "asc" | "desc" | null;
}

export interface DataColumn {
  header: ReactNode;
  /** right-aligned figures */
  numeric?: boolean;
  className?: string;
  /** a sortable column: where its header leads and whether the list is sorted by it now */
  sort?: SortState;
  /** the header as a screen reader should hear it, when it is not text (a tick box) */
  key?: string;
}

export function DataTable({
  label,
  columns,
  rowCount,
  empty,
  children,
  className,
}: {
  label?: string;
  columns: DataColumn[];
  rowCount: number;
  /** what an empty list says, in words */
  empty: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  if (rowCount === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <table className={className ? `data ${className}` : "data"} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <SortableHeader key={c.key ?? (typeof c.header === "string" ? c.header : i)} column={c} />
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function SortableHeader({ column }: { column: DataColumn }) {
  const cls = [column.numeric ? "num" : "", column.className ?? ""].join(" ").trim() || undefined;
  const sort = column.sort;
  if (!sort)
    return (
      <th scope="col" className={cls}>
        {column.header}
      </th>
    );
  return (
    <th scope="col" className={cls} aria-sort={sort.active === "asc" ? "ascending" : sort.active === "desc" ? "descending" : undefined}>
      <Link href={sort.href} scroll={false}>
        {column.header}
        {sort.active === "asc" ? " ▲" : sort.active === "desc" ? " ▼" : ""}
      </Link>
    </th>
  );
}
