// How every command-line tool ends: its exit code, usage errors (2) with the usage text,
// product errors as one readable line, anything else with its stack; the database
// connection closed either way.
import { disconnectDb } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import { UsageError } from "./args";

export function runCli(main: () => Promise<number>, usage: string, options: { productErrorExit?: number } = {}): void {
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n${usage}\n`);
        process.exitCode = 2;
      } else if (error instanceof HttpError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = options.productErrorExit ?? 2;
      } else {
        process.stderr.write(`${(error as Error).stack ?? error}\n`);
        process.exitCode = 1;
      }
    })
    .finally(() => disconnectDb());
}
