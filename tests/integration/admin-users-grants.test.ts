// Role templates, the grants editor and the territory editor on /admin/users/:id: what is written,
// what is logged, what a single-company admin may not touch, and that a change reaches the user's
// very next request although access is cached.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import {
  activityAbout,
  areaIdOf,
  branchIdOf,
  clientBranchesSeenBy,
  companyIdOf,
  createCompanyAdmin,
  createPcniAgent,
  expectNothingWritten,
  grantsOf,
  templateGrants,
  userPageGet,
  userPagePost,
  usersLoader,
} from '../support/admin-users';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { createTestUser } from '../support/user-factory';
import { flashMessage } from '../support/flash';

let t: TestDb;
let ctx: TestAppContext;
let admin: { userId: number; cookie: string };
let fcash: number;
let pcni: number;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db, env: { BCRYPT_COST: '4' } });
  admin = await startTestSession(ctx, 'admin@demo.test');
  fcash = await companyIdOf(t.client, 'FCASH');
  pcni = await companyIdOf(t.client, 'PCNI');
});
afterEach(() => t.close());

/** A fresh user with no grants and no territory (as /admin/users/new leaves one without a role). */
const newcomer = () => createTestUser(t.client, { email: 'newcomer@demo.test', fullName: 'Ana Reyes' });
const rolesOf = (userId: number) =>
  sqlRows(
    t.client,
    'SELECT r.company_id, t.code, r.assigned_by FROM user_roles r JOIN role_templates t ON t.id = r.role_template_id WHERE r.user_id = ? ORDER BY r.company_id',
    [userId],
  );

describe('apply a role template', () => {
  it('FC_TELE for FCASH gives exactly the template grants in FCASH, records user_roles and logs old and new', async () => {
    const userId = await newcomer();
    await createTestUser(t.client, { email: 'x@demo.test' }); // another user: untouched
    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'apply-role', companyId: fcash, roleTemplate: 'FC_TELE' });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'Role applied.']);
    const expected = await templateGrants(t.client, 'FC_TELE');
    expect(expected.length).toBeGreaterThan(0);
    expect(await grantsOf(t.client, userId)).toEqual(expected.map(([code, scope]) => [code, 'FCASH', scope]));
    expect(await rolesOf(userId)).toEqual([{ company_id: fcash, code: 'FC_TELE', assigned_by: admin.userId }]);
    const [log] = await activityAbout(t.client, 'user.role_applied', userId);
    expect(log).toMatchObject({ user_id: admin.userId, details: { companyId: fcash, roleTemplate: 'FC_TELE', old: {}, new: Object.fromEntries(expected) } });
  });

  it('replaces earlier grants in that company (not adds to them), and leaves the other company alone', async () => {
    const userId = await createTestUser(t.client, {
      email: 'newcomer@demo.test',
      grants: [
        ['users:manage', 'FCASH', 'all'],
        ['clients:read', 'FCASH', 'all'],
        ['clients:read', 'PCNI', 'area'],
      ],
    });
    await userPagePost(ctx, admin.cookie, userId, { intent: 'apply-role', companyId: fcash, roleTemplate: 'FC_TELE' });
    const fcashGrants = (await grantsOf(t.client, userId)).filter((g) => g[1] === 'FCASH');
    expect(fcashGrants).toEqual((await templateGrants(t.client, 'FC_TELE')).map(([code, scope]) => [code, 'FCASH', scope]));
    expect((await grantsOf(t.client, userId)).filter((g) => g[1] === 'PCNI')).toEqual([['clients:read', 'PCNI', 'area']]);
    const [log] = await activityAbout(t.client, 'user.role_applied', userId);
    expect(log.details.old).toEqual({ 'clients:read': 'all', 'users:manage': 'all' });
  });

  it('refuses PCNI_TELE for FCASH with 400 and writes nothing', async () => {
    const userId = await newcomer();
    const answer = await expectNothingWritten(t.client, () =>
      userPagePost(ctx, admin.cookie, userId, { intent: 'apply-role', companyId: fcash, roleTemplate: 'PCNI_TELE' }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'apply-role', formError: 'This role template belongs to the other company.' });
  });

  it.each([
    ['an unknown template', { roleTemplate: 'SUPERUSER' }, 'Unknown role template.'],
    ['a malformed template code', { roleTemplate: "admin'--" }, 'That form was not understood. Reload the page and try again.'],
    ['a company that does not exist', { roleTemplate: 'viewer', companyId: '999' }, 'You cannot change permissions in this company.'],
  ])('refuses %s with 400 and writes nothing', async (_label, fields, message) => {
    const userId = await newcomer();
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, userId, { intent: 'apply-role', companyId: fcash, ...fields }));
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe(message);
  });

  it("refuses to change the admin's own grants", async () => {
    const answer = await expectNothingWritten(t.client, () =>
      userPagePost(ctx, admin.cookie, admin.userId, { intent: 'apply-role', companyId: fcash, roleTemplate: 'viewer' }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data.formError).toBe('Ask another admin to change your own permissions.');
  });
});

