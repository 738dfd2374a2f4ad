// The Jobs screen's view of job_queue: list by status and queue, retry a failed or dead job,
// cancel one that has not finished. The service owns running jobs; a cancelled running job is
// aborted by its worker at the next lease heartbeat (the heartbeat only extends a 'running' row).
import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { idField } from '../ids/record-id';
import { exportJobs, jobQueue, JOB_STATUSES, scheduledJobRuns, syncJobs, type JobStatus } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { pageCount, pagingFrom } from '../paging/paging';
import { QUEUES, type QueueName } from './queues';
import { activeSyncJobId, SYNC_ACTIVE_MESSAGE } from './sync-requests.server';
import { traceIdOf } from '../../platform/trace-context';

export const RETRYABLE: readonly JobStatus[] = ['failed', 'dead'];
export const CANCELLABLE: readonly JobStatus[] = ['pending', 'failed', 'running'];

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.enum(values, { error: `There is no ${what} like that.` }).optional());

/** The list's query string: strict filters (unknown values are a 400), forgiving paging (decision 004). */
export const jobListQuerySchema = z.object({
  status: optionalEnum(JOB_STATUSES, 'job status'),
  queue: optionalEnum(QUEUES, 'queue'),
});

const id = idField('Choose an item.');

/** The Jobs screen's buttons: retry or cancel a job, enable, disable or run a schedule now. */
export const jobActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('retry'), jobId: id }),
    z.object({ intent: z.literal('cancel'), jobId: id }),
    z.object({ intent: z.literal('enable'), scheduleId: id }),
    z.object({ intent: z.literal('disable'), scheduleId: id }),
    z.object({ intent: z.literal('run-now'), scheduleId: id }),
  ],
  { error: 'There is no such action.' },
);

export type JobListQuery = { status?: JobStatus; queue?: QueueName; page: number; pageSize: number };

export function parseJobListQuery(params: URLSearchParams): { ok: true; query: JobListQuery } | { ok: false; message: string } {
  const raw = Object.fromEntries(params);
  const parsed = jobListQuerySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Check the filters.' };
  return { ok: true, query: { ...parsed.data, ...pagingFrom(raw) } };
}

/** What the list shows of a payload: the few identifying fields, never the whole thing. */
function payloadSummary(payload: unknown): string {
  if (!payload || typeof payload !== 'object') return '';
  const p = payload as Record<string, unknown>;
  const keys = ['mode', 'dryRun', 'syncJobId', 'exportJobId', 'command', 'clientId', 'periodType', 'periodKey', 'companyCode', 'trigger'];
  return keys
    .filter((k) => p[k] !== undefined && p[k] !== null && typeof p[k] !== 'object')
    .map((k) => `${k}=${String(p[k])}`)
    .join(' ');
}

export async function listJobs(ctx: AppContext, query: JobListQuery) {
  const where: SQL[] = [];
  if (query.status) where.push(eq(jobQueue.status, query.status));
  if (query.queue) where.push(eq(jobQueue.queue, query.queue));
  const condition = where.length ? and(...where) : undefined;
  const pageRows = (page: number) =>
    ctx.db
      .select({
        id: jobQueue.id,
        queue: jobQueue.queue,
        status: jobQueue.status,
        priority: jobQueue.priority,
        attempts: jobQueue.attempts,
        maxAttempts: jobQueue.maxAttempts,
        scheduledAt: jobQueue.scheduledAt,
        createdAt: jobQueue.createdAt,
        startedAt: jobQueue.startedAt,
        finishedAt: jobQueue.finishedAt,
        lastError: jobQueue.lastError,
        progress: jobQueue.progress,
        payload: jobQueue.payload,
        traceParent: jobQueue.traceParent,
      })
      .from(jobQueue)
      .where(condition)
      .orderBy(desc(jobQueue.id))
      .limit(query.pageSize)
      .offset((page - 1) * query.pageSize);
  // The page asked for is read beside the counts per status within the queue filter (the status tabs
  // show them; the total is theirs: all of them, or the filtered status's), not after a count: at the
  // edge each read is a round trip (decision 103). A page past the end is read again as the last page.
  const [asked, byStatus] = await Promise.all([
    pageRows(query.page),
    ctx.db
      .select({ status: jobQueue.status, n: count() })
      .from(jobQueue)
      .where(query.queue ? eq(jobQueue.queue, query.queue) : undefined)
      .groupBy(jobQueue.status),
  ]);
  const total = query.status ? (byStatus.find((b) => b.status === query.status)?.n ?? 0) : byStatus.reduce((sum, b) => sum + b.n, 0);
  const pages = pageCount(total, query.pageSize);
  const page = Math.min(query.page, pages);
  const rows = page === query.page ? asked : await pageRows(page);
  return {
    rows: rows.map(({ payload, traceParent, ...r }) => ({
      ...r,
      /** The trace it belongs to: /admin/activity?trace=… follows it (decision 094). */
      traceId: traceIdOf(traceParent),
      summary: payloadSummary(payload),
      canRetry: RETRYABLE.includes(r.status),
      canCancel: CANCELLABLE.includes(r.status),
    })),
    total,
    page,
    pages,
    counts: Object.fromEntries(JOB_STATUSES.map((s) => [s, byStatus.find((b) => b.status === s)?.n ?? 0])) as Record<JobStatus, number>,
  };
}

