// The scheduler on a real libSQL file: next_run_at in Manila time, firing into job_queue with a run
// row, one firing per tick across instances, admin edits applied without a restart.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { jobQueue, scheduledJobRuns, scheduledJobs } from '../../db/schema';
import { SCHEDULED_JOBS } from '../../db/seed/settings';
import { Scheduler } from '../../service/scheduler/scheduler';
import { createTestDb, type TestDb } from '../support/db';
import { collectingLogger, movableClock, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock; // starts 2026-11-15T02:00Z = 10:00 in Manila
beforeEach(async () => {
  t = await createTestDb({ seeded: false });
  clock = movableClock();
});
afterEach(async () => {
  await t.close();
});

const scheduler = (db = t.db, logger = collectingLogger()) => new Scheduler({ db, clock, logger });

async function addSchedule(values: { code: string; queue: string; cron: string; payload?: unknown; isEnabled?: boolean }) {
  const [row] = await t.db
    .insert(scheduledJobs)
    .values({ name: values.code, ...values })
    .returning();
  return row;
}
const schedule = async (id: number) => (await t.db.select().from(scheduledJobs).where(eq(scheduledJobs.id, id)))[0];
const runsOf = (id: number) => t.db.select().from(scheduledJobRuns).where(eq(scheduledJobRuns.scheduledJobId, id));

describe('next run', () => {
  it('fills next_run_at of every enabled schedule from its cron in Asia/Manila', async () => {
    for (const job of SCHEDULED_JOBS) await addSchedule({ ...job });
    const result = await scheduler().pass();
    expect(result).toEqual({ fired: [], rescheduled: SCHEDULED_JOBS.length });
    const next = Object.fromEntries((await t.db.select().from(scheduledJobs)).map((r) => [r.code, r.nextRunAt?.toISOString()]));
    expect(next).toEqual({
      snowflake_daily_sync: '2026-11-15T22:00:00.000Z', // 06:00 on the 16th in Manila
      period_init_monthly: '2026-11-30T16:05:00.000Z', // 00:05 on 1 December in Manila
      period_init_quarterly: '2026-12-31T16:10:00.000Z', // 00:10 on 1 January
      performance_snapshots: '2026-11-15T02:30:00.000Z',
      retention_cleanup: '2026-11-15T18:30:00.000Z', // 02:30 on the 16th
      nextbank_payment_sync: '2026-11-16T00:15:00.000Z', // Monday 08:15 (the 15th is a Sunday)
      export_file_cleanup: '2026-11-15T02:40:00.000Z', // hourly at :40 (issue 12: export files kept 24 h)
      approval_expiry: '2026-11-15T02:50:00.000Z', // hourly at :50 (issue 18: requests past their days)
    });
  });
});

describe('firing', () => {
  it('enqueues the job with the schedule payload and a run row, then moves to the following tick', async () => {
    const row = await addSchedule({ code: 'daily', queue: 'sync', cron: '0 6 * * *', payload: { mode: 'incremental' } });
    const s = scheduler();
    await s.pass();
    clock.set(new Date('2026-11-15T22:00:00.000Z'));
    expect((await s.pass()).fired).toEqual(['daily']);
    expect((await s.pass()).fired).toEqual([]); // same instant again: nothing

    const [run] = await runsOf(row.id);
    expect(run).toMatchObject({ trigger: 'schedule', status: 'pending', triggeredBy: null });
    const [job] = await t.db.select().from(jobQueue).where(eq(jobQueue.id, run.jobQueueId!));
    expect(job).toMatchObject({
      queue: 'sync',
      payload: { mode: 'incremental' },
      status: 'pending',
      idempotencyKey: `schedule:${row.id}:${Date.parse('2026-11-15T22:00:00Z')}`,
    });
    expect(await schedule(row.id)).toMatchObject({ lastRunAt: clock.now(), nextRunAt: new Date('2026-11-16T22:00:00.000Z') });
  });

  it('each fired tick starts a trace of its own (decision 094): a fresh trace_parent per job', async () => {
    await addSchedule({ code: 'daily', queue: 'sync', cron: '0 6 * * *', payload: { mode: 'incremental' } });
    const s = scheduler();
    await s.pass();
    clock.set(new Date('2026-11-15T22:00:00.000Z'));
    await s.pass();
    clock.set(new Date('2026-11-16T22:00:00.000Z'));
    await s.pass();
    const jobs = await t.db.select({ traceParent: jobQueue.traceParent }).from(jobQueue).where(eq(jobQueue.queue, 'sync'));
    expect(jobs).toHaveLength(2);
    for (const j of jobs) expect(j.traceParent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(jobs[0].traceParent!.slice(3, 35)).not.toBe(jobs[1].traceParent!.slice(3, 35));
  });

  it('after downtime an overdue tick fires once, then it goes on from the next tick after now', async () => {
    const row = await addSchedule({ code: 'cleanup', queue: 'cleanup', cron: '30 2 * * *' });
    const s = scheduler();
    await s.pass();
    clock.advance(3 * 86_400_000); // the service was down for three days
    expect((await s.pass()).fired).toEqual(['cleanup']);
    expect(await runsOf(row.id)).toHaveLength(1);
    expect((await schedule(row.id)).nextRunAt).toEqual(new Date('2026-11-18T18:30:00.000Z'));
  });

  it('the run row gets the result when the worker finishes the job (duration = finished − started)', async () => {
    const row = await addSchedule({ code: 'snap', queue: 'performance', cron: '*/30 * * * *' });
    const s = scheduler();
    await s.pass();
    clock.set(new Date('2026-11-15T02:30:00.000Z'));
    await s.pass();
    const worker = testWorker(t.db, clock, {
      performance: async () => {
        clock.advance(4_000);
        return 'ok';
      },
    });
    clock.advance(1_000);
    expect((await worker.runOnce())?.outcome).toBe('done');
    const [run] = await runsOf(row.id);
    expect(run).toMatchObject({ status: 'done', error: null });
    expect(run.finishedAt!.getTime() - run.startedAt!.getTime()).toBe(4_000);
  });
});

describe('several instances', () => {
  it('fire each tick exactly once, even when both saw the tick due', async () => {
    const row = await addSchedule({ code: 'every-second', queue: 'performance', cron: '* * * * * *' });
    const other = await openDatabase(t.url); // a second instance: its own connection
    try {
      const logs = collectingLogger();
      const a = scheduler(t.db, logs);
      const b = scheduler(other.db, logs);
      await a.pass();
      let fired = 0;
      for (let i = 0; i < 20; i++) {
        clock.advance(1_000);
        const [ra, rb] = await Promise.all([a.pass(), b.pass()]);
        fired += ra.fired.length + rb.fired.length;
      }
      expect(fired).toBe(20);
      // Both instances did see ticks due and tried: the losers' claims changed nothing.
      expect(logs.lines.filter((l) => l.includes('already taken by another instance')).length).toBeGreaterThan(0);
      const runs = await runsOf(row.id);
      expect(runs).toHaveLength(20);
      const jobs = await t.db.select().from(jobQueue);
      expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(20);
    } finally {
      other.client.close();
    }
  });
});

describe('admin edits apply without a restart', () => {
  it('disable clears next_run_at and stops firing; enable starts from the next tick; a cron edit moves it', async () => {
    const row = await addSchedule({ code: 'daily', queue: 'sync', cron: '0 6 * * *', payload: { mode: 'full' } });
    const s = scheduler();
    await s.pass();
    await t.db.update(scheduledJobs).set({ isEnabled: false }).where(eq(scheduledJobs.id, row.id));
    clock.set(new Date('2026-11-16T00:00:00.000Z')); // past the 06:00 tick
    expect(await s.pass()).toEqual({ fired: [], rescheduled: 1 });
    expect((await schedule(row.id)).nextRunAt).toBeNull();

    await t.db.update(scheduledJobs).set({ isEnabled: true }).where(eq(scheduledJobs.id, row.id));
    expect((await s.pass()).fired).toEqual([]); // no catch-up of the tick missed while disabled
    expect((await schedule(row.id)).nextRunAt).toEqual(new Date('2026-11-16T22:00:00.000Z'));

    await t.db.update(scheduledJobs).set({ cron: '0 7 * * *' }).where(eq(scheduledJobs.id, row.id));
    await s.pass();
    expect((await schedule(row.id)).nextRunAt).toEqual(new Date('2026-11-16T23:00:00.000Z'));
    expect(await runsOf(row.id)).toHaveLength(0);
  });

  it('a bad cron or an unknown queue is reported, and the other schedules go on', async () => {
    const logger = collectingLogger();
    const bad = await addSchedule({ code: 'bad', queue: 'cleanup', cron: 'every day' });
    const unknown = await addSchedule({ code: 'unknown', queue: 'nope', cron: '*/30 * * * *' });
    const good = await addSchedule({ code: 'good', queue: 'cleanup', cron: '*/30 * * * *' });
    const s = scheduler(t.db, logger);
    await s.pass();
    clock.set(new Date('2026-11-15T02:30:00.000Z'));
    expect((await s.pass()).fired.sort()).toEqual(['good', 'unknown']);
    expect((await schedule(bad.id)).nextRunAt).toBeNull();
    expect(logger.lines.some((l) => l.includes('invalid cron pattern') && l.includes('"bad"'))).toBe(true);
    expect(await runsOf(unknown.id)).toMatchObject([{ status: 'dead', error: 'unknown queue "nope"' }]);
    expect(await runsOf(good.id)).toHaveLength(1);
  });
});
