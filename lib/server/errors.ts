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
