// Closes maker-checker requests past their expiry (decision 101, addendum session 6): the hourly
// 'approval_expiry' schedule runs the cleanup queue with only=change_requests. Each batch is one
// short write: the UPDATE is guarded by state = 'pending' (a checker deciding at the same moment, or a
// second service instance, cannot close it twice) and writes one approval.expired activity row per
// request in the same transaction. At most MAX_PER_RUN requests a run; the next run takes the rest.
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { logActivity } from '../../app/core/audit/activity-log.server';
import type { AppContext } from '../../app/platform/context';
import { changeRequests } from '../../db/schema';

export const EXPIRY_BATCH = 100;
export const EXPIRY_MAX_PER_RUN = 1_000;

export interface ExpiryReport {
  expired: number;
  /** True when the run stopped at its bound with more requests past expiry left for the next run. */
  more: boolean;
}

export async function expireChangeRequests(ctx: AppContext, opts: { batch?: number; maxPerRun?: number; signal?: AbortSignal } = {}): Promise<ExpiryReport> {
  const batch = opts.batch ?? EXPIRY_BATCH;
  const max = opts.maxPerRun ?? EXPIRY_MAX_PER_RUN;
  const now = ctx.clock.now();
  let expired = 0;
  // Bounded in passes too: a batch another process closed first counts as a pass.
  for (let pass = 0; expired < max && pass < Math.ceil(max / batch); pass++) {
    opts.signal?.throwIfAborted();
    const closed = await ctx.write(async (tx) => {
      const due = await tx
        .select({ id: changeRequests.id })
        .from(changeRequests)
        .where(and(eq(changeRequests.state, 'pending'), lte(changeRequests.expiresAt, now)))
        .orderBy(asc(changeRequests.expiresAt), asc(changeRequests.id))
        .limit(Math.min(batch, max - expired));
      if (!due.length) return null;
      const rows = await tx
        .update(changeRequests)
        .set({ state: 'expired', decidedAt: now })
        .where(
          and(
            inArray(
              changeRequests.id,
              due.map((d) => d.id),
            ),
            eq(changeRequests.state, 'pending'),
          ),
        )
        .returning();
      for (const row of rows)
        await logActivity(
          ctx,
          {
            userId: null,
            action: 'approval.expired',
            resourceType: 'change_request',
            resourceId: row.id,
            companyId: row.companyId,
            details: {
              action: row.action,
              targetType: row.targetType,
              targetId: row.targetId,
              makerId: row.makerId,
              madeAt: row.createdAt.toISOString(),
              expiresAt: row.expiresAt.toISOString(),
            },
          },
          tx,
        );
      return rows.length;
    });
    if (closed === null) return { expired, more: false };
    expired += closed;
  }
  const [left] = await ctx.db
    .select({ id: changeRequests.id })
    .from(changeRequests)
    .where(and(eq(changeRequests.state, 'pending'), lte(changeRequests.expiresAt, now)))
    .limit(1);
  return { expired, more: !!left };
}
