import { activityLogs } from '../../../db/schema';
import type { AppContext } from '../../platform/context';

export interface ActivityEntry {
  userId?: number | null;
  action: string;
  resourceType?: string;
  resourceId?: string | number;
  /**
   * The resource's company and branch (a client's, a config row's), kept on the row so the
   * activity viewer scopes it by what it is about (decision 007). Leave both out for user events
   * (scoped by actor and target user) and system rows (every-company readers only).
   */
  companyId?: number | null;
  branchId?: number | null;
  details?: Record<string, unknown>;
  userAgent?: string | null;
  /** When it happened, if the caller's transaction took one instant for all its rows (default: now). */
  at?: Date;
}

/**
 * Appends one row to activity_logs with the request's id and IP (UTC, by the database default). On
 * the caller's transaction when given one; otherwise alone on ctx.db, whose port takes the write turn
 * for it (decision 124). Inside a transaction's work, pass its handle: on ctx.db the row would wait for
 * the turn that transaction holds.
 */
export async function logActivity(ctx: AppContext, entry: ActivityEntry, db: Pick<AppContext['db'], 'insert'> = ctx.db) {
  const row = {
    userId: entry.userId ?? null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId === undefined ? undefined : String(entry.resourceId),
    companyId: entry.companyId ?? null,
    branchId: entry.branchId ?? null,
    details: entry.details,
    ip: ctx.clientIp,
    userAgent: entry.userAgent?.slice(0, 300) ?? null,
    requestId: ctx.requestId,
    createdAt: entry.at ?? ctx.clock.now(), // the app's clock, like sessions and locks (pinned in demos and tests)
  };
  await db.insert(activityLogs).values(row);
}
