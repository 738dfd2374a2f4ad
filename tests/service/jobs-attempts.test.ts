// A running attempt (real timers, short leases): heartbeats, lease loss, cancel, timeout,
// per-queue concurrency and graceful stop.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobQueue } from '../../db/schema';
import type { JobRunContext } from '../../service/jobs/handler';
import type { JobWorker } from '../../service/jobs/worker';
import { createTestDb, type TestDb } from '../support/db';
import { enqueue, eventually, gate, jobRow, movableClock, runRow, runRowFor, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock;
let worker: JobWorker | undefined;
beforeEach(async () => {
  t = await createTestDb({ seeded: false });
  clock = movableClock();
});
afterEach(async () => {
  await worker?.stop(0);
  worker = undefined;
  await t.close();
});

/** Resolves with the abort reason when the handler's signal fires (or after 10 s). */
const untilAborted = (run: JobRunContext) =>
  new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('never aborted')), 10_000);
    run.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(run.signal.reason);
      },
      { once: true },
    );
  });

describe('a running attempt', () => {
  it('heartbeats push the lease forward while the handler runs', async () => {
    const finish = gate();
    worker = testWorker(t.db, clock, { sync: () => finish.promise.then(() => 'synced') }, { policies: { sync: { leaseMs: 90 } } });
    const id = await enqueue(t.db, clock, { queue: 'sync', payload: { mode: 'full' } });
    const attempt = worker.runOnce();
    await eventually(async () => (await jobRow(t.db, id)).status === 'running', 'the claim');
    clock.advance(10 * 60_000); // ten minutes later the worker is still alive and says so
    await eventually(async () => (await jobRow(t.db, id)).leaseExpiresAt?.getTime() === clock.now().getTime() + 90, 'a heartbeat');
    finish.open();
    expect((await attempt)?.outcome).toBe('done');
  });

  it('is aborted when its lease was taken over, and then writes nothing', async () => {
    let reason: unknown;
    worker = testWorker(
      t.db,
      clock,
      {
        sync: async (_payload, run) => {
          reason = await untilAborted(run);
          throw reason;
        },
      },
      { policies: { sync: { leaseMs: 90 } } },
    );
    const id = await enqueue(t.db, clock, { queue: 'sync', payload: { mode: 'full' } });
    const attempt = worker.runOnce();
    await eventually(async () => (await jobRow(t.db, id)).status === 'running', 'the claim');
    // Another instance took it over (as after an expired lease).
    await t.db.update(jobQueue).set({ leaseOwner: 'other-instance#1' }).where(eq(jobQueue.id, id));
    expect((await attempt)?.outcome).toBe('lost');
    expect((reason as Error).name).toBe('LeaseLostError');
    expect(await jobRow(t.db, id)).toMatchObject({ status: 'running', leaseOwner: 'other-instance#1', lastError: null });
  });

  it('is aborted at the next heartbeat when an admin cancels it; the run row says cancelled', async () => {
    let aborted = false;
    worker = testWorker(
      t.db,
      clock,
      {
        export: async (_payload, run) => {
          await untilAborted(run);
          aborted = true;
          throw new Error('stopped');
        },
      },
      { policies: { export: { leaseMs: 90 } } },
    );
    const id = await enqueue(t.db, clock, { queue: 'export', payload: { exportJobId: 1 } });
    const runId = await runRowFor(t.db, id);
    const attempt = worker.runOnce();
    await eventually(async () => (await jobRow(t.db, id)).status === 'running', 'the claim');
    // What the Jobs screen's cancel writes (app/core/jobs/queue-admin.server.ts).
    await t.db.update(jobQueue).set({ status: 'cancelled', finishedAt: clock.now(), lastError: 'Cancelled by an admin' }).where(eq(jobQueue.id, id));
    expect((await attempt)?.outcome).toBe('lost');
    expect(aborted).toBe(true);
    expect(await jobRow(t.db, id)).toMatchObject({ status: 'cancelled', lastError: 'Cancelled by an admin' });
    expect(await runRow(t.db, runId)).toMatchObject({ status: 'cancelled', error: 'Cancelled by an admin', finishedAt: clock.now() });
  });

  it('times out after its queue timeout and is retried later, with the timeout as its error', async () => {
    worker = testWorker(
      t.db,
      clock,
      { nextbank: (_payload, run) => untilAborted(run).then((r) => Promise.reject(r)) },
      {
        policies: { nextbank: { timeoutMs: 60, leaseMs: 5_000 } },
      },
    );
    const id = await enqueue(t.db, clock, { queue: 'nextbank', payload: {} });
    expect((await worker.runOnce())?.outcome).toBe('failed');
    expect(await jobRow(t.db, id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'JobTimeoutError: timed out after 60 ms' });
  });

  it('a handler that ignores the abort is given up on after the grace period', async () => {
    const never = gate();
    worker = testWorker(t.db, clock, { nextbank: () => never.promise }, { policies: { nextbank: { timeoutMs: 30 } }, abortGraceMs: 50 });
    const id = await enqueue(t.db, clock, { queue: 'nextbank', payload: {} });
    expect((await worker.runOnce())?.outcome).toBe('failed');
    expect((await jobRow(t.db, id)).lastError).toBe('JobTimeoutError: timed out after 30 ms');
    never.open();
  });
});

describe('the worker loop', () => {
  it('runs at most the queue concurrency at once and then drains the queue', async () => {
    const release = gate();
    let now = 0;
    let peak = 0;
    worker = testWorker(
      t.db,
      clock,
      {
        nextbank: async () => {
          peak = Math.max(peak, ++now);
          await release.promise;
          now--;
        },
      },
      { policies: { nextbank: { concurrency: 2 } } },
    );
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await enqueue(t.db, clock, { queue: 'nextbank', payload: { i } }));
    worker.start();
    await eventually(() => worker!.runningCount('nextbank') === 2, 'two running');
    await new Promise((r) => setTimeout(r, 150)); // several polls: still two
    const running = await t.db.select().from(jobQueue).where(eq(jobQueue.status, 'running'));
    expect(running).toHaveLength(2);
    release.open();
    await eventually(async () => (await t.db.select().from(jobQueue).where(eq(jobQueue.status, 'done'))).length === 6, 'all done');
    expect(peak).toBe(2);
  });

  it('stops gracefully: a job that finishes within the grace completes, one that does not is handed back', async () => {
    const quick = gate();
    worker = testWorker(t.db, clock, {
      period_init: () => quick.promise.then(() => 'quick done'),
      sync: (_payload, run) => untilAborted(run).then((r) => Promise.reject(r)),
    });
    const fast = await enqueue(t.db, clock, { queue: 'period_init', payload: {} });
    const slow = await enqueue(t.db, clock, { queue: 'sync', payload: { mode: 'full' } });
    worker.start();
    await eventually(() => worker!.runningCount() === 2, 'both running');
    const stopped = worker.stop(300);
    setTimeout(() => quick.open(), 50);
    await stopped;
    expect((await jobRow(t.db, fast)).status).toBe('done');
    // Released: pending again at once, the interrupted attempt not counted, no lease.
    expect(await jobRow(t.db, slow)).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null, scheduledAt: clock.now() });
    // A new job enqueued after the stop is not claimed.
    const after = await enqueue(t.db, clock, { queue: 'period_init', payload: {} });
    await new Promise((r) => setTimeout(r, 100));
    expect((await jobRow(t.db, after)).status).toBe('pending');
  });
});