describe('grants editor', () => {
  it("replaces the grants of one company only, clears that company's role label, and logs old and new", async () => {
    const userId = await createTestUser(t.client, {
      email: 'newcomer@demo.test',
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['status:update', 'FCASH', 'branch'],
        ['clients:read', 'PCNI', 'all'],
        ['reports:read', 'PCNI', 'all'],
      ],
    });
    await t.client.execute({
      sql: "INSERT INTO user_roles (user_id, company_id, role_template_id) VALUES (?, ?, (SELECT id FROM role_templates WHERE code = 'viewer'))",
      args: [userId, pcni],
    });
    const pcniBefore = (await grantsOf(t.client, userId)).filter((g) => g[1] === 'PCNI');
    const answer = await userPagePost(ctx, admin.cookie, userId, {
      intent: 'grants',
      companyId: fcash,
      'grant:clients:read': 'area',
      'grant:reports:read': 'self',
      'grant:status:update': '',
    });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'Permissions saved.']);
    expect(await grantsOf(t.client, userId)).toEqual([['clients:read', 'FCASH', 'area'], ['reports:read', 'FCASH', 'self'], ...pcniBefore]);
    expect(await rolesOf(userId)).toEqual([{ company_id: pcni, code: 'viewer', assigned_by: null }]);
    const logs = await activityAbout(t.client, 'user.grants_changed', userId);
    expect(logs).toEqual([
      {
        user_id: admin.userId,
        action: 'user.grants_changed',
        resource_type: 'user',
        resource_id: String(userId),
        details: {
          companyId: fcash,
          roleTemplate: null,
          old: { 'clients:read': 'branch', 'status:update': 'branch' },
          new: { 'clients:read': 'area', 'reports:read': 'self' },
        },
      },
    ]);
  });

  it.each([
    ['an unknown scope', { 'grant:clients:read': 'everything' }, 'Unknown scope "everything".'],
    ['an unknown permission', { 'grant:clients:read': 'all', 'grant:root:all': 'all' }, 'Unknown permission: root:all'],
    ['no company', { companyId: '' }, 'That form was not understood. Reload the page and try again.'],
  ])('refuses %s with 400 and writes nothing', async (_label, fields, message) => {
    const userId = await createTestUser(t.client, { email: 'newcomer@demo.test', grants: [['clients:read', 'FCASH', 'branch']] });
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, userId, { intent: 'grants', companyId: fcash, ...fields }));
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, formError: message });
  });
});

