// The NextBank payment sync as a scheduled job (decision 046): the seeded schedule fires into queue
// 'nextbank_sync', the real JobWorker runs it against the NextBank fake, and the database changes
// exactly as runPaymentSync documents (has_payment raised, touched_month → current), nothing else.
// An open breaker defers the job without spending an attempt.
import { Cron } from 'croner';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientPeriodStatus, clients, companies, jobQueue, scheduledJobRuns, scheduledJobs } from '../../db/schema';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import { jobHandlers } from '../../service/handlers';
import { createNextbankClient } from '../../service/nextbank/client';
import { paymentSyncHandlerFor } from '../../service/nextbank/payment-sync-job';
import { createIntegrationPolicy } from '../../service/resilience/integration-policies';
import { Scheduler } from '../../service/scheduler/scheduler';
import type { NextbankFake } from '../../fakes/nextbank/server';
import { createTestDb, type TestDb } from '../support/db';
import { configFor, startFake } from '../support/nextbank';
import { collectingLogger, movableClock, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock; // 2026-11-15T02:00Z = Sunday 10:00 in Manila
const fakes: NextbankFake[] = [];
let fake: NextbankFake;

beforeAll(async () => {
  fake = await startFake();
  fakes.push(fake);
});
afterAll(async () => {
  for (const f of fakes) await f.stop();
});
beforeEach(async () => {
  fake.reset();
  t = await createTestDb();
  clock = movableClock();
});
afterEach(() => t.close());

const policy = () => createIntegrationPolicy('nextbank', { retries: 0, timeoutMs: 2_000, openMs: 60_000, initialDelayMs: 1, maxDelayMs: 5 });
const worker = (client: ReturnType<typeof createNextbankClient>) =>
  testWorker(t.db, clock, { nextbank_sync: paymentSyncHandlerFor(client) }, { queues: ['nextbank_sync'] });
const seededSchedule = async () => (await t.db.select().from(scheduledJobs).where(eq(scheduledJobs.code, 'nextbank_payment_sync')))[0];

/** FCASH clients with a NextBank id, pointer current and a 2026-11 row set to has_payment = no. */
async function fcashWithNovemberRow(n: number) {
  const rows = await t.db
    .select({ id: clients.id, customerId: clients.customerIdNb, statusId: clientPeriodStatus.id })
    .from(clients)
    .innerJoin(companies, eq(companies.id, clients.companyId))
    .innerJoin(clientPeriodStatus, and(eq(clientPeriodStatus.clientId, clients.id), eq(clientPeriodStatus.periodKey, '2026-11')))
    .where(and(eq(companies.code, 'FCASH'), isNotNull(clients.customerIdNb), eq(clients.pointer, 'current')))
    .orderBy(clients.id)
    .limit(n);
  await t.db
    .update(clientPeriodStatus)
    .set({ hasPayment: false })
    .where(
      inArray(
        clientPeriodStatus.id,
        rows.map((r) => r.statusId),
      ),
    );
  return rows.map((r) => ({ ...r, customerId: r.customerId as string }));
}

/** Every client's pointer and every period row's has_payment/version, to diff a run against. */
async function snapshot() {
  const c = await t.db.select({ id: clients.id, pointer: clients.pointer, updatedAt: clients.updatedAt }).from(clients);
  const s = await t.db
    .select({ id: clientPeriodStatus.id, hasPayment: clientPeriodStatus.hasPayment, version: clientPeriodStatus.version })
    .from(clientPeriodStatus);
  return { clients: new Map(c.map((r) => [r.id, r])), statuses: new Map(s.map((r) => [r.id, r])) };
}
function changed<T>(before: Map<number, T>, after: Map<number, T>) {
  const out = new Map<number, { from: T; to: T }>();
  for (const [id, row] of after) if (JSON.stringify(before.get(id)) !== JSON.stringify(row)) out.set(id, { from: before.get(id) as T, to: row });
  expect(after.size).toBe(before.size);
  return out;
}

describe('NextBank payment sync schedule', () => {
  it('is seeded: queue nextbank_sync, hourly Mon–Sat 08:15–18:15 Manila, enabled, a cron croner reads', async () => {
    const row = await seededSchedule();
    expect(row).toMatchObject({ queue: 'nextbank_sync', cron: '15 8-18 * * 1-6', timezone: 'Asia/Manila', isEnabled: true, payload: {} });
    const cron = new Cron(row.cron, { timezone: row.timezone, paused: true });
    // Sunday 10:00 → Monday 08:15 Manila; then hourly to 18:15; then the next morning.
    const runs = cron.nextRuns(12, clock.now()).map((d) => d.toISOString());
    expect(runs[0]).toBe('2026-11-16T00:15:00.000Z');
    expect(runs[10]).toBe('2026-11-16T10:15:00.000Z'); // 18:15
    expect(runs[11]).toBe('2026-11-17T00:15:00.000Z');
  });

  it('the seeded schedule fires, the worker runs it against NextBank, and only has_payment and touched_month pointers change', async () => {
    const [paid, readBack, unknownTouched] = await fcashWithNovemberRow(3);
    await t.db
      .update(clients)
      .set({ pointer: 'touched_month' })
      .where(inArray(clients.id, [readBack.id, unknownTouched.id]));
    // This NextBank knows two customers: every other FCASH client is "not found" and must stay as it is.
    const bank = await startFake({ knownCustomers: [paid.customerId, readBack.customerId] });
    fakes.push(bank);
    bank.setPayments(paid.customerId, [{ paymentId: 'p-nov', postedOn: '2026-11-05', amount: '1250.00', currency: 'PHP' }]);
    bank.setPayments(readBack.customerId, [{ paymentId: 'p-oct', postedOn: '2026-10-30', amount: '900.00', currency: 'PHP' }]);

    const scheduler = new Scheduler({ db: t.db, clock, logger: collectingLogger() });
    await scheduler.pass();
    clock.set(new Date('2026-11-16T00:15:00.000Z')); // Monday 08:15 in Manila
    expect((await scheduler.pass()).fired).toContain('nextbank_payment_sync');
    const schedule = await seededSchedule();
    const [run] = await t.db.select().from(scheduledJobRuns).where(eq(scheduledJobRuns.scheduledJobId, schedule.id));
    const before = await snapshot();

    const outcome = await worker(createNextbankClient(configFor(bank), { policy: policy() })).runOnce();
    expect(outcome).toMatchObject({ outcome: 'done', job: { id: run.jobQueueId, queue: 'nextbank_sync' } });

    const after = await snapshot();
    const statusChanges = changed(before.statuses, after.statuses);
    expect([...statusChanges.keys()]).toEqual([paid.statusId]);
    expect(statusChanges.get(paid.statusId)?.to).toEqual({ id: paid.statusId, hasPayment: true, version: before.statuses.get(paid.statusId)!.version + 1 });
    const clientChanges = changed(before.clients, after.clients);
    expect([...clientChanges.keys()]).toEqual([readBack.id]); // the unknown one keeps touched_month
    expect(clientChanges.get(readBack.id)?.to).toMatchObject({ pointer: 'current', updatedAt: clock.now() });

    const [job] = await t.db.select().from(jobQueue).where(eq(jobQueue.id, run.jobQueueId!));
    expect(job).toMatchObject({ status: 'done', attempts: 1 });
    expect(job.progress?.message).toMatch(
      /^NextBank sync 2026-11: \d+ clients read, \d+ not found in NextBank, 1 with a payment, 1 has_payment set to yes, 1 pointers back to current$/,
    );
    const queries = bank.requests('/query/PaymentHistory');
    expect(queries.length).toBeGreaterThan(1); // every FCASH client, 100 per call
    expect(queries[0].body).toMatchObject({ from: '2026-11-01', to: '2026-11-16' });
    expect((await t.db.select().from(scheduledJobRuns).where(eq(scheduledJobRuns.id, run.id)))[0].status).toBe('done');
  });

  it('breaker open: the job is deferred, no attempt spent, nothing sent, nothing changed', async () => {
    const [paid] = await fcashWithNovemberRow(1);
    fake.setPayments(paid.customerId, [{ paymentId: 'p-nov', postedOn: '2026-11-05', amount: '1250.00', currency: 'PHP' }]);
    const client = createNextbankClient(configFor(fake), { policy: policy() });
    fake.failWithStatus({ status: 503, times: 3 });
    for (let i = 0; i < 3; i += 1) await expect(client.ping()).rejects.toMatchObject({ httpStatus: 503 });
    expect(client.policy.breakerState()).toBe('open');
    const sentBefore = fake.requests().length;

    const job = await enqueueJob(t.db, { queue: 'nextbank_sync', payload: {}, now: clock.now() });
    const before = await snapshot();
    expect((await worker(client).runOnce())?.job.id).toBe(job.id);

    const [row] = await t.db.select().from(jobQueue).where(eq(jobQueue.id, job.id));
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.lastError).toMatch(/circuit breaker is open/);
    expect(row.scheduledAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(fake.requests()).toHaveLength(sentBefore);
    const after = await snapshot();
    expect(changed(before.statuses, after.statuses).size).toBe(0);
    expect(changed(before.clients, after.clients).size).toBe(0);
  });

  it('a bad payload goes dead at once and reads nothing', async () => {
    const job = await enqueueJob(t.db, { queue: 'nextbank_sync', payload: { clientIds: [1] }, now: clock.now() });
    expect((await worker(createNextbankClient(configFor(fake), { policy: policy() })).runOnce())?.outcome).toBe('dead');
    const [row] = await t.db.select().from(jobQueue).where(eq(jobQueue.id, job.id));
    expect(row.lastError).toMatch(/nextbank_sync job: bad payload/);
    expect(fake.requests()).toHaveLength(0);
  });

  it('is registered only when NEXTBANK_* is configured (like the outbox delivery)', () => {
    expect(jobHandlers({ env: {} }).nextbank_sync).toBeUndefined();
    const env = { NEXTBANK_URL: fake.url, NEXTBANK_USERNAME: 'u', NEXTBANK_PASSWORD: 'p' };
    expect(jobHandlers({ env }).nextbank_sync).toBeTypeOf('function');
    expect(() => jobHandlers({ env: { NEXTBANK_URL: fake.url } })).toThrow(/NEXTBANK_USERNAME/);
  });
});
