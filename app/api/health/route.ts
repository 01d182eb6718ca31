// GET /api/health: 200 when the database answers and every migration of this build is applied,
// 503 otherwise. Public on purpose (a load balancer has no session) and free of practice data.
import { checkHealth } from "@/lib/server/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
