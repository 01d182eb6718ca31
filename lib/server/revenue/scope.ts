// The one scope condition every revenue and undercoding analytics query is built on. It fails
// closed: without a practice id that is provably a positive integer, the condition is `1 = 0`
// and every query answers nothing rather than another practice's (or every practice's) rows.
import { Prisma } from "@/lib/generated/prisma/client";

export interface AnalyticsScope {
  /** null when the scope could not be proven: every query built on it selects nothing */
  readonly practiceId: number | null;
  /** `<alias>."practiceId" = <id>`, or `1 = 0` */
  where(alias: TableAlias): Prisma.Sql;
}

/** Table aliases used by the analytics queries (never user input). */
export type TableAlias = "v" | "s" | "r" | "rw" | "rv" | "rd" | "rl" | "rc" | "ur";

export function analyticsScope(practiceId: unknown): AnalyticsScope {
  const id = typeof practiceId === "number" && Number.isSafeInteger(practiceId) && practiceId > 0 ? practiceId : null;
  return {
    practiceId: id,
    where(alias) {
      if (id === null) return Prisma.sql`1 = 0`;
      return Prisma.sql`${Prisma.raw(`${alias}."practiceId"`)} = ${id}`;
    },
  };
}
