// The attack surface through the real guard, for every exported server action and route
// handler: nothing without a session, and nothing across practices: a user of another
// practice gets exactly the answer a missing id gets (404 for the record acted on, the same
// field error for a record picked from a list). The audit log cannot be rewritten from the
// app's code or by SQL. The role x permission matrix itself is in security.int.test.ts.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppAction, appActions, buildFuzzWorld, type FuzzWorld, restoreWorldUsers, validInputs } from "@/scripts/bench/fuzz";
import { runAsUser } from "./core/context";
import { disconnectDb } from "./core/db";
import { can, type Permission, ROLES } from "./core/permissions";
import { createTestPractice, type TestPractice, db } from "./testing";

/** An id of the right type that no record has. */
const MISSING = 2_147_480_000;

/**
 * Every action's input fields that name a record of the practice, by kind:
 *   target: the record acted on; another practice's id must answer 404
 *   pick:   a record chosen from a list (payer, therapist); it must answer as a missing one
 * An action that takes no id is listed with no fields. A new action must be added here.
 */
const ID_FIELDS: Record<string, { target?: string[]; pick?: string[] }> = {
  inviteUserAction: {},
  revokeInvitationAction: { target: ["invitationId"] },
  updateSettingsAction: {},
  addNcciPairAction: {},
  addDefaultNcciPairsAction: {},
  previewReferenceAction: {},
  applyReferenceAction: {},
  changeRoleAction: { target: ["membershipId"] },
  setActiveAction: { target: ["membershipId"] },
  endSessionsAction: { target: ["membershipId"] },
  resetSecondFactorAction: { target: ["membershipId"] },
  removeNcciPairAction: { target: ["id"] },
  saveContractAction: { target: ["contractId"], pick: ["payerId"] },
  assignItem: { target: ["itemId"] },
  addKx: { target: ["itemId"] },
  markRebilled: { target: ["itemId"] },
  recordAbnAction: { target: ["itemId"] },
  markDocReviewed: { target: ["itemId"] },
  snoozeItem: { target: ["itemId"] },
  resolveItem: { target: ["itemId"] },
  reopenItem: { target: ["itemId"] },
  undoLastAction: { target: ["itemId"] },
  saveUsedElsewhereAction: { target: ["patientId"] },
  saveEob: { pick: ["payerId"] },
  matchRemitClaim: { target: ["remitClaimId"] },
  matchRemitLine: { target: ["remitLineId", "serviceLineId"] },
  unmatchLine: { target: ["remitLineId"] },
  reviewCandidateAction: { target: ["lineId"] },
  undoReviewAction: { target: ["lineId"] },
  setUndercodingOptionAction: {},
  markUnderpayment: { target: ["remitLineId"] },
  savePayerAppealAddress: { target: ["payerId"] },
  createVisitAction: { pick: ["therapistId", "payerId"] },
  updateVisitAction: { target: ["id"] },
  deleteVisitAction: { target: ["id"] },
  restoreVisitAction: { target: ["deleteEventId"] },
};

function setPath(obj: Record<string, unknown>, field: string, value: (old: unknown) => unknown): Record<string, unknown> {
  // "therapistId" may sit inside "visit" (an update): set it wherever it is
  const walk = (o: unknown): void => {
    if (!o || typeof o !== "object") return;
    for (const [k, v] of Object.entries(o)) {
      if (k === field) (o as Record<string, unknown>)[k] = value(v);
      else walk(v);
    }
  };
  walk(obj);
  return obj;
}

const missingLike = (old: unknown) => (typeof old === "string" ? String(MISSING) : MISSING);

function answer(result: unknown) {
  const r = result as { ok: boolean; status?: number; error?: string; fieldErrors?: unknown };
  return r.ok ? { ok: true } : { ok: false, status: r.status, error: r.error, fieldErrors: r.fieldErrors ?? null };
}

function filesUnder(dir: string, name: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory()
      ? d.name === "generated" || d.name === "node_modules"
        ? []
        : filesUnder(p, name)
      : name.test(d.name)
        ? [p]
        : [];
  });
}

type Route = ((request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>) & { permission?: Permission };

async function appRoutes() {
  const out: { name: string; method: string; fn: Route; params: Record<string, string> }[] = [];
  for (const file of filesUnder(path.resolve("app"), /^route\.ts$/)) {
    if (file.includes(`${path.sep}auth${path.sep}`)) continue;
    if (file.includes(`${path.sep}api${path.sep}health${path.sep}`)) continue; // public on purpose: no session, no practice data
    const mod = (await import(file)) as Record<string, Route>;
    const params: Record<string, string> = {};
    for (const m of path.relative("app", file).matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)) params[m[1]!] = m[1] === "kind" ? "visits" : "1";
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const fn = mod[method];
      if (typeof fn === "function") out.push({ name: `${method} ${path.relative("app", file)}`, method, fn, params });
    }
  }
  return out;
}

