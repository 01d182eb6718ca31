// What the HTTP benchmarks share: percentiles, waiting for a server, signing in.
import { Secret, TOTP } from "otpauth";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Signs in through next-auth's credentials flow, and with the authenticator code when a key
 * is given (the demo admins' and managers' printed key); returns the Cookie header of the session.
 */
export async function signIn(baseUrl: string, email: string, password: string, totpKey?: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token")))
    throw new Error(`could not sign in as ${email} (${res.status}: ${(await res.text()).slice(0, 200)})`);
  if (totpKey) {
    const code = new TOTP({ secret: Secret.fromBase32(totpKey), algorithm: "SHA1", digits: 6, period: 30 }).generate();
    const verified = await fetch(`${baseUrl}/api/second-factor/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: header() },
      body: JSON.stringify({ code }),
    });
    if (verified.status !== 200)
      throw new Error(`second factor refused for ${email} (${verified.status}: ${(await verified.text()).slice(0, 200)})`);
  }
  return header();
}
