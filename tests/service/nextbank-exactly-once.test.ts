// Issue 5 "done means": NextBank 5xx opens the breaker after 3 failures, no request reaches NextBank
// while it is open, deliveries resume after recovery, and every queued Month to Update is delivered
// exactly once (the fake counts idempotency keys). The real job worker runs in the background
// against a real database copy; failures are injected into the fake mid-run.
import { eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientTeleHistory, clients, jobQueue } from '../../db/schema';
import { createNextbankHandler } from '../../service/nextbank/outbox-delivery';
import { createIntegrationPolicy, type BreakerStateName, type IntegrationPolicy } from '../../service/resilience/integration-policies';
import type { JobWorker } from '../../service/jobs/worker';
import type { NextbankFake } from '../../fakes/nextbank/server';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { configFor, fcashClients, nextbankWorker, queueMonthToUpdate, startFake, until } from '../support/nextbank';

let fake: NextbankFake;
let t: TestDb;
let ctx: TestAppContext;
let worker: JobWorker | undefined;

beforeAll(async () => {
  fake = await startFake();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(async () => {
  await worker?.stop(2_000);
  worker = undefined;
  await t.close();
});

const updates = () => fake.requests('/command/UpdateCustomer');

/** Queues n commands through the app; the months differ so each key's request is distinct. */
async function queue(n: number) {
  const list = await fcashClients(t.db, n);
  const queued = [];
  for (const [i, c] of list.entries()) {
    const month = `2027-${String((i % 12) + 1).padStart(2, '0')}-01`;
    queued.push({ ...c, month, ...(await queueMonthToUpdate(ctx, c.id, month)) });
  }
  // The run proves exactly-once delivery, not the attempt budget: fast backoffs here would spend
  // the default 8 attempts within one open-breaker window (production backoff starts at 5 s).
  await t.db.update(jobQueue).set({ maxAttempts: 100 }).where(eq(jobQueue.queue, 'nextbank'));
  return queued;
}

async function confirmedCount(ids: number[]) {
  const rows = await t.db.select({ s: clientTeleHistory.nextbankStatus }).from(clientTeleHistory).where(inArray(clientTeleHistory.id, ids));
  return rows.filter((r) => r.s === 'confirmed').length;
}

/** Breaker transitions with the number of UpdateCustomer requests NextBank had received at that moment. */
function watchBreaker(policy: IntegrationPolicy) {
  const log: Array<{ state: BreakerStateName; received: number; outcomes: string[] }> = [];
  policy.onStateChange((state) => {
    const all = updates();
    log.push({ state, received: all.length, outcomes: all.map((r) => r.outcome) });
  });
  return log;
}

async function expectExactlyOnce(queued: Awaited<ReturnType<typeof queue>>) {
  const counts = fake.countsByKey();
  expect(counts.size).toBe(queued.length);
  for (const q of queued) {
    expect(counts.get(q.idempotencyKey)?.applied).toBe(1);
    expect(fake.customer(q.customerId)?.customFields['Month to Update (MM/DD/YYYY)']).toBe(`${q.month.slice(5, 7)}/01/${q.month.slice(0, 4)}`);
  }
  const rows = await t.db
    .select()
    .from(clientTeleHistory)
    .where(
      inArray(
        clientTeleHistory.id,
        queued.map((q) => q.historyId),
      ),
    );
  expect(rows.every((r) => r.nextbankStatus === 'confirmed' && r.error === null && r.confirmedAt !== null)).toBe(true);
  const pointers = await t.db
    .select({ p: clients.pointer })
    .from(clients)
    .where(
      inArray(
        clients.id,
        queued.map((q) => q.id),
      ),
    );
  expect(pointers.map((p) => p.p)).toEqual(queued.map(() => 'touched_month'));
  const jobs = await t.db.select({ status: jobQueue.status }).from(jobQueue).where(eq(jobQueue.queue, 'nextbank'));
  expect(jobs.every((j) => j.status === 'done')).toBe(true);
}

describe('NextBank deliveries under failure', () => {
  it('5xx opens the breaker after 3 failures; nothing reaches NextBank while open; deliveries resume after recovery', async () => {
    const queued = await queue(10);
    const policy = createIntegrationPolicy('nextbank', { retries: 1, timeoutMs: 2_000, openMs: 300, initialDelayMs: 5, maxDelayMs: 20 });
    const transitions = watchBreaker(policy);
    worker = nextbankWorker(t.db, createNextbankHandler(configFor(fake), { policy }), [], 1);
    worker.start();
    const ids = queued.map((q) => q.historyId);
    await until(async () => (await confirmedCount(ids)) >= 3, '3 deliveries before the outage');

    fake.failWithStatus({ status: 503 });
    await until(async () => transitions.filter((x) => x.state === 'open').length >= 3, 'the breaker to open three times (two failed trials)');
    fake.clearFailures();
    await until(async () => (await confirmedCount(ids)) === ids.length, 'every delivery confirmed');

    // The first opening came right after three 503s in a row, not before.
    const firstOpen = transitions.find((x) => x.state === 'open')!;
    expect(firstOpen.outcomes.slice(-3)).toEqual(['failure:status:503', 'failure:status:503', 'failure:status:503']);
    expect(firstOpen.outcomes.slice(0, -3).every((o) => o === 'ok')).toBe(true);
    // While open, NextBank received nothing: the next request is the half-open trial.
    for (const [i, x] of transitions.entries()) {
      if (x.state !== 'open') continue;
      const next = transitions[i + 1];
      expect(next?.state).toBe('half_open');
      expect(next.received).toBe(x.received);
    }
    expect(policy.breakerState()).toBe('closed');
    await expectExactlyOnce(queued);
  });

  it('20 commands with 5xx, lost replies, a malformed reply and a hang injected mid-run: each delivered exactly once', async () => {
    const queued = await queue(20);
    const policy = createIntegrationPolicy('nextbank', { retries: 1, timeoutMs: 250, openMs: 200, initialDelayMs: 5, maxDelayMs: 20 });
    const transitions = watchBreaker(policy);
    worker = nextbankWorker(t.db, createNextbankHandler(configFor(fake), { policy })); // queue policy: 4 at once
    worker.start();
    const ids = queued.map((q) => q.historyId);
    await until(async () => (await confirmedCount(ids)) >= 5, '5 deliveries before the trouble');

    fake.failWithStatus({ status: 502, times: 4 });
    fake.dropConnection({ times: 3, afterApply: true }); // applied, reply lost: the resend must not apply again
    fake.malformedReply({ times: 1, afterApply: true });
    fake.hang({ times: 1, afterApply: true });
    await until(async () => (await confirmedCount(ids)) === ids.length, 'every delivery confirmed');

    const outcomes = updates().map((r) => r.outcome);
    expect(outcomes).toContain('failure:status:502');
    expect(outcomes).toContain('failure:drop:after_apply');
    expect(outcomes).toContain('failure:malformed:after_apply');
    expect(outcomes).toContain('failure:hang:after_apply');
    // Lost replies were resent and answered from NextBank's store (a resend may itself hit another injected failure).
    expect(outcomes).toContain('replayed');
    expect([...fake.countsByKey().values()].filter((c) => c.received > 1).length).toBeGreaterThanOrEqual(3);
    expect(updates().length).toBeGreaterThan(20);
    expect(transitions.filter((x) => x.state === 'open').length).toBeGreaterThanOrEqual(1);
    await expectExactlyOnce(queued);
  });
});
