// Deactivate / reactivate, unlock, reset password, profile, and the admin's session controls on
// /admin/users/:id: the effect on the user's next request, the audit rows, and refusals that write nothing.
import bcrypt from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import {
  activityAbout,
  clientsLoader,
  createCompanyAdmin,
  expectNothingWritten,
  login,
  sessionCookieFrom,
  snapshotAll,
  userPageGet,
  userPagePost,
} from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { flashMessage, flashOf } from '../support/flash';

let t: TestDb;
let ctx: TestAppContext;
let admin: { userId: number; cookie: string };

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  admin = await startTestSession(ctx, 'admin@demo.test');
});
afterEach(() => t.close());

const AGENT = { email: 'agent@demo.test', fullName: 'Ben Cruz', password: 'amber lantern river stone' };
const agent = () => createTestUser(t.client, { ...AGENT, branches: ['MNLA01'], grants: [['clients:read', 'FCASH', 'branch']] });
const clients = (cookie: string) => callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients'));
const userRow = async (id: number) => (await sqlRows(t.client, 'SELECT * FROM users WHERE id = ?', [id]))[0];
const openSessions = async (id: number) => (await sqlRows(t.client, 'SELECT id FROM user_sessions WHERE user_id = ? AND ended_at IS NULL', [id])).length;
const endReasons = async (id: number) =>
  (await sqlRows(t.client, 'SELECT end_reason FROM user_sessions WHERE user_id = ? ORDER BY id', [id])).map((r) => r.end_reason);

describe('deactivate', () => {
  it("ends every session: the user's next request is sent to sign in; sign-in is refused; it is logged", async () => {
    const userId = await agent();
    const phone = await startTestSession(ctx, AGENT.email);
    const laptop = await startTestSession(ctx, AGENT.email);
    expect((await clients(phone.cookie)).status).toBe(200);

    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'deactivate' });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'User deactivated; their sessions ended.']);
    expect(await userRow(userId)).toMatchObject({ is_active: 0 });
    expect(await endReasons(userId)).toEqual(['deactivated', 'deactivated']);

    for (const { cookie } of [phone, laptop]) {
      const next = await clients(cookie);
      expect(next.status).toBe(302);
      expect(next.headers.get('location')).toBe('/login?redirectTo=%2Fclients');
    }
    const signIn = await login(ctx, AGENT.email, AGENT.password);
    expect(signIn.status).toBe(401);
    expect(sessionCookieFrom(signIn.headers)).toBeNull();

    expect(await activityAbout(t.client, 'user.deactivated', userId)).toEqual([
      expect.objectContaining({
        user_id: admin.userId,
        details: { old: { isActive: true }, new: { isActive: false }, sessionsEnded: 2 },
      }),
    ]);
  });

  it('reactivate lets the user sign in again (old sessions stay ended)', async () => {
    const userId = await agent();
    const old = await startTestSession(ctx, AGENT.email);
    await userPagePost(ctx, admin.cookie, userId, { intent: 'deactivate' });
    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'reactivate' });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'User reactivated.']);
    expect((await clients(old.cookie)).status).toBe(302);
    const signIn = await login(ctx, AGENT.email, AGENT.password);
    expect(signIn.status).toBe(302);
    expect((await clients(sessionCookieFrom(signIn.headers)!)).status).toBe(200);
    expect(await activityAbout(t.client, 'user.reactivated', userId)).toHaveLength(1);
  });

  it('an admin cannot deactivate themselves (400, nothing written, still signed in)', async () => {
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, admin.userId, { intent: 'deactivate' }));
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'deactivate', formError: 'You cannot deactivate your own account.' });
    expect((await clients(admin.cookie)).status).toBe(200);
  });
});

describe('unlock', () => {
  it('clears locked_until and the failure count; the user can sign in at once; logged with old values', async () => {
    const userId = await agent();
    const lockedUntil = ctx.clock.now().getTime() + 10 * 60_000;
    await t.client.execute({ sql: 'UPDATE users SET failed_login_count = 5, locked_until = ? WHERE id = ?', args: [lockedUntil, userId] });
    expect((await login(ctx, AGENT.email, AGENT.password)).status).toBe(401);
    expect((await userPageGet(ctx, admin.cookie, userId)).data.user).toMatchObject({ locked: true, failedLoginCount: 5 });

    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'unlock' });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'User unlocked.']);
    expect(await userRow(userId)).toMatchObject({ locked_until: null, failed_login_count: 0 });
    expect((await login(ctx, AGENT.email, AGENT.password)).status).toBe(302);
    expect(await activityAbout(t.client, 'user.unlocked', userId)).toEqual([
      expect.objectContaining({
        user_id: admin.userId,
        details: { old: { lockedUntil: new Date(lockedUntil).toISOString(), failedLoginCount: 5 }, new: { lockedUntil: null, failedLoginCount: 0 } },
      }),
    ]);
  });
});

describe('reset password', () => {
  it('returns a new temporary password once, ends every session, sets must_change_password; the old password stops working', async () => {
    const userId = await agent();
    const session = await startTestSession(ctx, AGENT.email);
    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'reset-password' });
    // Post/redirect/get: the temporary password rides once in the flash cookie (HttpOnly, ~60 s), never in the URL.
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(`/admin/users/${userId}`);
    const flash = flashOf(answer)!;
    expect(flash.message).toBe('Password reset; their sessions ended.');
    const temp: string = flash.secret!.value;
    expect(temp).toMatch(/^[A-Za-z0-9]{16}$/);

    const row = await userRow(userId);
    expect(row).toMatchObject({ must_change_password: 1 });
    expect(await bcrypt.compare(temp, String(row.password_hash))).toBe(true);
    expect(await endReasons(userId)).toEqual(['password_changed']);
    expect((await clients(session.cookie)).status).toBe(302);

    // Only the flash carries it; the user's page data never does.
    expect(JSON.stringify((await userPageGet(ctx, admin.cookie, userId)).data)).not.toContain(temp);
    for (const table of ['users', 'activity_logs', 'user_sessions']) {
      expect(JSON.stringify(await sqlRows(t.client, `SELECT * FROM ${table}`)), table).not.toContain(temp);
    }
    expect(ctx.logLines.join('\n')).not.toContain(temp);

    expect((await login(ctx, AGENT.email, AGENT.password)).status).toBe(401);
    const signIn = await login(ctx, AGENT.email, temp);
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get('location')).toBe('/account/password');
    // Until it is changed, every page sends the user to change it.
    const next = await clients(sessionCookieFrom(signIn.headers)!);
    expect(next.status).toBe(302);
    expect(next.headers.get('location')).toBe('/account/password');
    expect(await activityAbout(t.client, 'user.password_reset', userId)).toEqual([
      expect.objectContaining({ user_id: admin.userId, details: { sessionsEnded: 1 } }),
    ]);
  });

  it('an admin cannot reset their own password here (400, nothing written)', async () => {
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, admin.userId, { intent: 'reset-password' }));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe('Use Change password for your own account.');
  });
});

describe('profile', () => {
  it('changes name and email, logging only what changed', async () => {
    const userId = await agent();
    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'profile', email: AGENT.email, fullName: 'Benjamin Cruz' });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'Profile saved.']);
    expect(await activityAbout(t.client, 'user.updated', userId)).toEqual([
      expect.objectContaining({
        details: { old: { fullName: 'Ben Cruz' }, new: { fullName: 'Benjamin Cruz' } },
      }),
    ]);
  });

  it.each([
    ['an email another user has', { email: 'viewer@demo.test', fullName: 'Ben Cruz' }, { email: 'Another user has this email.' }],
    ['a malformed email', { email: 'ben at demo', fullName: 'Ben Cruz' }, { email: 'Enter a valid email address.' }],
    ['a name over 120 characters', { email: AGENT.email, fullName: 'B'.repeat(121) }, { fullName: 'Use at most 120 characters.' }],
  ])('refuses %s with 400 and a field error, writing nothing', async (_label, fields, fieldErrors) => {
    const userId = await agent();
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, userId, { intent: 'profile', ...fields }));
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'profile', fieldErrors });
  });
});

