// npm run bench -- fuzz [--cases 10000] [--seed 2026] [--only <target>[,<target>...]] [--json]
//
// Generated invalid input (fast-check) against every import and every server action:
//   - imports: visits.csv, usage.csv, contracts.csv through importCsv, 835 through import835,
//     from random bytes, CSVs built from junk cells, and valid files with a few mutations
//     (cells replaced, quotes and line breaks inserted, segments dropped, duplicated,
//     truncated, delimiters changed);
//   - every export of app/**/actions.ts (as security.int.test.ts finds them), through the real
//     guard, as a user whose role has the action's permission: random values of any type,
//     and valid inputs with one to three fields replaced, dropped or added.
// A case passes when nothing throws; an import answers rejected / dry-run / imported /
// duplicate, and a rejection names the place of every error (`where`); an action answers
// { ok: true } or { ok: false } with a 4xx or 503 status and an error message or field
// errors, never 500, and the guard logged no "action failed".
//
// It runs in a database of its own ("therapy_bench_fuzz" on the server of DATABASE_URL, or
// the embedded one), in a practice built from the example practice's files. The same engine
// runs 150 cases per target in CI: lib/server/fuzz.int.test.ts.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { generate835 } from "@/prisma/generator/x12";
import { parseArgs, str } from "../lib/args";
import { projectRoot } from "../lib/database";

// ---------------------------------------------------------------------------------------
// the app's server actions

export type ActionFn = ((input: unknown) => Promise<unknown>) & { permission?: string };
export interface AppAction {
  /** "kx/actions.ts#assignItem" */
  name: string;
  exportName: string;
  fn: ActionFn;
  permission: string;
}

function filesUnder(dir: string, name: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p, name) : name.test(d.name) ? [p] : [];
  });
}

