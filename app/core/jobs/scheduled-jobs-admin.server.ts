// The Jobs screen's view of scheduled_jobs: each schedule with its cron, next run and last run;
// enable/disable; "run now" (a manual scheduled_job_runs row + its job, in one transaction).
// The service's scheduler fires the cron ticks; this module never runs a job itself.
import { Cron } from 'croner';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { jobQueue, scheduledJobRuns, scheduledJobs, syncJobs, users, type JobStatus } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { recordAudit } from '../audit/audit-trail.server';
import { enqueueJob } from './enqueue.server';
import {
  cleanupPayloadSchema,
  exportPayloadSchema,
  nextbankPayloadSchema,
  nextbankSyncPayloadSchema,
  performancePayloadSchema,
  periodInitPayloadSchema,
  syncPayloadSchema,
} from './payloads.server';
import { isQueueName, type QueueName } from './queues';
import {
  activeSyncJobId,
  insertSyncJobIfIdle,
  LIVE_JOB_STATUSES as LIVE_SYNC_JOB_STATUSES,
  sourceViewSetting,
  SYNC_ACTIVE_MESSAGE,
} from './sync-requests.server';

const PAYLOAD_SCHEMAS: Record<QueueName, z.ZodType> = {
  sync: syncPayloadSchema,
  export: exportPayloadSchema,
  period_init: periodInitPayloadSchema,
  nextbank: nextbankPayloadSchema,
  performance: performancePayloadSchema,
  cleanup: cleanupPayloadSchema,
  nextbank_sync: nextbankSyncPayloadSchema,
};

/** A run is still going while its job is waiting, running or waiting to retry. */
const LIVE_JOB_STATUSES: JobStatus[] = [...LIVE_SYNC_JOB_STATUSES];
export const RECENT_RUNS = 5;

/** The next tick after `now` in the schedule's time zone; null for a pattern croner cannot read. */
export function nextTick(cron: string, timezone: string, now: Date): Date | null {
  try {
    return new Cron(cron, { timezone, paused: true }).nextRun(now);
  } catch {
    return null;
  }
}

export async function listScheduledJobs(ctx: AppContext) {
  const now = ctx.clock.now();
  // The schedules and their recent runs read together (at the edge each read is a round trip,
  // decision 103): the runs' bound, 50 per schedule, counts the schedules in SQL instead of after them.
  const runsBound = sql`(select count(*) * 50 from ${scheduledJobs})`;
  const [schedules, runs] = await Promise.all([
    ctx.db.select().from(scheduledJobs).orderBy(scheduledJobs.id),
    ctx.db
      .select({
        id: scheduledJobRuns.id,
        scheduledJobId: scheduledJobRuns.scheduledJobId,
        trigger: scheduledJobRuns.trigger,
        status: scheduledJobRuns.status,
        error: scheduledJobRuns.error,
        createdAt: scheduledJobRuns.createdAt,
        startedAt: scheduledJobRuns.startedAt,
        finishedAt: scheduledJobRuns.finishedAt,
        jobQueueId: scheduledJobRuns.jobQueueId,
        jobStatus: jobQueue.status,
        jobLastError: jobQueue.lastError,
        triggeredByName: users.fullName,
      })
      .from(scheduledJobRuns)
      .leftJoin(jobQueue, eq(jobQueue.id, scheduledJobRuns.jobQueueId))
      .leftJoin(users, eq(users.id, scheduledJobRuns.triggeredBy))
      // Newest runs first; a window function would do it per schedule, this keeps it simple and bounded.
      .orderBy(desc(scheduledJobRuns.id))
      // drizzle types limit() as a number or placeholder; its SQLite dialect writes any SQL object after LIMIT.
      .limit(runsBound as unknown as number),
  ]);
  return schedules.map((s) => {
    const recent = runs
      .filter((r) => r.scheduledJobId === s.id)
      .slice(0, RECENT_RUNS)
      .map((r) => {
        // The run row is the record; while the service has not closed it, its job tells how it stands.
        const open = r.status === 'pending' || r.status === 'running';
        const status = open && r.jobStatus ? r.jobStatus : r.status;
        const error = r.error ?? (status === 'failed' || status === 'dead' ? r.jobLastError : null);
        const durationMs = r.startedAt && r.finishedAt ? Math.max(0, r.finishedAt.getTime() - r.startedAt.getTime()) : null;
        return { ...r, status, error, durationMs, live: r.jobStatus ? LIVE_JOB_STATUSES.includes(r.jobStatus) : open };
      });
    const stored = s.nextRunAt && s.nextRunAt.getTime() > now.getTime() ? s.nextRunAt : null;
    return {
      id: s.id,
      code: s.code,
      name: s.name,
      queue: s.queue,
      cron: s.cron,
      timezone: s.timezone,
      isEnabled: s.isEnabled,
      lastRunAt: s.lastRunAt,
      nextRunAt: s.isEnabled ? (stored ?? nextTick(s.cron, s.timezone, now)) : null,
      cronReadable: nextTick(s.cron, s.timezone, now) !== null,
      lastRun: recent[0] ?? null,
      recentRuns: recent,
    };
  });
}
export type ScheduledJobView = Awaited<ReturnType<typeof listScheduledJobs>>[number];

