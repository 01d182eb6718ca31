// "Download CSV" of the denied lines behind a figure: the lines on screen under the same filters (every page).
import { DENIALS_VIEW } from "@/lib/server/denials/view";
import { viewExportRoute } from "@/lib/server/lists/view";

export const GET = viewExportRoute(DENIALS_VIEW);
