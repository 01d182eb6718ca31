// The client's address as a request handler sees it. The production server
// (scripts/server/production.ts) has replaced X-Forwarded-For with the one address it vouches
// for (scripts/server/forwarded-for.ts); `next dev` fills it in from the socket when a client
// sent none.
/** The first address of X-Forwarded-For, the one the production server vouches for. */
export function addressFromHeaders(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  return first || "local";
}
