// Maker-checker on grants (issue 18, decision 101): with checker_user_grants on for FCASH, admin A's
// grant change waits as a request and changes nothing; admin B approves it through the very same
// core path (now in force, the activity row names A as maker and B as checker) or rejects it with a
// reason; A cannot decide their own request; a request whose target changed since is 409 and not
// applied; the other company's admin cannot see or decide it (404); bad input changes nothing.
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as approvalsAction, loader as approvalsLoader } from '../../app/routes/admin.approvals/route';
import { setCompanyGrants } from '../../app/core/users/grants.server';
import {
  ADMIN_TABLES,
  activityAbout,
  companyIdOf,
  createCompanyAdmin,
  grantsOf,
  postForm,
  snapshotAll,
  userPageGet,
  userPagePost,
} from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { flashOf } from '../support/flash';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let fcash: number;
let viewer: number;

const A = 'admin@demo.test'; // both companies
const B = 'admin2.fcash@demo.test'; // FCASH only
const P = 'admin.pcni@demo.test'; // PCNI only

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  fcash = Number(await companyIdOf(t.client, 'FCASH'));
  viewer = await userIdByEmail(t.db, 'viewer@demo.test');
  await createCompanyAdmin(t.client, 'FCASH', B);
  await createCompanyAdmin(t.client, 'PCNI', P);
  await t.client.execute({
    sql: "INSERT INTO config_settings (key, company_id, value, value_type, description) VALUES ('checker_user_grants', ?, 'true', 'boolean', 'Grants wait for a second admin')",
    args: [fcash],
  });
});
afterEach(() => t.close());

const requests = (client: Client) =>
  sqlRows(client, 'SELECT id, state, maker_id, checker_id, target_id, remark, decision_remark FROM change_requests ORDER BY id');
const snapshot = async () => {
  const all = await snapshotAll(t.client);
  const changeRequests = await sqlRows(t.client, 'SELECT * FROM change_requests ORDER BY id');
  return { ...Object.fromEntries(ADMIN_TABLES.filter((x) => x !== 'activity_logs' && x !== 'user_sessions').map((x) => [x, all[x]])), changeRequests };
};

/** A's request: viewer gets users:manage in FCASH (besides what they hold). */
async function askAsA(remark = 'New team lead needs to onboard staff') {
  const { cookie } = await startTestSession(ctx, A);
  const held = Object.fromEntries(
    (await grantsOf(t.client, viewer)).filter(([, company]) => company === 'FCASH').map(([code, , scope]) => [`grant:${code}`, scope]),
  );
  const answer = await userPagePost(ctx, cookie, viewer, { intent: 'grants', companyId: fcash, ...held, 'grant:users:manage': 'all', remark });
  return answer;
}

const approvalsPost = async (email: string, fields: Record<string, string | number>) => {
  const { cookie } = await startTestSession(ctx, email);
  return callRoute(approvalsAction, ctx, requestWithCookie(cookie, '/admin/approvals', postForm(fields)));
};
const approvalsGet = async (email: string) => {
  const { cookie } = await startTestSession(ctx, email);
  return callRoute(approvalsLoader, ctx, requestWithCookie(cookie, '/admin/approvals'));
};
const viewerHasUsersManage = async () =>
  (await grantsOf(t.client, viewer)).some(([code, company, scope]) => code === 'users:manage' && scope === 'all' && company === 'FCASH');

