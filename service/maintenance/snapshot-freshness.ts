// Keeps the current periods' performance snapshots close behind the status writes (decision 092).
// The status write path is not touched: its trail is the dirty mark. On every scheduler pass (at most
// SERVICE_SCHEDULE_REFRESH_MS apart) two index reads compare the newest status event with the
// current periods' computed_at; when the figures are behind, one 'performance' job is enqueued:
//   - after QUIET_MS without a new status write (a burst of updates costs one refresh), or
//   - at the latest MAX_LAG_MS after the figures were computed while writes keep coming;
//   - at once when a current period has client rows but no figures yet (first start, a new month).
// The job's idempotency key names the computation it follows, so several service instances (or
// several passes before the job runs) enqueue it once; a failed refresh is not retried by this
// watcher (the job's own attempts, then the half-hourly schedule, take over).
import { inArray, sql } from 'drizzle-orm';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import { periodOf } from '../../app/core/status/periods';
import type { Clock } from '../../app/platform/clock';
import type { Logger } from '../../app/platform/logger';
import type { AppDatabase } from '../../db/database';
import { performanceSnapshots, statusEvents } from '../../db/schema';

export const QUIET_MS = 60_000;
export const MAX_LAG_MS = 5 * 60_000;

export type Freshness = { state: 'fresh' } | { state: 'waiting'; untilMs: number } | { state: 'stale'; key: string };

/** What the watcher would do now: nothing, wait for the writes to settle, or refresh (with the job's key). */
export async function snapshotFreshness(db: AppDatabase, now: Date): Promise<Freshness> {
  // Only the current periods that have client rows (an empty database, or a cycle without clients, has nothing to compute).
  const current: string[] = [];
  for (const key of [periodOf('monthly', now).key, periodOf('quarterly', now).key]) {
    const [row] = await db.all<{ found: number }>(sql`select exists (select 1 from client_period_status where period_key = ${key}) as found`);
    if (Number(row?.found)) current.push(key);
  }
  if (!current.length) return { state: 'fresh' };
  const [[event], computed] = await Promise.all([
    db.select({ at: sql<number | null>`max(${statusEvents.createdAt})` }).from(statusEvents),
    db
      .select({ key: performanceSnapshots.periodKey, at: sql<number>`max(${performanceSnapshots.computedAt})` })
      .from(performanceSnapshots)
      .where(inArray(performanceSnapshots.periodKey, current))
      .groupBy(performanceSnapshots.periodKey),
  ]);
  const at = new Map(computed.map((c) => [c.key, Number(c.at)]));
  const computedAt = Math.min(...current.map((k) => at.get(k) ?? 0));
  const key = `performance:after:${current.join('+')}:${computedAt}`;
  if (computedAt === 0) return { state: 'stale', key };
  const lastWrite = event?.at == null ? 0 : Number(event.at);
  if (lastWrite < computedAt) return { state: 'fresh' };
  const ms = now.getTime();
  if (ms - lastWrite >= QUIET_MS || ms - computedAt >= MAX_LAG_MS) return { state: 'stale', key };
  return { state: 'waiting', untilMs: Math.min(lastWrite + QUIET_MS, computedAt + MAX_LAG_MS) };
}

/** One watcher step: enqueues the refresh of the current periods when they are behind. Returns the job id when one was created. */
export async function refreshStaleSnapshots(db: AppDatabase, clock: Clock, logger: Logger): Promise<number | null> {
  const now = clock.now();
  const freshness = await snapshotFreshness(db, now);
  if (freshness.state !== 'stale') return null;
  const job = await enqueueJob(db, { queue: 'performance', payload: {}, now, idempotencyKey: freshness.key });
  if (!job.created) return null;
  logger.info('performance snapshots behind the status writes: refresh queued', { jobId: job.id, key: freshness.key });
  return job.id;
}
