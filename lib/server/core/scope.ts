// The practice scope: every query of a practice's data runs inside one, and only there.
//
// - The guard enters it (guardedAction, guardedRoute: the session's practice); a server
//   component's queries run in the scope of the request's session (the same cached context
//   pageContext checks); the command line and the tests enter it with withPracticeScope.
// - db() is the app's Prisma client seen through the scope (a client extension): a query of a
//   tenant model gets `practiceId` added to its where / data, a query that names another
//   practice is refused, and one outside any scope fails (OutsidePracticeScope) instead of
//   reading every practice's rows.
// - Each practice's queries run on its own client (withPracticeClient in db-client.ts: a small pool
//   per practice, the few most recently used practices kept) whose connections are opened with
//   app.practice_id set (`-c app.practice_id=<id>`), which PostgreSQL's row-level security
//   policies compare with each row's "practiceId" (migration tenant_row_level_security). A model
//   query or raw SQL then needs no transaction around it; an interactive transaction also sets
//   the practice (set_config(…, true), i.e. SET LOCAL), as does a batch transaction, which runs on
//   the unscoped client. Raw SQL, COPY on a transaction's connection (transactionWithConnection) and
//   a side connection (openSideConnection) are held to the same practice, and a forgotten filter
//   returns nothing rather than another practice's rows. Prisma batches findUnique calls made in
//   the same tick into one query per client: each practice has its own, so a batch never mixes two.
import { AsyncLocalStorage } from "node:async_hooks";
import { withAfterCommit } from "./after-commit";
import {
  type Db,
  openRawSideConnection,
  type PracticeClient,
  type SideConnection,
  type Tx,
  unscopedDb,
  withPracticeClient,
} from "./db-client";

/**
 * Models whose rows belong to one practice (a "practiceId" column). Practice itself is scoped by
 * its id. scope.test.ts checks this list against prisma/schema.prisma, so a new model with a
 * practiceId cannot be left out.
 */
export const TENANT_MODELS: ReadonlySet<string> = new Set([
  "Membership",
  "Invitation",
  "Clinic",
  "Therapist",
  "Patient",
  "Payer",
  "Coverage",
  "Claim",
  "Visit",
  "ServiceLine",
  "ServiceLineRemit",
  "VisitClaimCheck",
  "ClaimCheckDay",
  "ThresholdUsage",
  "KxQueueItem",
  "KxQueueAction",
  "Contract",
  "ContractRate",
  "FeeScheduleRow",
  "Gpci",
  "NcciPair",
  "MueCap",
  "TherapyCode",
  "ImportJob",
  "RemitFile",
  "RemitPayment",
  "RemitClaim",
  "RemitLine",
  "RemitAdjustment",
  "ProviderAdjustment",
  "UndercodingReview",
  "RevenueWeek",
  "ReceivableWeek",
  "ReceivableDay",
  "DenialDay",
  "UnderpaymentDay",
  "RevenueDirtyWeek",
  "AuditEvent",
]);

/**
 * Models shared by every practice: users (sign-in), their server sessions and recovery codes
 * (read before a practice is chosen: the session decides which practice the request is in),
 * sign-in throttling, X12 code lists.
 */
export const SHARED_MODELS: ReadonlySet<string> = new Set(["User", "UserSession", "RecoveryCode", "SignInThrottle", "CodeListEntry"]);

export class OutsidePracticeScope extends Error {
  constructor(what: string) {
    super(`${what} outside a practice scope: run it through the guard or withPracticeScope`);
    this.name = "OutsidePracticeScope";
  }
}

export class OtherPracticeNamed extends Error {
  constructor(model: string, named: unknown, scope: number) {
    super(`a ${model} query names practice ${JSON.stringify(named)} inside the scope of practice ${scope}`);
    this.name = "OtherPracticeNamed";
  }
}

// Kept on globalThis: a bundler may load this module more than once (one copy per server
// layer), and every copy must see the same scope and the same request resolver.
type RequestScope = () => Promise<number | null>;
const shared = globalThis as unknown as {
  __practiceScopes?: AsyncLocalStorage<{ practiceId: number }>;
  __requestScope?: RequestScope;
};
shared.__practiceScopes ??= new AsyncLocalStorage<{ practiceId: number }>();
const scopes = shared.__practiceScopes;

/**
 * Runs fn in the scope of one practice. Called by the guard (the session's practice), the
 * command line (the practice named by --practice), sign-in, and tests; nowhere else
 * (unscoped-db.test.ts lists the callers).
 */
