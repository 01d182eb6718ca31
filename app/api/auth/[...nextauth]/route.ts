import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { safeReturnPath } from "@/lib/schemas/sign-in";
import { authOptions } from "@/lib/server/core/auth-options";

const handler = NextAuth(authOptions);

const CALLBACK_COOKIES = new Set(["next-auth.callback-url", "__Secure-next-auth.callback-url"]);

/** A callback URL next-auth may follow: a path on this site, or this site's origin followed by one. */
function acceptable(value: string, origin: string): boolean {
  if (value.startsWith(origin)) value = value.slice(origin.length) || "/";
  return safeReturnPath(value) !== null || value === "/";
}

/**
 * next-auth answers HTTP 500 to a callbackUrl it cannot parse (`javascript:…`), in the query
 * or in its cookie. Such a value is replaced by "/" (the role's home page) before next-auth
 * sees it; where a valid one leads is decided again by the redirect callback (auth-options.ts).
 */
function withSafeCallback(request: NextRequest): NextRequest {
  const url = new URL(request.url);
  let changed = false;
  const query = url.searchParams.get("callbackUrl");
  if (query !== null && !acceptable(query, url.origin)) {
    url.searchParams.set("callbackUrl", "/");
    changed = true;
  }
  const headers = new Headers(request.headers);
  const badCookie = request.cookies.getAll().some((c) => CALLBACK_COOKIES.has(c.name) && !acceptable(c.value, url.origin));
  if (badCookie) {
    // the other cookies exactly as sent
    const kept = (request.headers.get("cookie") ?? "").split(";").filter((part) => !CALLBACK_COOKIES.has(part.split("=")[0]!.trim()));
    headers.set("cookie", kept.join(";"));
    changed = true;
  }
  if (!changed) return request;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new NextRequest(url, {
    method: request.method,
    headers,
    body: hasBody ? request.body : undefined,
    ...(hasBody ? { duplex: "half" } : {}),
  } as ConstructorParameters<typeof NextRequest>[1]);
}

type Context = { params: Promise<{ nextauth: string[] }> };
const route = (request: NextRequest, context: Context) => handler(withSafeCallback(request), context);
export { route as GET, route as POST };
