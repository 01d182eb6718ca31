// The CSV download of a list as it is on screen ("Download CSV" on the KX queue, the
// underpayments worklist, the undercoding candidates and the denied lines): the route reads
// the page's own query string with the page's own parser (lib/schemas/search-params.ts), turns
// it into the page's filters with the same function the page uses, and runs the page's query
// for every page of rows, in the page's order. Columns are in the users' words: patient names,
// the row's status and assignee, dates as calendar dates and moments in the practice's time zone,
// money in dollars.
import { type PagePath, pageQuery } from "@/lib/schemas/search-params";
import { audit } from "../core/audit";
import type { PracticeContext } from "../core/context";
import { db } from "../core/db";
import { type GuardedRoute, guardedRoute } from "../core/guard";
import type { Permission } from "../core/permissions";
import { csvRows } from "./format";

export type ViewCell = string | number | null | undefined;

export interface ViewColumn<R> {
  header: string;
  cell: (row: R, ctx: PracticeContext) => ViewCell;
}

export interface ListView<F, R> {
  /** the page whose query string the download shares ("/kx") */
  page: PagePath;
  permission: Permission;
  /** the download's file name without the practice and extension */
  fileName: string;
  /** the page's filters from its parsed query string: the same function the page calls */
  filters: (query: Record<string, unknown>, ctx: PracticeContext) => F | Promise<F>;
  /** every row of the view under those filters, in the page's order */
  rows: (ctx: PracticeContext, filters: F) => Promise<R[]>;
  columns: ViewColumn<R>[];
  patientId?: (row: R) => number | null | undefined;
}

/** The rows of a view as CSV text (header first), through the one CSV writer of the app. */
export function viewCsv<R>(view: Pick<ListView<unknown, R>, "columns">, rows: readonly R[], ctx: PracticeContext): string {
  return csvRows([view.columns.map((c) => c.header), ...rows.map((r) => view.columns.map((c) => c.cell(r, ctx)))]);
}

/** The GET handler of a view's download: guard, the page's parser, the page's query, audit, CSV. */
export function viewExportRoute<F, R>(view: ListView<F, R>): GuardedRoute {
  return guardedRoute(view.permission, async (ctx, request) => {
    const query = pageQuery(view.page, new URL(request.url).searchParams) as Record<string, unknown>;
    const filters = await view.filters(query, ctx);
    const rows = await view.rows(ctx, filters);
    const patientIds = view.patientId ? [...new Set(rows.map(view.patientId).filter((id): id is number => typeof id === "number"))] : [];
    // a download names patients: who took it, and whose, is part of the audit trail
    await audit(db(), ctx, {
      action: "export.view",
      entityType: "Export",
      entityId: view.fileName,
      details: { page: view.page, query: JSON.parse(JSON.stringify(query)), rows: rows.length, patientIds: patientIds.slice(0, 500) },
    });
    return new Response(viewCsv(view, rows, ctx), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${view.fileName}-${ctx.practice.slug}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  });
}

/** The download's address for the page's current query string (the page number left out: every page). */
export function viewExportHref(csvPath: string, params: Record<string, string | string[] | undefined> | URLSearchParams): string {
  const out = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "" && key !== "page" && !out.has(key)) out.set(key, first);
  }
  const text = out.toString();
  return text ? `${csvPath}?${text}` : csvPath;
}

const momentCellFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-12-04 09:30" for a moment, in the practice's time zone (a spreadsheet sorts it). */
export function momentCell(value: string | Date | null | undefined, timeZone: string): string {
  if (value == null) return "";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  // one formatter per time zone for the process: a download formats a cell per row
  let format = momentCellFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    momentCellFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