export function withPracticeScope<T>(practiceId: number, fn: () => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(practiceId) || practiceId <= 0) throw new Error(`not a practice id: ${practiceId}`);
  // awaited inside: a Prisma query runs when it is awaited, not when it is made
  return scopes.run({ practiceId }, async () => await fn());
}

/**
 * For a benchmark's process that works in one practice: the rest of the calling async function
 * (and what it starts) runs in that practice's scope. Not for the app, whose requests share a
 * process.
 */
export function enterPracticeScopeForProcess(practiceId: number): void {
  if (!Number.isSafeInteger(practiceId) || practiceId <= 0) throw new Error(`not a practice id: ${practiceId}`);
  scopes.enterWith({ practiceId });
}

/**
 * How a server component's request finds its scope when the guard did not enter one: the
 * session's practice (lib/server/core/context.ts registers it; cached once per request).
 */
export function setRequestScope(resolve: RequestScope): void {
  shared.__requestScope = resolve;
}

/** The practice whose scope this code runs in, or null outside every scope. */
export async function currentPracticeId(): Promise<number | null> {
  const entered = scopes.getStore();
  if (entered) return entered.practiceId;
  const requestScope = shared.__requestScope;
  if (!requestScope) return null;
  try {
    return await requestScope();
  } catch (error) {
    // outside a request there is no session to ask; anything else is worth a line in the log
    if (!/outside a request scope/i.test(String((error as Error)?.message)))
      console.warn("practice scope: no session scope:", String(error).slice(0, 300));
    return null;
  }
}

async function requirePracticeId(what: string): Promise<number> {
  const id = await currentPracticeId();
  if (id === null) throw new OutsidePracticeScope(what);
  return id;
}

const SET_PRACTICE = "select set_config('app.practice_id', $1, true)";

/**
 * Sets app.practice_id for the rest of a transaction (row-level security). For the few
 * transactions of the unscoped client that write a practice's rows (creating a practice).
 */
export async function setTransactionPractice(tx: Pick<Tx, "$executeRawUnsafe">, practiceId: number): Promise<void> {
  await tx.$executeRawUnsafe(SET_PRACTICE, String(practiceId));
}

const WHERE_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);
const DATA_OPERATIONS = new Set(["create", "createMany", "createManyAndReturn"]);

type Args = Record<string, unknown>;

function scopedWhere(model: string, where: unknown, practiceId: number): Args {
  const whereArgs = (where ?? {}) as Args;
  const key = model === "Practice" ? "id" : "practiceId";
  if (whereArgs[key] !== undefined && whereArgs[key] !== practiceId) throw new OtherPracticeNamed(model, whereArgs[key], practiceId);
  return { ...whereArgs, [key]: practiceId };
}

function scopedData(model: string, data: unknown, practiceId: number): unknown {
  if (Array.isArray(data)) return data.map((d) => scopedData(model, d, practiceId));
  const dataArgs = (data ?? {}) as Args;
  if (dataArgs.practiceId !== undefined && dataArgs.practiceId !== practiceId)
    throw new OtherPracticeNamed(model, dataArgs.practiceId, practiceId);
  return { ...dataArgs, practiceId };
}

/** A tenant model's query arguments held to one practice (where and created rows). */
export function scopedArgs(model: string, operation: string, args: unknown, practiceId: number): Args {
  const scopedArgs = { ...((args ?? {}) as Args) };
  if (model === "Practice") {
    if (DATA_OPERATIONS.has(operation)) throw new Error("a practice is created outside any practice scope (admin create-practice)");
    if (WHERE_OPERATIONS.has(operation)) scopedArgs.where = scopedWhere(model, scopedArgs.where, practiceId);
    return scopedArgs;
  }
  if (WHERE_OPERATIONS.has(operation)) scopedArgs.where = scopedWhere(model, scopedArgs.where, practiceId);
  if (DATA_OPERATIONS.has(operation)) scopedArgs.data = scopedData(model, scopedArgs.data, practiceId);
  if (operation === "upsert") scopedArgs.create = scopedData(model, scopedArgs.create, practiceId);
  if (
    (operation === "update" || operation === "updateMany" || operation === "updateManyAndReturn" || operation === "upsert") &&
    scopedArgs.data
  ) {
    const nestedData = scopedArgs.data as Args;
    if (nestedData.practiceId !== undefined && nestedData.practiceId !== practiceId)
      throw new OtherPracticeNamed(model, nestedData.practiceId, practiceId);
  }
  return scopedArgs;
}

