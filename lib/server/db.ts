// The one Prisma client of the app. A global `omit` keeps password hashes on the server:
// no query returns User.passwordHash unless it asks for it explicitly.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * A pg client that always has an "error" listener. pg-pool takes its own listener off a
 * client when it hands it out; when PostgreSQL shuts down just as a new connection is
 * handed out, the server's "terminating connection" message can arrive before the borrower
 * attached one, and an "error" event without a listener ends the Node process. The error
 * still reaches the query in flight, and the pool drops the broken client.
 */
class ListenedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on("error", () => {});
  }
}

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the app through npm run demo / npm start, or set it.");
  }
  const adapter = new PrismaPg({
    connectionString,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    Client: ListenedClient,
  });
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { __db?: Db };

/** Lazily created so that importing server code never needs a database. */
export function db(): Db {
  globalForDb.__db ??= createClient();
  return globalForDb.__db;
}

export async function disconnectDb(): Promise<void> {
  if (globalForDb.__db) {
    await globalForDb.__db.$disconnect();
    globalForDb.__db = undefined;
  }
}
