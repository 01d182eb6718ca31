// The one gate: every page, server action and route handler goes through it.
// It checks the session, the membership of the practice, the permission, and parses the
// input with zod, so no entry point can forget one of them.
import { forbidden, notFound, redirect } from "next/navigation";
import { z } from "zod";
import { type PracticeContext, currentContext } from "./context";
import { Forbidden, HttpError, InvalidInput, NotFound, Unauthenticated } from "./errors";
import { can, type Permission } from "./permissions";

export type { PracticeContext } from "./context";

async function authorize(permission: Permission): Promise<PracticeContext> {
  const ctx = await currentContext();
  if (!ctx) throw new Unauthenticated();
  if (!can(ctx.role, permission)) throw new Forbidden();
  return ctx;
}

/** For server components (pages): redirect to sign-in, or answer 403 / 404. */
export async function pageContext(permission: Permission): Promise<PracticeContext> {
  const ctx = await currentContext();
  if (!ctx) redirect("/signin");
  if (!can(ctx.role, permission)) forbidden();
  return ctx;
}

/** Turns a thrown NotFound into the page's 404. */
export async function orNotFound<T>(value: Promise<T | null | undefined> | T | null | undefined): Promise<T> {
  const v = await value;
  if (v == null) notFound();
  return v as T;
}

export type ActionResult<R> =
  | { ok: true; data: R }
  | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };

/** Field errors keyed by their full path ("lines.2.minutes"), so nested forms can place them. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

function toFailure(error: unknown): ActionResult<never> {
  if (error instanceof HttpError) {
    return { ok: false, status: error.status, error: error.message, fieldErrors: error.fieldErrors };
  }
  if (error instanceof z.ZodError) return { ok: false, status: 400, error: "Some fields need attention", fieldErrors: fieldErrorsOf(error) };
  // Next's redirect/notFound signals must propagate untouched
  if (error && typeof error === "object" && "digest" in error) throw error;
  console.error("action failed", error instanceof Error ? error.message : "unknown error");
  return { ok: false, status: 500, error: "Something went wrong on our side. Nothing was saved; try again." };
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
      const parsed = schema.safeParse(input);
      if (!parsed.success) return toFailure(parsed.error);
      return { ok: true, data: await run(ctx, parsed.data) };
    } catch (error) {
      return toFailure(error);
    }
  };
  return Object.assign(action, { permission });
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
    try {
      const ctx = await authorize(permission);
      return await run(ctx, request, (await context?.params) ?? {});
    } catch (error) {
      const failure = toFailure(error);
      if (failure.ok) throw new Error("unreachable");
      return Response.json({ error: failure.error, fieldErrors: failure.fieldErrors }, { status: failure.status });
    }
  };
  return Object.assign(handler, { permission });
}

export type GuardedRoute = ((request: Request, context: RouteParams) => Promise<Response>) & { permission: Permission };

export { Forbidden, InvalidInput, NotFound };
