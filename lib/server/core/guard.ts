// The one gate: every page, server action and route handler goes through it.
// It checks the session, the membership of the practice, the permission, and parses the
// input with zod, so no entry point can forget one of them.
import { forbidden, notFound, redirect } from "next/navigation";
import { z } from "zod";
import { currentSession, type PracticeContext, type SessionState } from "./context";
import {
  DatabaseUnavailable,
  Forbidden,
  HttpError,
  InvalidInput,
  isDatabaseUnavailable,
  isStatementTimeout,
  isUnstorableValue,
  NotFound,
  nulCharacterPaths,
  SecondFactorRequired,
  TooSlow,
  Unauthenticated,
} from "./errors";
import { safeReturnPath } from "@/lib/schemas/sign-in";
import { can, type Permission } from "./permissions";
import { withPracticeScope } from "./scope";
import type { ActionResult } from "@/lib/ui/action-result";

export type { PracticeContext } from "./context";

async function authorize(permission: Permission): Promise<PracticeContext> {
  const state = await currentSession();
  if (state.status === "second-factor") throw new SecondFactorRequired();
  if (state.status !== "signed-in") throw new Unauthenticated();
  if (!can(state.ctx.role, permission)) throw new Forbidden();
  return state.ctx;
}

/**
 * For the signed-in area's layout and the home page: the context, or a redirect to sign-in
 * (no live session) or to the second factor (its code, or enrolment, still owed).
 */
export async function signedInContext(): Promise<PracticeContext> {
  const state = await currentSession();
  if (state.status === "second-factor") redirect(await withReturn("/second-factor"));
  if (state.status !== "signed-in") redirect(await signInWithReturn());
  return state.ctx;
}

/** A step of signing in (sign-in, the second factor), told to come back to the page asked for (set by proxy.ts; checked again on the way back). */
async function withReturn(step: string): Promise<string> {
  const { headers } = await import("next/headers");
  // outside a request (tests, the command line) there is no page to come back to
  let path: string | null = null;
  try {
    path = (await headers()).get("x-request-path");
  } catch {
    path = null;
  }
  const back = safeReturnPath(path);
  return back && back !== "/" ? `${step}?callbackUrl=${encodeURIComponent(back)}` : step;
}

/** The sign-in page, told to come back to the page asked for (set by proxy.ts; checked again on the way back). */
export async function signInWithReturn(): Promise<string> {
  return withReturn("/signin");
}

/** For server components (pages): redirect to sign-in, or answer 403 / 404. */
export async function pageContext(permission: Permission): Promise<PracticeContext> {
  const ctx = await signedInContext();
  if (!can(ctx.role, permission)) forbidden();
  return ctx;
}

/** Turns a thrown NotFound into the page's 404. */
export async function orNotFound<T>(value: Promise<T | null | undefined> | T | null | undefined): Promise<T> {
  const resolved = await value;
  if (resolved == null) notFound();
  return resolved as T;
}

export type { ActionResult };

/** Field errors keyed by their full path ("lines.2.minutes"), so nested forms can place them. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

export function toFailure(error: unknown): ActionResult<never> {
  if (error instanceof HttpError) {
    return { ok: false, status: error.status, error: error.message, fieldErrors: error.fieldErrors };
  }
  if (error instanceof z.ZodError)
    return { ok: false, status: 400, error: "Some fields need attention", fieldErrors: fieldErrorsOf(error) };
  // Next's redirect/notFound signals must propagate untouched
  if (error && typeof error === "object" && "digest" in error) throw error;
  // a statement stopped by the statement timeout: said so, with what to do (503)
  if (isStatementTimeout(error)) {
    console.warn("statement timeout:", logLabel(error));
    return { ok: false, status: 503, error: new TooSlow().message };
  }
  // PostgreSQL stopped, restarting or out of connections: temporary, and said so (503)
  if (isDatabaseUnavailable(error)) {
    logUnavailable(error);
    return { ok: false, status: 503, error: new DatabaseUnavailable().message };
  }
  // a value the database cannot hold (an id of 2^31 or more, a NUL character): bad input (400)
  if (isUnstorableValue(error)) {
    console.warn("input out of range:", logLabel(error));
    return { ok: false, status: 400, error: "A number or text in the request is out of range" };
  }
  console.error("action failed:", logLabel(error));
  return { ok: false, status: 500, error: "Something went wrong on our side. Nothing was saved; try again." };
}

// an outage fails every request: one line every few seconds says so, with a count
let unavailableLoggedAt = 0;
let unavailableSince = 0;
function logUnavailable(error: unknown) {
  const now = Date.now();
  if (now - unavailableLoggedAt < 5_000) {
    unavailableSince++;
    return;
  }
  const more = unavailableSince ? ` (${unavailableSince} more since the last report)` : "";
  console.error(`database unavailable: ${logLabel(error)}${more}`);
  unavailableLoggedAt = now;
  unavailableSince = 0;
}

/**
 * An error as the server log shows it: its kind, code and message (for Prisma, the call and
 * the cause, without the source excerpt), quoted values and long digit runs masked, since a
 * query's arguments (names, member ids) may appear in it.
 */