/** Every exported server action of app/**\/actions.ts, with its permission. */
export async function appActions(): Promise<AppAction[]> {
  const appDir = path.join(projectRoot, "app");
  const out: AppAction[] = [];
  for (const file of filesUnder(appDir, /^actions\.ts$/).sort()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const short = path
      .relative(appDir, file)
      .replace(/^\(app\)\//, "")
      .split(path.sep)
      .join("/");
    for (const [exportName, fn] of Object.entries(mod)) {
      if (typeof fn !== "function") continue;
      const action = fn as ActionFn;
      // an action open to anyone (accepting an invitation) has no session or practice to
      // attack; security.int.test.ts lists those by name, and invitations.int.test.ts tests them
      if ((fn as { public?: boolean }).public) continue;
      out.push({ name: `${short}#${exportName}`, exportName, fn: action, permission: String(action.permission ?? "") });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// a practice with something of everything, built through the importers

export interface FuzzWorld {
  practiceId: number;
  slug: string;
  users: Record<"OWNER" | "BILLER" | "MANAGER" | "ADMIN", number>;
  password: string;
  ids: {
    patientId: number;
    patientExternalId: string;
    visitId: number;
    visitVersion: number;
    /** a visit kept for update (not the one above) */
    spareVisitId: number;
    spareVisitVersion: number;
    /** a visit kept for delete */
    deletableVisitId: number;
    deletableVisitVersion: number;
    serviceLineId: number;
    candidateLineId: number;
    reviewedLineId: number;
    kxItemId: number;
    kxItemVersion: number;
    payerId: number;
    medicarePayerId: number;
    therapistId: number;
    contractId: number;
    remitClaimId: number;
    remitLineId: number;
    underpaidRemitLineId: number;
    billerMembershipId: number;
    invitationId: number;
    ncciPairId: number;
    deleteEventId: string;
    claimNumber: string;
  };
}

const EXAMPLE = path.join(projectRoot, "e2e", "fixtures", "example-practice");

/** A practice loaded from the example practice's files, plus a few records for every action. */
export async function buildFuzzWorld(prefix: string): Promise<FuzzWorld> {
  // fixtures as the owner; the imports in the practice's scope, as the upload runs them
  const { asPractice, createTestPractice, db } = await import("@/lib/server/testing");
  const { importCsv } = await import("@/lib/server/imports");
  const { import835 } = await import("@/lib/server/remits/import");
  const { runAsUser } = await import("@/lib/server/context");
  const t = await createTestPractice(prefix);
  const practiceId = t.practiceId;
  for (const kind of ["visits", "contracts", "usage"] as const) {
    const r = await asPractice(practiceId, () =>
      importCsv({
        kind,
        practiceId,
        userId: null,
        fileName: `${kind}.csv`,
        content: fs.readFileSync(path.join(EXAMPLE, `${kind}.csv`)),
      }),
    );
    if (r.status !== "imported") throw new Error(`example ${kind}.csv: ${r.status} ${JSON.stringify(r.errors).slice(0, 300)}`);
  }
  for (const f of ["remit-united.835", "remit-medicare.835"]) {
    const r = await asPractice(practiceId, () =>
      import835({ practiceId, userId: null, fileName: f, content: fs.readFileSync(path.join(EXAMPLE, f)) }),
    );
    if (r.status !== "imported") throw new Error(`example ${f}: ${r.status} ${JSON.stringify(r.errors).slice(0, 300)}`);
  }
  const q = db();
  const firstOf = async <T>(what: string, p: Promise<T | null>): Promise<T> => {
    const v = await p;
    if (v === null) throw new Error(`the fuzz practice has no ${what}`);
    return v;
  };
  const visits = await q.visit.findMany({ where: { practiceId }, orderBy: { id: "asc" }, take: 4, include: { patient: true } });
  if (visits.length < 4) throw new Error("the fuzz practice has too few visits");
  const [visit, spare, deletable] = [visits[0]!, visits[1]!, visits[2]!];
  const line = await firstOf("service line", q.serviceLine.findFirst({ where: { practiceId }, orderBy: { id: "asc" } }));
  const candidates = await q.serviceLine.findMany({
    where: { practiceId, undercodingDirection: { not: null } },
    orderBy: { id: "asc" },
    take: 2,
  });
  if (candidates.length < 2) throw new Error("the fuzz practice has too few undercoding candidates");
  const item = await firstOf("KX queue item", q.kxQueueItem.findFirst({ where: { practiceId }, orderBy: { id: "asc" } }));
  const payer = await firstOf(
    "commercial payer",
    q.payer.findFirst({ where: { practiceId, kind: { not: "medicare" } }, orderBy: { id: "asc" } }),
  );
  const medicare = await firstOf("Medicare payer", q.payer.findFirst({ where: { practiceId, kind: "medicare" } }));
  const therapist = await firstOf("therapist", q.therapist.findFirst({ where: { practiceId }, orderBy: { id: "asc" } }));
  const contract = await firstOf("contract", q.contract.findFirst({ where: { practiceId }, orderBy: { id: "asc" } }));
  const remitClaim = await firstOf("remit claim", q.remitClaim.findFirst({ where: { practiceId }, orderBy: { id: "asc" } }));
  const underpaid = await firstOf(
    "underpaid remit line",
    q.remitLine.findFirst({ where: { practiceId, varianceCents: { gt: 0 }, serviceLineId: { not: null } }, orderBy: { id: "asc" } }),
  );
  // another line for match / unmatch, so the underpaid one stays matched
  const remitLine = await firstOf(
    "remit line",
    q.remitLine.findFirst({ where: { practiceId, id: { not: underpaid.id } }, orderBy: { id: "asc" } }),
  );
  const membership = await firstOf("biller membership", q.membership.findFirst({ where: { practiceId, userId: t.users.BILLER } }));
  const claim = await firstOf("claim", q.claim.findFirst({ where: { practiceId }, orderBy: { id: "asc" } }));
  const pair = await q.ncciPair.create({ data: { practiceId, column1: "97110", column2: "97530", note: "fuzz" } });
  const invitation = await q.invitation.create({
    data: {
      practiceId,
      email: `invited-${practiceId}@fuzz.test`,
      role: "BILLER",
      tokenHash: `fuzz-${practiceId}`,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  await q.undercodingReview.create({
    data: { practiceId, serviceLineId: candidates[1]!.id, decision: "DISMISSED", reason: "fuzz world", userId: t.users.OWNER },
  });
  // a deleted visit, for restore: deleted through the app so its audit event holds it
  const { deleteVisitAction } = await import("@/app/(app)/visits/actions");
  const fourth = visits[3]!;
  const deleted = (await runAsUser(t.users.ADMIN, () => deleteVisitAction({ id: fourth.id, version: fourth.version }))) as {
    ok: boolean;
    data?: { deleteEventId: string };
  };
  if (!deleted.ok || !deleted.data) throw new Error(`could not delete a visit for the fuzz practice: ${JSON.stringify(deleted)}`);
  return {
    ...t,
    ids: {
      patientId: visit.patientId,
      patientExternalId: visit.patient.externalId,
      visitId: visit.id,
      visitVersion: visit.version,
      spareVisitId: spare.id,
      spareVisitVersion: spare.version,
      deletableVisitId: deletable.id,
      deletableVisitVersion: deletable.version,
      serviceLineId: line.id,
      candidateLineId: candidates[0]!.id,
      reviewedLineId: candidates[1]!.id,
      kxItemId: item.id,
      kxItemVersion: item.version,
      payerId: payer.id,
      medicarePayerId: medicare.id,
      therapistId: therapist.id,
      contractId: contract.id,
      remitClaimId: remitClaim.id,
      remitLineId: remitLine.id,
      underpaidRemitLineId: underpaid.id,
      billerMembershipId: membership.id,
      invitationId: invitation.id,
      ncciPairId: pair.id,
      deleteEventId: deleted.data.deleteEventId,
      claimNumber: claim.patientControlNumber,
    },
  };
}

/** Puts back what valid fuzz cases may have changed about the users (roles, active flags). */
export async function restoreWorldUsers(world: FuzzWorld): Promise<void> {
  const { db } = await import("@/lib/server/testing");
  for (const [role, userId] of Object.entries(world.users)) {
    await db().membership.updateMany({ where: { practiceId: world.practiceId, userId }, data: { role: role as "OWNER", active: true } });
    await db().user.update({ where: { id: userId }, data: { active: true } });
  }
}

// ---------------------------------------------------------------------------------------
// a valid input for every action (the fuzzer mutates it; the cross-practice test uses it)

const today = () => new Date().toISOString().slice(0, 10);

export function validInputs(world: FuzzWorld): Record<string, () => unknown> {
  const i = world.ids;
  const visitForm = (patient: string) => ({
    patient,
    visitId: "",
    dateOfService: "2026-03-02",
    therapistId: String(i.therapistId),
    payerId: String(i.payerId),
    claimId: "",
    placeOfService: "11",
    lines: [{ id: "", cpt: "97110", minutes: "30", modifiers: "GP", unitsBilled: "2", charge: "120.00", note: "Therapeutic exercise" }],
  });
  const rate = {
    cpt: "97110",
    modifier: "",
    rate_per_unit: "31.50",
    percent_of_medicare: "",
    medicare_year: "",
    locality: "",
    max_units_per_visit: "",
    lesser_of_charge: "false",
  };
  return {
    // admin
    inviteUserAction: () => ({
      email: `fuzz-${Math.random().toString(36).slice(2)}@${world.slug}.test`,
      name: "Fuzz User",
      role: "BILLER",
    }),
    revokeInvitationAction: () => ({ invitationId: i.invitationId }),
    changeRoleAction: () => ({ membershipId: i.billerMembershipId, role: "BILLER" }),
    setActiveAction: () => ({ membershipId: i.billerMembershipId, active: true }),
    endSessionsAction: () => ({ membershipId: i.billerMembershipId }),
    resetSecondFactorAction: () => ({ membershipId: i.billerMembershipId }),
    updateSettingsAction: () => ({
      name: "Fuzz Practice",
      medicareLocality: "NY-01",
      timeZone: "America/New_York",
      alertLevelDollars: 2000,
    }),
    addNcciPairAction: () => ({ column1: "97112", column2: "97116", note: "" }),
    removeNcciPairAction: () => ({ id: i.ncciPairId }),
    addDefaultNcciPairsAction: () => ({}),
    previewReferenceAction: () => ({
      kind: "gpci",
      fileName: "gpci.csv",
      content: "year,mac,state,locality,locality_name,work_gpci,pe_gpci,mp_gpci\n2026,02102,AK,01,ALASKA,1.500,1.065,0.551\n",
    }),
    applyReferenceAction: () => ({
      kind: "gpci",
      fileName: "gpci.csv",
      content: "year,mac,state,locality,locality_name,work_gpci,pe_gpci,mp_gpci\n2026,02102,AK,01,ALASKA,1.500,1.065,0.551\n",
    }),
    // contracts
    saveContractAction: () => ({
      contractId: i.contractId,
      payerId: i.payerId,
      effective_from: "2020-01-01",
      effective_to: "2020-12-31",
      unit_method: "cms",
      multiple_procedure_rule: "none",
      rates: [rate],
    }),
    // kx queue
    assignItem: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, assignee: "me" }),
    addKx: () => ({ itemId: i.kxItemId, version: i.kxItemVersion }),
    markRebilled: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, lineIds: [i.serviceLineId] }),
    recordAbnAction: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, signedOn: "2026-03-01", note: "signed" }),
    markDocReviewed: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, note: "measurable progress toward goals" }),
    snoozeItem: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, until: "2026-12-31", note: "" }),
    resolveItem: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, note: "" }),
    reopenItem: () => ({ itemId: i.kxItemId, version: i.kxItemVersion, note: "" }),
    undoLastAction: () => ({ itemId: i.kxItemId, version: i.kxItemVersion }),
    saveUsedElsewhereAction: () => ({
      patientId: i.patientId,
      year: 2026,
      pool: "PT_SLP",
      amount: "100.00",
      source: "MAC portal",
      asOf: today(),
    }),
    // remits
    saveEob: () => ({
      payerId: i.payerId,
      checkNumber: "CHK-1",
      paymentDate: "2026-03-10",
      amount: "80.00",
      claims: [
        {
          claimNumber: i.claimNumber,
          status: "1",
          payerClaimNumber: "",
          patientName: "",
          memberId: "",
          lines: [
            {
              serviceDate: "2026-03-02",
              cpt: "97110",
              modifiers: "GP",
              units: "2",
              charge: "120.00",
              allowed: "",
              paid: "80.00",
              remarks: "",
              adjustments: [{ group: "CO", reason: "45", amount: "40.00" }],
            },
          ],
        },
      ],
    }),
    matchRemitClaim: () => ({ remitClaimId: i.remitClaimId, claimNumber: i.claimNumber }),
    matchRemitLine: () => ({ remitLineId: i.remitLineId, serviceLineId: i.serviceLineId }),
    unmatchLine: () => ({ remitLineId: i.remitLineId }),
    // undercoding
    reviewCandidateAction: () => ({ lineId: i.candidateLineId, decision: "DISMISSED", reason: "documentation reads as exercise" }),
    undoReviewAction: () => ({ lineId: i.reviewedLineId }),
    // "off" as the practice has it: a valid input that recomputes nothing
    setUndercodingOptionAction: () => ({ reviewAmbiguousNotes: "off" }),
    // underpayments
    markUnderpayment: () => ({ remitLineId: i.underpaidRemitLineId, status: "APPEALED", from: "OPEN", note: "appeal sent" }),
    savePayerAppealAddress: () => ({ payerId: i.payerId, appealAddress: "Appeals Unit\nPO Box 1\nTampa, FL 33601" }),
    // visits
    createVisitAction: () => visitForm(i.patientExternalId),
    updateVisitAction: () => ({ id: i.spareVisitId, version: i.spareVisitVersion, visit: visitForm(i.patientExternalId) }),
    deleteVisitAction: () => ({ id: i.deletableVisitId, version: i.deletableVisitVersion }),
    restoreVisitAction: () => ({ deleteEventId: i.deleteEventId }),
  };
}

