// Fault: the real service process (service/main.ts) SIGKILLed in the middle of a Snowflake sync and
// of a NextBank delivery (issue 14, "Faults"; the export case is tests/service/exports-crash.test.ts, a sleeping job in
// jobs-processes.test.ts). The sync reads from the loopback Snowflake fake through the real
// snowflake-sdk; its result chunks hang, so the kill lands with part of the rows applied. After the
// lease a second process takes the job over: every warehouse row is a client exactly once, no
// change is recorded twice in client_sync_history, and the job completes on its second attempt.
// The NextBank delivery is killed after the bank applied the command but before its reply arrived:
// the second process resends the same idempotency key and the bank applies it once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../app/core/access/access.server';
import { scopeFor } from '../../app/core/access/scope.server';
import { requestSync } from '../../app/core/jobs/sync-requests.server';
import { startSnowflakeFake, type SnowflakeFake } from '../../fakes/snowflake/server';
import { testContext, userIdByEmail } from '../support/app-context';
import { createTestDb, TEST_DB_SEED, type TestDb } from '../support/db';
import { spawnService, stopAllProcesses, waitUntil, type ManagedProcess } from '../support/processes';
import { testWarehouse } from '../support/snowflake';
import { sqlCount, sqlRows } from '../support/sql';
import { FAKE_PASSWORD, FAKE_USER, fcashClients, queueMonthToUpdate, startFake } from '../support/nextbank';

const WAREHOUSE_ROWS = 4_000; // the 2,000 seeded clients, then 2,000 new ones
const SNOWFLAKE = { account: 'CU_FAULT', username: 'CU_SVC', password: 'fault-test-snowflake-password' };

let t: TestDb;
let fake: SnowflakeFake;
beforeEach(async () => {
  t = await createTestDb();
  // 2,500 rows inline (the seeded clients and 500 new), the rest in chunks of 500.
  fake = await startSnowflakeFake({ warehouse: testWarehouse(WAREHOUSE_ROWS), ...SNOWFLAKE, inlineRows: 2_500, chunkRows: 500 });
});
afterEach(async () => {
  await stopAllProcesses(2_000);
  await fake.stop();
  await t.close();
});

function startService(instanceId: string, env: Record<string, string> = {}): ManagedProcess {
  return spawnService({
    name: `sync-service-${instanceId}`,
    instanceId,
    databaseUrl: t.url,
    queues: 'sync',
    env: {
      APP_FIXED_NOW: '2026-11-15T02:00:00.000Z',
      SERVICE_QUEUE_POLICIES: JSON.stringify({ sync: { leaseMs: 1500 } }), // the killed worker's job is free soon
      SNOWFLAKE_ACCOUNT: SNOWFLAKE.account,
      SNOWFLAKE_ACCESS_URL: fake.url,
      SNOWFLAKE_USERNAME: SNOWFLAKE.username,
      SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE',
      SNOWFLAKE_PASSWORD: SNOWFLAKE.password,
      SNOWFLAKE_SYNC_BATCH_ROWS: '500',
      ...env,
    },
  });
}

const clients = () => sqlCount(t.client, 'SELECT count(*) FROM clients');

