// The performance snapshots follow the status writes (decision 092): the scheduler's watcher compares
// the newest status event with the current periods' computed_at and enqueues one refresh, after a
// quiet minute or at most 5 minutes behind, on the seeded database.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobQueue } from '../../db/schema';
import { performanceHandler } from '../../service/maintenance/performance-snapshots';
import { MAX_LAG_MS, QUIET_MS, refreshStaleSnapshots, snapshotFreshness } from '../../service/maintenance/snapshot-freshness';
import { Scheduler } from '../../service/scheduler/scheduler';
import { createTestDb, type TestDb } from '../support/db';
import { collectingLogger, enqueue, movableClock, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock;
const logger = collectingLogger();
// After the seed's last status event of the day.
const START = new Date('2026-11-15T12:00:00.000Z');

beforeEach(async () => {
  t = await createTestDb();
  clock = movableClock(START);
});
afterEach(async () => {
  await t.close();
});

const performanceJobs = () => t.db.select().from(jobQueue).where(eq(jobQueue.queue, 'performance'));

/** A status write at the clock's now: the newest event of the trail gets this time. */
async function statusWriteNow() {
  await t.db.run(sql`update status_events set created_at = ${clock.now().getTime()} where id = (select max(id) from status_events)`);
}

/** Runs every pending performance job (the service's worker). */
async function runRefresh() {
  const worker = testWorker(t.db, clock, { performance: performanceHandler });
  while ((await worker.runOnce()) !== null);
}

describe('performance snapshot freshness', () => {
  it('no figures for the current periods yet: one refresh at once, however often the watcher looks', async () => {
    expect(await snapshotFreshness(t.db, clock.now())).toEqual({ state: 'stale', key: 'performance:after:2026-11+2026-Q4:0' });
    const id = await refreshStaleSnapshots(t.db, clock, logger);
    expect(id).not.toBeNull();
    expect(await refreshStaleSnapshots(t.db, clock, logger)).toBeNull();
    const jobs = await performanceJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].payload).toEqual({});
    await runRefresh();
    expect(await snapshotFreshness(t.db, clock.now())).toEqual({ state: 'fresh' });
  });

  it('a status write: nothing during the quiet minute, then one refresh; fresh again after it ran', async () => {
    await enqueue(t.db, clock, { queue: 'performance', payload: {} });
    await runRefresh();
    const before = (await performanceJobs()).length;

    clock.advance(10_000);
    await statusWriteNow();
    clock.advance(QUIET_MS - 1_000);
    expect(await snapshotFreshness(t.db, clock.now())).toMatchObject({ state: 'waiting' });
    expect(await refreshStaleSnapshots(t.db, clock, logger)).toBeNull();

    clock.advance(1_000);
    expect(await refreshStaleSnapshots(t.db, clock, logger)).not.toBeNull();
    expect(await refreshStaleSnapshots(t.db, clock, logger)).toBeNull();
    expect(await performanceJobs()).toHaveLength(before + 1);
    await runRefresh();
    expect(await snapshotFreshness(t.db, clock.now())).toEqual({ state: 'fresh' });
  });

  it('writes that never pause: a refresh at the latest MAX_LAG after the last computation', async () => {
    await enqueue(t.db, clock, { queue: 'performance', payload: {} });
    await runRefresh();
    const computed = clock.now().getTime();
    let queued: number | null = null;
    while (queued === null && clock.now().getTime() - computed < MAX_LAG_MS + 60_000) {
      clock.advance(20_000);
      await statusWriteNow();
      queued = await refreshStaleSnapshots(t.db, clock, logger);
    }
    expect(queued).not.toBeNull();
    expect(clock.now().getTime() - computed).toBeGreaterThanOrEqual(MAX_LAG_MS);
    expect(clock.now().getTime() - computed).toBeLessThan(MAX_LAG_MS + 20_000);
  });

  it('the scheduler runs the watcher on its pass', async () => {
    const scheduler = new Scheduler({
      db: t.db,
      clock,
      logger,
      watchers: [{ name: 'performance-snapshots', run: () => refreshStaleSnapshots(t.db, clock, logger) }],
    });
    await scheduler.pass();
    expect(await performanceJobs()).toHaveLength(1);
  });
});

describe('performance snapshot freshness without client rows', () => {
  it('an empty database, or a period nobody is tracked in, asks for nothing', async () => {
    const empty = await createTestDb({ seeded: false });
    try {
      expect(await snapshotFreshness(empty.db, START)).toEqual({ state: 'fresh' });
      expect(await refreshStaleSnapshots(empty.db, movableClock(START), logger)).toBeNull();
    } finally {
      await empty.close();
    }
  });
});
