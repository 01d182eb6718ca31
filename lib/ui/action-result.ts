/**
 * What a server action answers, as the forms that call it read it: the data, or a status with
 * a message in words and the messages of each field ("lines.2.minutes"). Declared here, apart
 * from the server code that produces it, so components need nothing from lib/server.
 */
export type ActionResult<R> = { ok: true; data: R } | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };
