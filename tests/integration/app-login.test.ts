// Signing in through the login action: cookie, stored hash only, one generic failure message.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as loginAction } from '../../app/routes/login';
import { loader as clientsLoader } from '../../app/routes/clients._index';
import { DEMO_PASSWORD } from '../../db/seed/index';
import { absoluteUrl, callRoute, formInit, requestWithCookie, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { snapshot, sqlCount, sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const GENERIC_FAILURE = 'That email and password did not work, or the account is locked. Please try again later or ask your admin.';

const login = (fields: Record<string, string>, url = '/login') =>
  callRoute(loginAction, ctx, new Request(absoluteUrl(url), formInit(fields, { 'user-agent': 'vitest-browser' })));
const tokenFrom = (setCookie: string | null) => /^cu_session=([^;]+);/.exec(setCookie ?? '')?.[1] ?? '';

describe('login: success', () => {
  it('redirects with an HttpOnly, SameSite=Lax, Secure session cookie that opens the app', async () => {
    const answer = await login({ email: 'branch.mnla01@demo.test', password: DEMO_PASSWORD });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/clients');
    const setCookie = answer.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^cu_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('Path=/');
    const next = await callRoute(clientsLoader, ctx, requestWithCookie(`cu_session=${tokenFrom(setCookie)}`, '/clients'));
    expect(next.status).toBe(200);
  });

  it('stores only the SHA-256 of the token: the token itself is nowhere in the database or the logs', async () => {
    const answer = await login({ email: 'branch.mnla01@demo.test', password: DEMO_PASSWORD });
    const token = tokenFrom(answer.headers.get('set-cookie'));
    const userId = await userIdByEmail(t.db, 'branch.mnla01@demo.test');
    const sessions = await sqlRows(t.client, 'SELECT * FROM user_sessions WHERE user_id = ?', [userId]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      token_hash: createHash('sha256').update(token).digest('hex'),
      ip: '127.0.0.1',
      user_agent: 'vitest-browser',
      ended_at: null,
      expires_at: ctx.clock.now().getTime() + 12 * 3_600_000,
    });
    for (const table of ['user_sessions', 'activity_logs', 'users']) {
      expect(JSON.stringify(await snapshot(t.client, table)), table).not.toContain(token);
    }
    const logs = ctx.logLines.join('\n');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(DEMO_PASSWORD);
  });

  it('records the sign-in on the user and in the activity log', async () => {
    await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD });
    const userId = await userIdByEmail(t.db, 'viewer@demo.test');
    const [user] = await sqlRows(t.client, 'SELECT login_count, last_login_at, failed_login_count FROM users WHERE id = ?', [userId]);
    expect(user).toEqual({ login_count: 1, last_login_at: ctx.clock.now().getTime(), failed_login_count: 0 });
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.login' AND user_id = ?", [userId])).toBe(1);
  });

  it('gives a new token at every sign-in', async () => {
    const a = tokenFrom((await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD })).headers.get('set-cookie'));
    const b = tokenFrom((await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD })).headers.get('set-cookie'));
    expect(a).not.toBe(b);
  });

  it('accepts the email in any case and with spaces around it', async () => {
    expect((await login({ email: '  Viewer@Demo.TEST ', password: DEMO_PASSWORD })).status).toBe(302);
  });

  it('returns to a same-site redirectTo, but never to another site', async () => {
    const back = await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD }, `/login?redirectTo=${encodeURIComponent('/clients/42')}`);
    expect(back.headers.get('location')).toBe('/clients/42');
    for (const evil of ['//evil.test', 'https://evil.test/x', '/\\evil.test']) {
      const away = await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD }, `/login?redirectTo=${encodeURIComponent(evil)}`);
      expect(away.headers.get('location'), evil).toBe('/clients');
    }
  });

  it('sends a user who must change the password to that screen', async () => {
    await t.client.execute("UPDATE users SET must_change_password = 1 WHERE email = 'viewer@demo.test'");
    const answer = await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD }, '/login?redirectTo=%2Fclients%2F1');
    expect(answer.headers.get('location')).toBe('/account/password');
  });
});

