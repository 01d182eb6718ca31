// For integration tests: a fresh practice per suite (never truncating shared tables),
// with one user per role, created through the same code as the command line.
//
// App code under test connects as the app's role (DATABASE_URL), inside a practice scope: the
// guard's (runAsUser + an action or route) or asPractice's. db() here is the owner's client
// (MIGRATION_DATABASE_URL), which row-level security does not restrict: for arranging fixtures
// and checking what the app wrote, across practices.
import crypto from "node:crypto";
import { ownerDb } from "./core/db-client";
import { createPractice } from "./practices";
import { createUser } from "./users";
import type { RoleName } from "./core/permissions";
import { withPracticeScope } from "./core/scope";

/** The owner's client, for fixtures and checks (not held to a practice). */
export const db = ownerDb;

/** Runs app code in a practice's scope, as the guard does for a signed-in user of it. */
export function asPractice<T>(practice: number | { practiceId: number }, fn: () => Promise<T>): Promise<T> {
  return withPracticeScope(typeof practice === "number" ? practice : practice.practiceId, fn);
}

export interface TestPractice {
  practiceId: number;
  slug: string;
  users: Record<RoleName, number>;
  password: string;
}

export async function createTestPractice(prefix: string, locality = "NY-01"): Promise<TestPractice> {
  const suffix = crypto.randomBytes(4).toString("hex");
  const slug = `${prefix}-${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40);
  const practice = await createPractice({ slug, name: `Test ${prefix}`, medicareLocality: locality, timeZone: "America/New_York" });
  const password = "test-password-123";
  const users = {} as Record<RoleName, number>;
  for (const role of ["OWNER", "BILLER", "MANAGER", "ADMIN"] as const) {
    const user = await withPracticeScope(practice.id, () =>
      createUser(practice.id, {
        email: `${role.toLowerCase()}-${suffix}@${slug}.test`,
        role,
        password,
        name: `${role} ${suffix}`,
      }),
    );
    users[role] = user.id;
  }
  return { practiceId: practice.id, slug, users, password };
}

/** The header row of a visits CSV (docs/formats.md). */
export const VISITS_CSV_HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
/** A note that reads as functional work: a 97110 line with it is a "could be 97530" candidate. */
export const FUNCTIONAL_NOTE = "Practiced car transfers and carrying groceries from the car to the kitchen counter.";

/** Imports visits.csv text into the practice as its admin; throws (naming the rows) unless it is imported. */
export async function importVisitsCsv(practice: TestPractice, csv: string): Promise<void> {
  const { importCsv } = await import("./imports");
  const result = await asPractice(practice, () =>
    importCsv({
      kind: "visits",
      practiceId: practice.practiceId,
      userId: practice.users.ADMIN,
      fileName: "visits.csv",
      content: Buffer.from(csv),
    }),
  );
  if (result.status !== "imported") throw new Error(`visits.csv was ${result.status}: ${JSON.stringify(result.errors)}`);
}

export async function readAll<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** A service line's remit figures as ServiceLineRemit holds them. */
export interface RemitFigures {
  remitLineCount: number;
  remitNetCount: number;
  remitPaidCents: number;
  remitAllowedNetCents: number;
  remitPatientRespCents: number;
  remitDenialCause: string | null;
  remitAllowedCents: number | null;
  remitWork: string | null;
}

/** The figures of a line's ServiceLineRemit row; a line without one reads as no remit (counts and sums 0, the rest null). */
export function remitFiguresOf(row: RemitFigures | null): RemitFigures {
  return {
    remitLineCount: row?.remitLineCount ?? 0,
    remitNetCount: row?.remitNetCount ?? 0,
    remitPaidCents: row?.remitPaidCents ?? 0,
    remitAllowedNetCents: row?.remitAllowedNetCents ?? 0,
    remitPatientRespCents: row?.remitPatientRespCents ?? 0,
    remitDenialCause: row?.remitDenialCause ?? null,
    remitAllowedCents: row?.remitAllowedCents ?? null,
    remitWork: row?.remitWork ?? null,
  };
}

/** A service line read with its remit figures beside its own columns. */
export async function withRemit<T extends { id: number }>(line: T): Promise<T & RemitFigures> {
  return { ...line, ...remitFiguresOf(await db().serviceLineRemit.findUnique({ where: { serviceLineId: line.id } })) };
}

/** The planner's estimate of a practice's rows of a table (EXPLAIN's "Plan Rows"), from its statistics as they are. */
export async function plannedRowsOfPractice(table: string, practiceId: number): Promise<number> {
  const [row] = await db().$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[]>(
    `explain (format json) select 1 from "${table}" where "practiceId" = $1`,
    practiceId,
  );
  return row!["QUERY PLAN"][0].Plan["Plan Rows"];
}

/** A table's committed rows, counted, and its statistics' estimate of them (pg_class.reltuples). */
export async function rowsAndEstimate(table: string): Promise<{ committed: number; reltuples: number }> {
  const [row] = await db().$queryRawUnsafe<{ committed: number; reltuples: number }[]>(
    `select (select count(*)::int from "${table}") as committed,
            (select reltuples::float8 from pg_class where oid = $1::regclass) as reltuples`,
    `"${table}"`,
  );
  return row!;
}

/** A claim of a hand-built 835: our claim number (the visit's claim id), the patient as the payer names them, its lines. */
export interface Test835Claim {
  claim: string;
  first: string;
  last: string;
  member: string;
  /** CLP02: 1 processed as primary, 4 denied */
  status: "1" | "4";
  lines: { cpt: string; modifier: string; dos: string; chargeCents: number; paidCents: number; adjustments: string[] }[];
}

/**
 * A one-payment 835 from `payer` (N1*PR) to the test practice (payee NPI 1999999998), one CLP a
 * claim; each line's adjustments as CAS segments ("CO*45*75.00"). The payment's and claims'
 * totals are the lines' sums.
 */
export function test835(payer: string, trace: string, claims: Test835Claim[]): string {
  const money = (cents: number) => (cents / 100).toFixed(2);
  const paid = (c: Test835Claim) => c.lines.reduce((n, l) => n + l.paidCents, 0);
  const total = claims.reduce((n, c) => n + paid(c), 0);
  const body = [
    "ST*835*0001",
    `BPR*${total > 0 ? "I" : "H"}*${money(total)}*C*${total > 0 ? "ACH" : "NON"}************20261201`,
    `TRN*1*${trace}*1999999999`,
    "DTM*405*20261201",
    `N1*PR*${payer}`,
    "N1*PE*TEST PRACTICE*XX*1999999998",
    "LX*1",
  ];
  for (const claim of claims) {
    const charge = claim.lines.reduce((n, l) => n + l.chargeCents, 0);
    body.push(`CLP*${claim.claim}*${claim.status}*${money(charge)}*${money(paid(claim))}**MB*ICN-${claim.claim}`);
    body.push(`NM1*QC*1*${claim.last.toUpperCase()}*${claim.first.toUpperCase()}****MI*${claim.member}`);
    for (const line of claim.lines) {
      body.push(
        `SVC*HC:${line.cpt}:${line.modifier}*${money(line.chargeCents)}*${money(line.paidCents)}**1`,
        `DTM*472*${line.dos.replaceAll("-", "")}`,
      );
      for (const adjustment of line.adjustments) body.push(`CAS*${adjustment}`);
    }
  }
  body.push(`SE*${body.length + 1}*0001`);
  return `${[
    "ISA*00*          *00*          *ZZ*TESTPAYER      *ZZ*TESTPRACTICE   *261201*0900*^*00501*000007001*0*P*:",
    "GS*HP*TESTPAYER*TESTPRACTICE*20261201*0900*7001*X*005010X221A1",
    ...body,
    "GE*1*7001",
    "IEA*1*000007001",
  ].join("~")}~`;
}
