// Fault: the Upstash REST endpoint of the rate limiter (issue 14, "Faults"), in three ways: stopped
// (nothing listens on its port), slowed past the app's timeout (accepts and never answers), and
// answering errors (HTTP 500 with an Upstash error body). The app's limiter is built as the hosts
// build it (real @upstash/redis and @upstash/ratelimit, no retries). For each: sign-in, sync and
// export are refused with 503 and Retry-After (fail closed, domain.md), a signed-in read goes on, and
// no session, job, sync or export row is written by a refusal.
import http from 'node:http';
import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/platform/clock';
import { createUpstashLimiter } from '../../app/platform/rate-limit/upstash-limiter';
import { action as syncAction } from '../../app/routes/admin.sync._index';
import { action as exportsAction } from '../../app/routes/reports_.exports';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { clientsLoader, login } from '../support/admin-users';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { startHangingServer, type HangingServer } from '../support/hanging-http';
import { getFreePort } from '../support/ports';
import { sqlCount } from '../support/sql';

const BOUND_MS = 4_000; // under @upstash/ratelimit's own 5 s timeout, which would let the request through

/** An Upstash endpoint that answers every command with a server error. */
async function startErroringStore(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    received++;
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'ERR internal error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let hanging: HangingServer;
let erroring: Awaited<ReturnType<typeof startErroringStore>>;
let stoppedUrl: string;

beforeAll(async () => {
  hanging = await startHangingServer();
  erroring = await startErroringStore();
  stoppedUrl = `http://127.0.0.1:${await getFreePort()}`; // free: nothing listens there
});
afterAll(async () => {
  await hanging?.close();
  await erroring?.close();
});

const TABLES = ['user_sessions', 'job_queue', 'sync_jobs', 'export_jobs'] as const;
async function rowCounts(t: TestDb) {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = await sqlCount(t.client, `SELECT count(*) FROM ${table}`);
  return out;
}

const faults: Array<[string, () => string]> = [
  ['stopped', () => stoppedUrl],
  ['slowed past the timeout', () => hanging.url],
  ['answering errors', () => erroring.url],
];

describe.each(faults)('the Upstash endpoint %s', (_name, storeUrl) => {
  let t: TestDb;
  let ctx: TestAppContext;
  let up: TestAppContext; // the same database with a working (in-memory) limiter, to sign in beforehand

  beforeEach(async () => {
    t = await createTestDb();
    const limiter = createUpstashLimiter(new Redis({ url: storeUrl(), token: 'unused', retry: false }), systemClock);
    ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' }, limiter });
    up = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  });
  afterEach(() => t.close());

  it('refuses sign-in, sync and export with 503 and Retry-After; writes nothing', { timeout: BOUND_MS * 3 }, async () => {
    const admin = await startTestSession(up, 'admin@demo.test');
    const before = await rowCounts(t);

    const signIn = await login(ctx, 'viewer@demo.test', DEMO_PASSWORD);
    const sync = await callRoute(syncAction, ctx, requestWithCookie(admin.cookie, '/admin/sync', formInit({ mode: 'incremental' })));
    const exported = await callRoute(
      exportsAction,
      ctx,
      requestWithCookie(admin.cookie, '/reports/exports', formInit({ type: 'client_status', format: 'csv', company: 'fcash', period: '2026-11' })),
    );
    const answers = { signIn, sync, exported };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, name).toBe(503);
      expect(Number(answer.headers.get('retry-after')), `${name} says when to come back`).toBeGreaterThan(0);
    }
    expect(signIn.data.formError).toBe('Sign-in is paused for a moment. Please try again shortly.');
    expect(signIn.headers.get('set-cookie')).toBeNull();
    expect(sync.data.message).toMatch(/paused while the rate limiter is unreachable/);
    expect(await rowCounts(t)).toEqual(before);
    expect(ctx.logLines.filter((l) => l.includes('rate limiter store unreachable')).length).toBeGreaterThanOrEqual(3);
  });

  it('lets a signed-in read go on', { timeout: BOUND_MS }, async () => {
    const { cookie } = await startTestSession(up, 'viewer@demo.test');
    const page = await callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients'));
    expect(page.status).toBe(200);
  });
});
