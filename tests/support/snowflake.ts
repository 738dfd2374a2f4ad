// The Snowflake sync under test: the loopback fake (fakes/snowflake) holding a warehouse that
// matches the test database's seed, the REAL snowflake-sdk with key-pair (JWT) login, a fresh
// resilience policy per harness (no breaker state shared between tests), and the real job worker
// running the sync handler on the test database.
import { generateKeyPairSync } from 'node:crypto';
import { enqueueJob } from '../../app/core/jobs/enqueue.server';
import type { SyncPayload } from '../../app/core/jobs/payloads.server';
import { createLogger } from '../../app/platform/logger';
import type { TraceContext } from '../../app/platform/trace-context';
import type { Tracing } from '../../app/platform/tracing';
import type { AppDatabase } from '../../db/database';
import type { Job } from '../../db/schema';
import { startSnowflakeFake, type SnowflakeFake, type SnowflakeFakeOptions } from '../../fakes/snowflake/server';
import { Warehouse } from '../../fakes/snowflake/warehouse';
import { JobWorker } from '../../service/jobs/worker';
import type { AttemptOutcome } from '../../service/jobs/job-attempt';
import { createIntegrationPolicy, type IntegrationPolicy, type IntegrationPolicyOptions } from '../../service/resilience/integration-policies';
import { snowflakeConfig, type SnowflakeConfig } from '../../service/snowflake/config';
import { createSnowflakeSyncHandler } from '../../service/snowflake/sync-handler';
import { TEST_DB_SEED } from './db-base';
import { testClock, type TestClock } from './app-context';

let keys: { publicKey: string; privateKey: string } | undefined;
/** One RSA key pair per test file (2048-bit generation takes a moment). */
export function testKeyPair(): { publicKey: string; privateKey: string } {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keys;
}

/** The warehouse of the test database: its first 2,000 rows are the seeded clients. */
export function testWarehouse(rows: number = TEST_DB_SEED.clients): Warehouse {
  return new Warehouse({ rows, seed: TEST_DB_SEED.seed, today: TEST_DB_SEED.today });
}

/** 10:00 in Manila on the test database's "today". */
export const SYNC_TEST_NOW = '2026-11-15T02:00:00.000Z';

export interface SyncHarness {
  fake: SnowflakeFake;
  config: SnowflakeConfig;
  policy: IntegrationPolicy;
  clock: TestClock;
  logLines: string[];
  /** Enqueues a sync job (a manual one with its sync_jobs row, like the admin screen) and runs it once. */
  runSync(payload: Partial<SyncPayload> & { manual?: boolean; trace?: TraceContext }): Promise<SyncOutcome>;
  /** Runs the due job again (after a failure: the clock moves past its backoff first). */
  retry(): Promise<SyncOutcome>;
  stop(): Promise<void>;
}

export interface SyncOutcome {
  outcome: AttemptOutcome | 'nothing due';
  job: Job;
  sync: Record<string, unknown> & { id: number; status: string; report: Record<string, unknown> | null };
}

