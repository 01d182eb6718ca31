// Download of the KX queue export (FORMATS.md "kx-queue"): ?year=2026&format=csv|json.
import { z } from "zod";
import { auditRead } from "@/lib/server/core/audit";
import { exportResponse } from "@/lib/server/lists/format";
import { kxQueueExport } from "@/lib/server/exports/kx-queue";
import { guardedRoute, InvalidInput } from "@/lib/server/core/guard";
import { LIST_READ_PERMISSION } from "@/lib/server/core/permissions";

const query = z.object({
  year: z.coerce
    .number({ error: "must be a year" })
    .int()
    .min(2000, { error: "must be a year, e.g. 2026" })
    .max(2100, { error: "must be a year, e.g. 2026" })
    .optional(),
  format: z.enum(["csv", "json"], { error: "must be csv or json" }).default("csv"),
});

export const GET = guardedRoute(LIST_READ_PERMISSION["kx-queue"], async (ctx, request) => {
  const params = new URL(request.url).searchParams;
  const parsed = query.safeParse({ year: params.get("year") || undefined, format: params.get("format") || undefined });
  if (!parsed.success) {
    throw new InvalidInput("Some parameters need attention", z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  }
  const { year, format } = parsed.data;
  // an export carries patient identifiers: who took it is part of the audit trail
  await auditRead(ctx, { action: "export.kx-queue", entityType: "Export", details: { year: year ?? null, format } });
  const base = `kx-queue-${ctx.practice.slug}${year ? `-${year}` : ""}`;
  return exportResponse(kxQueueExport(ctx.practiceId, year), format, base);
});