type Who = { userId: number; userAgent?: string | null };

export type ScheduleActionResult =
  | { ok: true; scheduleId: number; message: string; runId?: number; jobId?: number }
  | { ok: false; code: 'NOT_FOUND' }
  | { ok: false; code: 'REFUSED'; message: string };

/**
 * Turns a schedule on or off (audited, logged). Turning it on sets the next run from the cron and
 * now, so a schedule that was off for a week does not fire its missed ticks at once; the service's
 * scheduler re-reads scheduled_jobs every SERVICE_SCHEDULE_REFRESH_MS and keeps to the same rules.
 */
export async function setScheduleEnabled(ctx: AppContext, who: Who, scheduleId: number, enabled: boolean): Promise<ScheduleActionResult> {
  const now = ctx.clock.now();
  return ctx.write(async (tx): Promise<ScheduleActionResult> => {
    const [before] = await tx.select().from(scheduledJobs).where(eq(scheduledJobs.id, scheduleId)).limit(1);
    if (!before) return { ok: false, code: 'NOT_FOUND' };
    const verb = enabled ? 'enabled' : 'disabled';
    if (before.isEnabled === enabled) return { ok: true, scheduleId, message: `${before.name} was already ${verb}.` };
    // Off: no next run (as the scheduler keeps it); on: the next tick after now, no catch-up of missed ones.
    const nextRunAt = enabled ? nextTick(before.cron, before.timezone, now) : null;
    await tx.update(scheduledJobs).set({ isEnabled: enabled, nextRunAt, updatedAt: now }).where(eq(scheduledJobs.id, scheduleId));
    await recordAudit(
      ctx,
      {
        table: 'scheduled_jobs',
        recordId: scheduleId,
        action: 'update',
        userId: who.userId,
        before: { isEnabled: before.isEnabled, nextRunAt: before.nextRunAt },
        after: { isEnabled: enabled, nextRunAt },
      },
      tx,
    );
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: enabled ? 'schedule.enabled' : 'schedule.disabled',
        resourceType: 'scheduled_job',
        resourceId: scheduleId,
        details: { code: before.code },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { ok: true, scheduleId, message: `${before.name} ${verb}.` };
  });
}

/**
 * "Run now": a scheduled_job_runs row (trigger 'manual') and the schedule's job on its queue with its
 * payload, the job id stored on the run, in ONE transaction. Refused while a run of the same schedule
 * is still going, for a payload its queue's schema rejects, and, for a sync, while any sync is active
 * (the sync gets its own sync_jobs row so the Sync screen shows it like a triggered one).
 */
