// "My sessions" (/account/sessions): a user sees and ends only their own open sessions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action, loader } from '../../app/routes/account.sessions/route';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { clientsLoader, expectNothingWritten, postForm } from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const ME = 'branch.mnla01@demo.test';
const mySessions = (cookie: string) => callRoute(loader, ctx, requestWithCookie(cookie, '/account/sessions'));
const post = (cookie: string, fields: Record<string, string>) => callRoute(action, ctx, requestWithCookie(cookie, '/account/sessions', postForm(fields)));
const clients = (cookie: string) => callRoute(clientsLoader, ctx, requestWithCookie(cookie, '/clients'));
const sessionIds = async (userId: number, open = true) =>
  (await sqlRows(t.client, `SELECT id FROM user_sessions WHERE user_id = ? ${open ? 'AND ended_at IS NULL' : ''} ORDER BY id`, [userId])).map((r) =>
    Number(r.id),
  );

describe('my sessions', () => {
  it('lists only my own open sessions, and marks the current one', async () => {
    const old = await startTestSession(ctx, ME);
    const phone = await startTestSession(ctx, ME);
    const here = await startTestSession(ctx, ME);
    await startTestSession(ctx, 'viewer@demo.test'); // someone else's
    await t.client.execute({
      sql: "UPDATE user_sessions SET ended_at = ?, end_reason = 'logout' WHERE id = ?",
      args: [ctx.clock.now().getTime(), (await sessionIds(old.userId))[0]],
    });

    const answer = await mySessions(here.cookie);
    expect(answer.status).toBe(200);
    const ids = answer.data.sessions.map((s: { id: number }) => s.id);
    expect(ids.sort()).toEqual((await sessionIds(here.userId)).sort());
    expect(ids).toHaveLength(2);
    expect(answer.data.currentId).toBe(Math.max(...ids));
    expect(answer.data.sessions.every((s: { endedAt: unknown }) => s.endedAt === null)).toBe(true);
    expect(answer.data.sessions[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'vitest' });
    // Nothing in the answer can identify a session to a third party: no token, no hash.
    expect(JSON.stringify(answer.data)).not.toMatch(/token|hash/i);
    expect(phone.userId).toBe(here.userId);
  });

  it('ends one of my other sessions: that device is signed out, this one is not', async () => {
    const phone = await startTestSession(ctx, ME);
    const here = await startTestSession(ctx, ME);
    const [phoneId] = await sessionIds(phone.userId);
    const answer = await post(here.cookie, { intent: 'end-one', sessionId: String(phoneId) });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/account/sessions');
    expect((await clients(phone.cookie)).status).toBe(302);
    expect((await clients(here.cookie)).status).toBe(200);
    const [row] = await sqlRows(t.client, 'SELECT end_reason, ended_at FROM user_sessions WHERE id = ?', [phoneId]);
    expect(row).toEqual({ end_reason: 'revoked_by_user', ended_at: ctx.clock.now().getTime() });
    const [log] = await sqlRows(t.client, "SELECT user_id, resource_id FROM activity_logs WHERE action = 'session.ended'");
    expect(log).toEqual({ user_id: here.userId, resource_id: String(phoneId) });
  });

  it("answers 404 for another user's session id and ends nothing", async () => {
    const here = await startTestSession(ctx, ME);
    const other = await startTestSession(ctx, 'viewer@demo.test');
    const [otherId] = await sessionIds(other.userId);
    const answer = await expectNothingWritten(t.client, () => post(here.cookie, { intent: 'end-one', sessionId: String(otherId) }));
    expect(answer.status).toBe(404);
    expect((await clients(other.cookie)).status).toBe(200);
  });

  it('answers 404 for a session id that does not exist or is already ended', async () => {
    const phone = await startTestSession(ctx, ME);
    const here = await startTestSession(ctx, ME);
    const [phoneId] = await sessionIds(phone.userId);
    await post(here.cookie, { intent: 'end-one', sessionId: String(phoneId) });
    for (const id of [String(phoneId), '999999']) {
      const answer = await expectNothingWritten(t.client, () => post(here.cookie, { intent: 'end-one', sessionId: id }));
      expect(answer.status).toBe(404);
    }
  });

  it('ending the current session signs me out', async () => {
    const here = await startTestSession(ctx, ME);
    const [id] = await sessionIds(here.userId);
    const answer = await post(here.cookie, { intent: 'end-one', sessionId: String(id) });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/login');
    expect((await clients(here.cookie)).status).toBe(302);
  });

  it("ends all other sessions but keeps the current one (and touches nobody else's)", async () => {
    const a = await startTestSession(ctx, ME);
    const b = await startTestSession(ctx, ME);
    const here = await startTestSession(ctx, ME);
    const other = await startTestSession(ctx, 'viewer@demo.test');
    const answer = await post(here.cookie, { intent: 'end-others' });
    expect(answer.status).toBe(302);
    expect(await sessionIds(here.userId)).toHaveLength(1);
    expect((await clients(a.cookie)).status).toBe(302);
    expect((await clients(b.cookie)).status).toBe(302);
    expect((await clients(here.cookie)).status).toBe(200);
    expect((await clients(other.cookie)).status).toBe(200);
    const [log] = await sqlRows(t.client, "SELECT user_id, details FROM activity_logs WHERE action = 'session.ended_others'");
    expect(log).toEqual({ user_id: here.userId, details: JSON.stringify({ ended: 2 }) });
  });

  it.each([
    ['an unknown intent', { intent: 'end-everyone' }],
    ['a session id that is not a number', { intent: 'end-one', sessionId: 'abc' }],
    ['no session id', { intent: 'end-one' }],
    ['a negative session id', { intent: 'end-one', sessionId: '-3' }],
  ])('refuses %s with 400 and ends nothing', async (_label, fields) => {
    const here = await startTestSession(ctx, ME);
    await startTestSession(ctx, ME);
    const answer = await expectNothingWritten(t.client, () => post(here.cookie, fields));
    expect(answer.status).toBe(400);
    expect(answer.data).toEqual({ message: 'Unknown action.' });
  });

  it('sends a visitor without a session to sign in', async () => {
    const answer = await callRoute(loader, ctx, new Request('http://localhost/account/sessions'));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
  });
});