describe('an admin of FCASH only', () => {
  let fcashAdmin: { userId: number; cookie: string };
  beforeEach(async () => {
    await createCompanyAdmin(t.client, 'FCASH');
    fcashAdmin = await startTestSession(ctx, 'admin.fcash@demo.test');
  });

  it('sees a user who also works for PCNI but cannot change anything about them (404, nothing written)', async () => {
    // Changing a user needs the whole user inside the admin's reach: an FCASH admin must not be able
    // to reset the password of (and so become) someone who also holds PCNI rights.
    const userId = await createTestUser(t.client, {
      email: 'both@demo.test',
      branches: ['MNLA01', 'MNLA03'],
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['clients:read', 'PCNI', 'branch'],
      ],
    });
    const page = await userPageGet(ctx, fcashAdmin.cookie, userId);
    expect(page.status).toBe(200);
    expect(page.data.canManage).toBe(false);
    for (const fields of [
      { intent: 'grants', companyId: pcni, 'grant:clients:read': 'all' },
      { intent: 'grants', companyId: fcash, 'grant:clients:read': 'all' },
      { intent: 'apply-role', companyId: pcni, roleTemplate: 'admin' },
      { intent: 'territory', branchIds: [await branchIdOf(t.client, 'QZN01')] },
      { intent: 'reset-password' },
    ]) {
      const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, fcashAdmin.cookie, userId, fields));
      expect(answer.status).toBe(404);
    }
    // The two-company admin can.
    const ok = await userPagePost(ctx, admin.cookie, userId, { intent: 'grants', companyId: fcash, 'grant:clients:read': 'all' });
    expect(ok.status).toBe(302);
    expect(await grantsOf(t.client, userId)).toEqual([
      ['clients:read', 'FCASH', 'all'],
      ['clients:read', 'PCNI', 'branch'],
    ]);
  });

  it('gets 404 for a PCNI-only user, on the page and on every action, and writes nothing', async () => {
    const pcniUser = await createPcniAgent(t.client);
    expect((await userPageGet(ctx, admin.cookie, pcniUser)).status).toBe(200); // it exists: the two-company admin sees it
    expect((await userPageGet(ctx, fcashAdmin.cookie, pcniUser)).status).toBe(404);
    for (const fields of [
      { intent: 'grants', companyId: fcash, 'grant:clients:read': 'all' },
      { intent: 'apply-role', companyId: fcash, roleTemplate: 'FC_TELE' },
      { intent: 'territory', branchIds: [await branchIdOf(t.client, 'MNLA01')] },
      { intent: 'deactivate' },
      { intent: 'reset-password' },
      { intent: 'unlock' },
      { intent: 'end-all-sessions' },
      { intent: 'profile', email: 'hijacked@demo.test', fullName: 'Hijacked' },
    ]) {
      const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, fcashAdmin.cookie, pcniUser, fields));
      expect(answer.status, fields.intent).toBe(404);
    }
  });

  it('does not list PCNI-only users', async () => {
    await createPcniAgent(t.client);
    const list = await callRoute(usersLoader, ctx, requestWithCookie(fcashAdmin.cookie, '/admin/users?pageSize=100'));
    expect(list.status).toBe(200);
    expect(list.data.list.rows.map((r: any) => r.email)).not.toContain('tele.pcni@demo.test');
    const all = await callRoute(usersLoader, ctx, requestWithCookie(admin.cookie, '/admin/users?pageSize=100'));
    expect(all.data.list.rows.map((r: any) => r.email)).toContain('tele.pcni@demo.test');
  });

  it('cannot assign a PCNI branch or area (400, nothing written)', async () => {
    const userId = await createTestUser(t.client, { email: 'fc.agent@demo.test', branches: ['MNLA01'], grants: [['clients:read', 'FCASH', 'branch']] });
    const pcniBranch = await branchIdOf(t.client, 'MNLA03');
    const pcniArea = await areaIdOf(t.client, 'PCNI', 'NCR');
    const branchAnswer = await expectNothingWritten(t.client, () =>
      userPagePost(ctx, fcashAdmin.cookie, userId, { intent: 'territory', branchIds: [pcniBranch] }),
    );
    expect(branchAnswer.status).toBe(400);
    expect(branchAnswer.data).toMatchObject({ intent: 'territory', formError: `Branch ${pcniBranch} is not one you can assign.` });
    const areaAnswer = await expectNothingWritten(t.client, () => userPagePost(ctx, fcashAdmin.cookie, userId, { intent: 'territory', areaIds: [pcniArea] }));
    expect(areaAnswer.status).toBe(400);
    expect(areaAnswer.data).toMatchObject({ intent: 'territory', formError: `Area ${pcniArea} is not one you can assign.` });
  });
});

