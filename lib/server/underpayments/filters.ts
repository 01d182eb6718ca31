// The worklist's filters come from the URL (shareable, back-button safe): parsed leniently,
// a bad value is dropped and reported rather than failing the page.
import { z } from "zod";
import { cptCode, dollarsToCents, isoDateString } from "@/lib/schemas/common";
import type { UnderpaymentFilters } from "./worklist";

const STATUS_PARAM = { open: "OPEN", appealed: "APPEALED", recovered: "RECOVERED", written_off: "WRITTEN_OFF", all: "all" } as const;

export function underpaymentFiltersFrom(params: Record<string, string | string[] | undefined>) {
  const one = (k: string) => {
    const v = params[k];
    return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  };
  const problems: string[] = [];
  const filters: UnderpaymentFilters = { status: "OPEN" };
  const payer = one("payer");
  if (payer) {
    const p = z.coerce.number().int().positive().safeParse(payer);
    if (p.success) filters.payerId = p.data;
    else problems.push("payer");
  }
  const cpt = one("cpt");
  if (cpt) {
    const c = cptCode.safeParse(cpt);
    if (c.success) filters.cpt = c.data;
    else problems.push("code");
  }
  for (const k of ["from", "to"] as const) {
    const v = one(k);
    if (!v) continue;
    const d = isoDateString.safeParse(v);
    if (d.success) filters[k] = d.data;
    else problems.push(k);
  }
  const min = one("min");
  if (min) {
    const m = dollarsToCents.safeParse(min);
    if (m.success && m.data >= 0) filters.minCents = m.data;
    else problems.push("minimum amount");
  }
  const status = one("status");
  if (status) {
    if (status in STATUS_PARAM) filters.status = STATUS_PARAM[status as keyof typeof STATUS_PARAM];
    else problems.push("status");
  }
  return { filters, problems, raw: { payer, cpt, from: one("from"), to: one("to"), min, status: status ?? "open" } };
}