// ---------------------------------------------------------------------------------------
// generators

const SPECIAL_STRINGS = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "null",
  "undefined",
  "true",
  "9".repeat(40),
  "-0.001",
  "12.345",
  "\u0000",
  "\uFEFF",
  "\r\n",
  '"',
  '""',
  '\'; drop table "Patient"; --',
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "1900-01-01",
  "2026-13-01",
  "\u22125",
  "\uFF11\uFF12\uFF13",
  "\uD83D\uDE42",
  "\uD800",
  "a".repeat(5001),
  "__proto__",
  "constructor",
];

/** Any value at all, weighted toward what breaks parsers: wrong types, edge numbers, odd strings. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      0,
      -1,
      2 ** 31,
      2 ** 53 + 1,
      Number.MAX_VALUE,
      1.5,
      true,
      false,
      [],
      {},
      10n ** 30n,
      new Date("invalid"),
    ),
  },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom("__proto__", "constructor", "toString", "id", "practiceId", "version"),
      fc.anything({ maxDepth: 1 }),
    ),
  },
);

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value && typeof value === "object" && prefix.length < 8 && out.length < 2_000) {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      pathsOf(v, p, out);
    }
  }
  return out;
}

/** A copy: generated values (constants above all) are shared between cases and must not be edited. */
function clone<T>(v: T): T {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

type Mutation = { op: "replace" | "drop" | "add" | "repeat"; pick: number; value: unknown; key: string; times: number };

function applyMutation(target: unknown, m: Mutation): unknown {
  const paths = pathsOf(target);
  if (paths.length === 0 || !target || typeof target !== "object") return clone(m.value);
  const p = paths[m.pick % paths.length]!;
  m = { ...m, value: clone(m.value) };
  let parent: Record<string | number, unknown> = target as Record<string, unknown>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = p[p.length - 1]!;
  if (m.op === "replace") parent[last] = m.value;
  else if (m.op === "drop") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.op === "add") {
    const container = parent[last] && typeof parent[last] === "object" ? (parent[last] as Record<string, unknown>) : parent;
    if (Array.isArray(container)) container.push(m.value);
    else container[m.key] = m.value;
  } else {
    const v = parent[last];
    if (Array.isArray(v) && v.length) parent[last] = Array.from({ length: m.times }, () => clone(v[0]));
    else parent[last] = m.value;
  }
  return target;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<Mutation["op"]>("replace", "replace", "replace", "drop", "add", "repeat"),
  pick: fc.nat(),
  value: junk,
  key: fc.constantFrom("extra", "__proto__", "practiceId", "id", "constructor", "userId"),
  times: fc.constantFrom(0, 2, 41, 201, 5000),
});

