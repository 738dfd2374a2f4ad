// Lockout after 5 consecutive failures, and the login limits per username and per IP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as loginAction } from '../../app/routes/login';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { absoluteUrl, callRoute, formInit, perRequest, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

let t: TestDb;

beforeEach(async () => {
  t = await createTestDb();
});
afterEach(() => t.close());

const login = (ctx: TestAppContext, email: string, password: string) =>
  callRoute(loginAction, ctx, new Request(absoluteUrl('/login'), formInit({ email, password })));
const actionsOf = async (userId: number) =>
  (await sqlRows(t.client, 'SELECT action FROM activity_logs WHERE user_id = ? ORDER BY id', [userId])).map((r) => r.action);

describe('lockout: 5 consecutive failures lock the account for 15 minutes', () => {
  // The per-username limit (also 5) would answer 429 first; widen it so the lockout itself is observed.
  const wideLoginLimit = { RATE_LIMITS: 'loginUser=100/300' };

  it('locks after the 5th failure, refuses the right password with the same message, and opens again after 15 minutes', async () => {
    const ctx = testContext({ db: t.db, env: wideLoginLimit });
    const userId = await userIdByEmail(t.db, 'branch.mnla01@demo.test');
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push(await login(ctx, 'branch.mnla01@demo.test', `wrong-guess-${i}`));
    expect(failures.map((f) => f.status)).toEqual([401, 401, 401, 401, 401]);
    const message = failures[0].data.formError;
    expect(failures.every((f) => f.data.formError === message)).toBe(true);

    const [locked] = await sqlRows(t.client, 'SELECT failed_login_count, locked_until FROM users WHERE id = ?', [userId]);
    expect(locked).toEqual({ failed_login_count: 5, locked_until: ctx.clock.now().getTime() + 15 * 60_000 });

    const refused = await login(ctx, 'branch.mnla01@demo.test', DEMO_PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.data.formError).toBe(message);
    expect(refused.headers.get('set-cookie')).toBeNull();

    ctx.clock.advance(14 * 60_000 + 59_000);
    expect((await login(ctx, 'branch.mnla01@demo.test', DEMO_PASSWORD)).status).toBe(401);
    ctx.clock.advance(1_000);
    const opened = await login(ctx, 'branch.mnla01@demo.test', DEMO_PASSWORD);
    expect(opened.status).toBe(302);
    expect(opened.headers.get('set-cookie')).toMatch(/^cu_session=/);
    expect((await sqlRows(t.client, 'SELECT failed_login_count, locked_until FROM users WHERE id = ?', [userId]))[0]).toEqual({
      failed_login_count: 0,
      locked_until: null,
    });

    expect(await actionsOf(userId)).toEqual([
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.locked',
      'auth.login_refused_locked',
      'auth.login_refused_locked',
      'auth.login',
    ]);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_sessions WHERE user_id = ?', [userId])).toBe(1);
  });

  // Users made here hash at a low cost, so the many attempts below stay quick.
  const clerk = { email: 'clerk@demo.test', fullName: 'Lito Ramos', password: 'amber lantern river stone' } as const;

  it('counts only consecutive failures: a success resets the count', async () => {
    const ctx = testContext({ db: t.db, env: wideLoginLimit });
    await createTestUser(t.client, clerk);
    for (let i = 0; i < 4; i++) await login(ctx, clerk.email, `wrong-${i}`);
    expect((await login(ctx, clerk.email, clerk.password)).status).toBe(302);
    for (let i = 0; i < 4; i++) await login(ctx, clerk.email, `wrong-again-${i}`);
    expect((await login(ctx, clerk.email, clerk.password)).status).toBe(302);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.locked'")).toBe(0);
  });

  it('locks only the account attacked, not others', async () => {
    const ctx = testContext({ db: t.db, env: wideLoginLimit });
    await createTestUser(t.client, clerk);
    await createTestUser(t.client, { ...clerk, email: 'other.clerk@demo.test' });
    for (let i = 0; i < 5; i++) await login(ctx, clerk.email, `wrong-${i}`);
    expect((await login(ctx, clerk.email, clerk.password)).status).toBe(401);
    expect((await login(ctx, 'other.clerk@demo.test', clerk.password)).status).toBe(302);
  });
});

describe('login limits', () => {
  it('answers the 6th attempt for one username within 5 minutes with 429 and Retry-After, even with the right password', async () => {
    const ctx = testContext({ db: t.db });
    const userId = await userIdByEmail(t.db, 'viewer@demo.test');
    for (let i = 0; i < 5; i++) expect((await login(ctx, 'viewer@demo.test', `wrong-${i}`)).status).toBe(401);
    const before = await sqlCount(t.client, 'SELECT count(*) FROM activity_logs');

    const limited = await login(ctx, 'VIEWER@demo.test', DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 300).toBe(true);
    expect(limited.data.formError).toBe(`Too many sign-in attempts. Please wait ${retryAfter} seconds.`);
    expect(limited.headers.get('set-cookie')).toBeNull();
    // Refused before any password check: one audit row saying so (with the user), no session, no change to the account.
    expect(await sqlCount(t.client, 'SELECT count(*) FROM activity_logs')).toBe(before + 1);
    expect((await sqlRows(t.client, 'SELECT action, user_id FROM activity_logs ORDER BY id DESC LIMIT 1'))[0]).toEqual({
      action: 'auth.login_rate_limited',
      user_id: userId,
    });
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_sessions WHERE user_id = ?', [userId])).toBe(0);

    expect((await login(ctx, 'admin@demo.test', DEMO_PASSWORD)).status).toBe(302);
  });

  it('answers the 31st attempt from one IP within 5 minutes with 429, whatever the usernames; other IPs go on', async () => {
    const ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
    const office = perRequest(ctx, { clientIp: '203.0.113.7' });
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await login(office, `staff${i}@demo.test`, 'whatever-password')).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const limited = await login(office, 'admin@demo.test', DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(perRequest(ctx, { clientIp: '198.51.100.9' }), 'admin@demo.test', DEMO_PASSWORD)).status).toBe(302);
  });
});
