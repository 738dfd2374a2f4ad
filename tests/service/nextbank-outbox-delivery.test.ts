// The NextBank outbox delivery (service/nextbank/outbox-delivery.ts) run by the real job worker on a
// real database copy, commands queued by the app's own tele workflow, NextBank = the loopback fake.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobAttempts, jobQueue } from '../../db/schema';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import { createNextbankHandler } from '../../service/nextbank/outbox-delivery';
import { createIntegrationPolicy } from '../../service/resilience/integration-policies';
import type { NextbankFake } from '../../fakes/nextbank/server';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import {
  FAKE_PASSWORD,
  configFor,
  fcashClients,
  jobRow,
  nextbankWorker,
  pointerOf,
  queueMonthToUpdate,
  retryCommand,
  startFake,
  teleRow,
} from '../support/nextbank';

let fake: NextbankFake;
let t: TestDb;
let ctx: TestAppContext;
let logLines: string[];

beforeAll(async () => {
  fake = await startFake();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  logLines = [];
});
afterEach(() => t.close());

const policy = (o = {}) => createIntegrationPolicy('nextbank', { retries: 0, timeoutMs: 2_000, openMs: 60_000, initialDelayMs: 1, maxDelayMs: 5, ...o });
const worker = (o: { password?: string; fakeToUse?: NextbankFake; retries?: number } = {}) =>
  nextbankWorker(t.db, createNextbankHandler(configFor(o.fakeToUse ?? fake, o.password), { policy: policy({ retries: o.retries ?? 0 }) }), logLines);
/** Makes a job due now (its backoff skipped) and, optionally, its next attempt the last. */
async function makeDue(jobId: number, maxAttempts?: number) {
  await t.db
    .update(jobQueue)
    .set({ scheduledAt: new Date(0), ...(maxAttempts ? { maxAttempts } : {}) })
    .where(eq(jobQueue.id, jobId));
}

describe('NextBank outbox delivery: one trace (decision 094)', () => {
  it('each attempt is a new span of the trace that queued the job; NextBank receives a traceparent of that trace', async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id, '2026-12-01');
    const T = ctx.trace.traceId;
    expect((await jobRow(t.db, q.jobId)).traceParent).toBe(`00-${T}-${ctx.trace.spanId}-01`);
    expect((await teleRow(t.db, q.historyId)).traceId).toBe(T);

    fake.failWithStatus({ status: 503, times: 1, path: '/command/UpdateCustomer' });
    expect((await worker().runOnce())?.outcome).toBe('failed');
    await makeDue(q.jobId);
    expect((await worker().runOnce())?.outcome).toBe('done');

    const attempts = await t.db.select().from(jobAttempts).where(eq(jobAttempts.jobId, q.jobId)).orderBy(jobAttempts.id);
    expect(attempts.map((a) => [a.attempt, a.traceId, a.outcome])).toEqual([
      [1, T, 'failed'],
      [2, T, 'done'],
    ]);
    expect(attempts[0].spanId).not.toBe(attempts[1].spanId);
    expect(attempts[0].error).toMatch(/503/);

    const sent = fake.requests('/command/UpdateCustomer').map((r) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(r.traceparent ?? ''));
    expect(sent).toHaveLength(2);
    for (const m of sent) expect(m?.[1]).toBe(T);
    expect(sent[0]![2]).not.toBe(sent[1]![2]); // a new client span per attempt
    // The service's log lines of the job carry the trace, each attempt its own span.
    const jobLines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.jobId === q.jobId);
    expect(new Set(jobLines.map((l) => l.trace_id))).toEqual(new Set([T]));
    expect(new Set(jobLines.map((l) => l.span_id))).toEqual(new Set(attempts.map((a) => a.spanId)));
  });
});

