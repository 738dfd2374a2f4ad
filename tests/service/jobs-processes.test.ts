// Real service processes on one libSQL file: a worker killed with SIGKILL mid-job (its job is picked
// up by another process after the lease and finished once), and two processes sharing the queue
// and the schedules (every job and every tick exactly once). Jobs sleep via the test fixture
// tests/service/fixtures/test-service.ts, which records each start and each completion.
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobQueue, scheduledJobRuns, scheduledJobs, serviceHeartbeats } from '../../db/schema';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import { createTestDb, type TestDb } from '../support/db';
import { spawnService, stopAllProcesses, waitUntil, type ManagedProcess } from '../support/processes';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ seeded: false });
});
afterEach(async () => {
  await stopAllProcesses(2_000);
  await t.close();
});

function startService(instanceId: string, env: Record<string, string> = {}): ManagedProcess {
  return spawnService({
    instanceId,
    databaseUrl: t.url,
    queues: 'export',
    script: 'tests/service/fixtures/test-service.ts',
    env: { APP_FIXED_NOW: '', SERVICE_SHUTDOWN_GRACE_MS: '3000', LOG_LEVEL: 'info', ...env },
  });
}

/** started / finished records per job id (written by the fixture's handler). */
async function records() {
  const rows = await t.db.all<{ action: string; job: string; owner: string }>(sql`
    select action, resource_id as job, request_id as owner from activity_logs where action like 'test.job.%' order by id`);
  const per = new Map<number, { started: string[]; finished: string[] }>();
  for (const r of rows) {
    const entry = per.get(Number(r.job)) ?? { started: [], finished: [] };
    (r.action === 'test.job.started' ? entry.started : entry.finished).push(r.owner);
    per.set(Number(r.job), entry);
  }
  return per;
}

async function enqueueSleeps(sleeps: number[]): Promise<number[]> {
  const now = new Date();
  return t.db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const sleepMs of sleeps) ids.push((await enqueueJob(tx, { queue: 'export', payload: { sleepMs }, now })).id);
    return ids;
  });
}

const statuses = async () => await t.db.select({ id: jobQueue.id, status: jobQueue.status, attempts: jobQueue.attempts }).from(jobQueue);
const heartbeatOf = async (instanceId: string) => (await t.db.select().from(serviceHeartbeats).where(eq(serviceHeartbeats.instanceId, instanceId)))[0];

describe('crash', () => {
  it('SIGKILL mid-job: after the lease a second process takes the job over and finishes it; none lost, none completed twice', async () => {
    const policies = JSON.stringify({ export: { leaseMs: 1_500, concurrency: 2 } });
    const ids = await enqueueSleeps([6_000, 200, 200, 200, 200]);
    const first = startService('first', { SERVICE_QUEUE_POLICIES: policies });
    await waitUntil('the long job to start in the first process', async () => (await records()).get(ids[0])?.started.length === 1, {
      process: first,
      timeoutMs: 60_000,
    });
    first.child.kill('SIGKILL');
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    const [running] = await t.db.select().from(jobQueue).where(eq(jobQueue.id, ids[0]));
    expect(running).toMatchObject({ status: 'running', attempts: 1 });
    expect(running.leaseOwner).toMatch(/^first#/);

    const second = startService('second', { SERVICE_QUEUE_POLICIES: policies });
    await waitUntil('every job done', async () => (await statuses()).every((j) => j.status === 'done'), { process: second, timeoutMs: 60_000 });

    const per = await records();
    for (const id of ids) expect(per.get(id)?.finished, `job ${id} completions`).toHaveLength(1);
    const long = per.get(ids[0])!;
    expect(long.started).toHaveLength(2); // killed once, then taken over
    expect(long.started[0]).toMatch(/^first#/);
    expect(long.finished[0]).toMatch(/^second#/);
    const [done] = await t.db.select().from(jobQueue).where(eq(jobQueue.id, ids[0]));
    expect(done).toMatchObject({ status: 'done', attempts: 2, progress: { message: 'slept 6000 ms' } });
    expect(done.leaseOwner).toMatch(/^second#/);
    await second.stop(5_000);
    expect(second.exitInfo()).toEqual({ code: 0, signal: null });
  });
});

describe('two processes on one database', () => {
  it('share the work: each job and each schedule tick runs exactly once; both publish heartbeats; SIGTERM stops them cleanly', async () => {
    const [schedule] = await t.db
      .insert(scheduledJobs)
      .values({ code: 'tick-every-second', name: 'Test tick', queue: 'export', cron: '* * * * * *', payload: { sleepMs: 20 } })
      .returning();
    const env = { SERVICE_SCHEDULER: 'on', SERVICE_SCHEDULE_REFRESH_MS: '200' };
    const a = startService('a', env);
    const b = startService('b', env);
    await waitUntil('both heartbeats', async () => Boolean((await heartbeatOf('a')) && (await heartbeatOf('b'))), { timeoutMs: 60_000 });
    const ids = await enqueueSleeps(Array.from({ length: 40 }, () => 120));
    await waitUntil(
      'the 40 jobs and 3 ticks done',
      async () => {
        const jobs = await statuses();
        return (
          jobs.filter((j) => ids.includes(j.id)).every((j) => j.status === 'done') && jobs.filter((j) => !ids.includes(j.id) && j.status === 'done').length >= 3
        );
      },
      { timeoutMs: 60_000 },
    );
    await t.db.update(scheduledJobs).set({ isEnabled: false }).where(eq(scheduledJobs.id, schedule.id));
    await Promise.all([a.stop(10_000), b.stop(10_000)]);
    expect(a.exitInfo()).toEqual({ code: 0, signal: null });
    expect(b.exitInfo()).toEqual({ code: 0, signal: null });

    const per = await records();
    const all = await t.db.select().from(jobQueue);
    for (const job of all.filter((j) => j.status === 'done')) {
      expect(per.get(job.id)?.started, `job ${job.id} starts`).toHaveLength(1);
      expect(per.get(job.id)?.finished, `job ${job.id} completions`).toHaveLength(1);
      expect(job.attempts).toBe(1);
    }
    const owners = new Set(ids.map((id) => per.get(id)!.finished[0].split('#')[0]));
    expect(owners).toEqual(new Set(['a', 'b'])); // both took part

    const runs = await t.db.select().from(scheduledJobRuns).where(eq(scheduledJobRuns.scheduledJobId, schedule.id));
    const tickJobs = all.filter((j) => j.idempotencyKey?.startsWith(`schedule:${schedule.id}:`));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(tickJobs).toHaveLength(runs.length);
    expect(new Set(runs.map((r) => r.jobQueueId)).size).toBe(runs.length);
    const doneRuns = await t.db
      .select()
      .from(scheduledJobRuns)
      .where(and(eq(scheduledJobRuns.scheduledJobId, schedule.id), eq(scheduledJobRuns.status, 'done')));
    expect(doneRuns.length).toBeGreaterThanOrEqual(3);

    for (const id of ['a', 'b']) {
      const beat = await heartbeatOf(id);
      expect(beat.payload).toMatchObject({ instanceId: id, state: 'stopped', heartbeatMs: 300, runs: ['export'], scheduler: 'on', breakers: {} });
      expect(beat.payload).toHaveProperty('queues');
      expect(typeof beat.payload.pid).toBe('number');
    }
  });
});
