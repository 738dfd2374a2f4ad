import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { prepareDatabase, startNodeApp, TEST_NOW, TEST_TODAY } from '../support/app-server';
import { switchCheckingOff } from '../support/checker-switches';
import { getFreePort } from '../support/ports';
import { spawnNodeScript, waitForHttp, waitForPort, waitUntil, type ManagedProcess } from '../support/processes';

// The e2e stack on the embedded default: a fresh seeded database, the built Node app, the Snowflake
// and NextBank fakes and the Node service on the same database file, as `npm start` runs them.
// Every process is started directly and stopped by its own PID.

/**
 * Warehouse rows the Snowflake fake serves: the 3000 seeded clients plus 97,000 more, so a dry-run
 * full sync through the real SDK takes long enough (60k rows: 4–9 s measured, 120k: 16 s) for the
 * page's 2-second polls to catch the bar between 0 and 100 several times. The fake is ready in ≈5 s.
 */
export const E2E_WAREHOUSE_ROWS = 100_000;
const SNOWFLAKE = { account: 'CU_DEMO', username: 'CLIENT_UPDATER_SVC', password: 'e2e-snowflake-password' };
const NEXTBANK = { username: 'client-updater', password: 'e2e-nextbank-password' };
const root = path.resolve('.');

export default async function globalSetup() {
  const dir = path.resolve('.tmp/e2e');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const databaseUrl = `file:${path.join(dir, 'app.db')}`;
  prepareDatabase(databaseUrl, { clients: 3000 });
  {
    // The specs test the direct paths (an admin's grant or territory change applies at once): checking
    // off with shared rows; approvals.spec.ts switches it on for PCNI with a company row.
    const db = createClient({ url: databaseUrl });
    try {
      await switchCheckingOff(db);
    } finally {
      db.close();
    }
  }
  const started: ManagedProcess[] = [];
  const stopAll = async () => {
    // The service first (it talks to the others), then the app, then the fakes.
    for (const proc of [...started].reverse()) await proc.stop().catch(() => undefined);
  };
  try {
    const serviceEnv: Record<string, string> = {};
    {
      // NextBank fake
      const port = await getFreePort();
      const fake = spawnNodeScript({
        name: 'e2e-nextbank-fake',
        script: path.join(root, 'fakes/nextbank/cli.ts'),
        nodeArgs: ['--import', 'tsx'],
        cwd: root,
        // Not --quiet: its log file has one line per request with the traceparent received (trace.spec.ts reads it).
        args: ['--port', String(port)],
        env: { NEXTBANK_USERNAME: NEXTBANK.username, NEXTBANK_PASSWORD: NEXTBANK.password },
      });
      started.push(fake);
      await waitForPort(port, { process: fake, timeoutMs: 20_000 });
      Object.assign(serviceEnv, { NEXTBANK_URL: `http://127.0.0.1:${port}`, NEXTBANK_USERNAME: NEXTBANK.username, NEXTBANK_PASSWORD: NEXTBANK.password });
      process.env.E2E_NEXTBANK_URL = serviceEnv.NEXTBANK_URL;
      process.env.E2E_NEXTBANK_LOG = fake.logFile;
    }
    {
      // Snowflake fake
      const port = await getFreePort();
      const fake = spawnNodeScript({
        name: 'e2e-snowflake-fake',
        script: path.join(root, 'fakes/snowflake/cli.ts'),
        nodeArgs: ['--import', 'tsx'],
        cwd: root,
        args: [
          '--port',
          String(port),
          '--rows',
          String(E2E_WAREHOUSE_ROWS),
          '--today',
          TEST_TODAY,
          '--account',
          SNOWFLAKE.account,
          '--username',
          SNOWFLAKE.username,
          '--password',
          SNOWFLAKE.password,
        ],
      });
      started.push(fake);
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/__fake/state`, { process: fake, timeoutMs: 60_000 });
      Object.assign(serviceEnv, {
        SNOWFLAKE_ACCOUNT: SNOWFLAKE.account,
        SNOWFLAKE_ACCESS_URL: url,
        SNOWFLAKE_USERNAME: SNOWFLAKE.username,
        SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE',
        SNOWFLAKE_PASSWORD: SNOWFLAKE.password,
      });
      process.env.E2E_SNOWFLAKE_URL = url;
    }
    const appSpawnedAt = Date.now();
    // Export files: one directory the app (downloads) and the service (writes) share, as under `npm start`.
    const exportDir = path.join(dir, 'exports');
    // LOG_LEVEL info: one `request` line per request, with its trace_id (trace.spec.ts reads the log file).
    // loginIp raised: every spec's browser signs in from 127.0.0.1, dozens of times in three minutes, and
    // the default per-IP bucket (30 per 5 min) refused one when the suite ran fast (session 8's CI). The
    // per-IP limit is asserted in tests/integration/app-login-limits.test.ts; lockout.spec.ts runs its own server.
    const app = await startNodeApp({ databaseUrl, env: { EXPORT_DIR: exportDir, LOG_LEVEL: 'info', RATE_LIMITS: 'loginIp=10000/300' } });
    started.push(app.process);
    process.env.E2E_APP_LOG = app.process.logFile;
    process.env.E2E_BASE_URL = app.url;
    process.env.E2E_DATABASE_URL = databaseUrl;
    {
      // the Node service on the same database
      const service = spawnNodeScript({
        name: 'e2e-service',
        script: path.join(root, 'service/main.ts'),
        nodeArgs: ['--import', 'tsx'],
        cwd: root,
        env: {
          ...serviceEnv,
          EXPORT_DIR: exportDir,
          NODE_ENV: 'test',
          DATABASE_URL: databaseUrl,
          APP_FIXED_NOW: serviceClockStart(appSpawnedAt),
          LOG_LEVEL: 'info', // each job attempt's lines carry its trace_id (trace.spec.ts)
          SERVICE_INSTANCE_ID: 'e2e-service',
          SERVICE_HEARTBEAT_MS: '2000',
          SERVICE_POLL_MS: '250',
          // No cron ticks during the run: the specs' data stays as they set it up; "run now" still works.
          SERVICE_SCHEDULER: 'off',
          SERVICE_SHUTDOWN_GRACE_MS: '2000',
        },
      });
      started.push(service);
      process.env.E2E_SERVICE_LOG = service.logFile;
      process.env.E2E_SERVICE_QUEUES = (await serviceQueues(databaseUrl, service)).join(',');
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

/**
 * Both processes start their clock at APP_FIXED_NOW when they boot, so a service started seconds
 * after the app would run seconds behind it: its jobs would wait and its heartbeats look old. The
 * service's start is moved on by the time since the app was spawned, plus 2 s so it is never behind
 * (a job the app enqueues is due at once; /status shows a heartbeat "0 s ago" rather than stale).
 */
function serviceClockStart(appSpawnedAt: number): string {
  return new Date(Date.parse(TEST_NOW) + (Date.now() - appSpawnedAt) + 2_000).toISOString();
}

/** Waits for the service's first heartbeat and returns the queues it runs (its payload's `runs`). */
async function serviceQueues(databaseUrl: string, service: ManagedProcess): Promise<string[]> {
  const db = createClient({ url: databaseUrl, timeout: 5000 });
  let queues: string[] = [];
  try {
    await waitUntil(
      'the service heartbeat',
      async () => {
        const row = (await db.execute("SELECT payload FROM service_heartbeats WHERE instance_id = 'e2e-service'")).rows[0];
        if (!row) return false;
        const runs = (JSON.parse(String(row.payload)) as { runs?: unknown }).runs;
        queues = Array.isArray(runs) ? runs.map(String) : [];
        return true;
      },
      { process: service, timeoutMs: 30_000 },
    );
  } finally {
    db.close();
  }
  return queues;
}
