// Runs before every page: a fresh CSP nonce per request (Next applies it to its own
// scripts), a 400 for a query string the page cannot use (lib/schemas/search-params.ts),
// and the cookie-less redirect to sign-in for pages. Authorization itself is
// checked again in every page, action and route handler (lib/server/core/guard.ts).
import { type NextRequest, NextResponse } from "next/server";
import { describeProblem, type SearchParamProblem, searchParamProblem } from "@/lib/schemas/search-params";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 400 naming the parameter: JSON for downloads and the API, a short page for a browser. */
function badQuery(request: NextRequest, problem: SearchParamProblem, csp: string): Response {
  const error = describeProblem(problem);
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/") || /\/(csv|export)$/.test(pathname)) {
    return NextResponse.json({ error, fieldErrors: { [problem.param]: [problem.message] } }, { status: 400 });
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>This address cannot be shown · Therapy Revenue</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><main role="alert"><h1 style="font-size:1.25rem">This address cannot be shown</h1><p>${escapeHtml(error)}</p><p><a href="${escapeHtml(pathname)}">Open the page without it</a></p></main></body></html>`;
  return new NextResponse(html, { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp } });
}

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // charts and Next's style injection use inline style attributes
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const problem = searchParamProblem(request.nextUrl.pathname, request.nextUrl.searchParams);
  if (problem) return badQuery(request, problem, csp);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // the page asked for, so a signed-out visitor comes back to it after signing in (guard.ts)
  requestHeaders.set("x-request-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

// The 835 upload is left out: a proxy buffers the request body, and an 835 is streamed to
// disk by its route (its security headers come from next.config.js).
export const config = {
  matcher: [
    {
      source:
        "/((?!_next/static|_next/image|favicon.ico|icon.svg|icon-192.png|icon-512.png|apple-touch-icon.png|manifest.webmanifest|robots.txt|api/remits/upload).*)",
    },
  ],
};