export async function startSyncHarness(
  db: AppDatabase,
  options: {
    warehouse?: Warehouse;
    fake?: Omit<SnowflakeFakeOptions, 'warehouse'>;
    config?: Partial<Pick<SnowflakeConfig, 'batchRows' | 'streamIdleTimeoutMs' | 'maxDeactivationPercent' | 'authenticator'>> & {
      password?: string;
      privateKey?: string;
    };
    policy?: Partial<IntegrationPolicyOptions>;
    jobTimeoutMs?: number;
    /** Spans for the attempts and the Snowflake calls (ids only when omitted). */
    tracing?: Tracing;
  } = {},
): Promise<SyncHarness> {
  const { publicKey, privateKey } = testKeyPair();
  const fake = await startSnowflakeFake({
    publicKeys: [publicKey],
    inlineRows: 200,
    chunkRows: 500,
    ...options.fake,
    warehouse: options.warehouse ?? testWarehouse(),
  });
  const config = snowflakeConfig({
    account: fake.account,
    accessUrl: fake.url,
    username: fake.username,
    warehouse: 'CU_WH',
    role: 'CU_SYNC_ROLE',
    authenticator: 'SNOWFLAKE_JWT',
    privateKey,
    streamIdleTimeoutMs: 3_000,
    batchRows: 500,
    ...options.config,
  });
  const policy = createIntegrationPolicy('snowflake', { timeoutMs: 5_000, retries: 0, failures: 1_000, ...options.policy });
  const clock = testClock(SYNC_TEST_NOW);
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  const worker = new JobWorker({
    db,
    clock,
    logger,
    instanceId: 'snowflake-test',
    queues: ['sync'],
    random: () => 0,
    abortGraceMs: 2_000,
    handlers: { sync: createSnowflakeSyncHandler(config, { policy }) },
    policyOverrides: { sync: { timeoutMs: options.jobTimeoutMs ?? 120_000, leaseMs: 60_000 } },
    ...(options.tracing ? { tracing: options.tracing } : {}),
  });
  let lastJobId = 0;

  const outcomeOf = async (result: Awaited<ReturnType<JobWorker['runOnce']>>, jobId: number): Promise<SyncOutcome> => {
    const job = (await db.$client.execute({ sql: 'SELECT * FROM job_queue WHERE id = ?', args: [jobId] })).rows[0] as unknown as Job;
    const row = (await db.$client.execute({ sql: 'SELECT * FROM sync_jobs WHERE job_queue_id = ? ORDER BY id DESC LIMIT 1', args: [jobId] })).rows[0] as
      Record<string, unknown> | undefined;
    const sync = {
      ...(row ?? {}),
      id: Number(row?.id ?? 0),
      status: String(row?.status ?? 'none'),
      report: row?.report ? JSON.parse(String(row.report)) : null,
    };
    return { outcome: result?.outcome ?? 'nothing due', job, sync };
  };

  return {
    fake,
    config,
    policy,
    clock,
    logLines,
    async runSync(input) {
      const { manual = true, trace, ...rest } = input;
      const payload: SyncPayload = { mode: 'full', dryRun: false, trigger: manual ? 'manual' : 'schedule', ...rest };
      const now = clock.now();
      const job = await enqueueJob(db, { queue: 'sync', payload, now, ...(trace ? { trace } : {}) });
      if (manual && payload.syncJobId === undefined) {
        // What the admin screen's request does: the sync_jobs row and its job together.
        const inserted = await db.$client.execute({
          sql: `INSERT INTO sync_jobs (mode, is_dry_run, status, "trigger", job_queue_id, source_view, created_at) VALUES (?, ?, 'pending', 'manual', ?, ?, ?) RETURNING id`,
          args: [payload.mode, payload.dryRun ? 1 : 0, job.id, fake.view, now.getTime()],
        });
        const syncJobId = Number(inserted.rows[0].id);
        await db.$client.execute({ sql: 'UPDATE job_queue SET payload = ? WHERE id = ?', args: [JSON.stringify({ ...payload, syncJobId }), job.id] });
      }
      lastJobId = job.id;
      return outcomeOf(await worker.runOnce(), job.id);
    },
    async retry() {
      clock.advance(24 * 3_600_000); // past any backoff
      return outcomeOf(await worker.runOnce(), lastJobId);
    },
    async stop() {
      await worker.stop(1_000);
      await fake.stop();
    },
  };
}

/** Every client row as one comparable text (what "nothing changed" means). */
export async function clientsSnapshot(db: AppDatabase): Promise<string> {
  const rows = (await db.$client.execute('SELECT * FROM clients ORDER BY id')).rows;
  return JSON.stringify(rows);
}

export async function scalar(db: AppDatabase, sql: string, args: (string | number | null)[] = []): Promise<number> {
  const row = (await db.$client.execute({ sql, args })).rows[0];
  return Number(Object.values(row)[0]);
}
