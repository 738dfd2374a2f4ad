// Maker-checker on territory and reactivation (issue 18, decision 101): with the company's switch
// on, admin A's territory change or reactivation waits as a request (the user page says so and lists
// it with a withdraw button), admin B approves it through the very same core function (setTerritory,
// setUserActive) and the activity names A as maker and B as checker; a user changed since is 409.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as approvalsAction } from '../../app/routes/admin.approvals/route';
import { activityAbout, branchIdOf, companyIdOf, createCompanyAdmin, postForm, userPageGet, userPagePost } from '../support/admin-users';
import { callRoute, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { flashOf } from '../support/flash';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { switchOn } from '../support/checker-switches';

let t: TestDb;
let ctx: TestAppContext;
let fcash: number;

const A = 'admin@demo.test'; // both companies
const B = 'admin2.fcash@demo.test'; // FCASH only

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  fcash = Number(await companyIdOf(t.client, 'FCASH'));
  await createCompanyAdmin(t.client, 'FCASH', B);
});
afterEach(() => t.close());

const requests = () => sqlRows(t.client, 'SELECT id, action, state, maker_id, checker_id, target_id FROM change_requests ORDER BY id');
const branchesOf = (userId: number) =>
  sqlRows(t.client, 'SELECT b.code FROM user_branches ub JOIN branches b ON b.id = ub.branch_id WHERE ub.user_id = ? ORDER BY b.code', [userId]).then((r) =>
    r.map((x) => x.code),
  );
const cookieOf = async (email: string) => (await startTestSession(ctx, email)).cookie;
const approve = async (email: string, requestId: number) =>
  callRoute(approvalsAction, ctx, requestWithCookie(await cookieOf(email), '/admin/approvals', postForm({ intent: 'approve', requestId })));

describe('a checked territory change', () => {
  beforeEach(() => switchOn(t.client, 'checker_user_territory', fcash));

  it('waits as a request the user page lists; another admin approves it through setTerritory; maker and checker in the activity', async () => {
    const agent = await createTestUser(t.client, { email: 'agent@demo.test', grants: [['clients:read', 'FCASH', 'branch']], branches: ['MNLA01'] });
    const a = await cookieOf(A);
    const page = await userPageGet(ctx, a, agent);
    expect(page.data.territoryChecked).toBe(true);
    const asked = await userPagePost(ctx, a, agent, {
      intent: 'territory',
      branchIds: [await branchIdOf(t.client, 'QZN01')],
      version: page.data.version,
      remark: 'Moves to Quezon City next week',
    });
    expect(asked.status).toBe(302);
    expect(flashOf(asked)?.message).toMatch(/^Waiting for approval \(request \d+\)/);
    expect(await branchesOf(agent)).toEqual(['MNLA01']);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'user.territory', state: 'pending', target_id: agent });
    const after = await userPageGet(ctx, a, agent);
    expect(after.data.pending).toMatchObject([{ id: request.id, mine: true, diff: [{ field: 'territory', old: 'branches MNLA01', new: 'branches QZN01' }] }]);

    const approved = await approve(B, Number(request.id));
    expect(approved.status).toBe(302);
    expect(await branchesOf(agent)).toEqual(['QZN01']);
    const [changed] = await activityAbout(t.client, 'user.territory_changed', agent);
    expect(changed.details.approval).toEqual({ requestId: request.id, makerId: await userIdByEmail(t.db, A), checkerId: await userIdByEmail(t.db, B) });
    expect((await requests())[0]).toMatchObject({ state: 'approved', checker_id: await userIdByEmail(t.db, B) });
  });

  it('needs a remark (400, nothing asked) and is withdrawn by its maker from the user page', async () => {
    const agent = await createTestUser(t.client, { email: 'agent@demo.test', branches: ['MNLA01'] });
    const a = await cookieOf(A);
    const bare = await userPagePost(ctx, a, agent, { intent: 'territory', branchIds: [await branchIdOf(t.client, 'QZN01')] });
    expect(bare.status).toBe(400);
    expect(bare.data.fieldErrors.remark).toMatch(/Say why/);
    expect(await requests()).toEqual([]);
    await userPagePost(ctx, a, agent, { intent: 'territory', branchIds: [await branchIdOf(t.client, 'QZN01')], remark: 'Moves to Quezon City' });
    const [request] = await requests();
    const withdrawn = await callRoute(
      approvalsAction,
      ctx,
      requestWithCookie(a, '/admin/approvals', postForm({ intent: 'withdraw', requestId: Number(request.id) })),
    );
    expect(withdrawn.status).toBe(302);
    expect((await requests())[0].state).toBe('withdrawn');
    expect((await userPageGet(ctx, a, agent)).data.pending).toEqual([]);
    expect(await branchesOf(agent)).toEqual(['MNLA01']);
  });

  it('answers 409 and is not applied when the territory changed after the request', async () => {
    const agent = await createTestUser(t.client, { email: 'agent@demo.test', branches: ['MNLA01'] });
    await userPagePost(ctx, await cookieOf(A), agent, {
      intent: 'territory',
      branchIds: [await branchIdOf(t.client, 'QZN01')],
      remark: 'Moves to Quezon City',
    });
    await t.client.execute({
      sql: "INSERT INTO user_branches (user_id, branch_id) VALUES (?, (SELECT id FROM branches WHERE code = 'MKTI01'))",
      args: [agent],
    });
    const [request] = await requests();
    const answer = await approve(B, Number(request.id));
    expect(answer.status).toBe(409);
    expect(answer.data.formError).toMatch(/changed after this request was made/);
    expect(await branchesOf(agent)).toEqual(['MKTI01', 'MNLA01']);
    expect((await requests())[0].state).toBe('stale');
  });
});

