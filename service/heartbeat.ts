// What each service instance publishes for /status: one service_heartbeats row per instance,
// replaced at every beat.
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { serviceHeartbeats } from '../db/schema';
import type { AppDatabase } from '../db/database';

export async function publishHeartbeat(
  db: AppDatabase,
  instanceId: string,
  payload: Record<string, unknown>,
  at: { now: Date; startedAt: Date } = { now: new Date(), startedAt: new Date() },
) {
  await db
    .insert(serviceHeartbeats)
    .values({ instanceId, hostname: hostname(), version: process.env.APP_VERSION ?? '0.1.0', startedAt: at.startedAt, publishedAt: at.now, payload })
    .onConflictDoUpdate({ target: serviceHeartbeats.instanceId, set: { publishedAt: at.now, startedAt: at.startedAt, payload } });
}

export type QueueDepths = Record<string, { pending: number; running: number; failed: number; dead: number }>;

/** Jobs per queue and status (every queue in the table, not only those this instance runs). */
export async function queueDepths(db: AppDatabase): Promise<QueueDepths> {
  const rows = await db.all<{ queue: string; status: string; n: number }>(sql`
    select queue, status, count(*) as n from job_queue
    where status in ('pending', 'running', 'failed', 'dead') group by queue, status`);
  const depths: QueueDepths = {};
  for (const r of rows) {
    depths[r.queue] ??= { pending: 0, running: 0, failed: 0, dead: 0 };
    depths[r.queue][r.status as 'pending'] = Number(r.n);
  }
  return depths;
}
