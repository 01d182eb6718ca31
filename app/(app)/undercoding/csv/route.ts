// "Download CSV" of the undercoding candidates: the lines on screen under the same filters (every page).
import { viewExportRoute } from "@/lib/server/lists/view";
import { UNDERCODING_VIEW } from "@/lib/server/undercoding/view";

export const GET = viewExportRoute(UNDERCODING_VIEW);
