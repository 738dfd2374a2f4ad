/**
 * A manager asks for fresh performance figures (decision 092): one 'performance' job for the
 * period, through the job queue the service works. Debounced: while a refresh of the period is
 * waiting or running, or one was asked for less than REFRESH_DEBOUNCE_MS ago, nothing more is
 * queued (the answer names the job already there). The check and the insert share one write
 * transaction, so two clicks at once queue one job.
 */
import { and, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { jobQueue } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { enqueueJob } from '../jobs/enqueue.server';
import type { Period } from '../status/periods';

export const REFRESH_DEBOUNCE_MS = 60_000;
const LIVE = ['pending', 'running', 'failed'] as const;

/** A refresh of the period, as the queue holds it: its payload names the period, or none (the current periods). */
function refreshesPeriod(period: Period, current: boolean) {
  const key = sql`json_extract(${jobQueue.payload}, '$.periodKey')`;
  return current ? or(sql`${key} = ${period.key}`, sql`${key} is null`)! : sql`${key} = ${period.key}`;
}

export interface PendingRefresh {
  jobId: number;
  status: string;
  askedAt: number;
}

/** The refresh of this period waiting or running now, if any (the screen says so). */
export async function pendingRefresh(ctx: AppContext, period: Period, current: boolean): Promise<PendingRefresh | null> {
  const [job] = await ctx.db
    .select({ jobId: jobQueue.id, status: jobQueue.status, askedAt: jobQueue.createdAt })
    .from(jobQueue)
    .where(and(eq(jobQueue.queue, 'performance'), inArray(jobQueue.status, [...LIVE]), refreshesPeriod(period, current)))
    .orderBy(desc(jobQueue.id))
    .limit(1);
  return job ? { jobId: job.jobId, status: job.status, askedAt: job.askedAt.getTime() } : null;
}

export type RefreshResult = { queued: true; jobId: number } | { queued: false; jobId: number };

export async function requestSnapshotRefresh(
  ctx: AppContext,
  who: { userId: number; userAgent?: string | null },
  period: Period,
  current: boolean,
): Promise<RefreshResult> {
  const now = ctx.clock.now();
  return ctx.write(async (tx) => {
    const [recent] = await tx
      .select({ id: jobQueue.id })
      .from(jobQueue)
      .where(
        and(
          eq(jobQueue.queue, 'performance'),
          refreshesPeriod(period, current),
          or(inArray(jobQueue.status, [...LIVE]), gte(jobQueue.createdAt, new Date(now.getTime() - REFRESH_DEBOUNCE_MS))),
        ),
      )
      .orderBy(desc(jobQueue.id))
      .limit(1);
    if (recent) return { queued: false, jobId: recent.id };
    const job = await enqueueJob(tx, { queue: 'performance', payload: { periodKey: period.key }, priority: 5, now });
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'performance.refresh',
        resourceType: 'job',
        resourceId: job.id,
        details: { periodKey: period.key },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { queued: true, jobId: job.id };
  });
}
