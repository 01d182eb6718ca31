// "Download CSV" of the underpayments worklist: the lines on screen under the same filters (every page).
import { viewExportRoute } from "@/lib/server/lists/view";
import { UNDERPAYMENTS_VIEW } from "@/lib/server/underpayments/view";

export const GET = viewExportRoute(UNDERPAYMENTS_VIEW);