/** A valid input with one to three fields replaced, dropped, added or repeated. */
export function mutatedFrom(template: () => unknown): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce((acc, m) => applyMutation(acc, m), clone(template())));
}

/** Input for one action: junk of any shape, or (mostly) a valid input mutated. */
export function actionInput(template: (() => unknown) | undefined): fc.Arbitrary<unknown> {
  if (!template) return junk;
  return fc.oneof({ weight: 1, arbitrary: junk }, { weight: 3, arbitrary: mutatedFrom(template) });
}

// --- CSV ---------------------------------------------------------------------------------

export type CsvKind = "visits" | "usage" | "contracts";

function csvQuote(cell: string, how: number): string {
  if (how === 0) return cell;
  if (how === 1) return `"${cell.replaceAll('"', '""')}"`;
  return `"${cell}`; // an unterminated quote
}

function seedCsv(kind: CsvKind): { header: string[]; rows: string[][] } {
  const text = fs.readFileSync(path.join(EXAMPLE, `${kind}.csv`), "utf8");
  const lines = text
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split(/\r?\n/);
  const header = lines[0]!.split(",");
  // the fixture's first rows have no quoted cells: a plain split is faithful
  const rows = lines
    .slice(1, 40)
    .map((l) => l.split(","))
    .filter((r) => r.length === header.length);
  return { header, rows };
}

