// The period_init job on the seeded database (2000 clients, periods up to 2026-11 / 2026-Q4).
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityLogs, jobAttempts, clientPeriodStatus } from '../../db/schema';
import { writeTransaction } from '../../app/platform/write-queue';
import { periodInitHandler } from '../../service/maintenance/period-init';
import type { JobHandler } from '../../service/jobs/handler';
import { createTestDb, type TestDb } from '../support/db';
import { enqueue, jobRow, movableClock, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock;
beforeEach(async () => {
  t = await createTestDb();
  clock = movableClock();
});
afterEach(async () => {
  await t.close();
});

const rowsOf = async (key: string) =>
  Number(
    (
      await t.db
        .select({ n: sql<number>`count(*)` })
        .from(clientPeriodStatus)
        .where(eq(clientPeriodStatus.periodKey, key))
    )[0].n,
  );

/** Eligible for a monthly period, written independently of initializePeriod's SQL. */
async function eligibleMonthly(): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(sql`
    select count(*) as n from clients c
    join products p on p.id = c.product_id join par_statuses ps on ps.id = c.par_status_id
    where c.is_active = 1 and c.deleted_at is null and ps.is_trackable = 1 and p.tracking_cycle = 'monthly'
      and c.id not in (select client_id from client_period_status where is_terminal = 1)`);
  return Number(row.n);
}

describe('period_init job', () => {
  it('creates the given period for every eligible client, once, and logs the report', async () => {
    const worker = testWorker(t.db, clock, { period_init: periodInitHandler });
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload: { periodKey: '2026-12' } });
    expect(await rowsOf('2026-12')).toBe(0);
    expect((await worker.runOnce())?.outcome).toBe('done');

    const expected = await eligibleMonthly();
    expect(expected).toBeGreaterThan(1000);
    expect(await rowsOf('2026-12')).toBe(expected);
    expect((await jobRow(t.db, id)).progress).toEqual({ message: `2026-12: ${expected} created, 0 already present` });
    const pending = await t.db.all<{ code: string; n: number }>(sql`
      select st.code, count(*) as n from client_period_status cps join status_types st on st.id = cps.status_type_id
      where cps.period_key = '2026-12' group by st.code`);
    expect(pending).toEqual([{ code: 'PENDING', n: expected }]);
    const [log] = await t.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.action, 'period.initialized'), eq(activityLogs.resourceId, '2026-12')));
    // A job's rows carry its attempt's trace id (decision 094): the job_attempts row names it.
    const [attempt] = await t.db.select().from(jobAttempts).where(eq(jobAttempts.jobId, id));
    expect(log).toMatchObject({ userId: null, requestId: attempt.traceId, details: { periodKey: '2026-12', created: expected, trigger: 'job', jobId: id } });

    // Again (a retried or duplicate job): nothing new.
    const again = await enqueue(t.db, clock, { queue: 'period_init', payload: { periodKey: '2026-12' } });
    expect((await worker.runOnce())?.outcome).toBe('done');
    expect(await rowsOf('2026-12')).toBe(expected);
    expect((await jobRow(t.db, again)).progress).toEqual({ message: `2026-12: 0 created, ${expected} already present` });
  });

  it('waits for a transaction holding the write turn (no wrapper at its call sites), then writes its rows and its log: no deadlock', async () => {
    // Another job's transaction holds the turn (and the file lock) while this job's handler runs.
    const order: string[] = [];
    let rowsWhileHeld = -1;
    const handler: JobHandler = async (payload, run) => {
      let release!: () => void;
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const holder = writeTransaction(t.db, async (tx) => {
        await tx.run(sql`insert into activity_logs (action, created_at) values ('test.holder', 0)`);
        entered();
        await new Promise<void>((resolve) => (release = resolve));
      }).finally(() => order.push('transaction committed'));
      await inside;
      const initialized = periodInitHandler(payload, run).finally(() => order.push('period_init done'));
      await new Promise((resolve) => setTimeout(resolve, 150)); // time to reach SQLite's lock, had it not waited
      rowsWhileHeld = await rowsOf('2026-12'); // a read: it does not wait for the turn
      expect(order).toEqual([]);
      release();
      await holder;
      return initialized;
    };
    const worker = testWorker(t.db, clock, { period_init: handler });
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload: { periodKey: '2026-12' } });
    expect((await worker.runOnce())?.outcome).toBe('done');

    expect(rowsWhileHeld).toBe(0);
    expect(order).toEqual(['transaction committed', 'period_init done']);
    const expected = await eligibleMonthly();
    expect(await rowsOf('2026-12')).toBe(expected);
    expect((await jobRow(t.db, id)).progress).toEqual({ message: `2026-12: ${expected} created, 0 already present` });
    const logs = await t.db.select().from(activityLogs).where(eq(activityLogs.action, 'period.initialized'));
    expect(logs).toHaveLength(1);
  });

  it('without a period, initializes the current period of the type in Manila time (as the schedule does)', async () => {
    const worker = testWorker(t.db, clock, { period_init: periodInitHandler });
    clock.set(new Date('2026-11-30T16:05:00.000Z')); // 00:05 on 1 December in Manila, still 30 November in UTC
    await enqueue(t.db, clock, { queue: 'period_init', payload: { periodType: 'monthly' } });
    expect((await worker.runOnce())?.outcome).toBe('done');
    expect(await rowsOf('2026-12')).toBe(await eligibleMonthly());

    clock.set(new Date('2026-12-31T16:10:00.000Z')); // 1 January 2027 in Manila
    await enqueue(t.db, clock, { queue: 'period_init', payload: { periodType: 'quarterly' } });
    expect((await worker.runOnce())?.outcome).toBe('done');
    expect(await rowsOf('2027-Q1')).toBeGreaterThan(100);
    expect(await rowsOf('2027-01')).toBe(0);
  });

  it.each([
    [{ periodKey: '2026-13' }, 'periodKey "2026-13" is not a period'],
    [{ periodKey: '2026-Q4', periodType: 'monthly' }, 'periodKey "2026-Q4" is not a monthly period'],
    [{ periodType: 'weekly' }, 'invalid period_init payload'],
    [{ companyCode: 'FCASH' }, 'companyCode is not supported'],
  ])('a bad payload %j is dead at once with a clear error, and nothing is written', async (payload, message) => {
    const before = Number((await t.db.all<{ n: number }>(sql`select count(*) as n from client_period_status`))[0].n);
    const worker = testWorker(t.db, clock, { period_init: periodInitHandler });
    const id = await enqueue(t.db, clock, { queue: 'period_init', payload });
    expect((await worker.runOnce())?.outcome).toBe('dead');
    const job = await jobRow(t.db, id);
    expect(job.attempts).toBe(1);
    expect(job.lastError).toContain(message);
    expect(Number((await t.db.all<{ n: number }>(sql`select count(*) as n from client_period_status`))[0].n)).toBe(before);
  });
});