describe('a checked grant change', () => {
  it('waits as a request: nothing changes, the maker is told, the user page says changes wait', async () => {
    const page = await userPageGet(ctx, (await startTestSession(ctx, A)).cookie, viewer);
    expect(page.data.checked).toEqual([fcash]);
    const before = await grantsOf(t.client, viewer);
    const answer = await askAsA();
    expect(answer.status).toBe(302);
    expect(flashOf(answer)?.message).toMatch(/Waiting for approval \(request \d+\)/);
    expect(await grantsOf(t.client, viewer)).toEqual(before);
    expect(await requests(t.client)).toMatchObject([{ state: 'pending', maker_id: await userIdByEmail(t.db, A), target_id: viewer, checker_id: null }]);
  });

  it('needs a remark: without one it is a 400 and nothing is written', async () => {
    const before = await snapshot();
    const answer = await askAsA('  ');
    expect(answer.status).toBe(400);
    expect(answer.data.fieldErrors.remark).toMatch(/Say why/);
    expect(await snapshot()).toEqual(before);
  });

  it('is applied when another admin approves it, through the direct path; the activity names maker and checker', async () => {
    await askAsA();
    const [request] = await requests(t.client);
    const list = await approvalsGet(B);
    expect(list.data.requests.map((r: { id: number }) => r.id)).toEqual([request.id]);
    const answer = await approvalsPost(B, { intent: 'approve', requestId: String(request.id) });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/admin/approvals');
    expect(await viewerHasUsersManage()).toBe(true);
    const [approved] = await requests(t.client);
    expect(approved).toMatchObject({ state: 'approved', checker_id: await userIdByEmail(t.db, B) });
    const [changed] = await activityAbout(t.client, 'user.grants_changed', viewer);
    expect((changed as unknown as { user_id: number }).user_id).toBe(await userIdByEmail(t.db, B));
    expect(changed.details.approval).toEqual({ requestId: request.id, makerId: await userIdByEmail(t.db, A), checkerId: await userIdByEmail(t.db, B) });
  });

  it('cannot be approved or rejected by its maker (403, nothing changed), only withdrawn', async () => {
    await askAsA();
    const [request] = await requests(t.client);
    const before = await snapshot();
    const approve = await approvalsPost(A, { intent: 'approve', requestId: String(request.id) });
    expect(approve.status).toBe(403);
    expect(approve.data.formError).toMatch(/You made this request/);
    const reject = await approvalsPost(A, { intent: 'reject', requestId: String(request.id), reason: 'changed my mind' });
    expect(reject.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    const withdraw = await approvalsPost(A, { intent: 'withdraw', requestId: String(request.id) });
    expect(withdraw.status).toBe(302);
    expect((await requests(t.client))[0].state).toBe('withdrawn');
    const late = await approvalsPost(B, { intent: 'approve', requestId: String(request.id) });
    expect(late.status).toBe(409);
    expect(await viewerHasUsersManage()).toBe(false);
  });

  it('cannot be decided through an account its maker set up or gave the permission to (403, nothing changed)', async () => {
    const makerId = await userIdByEmail(t.db, A);
    const second = 'second.of.a@demo.test'; // an account A created
    const friend = 'friend.of.a@demo.test'; // an admin whose users:manage A granted
    await createCompanyAdmin(t.client, 'FCASH', second);
    await createCompanyAdmin(t.client, 'FCASH', friend);
    await t.client.execute({ sql: 'UPDATE users SET created_by = ? WHERE email = ?', args: [makerId, second] });
    await t.client.execute({
      sql: `UPDATE user_permissions SET granted_by = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)
            AND permission_id = (SELECT id FROM permissions WHERE code = 'users:manage')`,
      args: [makerId, friend],
    });
    await askAsA();
    const [request] = await requests(t.client);
    const before = await snapshot();
    for (const [email, intent] of [
      [second, 'approve'],
      [friend, 'approve'],
      [friend, 'reject'],
    ] as const) {
      const answer = await approvalsPost(email, { intent, requestId: String(request.id), reason: 'Looks fine to me' });
      expect(answer.status, `${email} ${intent}`).toBe(403);
      expect(answer.data.formError).toBe('Your account was set up, or given this permission, by the admin who asked: another admin must approve or reject it.');
    }
    expect(await viewerHasUsersManage()).toBe(false);
    const after = await snapshot();
    expect(after.changeRequests).toEqual(before.changeRequests);
    expect(after).toEqual(before);
    // An admin A neither created nor granted decides it.
    expect((await approvalsPost(B, { intent: 'approve', requestId: String(request.id) })).status).toBe(302);
    expect(await viewerHasUsersManage()).toBe(true);
  });

  it('is rejected only with a reason, and then nothing changes', async () => {
    await askAsA();
    const [request] = await requests(t.client);
    const before = await snapshot();
    const bare = await approvalsPost(B, { intent: 'reject', requestId: String(request.id), reason: '' });
    expect(bare.status).toBe(400);
    expect(await snapshot()).toEqual(before);
    const answer = await approvalsPost(B, { intent: 'reject', requestId: String(request.id), reason: 'Not a team lead yet' });
    expect(answer.status).toBe(302);
    expect(await requests(t.client)).toMatchObject([{ state: 'rejected', decision_remark: 'Not a team lead yet' }]);
    expect(await viewerHasUsersManage()).toBe(false);
  });

  it('answers 409 and is not applied when the target’s grants changed after the request', async () => {
    await askAsA();
    const [request] = await requests(t.client);
    // Another change lands first (the core path, as an approval of an earlier request would).
    const bId = await userIdByEmail(t.db, B);
    expect((await setCompanyGrants(ctx, bId, viewer, fcash, { 'clients:read': 'all' })).ok).toBe(true);
    const grantsBefore = await grantsOf(t.client, viewer);
    const answer = await approvalsPost(B, { intent: 'approve', requestId: String(request.id) });
    expect(answer.status).toBe(409);
    expect(answer.data.formError).toMatch(/changed after this request was made/);
    expect(await grantsOf(t.client, viewer)).toEqual(grantsBefore);
    expect((await requests(t.client))[0].state).toBe('stale');
  });

  it('expires: after the setting’s days it can no longer be approved (409) and is closed as expired', async () => {
    await askAsA();
    const [request] = await requests(t.client);
    ctx.clock.advance(8 * 24 * 60 * 60 * 1000);
    const answer = await approvalsPost(B, { intent: 'approve', requestId: String(request.id) });
    expect(answer.status).toBe(409);
    expect((await requests(t.client))[0].state).toBe('expired');
    expect(await viewerHasUsersManage()).toBe(false);
  });

  it('is neither listed nor decided by the other company’s admin (404)', async () => {
    await askAsA();
    const [request] = await requests(t.client);
    expect((await approvalsGet(P)).data.requests).toEqual([]);
    const before = await snapshot();
    expect((await approvalsPost(P, { intent: 'approve', requestId: String(request.id) })).status).toBe(404);
    expect((await approvalsPost(P, { intent: 'reject', requestId: String(request.id), reason: 'not mine to decide' })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad input with a clear answer and changes nothing', async () => {
    await askAsA();
    const before = await snapshot();
    expect((await approvalsPost(B, { intent: 'approve', requestId: '999999' })).status).toBe(404);
    const unknownIntent = await approvalsPost(B, { intent: 'apply', requestId: '1' });
    expect(unknownIntent.status).toBe(400);
    expect(unknownIntent.data.formError).toMatch(/not understood/);
    expect((await approvalsPost(B, { intent: 'approve', requestId: 'abc' })).status).toBe(400);
    expect((await approvalsPost(B, { intent: 'approve' })).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('is asked once per user and company: a second request while one waits is refused', async () => {
    await askAsA();
    const second = await askAsA('Another try');
    expect(second.status).toBe(400);
    expect(second.data.formError).toMatch(/already waits for approval/);
    expect((await requests(t.client)).length).toBe(1);
  });
});

describe('unchecked grant changes', () => {
  it('apply at once where the company’s setting is off (PCNI)', async () => {
    const { cookie } = await startTestSession(ctx, A);
    const pcni = Number(await companyIdOf(t.client, 'PCNI'));
    const answer = await userPagePost(ctx, cookie, viewer, { intent: 'grants', companyId: pcni, 'grant:clients:read': 'all' });
    expect(answer.status).toBe(302);
    expect((await grantsOf(t.client, viewer)).some(([code, company]) => code === 'clients:read' && company === 'PCNI')).toBe(true);
    expect(await requests(t.client)).toEqual([]);
  });
});
