// Bad input on the maker's side of maker-checker (issue 18, decision 101): an unknown action, a
// forged target (another company's user), a version from the future, a stale version and a missing
// remark each get a clear answer and change nothing (requests, grants, territory, users compared
// before and after). Also: which actions are checked when a company has set nothing (the defaults).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action as approvalsAction, loader as approvalsLoader } from '../../app/routes/admin.approvals/route';
import { needsChecker } from '../../app/core/approvals/checker-rules.server';
import { branchIdOf, companyIdOf, createCompanyAdmin, postForm, userPageGet, userPagePost } from '../support/admin-users';
import { callRoute, perRequest, requestWithCookie, startTestSession, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { switchOn } from '../support/checker-switches';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
let ctx: TestAppContext;
let fcash: number;
let agent: number;

const A = 'admin@demo.test'; // both companies
const B = 'admin2.fcash@demo.test'; // FCASH only

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  fcash = Number(await companyIdOf(t.client, 'FCASH'));
  await createCompanyAdmin(t.client, 'FCASH', B);
  await switchOn(t.client, 'checker_user_grants', fcash);
  await switchOn(t.client, 'checker_user_territory', fcash);
  agent = await createTestUser(t.client, { email: 'agent@demo.test', grants: [['clients:read', 'FCASH', 'branch']], branches: ['MNLA01'] });
});
afterEach(() => t.close());

const TABLES = ['change_requests', 'user_permissions', 'user_roles', 'user_branches', 'user_areas', 'users', 'config_settings'];
const state = async () => Object.fromEntries(await Promise.all(TABLES.map(async (x) => [x, await sqlRows(t.client, `SELECT * FROM ${x} ORDER BY rowid`)])));
const cookieOf = async (email: string) => (await startTestSession(ctx, email)).cookie;
const versionOf = async (userId: number) => Number((await sqlRows(t.client, 'SELECT access_version FROM users WHERE id = ?', [userId]))[0].access_version);
const grantForm = (version?: number) => ({ intent: 'grants', companyId: fcash, 'grant:clients:read': 'all', remark: 'Covers the whole company now', version });
const territoryForm = async (version?: number) => ({
  intent: 'territory',
  branchIds: [await branchIdOf(t.client, 'QZN01')],
  remark: 'Moves to Quezon City',
  version,
});

describe('the request path refuses bad input and changes nothing', () => {
  it('an unknown action: 400 "not understood" on the user page; a stored request of an unknown action is neither listed nor decided (404)', async () => {
    const a = await cookieOf(A);
    const before = await state();
    const answer = await userPagePost(ctx, a, agent, { intent: 'user.promote', remark: 'Make them boss' });
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toMatch(/not understood/);
    expect(await state()).toEqual(before);
    // A row no handler knows (written by an older or forged build): nobody decides it.
    const maker = await userIdByEmail(t.db, B);
    const [forged] = await sqlRows(
      t.client,
      `INSERT INTO change_requests (company_id, action, target_type, target_id, payload, before, remark, maker_id, expires_at, created_at)
       VALUES (?, 'user.teleport', 'user', ?, '{}', '{}', 'forged', ?, 9999999999999, 0) RETURNING id`,
      [fcash, agent, maker],
    );
    const listed = await state();
    expect((await callRoute(approvalsLoader, ctx, requestWithCookie(a, '/admin/approvals'))).data.requests).toEqual([]);
    const approve = await callRoute(
      approvalsAction,
      ctx,
      requestWithCookie(a, '/admin/approvals', postForm({ intent: 'approve', requestId: Number(forged.id) })),
    );
    expect(approve.status).toBe(404);
    expect(await state()).toEqual(listed);
  });

  it('a forged target (a user of the other company only): 404, nothing stored', async () => {
    const pcniOnly = await createTestUser(t.client, { email: 'pcni.agent@demo.test', grants: [['clients:read', 'PCNI', 'branch']] });
    await t.client.execute({
      sql: "INSERT INTO user_areas (user_id, area_id) VALUES (?, (SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE c.code = 'PCNI' AND a.code = 'NCR'))",
      args: [pcniOnly],
    });
    const b = await cookieOf(B);
    const before = await state();
    for (const form of [grantForm(), await territoryForm(), { intent: 'reactivate', remark: 'Back from leave' }]) {
      expect((await userPagePost(ctx, b, pcniOnly, form)).status).toBe(404);
    }
    expect(await state()).toEqual(before);
  });

  it('a version from the future: 400 with a clear message, nothing stored', async () => {
    const a = await cookieOf(A);
    const v = await versionOf(agent);
    const before = await state();
    for (const form of [grantForm(v + 5), await territoryForm(v + 1)]) {
      const answer = await userPagePost(ctx, a, agent, form);
      expect(answer.status).toBe(400);
      expect(answer.data.formError).toMatch(/does not exist yet/);
    }
    expect(await state()).toEqual(before);
  });

  it('a stale version (the user changed since the page was opened): 409, nothing stored', async () => {
    const a = await cookieOf(A);
    const opened = (await userPageGet(ctx, a, agent)).data.version as number;
    // Meanwhile another admin's change lands (PCNI is not checked in the test database).
    const pcni = Number(await companyIdOf(t.client, 'PCNI'));
    expect((await userPagePost(ctx, a, agent, { intent: 'grants', companyId: pcni, 'grant:clients:read': 'branch', version: opened })).status).toBe(302);
    expect(await versionOf(agent)).toBe(opened + 1);
    const before = await state();
    for (const form of [grantForm(opened), await territoryForm(opened)]) {
      const answer = await userPagePost(ctx, a, agent, form);
      expect(answer.status).toBe(409);
      expect(answer.data.formError).toMatch(/changed since you opened it/);
    }
    expect(await state()).toEqual(before);
  });

  it('a missing remark: 400 on the remark field, nothing stored', async () => {
    const a = await cookieOf(A);
    const before = await state();
    for (const form of [
      { ...grantForm(), remark: '' },
      { ...(await territoryForm()), remark: ' ' },
    ]) {
      const answer = await userPagePost(ctx, a, agent, form);
      expect(answer.status).toBe(400);
      expect(answer.data.fieldErrors.remark).toMatch(/Say why/);
    }
    expect(await state()).toEqual(before);
  });

  it('the right version and a remark: one request, nothing else changed', async () => {
    const a = await cookieOf(A);
    const answer = await userPagePost(ctx, a, agent, grantForm(await versionOf(agent)));
    expect(answer.status).toBe(302);
    expect((await sqlRows(t.client, 'SELECT action, state FROM change_requests')).map((r) => [r.action, r.state])).toEqual([['user.grants', 'pending']]);
  });
});

describe('defaults where a company has set nothing (domain.md "Four eyes")', () => {
  it('grants and territory are checked; activation and the switches themselves (with nothing else on) are not', async () => {
    await t.client.execute("DELETE FROM config_settings WHERE key LIKE 'checker_%'");
    const c = perRequest(ctx);
    expect(await needsChecker(c, fcash, 'user.grants')).toBe(true);
    expect(await needsChecker(c, fcash, 'user.territory')).toBe(true);
    expect(await needsChecker(c, fcash, 'user.activate')).toBe(false);
    // The switches follow the others: checked while any check is on.
    expect(await needsChecker(c, fcash, 'config.checker')).toBe(true);
  });
});
