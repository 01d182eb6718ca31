// The app's database access: db() is the Prisma client held to the current practice scope
// (lib/server/core/scope.ts); the client without a scope is not exported here (db-client.ts).
export {
  allowLongStatements,
  type Db,
  disconnectDb,
  RANDOM_PAGE_COST,
  type RawQueryable,
  SIDE_CONNECTION_NAME,
  type SideConnection,
  statementTimeoutMs,
  type TransactionConnection,
  transactionWithConnection,
  type Tx,
} from "./db-client";
export { db, openSideConnection } from "./scope";