/** The client's property for a model: "ServiceLine" → "serviceLine". */
function delegateKey(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

function isScoped(model: string | undefined): model is string {
  return model !== undefined && (model === "Practice" || TENANT_MODELS.has(model));
}

const RAW_METHODS = new Set(["$queryRaw", "$queryRawUnsafe", "$executeRaw", "$executeRawUnsafe"]);

/**
 * A practice's own client (withPracticeClient: its connections carry the practice from their
 * start) seen through the scope: a tenant model's arguments held to that practice, in its
 * queries and in its transactions' queries.
 */
function practiceScopedClient(entry: PracticeClient): Db {
  const practiceId = entry.practiceId;
  entry.scoped ??= entry.client.$extends({
    name: "practice-scope",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!isScoped(model)) return query(args);
          return query(scopedArgs(model, operation, args, practiceId) as typeof args);
        },
      },
    },
  }) as unknown as Db;
  return entry.scoped;
}

type Delegate = Record<string, (query: unknown) => Promise<unknown>>;

function createScopedClient(base: Db): Db {
  const extended = base.$extends({
    name: "practice-scope",
    query: {
      $allModels: {
        async $allOperations(params) {
          const { model, operation, args, query } = params;
          if (!isScoped(model)) return query(args);
          const practiceId = await requirePracticeId(`a ${model}.${operation} query`);
          // inside a batch transaction of this client, which set app.practice_id first
          const internal = (params as unknown as { __internalParams?: { transaction?: unknown } }).__internalParams;
          if (internal?.transaction) return query(scopedArgs(model, operation, args, practiceId) as typeof args);
          // On the practice's own client, whose connections carry the practice: no transaction
          // around the query, and Prisma's batching of findUnique calls made in the same tick
          // (per client) never puts two practices' queries in one.
          return withPracticeClient(practiceId, (entry) => {
            const delegate = (practiceScopedClient(entry) as unknown as Record<string, Delegate>)[delegateKey(model)];
            const run = delegate?.[operation];
            if (!run) throw new Error(`no ${model}.${operation} on the practice's client`);
            return run.call(delegate, args);
          });
        },
      },
    },
  }) as unknown as Db;

  return new Proxy(extended, {
    get(target, prop, receiver) {
      if (prop === "$transaction") {
        return async (arg: unknown, options?: unknown) => {
          const practiceId = await currentPracticeId();
          if (typeof arg === "function") {
            const fn = arg as (tx: Tx) => Promise<unknown>;
            // outside a scope: the unscoped client, whose tenant queries fail (OutsidePracticeScope)
            if (practiceId === null) return target.$transaction(fn, options as Parameters<Db["$transaction"]>[1]);
            // what the transaction asks for once it has committed (after-commit.ts: the rollup's
            // refresh) runs when withPracticeClient has handed the connection back
            return withAfterCommit(() =>
              withPracticeClient(practiceId, (entry) =>
                practiceScopedClient(entry).$transaction(
                  async (tx) => {
                    // the connection carries the practice already; set it for the transaction too,
                    // so that nothing the transaction runs depends on how the connection was opened
                    await setTransactionPractice(tx, practiceId);
                    return fn(tx);
                  },
                  options as Parameters<Db["$transaction"]>[1],
                ),
              ),
            );
          }
          const queries = arg as Parameters<Db["$transaction"]>[0] & unknown[];
          if (practiceId === null) return target.$transaction(queries, options as { isolationLevel?: never });
          const results = await target.$transaction(
            [base.$executeRawUnsafe(SET_PRACTICE, String(practiceId)), ...queries] as never,
            options as { isolationLevel?: never },
          );
          return (results as unknown[]).slice(1);
        };
      }
      if (typeof prop === "string" && RAW_METHODS.has(prop)) {
        return async (...args: unknown[]) => {
          const practiceId = await requirePracticeId("raw SQL");
          return withPracticeClient(practiceId, async (entry) => {
            const client = entry.client;
            return await (client[prop as "$queryRawUnsafe"] as (...callArgs: unknown[]) => Promise<unknown>).apply(client, args);
          });
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const globalForScope = globalThis as unknown as { __scopedDb?: { base: Db; scoped: Db } };

/**
 * The app's database client, held to the current practice scope (see the top of this file).
 * Outside a scope, a query of a practice's data fails; the SHARED_MODELS pass.
 */
export function db(): Db {
  const base = unscopedDb();
  if (globalForScope.__scopedDb?.base !== base) globalForScope.__scopedDb = { base, scoped: createScopedClient(base) };
  return globalForScope.__scopedDb.scoped;
}

/**
 * A connection beside the pool for reads next to a long transaction (see openRawSideConnection),
 * held to the current practice for its whole life.
 */
export async function openSideConnection(): Promise<SideConnection> {
  return openRawSideConnection(await requirePracticeId("a side connection"));
}
