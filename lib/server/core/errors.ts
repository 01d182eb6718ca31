// Errors the guard turns into HTTP answers (pages: notFound/forbidden; routes: JSON).
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}
export class NotFound extends HttpError {
  constructor(what = "Not found") {
    super(404, what);
  }
}
export class Forbidden extends HttpError {
  constructor(what = "You do not have permission to do that") {
    super(403, what);
  }
}
export class Unauthenticated extends HttpError {
  constructor() {
    super(401, "Sign in first");
  }
}
/** The password was right; the code from the authenticator (or enrolment) is still owed. */
export class SecondFactorRequired extends HttpError {
  constructor() {
    super(401, "Enter the code from your authenticator app first");
  }
}
/** Someone else changed the record first (optimistic lock). */
export class Conflict extends HttpError {
  constructor(what: string) {
    super(409, what);
  }
}
export class InvalidInput extends HttpError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super(400, message, fieldErrors);
  }
}

/** The database is unreachable or restarting: a temporary condition, answered with 503. */
export class DatabaseUnavailable extends HttpError {
  constructor() {
    super(503, "The database is not reachable just now (it may be restarting). Try again in a few seconds.");
  }
}

/** A statement ran past the statement timeout (lib/server/core/db.ts) and PostgreSQL stopped it. */
export class TooSlow extends HttpError {
  constructor() {
    super(
      503,
      "This request took too long and was stopped, so that it does not slow everyone else down. Narrow the dates or filters, or download an export.",
    );
  }
}

/** SQLSTATE 57014 (query_canceled) from the statement timeout, through Prisma's wrappers. */
export function isStatementTimeout(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } };
  };
  if (e.code === "57014") return true;
  const adapter = e.meta?.driverAdapterError?.cause;
  if (adapter && (adapter.originalCode === "57014" || adapter.code === "57014")) return true;
  if (typeof e.message === "string" && /canceling statement due to statement timeout/.test(e.message)) return true;
  return isStatementTimeout(e.cause, depth + 1);
}

// PostgreSQL's own codes for "not now": shutting down / starting up / in recovery (57P0x),
// too many connections (53300), and the connection exception class (08xxx).
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006"]);
// Prisma's: can't reach (P1001), timed out (P1002, P1008), connection closed (P1017),
// no free connection in the pool (P2024).
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// what pg itself throws, without a code, when a connection breaks or cannot be made
const UNAVAILABLE_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Can't reach database server|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)/;

/**
 * True for an error that says PostgreSQL cannot be reached right now (stopped, restarting,
 * crashed, out of connections), as opposed to a bug or a bad query. Looks through Prisma's
 * wrappers (meta.driverAdapterError) and `cause` chains.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    kind?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } };
  };
  // a DriverAdapterError thrown as it is carries its kind (or SQLSTATE) in its cause, reached
  // below: Prisma sends an interactive transaction's COMMIT past its own error mapping, and every
  // scoped query runs in one (docs/reliability.md, "Errors that reach the guard unwrapped")
  if (typeof e.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(e.kind)) return true;
  if (
    typeof e.code === "string" &&
    (UNAVAILABLE_PRISMA_CODES.has(e.code) || UNAVAILABLE_SQLSTATES.has(e.code) || e.code === "ECONNREFUSED" || e.code === "ECONNRESET")
  )
    return true;
  const adapter = e.meta?.driverAdapterError?.cause;
  if (adapter) {
    if (typeof adapter.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(adapter.kind)) return true;
    const sqlState = typeof adapter.originalCode === "string" ? adapter.originalCode : adapter.code;
    if (typeof sqlState === "string" && UNAVAILABLE_SQLSTATES.has(sqlState)) return true;
  }
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

// numeric value out of range, string too long, NUL in text (22021) or in JSON (22P05)
const UNSTORABLE_SQLSTATES = new Set(["22003", "22001", "22021", "22P05"]);

/**
 * True for an error that says a value of the request cannot be stored in its column: an id
 * or number past the column's range (an int4 id of 2^31 and more, or past 64 bits), text
 * longer than a limited column, or a NUL character (PostgreSQL text cannot hold one). Bad
 * input rather than a bug: answered with 400.
 */
export function isUnstorableValue(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  };
  if (e.code === "P2000" || e.code === "P2020" || e.code === "P2033") return true;
  const adapter = e.meta?.driverAdapterError?.cause;
  if (
    adapter &&
    (adapter.kind === "ValueOutOfRange" || adapter.kind === "LengthMismatch" || UNSTORABLE_SQLSTATES.has(String(adapter.originalCode)))
  )
    return true;
  return typeof e.message === "string" && /Unable to fit value .{1,80} into a 64-bit signed integer/.test(e.message);
}

/** The paths of the strings in a form's input that hold a NUL character ("lines.2.note"). */
export function nulCharacterPaths(input: unknown, limit = 20): string[] {
  const found: string[] = [];
  let visited = 0;
  const walk = (v: unknown, at: string[], depth: number) => {
    if (found.length >= limit || depth > 12 || ++visited > 100_000) return;
    if (typeof v === "string") {
      if (v.includes("\u0000")) found.push(at.length ? at.join(".") : "_form");
    } else if (v && typeof v === "object" && !(v instanceof Date)) {
      for (const [k, x] of Object.entries(v)) walk(x, [...at, k], depth + 1);
    }
  };
  walk(input, [], 0);
  return found;
}
