// Pure helpers of the sign-in page, shared by the server and the browser.

// Where to go after signing in: only a path on this site ("/kx?week=2026-03-02"). Anything
// else (another origin, "//host", "/\host", "javascript:…", control characters) is dropped
// and the caller goes to the role's home page instead.
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return null;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  // control characters and backslashes: browsers strip or rewrite them into another host
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, "http://same.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://same.invalid") return null;
  // the sign-in page and next-auth's own endpoints are no destination
  if (url.pathname === "/signin" || url.pathname.startsWith("/api/auth")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A wait in plain words: "20 seconds", "1 minute", "15 minutes". */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
