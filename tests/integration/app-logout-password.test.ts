// Signing out, and changing the password (which ends every other session).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as changePasswordAction, loader as changePasswordLoader } from '../../app/routes/account.password';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { action as loginAction } from '../../app/routes/login';
import { action as logoutAction, loader as logoutLoader } from '../../app/routes/logout';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { absoluteUrl, callRoute, formInit, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { flashMessage } from '../support/flash';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const clients = (cookie: string) => callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients'));
const sessionsOf = (userId: number) => sqlRows(t.client, 'SELECT id, ended_at, end_reason FROM user_sessions WHERE user_id = ? ORDER BY id', [userId]);

describe('logout', () => {
  it('ends the session, clears the cookie, and the old cookie no longer works', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    expect((await clients(cookie)).status).toBe(200);
    const answer = await callRoute(logoutAction, ctx, requestWithCookie(cookie, '/logout', { method: 'POST' }));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/login');
    expect(answer.headers.getSetCookie()[0]).toMatch(/^cu_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(flashMessage(answer)).toBe('You are signed out.');
    expect(await sessionsOf(userId)).toEqual([expect.objectContaining({ ended_at: ctx.clock.now().getTime(), end_reason: 'logout' })]);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.logout' AND user_id = ?", [userId])).toBe(1);
    const after = await clients(cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  });

  it('ends only that session: the same user on another device stays signed in', async () => {
    const phone = await startTestSession(ctx, 'branch.mnla01@demo.test');
    const laptop = await startTestSession(ctx, 'branch.mnla01@demo.test');
    await callRoute(logoutAction, ctx, requestWithCookie(phone.cookie, '/logout', { method: 'POST' }));
    expect((await clients(laptop.cookie)).status).toBe(200);
  });

  it('does not sign out on GET (a link or an image cannot end a session)', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'branch.mnla01@demo.test');
    const answer = await callRoute(logoutLoader, ctx, requestWithCookie(cookie, '/logout'));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(await sessionsOf(userId)).toEqual([expect.objectContaining({ ended_at: null })]);
  });

  it('clears the cookie even without a live session', async () => {
    const answer = await callRoute(logoutAction, ctx, new Request(absoluteUrl('/logout'), { method: 'POST' }));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});

describe('change password', () => {
  const NEW = 'a fresh winter passphrase';
  const change = (cookie: string, fields: Record<string, string>) =>
    callRoute(changePasswordAction, ctx, requestWithCookie(cookie, '/account/password', formInit(fields)));

  /** `countsFailure`: a wrong current password counts toward the lockout (decision 090): that one column changes. */
  async function unchanged<T>(userId: number, run: () => Promise<T>, countsFailure = false): Promise<T> {
    const users = await snapshot(t.client, 'users');
    const sessions = await sessionsOf(userId);
    const result = await run();
    const counted = (row: Record<string, unknown>) =>
      countsFailure && row.id === userId ? { ...row, failed_login_count: Number(row.failed_login_count) + 1, updated_at: expect.any(Number) } : row;
    expect(await snapshot(t.client, 'users')).toEqual(users.map(counted));
    expect(await sessionsOf(userId)).toEqual(sessions);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.password_changed'")).toBe(0);
    return result;
  }

  it('refuses a wrong current password with 400 and changes nothing but the failure count', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'viewer@demo.test');
    const answer = await unchanged(userId, () => change(cookie, { currentPassword: 'not-my-password', newPassword: NEW, confirmPassword: NEW }), true);
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ currentPassword: 'That is not your current password.' });
    expect(answer.data.values).toEqual({}); // one reply type for every form, and it never sends a password back
  });

  it.each([
    ['too short', 'short pass', { newPassword: 'Use at least 12 characters.' }],
    ['too common', 'password1234', { newPassword: 'That password is too common. Choose another.' }],
  ])('refuses a new password that is %s with 400 and changes nothing', async (_label, newPassword, fieldErrors) => {
    const { cookie, userId } = await startTestSession(ctx, 'viewer@demo.test');
    const answer = await unchanged(userId, () => change(cookie, { currentPassword: DEMO_PASSWORD, newPassword, confirmPassword: newPassword }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual(fieldErrors);
  });

  it('refuses the current password as the new one with 400 and changes nothing', async () => {
    const current = 'amber lantern river stone';
    await createTestUser(t.client, { email: 'clerk@demo.test', fullName: 'Lito Ramos', password: current, grants: [['clients:read', 'FCASH', 'all']] });
    const { cookie, userId } = await startTestSession(ctx, 'clerk@demo.test');
    const answer = await unchanged(userId, () => change(cookie, { currentPassword: current, newPassword: current, confirmPassword: current }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ newPassword: 'Choose a password different from the current one.' });
  });

  it('refuses two different new passwords with 400 and changes nothing', async () => {
    const { cookie, userId } = await startTestSession(ctx, 'viewer@demo.test');
    const answer = await unchanged(userId, () => change(cookie, { currentPassword: DEMO_PASSWORD, newPassword: NEW, confirmPassword: NEW + '!' }));
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual({ confirmPassword: 'The two new passwords differ.' });
  });

  it('changes the password, ends every other session, and keeps this device signed in with a new cookie', async () => {
    const other = await startTestSession(ctx, 'viewer@demo.test');
    const here = await startTestSession(ctx, 'viewer@demo.test');
    const answer = await change(here.cookie, { currentPassword: DEMO_PASSWORD, newPassword: NEW, confirmPassword: NEW });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/clients');
    // Two cookies on one redirect: the new session and the flash.
    expect(flashMessage(answer)).toBe('Password changed. Your other sessions were ended.');
    const fresh = /^(cu_session=[^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1];

    const sessions = await sessionsOf(here.userId);
    expect(sessions.slice(0, 2).map((s) => s.end_reason)).toEqual(['password_changed', 'password_changed']);
    expect(sessions[2]).toMatchObject({ ended_at: null });
    expect((await clients(other.cookie)).status).toBe(302);
    expect((await clients(here.cookie)).status).toBe(302);
    expect((await clients(fresh)).status).toBe(200);

    const login = (password: string) => callRoute(loginAction, ctx, new Request(absoluteUrl('/login'), formInit({ email: 'viewer@demo.test', password })));
    expect((await login(DEMO_PASSWORD)).status).toBe(401);
    expect((await login(NEW)).status).toBe(302);
    expect(ctx.logLines.join('\n')).not.toContain(NEW);
  });

  it('clears must_change_password, so the gate lets the user through afterwards', async () => {
    await t.client.execute("UPDATE users SET must_change_password = 1 WHERE email = 'viewer@demo.test'");
    const { cookie } = await startTestSession(ctx, 'viewer@demo.test');
    expect((await callRoute(changePasswordLoader, ctx, requestWithCookie(cookie, '/account/password'))).data).toEqual({ mustChange: true });
    const answer = await change(cookie, { currentPassword: DEMO_PASSWORD, newPassword: NEW, confirmPassword: NEW });
    const fresh = /^(cu_session=[^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1];
    expect((await clients(fresh)).status).toBe(200);
  });

  it('sends a visitor without a session to sign in', async () => {
    const answer = await callRoute(changePasswordAction, ctx, new Request(absoluteUrl('/account/password'), formInit({ currentPassword: 'x' })));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/login?redirectTo=%2Faccount%2Fpassword');
  });
});