describe('sessions, by the admin', () => {
  it('ends one session of the user; a session id of another user is 404 and ends nothing', async () => {
    const userId = await agent();
    const a = await startTestSession(ctx, AGENT.email);
    const b = await startTestSession(ctx, AGENT.email);
    const [first] = await sqlRows(t.client, 'SELECT id FROM user_sessions WHERE user_id = ? ORDER BY id LIMIT 1', [userId]);
    const viewer = await startTestSession(ctx, 'viewer@demo.test');
    const [viewerSession] = await sqlRows(t.client, 'SELECT id FROM user_sessions WHERE user_id = ?', [viewer.userId]);

    const wrong = await expectNothingWritten(t.client, () =>
      userPagePost(ctx, admin.cookie, userId, { intent: 'end-session', sessionId: String(viewerSession.id) }),
    );
    expect(wrong.status).toBe(404);

    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'end-session', sessionId: String(first.id) });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'Session ended.']);
    expect((await clients(a.cookie)).status).toBe(302);
    expect((await clients(b.cookie)).status).toBe(200);
    expect((await clients(viewer.cookie)).status).toBe(200);
  });

  it('ends all sessions of the user, and only theirs', async () => {
    const userId = await agent();
    await startTestSession(ctx, AGENT.email);
    await startTestSession(ctx, AGENT.email);
    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'end-all-sessions' });
    expect([answer.status, flashMessage(answer)]).toEqual([302, '2 session(s) ended.']);
    expect(await openSessions(userId)).toBe(0);
    expect(await endReasons(userId)).toEqual(['revoked_by_admin', 'revoked_by_admin']);
    expect((await clients(admin.cookie)).status).toBe(200);
  });
});

describe('bad requests to the user page: 400 or 404, nothing written', () => {
  it.each([
    ['an unknown intent', { intent: 'make-superuser' }],
    ['no intent', { fullName: 'x' }],
    ['a session id that is not a number', { intent: 'end-session', sessionId: 'abc' }],
  ])('%s → 400 "not understood"', async (_label, fields) => {
    const userId = await agent();
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, userId, fields));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe('That form was not understood. Reload the page and try again.');
  });

  it.each(['999999', '0', '-1', '1e3', 'abc'])('user id %s → 404', async (id) => {
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, id, { intent: 'deactivate' }));
    expect(answer.status).toBe(404);
    expect((await userPageGet(ctx, admin.cookie, id)).status).toBe(404);
  });
});

describe('an admin of one company and a user who also holds the other company', () => {
  // admin@demo.test holds admin in FCASH and PCNI. An FCASH-only admin sees it (it has FCASH grants).
  // Resetting its password (or changing its email) would hand the FCASH admin the PCNI admin rights:
  // account-wide actions on a user who reaches beyond the acting admin's companies must be refused.
  it.each([
    ['reset-password', { intent: 'reset-password' }],
    ['profile (email)', { intent: 'profile', email: 'taken.over@demo.test', fullName: 'Demo Admin' }],
    ['deactivate', { intent: 'deactivate' }],
  ])('%s of a two-company admin is refused and writes nothing', async (_label, fields) => {
    await createCompanyAdmin(t.client, 'FCASH');
    const fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
    const before = await snapshotAll(t.client);
    const answer = await userPagePost(ctx, fcashAdmin.cookie, admin.userId, fields);
    expect([400, 403, 404], `answered ${answer.status}: ${JSON.stringify(answer.data)}`).toContain(answer.status);
    expect(await snapshotAll(t.client)).toEqual(before);
  });
});
