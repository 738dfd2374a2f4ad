// The service's Snowflake settings: validated at start with every bad variable named, secrets never
// echoed, key-pair login in production; and a sync stopped between batches (cancel, timeout,
// shutdown) keeps what it committed and deactivates nobody.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import { createLogger } from '../../app/platform/logger';
import type { Job } from '../../db/schema';
import { PermanentJobError } from '../../service/jobs/handler';
import { parseSnowflakeConfig } from '../../service/snowflake/config';
import { createSnowflakeSyncHandler } from '../../service/snowflake/sync-handler';
import { NOT_CONFIGURED, snowflakeSyncHandlerFromEnv } from '../../service/snowflake/sync-handler-from-env';
import { createTestDb, type TestDb } from '../support/db';
import { scalar, startSyncHarness, testKeyPair, testWarehouse, type SyncHarness } from '../support/snowflake';
import { childSpan } from '../../app/platform/trace-context';
import { propagationOnly } from '../../app/platform/tracing';

const keyFile = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sf-key-')), 'rsa_key.p8');
  writeFileSync(file, testKeyPair().privateKey, { mode: 0o600 });
  return file;
};
const base = { SNOWFLAKE_ACCOUNT: 'MYORG-CU', SNOWFLAKE_USERNAME: 'CLIENT_UPDATER_SVC' };

describe('Snowflake configuration', () => {
  it('reads a key-pair setup, with defaults, and never lets the key out by serialisation', () => {
    const config = parseSnowflakeConfig({ ...base, SNOWFLAKE_PRIVATE_KEY_PATH: keyFile(), SNOWFLAKE_WAREHOUSE: 'CU_WH', SNOWFLAKE_ROLE: 'CU_SYNC' });
    expect(config).toMatchObject({
      account: 'MYORG-CU',
      authenticator: 'SNOWFLAKE_JWT',
      view: 'CLIENT_UPDATER.CLIENTS_VIEW',
      batchRows: 5000,
      warehouse: 'CU_WH',
    });
    expect(config.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
    expect(Object.keys(config)).not.toContain('privateKey');
  });

  it('names every missing or bad variable at once, and echoes no value', () => {
    const secret = 'S3cr3t-Passw0rd-Value';
    const attempt = () =>
      parseSnowflakeConfig({
        SNOWFLAKE_ACCOUNT: 'MYORG-CU',
        SNOWFLAKE_ACCESS_URL: 'http://warehouse.example.com',
        SNOWFLAKE_VIEW: 'X; DROP TABLE clients',
        SNOWFLAKE_PASSWORD: secret,
      });
    expect(attempt).toThrow(/SNOWFLAKE_USERNAME/);
    const message = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/SNOWFLAKE_ACCESS_URL: .*https/);
    expect(message).toMatch(/SNOWFLAKE_VIEW/);
    expect(message).toMatch(/SNOWFLAKE_PRIVATE_KEY_PATH or SNOWFLAKE_PRIVATE_KEY is required/);
    expect(message).not.toContain(secret);
  });

  it('refuses a key file that is not a private key without printing it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sf-key-')), 'not-a-key.pem');
    writeFileSync(file, 'this-is-not-a-key-but-a-secret-looking-thing');
    expect(() => parseSnowflakeConfig({ ...base, SNOWFLAKE_PRIVATE_KEY_PATH: file })).toThrow(/SNOWFLAKE_PRIVATE_KEY_PATH: not a PEM private key/);
    try {
      parseSnowflakeConfig({ ...base, SNOWFLAKE_PRIVATE_KEY_PATH: file });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-looking');
    }
  });

  it('production refuses the password authenticator', () => {
    expect(() => parseSnowflakeConfig({ ...base, NODE_ENV: 'production', SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE', SNOWFLAKE_PASSWORD: 'x' })).toThrow(
      /production uses key-pair authentication/,
    );
    expect(parseSnowflakeConfig({ ...base, SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE', SNOWFLAKE_PASSWORD: 'x' })).toMatchObject({ authenticator: 'SNOWFLAKE' });
  });

  it('a service without any Snowflake environment fails sync jobs at once with what to set', async () => {
    const handler = snowflakeSyncHandlerFromEnv({});
    await expect(handler({ mode: 'full' }, {} as never)).rejects.toBeInstanceOf(PermanentJobError);
    await expect(handler({ mode: 'full' }, {} as never)).rejects.toThrow(NOT_CONFIGURED);
    expect(() => snowflakeSyncHandlerFromEnv({ SNOWFLAKE_ACCOUNT: 'X' })).toThrow(/Invalid Snowflake configuration/);
  });
});

describe('a sync stopped between batches', () => {
  let testDb: TestDb | undefined;
  let harness: SyncHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    await testDb?.close();
  });

  it('keeps the committed batches, marks the sync failed with the reason, and deactivates nobody', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_100);
    const gone = warehouse.clientCodes().slice(0, 5);
    warehouse.removeRows(gone);
    harness = await startSyncHarness(testDb.db, { warehouse });
    const goneState = () =>
      testDb!.client
        .execute({ sql: `SELECT client_code, is_active FROM clients WHERE client_code IN (${gone.map(() => '?').join(',')}) ORDER BY 1`, args: gone })
        .then((r) => JSON.stringify(r.rows));
    const goneBefore = await goneState();
    const handler = createSnowflakeSyncHandler(harness.config, { policy: harness.policy });
    const payload = { mode: 'full' as const, dryRun: false, trigger: 'manual' as const };
    const { id } = await enqueueJob(testDb.db, { queue: 'sync', payload, now: harness.clock.now() });
    const job = (await testDb.client.execute({ sql: 'SELECT * FROM job_queue WHERE id = ?', args: [id] })).rows[0] as unknown as Job;
    const controller = new AbortController();
    let reports = 0;
    const run = {
      db: testDb.db,
      clock: harness.clock,
      logger: createLogger({ level: 'error', write: () => {} }),
      job: { ...job, id },
      trace: childSpan(null),
      tracing: propagationOnly,
      signal: controller.signal,
      // The worker aborts on cancel, timeout or shutdown; here, right after the first batch.
      reportProgress: async () => {
        if (++reports === 2) controller.abort(new Error('service shutting down'));
      },
    };

    await expect(handler(payload, run)).rejects.toThrow(/sync aborted after 500 of 2095 rows: .*service shutting down/);

    const sync = (await testDb.client.execute({ sql: 'SELECT * FROM sync_jobs WHERE job_queue_id = ?', args: [id] })).rows[0];
    expect(sync).toMatchObject({ status: 'failed', rows_read: 500, rows_deactivated: 0 });
    expect(String(sync.error)).toMatch(/service shutting down/);
    expect(await goneState()).toBe(goneBefore);
    expect(await scalar(testDb.db, "SELECT count(*) FROM client_sync_history WHERE field = 'is_active'")).toBe(0);
  });
});