export function logLabel(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const code = (error as { code?: unknown }).code;
  const lines = error.message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const invocation = lines.find((l) => /^Invalid `[^`]+` invocation/.test(l))?.replace(/ in$/, "");
  const last = lines[lines.length - 1] ?? "";
  const text = invocation && invocation !== last ? `${invocation}: ${last}` : lines.join(" ");
  const message = text
    .replace(/"(?:\\.|[^"\\])*"/g, '"…"')
    .replace(/\d{6,}/g, "…")
    .slice(0, 300);
  return `${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${message}`;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A browser sends the page's Origin with every POST: one from another site is a cross-site
 * request forgery (Next applies the same check to server actions). Requests without an
 * Origin (command line, scripts) are not from a browser page and pass.
 */
function crossSite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, data: pages) or garbage
  }
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  return !host || originHost !== host;
}

/** An action's input through its schema; a NUL character is named first (no text column can hold one). */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | ActionResult<never> {
  const nul = nulCharacterPaths(input);
  if (nul.length) {
    const fieldErrors = Object.fromEntries(nul.map((p) => [p, ["must not contain a NUL character"]]));
    return { ok: false, status: 400, error: "Some fields hold a character that cannot be saved", fieldErrors };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) return toFailure(parsed.error);
  return { ok: true, data: parsed.data };
}

/** Wraps a server action: session, permission, zod input; returns a result, never throws. */
export function guardedAction<S extends z.ZodType, R>(
  permission: Permission,
  schema: S,
  run: (ctx: PracticeContext, input: z.output<S>) => Promise<R>,
): GuardedAction<z.input<S>, R> {
  const action = async (input: z.input<S>): Promise<ActionResult<R>> => {
    try {
      const ctx = await authorize(permission);
      const parsed = parseInput(schema, input);
      if (!parsed.ok) return parsed;
      return { ok: true, data: await withPracticeScope(ctx.practiceId, () => run(ctx, parsed.data)) };
    } catch (error) {
      return toFailure(error);
    }
  };
  return Object.assign(action, { permission });
}

/**
 * A server action open to anyone, signed in or not (accepting an invitation): no session or
 * permission, but the same zod parsing and error answers. Tagged `public`, so the security
 * test lists every such action by name.
 */
export function publicAction<S extends z.ZodType, R>(schema: S, run: (input: z.output<S>) => Promise<R>) {
  const action = async (input: z.input<S>): Promise<ActionResult<R>> => {
    try {
      const parsed = parseInput(schema, input);
      if (!parsed.ok) return parsed;
      return { ok: true, data: await run(parsed.data) };
    } catch (error) {
      return toFailure(error);
    }
  };
  return Object.assign(action, { public: true as const });
}

/** A guarded action carries its permission, so the role matrix test can enumerate them. */
export type GuardedAction<I, R> = ((input: I) => Promise<ActionResult<R>>) & { permission: Permission };

type RouteParams = { params: Promise<Record<string, string | string[]>> };

/** Wraps a route handler: 401 without a session, 403 without permission, 404 for others' ids. */
export function guardedRoute(
  permission: Permission,
  run: (ctx: PracticeContext, request: Request, params: Record<string, string | string[]>) => Promise<Response>,
): GuardedRoute {
  const handler = async (request: Request, context: RouteParams): Promise<Response> => {
    if (crossSite(request)) return Response.json({ error: "Cross-site request refused" }, { status: 403 });
    try {
      const ctx = await authorize(permission);
      const params = (await context?.params) ?? {};
      return await withPracticeScope(ctx.practiceId, () => run(ctx, request, params));
    } catch (error) {
      const failure = toFailure(error);
      if (failure.ok) throw new Error("unreachable");
      const headers = failure.status === 503 ? { "Retry-After": "5" } : undefined;
      return Response.json({ error: failure.error, fieldErrors: failure.fieldErrors }, { status: failure.status, headers });
    }
  };
  return Object.assign(handler, { permission });
}

/**
 * Wraps the second factor's own route handlers (the code at sign-in, enrolment): they serve
 * a session that has the password but may still owe the second factor. 401 without one.
 */
export function secondFactorRoute(
  run: (state: Exclude<SessionState, { status: "signed-out" }>, request: Request) => Promise<Response>,
): SecondFactorRoute {
  const handler = async (request: Request): Promise<Response> => {
    if (crossSite(request)) return Response.json({ error: "Cross-site request refused" }, { status: 403 });
    try {
      const state = await currentSession();
      if (state.status === "signed-out") throw new Unauthenticated();
      // the session's practice: its audit events (codes tried, enrolment) are written there
      return await withPracticeScope(state.ctx.practiceId, () => run(state, request));
    } catch (error) {
      const failure = toFailure(error);
      if (failure.ok) throw new Error("unreachable");
      return Response.json({ error: failure.error, fieldErrors: failure.fieldErrors }, { status: failure.status });
    }
  };
  return Object.assign(handler, { beforeSecondFactor: true as const });
}

/** Marked, so the entry-point test can tell it from a route that forgot the guard. */
export type SecondFactorRoute = ((request: Request) => Promise<Response>) & { beforeSecondFactor: true };

export type GuardedRoute = ((request: Request, context: RouteParams) => Promise<Response>) & { permission: Permission };

export { Forbidden, InvalidInput, NotFound };
