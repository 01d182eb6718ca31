// The Prisma client as it connects: no practice scope. The app reaches it only through the
// practice scope (lib/server/core/scope.ts, re-exported as db() by lib/server/core/db.ts); unscopedDb()
// itself is for the few places listed in docs/architecture.md ("The practice scope"), which
// unscoped-db.test.ts enforces. A global `omit` keeps password hashes on the server: no query
// returns User.passwordHash or User.totpSecret unless it asks for it explicitly.
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { afterCommitSettled } from "./after-commit";

/**
 * A pg client that always has an "error" listener. pg-pool takes its own listener off a
 * client when it hands it out; when PostgreSQL shuts down just as a new connection is
 * handed out, the server's "terminating connection" message can arrive before the borrower
 * attached one, and an "error" event without a listener ends the Node process. The error
 * still reaches the query in flight, and the pool drops the broken client.
 */
class ListenedClient extends pg.Client {
  // the last promise-form query sent on this connection, settled or not
  private lastQuery: Promise<unknown> = Promise.resolve();

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on("error", () => {});
  }

  /**
   * Promise-form queries are sent one after another: Prisma's pg adapter reads the relations of
   * an `include` with parallel queries, which inside an interactive transaction (every scoped model
   * query runs in one) all land on this one connection. pg would queue them itself, but warns that
   * pg 9 will refuse a query sent while another runs. Callback-form queries and submittables
   * (the COPY streams of lib/server/remits/copy.ts, which rely on pg's own queue) go straight on.
   */
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads; only the promise forms are queued
  override query(...args: any[]): any {
    const first = args[0];
    const callbackForm = typeof args[args.length - 1] === "function" || typeof first?.callback === "function";
    const submittable = typeof first?.submit === "function";
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const send = () => (super.query as (...callArgs: any[]) => any).apply(this, args);
    if (callbackForm || submittable) return send();
    const result = this.lastQuery.then(send);
    this.lastQuery = result.catch(() => undefined);
    return result;
  }
}

/** The pg connection an interactive transaction runs on (transactionWithConnection). */
export type TransactionConnection = pg.ClientBase;

// Who waits for the connection of the transaction it is starting: transactionWithConnection
// enters one of these around its $transaction, and the pool (HandingPool) fills it when Prisma
// borrows the connection for that transaction. Kept on globalThis, as the client itself is (unscopedDb()
// below): the build bundles this module into more than one chunk (route handlers apart from
// pages and actions), and the copy that created the client must hand the connection to the copy
// that started the transaction.
interface ConnectionRequest {
  connection: TransactionConnection | null;
}
const globalForConnections = globalThis as unknown as { __connectionRequests?: AsyncLocalStorage<ConnectionRequest> };
globalForConnections.__connectionRequests ??= new AsyncLocalStorage<ConnectionRequest>();
const connectionRequests = globalForConnections.__connectionRequests;

/**
 * The pool of the app's connections, which hands the connection it lends to a transaction
 * (Prisma's pg adapter borrows one with connect() for each transaction it starts; its other
 * queries go through query()) to the transactionWithConnection that asked for it: the first
 * transaction started inside the request; any later one, such as a query of the scoped client
 * outside the transaction, is not asked for.
 */
class HandingPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's connect() has a promise and a callback form; only the promise form is Prisma's
  override connect(...args: any[]): any {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    if (args.length > 0) return (super.connect as (...callArgs: any[]) => any)(...args);
    const request = connectionRequests.getStore();
    return super.connect().then((connection) => {
      if (request && request.connection === null) request.connection = connection;
      return connection;
    });
  }
}

/**
 * An interactive transaction of `client` (db(): the practice scope's, which sets the practice
 * first) whose function is also handed the pg connection the transaction runs on, for what Prisma
 * cannot send: COPY FROM STDIN (the COPY remit writer, lib/server/remits/write.ts). pg runs a connection's queries
 * one after another in the order they were sent, so a COPY sent on it takes its place among the
 * transaction's other statements and is part of the same transaction. The connection is the
 * transaction's only while `run` runs.
 */
export function transactionWithConnection<T>(
  client: Db,
  run: (tx: Tx, connection: TransactionConnection) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  const request: ConnectionRequest = { connection: null };
  return connectionRequests.run(request, () =>
    client.$transaction(async (tx) => {
      const connection = request.connection;
      if (!connection) throw new Error("the transaction's connection was not handed over (is the client the app's own?)");
      return run(tx, connection);
    }, options),
  );
}

