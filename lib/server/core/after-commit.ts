// Work that a write's transaction asks for once it has committed: the derived-figures pipeline
// asks for the revenue rollup's refresh (stage 7, lib/server/derived/rollup.ts), which reads
// only committed rows and takes the practice's refresh lock, so it cannot run inside the write.
//
// An interactive transaction of db() (the practice scope's $transaction, scope.ts) collects the
// tasks its function asks for and starts them, one after another, once the transaction has
// committed; a rolled-back transaction starts none. A task asked for twice in one transaction
// (same key) runs once. The writer does not wait for them: its answer goes out at the commit
// (a week's refresh takes about 200 ms at a million visits, four times a visit save's budget),
// and the tasks run in the same process right after, in the writer's practice scope. A task
// that fails is logged: the write has committed and stays done (the readers' own refresh is the
// safety net). afterCommitSettled() waits for the tasks under way (tests, benchmarks, and
// disconnectDb before a command-line process ends).
import { AsyncLocalStorage } from "node:async_hooks";

type Task = () => Promise<unknown>;

interface PendingCommit {
  tasks: Map<string, Task>;
}

// Kept on globalThis, as the practice scope is: a bundler may load this module more than once
const shared = globalThis as unknown as { __afterCommit?: AsyncLocalStorage<PendingCommit>; __afterCommitRunning?: Set<Promise<void>> };
shared.__afterCommit ??= new AsyncLocalStorage<PendingCommit>();
shared.__afterCommitRunning ??= new Set<Promise<void>>();
const pending = shared.__afterCommit;
const running = shared.__afterCommitRunning;

/**
 * Asks for `task` to run once the current transaction of db() has committed. Outside such a
 * transaction (the owner's client of the tests' fixtures, the unscoped client) it does nothing
 * and says so: the caller's figures are then brought up to date by their next reader.
 */
export function afterCommit(key: string, task: Task): boolean {
  const commit = pending.getStore();
  if (!commit) return false;
  if (!commit.tasks.has(key)) commit.tasks.set(key, task);
  return true;
}

/** Runs `transaction` (which commits when it resolves), then starts the tasks it asked for. */
export async function withAfterCommit<T>(transaction: () => Promise<T>): Promise<T> {
  const commit: PendingCommit = { tasks: new Map() };
  const result = await pending.run(commit, transaction);
  if (commit.tasks.size === 0) return result;
  // outside the committed transaction's store: a transaction a task opens collects its own
  const work: Promise<void> = pending.exit(async () => {
    for (const [key, task] of commit.tasks) {
      try {
        await task();
      } catch (error) {
        console.warn(`after commit: ${key} failed (its next reader retries):`, String(error).slice(0, 300));
      }
    }
  });
  running.add(work);
  void work.finally(() => running.delete(work));
  return result;
}

/** Resolves when every task started after a commit (and any they started) has ended. */
export async function afterCommitSettled(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}
