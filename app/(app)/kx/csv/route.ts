// "Download CSV" of the KX queue: the rows on screen under the same filters (every page).
import { viewExportRoute } from "@/lib/server/lists/view";
import { KX_QUEUE_VIEW } from "@/lib/server/kx/queue-view";

export const GET = viewExportRoute(KX_QUEUE_VIEW);
