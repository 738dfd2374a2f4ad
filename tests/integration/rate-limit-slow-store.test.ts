// A rate-limit store that hangs (decision 080, "a slow store"): the app's Upstash limiter, with the
// real @upstash/redis and @upstash/ratelimit, against a loopback endpoint that never answers. The
// check gives up after UPSTASH_LIMIT_TIMEOUT_MS and counts as "store down": login, sync and export
// refuse, reads, writes and public pages go on and the outage is logged. Each test is bounded
// below the library's own 5 s default, so a limiter that waits for that default (and then lets the
// request through) fails here.
import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/platform/clock';
import { checkLimit } from '../../app/platform/rate-limit/check-limit';
import type { LimitPolicyName } from '../../app/platform/rate-limit/policies';
import { createUpstashLimiter, UPSTASH_LIMIT_TIMEOUT_MS } from '../../app/platform/rate-limit/upstash-limiter';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { clientsLoader, login } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { startHangingServer, type HangingServer } from '../support/hanging-http';
import { sqlCount } from '../support/sql';

const BOUND_MS = 4_000; // under @upstash/ratelimit's default timeout (5 s)

let store: HangingServer;
let t: TestDb;
let ctx: TestAppContext;

beforeAll(async () => {
  store = await startHangingServer();
});
afterAll(async () => {
  await store?.close();
});
beforeEach(async () => {
  t = await createTestDb();
  // As the hosts build it (server/node.ts, server/worker.ts): no retries, the app's limiter, default timeout.
  const limiter = createUpstashLimiter(new Redis({ url: store.url, token: 'unused', retry: false }), systemClock);
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' }, limiter });
});
afterEach(() => t.close());

const unreachableLogged = () => ctx.logLines.filter((l) => l.includes('rate limiter store unreachable')).length;

describe('a hanging limiter store', () => {
  it('is given up after the app timeout: fail-closed policies refuse, the others pass; every one is logged', { timeout: BOUND_MS }, async () => {
    expect(UPSTASH_LIMIT_TIMEOUT_MS).toBeLessThan(BOUND_MS / 2);
    const names: LimitPolicyName[] = ['loginUser', 'loginIp', 'sync', 'export', 'read', 'write', 'public'];
    const results = await Promise.all(names.map((name) => checkLimit(ctx, name, `user:${name}`)));
    expect(Object.fromEntries(names.map((name, i) => [name, [results[i].success, results[i].storeDown]]))).toEqual({
      loginUser: [false, true],
      loginIp: [false, true],
      sync: [false, true],
      export: [false, true],
      read: [true, true],
      write: [true, true],
      public: [true, true],
    });
    expect(store.received()).toBeGreaterThan(0); // the requests really reached the hanging endpoint
    expect(unreachableLogged()).toBe(names.length);
  });

  it('sign-in answers 503 without checking the password or starting a session', { timeout: BOUND_MS }, async () => {
    const answer = await login(ctx, 'viewer@demo.test', DEMO_PASSWORD);
    expect(answer.status).toBe(503);
    expect(answer.data.formError).toBe('Sign-in is paused for a moment. Please try again shortly.');
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.login'")).toBe(0);
  });

  it('a signed-in read goes on (fail open) and the outage is logged', { timeout: BOUND_MS }, async () => {
    const { cookie } = await startTestSession(ctx, 'viewer@demo.test');
    const page = await callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients'));
    expect(page.status).toBe(200);
    expect(unreachableLogged()).toBe(1);
  });
});
