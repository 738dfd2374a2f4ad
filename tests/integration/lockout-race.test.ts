// The lockout under concurrency (decision 090): wrong guesses sent at once must lock the account
// like the same guesses one after another, and a right password checked while the lock is being
// set must not clear it. Real login route and core sign-in on a real libSQL file, no mocks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../app/core/access/password.server';
import { signIn } from '../../app/core/access/sign-in.server';
import { login } from '../support/admin-users';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

const EMAIL = 'guessed@demo.test';
const PASSWORD = 'the right long password';
const MIN = 60_000;

let t: TestDb;
let ctx: TestAppContext;
let userId: number;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  userId = await createTestUser(t.client, { email: EMAIL, password: PASSWORD });
});
afterEach(() => t.close());

const stateOf = async () => (await sqlRows(t.client, 'SELECT failed_login_count, locked_until FROM users WHERE id = ?', [userId]))[0];
const actionsOf = async () =>
  (await sqlRows(t.client, "SELECT action FROM activity_logs WHERE user_id = ? AND action LIKE 'auth.%' ORDER BY id", [userId])).map((r) => r.action);

describe('concurrent wrong passwords', () => {
  it('five at once through /login (all inside the per-username limit) lock the account; the right password is then refused', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => login(ctx, EMAIL, `wrong guess ${i}`)));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await stateOf()).toEqual({ failed_login_count: 5, locked_until: ctx.clock.now().getTime() + 15 * MIN });
    expect((await signIn(ctx, { email: EMAIL, password: PASSWORD, userAgent: null })).ok).toBe(false);
  });

  it('twelve at once: exactly five are counted, one lock, the rest refused as locked', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(ctx, { email: EMAIL, password: `wrong ${i}`, userAgent: null })));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await stateOf()).toEqual({ failed_login_count: 5, locked_until: ctx.clock.now().getTime() + 15 * MIN });
    const actions = await actionsOf();
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(5);
    expect(actions.filter((a) => a === 'auth.locked')).toHaveLength(1);
    expect(actions.filter((a) => a === 'auth.login_refused_locked')).toHaveLength(7);
    expect(await signIn(ctx, { email: EMAIL, password: PASSWORD, userAgent: null })).toEqual({ ok: false, code: 'LOCKED' });
  });
});

describe('a right password in flight', () => {
  it('is refused when the lock is set while its hash is being checked, and the lock stays', async () => {
    // A slow hash (cost 12) keeps the check in flight long after the user row was read.
    await t.client.execute({ sql: 'UPDATE users SET password_hash = ? WHERE id = ?', args: [await hashPassword(PASSWORD, 12), userId] });
    const inFlight = signIn(ctx, { email: EMAIL, password: PASSWORD, userAgent: null });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const lockedUntil = ctx.clock.now().getTime() + 15 * MIN;
    await t.client.execute({ sql: 'UPDATE users SET failed_login_count = 5, locked_until = ? WHERE id = ?', args: [lockedUntil, userId] });
    expect(await inFlight).toEqual({ ok: false, code: 'LOCKED' });
    expect(await stateOf()).toEqual({ failed_login_count: 5, locked_until: lockedUntil });
    expect(await actionsOf()).toEqual(['auth.login_refused_locked']);
  });
});
