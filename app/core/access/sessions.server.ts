import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { preparedPerDatabase } from '../../../db/prepared';
import { userSessions, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { numberSetting } from '../config/settings.server';
import { hashSessionToken, isWellFormedToken, newSessionToken } from './session-token';

export interface SessionUser {
  id: number;
  email: string;
  fullName: string;
  mustChangePassword: boolean;
}

export interface ActiveSession {
  sessionId: number;
  user: SessionUser;
}

// Writing last_seen_at on every request would make every read a write; a minute's precision is enough.
const touchEveryMs = 60_000;

/** Session limits from the settings (cached: the gate starts this beside the session read). */
export async function sessionTimeouts(ctx: AppContext) {
  // Together: one cache read (the same entry), not two in a row.
  const [idleMinutes, absoluteMinutes] = await Promise.all([
    numberSetting(ctx, 'session_idle_minutes', 60),
    numberSetting(ctx, 'session_absolute_minutes', 720),
  ]);
  return { idleMs: idleMinutes * 60_000, absoluteMs: absoluteMinutes * 60_000 };
}

/** Starts a session: a fresh token every login; returns the token for the cookie (never stored). */
export async function startSession(ctx: AppContext, userId: number, meta: { userAgent: string | null }) {
  const token = newSessionToken();
  const now = ctx.clock.now();
  const { absoluteMs } = await sessionTimeouts(ctx);
  const expiresAt = new Date(now.getTime() + absoluteMs);
  const tokenHash = await hashSessionToken(token);
  await ctx.db.insert(userSessions).values({
    tokenHash,
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: ctx.clientIp,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

/** The live session for a cookie token, or null. Ends (and says why) sessions past their limits. */
export async function findActiveSession(ctx: AppContext, token: string | null): Promise<ActiveSession | null> {
  if (!token || !isWellFormedToken(token)) return null;
  const [row] = await preparedSessionRow(ctx.db).all({ tokenHash: await hashSessionToken(token) });
  return settleSession(ctx, row, await sessionTimeouts(ctx));
}

/** The open session row of a token hash, with its user (a query to await or to batch). */
export function sessionRowQuery(ctx: AppContext, tokenHash: string) {
  return sessionRowSelect(ctx.db, tokenHash);
}

/** The session read of every signed-in request, its SQL built once per database (decision 112). */
const preparedSessionRow = preparedPerDatabase((db) => sessionRowSelect(db, sql.placeholder('tokenHash')).prepare());

function sessionRowSelect(db: AppContext['db'], tokenHash: string | ReturnType<typeof sql.placeholder>) {
  return db
    .select({
      sessionId: userSessions.id,
      lastSeenAt: userSessions.lastSeenAt,
      expiresAt: userSessions.expiresAt,
      id: users.id,
      email: users.email,
      fullName: users.fullName,
      mustChangePassword: users.mustChangePassword,
      isActive: users.isActive,
      deletedAt: users.deletedAt,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.tokenHash, tokenHash), isNull(userSessions.endedAt)))
    .limit(1);
}

type SessionRow = Awaited<ReturnType<typeof sessionRowQuery>>[number];

/** The session a row stands for, or null when there is none or it is past a limit (then ended, with why). */
export async function settleSession(ctx: AppContext, row: SessionRow | undefined, limits: { idleMs: number }): Promise<ActiveSession | null> {
  if (!row) return null;
  const now = ctx.clock.now().getTime();
  const reason =
    !row.isActive || row.deletedAt
      ? 'deactivated'
      : row.expiresAt.getTime() <= now
        ? 'absolute_timeout'
        : row.lastSeenAt.getTime() + limits.idleMs <= now
          ? 'idle_timeout'
          : null;
  if (reason) {
    await endSessionById(ctx, row.sessionId, reason);
    return null;
  }
  if (now - row.lastSeenAt.getTime() > touchEveryMs) {
    await ctx.db
      .update(userSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(userSessions.id, row.sessionId));
  }
  return {
    sessionId: row.sessionId,
    user: { id: row.id, email: row.email, fullName: row.fullName, mustChangePassword: row.mustChangePassword },
  };
}

type EndReason = NonNullable<typeof userSessions.$inferSelect.endReason>;

/**
 * The session a browser's cookie still names when it signs in again (the same or another account):
 * ended as 'replaced', so one device never holds two live sessions. No cookie, a malformed or an
 * already ended token: nothing to do.
 */
export async function endReplacedSession(ctx: AppContext, token: string | null): Promise<void> {
  if (!token || !isWellFormedToken(token)) return;
  const tokenHash = await hashSessionToken(token);
  await ctx.db
    .update(userSessions)
    .set({ endedAt: ctx.clock.now(), endReason: 'replaced' })
    .where(and(eq(userSessions.tokenHash, tokenHash), isNull(userSessions.endedAt)));
}

export async function endSessionById(ctx: AppContext, sessionId: number, reason: EndReason) {
  await ctx.db
    .update(userSessions)
    .set({ endedAt: ctx.clock.now(), endReason: reason })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)));
}

/** Ends every open session of a user (password change, deactivation). Returns how many. */
export async function endAllSessions(ctx: AppContext, userId: number, reason: EndReason): Promise<number> {
  const result = await ctx.db
    .update(userSessions)
    .set({ endedAt: ctx.clock.now(), endReason: reason })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt)));
  return result.rowsAffected;
}

/** Ends one session of this user; a session id of another user ends nothing (the caller answers 404). */
export async function endSessionOfUser(ctx: AppContext, userId: number, sessionId: number, reason: EndReason): Promise<boolean> {
  const result = await ctx.db
    .update(userSessions)
    .set({ endedAt: ctx.clock.now(), endReason: reason })
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.endedAt)));
  return result.rowsAffected > 0;
}

/** Ends every open session of the user except the one in use. Returns how many. */
export async function endOtherSessions(ctx: AppContext, userId: number, keepSessionId: number): Promise<number> {
  const result = await ctx.db
    .update(userSessions)
    .set({ endedAt: ctx.clock.now(), endReason: 'revoked_by_user' })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt), ne(userSessions.id, keepSessionId)));
  return result.rowsAffected;
}

/** The form of /account/sessions: end one of my sessions, or all but this one. */
export const sessionActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end-one'), sessionId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal('end-others') }),
]);
