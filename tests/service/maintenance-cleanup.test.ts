// The cleanup job on the seeded database: each retention rule deletes exactly the rows past it.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityLogs, configSettings, exportJobs, jobQueue, scheduledJobRuns, serviceHeartbeats, statusEvents, syncJobs, userSessions } from '../../db/schema';
import { cleanupHandler } from '../../service/maintenance/retention-cleanup';
import { createTestDb, type TestDb } from '../support/db';
import { enqueue, jobRow, movableClock, runRow, runRowFor, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock;
beforeEach(async () => {
  t = await createTestDb();
  clock = movableClock();
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;
const ago = (days: number, extraMs = 0) => new Date(clock.now().getTime() - days * DAY - extraMs);
const ids = async (table: typeof activityLogs | typeof jobQueue | typeof userSessions | typeof syncJobs | typeof exportJobs) =>
  (await t.db.select({ id: table.id }).from(table)).map((r) => r.id).sort((a, b) => a - b);

async function runCleanup() {
  const worker = testWorker(t.db, clock, { cleanup: cleanupHandler });
  const id = await enqueue(t.db, clock, { queue: 'cleanup', payload: {} });
  expect((await worker.runOnce())?.outcome).toBe('done');
  return jobRow(t.db, id);
}

describe('retention cleanup job', () => {
  it('deletes activity, events, queue jobs, sessions, sync and export records past their retention, and nothing else', async () => {
    // activity logs: 90 days
    const [oldLog, keptLog] = await t.db
      .insert(activityLogs)
      .values([
        { action: 'test.old', createdAt: ago(90, 1) },
        { action: 'test.kept', createdAt: ago(89) },
      ])
      .returning({ id: activityLogs.id });
    // status events: 2 years (730 days); every seeded event is younger
    const [event] = await t.db.select().from(statusEvents).limit(1);
    const eventsBefore = (await t.db.select({ n: sql<number>`count(*)` }).from(statusEvents))[0].n;
    await t.db
      .update(statusEvents)
      .set({ createdAt: ago(731) })
      .where(eq(statusEvents.id, event.id));
    // queue: finished 7 days, dead 30 days; failed/pending are never removed
    const job = async (status: 'done' | 'cancelled' | 'dead' | 'failed' | 'pending', days: number) => {
      const id = await enqueue(t.db, clock, { queue: 'export', payload: { exportJobId: 1 } });
      await t.db
        .update(jobQueue)
        .set({ status, finishedAt: status === 'failed' || status === 'pending' ? null : ago(days), createdAt: ago(days) })
        .where(eq(jobQueue.id, id));
      return id;
    };
    const doneOld = await job('done', 8);
    const cancelledOld = await job('cancelled', 8);
    const doneNew = await job('done', 6);
    const deadOld = await job('dead', 31);
    const deadNew = await job('dead', 29);
    const failedOld = await job('failed', 100);
    const pendingOld = await job('pending', 100);
    const runOfDeleted = await runRowFor(t.db, doneOld);
    // sessions: ended or expired more than 7 days ago
    const session = (tag: string, expiresDays: number, endedDays: number | null) => ({
      tokenHash: `hash-${tag}`,
      userId: 1,
      lastSeenAt: ago(20),
      expiresAt: ago(expiresDays),
      endedAt: endedDays === null ? null : ago(endedDays),
    });
    const sessions = await t.db
      .insert(userSessions)
      .values([session('expired-old', 8, null), session('ended-old', -1, 8), session('ended-new', -1, 6), session('live', -1, null)])
      .returning({ id: userSessions.id });
    // sync jobs and export records: 90 days, unless still pending/running
    const sync = (status: 'done' | 'running', days: number) => ({
      mode: 'full' as const,
      status,
      trigger: 'schedule' as const,
      sourceView: 'V',
      createdAt: ago(days),
    });
    const syncs = await t.db
      .insert(syncJobs)
      .values([sync('done', 91), sync('done', 89), sync('running', 91)])
      .returning({ id: syncJobs.id });
    const exp = (days: number) => ({ requestedBy: 1, exportType: 'clients' as const, format: 'csv' as const, status: 'done' as const, createdAt: ago(days) });
    const exports = await t.db
      .insert(exportJobs)
      .values([exp(91), exp(89)])
      .returning({ id: exportJobs.id });
    await t.db.insert(serviceHeartbeats).values([
      { instanceId: 'gone', publishedAt: ago(8), payload: {} },
      { instanceId: 'alive', publishedAt: ago(0), payload: {} },
    ]);

    const cleanupJob = await runCleanup();

    expect(await ids(activityLogs)).toEqual(expect.arrayContaining([keptLog.id]));
    expect(await ids(activityLogs)).not.toContain(oldLog.id);
    expect((await t.db.select({ n: sql<number>`count(*)` }).from(statusEvents))[0].n).toBe(eventsBefore - 1);
    const jobsLeft = await ids(jobQueue);
    expect(jobsLeft).toEqual(expect.arrayContaining([doneNew, deadNew, failedOld, pendingOld, cleanupJob.id]));
    for (const gone of [doneOld, cancelledOld, deadOld]) expect(jobsLeft).not.toContain(gone);
    expect(await runRow(t.db, runOfDeleted)).toMatchObject({ jobQueueId: null }); // the run history stays
    expect(await ids(userSessions)).toEqual([sessions[2].id, sessions[3].id]);
    expect(await ids(syncJobs)).toEqual([syncs[1].id, syncs[2].id]);
    expect(await ids(exportJobs)).toEqual([exports[1].id]);
    expect((await t.db.select().from(serviceHeartbeats)).map((h) => h.instanceId)).toEqual(['alive']);
    expect(cleanupJob.progress?.message).toBe(
      'deleted activity_logs 1, status_events 1, job_queue 3, user_sessions 2, sync_jobs 1, export_jobs 1, service_heartbeats 1',
    );
    expect(await t.db.select().from(scheduledJobRuns)).toHaveLength(1);
  });

  it('uses the retention days set by an admin, and deletes large backlogs in batches', async () => {
    await t.db.update(configSettings).set({ value: '30' }).where(eq(configSettings.key, 'activity_log_retention_days'));
    // 12,000 rows 31–40 days old (more than two delete batches) and 50 rows 29 days old
    await t.db.run(sql`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 12000)
      insert into activity_logs (action, created_at) select 'bulk.old', ${ago(31).getTime()} - (i % 9) * ${DAY} from n`);
    await t.db.run(sql`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 50)
      insert into activity_logs (action, created_at) select 'bulk.kept', ${ago(29).getTime()} from n`);
    const job = await runCleanup();
    const left = await t.db.all<{ action: string; n: number }>(sql`select action, count(*) as n from activity_logs group by action order by action`);
    expect(left).toEqual([{ action: 'bulk.kept', n: 50 }]);
    expect(job.progress?.message).toMatch(/^deleted activity_logs 12000, /);
  });
});
