"use client";
// The denials page's tables of figures by week and by week and payer, drawn from plain figures
// (dates and dollars already in words): the page's data carries each row as four short fields and
// the rows' links are made here, instead of a tree of cells and a link of 90 characters per row
// written beside the HTML. Over two years (104 weeks, a thousand weeks of payers) the two tables
// were half of the page's 176 KB.
import Link from "./link";

/** [week (YYYY-MM-DD), the week in words, lines, dollars in words] */
export type WeekFigure = [week: string, label: string, lines: number, dollars: string];

/** The rows of "By week": each week opens its denied lines (`base` is the page's address with its filters, `week` added). */
export function DenialWeekRows({ rows, base }: { rows: WeekFigure[]; base: string }) {
  const joiner = base.endsWith("?") ? "" : "&";
  return rows.map(([week, label, lines, dollars]) => (
    <tr key={week}>
      <td>
        <Link href={`${base}${joiner}week=${week}#drill`}>{label}</Link>
      </td>
      <td className="num">{lines}</td>
      <td className="num">{dollars}</td>
    </tr>
  ));
}

/** The rows of "Week × payer": each opens that payer's denied lines of the week, over the period from … to. */
export function DenialWeekPayerRows({ rows, from, to }: { rows: [...WeekFigure, payer: string][]; from: string; to: string }) {
  return rows.map(([week, label, lines, dollars, payer]) => (
    <tr key={`${week}|${payer}`}>
      <td>
        <Link href={`/denials?${new URLSearchParams({ from, to, payer, week })}#drill`}>{label}</Link>
      </td>
      <td>{payer}</td>
      <td className="num">{lines}</td>
      <td className="num">{dollars}</td>
    </tr>
  ));
}