describe('NextBank outbox delivery', () => {
  it('delivers a Month to Update: request and response on the tele history, pointer touched_status → touched_month', async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id, '2026-12-01');
    expect((await teleRow(t.db, q.historyId)).nextbankStatus).toBe('pending');
    expect(await pointerOf(t.db, c.id)).toBe('touched_status');

    const run = await worker().runOnce();
    expect(run?.outcome).toBe('done');

    const row = await teleRow(t.db, q.historyId);
    expect(row).toMatchObject({ nextbankStatus: 'confirmed', error: null, pointerAfter: 'touched_month' });
    expect(row.nextbankRequest).toEqual({
      method: 'POST',
      path: '/command/UpdateCustomer',
      idempotencyKey: q.idempotencyKey,
      body: { customerId: c.customerId, customFields: [{ name: 'Month to Update (MM/DD/YYYY)', value: '12/01/2026' }] },
    });
    expect(row.nextbankResponse).toMatchObject({ httpStatus: 200, replayed: false, body: { status: 'APPLIED', customerId: c.customerId } });
    expect(row.sentAt).not.toBeNull();
    expect(row.confirmedAt).not.toBeNull();
    expect(await pointerOf(t.db, c.id)).toBe('touched_month');
    expect((await jobRow(t.db, q.jobId)).status).toBe('done');

    const [sent] = fake.requests('/command/UpdateCustomer');
    expect(sent.idempotencyKey).toBe(q.idempotencyKey);
    expect(sent.body).toEqual((row.nextbankRequest as { body: unknown }).body);
    expect(fake.countsByKey().get(q.idempotencyKey)).toEqual({ received: 1, applied: 1 });
    expect(fake.customer(c.customerId)?.customFields['Month to Update (MM/DD/YYYY)']).toBe('12/01/2026');
  });

  it('a repeated delivery of a confirmed row sends nothing', async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id);
    const w = worker();
    await w.runOnce();
    const again = await enqueueJob(t.db, {
      queue: 'nextbank',
      idempotencyKey: 'test-duplicate-delivery',
      now: ctx.clock.now(),
      payload: { command: 'UpdateCustomer', teleHistoryId: q.historyId, clientId: c.id, idempotencyKey: q.idempotencyKey, monthToUpdate: '2026-12-01' },
    });
    expect((await w.runOnce())?.outcome).toBe('done');
    expect((await jobRow(t.db, again.id)).progress?.message).toMatch(/^already confirmed at .*; nothing sent$/);
    expect(fake.requests('/command/UpdateCustomer')).toHaveLength(1);
    expect(fake.countsByKey().get(q.idempotencyKey)).toEqual({ received: 1, applied: 1 });
  });

  it('401: a clear error on the row and the job, the pointer stays, the password is never logged', async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id);
    const w = worker({ password: 'not the password' });
    expect((await w.runOnce())?.outcome).toBe('failed');
    let row = await teleRow(t.db, q.historyId);
    expect(row.nextbankStatus).toBe('sent'); // retries remain: still waiting for NextBank
    expect(row.error).toMatch(/refused the service's credentials \(HTTP 401\).*check NEXTBANK_USERNAME and NEXTBANK_PASSWORD \(attempt 1 of 8, will retry\)/);
    expect((await jobRow(t.db, q.jobId)).lastError).toMatch(/HTTP 401/);
    expect(await pointerOf(t.db, c.id)).toBe('touched_status');

    await makeDue(q.jobId, 2);
    expect((await w.runOnce())?.outcome).toBe('dead');
    row = await teleRow(t.db, q.historyId);
    expect(row.nextbankStatus).toBe('failed');
    expect(row.error).toMatch(/HTTP 401.*\(attempt 2 of 2, no retry left\)/);
    expect(await pointerOf(t.db, c.id)).toBe('touched_status');
    expect(fake.countsByKey().get(q.idempotencyKey)).toEqual({ received: 2, applied: 0 });
    const logs = logLines.join('\n');
    expect(logs).toContain('HTTP 401');
    expect(logs).not.toContain('not the password');
    expect(logs).not.toContain(FAKE_PASSWORD);
  });

  it('a malformed reply on the last attempt: failed with the error, pointer unchanged', async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id);
    await makeDue(q.jobId, 1);
    fake.malformedReply({ times: 1 });
    expect((await worker().runOnce())?.outcome).toBe('dead');
    const row = await teleRow(t.db, q.historyId);
    expect(row.nextbankStatus).toBe('failed');
    expect(row.error).toMatch(/NextBank UpdateCustomer: malformed reply \(HTTP 200, not JSON.*no retry left/);
    expect(row.confirmedAt).toBeNull();
    expect(await pointerOf(t.db, c.id)).toBe('touched_status');
  });

  it('a reply lost after NextBank applied it: the row stays sent, the next attempt is answered from the store, applied once', async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id);
    fake.dropConnection({ times: 1, afterApply: true });
    const w = worker();
    expect((await w.runOnce())?.outcome).toBe('failed');
    const waiting = await teleRow(t.db, q.historyId);
    expect(waiting.nextbankStatus).toBe('sent');
    expect(waiting.error).toMatch(/connection failed.*will retry/);
    expect(await pointerOf(t.db, c.id)).toBe('touched_status');

    await makeDue(q.jobId);
    expect((await w.runOnce())?.outcome).toBe('done');
    const row = await teleRow(t.db, q.historyId);
    expect(row).toMatchObject({ nextbankStatus: 'confirmed', error: null });
    expect(row.nextbankResponse).toMatchObject({ replayed: true });
    expect(fake.countsByKey().get(q.idempotencyKey)).toEqual({ received: 2, applied: 1 });
    expect(await pointerOf(t.db, c.id)).toBe('touched_month');
  });

  it("the agent's retry after a failed delivery resends the same key: confirmed, applied once", async () => {
    const [c] = await fcashClients(t.db, 1);
    const q = await queueMonthToUpdate(ctx, c.id);
    await makeDue(q.jobId, 1);
    fake.dropConnection({ times: 1, afterApply: true });
    const w = worker();
    expect((await w.runOnce())?.outcome).toBe('dead');
    expect((await teleRow(t.db, q.historyId)).nextbankStatus).toBe('failed');

    const retry = await retryCommand(ctx, c.id, q.historyId);
    expect(retry.idempotencyKey).toBe(q.idempotencyKey);
    expect((await w.runOnce())?.outcome).toBe('done');
    expect(await teleRow(t.db, retry.historyId)).toMatchObject({ action: 'retry', nextbankStatus: 'confirmed', pointerAfter: 'touched_month' });
    expect((await teleRow(t.db, q.historyId)).nextbankStatus).toBe('failed');
    expect(fake.countsByKey().get(q.idempotencyKey)).toEqual({ received: 2, applied: 1 });
    expect(await pointerOf(t.db, c.id)).toBe('touched_month');
  });

  it('a customer NextBank does not know: failed at once (no retry can help), nothing applied', async () => {
    const strict = await startFake({ knownCustomers: [] });
    try {
      const [c] = await fcashClients(t.db, 1);
      const q = await queueMonthToUpdate(ctx, c.id);
      expect((await worker({ fakeToUse: strict }).runOnce())?.outcome).toBe('dead');
      const row = await teleRow(t.db, q.historyId);
      expect(row.nextbankStatus).toBe('failed');
      expect(row.error).toMatch(/rejected UpdateCustomer: HTTP 404 CUSTOMER_NOT_FOUND/);
      expect(row.nextbankResponse).toEqual({ httpStatus: 404, code: 'CUSTOMER_NOT_FOUND' });
      expect((await jobRow(t.db, q.jobId)).attempts).toBe(1);
      expect(await pointerOf(t.db, c.id)).toBe('touched_status');
    } finally {
      await strict.stop();
    }
  });

  it('a payload that does not match its outbox row goes dead at once and sends nothing', async () => {
    const [a, b] = await fcashClients(t.db, 2);
    const q = await queueMonthToUpdate(ctx, a.id);
    await t.db.update(jobQueue).set({ status: 'cancelled' }).where(eq(jobQueue.id, q.jobId));
    const wrong = await enqueueJob(t.db, {
      queue: 'nextbank',
      now: ctx.clock.now(),
      payload: { command: 'UpdateCustomer', teleHistoryId: q.historyId, clientId: b.id, idempotencyKey: q.idempotencyKey, monthToUpdate: '2026-12-01' },
    });
    expect((await worker().runOnce())?.outcome).toBe('dead');
    expect((await jobRow(t.db, wrong.id)).lastError).toMatch(/payload does not match tele history row/);
    expect((await teleRow(t.db, q.historyId)).nextbankStatus).toBe('pending');
    expect(fake.requests()).toHaveLength(0);
  });

  it('breaker open: the job is retried later, nothing is sent, the row keeps pending with the reason', async () => {
    const [a, b] = await fcashClients(t.db, 2);
    const qa = await queueMonthToUpdate(ctx, a.id);
    const qb = await queueMonthToUpdate(ctx, b.id);
    fake.failWithStatus({ status: 503 });
    const w = worker({ retries: 2 });
    expect((await w.runOnce())?.job.id).toBe(qa.jobId);
    expect(fake.requests()).toHaveLength(3); // 3 failed requests open NextBank's breaker
    expect(await teleRow(t.db, qa.historyId)).toMatchObject({ nextbankStatus: 'sent' });
    expect((await w.runOnce())?.job.id).toBe(qb.jobId);
    expect(fake.requests()).toHaveLength(3);
    const row = await teleRow(t.db, qb.historyId);
    expect(row).toMatchObject({ nextbankStatus: 'pending', sentAt: null });
    expect(row.error).toMatch(/nextbank circuit breaker is open: call not sent.*will retry/);
    // Deferred, not failed: nothing reached NextBank, so the attempt is not spent.
    expect(await jobRow(t.db, qb.jobId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await jobRow(t.db, qb.jobId)).lastError).toMatch(/circuit breaker is open/);
  });
});
