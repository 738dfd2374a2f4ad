import { and, eq, isNull, sql } from 'drizzle-orm';
import { userSessions } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { hashSessionToken, isWellFormedToken } from '../access/session-token';
import { statusRowQuery, type StatusRow } from './apply-status-update.server';
import { statusLookups } from './status-lookups.server';

// A status POST reads its period row and the status lookups beside the session (decision 109): over
// HTTP each read that waits for the gate is one more sequential round trip. The row is read only
// for a live session's token (an anonymous POST reads nothing); the update checks its scope once the
// gate has given it, and writes only while the row is still what was read (plainStatusUpdate).

export interface EarlyStatusRead {
  row: StatusRow | null;
  lookups: Awaited<ReturnType<typeof statusLookups>>;
}

const early = new WeakMap<AppContext['state'], Map<string, Promise<EarlyStatusRead>>>();
const keyOf = (target: { clientId: number; periodKey: string }) => `${target.clientId}:${target.periodKey}`;

/** Starts the reads for the request's status update (call before awaiting the gate); settles when they are back. */
export function readStatusEarly(ctx: AppContext, token: string | null, target: { clientId: number; periodKey: string }): Promise<void> {
  if (!token || !isWellFormedToken(token)) return Promise.resolve();
  const pending = (async () => {
    const tokenHash = await hashSessionToken(token);
    const live = sql`exists (select 1 from ${userSessions} where ${and(eq(userSessions.tokenHash, tokenHash), isNull(userSessions.endedAt))})`;
    const [rows, lookups] = await Promise.all([statusRowQuery(ctx.db, target, live), statusLookups(ctx)]);
    return { row: rows[0] ?? null, lookups };
  })();
  pending.catch(() => {}); // taken (and awaited) by the update, or dropped with the request
  const map = early.get(ctx.state) ?? new Map<string, Promise<EarlyStatusRead>>();
  map.set(keyOf(target), pending);
  early.set(ctx.state, map);
  return pending.then(
    () => undefined,
    () => undefined,
  );
}

/** The early reads for this target, once (null: none were started, or they failed: read as usual). */
export async function takeEarlyStatusRead(ctx: AppContext, target: { clientId: number; periodKey: string }): Promise<EarlyStatusRead | null> {
  const map = early.get(ctx.state);
  const pending = map?.get(keyOf(target));
  if (!pending) return null;
  map!.delete(keyOf(target));
  return pending.catch(() => null);
}