const csvCell = (samples: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...samples) },
    { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }) },
    { weight: 1, arbitrary: fc.integer({ min: -1e9, max: 1e12 }).map(String) },
    { weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
  );

/** A CSV file of the kind: raw bytes, a table of junk cells, or a valid file with mutations. */
export function csvFile(kind: CsvKind): fc.Arbitrary<Buffer> {
  const seed = seedCsv(kind);
  const columnSamples = seed.header.map((_, j) => [...new Set(seed.rows.map((r) => r[j]!))]);
  const anySample = [...new Set(seed.rows.flat())];
  const raw = fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
    fc.string({ maxLength: 600 }).map((s) => Buffer.from(s)),
    fc.constantFrom("", "\uFEFF", "\n\n\n", seed.header.join(","), `${seed.header.join(",")}\n`).map((s) => Buffer.from(s)),
  );
  const header = fc
    .record({
      order: fc.shuffledSubarray(seed.header, { minLength: Math.max(1, seed.header.length - 2) }),
      extra: fc.option(fc.constantFrom("extra", "Patient_ID", " patient_id", "", seed.header[0]!), { nil: undefined }),
    })
    .map(({ order, extra }) => (extra === undefined ? order : [...order, extra]));
  const table = fc
    .record({
      header,
      rows: fc.array(fc.array(csvCell(anySample), { minLength: 0, maxLength: seed.header.length + 2 }), { minLength: 0, maxLength: 12 }),
      quoting: fc.nat({ max: 2 }),
      eol: fc.constantFrom("\n", "\r\n", "\r"),
      bom: fc.boolean(),
    })
    .map(({ header: h, rows, quoting, eol, bom }) =>
      Buffer.from(
        `${bom ? "\uFEFF" : ""}${[h, ...rows].map((r) => r.map((c, i) => csvQuote(c, i === 0 ? quoting : 0)).join(",")).join(eol)}${eol}`,
      ),
    );
  const cellEdit = fc.record({
    row: fc.nat(),
    column: fc.nat(),
    value: fc.oneof(
      csvCell(anySample),
      fc.nat().map((n) => columnSamples[n % columnSamples.length]![0] ?? ""),
    ),
    quote: fc.nat({ max: 4 }),
  });
  const mutated = fc
    .record({
      take: fc.integer({ min: 1, max: Math.min(15, seed.rows.length) }),
      edits: fc.array(cellEdit, { minLength: 1, maxLength: 4 }),
      dropColumn: fc.option(fc.nat(), { nil: undefined }),
      duplicateRow: fc.boolean(),
      truncateAt: fc.option(fc.nat(), { nil: undefined }),
      insertNewlineInCell: fc.boolean(),
    })
    .map(({ take, edits, dropColumn, duplicateRow, truncateAt, insertNewlineInCell }) => {
      const rows = seed.rows.slice(0, take).map((r) => [...r]);
      for (const e of edits) {
        const r = rows[e.row % rows.length]!;
        r[e.column % r.length] = csvQuote(e.value, e.quote === 4 ? 2 : e.quote === 3 ? 1 : 0);
      }
      if (insertNewlineInCell) rows[0]![0] = `"${rows[0]![0]}\nnext"`;
      if (duplicateRow) rows.push([...rows[0]!]);
      let h = [...seed.header];
      if (dropColumn !== undefined) {
        const c = dropColumn % h.length;
        h = h.filter((_, j) => j !== c);
        for (const r of rows) r.splice(c, 1);
      }
      let text = [h, ...rows].map((r) => r.join(",")).join("\n");
      if (truncateAt !== undefined) text = text.slice(0, truncateAt % (text.length + 1));
      return Buffer.from(text);
    });
  return fc.oneof({ weight: 1, arbitrary: raw }, { weight: 2, arbitrary: table }, { weight: 4, arbitrary: mutated });
}