describe("attack surface", () => {
  let world: FuzzWorld;
  let stranger: TestPractice;
  let actions: AppAction[];
  let strangerPayerId: number;

  beforeAll(async () => {
    actions = await appActions();
    world = await buildFuzzWorld("attack-victim");
    stranger = await createTestPractice("attack-stranger");
    // the stranger's own commercial payer, so an edit of the victim's contract passes the payer check
    strangerPayerId = (
      await db().payer.create({
        data: { practiceId: stranger.practiceId, name: "Stranger Health", nameKey: "stranger health", kind: "commercial" },
      })
    ).id;
  }, 240_000);
  afterAll(() => disconnectDb());

  it("knows which fields of every action name a record", () => {
    const unknown = actions.filter((a) => !(a.exportName in ID_FIELDS)).map((a) => a.name);
    expect(unknown, "a new server action: list its id fields in ID_FIELDS (lib/server/reliability-attack.int.test.ts)").toEqual([]);
    const templates = validInputs(world);
    const withoutTemplate = actions.filter((a) => !(a.exportName in templates)).map((a) => a.name);
    expect(withoutTemplate, "a new server action: give it a valid input in validInputs (scripts/bench/fuzz.ts)").toEqual([]);
  });

  it("answers 401 to every action and route without a valid session", async () => {
    const wrong: string[] = [];
    const templates = validInputs(world);
    for (const a of actions) {
      const input = templates[a.exportName]?.() ?? {};
      const r = answer(await runAsUser(0, () => a.fn(input)));
      if (r.ok || r.status !== 401) wrong.push(`${a.name}: ${JSON.stringify(r)}`);
    }
    for (const r of await appRoutes()) {
      const request = new Request("http://localhost/x", { method: r.method, ...(r.method === "GET" ? {} : { body: new FormData() }) });
      const res = await runAsUser(0, () => r.fn(request, { params: Promise.resolve(r.params) }));
      if (res.status !== 401) wrong.push(`${r.name}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("gives a user of another practice exactly what a missing id gets: 404 for the record acted on", async () => {
    const templates = validInputs(world);
    const roleFor = (p: string) => ROLES.find((r) => can(r, p as Permission))!;
    const wrong: string[] = [];
    const controls: { action: AppAction; input: unknown }[] = [];
    let checked = 0;
    for (const action of actions) {
      const fields = ID_FIELDS[action.exportName];
      if (!fields || (!fields.target?.length && !fields.pick?.length)) continue;
      const role = roleFor(action.permission);
      const cases: { label: string; input: Record<string, unknown>; expect404: boolean; fieldsToMiss: string[] }[] = [];
      if (fields.target?.length) {
        // the record acted on is the victim's; anything picked from a list is the stranger's own
        const input = templates[action.exportName]!() as Record<string, unknown>;
        if (action.exportName === "saveContractAction") input.payerId = strangerPayerId;
        if (action.exportName === "updateVisitAction") setPath(input, "payerId", () => String(MISSING));
        cases.push({ label: "target", input, expect404: true, fieldsToMiss: fields.target });
      }
      if (fields.pick?.length) {
        const input = templates[action.exportName]!() as Record<string, unknown>;
        if (action.exportName === "saveContractAction") delete input.contractId;
        cases.push({ label: "pick", input, expect404: false, fieldsToMiss: fields.pick });
      }
      for (const c of cases) {
        const cross = answer(await runAsUser(stranger.users[role], () => action.fn(structuredClone(c.input))));
        let missing = structuredClone(c.input);
        for (const f of c.fieldsToMiss) missing = setPath(missing, f, missingLike);
        const absent = answer(await runAsUser(stranger.users[role], () => action.fn(missing)));
        checked++;
        if (c.expect404 && (cross.ok || cross.status !== 404))
          wrong.push(`${action.name} (${c.label}) as another practice: ${JSON.stringify(cross)}`);
        if (!c.expect404 && (cross.ok || ![400, 404].includes(cross.status!)))
          wrong.push(`${action.name} (${c.label}) as another practice: ${JSON.stringify(cross)}`);
        if (JSON.stringify(cross) !== JSON.stringify(absent))
          wrong.push(
            `${action.name} (${c.label}): another practice's id answers ${JSON.stringify(cross)}, a missing one ${JSON.stringify(absent)}`,
          );
        controls.push({ action, input: templates[action.exportName]!() });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    // the same inputs as the victim's own users: found (done, or a conflict with an earlier
    // change), so the ids above were real records
    for (const { action, input } of controls) {
      await restoreWorldUsers(world);
      const own = answer(await runAsUser(world.users[roleFor(action.permission)], () => action.fn(input)));
      if (!own.ok && (own.status === 404 || own.status === 401 || own.status === 403))
        wrong.push(`${action.name} as its own practice: ${JSON.stringify(own)}`);
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it("has no code path that updates or deletes audit events", () => {
    // scripts/backup-restore.ts tries an update on the restored copy, to prove the trigger refuses it
    const allowed = new Set([path.join("scripts", "backup-restore.ts")]);
    const sources = ["app", "lib", "scripts", "components", "prisma/seed.ts"]
      .flatMap((d) =>
        fs.existsSync(d) && fs.statSync(d).isFile() ? [d] : filesUnder(d, /\.(ts|tsx)$/).filter((f) => !/\.test\.ts$/.test(f)),
      )
      .filter((f) => !allowed.has(f));
    expect(sources.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    const patterns = [
      /auditEvent\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\s*\(/,
      /\b(update|delete\s+from|truncate(\s+table)?)\s+"?AuditEvent"?/i,
    ];
    for (const f of sources) {
      const src = fs.readFileSync(f, "utf8");
      for (const p of patterns) if (p.test(src)) offenders.push(`${f}: ${src.match(p)![0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("refuses TRUNCATE of the audit log too", async () => {
    const before = await db().auditEvent.count();
    await expect(
      db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`truncate "AuditEvent"`);
        throw new Error("truncate was not refused");
      }),
    ).rejects.toThrow(/append-only/);
    expect(await db().auditEvent.count()).toBeGreaterThanOrEqual(before);
  });
});
