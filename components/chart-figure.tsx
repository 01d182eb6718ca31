// A chart card with its figures one click away: the caption, the chart, and a "The numbers"
// table (first column a label, the others numbers, right-aligned by the table's column rule
// rather than a class on every cell) for those who would rather read them, left out of print.
import type { ReactNode } from "react";

export function ChartFigure({
  caption,
  chart,
  columns,
  children,
}: {
  caption: string;
  chart: ReactNode;
  /** column headings: the first labels the rows, the rest are numeric */
  columns: readonly string[];
  /** the table's rows */
  children: ReactNode;
}) {
  return (
    <figure className="card revenue-chart space-y-2">
      <figcaption className="font-semibold">{caption}</figcaption>
      {chart}
      <details className="no-print text-sm">
        <summary>The numbers</summary>
        <table className="data chart-numbers mt-2">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </details>
    </figure>
  );
}