// --- 835 ---------------------------------------------------------------------------------

function seed835s(): string[] {
  const files = [path.join(EXAMPLE, "remit-united.835"), path.join(EXAMPLE, "remit-medicare.835")];
  const publicDir = path.join(projectRoot, "e2e", "fixtures", "835");
  if (fs.existsSync(publicDir))
    files.push(
      ...fs
        .readdirSync(publicDir)
        .filter((f) => f.endsWith(".835"))
        .sort()
        .slice(0, 6)
        .map((f) => path.join(publicDir, f)),
    );
  return files.map((f) => fs.readFileSync(f, "latin1"));
}

interface Split835 {
  element: string;
  segment: string;
  segments: string[];
}

function split835(text: string): Split835 {
  const t = text.replace(/^\uFEFF/, "");
  const element = t.startsWith("ISA") && t.length > 106 ? t[3]! : "*";
  const segment = t.startsWith("ISA") && t.length > 106 ? t[105]! : "~";
  return {
    element,
    segment,
    segments: t
      .split(segment)
      .map((s) => s.replace(/^\r?\n/, ""))
      .filter((s) => s.length > 0),
  };
}

type SegmentEdit = {
  op: "drop" | "duplicate" | "swap" | "element" | "truncate-segment" | "new-delimiter" | "garbage";
  at: number;
  to: number;
  value: string;
};

const segmentEdit: fc.Arbitrary<SegmentEdit> = fc.record({
  op: fc.constantFrom<SegmentEdit["op"]>(
    "drop",
    "duplicate",
    "swap",
    "element",
    "element",
    "element",
    "truncate-segment",
    "new-delimiter",
    "garbage",
  ),
  at: fc.nat(),
  to: fc.nat(),
  value: fc.oneof(
    fc.constantFrom(
      "",
      "0",
      "-1",
      "99999999999999",
      "1.234",
      "ABC",
      "20261399",
      "20260230",
      "*",
      "~",
      ":",
      "^",
      "NaN",
      "1E9",
      "-0",
      "HC:97110:GP:XX:YY:ZZ",
    ),
    fc.string({ maxLength: 12 }),
  ),
});

function edit835(base: Split835, edits: SegmentEdit[], truncateAt: number | undefined): Buffer {
  const segs = [...base.segments];
  let { element, segment } = base;
  for (const e of edits) {
    if (segs.length === 0) break;
    const i = e.at % segs.length;
    const j = e.to % segs.length;
    if (e.op === "drop") segs.splice(i, 1);
    else if (e.op === "duplicate") segs.splice(i, 0, segs[i]!);
    else if (e.op === "swap") [segs[i], segs[j]] = [segs[j]!, segs[i]!];
    else if (e.op === "element") {
      const parts = segs[i]!.split(element);
      parts[1 + (e.to % Math.max(1, parts.length - 1))] = e.value;
      segs[i] = parts.join(element);
    } else if (e.op === "truncate-segment") segs[i] = segs[i]!.slice(0, e.to % (segs[i]!.length + 1));
    else if (e.op === "new-delimiter") {
      // the ISA declares one element separator while the rest of the file uses another
      if (e.to % 2 === 0) element = e.value[0] ?? "|";
      else segment = e.value[0] ?? "\n";
    } else segs.splice(i, 0, e.value);
  }
  let text = segs.join(`${segment}\n`) + segment;
  if (element !== base.element && text.startsWith("ISA")) text = `ISA${element}${text.slice(4)}`;
  if (truncateAt !== undefined) text = text.slice(0, truncateAt % (text.length + 1));
  return Buffer.from(text, "latin1");
}

/** An 835: raw bytes, or a real or generated remit with segments dropped, repeated, edited or cut. */
export function x12File(): fc.Arbitrary<Buffer> {
  const seeds = seed835s().map(split835);
  const raw = fc.oneof(
    fc.uint8Array({ maxLength: 800 }).map((b) => Buffer.from(b)),
    fc.string({ maxLength: 400 }).map((s) => Buffer.from(s)),
    fc.constantFrom("", "ISA", "ISA*00*", "~~~~", "ISA*00*          *00*          *ZZ*X~IEA*1*1~").map((s) => Buffer.from(s)),
  );
  const generated = fc
    .record({ seed: fc.nat(), claims: fc.integer({ min: 1, max: 6 }) })
    .map(({ seed, claims }) => split835(generate835({ seed, claimCount: claims }).text));
  const base = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...seeds) }, { weight: 1, arbitrary: generated });
  const mutated = fc
    .record({
      base,
      edits: fc.array(segmentEdit, { minLength: 1, maxLength: 4 }),
      truncateAt: fc.option(fc.nat(), { nil: undefined, freq: 6 }),
    })
    .map(({ base: b, edits, truncateAt }) => edit835(b, edits, truncateAt));
  return fc.oneof({ weight: 1, arbitrary: raw }, { weight: 5, arbitrary: mutated });
}

