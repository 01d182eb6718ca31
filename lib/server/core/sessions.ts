// Sessions on the server. The session cookie (a next-auth JWT) carries only the id of a
// UserSession row; the guard checks that row on every page, action and route handler, so
// signing out, an idle or absolute limit, or an admin ending the sessions takes effect on
// the next request, and a copied cookie replayed afterwards is refused everywhere.
import crypto from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "./db";
// The session lookup decides which practice a request is in, so it runs before any practice
// scope: UserSession, Membership and Practice carry no row-level security (migration
// tenant_row_level_security) and the unscoped client reads them.
import { unscopedDb as db } from "./db-client";

/** A session ends this long after sign-in, however active (a working day plus margin). */
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** Idle limit when the user has no active membership to take the practice's setting from. */
export const DEFAULT_IDLE_MINUTES = 30;
/**
 * lastSeenAt is written at most this often, so that a busy user costs one read per request
 * and one write per half-minute; the idle limit is therefore exact to within this.
 */
const TOUCH_EVERY_MS = 30 * 1000;

export interface LiveSession {
  id: string;
  userId: number;
  createdAt: Date;
  secondFactorAt: Date | null;
  /** when the session ends if nothing else happens: the idle or the absolute limit, whichever is first */
  endsAt: Date;
}

export async function createSession(userId: number, now = new Date()): Promise<LiveSession> {
  const id = crypto.randomBytes(32).toString("base64url");
  await db().userSession.create({ data: { id, userId, createdAt: now, lastSeenAt: now } });
  const idle = await idleMinutesOf(userId);
  return { id, userId, createdAt: now, secondFactorAt: null, endsAt: endOf(now, now, idle) };
}

function endOf(createdAt: Date, lastSeenAt: Date, idleMinutes: number): Date {
  return new Date(Math.min(lastSeenAt.getTime() + idleMinutes * 60_000, createdAt.getTime() + ABSOLUTE_LIFETIME_MS));
}

/** The strictest idle limit among the user's practices (a user in two practices gets the shorter). */
async function idleMinutesOf(userId: number): Promise<number> {
  const rows = await db().$queryRaw<{ minutes: number | null }[]>`
    select min(p."sessionIdleMinutes")::int as minutes
    from "Membership" m join "Practice" p on p.id = m."practiceId"
    where m."userId" = ${userId} and m.active`;
  return rows[0]?.minutes ?? DEFAULT_IDLE_MINUTES;
}

type Row = { id: string; userId: number; createdAt: Date; lastSeenAt: Date; secondFactorAt: Date | null; idleMinutes: number };

/**
 * The session check as SQL: `live` (the session, not revoked, within the absolute lifetime, with
 * the strictest idle limit of its user's practices), `valid` (within that idle limit) and, with
 * `touch`, `touched` (lastSeenAt written when the session is valid and was last touched a while
 * ago). The caller selects from `valid`: checkSession alone, or the session with its user's context
 * in the same statement (context.ts, every request).
 */
export function liveSessionSql(id: string, { touch, now }: { touch: boolean; now: Date }): Prisma.Sql {
  const absoluteFrom = new Date(now.getTime() - ABSOLUTE_LIFETIME_MS);
  const touchBefore = new Date(now.getTime() - TOUCH_EVERY_MS);
  return Prisma.sql`
    with live as (
      select s.id, s."userId", s."createdAt", s."lastSeenAt", s."secondFactorAt",
        coalesce((select min(p."sessionIdleMinutes") from "Membership" m join "Practice" p on p.id = m."practiceId"
                  where m."userId" = s."userId" and m.active), ${DEFAULT_IDLE_MINUTES})::int as "idleMinutes"
      from "UserSession" s
      where s.id = ${id} and s."revokedAt" is null and s."createdAt" > ${absoluteFrom}
    ), valid as (
      select * from live where "lastSeenAt" + make_interval(mins => "idleMinutes") > ${now}
    )${
      touch
        ? Prisma.sql`, touched as (
      update "UserSession" u set "lastSeenAt" = ${now} from valid
      where u.id = valid.id and valid."lastSeenAt" < ${touchBefore}
    )`
        : Prisma.empty
    }`;
}

/** The live session of a row selected from liveSessionSql's `valid`. */
export function liveSessionOf(row: Row, { touch, now }: { touch: boolean; now: Date }): LiveSession {
  const touchBefore = new Date(now.getTime() - TOUCH_EVERY_MS);
  const lastSeenAt = touch && row.lastSeenAt < touchBefore ? now : row.lastSeenAt;
  return {
    id: row.id,
    userId: row.userId,
    createdAt: row.createdAt,
    secondFactorAt: row.secondFactorAt,
    endsAt: endOf(row.createdAt, lastSeenAt, row.idleMinutes),
  };
}

/**
 * The session if it is still live at `now`: not revoked, within the absolute lifetime and
 * the idle limit. One statement on the primary key (with the user's memberships for the
 * practice's idle setting); with `touch`, it also records the request as activity.
 */
export async function checkSession(id: string, { touch, now = new Date() }: { touch: boolean; now?: Date }): Promise<LiveSession | null> {
  if (!id || id.length > 100) return null;
  // the CTE's update runs only when the session is live and was last touched a while ago
  const rows = await db().$queryRaw<Row[]>`${liveSessionSql(id, { touch, now })} select * from valid`;
  const row = rows[0];
  return row ? liveSessionOf(row, { touch, now }) : null;
}

/** The second factor was checked in this session. */
export async function markSecondFactor(id: string, now = new Date()): Promise<void> {
  await db().userSession.updateMany({ where: { id, revokedAt: null }, data: { secondFactorAt: now, lastSeenAt: now } });
}

/** Sign-out: this session ends on the server. */
export async function revokeSession(id: string, now = new Date()): Promise<void> {
  await db().userSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/** Every session of the user ends (an admin ending them, a second-factor reset, deactivation). */
export async function revokeUserSessions(tx: Pick<Tx, "userSession">, userId: number, now = new Date()): Promise<number> {
  const { count } = await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}
