// Lockout of a user an admin created, with the clock moved by hand: 5 failures lock for 15 minutes,
// the right password is refused meanwhile with the same message, it works after the lock period, the
// count starts again from zero, and the admin's activity screen shows all of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRoute, requestWithCookie, startTestSession, testContext } from '../support/app-context';
import { activityLoader, createdUserOf, createUserPost, login, userPageGet } from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

const GENERIC = 'That email and password did not work, or the account is locked. Please try again later or ask your admin.';
const USER = { email: 'lockme@demo.test', fullName: 'Lourdes Santiago' };
const MIN = 60_000;

let t: TestDb;

beforeEach(async () => {
  t = await createTestDb();
});
afterEach(() => t.close());

async function setup(env: Record<string, string> = {}) {
  const ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4', ...env } });
  const admin = await startTestSession(ctx, 'admin@demo.test');
  const created = await createUserPost(ctx, admin.cookie, USER);
  const { id: userId, temporaryPassword: password } = createdUserOf(created);
  return { ctx, admin, userId, password };
}

const stateOf = async (userId: number) => (await sqlRows(t.client, 'SELECT failed_login_count, locked_until FROM users WHERE id = ?', [userId]))[0];
const actionsOf = async (userId: number) =>
  (await sqlRows(t.client, "SELECT action FROM activity_logs WHERE user_id = ? AND action LIKE 'auth.%' ORDER BY id", [userId])).map((r) => r.action);

describe('lockout (production limits)', () => {
  it('locks after 5 failures; the right password is refused alike; after 15 minutes it works; the activity screen shows it all', async () => {
    const { ctx, admin, userId, password } = await setup();
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await login(ctx, USER.email, `wrong password ${i}`));
    expect(wrong.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(wrong.every((a) => a.data.formError === GENERIC)).toBe(true);
    const lockedAt = ctx.clock.now().getTime();
    expect(await stateOf(userId)).toEqual({ failed_login_count: 5, locked_until: lockedAt + 15 * MIN });
    expect((await userPageGet(ctx, admin.cookie, userId)).data.user).toMatchObject({ locked: true });

    // At once, the per-username limit (5 per 5 minutes) answers first: 429, and no password is checked.
    const limited = await login(ctx, USER.email, password);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('set-cookie')).toBeNull();

    // Once the limit's sliding window has passed (two 5-minute windows), still inside the lock: the right
    // and a wrong password get the same answer.
    ctx.clock.advance(10 * MIN);
    const right = await login(ctx, USER.email, password);
    const another = await login(ctx, USER.email, 'wrong password again');
    for (const answer of [right, another]) {
      expect(answer.status).toBe(401);
      expect(answer.data.formError).toBe(GENERIC);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    // A refused attempt while locked neither extends the lock nor counts.
    expect(await stateOf(userId)).toEqual({ failed_login_count: 5, locked_until: lockedAt + 15 * MIN });

    ctx.clock.set(new Date(lockedAt + 15 * MIN));
    const opened = await login(ctx, USER.email, password);
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe('/account/password'); // still the temporary password
    expect(await stateOf(userId)).toEqual({ failed_login_count: 0, locked_until: null });

    expect(await actionsOf(userId)).toEqual([
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.login_failed',
      'auth.locked',
      'auth.login_rate_limited',
      'auth.login_refused_locked',
      'auth.login_refused_locked',
      'auth.login',
    ]);

    // The admin's activity screen, filtered by the user's email, shows the same.
    const screen = await callRoute(activityLoader, ctx, requestWithCookie(admin.cookie, `/admin/activity?user=${encodeURIComponent(USER.email)}&pageSize=100`));
    expect(screen.status).toBe(200);
    expect(screen.data.list.rows.map((r: any) => r.action).reverse()).toEqual(await actionsOf(userId));
    for (const action of ['auth.login_failed', 'auth.locked', 'auth.login_refused_locked']) {
      const filtered = await callRoute(
        activityLoader,
        ctx,
        requestWithCookie(admin.cookie, `/admin/activity?user=${encodeURIComponent(USER.email)}&action=${action}`),
      );
      expect(filtered.data.list.rows.length, action).toBeGreaterThan(0);
      expect(
        filtered.data.list.rows.every((r: any) => r.action === action),
        action,
      ).toBe(true);
    }
  });
});

describe('lockout: the count after a lock (login limit widened so every attempt reaches the password check)', () => {
  const wide = { RATE_LIMITS: 'loginUser=100/300' };

  it('restarts from zero when the lock has run out: one failure is 1, not 6, and does not lock again', async () => {
    const { ctx, userId, password } = await setup(wide);
    for (let i = 0; i < 5; i++) await login(ctx, USER.email, `wrong ${i}`);
    ctx.clock.advance(15 * MIN);
    expect((await login(ctx, USER.email, 'wrong after the lock')).status).toBe(401);
    expect(await stateOf(userId)).toEqual({ failed_login_count: 1, locked_until: null });
    for (let i = 0; i < 3; i++) await login(ctx, USER.email, `wrong again ${i}`);
    expect(await stateOf(userId)).toMatchObject({ failed_login_count: 4, locked_until: null });
    expect((await login(ctx, USER.email, password)).status).toBe(302);
    expect(await stateOf(userId)).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('five new failures after the lock lock it again, for another 15 minutes', async () => {
    const { ctx, userId, password } = await setup(wide);
    for (let i = 0; i < 5; i++) await login(ctx, USER.email, `wrong ${i}`);
    ctx.clock.advance(15 * MIN);
    for (let i = 0; i < 5; i++) await login(ctx, USER.email, `wrong again ${i}`);
    expect(await stateOf(userId)).toEqual({ failed_login_count: 5, locked_until: ctx.clock.now().getTime() + 15 * MIN });
    expect((await login(ctx, USER.email, password)).data.formError).toBe(GENERIC);
    expect((await actionsOf(userId)).filter((a) => a === 'auth.locked')).toHaveLength(2);
  });

  it('an unknown email gets the very same answer as a locked account', async () => {
    const { ctx, password } = await setup(wide);
    for (let i = 0; i < 5; i++) await login(ctx, USER.email, `wrong ${i}`);
    const locked = await login(ctx, USER.email, password);
    const unknown = await login(ctx, 'nobody.here@demo.test', password);
    expect(unknown.status).toBe(locked.status);
    expect(unknown.data).toEqual({ ...locked.data, values: { email: 'nobody.here@demo.test' } });
  });
});
