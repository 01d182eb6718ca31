// Downloads of the exports of FORMATS.md (same code as npm run export).
import { z } from "zod";
import { isoDateString } from "@/lib/schemas/common";
import { auditRead } from "@/lib/server/core/audit";
import { EXPORT_KINDS, type ExportKind, exportSourceFor } from "@/lib/server/exports";
import { exportResponse } from "@/lib/server/lists/format";
import { Forbidden, guardedRoute, InvalidInput } from "@/lib/server/core/guard";
import { can, LIST_READ_PERMISSION, type Permission } from "@/lib/server/core/permissions";

const query = z.object({
  from: isoDateString.optional(),
  to: isoDateString.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  format: z.enum(["csv", "json"]).default("csv"),
});

// Besides "data.export", each kind needs the permission of its own page (LIST_READ_PERMISSION).
export const GET = Object.assign(
  guardedRoute("data.export", async (ctx, request, params) => {
    const kind = String(params.kind) as ExportKind;
    if (!EXPORT_KINDS.includes(kind)) return Response.json({ error: `unknown export "${params.kind}"` }, { status: 404 });
    if (!can(ctx.role, LIST_READ_PERMISSION[kind])) throw new Forbidden("Your role may not see this list");
    const url = new URL(request.url);
    const parsed = query.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw new InvalidInput("Check the filters", z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
    await auditRead(ctx, { action: "export.download", entityType: "Export", entityId: kind, details: parsed.data });
    const source = exportSourceFor(kind, ctx.practiceId, parsed.data);
    return exportResponse(source, parsed.data.format, `${kind}-${ctx.practice.slug}`);
  }),
  // for the role matrix test: the second permission, by the route's [kind]
  { permissionByKind: LIST_READ_PERMISSION as Record<string, Permission> },
);