describe('a sync when its service is killed', () => {
  it('is taken over after the lease and completes: every row once, no change recorded twice', async () => {
    const ctx = testContext({ db: t.db });
    const userId = await userIdByEmail(t.db, 'admin@demo.test');
    const scope = scopeFor(await loadAccess(ctx, userId), 'sync:execute')!;
    const asked = await requestSync(ctx, { userId, scope }, { mode: 'full' });
    expect(asked).toMatchObject({ ok: true });
    expect(await clients()).toBe(TEST_DB_SEED.clients);

    fake.fail({ kind: 'hang', target: 'chunk' }); // until cleared: the sync stops after the inline rows
    const first = startService('first');
    await waitUntil('new clients from the inline rows', async () => (await clients()) > TEST_DB_SEED.clients, { process: first, timeoutMs: 90_000 });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const [killed] = await sqlRows(t.client, 'SELECT s.status, q.status AS job, q.attempts FROM sync_jobs s JOIN job_queue q ON q.id = s.job_queue_id');
    expect(killed).toMatchObject({ status: 'running', job: 'running', attempts: 1 });
    const partial = await clients();
    expect(partial).toBeLessThan(WAREHOUSE_ROWS);

    fake.clearFailures(); // Snowflake answers again
    const second = startService('second');
    await waitUntil(
      'the sync and its job to finish',
      async () => (await sqlRows(t.client, "SELECT status FROM job_queue WHERE queue = 'sync'"))[0].status !== 'running',
      {
        process: second,
        timeoutMs: 120_000,
      },
    );
    const [done] = await sqlRows(t.client, 'SELECT s.id, s.status, q.status AS job, q.attempts FROM sync_jobs s JOIN job_queue q ON q.id = s.job_queue_id');
    expect(done).toMatchObject({ status: 'done', job: 'done', attempts: 2 });
    expect(await clients()).toBe(WAREHOUSE_ROWS);
    expect(await sqlCount(t.client, 'SELECT count(DISTINCT client_code) FROM clients')).toBe(WAREHOUSE_ROWS);
    const doubled = await sqlRows(
      t.client,
      'SELECT client_id, field, count(*) AS n FROM client_sync_history WHERE sync_job_id = ? GROUP BY client_id, field HAVING count(*) > 1',
      [Number(done.id)],
    );
    expect(doubled).toEqual([]);
    await second.stop(5_000);
  });
});

describe('a NextBank delivery when its service is killed', () => {
  it('is sent again with the same idempotency key after the lease: applied once, confirmed once', async () => {
    const bank = await startFake();
    try {
      const ctx = testContext({ db: t.db });
      const [client] = await fcashClients(t.db, 1);
      const queued = await queueMonthToUpdate(ctx, client.id, '2027-01-01');
      // The bank applies the command, then its reply never comes: the kill lands mid-delivery.
      bank.hang({ path: '/command/UpdateCustomer', afterApply: true });
      const env = { SERVICE_QUEUES: 'nextbank', NEXTBANK_URL: bank.url, NEXTBANK_USERNAME: FAKE_USER, NEXTBANK_PASSWORD: FAKE_PASSWORD };
      const policies = { SERVICE_QUEUE_POLICIES: JSON.stringify({ nextbank: { leaseMs: 1500 } }) };
      const first = startService('first', { ...env, ...policies });
      await waitUntil('the bank to apply the command', async () => (bank.countsByKey().get(queued.idempotencyKey)?.applied ?? 0) === 1, {
        process: first,
        timeoutMs: 60_000,
      });
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const [inFlight] = await sqlRows(t.client, 'SELECT nextbank_status FROM client_tele_history WHERE id = ?', [queued.historyId]);
      expect(inFlight.nextbank_status).not.toBe('confirmed');

      bank.clearFailures();
      const second = startService('second', { ...env, ...policies });
      await waitUntil(
        'the command confirmed',
        async () => {
          const [row] = await sqlRows(t.client, "SELECT status FROM job_queue WHERE queue = 'nextbank'");
          return row.status === 'done';
        },
        { process: second, timeoutMs: 60_000 },
      );
      const counts = bank.countsByKey().get(queued.idempotencyKey)!;
      expect(counts.applied).toBe(1);
      expect(counts.received).toBeGreaterThanOrEqual(2); // sent again after the kill, answered from the bank's store
      const [row] = await sqlRows(t.client, 'SELECT nextbank_status FROM client_tele_history WHERE id = ?', [queued.historyId]);
      expect(row.nextbank_status).toBe('confirmed');
      expect(await sqlCount(t.client, "SELECT count(*) FROM job_queue WHERE queue = 'nextbank'")).toBe(1);
      await second.stop(5_000);
    } finally {
      await bank.stop();
    }
  });
});
