// The week's figures of the revenue review as a CSV download.
import { pageQuery } from "@/lib/schemas/search-params";
import { auditRead } from "@/lib/server/core/audit";
import { guardedRoute } from "@/lib/server/core/guard";
import { revenueCsv } from "@/lib/server/revenue/csv";
import { revenueReview } from "@/lib/server/revenue/review";

export const GET = guardedRoute("revenue.read", async (ctx, request) => {
  const url = new URL(request.url);
  const query = pageQuery("/revenue/csv", url.searchParams);
  const review = await revenueReview(ctx.practiceId, ctx.practice.timeZone, query.week);
  await auditRead(ctx, { action: "export.download", entityType: "Export", entityId: "revenue-week", details: { week: review.week } });
  return new Response(revenueCsv(review), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="revenue-${ctx.practice.slug}-${review.week}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