/**
 * The longest a single statement of the app's own connections may run, in milliseconds (0: no
 * limit). Inside the Next server it defaults to 5 s, so that no page or download can hold the
 * database (and the pool) for long; DATABASE_STATEMENT_TIMEOUT_MS overrides it. The command
 * line, migrations and tests have no limit unless the variable says so. A transaction that runs
 * long by design (an import, a recompute) lifts it for itself with allowLongStatements(tx).
 */
export function statementTimeoutMs(): number {
  const set = process.env.DATABASE_STATEMENT_TIMEOUT_MS;
  if (set !== undefined && set !== "") return Math.max(0, Number(set) || 0);
  return process.env.NEXT_RUNTIME ? 5_000 : 0;
}

/** Lifts the statement timeout for the rest of this transaction (SET LOCAL): imports, recomputes. */
export async function allowLongStatements(tx: Pick<Tx, "$executeRawUnsafe">): Promise<void> {
  await tx.$executeRawUnsafe("set local statement_timeout = 0");
}

/**
 * random_page_cost for the reads and the refreshes that look up a week or two of lines by index.
 * PostgreSQL's default (4, tuned for spinning disks) prefers to scan millions of remit lines
 * instead; on SSD-backed, cached data the index lookups are an order of magnitude faster
 * (docs/performance.md, "Dashboard"). Set per transaction (SET LOCAL) by those who need it.
 */
export const RANDOM_PAGE_COST = 1.1;

/** application_name of the connections of a practice's own pool (withPracticeClient below), unless DATABASE_URL names them */
export const PRACTICE_CONNECTION_NAME = "therapy-revenue practice";

interface ClientOptions {
  /** connections of the pool at most */
  max?: number;
  /**
   * The practice every connection of this client is held to from its start: PostgreSQL's
   * startup option `-c app.practice_id=<id>` makes it the session's own value (a RESET or the
   * end of a transaction that changed it with SET LOCAL returns to it), so row-level security
   * holds each statement to that practice without a transaction around it.
   */
  practiceId?: number;
}

/**
 * The connection string of a practice's own connections. The options go in the URL itself: pg
 * lets the URL's parameters override the configuration's.
 */
function practiceConnectionString(connectionString: string, practiceId: number): string {
  if (!Number.isSafeInteger(practiceId) || practiceId <= 0) throw new Error(`not a practice id: ${practiceId}`);
  const url = new URL(connectionString);
  url.searchParams.set("options", [url.searchParams.get("options"), `-c app.practice_id=${practiceId}`].filter(Boolean).join(" "));
  // a name the URL gives its connections is kept (the operator's, or a test's that watches them)
  if (!url.searchParams.has("application_name")) url.searchParams.set("application_name", `${PRACTICE_CONNECTION_NAME} ${practiceId}`);
  return url.toString();
}

function createClient(connectionString = process.env.DATABASE_URL, { max, practiceId }: ClientOptions = {}) {
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the app through npm run demo / npm start, or set it.");
  }
  const pool = new HandingPool({
    connectionString: practiceId === undefined ? connectionString : practiceConnectionString(connectionString, practiceId),
    max: max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(statementTimeoutMs() > 0 ? { statement_timeout: statementTimeoutMs() } : {}),
    Client: ListenedClient,
  });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true, totpSecret: true } } });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** One practice's client (practiceClient): its own pool, whose connections carry the practice. */
export interface PracticeClient {
  readonly practiceId: number;
  readonly client: Db;
  /** what the scope makes of the client (its extension), kept with it */
  scoped?: Db;
  /** queries and transactions running on it: an evicted client is closed when the last ends */
  active: number;
  evicted: boolean;
  closed?: boolean;
}

const globalForDb = globalThis as unknown as {
  __db?: Db;
  __ownerDb?: Db;
  // most recently used last
  __practiceClients?: Map<number, PracticeClient>;
  __closingPracticeClients?: Set<Promise<void>>;
};

/**
 * How many practices' clients a process keeps (DATABASE_PRACTICE_POOLS, default 4) and the
 * connections of each one's pool at most (DATABASE_PRACTICE_POOL_SIZE, default 5). A process
 * opens at most DATABASE_POOL_SIZE + practices × pool size connections (docs/operations.md).
 */
export function practiceClientLimits(): { practices: number; poolSize: number } {
  return {
    practices: Math.max(1, Number(process.env.DATABASE_PRACTICE_POOLS ?? 4) || 4),
    poolSize: Math.max(1, Number(process.env.DATABASE_PRACTICE_POOL_SIZE ?? 5) || 5),
  };
}