export type JobActionResult =
  { ok: true; jobId: number; status: JobStatus } | { ok: false; code: 'NOT_FOUND' } | { ok: false; code: 'WRONG_STATE'; status: JobStatus; message: string };

type Who = { userId: number; userAgent?: string | null };
type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

function syncJobIdOf(payload: unknown): number | null {
  const id = payload && typeof payload === 'object' ? (payload as Record<string, unknown>).syncJobId : null;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * A failed or dead job back to pending: attempts reset, due now, lease cleared (the last error stays
 * until the next attempt replaces it). A sync job also puts its sync_jobs row back to pending, unless
 * another sync is waiting or running (one sync at a time).
 */
/** The queue a job belongs to, or null when there is no such job (the route answers 404). */
export async function queueOfJob(ctx: AppContext, jobId: number): Promise<string | null> {
  const [job] = await ctx.db.select({ queue: jobQueue.queue }).from(jobQueue).where(eq(jobQueue.id, jobId)).limit(1);
  return job?.queue ?? null;
}

export async function retryJob(ctx: AppContext, who: Who, jobId: number): Promise<JobActionResult> {
  const now = ctx.clock.now();
  return ctx.write(async (tx): Promise<JobActionResult> => {
    const [job] = await tx
      .select({ status: jobQueue.status, queue: jobQueue.queue, payload: jobQueue.payload, attempts: jobQueue.attempts })
      .from(jobQueue)
      .where(eq(jobQueue.id, jobId))
      .limit(1);
    if (!job) return { ok: false, code: 'NOT_FOUND' };
    if (!RETRYABLE.includes(job.status)) {
      return { ok: false, code: 'WRONG_STATE', status: job.status, message: `Job ${jobId} is ${job.status}: only failed or dead jobs can be retried.` };
    }
    // The sync this job runs: named in the payload (a request), or the row a scheduled run created for it.
    const syncJobId =
      job.queue !== 'sync'
        ? null
        : (syncJobIdOf(job.payload) ??
          (await tx.select({ id: syncJobs.id }).from(syncJobs).where(eq(syncJobs.jobQueueId, jobId)).orderBy(desc(syncJobs.id)).limit(1))[0]?.id ??
          null);
    if (syncJobId !== null && (await activeSyncJobId(tx, syncJobId)) !== null) {
      return { ok: false, code: 'WRONG_STATE', status: job.status, message: SYNC_ACTIVE_MESSAGE };
    }
    const changed = await tx
      .update(jobQueue)
      .set({ status: 'pending', attempts: 0, scheduledAt: now, leaseOwner: null, leaseExpiresAt: null, startedAt: null, finishedAt: null })
      .where(and(eq(jobQueue.id, jobId), inArray(jobQueue.status, [...RETRYABLE])))
      .returning({ id: jobQueue.id });
    if (!changed.length) return { ok: false, code: 'WRONG_STATE', status: job.status, message: `Job ${jobId} changed meanwhile; reload and try again.` };
    if (syncJobId !== null) {
      await tx.update(syncJobs).set({ status: 'pending', error: null, finishedAt: null }).where(eq(syncJobs.id, syncJobId));
    }
    // An export's row follows its job back (its owner's list shows it waiting again, the error cleared).
    await tx
      .update(exportJobs)
      .set({ status: 'pending', error: null, finishedAt: null })
      .where(and(eq(exportJobs.jobQueueId, jobId), inArray(exportJobs.status, ['pending', 'running', 'failed'])));
    await relinkedRows(tx, jobId, 'pending');
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'job.retried',
        resourceType: 'job',
        resourceId: jobId,
        details: { queue: job.queue, from: job.status, attemptsBefore: job.attempts },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { ok: true, jobId, status: 'pending' };
  });
}

export const CANCEL_MESSAGE = 'Cancelled by an admin';

/**
 * Cancels a pending, failed (waiting to retry) or running job. A running job keeps its lease fields,
 * so its worker sees at the next heartbeat that the row is no longer 'running' and aborts. The sync,
 * export or schedule run that the job carries is marked cancelled with it.
 */
export async function cancelJob(ctx: AppContext, who: Who, jobId: number): Promise<JobActionResult> {
  const now = ctx.clock.now();
  return ctx.write(async (tx): Promise<JobActionResult> => {
    const [job] = await tx
      .select({ status: jobQueue.status, queue: jobQueue.queue, payload: jobQueue.payload })
      .from(jobQueue)
      .where(eq(jobQueue.id, jobId))
      .limit(1);
    if (!job) return { ok: false, code: 'NOT_FOUND' };
    if (!CANCELLABLE.includes(job.status)) {
      return {
        ok: false,
        code: 'WRONG_STATE',
        status: job.status,
        message: `Job ${jobId} is ${job.status}: only pending, failed or running jobs can be cancelled.`,
      };
    }
    const changed = await tx
      .update(jobQueue)
      .set({ status: 'cancelled', finishedAt: now, lastError: CANCEL_MESSAGE })
      .where(and(eq(jobQueue.id, jobId), inArray(jobQueue.status, [...CANCELLABLE])))
      .returning({ id: jobQueue.id });
    if (!changed.length) return { ok: false, code: 'WRONG_STATE', status: job.status, message: `Job ${jobId} changed meanwhile; reload and try again.` };
    const syncJobId = job.queue === 'sync' ? syncJobIdOf(job.payload) : null;
    const active = ['pending', 'running'] as const;
    if (syncJobId !== null) {
      await tx
        .update(syncJobs)
        .set({ status: 'cancelled', error: CANCEL_MESSAGE, finishedAt: now })
        .where(and(eq(syncJobs.id, syncJobId), inArray(syncJobs.status, [...active])));
    }
    await tx
      .update(syncJobs)
      .set({ status: 'cancelled', error: CANCEL_MESSAGE, finishedAt: now })
      .where(and(eq(syncJobs.jobQueueId, jobId), inArray(syncJobs.status, [...active])));
    await tx
      .update(exportJobs)
      .set({ status: 'cancelled', error: CANCEL_MESSAGE, finishedAt: now })
      .where(and(eq(exportJobs.jobQueueId, jobId), inArray(exportJobs.status, [...active])));
    await relinkedRows(tx, jobId, 'cancelled', now);
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'job.cancelled',
        resourceType: 'job',
        resourceId: jobId,
        details: { queue: job.queue, from: job.status },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { ok: true, jobId, status: 'cancelled' };
  });
}

/** The schedule run that enqueued this job follows it (its history shows the outcome). */
async function relinkedRows(tx: Tx, jobId: number, status: 'pending' | 'cancelled', now?: Date) {
  await tx
    .update(scheduledJobRuns)
    .set(status === 'cancelled' ? { status, error: CANCEL_MESSAGE, finishedAt: now } : { status, error: null, finishedAt: null })
    .where(eq(scheduledJobRuns.jobQueueId, jobId));
}
