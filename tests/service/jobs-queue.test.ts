// The job queue on a real libSQL file: claim, complete, retry with backoff, dead, order, leases.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobQueue } from '../../db/schema';
import { QUEUE_POLICIES } from '../../app/core/jobs/queues';
import { retryDelayMs, DEFAULT_BACKOFF } from '../../service/jobs/backoff';
import { PermanentJobError } from '../../service/jobs/handler';
import { buryAbandonedJobs, claimNextJob, completeJob } from '../../service/jobs/job-store';
import { createTestDb, type TestDb } from '../support/db';
import { enqueue, jobRow, movableClock, runRow, runRowFor, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock;
beforeEach(async () => {
  t = await createTestDb({ seeded: false });
  clock = movableClock();
});
afterEach(async () => {
  await t.close();
});

describe('enqueue, claim, complete', () => {
  it('runs a job once with its payload, records done and the handler result', async () => {
    const seen: unknown[] = [];
    const worker = testWorker(t.db, clock, {
      period_init: async (payload, run) => {
        seen.push({ payload, attempts: run.job.attempts });
        return 'initialized 2026-11';
      },
    });
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload: { periodKey: '2026-11' } });
    const runId = await runRowFor(t.db, id);

    const first = await worker.runOnce();
    expect(first?.outcome).toBe('done');
    expect(seen).toEqual([{ payload: { periodKey: '2026-11' }, attempts: 1 }]);
    const job = await jobRow(t.db, id);
    expect(job).toMatchObject({ status: 'done', attempts: 1, lastError: null, progress: { message: 'initialized 2026-11' } });
    expect(job.finishedAt).toEqual(clock.now());
    expect(await worker.runOnce()).toBeNull(); // never claimed again
    expect(seen).toHaveLength(1);
    // The run row the admin screen shows follows the job.
    expect(await runRow(t.db, runId)).toMatchObject({ status: 'done', error: null, startedAt: clock.now(), finishedAt: clock.now() });
  });

  it('never claims a queue it has no handler for, nor a cancelled job', async () => {
    const worker = testWorker(t.db, clock, { period_init: async () => 'ok' });
    const sync = await enqueue(t.db, clock, { queue: 'sync', payload: { mode: 'full' } });
    const cancelled = await enqueue(t.db, clock, { queue: 'period_init', payload: {} });
    await t.db.update(jobQueue).set({ status: 'cancelled' }).where(eq(jobQueue.id, cancelled));
    expect(worker.queues).toEqual(['period_init']);
    expect(await worker.runOnce()).toBeNull();
    expect((await jobRow(t.db, sync)).status).toBe('pending');
    expect((await jobRow(t.db, cancelled)).status).toBe('cancelled');
  });
});

describe('retries', () => {
  it('retries with exponential backoff and jitter, then goes dead with the last error', async () => {
    let calls = 0;
    const worker = testWorker(
      t.db,
      clock,
      {
        cleanup: async () => {
          calls++;
          throw new Error(`disk full (try ${calls})`);
        },
      },
      { random: () => 0.5, backoff: { baseMs: 1_000, maxMs: 60_000 } },
    );
    const id = await enqueue(t.db, clock, { queue: 'cleanup', payload: {}, maxAttempts: 3 });
    const runId = await runRowFor(t.db, id, 'schedule');

    expect((await worker.runOnce())?.outcome).toBe('failed');
    let job = await jobRow(t.db, id);
    // attempt 1: 1000 ms, equal jitter with random 0.5 → 750 ms
    expect(job).toMatchObject({ status: 'failed', attempts: 1, lastError: 'disk full (try 1)', finishedAt: null, leaseExpiresAt: null });
    expect(job.scheduledAt.getTime() - clock.now().getTime()).toBe(750);
    expect(await runRow(t.db, runId)).toMatchObject({ status: 'failed', error: 'disk full (try 1)', finishedAt: null });

    expect(await worker.runOnce()).toBeNull(); // not due yet
    clock.advance(750);
    expect((await worker.runOnce())?.outcome).toBe('failed');
    job = await jobRow(t.db, id);
    expect(job.scheduledAt.getTime() - clock.now().getTime()).toBe(1_500); // attempt 2: 2000 ms → 1500
    clock.advance(1_500);
    expect((await worker.runOnce())?.outcome).toBe('dead');
    job = await jobRow(t.db, id);
    expect(job).toMatchObject({ status: 'dead', attempts: 3, lastError: 'disk full (try 3)' });
    expect(job.finishedAt).toEqual(clock.now());
    expect(await runRow(t.db, runId)).toMatchObject({ status: 'dead', error: 'disk full (try 3)', finishedAt: clock.now() });

    clock.advance(24 * 3_600_000);
    expect(await worker.runOnce()).toBeNull(); // dead stays dead
    expect(calls).toBe(3);
  });

  it('backoff grows exponentially, stays within [d/2, d] and is capped', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, { baseMs: 100, maxMs: 10_000 }, () => 0.999999))).toEqual([100, 200, 400, 800]);
    expect(retryDelayMs(1, { baseMs: 100, maxMs: 10_000 }, () => 0)).toBe(50);
    expect(retryDelayMs(40, DEFAULT_BACKOFF, () => 1 - 1e-12)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it('a PermanentJobError (bad payload) is dead at once, without retries', async () => {
    const worker = testWorker(t.db, clock, {
      period_init: async () => {
        throw new PermanentJobError('periodKey "2026-13" is not a period');
      },
    });
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload: { periodKey: '2026-13' }, maxAttempts: 5 });
    expect((await worker.runOnce())?.outcome).toBe('dead');
    expect(await jobRow(t.db, id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'PermanentJobError: periodKey "2026-13" is not a period',
    });
  });
});