describe('login: failure', () => {
  it('answers a wrong password and an unknown user with the same 401 message, and starts no session', async () => {
    const wrong = await login({ email: 'viewer@demo.test', password: 'not-the-password' });
    const unknown = await login({ email: 'nobody@demo.test', password: DEMO_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.data.formError).toBe(GENERIC_FAILURE);
    expect(unknown.data.formError).toBe(GENERIC_FAILURE);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_sessions')).toBe(0);
    expect(await sqlCount(t.client, "SELECT count(*) FROM activity_logs WHERE action = 'auth.login_failed'")).toBe(2);
  });

  it('refuses a deactivated user with the right password, with the same message', async () => {
    await t.client.execute("UPDATE users SET is_active = 0 WHERE email = 'viewer@demo.test'");
    const answer = await login({ email: 'viewer@demo.test', password: DEMO_PASSWORD });
    expect(answer.status).toBe(401);
    expect(answer.data.formError).toBe(GENERIC_FAILURE);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_sessions')).toBe(0);
  });

  it.each([
    [{ email: 'not-an-email', password: DEMO_PASSWORD }, { email: 'Enter your email address.' }],
    [{ email: '', password: DEMO_PASSWORD }, { email: 'Enter your email address.' }],
    [{ email: 'viewer@demo.test', password: '' }, { password: 'Enter your password.' }],
    [{ email: 'viewer@demo.test', password: 'p'.repeat(129) }, expect.objectContaining({ password: expect.any(String) })],
  ])('answers 400 with a field error for %j, touching nothing', async (fields, fieldErrors) => {
    const users = await snapshot(t.client, 'users');
    const answer = await login(fields);
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors).toEqual(fieldErrors);
    expect(answer.data.values).toEqual({ email: fields.email }); // the email kept, never the password
    expect(await sqlCount(t.client, 'SELECT count(*) FROM user_sessions')).toBe(0);
    expect(await sqlCount(t.client, 'SELECT count(*) FROM activity_logs')).toBe(0);
    expect(await snapshot(t.client, 'users')).toEqual(users);
  });

  it('does not echo the password back in the failure answer', async () => {
    const answer = await login({ email: 'viewer@demo.test', password: 'my-secret-guess-123' });
    expect(JSON.stringify(answer.data)).not.toContain('my-secret-guess-123');
  });
});

describe('a new sign-in on the same browser ends the session it replaces', () => {
  it("the old cookie's session is ended as replaced; other devices keep theirs", async () => {
    const first = await callRoute(loginAction, ctx, new Request(absoluteUrl('/login'), formInit({ email: 'admin@demo.test', password: DEMO_PASSWORD })));
    const second = await callRoute(loginAction, ctx, new Request(absoluteUrl('/login'), formInit({ email: 'admin@demo.test', password: DEMO_PASSWORD })));
    const cookieOf = (answer: { headers: Headers }) => /^(cu_session=[^;]+)/.exec(answer.headers.get('set-cookie') ?? '')![1];
    // The first browser signs in again (as someone else, even) while its old cookie is still set.
    const init = formInit({ email: 'branch.mnla01@demo.test', password: DEMO_PASSWORD });
    const again = await callRoute(loginAction, ctx, requestWithCookie(cookieOf(first), '/login', init));
    expect(again.status).toBe(302);
    const rows = await sqlRows(t.client, 'SELECT end_reason FROM user_sessions ORDER BY id');
    expect(rows.map((r) => r.end_reason)).toEqual(['replaced', null, null]);
    // The replaced cookie no longer opens a page; the second device's still does.
    expect((await callRoute(clientsLoader, ctx, requestWithCookie(cookieOf(first), '/clients'))).status).toBe(302);
    expect((await callRoute(clientsLoader, ctx, requestWithCookie(cookieOf(second), '/clients'))).status).toBe(200);
  });
});
