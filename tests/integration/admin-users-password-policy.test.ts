// The password policy of domain.md, end to end through the change-password screen of a user an
// admin has just created: 12–128 characters, not a common password, not the user's own name or email.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { action as changePasswordAction } from '../../app/routes/account.password';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createdUserOf, createUserPost, expectNothingWritten, login, postForm, sessionCookieFrom } from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let temp: string;
let cookie: string;

const USER = { email: 'rosalinda.aquino@demo.test', fullName: 'Rosalinda Aquino' };

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  const admin = await startTestSession(ctx, 'admin@demo.test');
  const created = await createUserPost(ctx, admin.cookie, USER);
  temp = createdUserOf(created).temporaryPassword;
  const signedIn = await login(ctx, USER.email, temp);
  expect(signedIn.headers.get('location')).toBe('/account/password');
  cookie = sessionCookieFrom(signedIn.headers)!;
});
afterEach(() => t.close());

const change = (newPassword: string, confirmPassword = newPassword, currentPassword = temp) =>
  callRoute(changePasswordAction, ctx, requestWithCookie(cookie, '/account/password', postForm({ currentPassword, newPassword, confirmPassword })));

/** A phrase of exactly n characters that no list holds. */
function phrase(n: number): string {
  const words = ['amber', 'lantern', 'river', 'stone', 'cobalt', 'mango', 'jeepney', 'harbor', 'violet', 'tamarind'];
  let out = '';
  for (let i = 0; out.length < n; i++) out += (out ? ' ' : '') + words[i % words.length] + i;
  return out.slice(0, n);
}

describe('password policy through change password', () => {
  beforeAll(() => {
    expect(phrase(12)).toHaveLength(12);
    expect(phrase(128)).toHaveLength(128);
  });

  it.each([
    ['qwerty123456', 'That password is too common. Choose another.'],
    ['dragon123456!', 'That password is too common. Choose another.'],
    ['Password1234', 'That password is too common. Choose another.'],
    ['iloveyou2026!!', 'That password is too common. Choose another.'],
    ['aaaaaaaaaaaaaaaa', 'That password is too common. Choose another.'],
    [USER.email, 'Do not use your name or email in your password.'],
    ['rosalinda.aquino-2026', 'Do not use your name or email in your password.'],
    ['RosalindaAquino!!', 'Do not use your name or email in your password.'],
    ['rosalinda aquino 99', 'Do not use your name or email in your password.'],
    [phrase(11), 'Use at least 12 characters.'],
    [phrase(129), 'Use at most 128 characters.'],
    ['', 'Use at least 12 characters.'],
  ])('refuses %j with 400 and the message, and changes nothing', async (newPassword, message) => {
    const answer = await expectNothingWritten(t.client, () => change(newPassword));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toMatchObject({ newPassword: message });
  });

  it('a 129-character password gets one clear message, not a library message on the confirm field', async () => {
    const answer = await change(phrase(129));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ newPassword: 'Use at most 128 characters.' });
  });

  it.each([12, 128])('accepts a password of exactly %i characters', async (n) => {
    const answer = await change(phrase(n));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/clients');
    const [row] = await sqlRows(t.client, 'SELECT must_change_password, password_changed_at FROM users WHERE email = ?', [USER.email]);
    expect(row).toEqual({ must_change_password: 0, password_changed_at: ctx.clock.now().getTime() });
    expect((await login(ctx, USER.email, phrase(n))).status).toBe(302);
  });

  it('has no composition rules: lower-case words with spaces are fine', async () => {
    expect((await change('mango season at the harbor')).status).toBe(302);
  });

  it('refuses a wrong current password before judging the new one (and logs the failed attempt)', async () => {
    const answer = await change(phrase(20), phrase(20), 'not-the-temporary-one');
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ currentPassword: 'That is not your current password.' });
    const logs = await sqlRows(t.client, "SELECT action FROM activity_logs WHERE action = 'auth.password_change_failed'");
    expect(logs).toHaveLength(1);
  });

  it('refuses the temporary password itself as the new one', async () => {
    const answer = await expectNothingWritten(t.client, () => change(temp));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ newPassword: 'Choose a password different from the current one.' });
  });

  it('refuses two different new passwords', async () => {
    const answer = await expectNothingWritten(t.client, () => change(phrase(20), phrase(21)));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ confirmPassword: 'The two new passwords differ.' });
  });
});
