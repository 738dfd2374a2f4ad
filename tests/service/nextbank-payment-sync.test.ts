// The NextBank sync run (service/nextbank/payment-sync.ts) through the payment-history adapter
// (assumed, UNCONFIRMED contract) against the fake: has_payment for the current month's row, and
// the pointer's last step touched_month → current.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientPeriodStatus, clients, companies } from '../../db/schema';
import { createLogger } from '../../app/platform/logger';
import { createNextbankClient } from '../../service/nextbank/client';
import { createNextbankHandler } from '../../service/nextbank/outbox-delivery';
import { nextbankPaymentHistory } from '../../service/nextbank/payment-history';
import { runPaymentSync } from '../../service/nextbank/payment-sync';
import { createIntegrationPolicy } from '../../service/resilience/integration-policies';
import type { NextbankFake } from '../../fakes/nextbank/server';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { configFor, nextbankWorker, pointerOf, queueMonthToUpdate, startFake } from '../support/nextbank';

let fake: NextbankFake;
let t: TestDb;
let ctx: TestAppContext;
const policy = () => createIntegrationPolicy('nextbank', { retries: 0, timeoutMs: 2_000, initialDelayMs: 1, maxDelayMs: 5 });

beforeAll(async () => {
  fake = await startFake();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

/** FCASH clients at pointer current with a NextBank id and a 2026-11 row (the test base's current month). */
async function clientsWithNovemberRow(n: number) {
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

async function periodRow(id: number) {
  const [row] = await t.db
    .select({ hasPayment: clientPeriodStatus.hasPayment, version: clientPeriodStatus.version })
    .from(clientPeriodStatus)
    .where(eq(clientPeriodStatus.id, id));
  return row;
}

const run = () => ({ db: t.db, clock: ctx.clock, logger: createLogger({ write: () => undefined }) });

describe('NextBank payment sync', () => {
  it("sets has_payment from this month's payments, never clears a yes, and resets touched_month pointers", async () => {
    const [paid, unpaid, alreadyYes, confirmed, unknown] = await clientsWithNovemberRow(5);
    await t.db.update(clientPeriodStatus).set({ hasPayment: true }).where(eq(clientPeriodStatus.id, alreadyYes.statusId));
    // A Month to Update confirmed by NextBank puts the client at touched_month.
    await queueMonthToUpdate(ctx, confirmed.id);
    await nextbankWorker(t.db, createNextbankHandler(configFor(fake), { policy: policy() })).runOnce();
    expect(await pointerOf(t.db, confirmed.id)).toBe('touched_month');
    await t.db.update(clients).set({ pointer: 'touched_month' }).where(eq(clients.id, unknown.id));

    // This NextBank knows every client but `unknown`.
    const bank = await startFake({ knownCustomers: [paid, unpaid, alreadyYes, confirmed].map((c) => c.customerId) });
    try {
      bank.setPayments(paid.customerId, [{ paymentId: 'p-nov', postedOn: '2026-11-05', amount: '1250.00', currency: 'PHP' }]);
      bank.setPayments(unpaid.customerId, [{ paymentId: 'p-oct', postedOn: '2026-10-28', amount: '1250.00', currency: 'PHP' }]);
      bank.setPayments(alreadyYes.customerId, []);
      bank.setPayments(confirmed.customerId, []);
      const source = nextbankPaymentHistory(createNextbankClient(configFor(bank), { policy: policy() }));
      const before = await periodRow(paid.statusId);
      const ids = [paid, unpaid, alreadyYes, confirmed, unknown].map((c) => c.id);
      const report = await runPaymentSync(source, run(), { clientIds: ids, batchSize: 2 });

      expect(report).toEqual({ periodKey: '2026-11', clientsRead: 5, notFoundInNextbank: 1, clientsWithPayment: 1, hasPaymentSet: 1, pointersReset: 1 });
      expect(await periodRow(paid.statusId)).toEqual({ hasPayment: true, version: before.version + 1 });
      expect((await periodRow(unpaid.statusId)).hasPayment).toBe(false); // an October payment is not this month's
      expect((await periodRow(alreadyYes.statusId)).hasPayment).toBe(true); // no payment posted: the staff's yes stays
      expect(await pointerOf(t.db, confirmed.id)).toBe('current');
      expect(await pointerOf(t.db, unknown.id)).toBe('touched_month'); // NextBank did not know it: not read back
      const queries = bank.requests('/query/PaymentHistory');
      expect(queries).toHaveLength(3); // batches of 2
      expect(queries[0].body).toMatchObject({ from: '2026-11-01', to: '2026-11-15' });

      const again = await runPaymentSync(source, run(), { clientIds: ids, batchSize: 2 });
      expect(again).toMatchObject({ hasPaymentSet: 0, pointersReset: 0, clientsWithPayment: 1 });
      expect((await periodRow(paid.statusId)).version).toBe(before.version + 1);
    } finally {
      await bank.stop();
    }
  });

  it('stops with the error when NextBank fails, keeping the batches already done', async () => {
    const list = await clientsWithNovemberRow(4);
    for (const c of list) fake.setPayments(c.customerId, [{ paymentId: `p-${c.id}`, postedOn: '2026-11-02', amount: '900.00', currency: 'PHP' }]);
    const source = nextbankPaymentHistory(createNextbankClient(configFor(fake), { policy: policy() }));
    let calls = 0;
    const failingSecond = {
      batchLimit: 2,
      paymentsFor: async (ids: string[], range: { from: string; to: string }) => {
        calls += 1;
        if (calls === 2) fake.failWithStatus({ status: 503, times: 1 });
        return source.paymentsFor(ids, range);
      },
    };
    await expect(runPaymentSync(failingSecond, run(), { clientIds: list.map((c) => c.id) })).rejects.toMatchObject({ kind: 'server', httpStatus: 503 });
    const flags = await Promise.all(list.map((c) => periodRow(c.statusId)));
    expect(flags.map((f) => f.hasPayment)).toEqual([true, true, false, false]);
  });
});