describe('reactivating a user', () => {
  it('applies at once where activation is not checked (off by default)', async () => {
    const agent = await createTestUser(t.client, { email: 'agent@demo.test', grants: [['clients:read', 'FCASH', 'branch']] });
    await t.client.execute({ sql: 'UPDATE users SET is_active = 0 WHERE id = ?', args: [agent] });
    const answer = await userPagePost(ctx, await cookieOf(A), agent, { intent: 'reactivate' });
    expect(flashOf(answer)?.message).toBe('User reactivated.');
    expect((await sqlRows(t.client, 'SELECT is_active FROM users WHERE id = ?', [agent]))[0].is_active).toBe(1);
  });

  it('waits for approval where the company checks it; the checker’s approval reactivates through setUserActive', async () => {
    await switchOn(t.client, 'checker_user_activation', fcash);
    const agent = await createTestUser(t.client, { email: 'agent@demo.test', grants: [['clients:read', 'FCASH', 'branch']] });
    await t.client.execute({ sql: 'UPDATE users SET is_active = 0 WHERE id = ?', args: [agent] });
    const a = await cookieOf(A);
    expect((await userPageGet(ctx, a, agent)).data.activationChecked).toBe(true);
    const asked = await userPagePost(ctx, a, agent, { intent: 'reactivate', remark: 'Back from leave' });
    expect(flashOf(asked)?.message).toMatch(/^Waiting for approval/);
    const isActive = async () => (await sqlRows(t.client, 'SELECT is_active FROM users WHERE id = ?', [agent]))[0].is_active;
    expect(await isActive()).toBe(0);
    const [request] = await requests();
    expect(request).toMatchObject({ action: 'user.activate', state: 'pending' });
    expect((await approve(A, Number(request.id))).status).toBe(403);
    expect((await approve(B, Number(request.id))).status).toBe(302);
    expect(await isActive()).toBe(1);
    const [log] = await activityAbout(t.client, 'user.reactivated', agent);
    expect(log.details.approval).toMatchObject({ makerId: await userIdByEmail(t.db, A), checkerId: await userIdByEmail(t.db, B) });
  });
});
