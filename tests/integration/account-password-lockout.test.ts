// Wrong current passwords on /account/password count toward the sign-in lockout (decision 090): a
// stolen session cannot guess the password without locking the account, and while it is locked
// the change is refused even with the right current password.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as changePasswordAction } from '../../app/routes/account.password';
import { login } from '../support/admin-users';
import { callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

const EMAIL = 'clerk@demo.test';
const CURRENT = 'amber lantern river stone';
const NEW = 'a fresh winter passphrase';
const GENERIC = 'That email and password did not work, or the account is locked. Please try again later or ask your admin.';
const MIN = 60_000;

let t: TestDb;
let ctx: TestAppContext;
let userId: number;
let cookie: string;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  userId = await createTestUser(t.client, { email: EMAIL, fullName: 'Lito Ramos', password: CURRENT, grants: [['clients:read', 'FCASH', 'all']] });
  cookie = (await startTestSession(ctx, EMAIL)).cookie;
});
afterEach(() => t.close());

const change = (currentPassword: string) =>
  callRoute(changePasswordAction, ctx, requestWithCookie(cookie, '/account/password', formInit({ currentPassword, newPassword: NEW, confirmPassword: NEW })));
const stateOf = async () =>
  (await sqlRows(t.client, 'SELECT failed_login_count, locked_until, password_hash FROM users WHERE id = ?', [userId])).map(({ password_hash, ...rest }) => ({
    ...rest,
    hash: password_hash,
  }))[0];
const actionsOf = async () =>
  (await sqlRows(t.client, "SELECT action FROM activity_logs WHERE user_id = ? AND action LIKE 'auth.%' ORDER BY id", [userId])).map((r) => r.action);

describe('wrong current passwords on /account/password', () => {
  it('five lock the account for 15 minutes; sign-in and the change itself are then refused, even with the right password', async () => {
    const before = await stateOf();
    for (let i = 0; i < 5; i++) {
      const answer = await change(`not my password ${i}`);
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors).toEqual({ currentPassword: 'That is not your current password.' });
    }
    const lockedUntil = ctx.clock.now().getTime() + 15 * MIN;
    expect(await stateOf()).toEqual({ failed_login_count: 5, locked_until: lockedUntil, hash: before.hash });

    const right = await change(CURRENT);
    expect(right.status).toBe(400);
    expect(right.data.fieldErrors).toEqual({ currentPassword: 'That is not your current password.' });
    expect((await stateOf()).hash).toBe(before.hash);
    const signIn = await login(ctx, EMAIL, CURRENT);
    expect([signIn.status, signIn.data.formError]).toEqual([401, GENERIC]);
    expect(await actionsOf()).toEqual([
      ...Array(5).fill('auth.password_change_failed'),
      'auth.locked',
      'auth.password_change_refused_locked',
      'auth.login_refused_locked',
    ]);
    expect(await stateOf()).toMatchObject({ failed_login_count: 5, locked_until: lockedUntil });

    // After the lock the right current password changes it, and the count is back to zero.
    ctx.clock.advance(15 * MIN);
    expect((await change(CURRENT)).status).toBe(302);
    expect(await stateOf()).toMatchObject({ failed_login_count: 0, locked_until: null });
  });

  it('share one count with failed sign-ins: three wrong logins and two wrong current passwords lock', async () => {
    for (let i = 0; i < 3; i++) expect((await login(ctx, EMAIL, `wrong login ${i}`)).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await change(`wrong current ${i}`)).status).toBe(400);
    expect(await stateOf()).toMatchObject({ failed_login_count: 5, locked_until: ctx.clock.now().getTime() + 15 * MIN });
  });
});