describe('territory', () => {
  it('a change reaches the user on the NEXT request although access is cached', async () => {
    const userId = await createTestUser(t.client, {
      email: 'agent@demo.test',
      fullName: 'Ben Cruz',
      branches: ['MNLA01'],
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['status:read', 'FCASH', 'branch'],
      ],
    });
    const agent = await startTestSession(ctx, 'agent@demo.test');
    expect((await clientBranchesSeenBy(ctx, agent.cookie)).branches).toEqual(['MNLA01']);

    // Proof that access really is cached: a change written behind the app's back is not seen yet.
    const qzn01 = await branchIdOf(t.client, 'QZN01');
    await t.client.execute({ sql: 'INSERT INTO user_branches (user_id, branch_id) VALUES (?, ?)', args: [userId, await branchIdOf(t.client, 'PSG01')] });
    expect((await clientBranchesSeenBy(ctx, agent.cookie)).branches).toEqual(['MNLA01']);

    // The admin's change (through the screen) is seen on the very next request, without waiting for the TTL.
    const answer = await userPagePost(ctx, admin.cookie, userId, { intent: 'territory', branchIds: [qzn01] });
    expect([answer.status, flashMessage(answer)]).toEqual([302, 'Territory saved.']);
    const after = await clientBranchesSeenBy(ctx, agent.cookie);
    expect(after.branches).toEqual(['QZN01']);
    const [{ n }] = await sqlRows(
      t.client,
      "SELECT count(*) AS n FROM clients c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'QZN01' AND c.deleted_at IS NULL",
    );
    expect(after.total).toBe(Number(n));
  });

  it('a grant change also reaches the user on the next request (cached access dropped)', async () => {
    const userId = await createTestUser(t.client, {
      email: 'agent@demo.test',
      branches: ['MNLA01'],
      grants: [['clients:read', 'FCASH', 'branch']],
    });
    const agent = await startTestSession(ctx, 'agent@demo.test');
    expect((await clientBranchesSeenBy(ctx, agent.cookie)).status).toBe(200);
    await userPagePost(ctx, admin.cookie, userId, { intent: 'grants', companyId: fcash, 'grant:status:read': 'branch' });
    expect((await clientBranchesSeenBy(ctx, agent.cookie)).status).toBe(403);
  });

  it('assigns an area: the user sees the branches of the area', async () => {
    const userId = await createTestUser(t.client, { email: 'agent@demo.test', grants: [['clients:read', 'FCASH', 'area']] });
    const agent = await startTestSession(ctx, 'agent@demo.test');
    const r6 = await areaIdOf(t.client, 'FCASH', 'R6');
    expect((await userPagePost(ctx, admin.cookie, userId, { intent: 'territory', areaIds: [r6] })).status).toBe(302);
    const expected = (
      await sqlRows(t.client, 'SELECT b.code FROM area_branches ab JOIN branches b ON b.id = ab.branch_id WHERE ab.area_id = ? ORDER BY b.code', [r6])
    ).map((r) => r.code);
    const seen = await clientBranchesSeenBy(ctx, agent.cookie);
    expect(seen.branches.every((b) => expected.includes(b))).toBe(true);
    expect(seen.branches.length).toBeGreaterThan(1);
  });

  it.each([
    ['a branch id that does not exist', { branchIds: ['999999'] }, 'Branch 999999 is not one you can assign.'],
    ['a branch id that is not a number', { branchIds: ['MNLA01'] }, 'Choose branches and areas from the lists.'],
    ['an area id that does not exist', { areaIds: ['999999'] }, 'Area 999999 is not one you can assign.'],
  ])('refuses %s with 400 and writes nothing', async (_label, fields, message) => {
    const userId = await createTestUser(t.client, { email: 'agent@demo.test', branches: ['MNLA01'], grants: [['clients:read', 'FCASH', 'branch']] });
    const answer = await expectNothingWritten(t.client, () => userPagePost(ctx, admin.cookie, userId, { intent: 'territory', ...fields }));
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, intent: 'territory', formError: message });
  });
});