describe('claim order', () => {
  it('takes the highest priority first, then the earliest scheduled_at, then the oldest; never a future job', async () => {
    const a = await enqueue(t.db, clock, { queue: 'period_init', payload: { n: 'a' } });
    const b = await enqueue(t.db, clock, { queue: 'period_init', payload: { n: 'b' }, priority: 5 });
    const c = await enqueue(t.db, clock, { queue: 'period_init', payload: { n: 'c' } });
    clock.advance(-60_000);
    const d = await enqueue(t.db, clock, { queue: 'period_init', payload: { n: 'd' } }); // older scheduled_at
    const later = await enqueue(t.db, clock, { queue: 'period_init', payload: { n: 'later' }, priority: 9, delayMs: 3_600_000 });
    clock.advance(60_000);

    const order: number[] = [];
    for (;;) {
      const job = await claimNextJob(t.db, { queues: ['period_init'], owner: `w${order.length}`, now: clock.now(), policies: QUEUE_POLICIES });
      if (!job) break;
      order.push(job.id);
    }
    expect(order).toEqual([b, d, a, c]);
    expect((await jobRow(t.db, later)).status).toBe('pending');
  });
});

describe('leases', () => {
  it('a job whose worker died is claimed again after its lease, and only the new owner can complete it', async () => {
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload: {} });
    const policies = { ...QUEUE_POLICIES, period_init: { ...QUEUE_POLICIES.period_init, leaseMs: 1_000 } };
    const claim = (owner: string) => claimNextJob(t.db, { queues: ['period_init'], owner, now: clock.now(), policies });

    const first = await claim('dead-worker#1');
    expect(first).toMatchObject({ id, status: 'running', attempts: 1, leaseOwner: 'dead-worker#1' });
    clock.advance(999);
    expect(await claim('other#1')).toBeNull(); // lease still valid
    clock.advance(2);
    const second = await claim('other#2');
    expect(second).toMatchObject({ id, attempts: 2, leaseOwner: 'other#2', lastError: 'attempt 1 lost: lease of dead-worker#1 expired' });

    expect(await completeJob(t.db, first!, 'dead-worker#1', clock.now())).toBe(false); // the old owner wakes up: no effect
    expect((await jobRow(t.db, id)).status).toBe('running');
    expect(await completeJob(t.db, second!, 'other#2', clock.now())).toBe(true);
    expect(await completeJob(t.db, second!, 'other#2', clock.now())).toBe(false); // never completed twice
    expect(await jobRow(t.db, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a job lost during its last attempt goes dead instead of being claimed again', async () => {
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload: {}, maxAttempts: 1 });
    const runId = await runRowFor(t.db, id, 'schedule');
    await claimNextJob(t.db, { queues: ['period_init'], owner: 'crashed#1', now: clock.now(), policies: QUEUE_POLICIES });
    clock.advance(QUEUE_POLICIES.period_init.leaseMs + 1);
    expect(await claimNextJob(t.db, { queues: ['period_init'], owner: 'w#2', now: clock.now(), policies: QUEUE_POLICIES })).toBeNull();
    expect(await buryAbandonedJobs(t.db, ['period_init'], clock.now())).toBe(1);
    expect(await jobRow(t.db, id)).toMatchObject({ status: 'dead', lastError: 'attempt 1 of 1 lost: lease of crashed#1 expired' });
    expect(await runRow(t.db, runId)).toMatchObject({ status: 'dead', error: 'attempt 1 of 1 lost: lease of crashed#1 expired' });
  });
});
