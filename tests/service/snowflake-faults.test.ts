// Snowflake failing on demand (the fake's switches) under the real SDK and the real job worker: each
// failure leaves the job failed and due for a retry with a clear error, the sync row says why, no
// client is deactivated by the partial run, and no client is created twice. The retry then completes.
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createTestDb, type TestDb } from '../support/db';
import { clientsSnapshot, scalar, startSyncHarness, testWarehouse, type SyncHarness, type SyncOutcome } from '../support/snowflake';

let testDb: TestDb | undefined;
let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  await testDb?.close();
  harness = undefined;
  testDb = undefined;
});

/** 2,000 seeded clients + 100 new in the view, 7 seeded ones gone from it: 2,093 rows. */
async function setUp(options: Parameters<typeof startSyncHarness>[1] = {}) {
  testDb = await createTestDb();
  const warehouse = testWarehouse(2_100);
  const gone = warehouse.clientCodes().filter((_, i) => i % 300 === 11);
  warehouse.removeRows(gone);
  harness = await startSyncHarness(testDb.db, { warehouse, ...options });
  const activeGone = await scalar(testDb.db, `SELECT count(*) FROM clients WHERE is_active = 1 AND client_code IN (${gone.map(() => '?').join(',')})`, gone);
  return { db: testDb, harness, warehouse, gone, activeGone };
}

async function expectFailedAndRetryable(result: SyncOutcome, error: RegExp) {
  expect(result.outcome).toBe('failed');
  expect(result.job).toMatchObject({ status: 'failed', attempts: 1 });
  expect(Number(result.job.maxAttempts ?? (result.job as unknown as { max_attempts: number }).max_attempts)).toBeGreaterThan(1);
  expect(String((result.job as unknown as { last_error: string }).last_error)).toMatch(error);
  expect(result.sync.status).toBe('failed');
  expect(String(result.sync.error)).toMatch(error);
  expect(result.sync.report).toMatchObject({ complete: false });
  expect(result.sync.rows_deactivated).toBe(0);
}

async function expectNoDeactivationNoDuplicates(db: TestDb, gone: string[], activeGone: number) {
  expect(await scalar(db.db, `SELECT count(*) FROM clients WHERE is_active = 1 AND client_code IN (${gone.map(() => '?').join(',')})`, gone)).toBe(activeGone);
  expect(await scalar(db.db, "SELECT count(*) FROM client_sync_history WHERE field = 'is_active' AND new_value = '0'")).toBe(0);
  expect(await scalar(db.db, 'SELECT count(*) - count(DISTINCT client_code) FROM clients')).toBe(0);
}

/** After the fault is cleared the queue's retry finishes the job: every client once, the missing ones deactivated. */
async function expectRetryCompletes(h: SyncHarness, db: TestDb, activeGone: number) {
  h.fake.clearFailures();
  const retried = await h.retry();
  expect(retried.outcome).toBe('done');
  expect(retried.sync).toMatchObject({ status: 'done', rows_read: 2_093, rows_deactivated: activeGone });
  expect(retried.job).toMatchObject({ status: 'done', attempts: 2 });
  expect(await scalar(db.db, 'SELECT count(*) FROM clients')).toBe(2_100);
  expect(await scalar(db.db, 'SELECT count(*) - count(DISTINCT client_code) FROM clients')).toBe(0);
  expect((retried.sync.report?.previousAttempts as unknown[]).length).toBe(1);
}

describe('Snowflake login failures', () => {
  it('a refused login fails the job with the reason, sends no query and changes nothing', async () => {
    const { db, harness: h, gone, activeGone } = await setUp();
    h.fake.fail({ kind: 'login_error', times: 1 });
    const before = await clientsSnapshot(db.db);

    const result = await h.runSync({ mode: 'full' });

    await expectFailedAndRetryable(result, /Snowflake login failed: Incorrect username or password was specified/);
    expect(h.fake.counters.queries).toBe(0);
    expect(await clientsSnapshot(db.db)).toBe(before);
    await expectNoDeactivationNoDuplicates(db, gone, activeGone);
    await expectRetryCompletes(h, db, activeGone);
  });

  it('a JWT signed with a key Snowflake does not know is refused; the private key never reaches a log', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const { harness: h } = await setUp({ fake: { publicKeys: [other.publicKey] } });

    const result = await h.runSync({ mode: 'full' });

    await expectFailedAndRetryable(result, /Snowflake login failed: JWT token is invalid/);
    expect(h.fake.lastJwtProblem).toBe('no registered public key has that fingerprint');
    const keyBody = h.config.privateKey!.split('\n')[1];
    expect(h.logLines.join('\n')).not.toContain(keyBody);
    expect(JSON.stringify(h.config)).not.toContain(keyBody);
  });

  it('the password authenticator (development only) logs in too', async () => {
    const { harness: h } = await setUp({ fake: { password: 'dev-only-password' }, config: { authenticator: 'SNOWFLAKE', password: 'dev-only-password' } });
    const result = await h.runSync({ mode: 'full' });
    expect(result.sync).toMatchObject({ status: 'done', rows_inserted: 100 });
    expect(h.logLines.join('\n')).not.toContain('dev-only-password');
  });

  it('after repeated failures the breaker opens: the next sync fails at once without calling Snowflake', async () => {
    const { harness: h } = await setUp({ policy: { failures: 2, openMs: 60_000 } });
    h.fake.fail({ kind: 'login_error' });
    await h.runSync({ mode: 'full' });
    await h.runSync({ mode: 'full' });
    expect(h.fake.counters.loginsRefused).toBe(2);

    const third = await h.runSync({ mode: 'full' });

    await expectFailedAndRetryable(third, /circuit breaker is open/);
    expect(h.fake.counters.loginsRefused).toBe(2);
  });
});