// ---------------------------------------------------------------------------------------
// checks

/** What is wrong with an action's answer to invalid input, or null when it is fine. */
export function actionProblem(result: unknown): string | null {
  if (!result || typeof result !== "object" || typeof (result as { ok?: unknown }).ok !== "boolean")
    return `not an action result: ${short(result)}`;
  const r = result as { ok: boolean; status?: number; error?: unknown; fieldErrors?: Record<string, unknown> };
  if (r.ok) return null;
  if (r.status === 500 || typeof r.status !== "number" || r.status < 400) return `status ${r.status}: ${short(r.error)}`;
  const hasFieldErrors = r.fieldErrors && Object.values(r.fieldErrors).some((v) => Array.isArray(v) && v.length > 0);
  if (!hasFieldErrors && (typeof r.error !== "string" || r.error.trim() === "")) return `status ${r.status} without a message`;
  return null;
}

/** What is wrong with an import's answer, or null when it is fine. */
export function importProblem(result: unknown): string | null {
  const r = result as {
    status?: string;
    errors?: { where?: unknown; message?: unknown }[];
    warnings?: { where?: unknown; message?: unknown }[];
  };
  if (!r || !["rejected", "dry-run", "imported", "duplicate"].includes(String(r.status))) return `unexpected status ${short(r?.status)}`;
  if (r.status === "rejected" && !(r.errors?.length ?? 0)) return "rejected without an error";
  for (const issue of [...(r.errors ?? []), ...(r.warnings ?? [])]) {
    if (typeof issue.where !== "string" || issue.where.trim() === "") return `an issue without a place: ${short(issue)}`;
    if (typeof issue.message !== "string" || issue.message.trim() === "") return `an issue without a message: ${short(issue)}`;
  }
  return null;
}

