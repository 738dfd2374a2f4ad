// The gate every loader passes: sign-in, session limits, permission, per-user read limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { worstStretch, type Attempt } from '../support/limit-runs';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const clients = (cookie: string | null, url = '/clients') =>
  callRoute(clientsLoader, ctx, cookie ? requestWithCookie(cookie, url) : new Request(new URL(url, 'http://localhost')));
const sessionRow = async (userId: number) =>
  (await sqlRows(t.client, 'SELECT ended_at, end_reason FROM user_sessions WHERE user_id = ? ORDER BY id DESC LIMIT 1', [userId]))[0];

describe('the gate: who gets in', () => {
  it('sends a visitor without a cookie to sign in, remembering where they were going', async () => {
    const answer = await clients(null, '/clients?q=santos&page=2');
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent('/clients?q=santos&page=2')}`);
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('sends a forged or unknown cookie to sign in and clears it', async () => {
    const answer = await clients('cu_session=' + 'A'.repeat(43));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    expect(answer.headers.get('set-cookie')).toMatch(/^cu_session=;.*Max-Age=0/);
  });

  it('refuses a signed-in user without clients:read with 403 and records the denial', async () => {
    const userId = await createTestUser(t.client, { email: 'reports.only@demo.test', grants: [['reports:read', 'FCASH', 'all']] });
    const { cookie } = await startTestSession(ctx, 'reports.only@demo.test');
    const answer = await clients(cookie);
    expect(answer.status).toBe(403);
    expect(answer.data).toEqual({ message: 'You do not have permission for this.' });
    const [denied] = await sqlRows(t.client, "SELECT user_id, resource_type, resource_id, details, ip FROM activity_logs WHERE action = 'access.denied'");
    expect(denied).toMatchObject({ user_id: userId, resource_type: 'route', resource_id: '/clients', ip: '127.0.0.1' });
    expect(JSON.parse(String(denied.details))).toEqual({ permission: 'clients:read', method: 'GET' });
  });

  it('sends a user who must change the password to that screen first', async () => {
    const userId = await userIdByEmail(t.db, 'viewer@demo.test');
    await t.client.execute({ sql: 'UPDATE users SET must_change_password = 1 WHERE id = ?', args: [userId] });
    const { cookie } = await startTestSession(ctx, 'viewer@demo.test');
    const answer = await clients(cookie);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/account/password');
  });
});

describe('the gate: sessions end', () => {
  it('refuses a session that was ended', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    expect((await clients(cookie)).status).toBe(200);
    await t.client.execute({ sql: "UPDATE user_sessions SET ended_at = 1, end_reason = 'revoked_by_admin' WHERE user_id = ?", args: [userId] });
    const answer = await clients(cookie);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
  });

  it('ends the sessions of a deactivated user at their next request', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    await t.client.execute({ sql: 'UPDATE users SET is_active = 0 WHERE id = ?', args: [userId] });
    expect((await clients(cookie)).status).toBe(302);
    expect(await sessionRow(userId)).toMatchObject({ end_reason: 'deactivated', ended_at: ctx.clock.now().getTime() });
  });

  it('ends a session idle for more than 60 minutes, and the cookie stays dead afterwards', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    ctx.clock.advance(61 * 60_000);
    expect((await clients(cookie)).status).toBe(302);
    expect(await sessionRow(userId)).toMatchObject({ end_reason: 'idle_timeout' });
    ctx.clock.advance(-60 * 60_000); // even back within the window, an ended session stays ended
    expect((await clients(cookie)).status).toBe(302);
  });

  it('keeps an active user signed in: each request restarts the idle timer', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    for (let i = 0; i < 4; i++) {
      ctx.clock.advance(50 * 60_000);
      expect((await clients(cookie)).status).toBe(200);
    }
    expect(await sessionRow(userId)).toMatchObject({ ended_at: null, end_reason: null });
  });

  it('ends even an active session 12 hours after sign-in', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    for (let elapsed = 50; elapsed < 720; elapsed += 50) {
      ctx.clock.advance(50 * 60_000);
      expect((await clients(cookie)).status).toBe(200);
    }
    ctx.clock.advance(50 * 60_000);
    expect((await clients(cookie)).status).toBe(302);
    expect(await sessionRow(userId)).toMatchObject({ end_reason: 'absolute_timeout' });
  });
});

describe('the gate: read limit per user (100 per minute)', () => {
  it('serves 100 reads, answers the 101st with 429 and Retry-After, and lets other users on', async () => {
    const { cookie, token } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await clients(cookie, '/clients?pageSize=1')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const refused = await clients(cookie, '/clients?pageSize=1');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(refused.data.message).toBe(`Too many requests. Please wait ${retryAfter} seconds and try again.`);
    expect(ctx.logLines.some((l) => JSON.parse(l).msg === 'rate limited')).toBe(true);
    expect(ctx.logLines.join('\n')).not.toContain(token);

    const other = await startTestSession(ctx, 'tele.fcash@demo.test');
    expect((await clients(other.cookie)).status).toBe(200);

    ctx.clock.advance(2 * 60_000);
    expect((await clients(cookie)).status).toBe(200);
  });
});

describe('the gate: the read limit across a window edge (decision 080)', () => {
  it('a run from 250 ms before a minute edge to past it is admitted at most 100 + 1, then 429', async () => {
    const { cookie } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    ctx.clock.set('2026-11-15T02:00:59.750Z'); // the read window (60 s) ends at 02:01:00
    const edge = new Date('2026-11-15T02:01:00.000Z').getTime();
    const attempts: Attempt[] = [];
    for (let i = 0; i < 300; i++) {
      const at = ctx.clock.now().getTime();
      const status = (await clients(cookie, '/clients?pageSize=1')).status;
      attempts.push({ sentAt: at, answeredAt: at, admitted: status === 200 });
      if (status === 429 && at > edge) break;
      ctx.clock.advance(2);
    }
    expect(attempts[0].sentAt).toBeLessThan(edge);
    expect(attempts.at(-1)!.sentAt).toBeGreaterThan(edge);
    const policy = ctx.limiter.policies.read;
    const worst = worstStretch(attempts, policy); // the run is shorter than one share of the window (600 ms)
    expect(worst.admitted, `worst stretch ${worst.spanMs} ms`).toBeLessThanOrEqual(worst.bound);
  });
});
