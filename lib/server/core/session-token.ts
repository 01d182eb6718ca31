// The session cookie's token (a next-auth JWT, encrypted with a key derived from NEXTAUTH_SECRET),
// decoded once per token rather than once per request. Decoding derives the key (HKDF) and
// decrypts the token: about half a millisecond of the server's CPU, on every page, action and
// download (docs/performance.md, "Saturation: the last steps"). A token is the same bytes on each
// request of a session, so its payload is kept, keyed by the token and the secret, until the
// token's own expiry; only tokens that decoded are kept (a forged or garbled one is decoded, and
// refused, every time). The token names the session; the guard still checks that session in the
// database on every request (sessions.ts), so signing out or ending a session takes effect at once.
import type { JWT } from "next-auth/jwt";

/** jose's allowance for clocks that disagree, as next-auth's decode passes it (seconds) */
const CLOCK_TOLERANCE_S = 15;
/** tokens kept at most: a few per person signed in on this process */
const MAX_KEPT = 5_000;

const kept = new Map<string, { payload: JWT; expiresAtMs: number }>();
let keptFor: string | null = null;

/** The token's payload, or null (no token, forged, garbled, expired). Throws nothing. */
export async function decodeSessionToken(token: string, secret: string, nowMs = Date.now()): Promise<JWT | null> {
  if (!token || !secret) return null;
  if (keptFor !== secret) {
    kept.clear();
    keptFor = secret;
  }
  const hit = kept.get(token);
  if (hit) {
    if (nowMs < hit.expiresAtMs) return hit.payload;
    kept.delete(token);
    return null;
  }
  let payload: JWT | null;
  try {
    const { decode } = await import("next-auth/jwt");
    payload = await decode({ token, secret });
  } catch {
    return null;
  }
  if (!payload) return null;
  // next-auth's tokens carry exp; one without it is decoded every time rather than kept forever
  if (typeof payload.exp === "number") {
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
    Object.freeze(payload);
    kept.set(token, { payload, expiresAtMs: (payload.exp + CLOCK_TOLERANCE_S) * 1000 });
  }
  return payload;
}