export async function runScheduleNow(ctx: AppContext, who: Who, scheduleId: number): Promise<ScheduleActionResult> {
  const now = ctx.clock.now();
  const [schedule] = await ctx.db.select().from(scheduledJobs).where(eq(scheduledJobs.id, scheduleId)).limit(1);
  if (!schedule) return { ok: false, code: 'NOT_FOUND' };
  if (!isQueueName(schedule.queue))
    return { ok: false, code: 'REFUSED', message: `${schedule.name} names a queue the service does not run (${schedule.queue}).` };
  const queue = schedule.queue;
  const base = schedule.payload && typeof schedule.payload === 'object' ? (schedule.payload as Record<string, unknown>) : {};
  const sourceView = queue === 'sync' ? await sourceViewSetting(ctx) : '';
  return ctx.write(async (tx): Promise<ScheduleActionResult> => {
    const live = await tx
      .select({ id: scheduledJobRuns.id })
      .from(scheduledJobRuns)
      .innerJoin(jobQueue, eq(jobQueue.id, scheduledJobRuns.jobQueueId))
      .where(and(eq(scheduledJobRuns.scheduledJobId, scheduleId), inArray(jobQueue.status, LIVE_JOB_STATUSES)))
      .limit(1);
    if (live.length)
      return { ok: false, code: 'REFUSED', message: `${schedule.name} is already waiting or running (run ${live[0].id}); wait for it to finish.` };

    let payload: unknown = base;
    if (queue === 'sync') {
      const parsed = syncPayloadSchema.safeParse({ ...base, trigger: 'manual', triggeredBy: who.userId });
      if (!parsed.success)
        return { ok: false, code: 'REFUSED', message: `${schedule.name} has a payload the sync cannot run: ${parsed.error.issues[0]?.message}` };
      const syncJobId = await insertSyncJobIfIdle(tx, {
        mode: parsed.data.mode,
        dryRun: parsed.data.dryRun,
        trigger: 'manual',
        triggeredBy: who.userId,
        sourceView,
        now,
      });
      if (syncJobId === null) return { ok: false, code: 'REFUSED', message: `${SYNC_ACTIVE_MESSAGE} (sync ${await activeSyncJobId(tx)})` };
      payload = { ...parsed.data, syncJobId };
    } else {
      const parsed = PAYLOAD_SCHEMAS[queue].safeParse(base);
      if (!parsed.success)
        return { ok: false, code: 'REFUSED', message: `${schedule.name} has a payload its queue rejects: ${parsed.error.issues[0]?.message}` };
      payload = parsed.data;
    }

    const [run] = await tx
      .insert(scheduledJobRuns)
      .values({ scheduledJobId: scheduleId, trigger: 'manual', triggeredBy: who.userId, status: 'pending', createdAt: now })
      .returning({ id: scheduledJobRuns.id });
    const job = await enqueueJob(tx, { queue, payload, now, idempotencyKey: `schedule-run:${run.id}`, trace: ctx.trace });
    await tx.update(scheduledJobRuns).set({ jobQueueId: job.id }).where(eq(scheduledJobRuns.id, run.id));
    const syncJobId = (payload as { syncJobId?: number }).syncJobId;
    if (queue === 'sync' && syncJobId) {
      await tx.update(syncJobs).set({ jobQueueId: job.id }).where(eq(syncJobs.id, syncJobId));
    }
    await logActivity(
      ctx,
      {
        userId: who.userId,
        action: 'schedule.run_now',
        resourceType: 'scheduled_job',
        resourceId: scheduleId,
        details: { code: schedule.code, runId: run.id, jobId: job.id, queue, ...(syncJobId ? { syncJobId } : {}) },
        userAgent: who.userAgent,
      },
      tx,
    );
    return { ok: true, scheduleId, runId: run.id, jobId: job.id, message: `${schedule.name} queued to run now (job ${job.id}).` };
  });
}

/** The queue a schedule's runs go to, or null for an unknown schedule (the route spends the sync limit for 'sync'). */
export async function scheduleQueue(ctx: AppContext, scheduleId: number): Promise<string | null> {
  const [row] = await ctx.db.select({ queue: scheduledJobs.queue }).from(scheduledJobs).where(eq(scheduledJobs.id, scheduleId)).limit(1);
  return row?.queue ?? null;
}
