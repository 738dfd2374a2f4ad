// The built Node host in this test process, on a fresh copy of the seeded test database, on a free
// 127.0.0.1 port: for tests that need the real request path (root layout, error boundaries, headers).
import { startNodeServer } from '../../server/node';
import { TEST_NOW } from './app-server';
import { createTestDb, type TestDb } from './db';
import { ensureNodeBuild } from './node-build';
import { startOnFreePort } from './ports';

export interface TestNodeHost {
  url: string;
  db: TestDb;
  /** Every log line the host wrote (at options.logLevel, default error). */
  logLines: string[];
  flushSpans(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `rateLimits` is the host's RATE_LIMITS (e.g. 'read=3/60'): low limits reach a 429 quickly over HTTP.
 * `env` adds or overrides host settings (e.g. COOKIE_SECURE: 'true' for the https-only headers).
 */
export async function startTestNodeHost(
  options: {
    rateLimits?: string;
    env?: Record<string, string>;
    logLevel?: 'debug' | 'info' | 'warn' | 'error';
    db?: TestDb;
  } = {},
): Promise<TestNodeHost> {
  ensureNodeBuild();
  const db = options.db ?? (await createTestDb());
  const logLines: string[] = [];
  const server = await startOnFreePort(undefined, (port) =>
    startNodeServer({
      port,
      host: '127.0.0.1',
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        COOKIE_SECURE: 'false',
        APP_FIXED_NOW: TEST_NOW,
        LOG_LEVEL: options.logLevel ?? 'error',
        ...(options.rateLimits ? { RATE_LIMITS: options.rateLimits } : {}),
        ...options.env,
      },
      writeLog: (line) => logLines.push(line),
    }),
  );
  return {
    url: server.url,
    db,
    logLines,
    flushSpans: () => server.flushSpans(),
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