function closePracticeClient(entry: PracticeClient): void {
  if (entry.closed) return;
  entry.closed = true;
  const closing = globalForDb.__closingPracticeClients ?? new Set<Promise<void>>();
  globalForDb.__closingPracticeClients = closing;
  const done: Promise<void> = entry.client
    .$disconnect()
    .catch((error) => console.warn(`closing the connections of practice ${entry.practiceId}:`, String(error).slice(0, 300)))
    .finally(() => closing.delete(done));
  closing.add(done);
}

/**
 * Runs `use` with the client of one practice (see PracticeClient), creating it on first use. The
 * least recently used practice's client beyond the limit is evicted: no new query is given to it,
 * and its pool is closed as soon as the queries it is running end (a later query of that practice
 * gets a new client). For the practice scope (scope.ts) only: the caller is responsible for the
 * practice being the scope's.
 */
export async function withPracticeClient<T>(practiceId: number, use: (entry: PracticeClient) => Promise<T>): Promise<T> {
  if (!Number.isSafeInteger(practiceId) || practiceId <= 0) throw new Error(`not a practice id: ${practiceId}`);
  const clients = globalForDb.__practiceClients ?? new Map<number, PracticeClient>();
  globalForDb.__practiceClients = clients;
  let entry = clients.get(practiceId);
  const { practices, poolSize } = practiceClientLimits();
  if (entry) {
    clients.delete(practiceId);
  } else {
    entry = { practiceId, client: createClient(process.env.DATABASE_URL, { max: poolSize, practiceId }), active: 0, evicted: false };
  }
  clients.set(practiceId, entry);
  for (const [id, old] of clients) {
    if (clients.size <= practices) break;
    clients.delete(id);
    old.evicted = true;
    if (old.active === 0) closePracticeClient(old);
  }
  entry.active++;
  try {
    return await use(entry);
  } finally {
    entry.active--;
    if (entry.evicted && entry.active === 0) closePracticeClient(entry);
  }
}

/**
 * The client without a practice scope, lazily created so that importing server code never needs
 * a database. Tenant tables answer it nothing (row-level security) unless its transaction set
 * the practice (setTransactionPractice in scope.ts).
 */
export function unscopedDb(): Db {
  globalForDb.__db ??= createClient();
  return globalForDb.__db;
}

/**
 * A client connected as the owner of the schema (MIGRATION_DATABASE_URL, else DATABASE_URL),
 * which row-level security does not hold to a practice (BYPASSRLS): for the tests' fixtures and
 * checks around the app code, never for the app itself.
 */
export function ownerDb(): Db {
  globalForDb.__ownerDb ??= createClient(process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL);
  return globalForDb.__ownerDb;
}

export async function disconnectDb(): Promise<void> {
  // the work started after the last commits (the revenue rollup's refresh) ends first
  await afterCommitSettled();
  const practices = globalForDb.__practiceClients;
  globalForDb.__practiceClients = undefined;
  for (const entry of practices?.values() ?? []) {
    entry.evicted = true;
    closePracticeClient(entry);
  }
  await Promise.all([...(globalForDb.__closingPracticeClients ?? [])]);
  for (const key of ["__db", "__ownerDb"] as const) {
    const client = globalForDb[key];
    if (client) {
      globalForDb[key] = undefined;
      await client.$disconnect();
    }
  }
}

/** What a query of raw SQL needs: a transaction, the client, or a side connection. */
export type RawQueryable = Pick<Tx, "$queryRawUnsafe">;

/** A connection of its own, outside the pool and outside any transaction (openSideConnection). */
export interface SideConnection extends RawQueryable {
  end(): Promise<void>;
}

const DATE_OID = 1082;
/** application_name of side connections (pg_stat_activity shows them by it) */
export const SIDE_CONNECTION_NAME = "therapy-revenue side connection";

/**
 * A connection of its own (not from the pool, so that it can never wait for a pool that the
 * caller's own transaction helps to fill), for reads that run beside a long transaction: a large
 * 835 import matches its next batch here while its transaction writes the previous one. It sees
 * committed rows only. Results come as from $queryRawUnsafe (a date as a Date at UTC midnight).
 */
export async function openRawSideConnection(practiceId: number): Promise<SideConnection> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  const client = new ListenedClient({
    connectionString,
    connectionTimeoutMillis: 5_000,
    application_name: SIDE_CONNECTION_NAME,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === DATE_OID && format !== "binary"
          ? (value: string) => new Date(`${value}T00:00:00.000Z`)
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  // the side connection reads for one practice for its whole life (row-level security)
  await client.query("select set_config('app.practice_id', $1, false)", [String(practiceId)]);
  const side = {
    async $queryRawUnsafe(sql: string, ...values: unknown[]) {
      return (await client.query(sql, values)).rows;
    },
    async end() {
      await client.end();
    },
  };
  return side as SideConnection;
}