describe('Snowflake query failures', () => {
  it('a query answered 5xx until the attempt times out fails the job; the retry completes', async () => {
    const { db, harness: h, gone, activeGone } = await setUp({ policy: { timeoutMs: 4_000 } });
    h.fake.fail({ kind: 'status', target: 'query', status: 503 });

    const result = await h.runSync({ mode: 'full' });

    await expectFailedAndRetryable(result, /Snowflake query did not answer within 4 s/);
    expect(h.fake.failures.fired.status).toBeGreaterThanOrEqual(1);
    expect(result.sync.rows_read).toBe(0);
    await expectNoDeactivationNoDuplicates(db, gone, activeGone);
    await expectRetryCompletes(h, db, activeGone);
  });

  it('a single 5xx is retried by the SDK itself and the sync completes', async () => {
    const { harness: h, activeGone } = await setUp();
    h.fake.fail({ kind: 'status', target: 'query', status: 503, times: 1 });
    const result = await h.runSync({ mode: 'full' });
    expect(result.sync).toMatchObject({ status: 'done', rows_read: 2_093, rows_inserted: 100, rows_deactivated: activeGone });
    expect(h.fake.counters.queries).toBe(2);
  });

  it('a query that is never answered times out and fails the job', async () => {
    const { db, harness: h, gone, activeGone } = await setUp({ policy: { timeoutMs: 2_000 } });
    h.fake.fail({ kind: 'hang', target: 'query' });

    const result = await h.runSync({ mode: 'full' });

    await expectFailedAndRetryable(result, /Snowflake query did not answer within 2 s/);
    await expectNoDeactivationNoDuplicates(db, gone, activeGone);
  });
});

describe('Snowflake connection dropped in the middle of the rows', () => {
  it('a chunk that keeps dropping mid-body stalls the stream: the job fails, the rows before it stay, nothing is deactivated', async () => {
    const { db, harness: h, gone, activeGone } = await setUp();
    h.fake.fail({ kind: 'drop', target: 'chunk', afterRows: 120 }); // every chunk download dies after 120 rows

    const result = await h.runSync({ mode: 'full' });

    await expectFailedAndRetryable(result, /Snowflake result stream stalled: no row for 3 s after \d+ of 2093 rows/);
    expect(h.fake.failures.fired.drop).toBeGreaterThanOrEqual(1);
    expect(Number(result.sync.rows_read)).toBeGreaterThanOrEqual(200); // the inline rows got through
    expect(Number(result.sync.rows_read)).toBeLessThan(2_093);
    await expectNoDeactivationNoDuplicates(db, gone, activeGone);
    await expectRetryCompletes(h, db, activeGone);
  });

  it('a chunk dropped once is fetched again by the SDK and the sync completes exactly', async () => {
    const { db, harness: h, activeGone } = await setUp();
    h.fake.fail({ kind: 'drop', target: 'chunk', afterRows: 250, times: 1 });
    const result = await h.runSync({ mode: 'full' });
    expect(result.sync).toMatchObject({ status: 'done', rows_read: 2_093, rows_inserted: 100, rows_unchanged: 1_993, rows_deactivated: activeGone });
    expect(h.fake.failures.fired.drop).toBe(1);
    expect(await scalar(db.db, 'SELECT count(*) FROM clients')).toBe(2_100);
  });

  it('a query reply cut mid-rowset fails the attempt (the SDK does not retry it); the policy retry recovers', async () => {
    const { db, harness: h, gone, activeGone } = await setUp();
    h.fake.fail({ kind: 'drop', target: 'query', afterRows: 50, times: 1 });
    const result = await h.runSync({ mode: 'full' });
    await expectFailedAndRetryable(result, /Snowflake query failed: stream has been aborted/);
    await expectNoDeactivationNoDuplicates(db, gone, activeGone);
    await expectRetryCompletes(h, db, activeGone);
  });

  it('with the production policy (a retry per call) the cut reply is asked again within the same attempt', async () => {
    const { harness: h, activeGone } = await setUp({ policy: { retries: 1, initialDelayMs: 50 } });
    h.fake.fail({ kind: 'drop', target: 'query', afterRows: 50, times: 1 });
    const result = await h.runSync({ mode: 'full' });
    expect(result.sync).toMatchObject({ status: 'done', rows_read: 2_093, rows_deactivated: activeGone });
    expect(h.fake.counters.queries).toBe(2);
  });
});