function short(v: unknown): string {
  let s: string;
  try {
    s = typeof v === "string" ? v : (JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

// ---------------------------------------------------------------------------------------
// the runner

export interface TargetReport {
  target: string;
  cases: number;
  failures: number;
  /** answers seen: action status or import status → count */
  outcomes: Record<string, number>;
  examples: { input: string; problem: string }[];
  ms: number;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  only?: string[];
  log?: (m: string) => void;
}

/** Runs every target; returns one report per target. The world must exist (buildFuzzWorld). */
export async function runFuzz(world: FuzzWorld, options: FuzzOptions): Promise<TargetReport[]> {
  // the imports run in the world's practice scope (the actions enter it through the guard)
  const { asPractice } = await import("@/lib/server/testing");
  return asPractice(world.practiceId, () => runFuzzInScope(world, options));
}

async function runFuzzInScope(world: FuzzWorld, options: FuzzOptions): Promise<TargetReport[]> {
  const { runAsUser } = await import("@/lib/server/context");
  const { can, ROLES } = await import("@/lib/server/permissions");
  const { importCsv } = await import("@/lib/server/imports");
  const { import835 } = await import("@/lib/server/remits/import");
  const log = options.log ?? (() => {});
  const wanted = (name: string) =>
    !options.only?.length || options.only.some((o) => name === o || name.endsWith(`#${o}`) || name.startsWith(o));
  const reports: TargetReport[] = [];

  // the guard logs "action failed" for what it turns into a 500: count those too
  const guardLogs: string[] = [];
  const originalError = console.error;
  const originalWarn = console.warn;
  console.error = console.warn = (...args: unknown[]) => {
    guardLogs.push(args.map(String).join(" "));
  };
  try {
    const run = async (
      target: string,
      arb: fc.Arbitrary<unknown>,
      call: (v: unknown) => Promise<unknown>,
      check: (r: unknown) => string | null,
      every?: () => Promise<void>,
    ) => {
      if (!wanted(target)) return;
      const started = performance.now();
      const report: TargetReport = { target, cases: 0, failures: 0, outcomes: {}, examples: [], ms: 0 };
      const values = fc.sample(arb, { numRuns: options.cases, seed: options.seed });
      for (const value of values) {
        if (every && report.cases % 50 === 0) await every();
        report.cases++;
        const logsBefore = guardLogs.length;
        let problem: string | null;
        let outcome: string;
        try {
          const result = await call(value);
          problem = check(result);
          const r = result as { ok?: boolean; status?: unknown };
          outcome = typeof r?.ok === "boolean" ? (r.ok ? "ok" : String(r.status)) : String(r?.status);
        } catch (error) {
          problem = `threw ${(error as Error)?.stack?.split("\n").slice(0, 3).join(" ") ?? String(error)}`;
          outcome = "threw";
        }
        const logged = guardLogs.slice(logsBefore).filter((l) => /action failed/.test(l));
        if (!problem && logged.length) problem = `the guard logged: ${logged[0]}`;
        report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
        if (problem) {
          report.failures++;
          if (report.examples.length < 5)
            report.examples.push({ input: short(value instanceof Buffer ? value.toString("latin1") : value), problem });
        }
      }
      report.ms = Math.round(performance.now() - started);
      reports.push(report);
      log(
        `${target.padEnd(48)} ${String(report.cases).padStart(6)} cases  ${String(report.failures).padStart(4)} failures  ${(report.ms / 1000).toFixed(1)} s  ${JSON.stringify(report.outcomes)}`,
      );
    };

    // imports (dry runs half of the time, so a valid mutation does not pile up data); the
    // uploader names the file, so its name is input too
    const fileName = (usual: string) =>
      fc.oneof(
        { weight: 8, arbitrary: fc.constant(usual) },
        { weight: 1, arbitrary: fc.constantFrom("", "\u0000.csv", "a".repeat(1000), "../../x.csv", "\uD800") },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      );
    for (const kind of ["visits", "usage", "contracts"] as const) {
      await run(
        `import ${kind}.csv`,
        fc.tuple(csvFile(kind), fc.boolean(), fileName(`${kind}.csv`)),
        (v) => {
          const [content, dryRun, name] = v as [Buffer, boolean, string];
          return importCsv({ kind, practiceId: world.practiceId, userId: world.users.ADMIN, fileName: name, content, dryRun });
        },
        importProblem,
      );
    }
    await run(
      "import 835",
      fc.tuple(x12File(), fc.boolean(), fileName("remit.835")),
      (v) => {
        const [content, dryRun, name] = v as [Buffer, boolean, string];
        return import835({ practiceId: world.practiceId, userId: world.users.MANAGER, fileName: name, content, dryRun });
      },
      importProblem,
    );

    // actions
    const templates = validInputs(world);
    for (const action of await appActions()) {
      const role = ROLES.find((r) => can(r, action.permission as never));
      if (!role) continue;
      await run(
        `action ${action.name}`,
        actionInput(templates[action.exportName]),
        (input) => runAsUser(world.users[role], () => action.fn(input)),
        actionProblem,
        () => restoreWorldUsers(world),
      );
    }
  } finally {
    console.error = originalError;
    console.warn = originalWarn;
  }
  return reports;
}

// ---------------------------------------------------------------------------------------
// npm run bench -- fuzz

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs(argv, { cases: "string", seed: "string", only: "string", json: "boolean" });
  const cases = Number(str(values, "cases") ?? 10_000);
  const seed = Number(str(values, "seed") ?? 2026);
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) throw new Error("--cases and --seed are integers");
  const only = str(values, "only")?.split(",").filter(Boolean);

  const { benchDatabase } = await import("./database");
  const server = await benchDatabase("therapy_bench_fuzz");
  process.env.DATABASE_URL = server.url;
  const { disconnectDb } = await import("@/lib/server/db");
  const log = (m: string) => process.stderr.write(`${m}\n`);
  try {
    const started = performance.now();
    log(`building the fuzz practice in ${new URL(server.url).pathname.slice(1)} …`);
    const world = await buildFuzzWorld("fuzz");
    log(`fuzzing ${cases} cases per target (seed ${seed})`);
    const reports = await runFuzz(world, { cases, seed, only, log });
    const total = reports.reduce((s, r) => s + r.cases, 0);
    const failures = reports.reduce((s, r) => s + r.failures, 0);
    const summary = {
      cases,
      seed,
      targets: reports.length,
      total,
      failures,
      seconds: Math.round((performance.now() - started) / 1000),
      reports,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(`\nFuzz: ${reports.length} targets, ${total} cases, ${failures} failures, ${summary.seconds} s\n`);
      for (const r of reports.filter((x) => x.failures > 0)) {
        process.stdout.write(`\n${r.target}: ${r.failures} failures\n`);
        for (const e of r.examples) process.stdout.write(`  ${e.problem}\n    input: ${e.input}\n`);
      }
    }
    if (failures > 0) process.exitCode = 1;
  } finally {
    await disconnectDb();
    await server.stop();
  }
}
